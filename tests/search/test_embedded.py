"""Embedded backend specifics: results follow every write (also another process's), and query understanding
helpers (an index file of an older format: `test_embedded_format`)."""
from __future__ import annotations

import sqlite3
from pathlib import Path

from catalog.search.analysis import minimal_alternatives, pinyin_forms
from catalog.search.base import SearchQuery, Visibility
from catalog.search.documents import document_from_record
from catalog.search.embedded import EmbeddedBackend
from catalog.standards import load_standards
from tests.search.corpus import CORPUS, MARKET, record


def test_results_follow_a_write_made_through_another_connection(tmp_path: Path) -> None:
    reader = EmbeddedBackend(path=tmp_path / "search.db", standards=load_standards())
    writer = EmbeddedBackend(path=tmp_path / "search.db", standards=load_standards())  # e.g. `mulu` in a shell
    writer.index(document_from_record(rec, state=state) for rec, state in CORPUS)
    assert reader.search(SearchQuery(q="企业登记")).hits[0].code == "102001/000001"
    assert reader.search(SearchQuery(q="企业登记")).hits[0].code == "102001/000001"
    renamed = record("102001/000001", "市场主体名录", provider="义乌市市场监督管理局", provider_code=MARKET,
                     abstract="更名后的资源。", items=[("主体名称", "subject_name")])
    writer.index([document_from_record(renamed, state="published")])
    assert "102001/000001" not in [h.code for h in reader.search(SearchQuery(q="企业登记基本信息")).hits]
    assert [h.code for h in reader.search(SearchQuery(q="市场主体名录")).hits][0] == "102001/000001"
    writer.remove(["102001/000001"])
    assert "102001/000001" not in [h.code for h in reader.search(SearchQuery(q="市场主体名录")).hits]


def test_a_result_is_not_shared_between_callers(tmp_path: Path) -> None:
    backend = EmbeddedBackend(path=tmp_path / "search.db", standards=load_standards())
    backend.index(document_from_record(rec, state=state) for rec, state in CORPUS)
    first = backend.search(SearchQuery(q="低保"))
    first.degraded = True  # the resilient backend marks fallback answers like this
    assert backend.search(SearchQuery(q="低保")).degraded is False


def test_matching_needs_only_the_alternatives_no_other_one_is_part_of() -> None:
    assert minimal_alternatives(["统一社会信用代码", "社会信用代码", "统一信用代码", "信用代码"]) == ["信用代码"]
    assert minimal_alternatives(["税务", "国税", "地税"]) == ["税务", "国税", "地税"]
    assert minimal_alternatives(["税", "国税"]) == ["税"]


def test_pinyin_of_a_name_is_the_pinyin_of_its_chinese_runs() -> None:
    assert pinyin_forms("企业登记基本信息") == ("qydjjbxx", "qiyedengjijibenxinxi")
    assert pinyin_forms("企业登记（市场主体）第12批") == ("qydjscztdp", "qiyedengjishichangzhutidipi")
    assert pinyin_forms("ABC 123") == ()


def test_a_state_change_rewrites_the_facets_and_keeps_the_text_searchable(tmp_path: Path) -> None:
    """Submit/publish/withdraw only restate a document (no re-tokenising); a changed text is indexed anew."""
    backend = EmbeddedBackend(path=tmp_path / "search.db", standards=load_standards())
    rec = CORPUS[0][0]
    public = SearchQuery(q="企业登记", visibility=Visibility(states=frozenset({"published"})))
    backend.index([document_from_record(rec, state="submitted")])
    assert backend.search(public).count == 0
    with sqlite3.connect(tmp_path / "search.db") as conn:
        fts_before = conn.execute("SELECT rowid, pinyin FROM search_fts").fetchall()
        terms_before = conn.execute("SELECT term, df FROM search_terms ORDER BY term").fetchall()
    backend.index([document_from_record(rec, state="published")])
    result = backend.search(public)
    assert [h.code for h in result.hits] == ["102001/000001"]
    assert {f.value: f.count for f in result.facets["state"]} == {"published": 1}
    assert backend.search(SearchQuery(q="qydj", visibility=public.visibility)).count == 1  # pinyin kept
    with sqlite3.connect(tmp_path / "search.db") as conn:
        assert conn.execute("SELECT rowid, pinyin FROM search_fts").fetchall() == fts_before
        assert conn.execute("SELECT term, df FROM search_terms ORDER BY term").fetchall() == terms_before
        assert conn.execute("SELECT state FROM search_facets").fetchall() == [("published",)]
    backend.index([document_from_record({**rec, "name": "市场主体名录"}, state="published")])  # new text
    with sqlite3.connect(tmp_path / "search.db") as conn:
        assert conn.execute("SELECT pinyin FROM search_fts").fetchall() != [(p,) for _, p in fts_before]
        assert "名录" in dict(conn.execute("SELECT term, df FROM search_terms").fetchall())
    assert [h.code for h in backend.search(SearchQuery(q="市场主体名录", visibility=public.visibility)).hits] == [
        "102001/000001"]
