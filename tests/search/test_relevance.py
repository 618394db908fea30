"""The relevance set: on both backends, each query's first hit is one of the resources that must come first."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from catalog.search.base import SearchBackend, SearchQuery
from catalog.search.documents import document_from_record
from catalog.records import iter_record_files, read_record_file
from tests.search.conftest import make_test_backend

HERE = Path(__file__).resolve().parent
SEED = HERE.parents[1] / "seed"
QUERIES = yaml.safe_load((HERE / "relevance.yaml").read_text(encoding="utf-8"))["queries"]


def seed_documents() -> list:
    return [document_from_record(read_record_file(p), state="published") for p in iter_record_files([SEED])]


@pytest.fixture(scope="module", params=["embedded", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def seeded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> SearchBackend:
    backend = make_test_backend(request.param, tmp_path_factory.mktemp("rel"))
    backend.index(seed_documents())
    yield backend
    if request.param == "elasticsearch":
        backend.drop()  # type: ignore[attr-defined]


def test_the_set_has_at_least_30_queries_over_existing_resources() -> None:
    codes = {d.code for d in seed_documents()}
    assert len(QUERIES) >= 30
    assert all(set(q["relevant"]) <= codes for q in QUERIES)


MIN_TOP1 = 0.85  # share of queries whose first hit must be relevant (bench/relevance.py prints nDCG@10)


def test_first_hit_is_relevant_for_most_queries(seeded: SearchBackend) -> None:
    misses = []
    for case in QUERIES:
        hits = [h.code for h in seeded.search(SearchQuery(q=str(case["q"]), size=10)).hits]
        if not hits or hits[0] not in case["relevant"]:
            misses.append(f"{case['q']}: {hits[:3]}")
    assert 1 - len(misses) / len(QUERIES) >= MIN_TOP1, misses


def test_every_relevant_resource_is_in_the_top_ten(seeded: SearchBackend) -> None:
    for case in QUERIES:
        hits = [h.code for h in seeded.search(SearchQuery(q=str(case["q"]), size=10)).hits]
        assert set(case["relevant"]) <= set(hits), f"{case['q']}: {hits}"
