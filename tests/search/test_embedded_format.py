"""The embedded index's format 2: rowids are hashes of the codes, search_names and search_rank (contentless, the
shortest names first) and search_text (the scored fields) follow every write — create, update, state change, delete, rebuild — and an index
file of an older format is detected, emptied and filled again from the database."""
from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from catalog.auth import SYSTEM
from catalog.db import open_database
from catalog.registry import create_resource
from catalog.search.base import SearchQuery, Visibility
from catalog.search.documents import SearchDocument, document_from_record
from catalog.search.embedded import EmbeddedBackend
from catalog.search.embedded_schema import FORMAT, ID_MASK, RANK_TABLES, doc_id, rank_id, text_row
from catalog.search.outbox import attach_to
from catalog.settings import Settings
from catalog.standards import load_standards
from tests.search.corpus import CORPUS, MARKET, record

EVERYTHING = Visibility.everything()


def consistency_problems(path: Path) -> list[str]:
    """What is wrong between the tables: search_names and search_rank must hold exactly search_fts's token instances
    (a contentless row removed with other text than it was given leaves tokens behind), at rowid `rank_id`;
    search_text must be `text_row` of each stored document."""
    problems = []
    with sqlite3.connect(path) as conn:
        docs = {r[0]: SearchDocument.from_dict(json.loads(r[1]))
                for r in conn.execute("SELECT rowid, doc FROM search_docs")}
        ranks = {rank_id(i, d.name): i for i, d in docs.items()}
        instances = set()
        for table in ("search_fts", *RANK_TABLES):
            conn.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS temp.v_{table} USING fts5vocab(main, {table}, 'instance')")
            rows = conn.execute(f"SELECT term, doc, col, offset FROM v_{table}").fetchall()
            if table == "search_fts":
                fts = set(rows)
            else:
                if any(r[1] not in ranks for r in rows):
                    problems.append(f"{table} rowids are not rank_id of the documents")
                instances |= {(t, ranks.get(d, -1), c, o) for t, d, c, o in rows}
            if {r[0] for r in conn.execute(f"SELECT id FROM {table}_docsize")} != set(ranks if table != "search_fts" else docs):
                problems.append(f"{table} holds other documents")
        if instances != fts:
            problems.append(f"search_names + search_rank tokens differ from search_fts: {sorted(instances ^ fts)[:5]}")
        texts = {r[0]: tuple(r) for r in conn.execute("SELECT rowid, code, name, keywords, item_names, abstract, "
                                                      "provider FROM search_text")}
        if texts != {i: text_row(i, d) for i, d in docs.items()}:
            problems.append("search_text differs from the documents")
        for table in ("search_fts", "search_facets"):
            if {r[0] for r in conn.execute(f"SELECT rowid FROM {table}")} != set(docs):
                problems.append(f"{table} holds other documents")
        for table in RANK_TABLES:
            try:
                conn.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")
            except sqlite3.DatabaseError as exc:
                problems.append(f"{table} integrity: {exc}")
    return problems


def _docs() -> list[SearchDocument]:
    return [document_from_record(rec, state=state) for rec, state in CORPUS]


def test_every_write_keeps_the_tables_consistent(tmp_path: Path) -> None:
    path = tmp_path / "search.db"
    backend = EmbeddedBackend(path=path, standards=load_standards())
    backend.index(_docs())  # create
    assert consistency_problems(path) == []
    first = CORPUS[0][0]
    backend.index([document_from_record(first, state="submitted")])  # a state change (restated, text kept)
    assert consistency_problems(path) == []
    renamed = {**first, "name": "市场主体名录（更名）", "keywords": ["市场主体"]}
    backend.index([document_from_record(renamed, state="published")])  # new text: rank and text rows replaced
    assert consistency_problems(path) == []
    assert [h.code for h in backend.search(SearchQuery(q="市场主体名录", visibility=EVERYTHING)).hits][0] == first["code"]
    backend.index([document_from_record(renamed, state="withdrawn")])  # withdraw
    assert consistency_problems(path) == []
    assert backend.remove([CORPUS[1][0]["code"], "no/such"]) == 1  # delete
    assert consistency_problems(path) == []
    assert CORPUS[1][0]["code"] not in [h.code for h in backend.search(SearchQuery(q="行政处罚案件", visibility=EVERYTHING)).hits]
    backend.rebuild(_docs()[2:])  # rebuild
    assert consistency_problems(path) == []
    assert backend.count() == len(CORPUS) - 2


def test_the_check_sees_a_rank_row_removed_with_the_wrong_text(tmp_path: Path) -> None:
    """The consistency check can fail: a contentless row deleted with other text than it holds leaves tokens."""
    path = tmp_path / "search.db"
    backend = EmbeddedBackend(path=path, standards=load_standards())
    backend.index(_docs())
    backend.close()
    with sqlite3.connect(path) as conn:
        rowid, name = conn.execute("SELECT rowid, name FROM search_docs LIMIT 1").fetchone()
        conn.execute("INSERT INTO search_names(search_names, rowid, name) VALUES ('delete', ?, '别的 名字')",
                     (rank_id(rowid, name),))
    assert consistency_problems(path)


def test_rowids_are_hashes_of_codes_and_a_collision_takes_the_next_free_one(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import catalog.search.embedded as embedded

    path = tmp_path / "search.db"
    backend = EmbeddedBackend(path=path, standards=load_standards())
    docs = _docs()
    backend.index(docs[:1])
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT rowid FROM search_docs").fetchall() == [(doc_id(docs[0].code),)]
    monkeypatch.setattr(embedded, "doc_id", lambda code: doc_id(docs[0].code))  # every code hashes alike
    backend.index(docs[1:3])
    backend.rebuild(docs[3:6])
    assert consistency_problems(path) == []
    with sqlite3.connect(path) as conn:
        rowids = [r[0] for r in conn.execute("SELECT rowid FROM search_docs ORDER BY rowid")]
    assert len(set(rowids)) == 3 and rowids[0] == doc_id(docs[0].code)
    for d in docs[3:6]:
        assert [h.code for h in backend.search(SearchQuery(q=d.name, visibility=EVERYTHING)).hits][0] == d.code


def test_the_shortest_names_come_first_in_search_rank(tmp_path: Path) -> None:
    path = tmp_path / "search.db"
    backend = EmbeddedBackend(path=path, standards=load_standards())
    backend.index(_docs())
    with sqlite3.connect(path) as conn:
        order = [r[0] & ID_MASK for r in conn.execute("SELECT rowid FROM search_names WHERE search_names MATCH "
                                                      "'\"信息\"' ORDER BY rowid")]
        names = dict(conn.execute("SELECT rowid, name FROM search_docs").fetchall())
    lengths = [len(names[i]) for i in order]
    assert len(order) >= 4 and lengths == sorted(lengths)


def test_an_index_file_of_an_older_format_is_rebuilt_from_the_database(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)
    db = open_database(settings)
    path = tmp_path / "mulu.db"
    backend = EmbeddedBackend(path=path, standards=load_standards())
    attach_to(db=db, backend=backend, worker_interval=None)
    rec = record("102001/990001", "格式升级测试资源", provider="义乌市市场监督管理局", provider_code=MARKET,
                 abstract="用于验证旧格式索引会被重建。", items=[("资源备注", "resource_remark")], share_type="无条件共享")
    with db.transaction() as session:
        create_resource(session=session, actor=SYSTEM, record=rec, allow_code=True)
    assert backend.count() == 1 and not backend.stale
    backend.close()
    with sqlite3.connect(path) as conn:  # as format 1 left it: no `format` row, sequential rowids, no search_rank
        conn.execute("DELETE FROM search_meta WHERE key = 'format'")
        conn.execute("DROP TABLE search_rank")
        conn.execute("DROP TABLE search_names")
        conn.execute("UPDATE search_docs SET rowid = 1")
    old = EmbeddedBackend(path=path, standards=load_standards())
    assert old.stale and old.count() == 0  # detected and emptied
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT value FROM search_meta WHERE key = 'format'").fetchone() == (FORMAT,)
    attach_to(db=db, backend=old, worker_interval=None)  # what `mulu serve` does at startup
    assert not old.stale and old.count() == 1
    assert [h.code for h in old.search(SearchQuery(q="格式升级", visibility=EVERYTHING)).hits] == ["102001/990001"]
    assert consistency_problems(path) == []
    again = EmbeddedBackend(path=path, standards=load_standards())  # the current format is kept as it is
    assert not again.stale and again.count() == 1
    db.dispose()


def test_opening_a_current_index_takes_no_write_lock(tmp_path: Path) -> None:
    """A request holding the database's write lock may open the search backend lazily on the same file: opening
    an index already in this format must only read (before: `database is locked` after the busy timeout)."""
    path = tmp_path / "mulu.db"
    EmbeddedBackend(path=path, standards=load_standards()).close()  # made in this format
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another transaction on the file holds the write lock
    try:
        again = EmbeddedBackend(path=path, standards=load_standards())
        assert again.stale is False
        again.close()
    finally:
        writer.execute("ROLLBACK")
        writer.close()
