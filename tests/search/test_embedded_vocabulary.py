"""The embedded index's vocabulary, kept up to date by the logged changes of each write (`embedded_terms`), is the
vocabulary a fresh load of the file gives, after any sequence of writes, in each of several backends on one file."""
from __future__ import annotations

import json
import random
import sqlite3
import threading
from collections import Counter
from pathlib import Path

import pytest

from catalog.search import embedded_terms
from catalog.search.analysis import Vocabulary
from catalog.search.base import SearchQuery
from catalog.search.documents import SearchDocument
from catalog.search.embedded import EmbeddedBackend
from catalog.standards import load_standards

# keywords and item names: standards' terms (they stay in the vocabulary at frequency 0), terms that normalise
# alike (GDP, gdp, ＧＤＰ), too short and too long ones, and everyday catalogue words
WORDS = ["统一社会信用代码", "法定代表人", "企业名称", "GDP", "gdp", "ＧＤＰ", "5G", "税", "行政处罚", "纳税人识别号",
         "企业登记", "市场主体", "低保对象", "社会保险缴费", "不动产登记", "排污许可证", "医保结算", "学籍信息",
         "养老金发放", "网约车平台", "危险化学品经营许可", "户籍人口", "公积金缴存", "婚姻登记", "医疗机构执业许可",
         "一个超过二十四个字符的很长很长很长很长很长很长的关键词"]
NAMES = ["企业登记基本信息", "行政处罚案件信息", "纳税人登记信息", "最低生活保障对象名单", "社会保险参保缴费记录",
         "不动产登记簿", "排污许可证发放信息", "医保结算明细", "中小学学籍信息", "养老金发放名册", "网约车驾驶员信息",
         "危险化学品经营许可证", "户籍人口统计", "住房公积金缴存信息", "婚姻登记信息", "医疗机构执业许可信息"]


def _doc(rnd: random.Random, code: str) -> SearchDocument:
    return SearchDocument(code=code, name=rnd.choice(NAMES) + rnd.choice(["", "（年度）", "明细表"]),
                          provider="义乌市市场监督管理局", provider_code="330782101", classification="102001",
                          keywords=rnd.sample(WORDS, rnd.randint(0, 4)), item_names=rnd.sample(WORDS, rnd.randint(0, 3)),
                          state=rnd.choice(["published", "draft"]))


def _write(rnd: random.Random, backend: EmbeddedBackend, live: dict[str, SearchDocument], serial: list[int]) -> None:
    """One random write: creates, edits, state changes only, deletes (of indexed and unknown codes), in batches."""
    op = rnd.random()
    if op < 0.35 or not live:
        batch = []
        for _ in range(rnd.randint(1, 4)):
            serial[0] += 1
            batch.append(_doc(rnd, f"102001/{serial[0]:06d}"))
        backend.index(batch)
        live.update((d.code, d) for d in batch)
    elif op < 0.6:
        docs = [_doc(rnd, code) for code in rnd.sample(sorted(live), min(len(live), rnd.randint(1, 3)))]
        backend.index(docs)
        live.update((d.code, d) for d in docs)
    elif op < 0.75:
        doc = live[rnd.choice(sorted(live))]
        restated = SearchDocument.from_dict({**doc.to_dict(), "state": "published" if doc.state == "draft" else "draft"})
        backend.index([restated])
        live[doc.code] = restated
    else:
        codes = rnd.sample(sorted(live), min(len(live), rnd.randint(1, 3)))
        backend.remove([*codes, "999999/999999"])
        for code in codes:
            del live[code]


def _fresh(path: Path) -> Vocabulary:
    backend = EmbeddedBackend(path=path, standards=load_standards())
    try:
        return backend.vocabulary()
    finally:
        backend.close()


def _same(a: Vocabulary, b: Vocabulary) -> None:
    assert a.terms == b.terms
    assert a.df == b.df
    assert vars(a) == vars(b)  # the deletion index too, and any field a later Vocabulary gains


def _counted(path: Path) -> dict[str, int]:
    """search_terms, and the frequencies counted again from the indexed documents' own terms."""
    with sqlite3.connect(path) as conn:
        stored = dict(conn.execute("SELECT term, df FROM search_terms").fetchall())
        counted = Counter(t for (terms,) in conn.execute("SELECT terms FROM search_docs") for t in json.loads(terms))
    assert stored == dict(counted)  # no term at 0 is left behind, none is lost
    return stored


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_two_backends_kept_up_by_the_log_equal_a_fresh_load(tmp_path: Path, seed: int) -> None:
    rnd = random.Random(seed)
    path = tmp_path / "search.db"
    first, second = (EmbeddedBackend(path=path, standards=load_standards()) for _ in range(2))
    live: dict[str, SearchDocument] = {}
    serial = [0]
    for step in range(150):
        _write(rnd, rnd.choice([first, second]), live, serial)  # either process writes
        for reader in (first, second):
            if rnd.random() < 0.3:  # each reads now and then: it catches up over 1 to many versions
                reader.vocabulary()
        if step % 50 == 49:
            fresh = _fresh(path)
            _same(first.vocabulary(), fresh)
            _same(second.vocabulary(), fresh)
    _counted(path)
    fresh = _fresh(path)
    _same(first.vocabulary(), fresh)
    _same(second.vocabulary(), fresh)
    assert fresh.df.get("gdp", 0) == sum(d.index_terms.count(w) for d in live.values() for w in ("GDP", "gdp", "ＧＤＰ"))
    for reader in (first, second):
        assert reader.vocab.loads == 1 and reader.vocab.catch_ups > 10  # kept up by the log, loaded once


def test_a_reader_behind_the_kept_log_or_a_rebuild_loads_it_all(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(embedded_terms, "KEEP_VERSIONS", 5)
    monkeypatch.setattr(embedded_terms, "MAX_LOGGED", 12)
    rnd = random.Random(9)
    path = tmp_path / "search.db"
    writer, reader = (EmbeddedBackend(path=path, standards=load_standards()) for _ in range(2))
    live: dict[str, SearchDocument] = {}
    serial = [0]
    _write(rnd, writer, live, serial)
    reader.vocabulary()
    for _ in range(3):
        _write(rnd, writer, live, serial)
    _same(reader.vocabulary(), _fresh(path))
    assert (reader.vocab.loads, reader.vocab.catch_ups) == (1, 1)
    for _ in range(8):  # more versions than the log keeps
        _write(rnd, writer, live, serial)
    _same(reader.vocabulary(), _fresh(path))
    assert reader.vocab.loads == 2
    with sqlite3.connect(path) as conn:
        versions = {v for (v,) in conn.execute("SELECT version FROM search_terms_log")}
        floor, top = (dict(conn.execute("SELECT key, value FROM search_meta").fetchall())[k]
                      for k in ("terms_floor", "terms_version"))
    assert versions <= set(range(floor + 1, top + 1)) and top - floor <= 5  # pruned as it goes
    monkeypatch.setattr(embedded_terms, "KEEP_VERSIONS", 1000)
    monkeypatch.setattr(embedded_terms, "KEEP_ROWS", 30)
    reader.vocabulary()
    for _ in range(20):  # fewer versions than kept, but more rows
        _write(rnd, writer, live, serial)
        with sqlite3.connect(path) as conn:
            rows = conn.execute("SELECT count(*) FROM search_terms_log").fetchone()[0]
            assert rows <= 30 and rows == dict(conn.execute("SELECT key, value FROM search_meta").fetchall())[
                "terms_log_rows"]
    _same(reader.vocabulary(), _fresh(path))
    assert reader.vocab.loads == 3
    serial[0] += 1
    writer.index([SearchDocument(code=f"102001/{serial[0]:06d}", name="企业登记基本信息", keywords=WORDS[:13])])
    _same(reader.vocabulary(), _fresh(path))  # too many terms for the log
    assert reader.vocab.loads == 4
    writer.rebuild(list(live.values())[:3])
    _same(reader.vocabulary(), _fresh(path))
    assert reader.vocab.loads == 5
    writer.reset()
    _same(reader.vocabulary(), _fresh(path))
    assert reader.vocab.loads == 6 and not reader.vocabulary().df


def test_an_index_made_before_the_log_starts_logging_at_its_first_write(tmp_path: Path) -> None:
    path = tmp_path / "search.db"
    rnd = random.Random(4)
    live: dict[str, SearchDocument] = {}
    serial = [0]
    writer = EmbeddedBackend(path=path, standards=load_standards())
    for _ in range(5):
        _write(rnd, writer, live, serial)
    writer.close()
    with sqlite3.connect(path) as conn:  # as an older mulu left it: same format, no log
        conn.execute("DROP TABLE search_terms_log")
        conn.execute("DELETE FROM search_meta WHERE key = 'terms_floor'")
    writer, reader = (EmbeddedBackend(path=path, standards=load_standards()) for _ in range(2))
    reader.vocabulary()
    for _ in range(5):
        _write(rnd, writer, live, serial)
        _same(reader.vocabulary(), _fresh(path))
    assert reader.vocab.loads == 1 and reader.vocab.catch_ups == 5
    with sqlite3.connect(path) as conn:  # an older mulu writes on: frequencies and version change, nothing logged
        conn.execute("UPDATE search_terms SET df = df + 1 WHERE term = (SELECT min(term) FROM search_terms)")
        conn.execute("UPDATE search_meta SET value = value + 1 WHERE key = 'terms_version'")
    _write(rnd, writer, live, serial)  # and this one logs again
    _same(reader.vocabulary(), _fresh(path))
    assert reader.vocab.loads == 2


def test_searches_racing_writes_see_a_whole_vocabulary(tmp_path: Path) -> None:
    """20 threads search (a typo: corrections and did-you-mean read the vocabulary while it is replaced) while two
    backends write; no search fails, and every backend ends equal to a fresh load."""
    path = tmp_path / "search.db"
    backends = [EmbeddedBackend(path=path, standards=load_standards()) for _ in range(3)]
    rnd = random.Random(5)
    live: dict[str, SearchDocument] = {}
    serial = [0]
    for _ in range(10):
        _write(rnd, backends[0], live, serial)
    errors: list[BaseException] = []
    stop = threading.Event()

    def search(i: int) -> None:
        backend = backends[i % 3]
        try:
            while not stop.is_set():
                for q in ("企业登计基本信息", "纳税人登纪", "排污许可正"):
                    backend.search(SearchQuery(q=q))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=search, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    lock = threading.Lock()

    def write(backend: EmbeddedBackend, seed: int) -> None:
        r = random.Random(seed)
        try:
            for _ in range(15):
                with lock:  # `live` is shared; the writes themselves still race the searches
                    _write(r, backend, live, serial)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    writers = [threading.Thread(target=write, args=(b, s)) for b, s in ((backends[0], 6), (backends[1], 7))]
    for t in writers:
        t.start()
    for t in writers:
        t.join()
    stop.set()
    for t in threads:
        t.join()
    assert errors == []
    fresh = _fresh(path)
    for backend in backends:
        _same(backend.vocabulary(), fresh)
    assert sum(b.vocab.catch_ups for b in backends) > 0


def test_a_changed_vocabulary_is_a_new_object_and_leaves_the_terms_being_read_alone() -> None:
    """Plans are memoised per vocabulary object, and did-you-mean iterates `terms` while other threads search: the
    change gives a new object and a new set, and the set a search may be iterating is not touched."""
    old = Vocabulary(["企业登记", "行政处罚", "统一社会信用代码"], df={"企业登记": 2, "行政处罚": 1})
    reading = old.terms
    before = set(reading)
    new = old.changed([("行政处罚", -1), ("排污许可证", 1)], fixed=frozenset({"统一社会信用代码"}))
    assert new is not old and new.terms is not reading and reading == before
    assert new.terms == {"企业登记", "统一社会信用代码", "排污许可证"}
    assert new.corrections("排污许可正") == ["排污许可证"] and not new.corrections("行政处法")
    _same(new, Vocabulary(["企业登记", "排污许可证", "统一社会信用代码"], df={"企业登记": 2, "排污许可证": 1}))
