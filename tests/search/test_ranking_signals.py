"""Ranking signals of the shared plan on small synthetic catalogues, on both backends: a known term's parts found
close together and in order (企业设立登记 for 企业登记); the topic word of a two-word compound over its kind word."""
from __future__ import annotations

from catalog.search.base import SearchBackend, SearchQuery
from catalog.search.documents import SearchDocument
from catalog.search.plan import NEAR


def _doc(code: str, name: str, **kw: object) -> SearchDocument:
    return SearchDocument(code=code, name=name, provider="市场监督管理局", provider_code="p1", state="published", **kw)  # type: ignore[arg-type]


def _codes(backend: SearchBackend, q: str) -> list[str]:
    return [h.code for h in backend.search(SearchQuery(q=q, size=10, facets=False)).hits]


def test_a_known_terms_parts_close_together_and_in_order_match_it(backend: SearchBackend) -> None:
    backend.index([
        _doc("A1", "企业设立登记信息"),           # 企业 .. 登记, two characters between: says 企业登记
        _doc("A2", "登记在册的企业名单"),          # both parts, the wrong way round
        _doc("A3", "企业年度报告和股权出质变更登记"),  # both parts, far apart
        _doc("A4", "个人所得税申报"),
    ])
    plan = backend.plan("企业登记")  # type: ignore[attr-defined]
    assert any(t.kind == NEAR for c in plan.clauses for t in c.terms), plan
    codes = _codes(backend, "企业登记")
    assert codes and codes[0] == "A1"
    assert "A4" not in codes


def test_a_near_match_ranks_above_a_synonym_match(backend: SearchBackend) -> None:
    backend.index([_doc("B1", "企业设立登记信息"), _doc("B2", "营业执照信息")])  # 营业执照: a synonym of 企业登记
    assert _codes(backend, "企业登记")[:2] == ["B1", "B2"]


def test_in_a_two_word_compound_the_topic_word_outranks_the_kind_word(backend: SearchBackend) -> None:
    # 水质监测: 水质 is the topic, 监测 the kind of thing. Alone, 监测 says less, even in a shorter name.
    backend.index([_doc("C1", "环境监测"), _doc("C2", "水质化验统计表"), _doc("C3", "饮用水水质监测断面表")])
    plan = backend.plan("水质监测")  # type: ignore[attr-defined]
    assert [(c.typed, c.head) for c in plan.clauses] == [("水质", False), ("监测", True)]
    assert _codes(backend, "水质监测") == ["C3", "C2", "C1"]


def test_a_longer_phrase_has_no_head_word(backend: SearchBackend) -> None:
    plan = backend.plan("药店可以用医保卡买药")  # type: ignore[attr-defined]
    assert not any(c.head for c in plan.clauses)


def test_of_two_equal_matches_the_synonym_in_the_name_breaks_the_tie(backend: SearchBackend) -> None:
    # 研发: typed in T1's keywords (6 × 1.0), its synonym 研究与试验发展 in T2's name (10 × 0.6): equal field-weighted
    # scores; the name holding one of the plan's terms comes first (not the code order).
    backend.index([_doc("T1", "科技项目名册", keywords=["研发"]), _doc("T2", "研究与试验发展名册")])
    assert _codes(backend, "研发") == ["T2", "T1"]
