"""GET /api/v1/search and /search/suggest over the real app and the seed catalogue, on both backends."""
from __future__ import annotations

import secrets
from pathlib import Path
from typing import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from catalog.auth import SYSTEM, create_token
from catalog.db import open_database
from catalog.registry import create_resource
from catalog.search.outbox import apply_outbox
from catalog.seeding import seed_catalogue
from catalog.settings import Settings
from tests.search.conftest import elasticsearch_url
from tests.search.corpus import CIVIL, MARKET, record

SEED = Path(__file__).resolve().parents[2] / "seed"


@pytest.fixture(scope="module", params=["embedded", pytest.param("elasticsearch", marks=pytest.mark.elasticsearch)])
def client(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, dict]]:
    data = tmp_path_factory.mktemp(request.param)
    es = ""
    if request.param == "elasticsearch":
        es = elasticsearch_url() or ""
        if not es:
            pytest.skip("no Elasticsearch-compatible server (MULU_TEST_ELASTICSEARCH_URL)")
    settings = Settings(data_dir=data, elasticsearch_url=es, elasticsearch_index=f"mulu-test-{secrets.token_hex(4)}")
    db = open_database(settings)
    app = create_app(settings, db=db)
    result = seed_catalogue(db=db, directory=SEED)
    assert not result.failed and result.loaded
    draft = record("305004330782105/000099", "社会组织年检草稿", provider="义乌市民政局", provider_code=CIVIL,
                   abstract="社会组织年度检查结果（草稿）。", items=[("年检结论", "inspection_result")])
    tokens = {}
    with db.transaction() as session:
        create_resource(session=session, actor=SYSTEM, record=draft, allow_code=True)
        for role, dept in (("developer", None), ("auditor", None), ("steward", CIVIL), ("steward", MARKET)):
            secret, _ = create_token(session=session, role=role, department_code=dept)
            tokens[f"{role}{'-' + dept if dept else ''}"] = {"Authorization": f"Bearer {secret}"}
    apply_outbox(db=db, backend=app.state.catalog.search)  # with Elasticsearch the worker indexes after the commit
    with TestClient(app) as c:
        yield c, tokens
    if es:
        app.state.catalog.search.primary.drop()  # type: ignore[attr-defined]


def test_search_answers_data_count_facets(client: tuple[TestClient, dict]) -> None:
    c, tokens = client
    r = c.get("/api/v1/search", params={"q": "统一社会信用代码"}, headers=tokens["developer"])
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["degraded"] is False and body["count"] >= 5
    assert set(body) >= {"data", "count", "facets", "degraded"}
    first = body["data"][0]
    assert set(first) >= {"code", "name", "provider", "provider_code", "classification", "highlight"}
    assert set(body["facets"]) >= {"provider_code", "share_type", "format_category", "update_cycle",
                                   "open_to_public", "state", "classification_class", "classification_item"}
    assert all({"value", "label", "count"} <= set(v) for v in body["facets"]["provider_code"])
    assert sum(v["count"] for v in body["facets"]["state"]) == body["count"]


def test_filter_parameters_narrow(client: tuple[TestClient, dict]) -> None:
    c, tokens = client
    r = c.get("/api/v1/search", params={"q": "统一社会信用代码", "provider_code": MARKET}, headers=tokens["developer"])
    data = r.json()["data"]
    assert data and all(d["provider_code"] == MARKET for d in data)
    r = c.get("/api/v1/search", params={"classification": "1", "size": 100}, headers=tokens["developer"])
    assert r.json()["data"] and all(d["classification"].startswith("1") for d in r.json()["data"])


def test_old_department_name_through_the_api(client: tuple[TestClient, dict]) -> None:
    c, tokens = client
    data = c.get("/api/v1/search", params={"q": "工商"}, headers=tokens["developer"]).json()["data"]
    assert data and data[0]["provider_code"] == MARKET


def test_drafts_by_role(client: tuple[TestClient, dict]) -> None:
    c, tokens = client
    q = {"q": "社会组织年检草稿"}
    seen = {who: [d["code"] for d in c.get("/api/v1/search", params=q, headers=h).json()["data"]]
            for who, h in tokens.items()}
    draft = "305004330782105/000099"
    assert draft in seen["auditor"] and draft in seen[f"steward-{CIVIL}"]
    assert draft not in seen["developer"] and draft not in seen[f"steward-{MARKET}"]


def test_suggest(client: tuple[TestClient, dict]) -> None:
    c, tokens = client
    r = c.get("/api/v1/search/suggest", params={"q": "企业"}, headers=tokens["developer"])
    assert r.status_code == 200 and all(n.startswith("企业") or "企业" in n for n in r.json()["data"])
    assert r.json()["count"] >= 1


@pytest.mark.parametrize("params, field", [
    ({"size": 0}, "size"), ({"page": 0}, "page"), ({"sort": "name"}, "sort"),
    ({"open_to_public": "maybe"}, "open_to_public"), ({"page": 200, "size": 100}, "page"),
])
def test_bad_parameters_are_named(client: tuple[TestClient, dict], params: dict, field: str) -> None:
    c, tokens = client
    r = c.get("/api/v1/search", params=params, headers=tokens["developer"])
    assert r.status_code in (400, 422)
    body = r.json()
    assert body["error"] and any(field in f["path"] for f in body["findings"])


def test_needs_a_token(client: tuple[TestClient, dict]) -> None:
    c, _ = client
    assert c.get("/api/v1/search", params={"q": "企业"}).status_code == 401


def test_an_empty_result_offers_did_you_mean(client: tuple[TestClient, dict]) -> None:
    c, tokens = client
    body = c.get("/api/v1/search", params={"q": "低宝"}, headers=tokens["developer"]).json()
    assert body["count"] == 0 and "低保" in body["did_you_mean"]
    found = c.get("/api/v1/search", params={"q": body["did_you_mean"][0]}, headers=tokens["developer"]).json()
    assert found["count"] > 0 and found["did_you_mean"] == []


def test_a_short_page_answers_nearby_resources_that_respect_visibility(client: tuple[TestClient, dict]) -> None:
    c, tokens = client
    draft = "305004330782105/000099"
    body = c.get("/api/v1/search", params={"q": "检疫结论", "size": 20}, headers=tokens["developer"]).json()
    codes, near = [h["code"] for h in body["data"]], [h["code"] for h in body["nearby"]]
    assert 0 < len(codes) < 20 and body["count"] == len(codes)  # a short page: the count is the hits' alone
    assert near and not set(near) & set(codes) and len(codes) + len(near) <= 20
    assert set(body["nearby"][0]) == set(body["data"][0])  # the same shape as a hit
    assert draft not in codes + near and {h["state"] for h in body["nearby"]} == {"published"}
    steward = c.get("/api/v1/search", params={"q": "检疫结论", "size": 20}, headers=tokens[f"steward-{CIVIL}"]).json()
    assert draft in [h["code"] for h in steward["data"] + steward["nearby"]]  # its own department's draft
    full = c.get("/api/v1/search", params={"q": "检疫结论", "size": len(codes)}, headers=tokens["developer"]).json()
    assert full["nearby"] == [] and [h["code"] for h in full["data"]] == codes  # a full page: no nearby
