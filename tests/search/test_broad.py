"""The embedded index's broad path (more text matches than `EXACT_LIMIT`): the page comes from short walks of the
shortest names (search_rank), count and facets from the first matches in rowid order (rowids are hashes of the codes:
a uniform sample), scaled up and marked as an estimate. Compared here with every match counted and ranked again on
the same index (the limits changed so a small index is broad)."""
from __future__ import annotations

from pathlib import Path

import pytest

import catalog.search.embedded_query as embedded_query
from catalog.search.base import SearchQuery, Visibility
from catalog.search.documents import SearchDocument
from catalog.search.embedded import EmbeddedBackend
from catalog.standards import load_standards

PROVIDERS = [("p1", "交通运输局"), ("p2", "卫生健康委员会"), ("p3", "民政局"), ("p4", "教育局")]


def _corpus() -> list[SearchDocument]:
    """Imported one department after another (rows of one department stay together, as real imports do); every
    entry mentions 公交 somewhere, one is named exactly 公交线路."""
    docs = []
    for p, (code, provider) in enumerate(PROVIDERS):
        for i in range(300):
            n = p * 300 + i
            docs.append(SearchDocument(
                code=f"D{n:05d}", name=f"{provider}第{i}号公交资料汇编" if i % 3 else f"{provider}资料{i}",
                abstract="涉及公交出行的资料。", provider=provider, provider_code=code,
                update_cycle=["每日", "每月", "每年"][i % 3], state="draft" if i % 10 == 0 else "published"))
    docs.append(SearchDocument(code="D99999", name="公交线路", provider="交通运输局", provider_code="p1"))
    return docs


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedBackend:
    b = EmbeddedBackend(path=Path(tmp_path_factory.mktemp("broad")) / "search.db", standards=load_standards())
    b.rebuild(_corpus())
    return b


def _both(backend: EmbeddedBackend, monkeypatch: pytest.MonkeyPatch, query: SearchQuery):  # noqa: ANN202
    """The query exact (every match counted, BM25 over all of them picks the window) and broad (counted from the
    first 400 matches in rowid order, the window from short walks of search_names and search_rank)."""
    with monkeypatch.context() as m:
        m.setattr(embedded_query, "EXACT_LIMIT", 100_000)
        m.setattr(embedded_query, "BM25_LIMIT", 100_000)
        exact = backend.search(query)
    with monkeypatch.context() as m:
        m.setattr(embedded_query, "EXACT_LIMIT", 400)
        m.setattr(embedded_query, "BM25_LIMIT", 50)
        m.setattr(embedded_query, "NAME_WINDOW", 20)
        m.setattr(embedded_query, "OTHER_WINDOW", 10)
        broad = backend.search(query)
    return exact, broad


def test_a_broad_query_ranks_as_the_exact_one_and_estimates_its_counts(backend: EmbeddedBackend,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    exact, broad = _both(backend, monkeypatch, SearchQuery(q="公交线路", visibility=Visibility()))
    assert not exact.estimated and broad.estimated
    assert exact.to_dict()["count_estimated"] is False and broad.to_dict()["count_estimated"] is True
    assert broad.hits[0].code == exact.hits[0].code == "D99999"
    assert {h.code for h in broad.hits} <= {d.code for d in _corpus() if d.state == "published"}
    assert abs(broad.count - exact.count) <= 0.15 * exact.count
    # every department is in the sample (the rows of the last one imported too), counts near the exact ones
    exact_providers = {f.value: f.count for f in exact.facets["provider_code"]}
    broad_providers = {f.value: f.count for f in broad.facets["provider_code"]}
    assert set(broad_providers) == set(exact_providers) == {code for code, _ in PROVIDERS}
    for code, n in exact_providers.items():
        assert abs(broad_providers[code] - n) <= 0.25 * n


def test_a_broad_query_keeps_filters_and_visibility(backend: EmbeddedBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    query = SearchQuery(q="公交", filters={"provider_code": ("p3",)}, visibility=Visibility())
    exact, broad = _both(backend, monkeypatch, query)
    assert broad.estimated and broad.hits
    assert {h.provider_code for h in broad.hits} == {"p3"}
    assert all(int(h.code[1:]) % 10 for h in broad.hits)  # no draft (every tenth entry)
    # disjunctive: the provider facet still lists the other departments
    assert {f.value for f in broad.facets["provider_code"]} == {f.value for f in exact.facets["provider_code"]}
    assert abs(broad.count - exact.count) <= 0.25 * exact.count
