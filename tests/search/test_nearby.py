"""相近的资源 on both backends: a short first page also carries the relaxed plan's partial matches, after the hits and
apart from them. Hits, count and facets stay the plan's own; visibility and filters apply to the nearby list too."""
from __future__ import annotations

from catalog.search.base import SearchBackend, SearchQuery, SearchResult, Visibility
from catalog.search.documents import SearchDocument


def _doc(code: str, name: str, *, provider_code: str = "p1", state: str = "published") -> SearchDocument:
    return SearchDocument(code=code, name=name, provider=f"部门{provider_code}", provider_code=provider_code,
                          state=state, share_type="有条件共享")


DOCS = [
    _doc("H1", "建设项目环评审批结果"),  # the word typed: a hit
    _doc("N1", "环境影响报告表备案"),  # 环 of 环评 only: nearby
    _doc("N2", "建设项目评审专家名单", provider_code="p3"),  # 评 of 环评 only, another department: nearby
    _doc("D1", "环境影响登记表（草稿）", provider_code="p2", state="draft"),  # would be nearby, but a draft
    _doc("X1", "个人所得税申报"),  # nothing of it
]


def _search(backend: SearchBackend, **kw: object) -> SearchResult:
    return backend.search(SearchQuery(q="环评", **kw))  # type: ignore[arg-type]


def _codes(hits: list) -> list[str]:
    return [h.code for h in hits]


def test_a_short_first_page_carries_nearby_resources_apart_from_its_hits(backend: SearchBackend) -> None:
    backend.index(DOCS)
    result = _search(backend, size=10)
    assert _codes(result.hits) == ["H1"] and result.count == 1  # hits and count: the plan's own
    assert {v.value: v.count for v in result.facets["provider_code"]} == {"p1": 1}  # facets too
    assert set(_codes(result.nearby)) == {"N1", "N2"}  # the characters' matches, never the hit itself
    assert all(h.state == "published" for h in result.nearby)
    assert result.to_dict()["nearby"][0]["code"] in {"N1", "N2"}


def test_nearby_fills_only_what_the_page_has_room_for(backend: SearchBackend) -> None:
    backend.index(DOCS)
    assert len(_search(backend, size=2).nearby) == 1  # size - hits
    assert _search(backend, size=1).nearby == []  # a full page
    assert _search(backend, size=3).nearby != []
    assert _search(backend, size=1, page=2).nearby == []  # the first page only
    assert _search(backend, size=10, sort="date").nearby == []  # ranked by relevance only
    assert backend.search(SearchQuery(q="不存在的词语", size=10)).nearby == []  # nothing found: did-you-mean answers


def test_a_draft_never_reaches_the_nearby_list_of_a_caller_who_cannot_see_it(backend: SearchBackend) -> None:
    backend.index(DOCS)
    assert "D1" not in _codes(_search(backend, size=10).nearby)  # published only
    assert "D1" not in _codes(_search(backend, size=10, visibility=Visibility(own_department="p1")).nearby)
    own = _search(backend, size=10, visibility=Visibility(own_department="p2"))  # its department sees its drafts
    assert "D1" in _codes(own.nearby) and own.count == 1


def test_a_filter_applies_to_the_nearby_list(backend: SearchBackend) -> None:
    backend.index(DOCS)
    everyone = _search(backend, size=10)
    filtered = _search(backend, size=10, filters={"provider_code": ("p1",)})
    assert "N2" in _codes(everyone.nearby)
    assert _codes(filtered.nearby) == ["N1"]
    assert _codes(filtered.hits) == ["H1"] and filtered.count == 1
