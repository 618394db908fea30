"""Over HTTP as a new user on the seeded 义乌市 catalogue: the joint-registration chain, arbitration, overdue."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from catalog.auth import create_token
from catalog.seeding import default_seed_dir, seed_catalogue
from catalog.settings import Settings
from catalog.sharing.clock import FixedClock
from tests.sharing.conftest import MARKET, POLICE, START, TAX

HEALTH = "330782106"
REGISTRATION = ["unified_social_credit_code", "enterprise_name", "enterprise_type", "legal_representative_name",
                "establishment_date", "domicile_address", "citizen_id_number"]


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, FixedClock, Any]]:
    settings = Settings(data_dir=tmp_path_factory.mktemp("sharing-api"))
    app = create_app(settings)
    result = seed_catalogue(db=app.state.db, directory=default_seed_dir(settings))
    assert result.loaded and not result.failed, result.failed
    clock = FixedClock(START)
    app.state.catalog.clock = clock

    def token(role: str, department: str | None = None) -> dict[str, str]:
        with app.state.db.transaction() as session:
            secret, _ = create_token(session=session, role=role, department_code=department)
        return {"Authorization": f"Bearer {secret}"}

    with TestClient(app) as client:
        yield client, clock, token
    app.state.db.dispose()


def find(client: TestClient, headers: dict[str, str], name: str, provider: str) -> str:
    res = client.get("/api/v1/resources", params={"q": name, "provider_code": provider}, headers=headers)
    assert res.status_code == 200, res.text
    [row] = [r for r in res.json()["data"] if r["name"] == name]
    return str(row["code"])


def test_joint_registration_chain_tax_asks_market(env: Any) -> None:
    client, clock, token = env
    tax, market = token("steward", TAX), token("steward", MARKET)
    code = find(client, tax, "企业设立登记信息", MARKET)
    res = client.post("/api/v1/share-requests", headers=tax, json={
        "resource_code": code, "purpose": "新设企业办理税务登记 (多证合一, 联合登记)",
        "basis": "《中华人民共和国税收征收管理法》第十五条", "items": REGISTRATION, "period_days": 365})
    assert res.status_code == 201, res.text
    req = res.json()
    assert (req["status"], req["share_type"], req["due_on"]) == ("pending", "有条件共享", "2025-10-21")
    assert res.headers["location"] == f"/api/v1/share-requests/{req['id']}"

    # the requester cannot decide its own request; the error body is the one shape
    denied = client.post(f"/api/v1/share-requests/{req['id']}/approve", headers=tax, json={})
    assert denied.status_code == 403 and denied.json()["error"] == "forbidden" and denied.json()["findings"] == []

    clock.set(START + timedelta(days=10))  # Fri 10 Oct 2025
    subset = ["unified_social_credit_code", "enterprise_name", "enterprise_type", "legal_representative_name",
              "establishment_date", "domicile_address"]  # no citizen ID number: 最小必要
    res = client.post(f"/api/v1/share-requests/{req['id']}/approve", headers=market,
                      json={"items": subset, "period_days": 180, "note": "公民身份号码不予提供 (个人信息最小必要)"})
    assert res.status_code == 200, res.text
    done = res.json()
    assert (done["status"], done["approved_items"], done["answer_working_days"]) == ("approved", subset, 2)

    grants = client.get("/api/v1/grants", headers=token("developer", TAX),
                        params={"department_code": TAX, "side": "requester"}).json()
    assert grants["count"] == 1 and grants["data"][0]["items"] == subset
    assert grants["data"][0]["valid_until"] == "2026-04-07" and grants["data"][0]["status"] == "active"
    clock.set(START)


def test_refused_request_is_escalated_and_arbitrated(env: Any) -> None:
    client, _, token = env
    tax, coordinator = token("developer", TAX), token("coordinator")
    code = find(client, tax, "法定传染病报告信息", HEALTH)
    req = client.post("/api/v1/share-requests", headers=tax, json={
        "resource_code": code, "purpose": "核查纳税人身份", "basis": "业务需要", "period_days": 30}).json()
    assert req["status"] == "refused" and "传染病防治法" in req["reason"]
    res = client.post(f"/api/v1/share-requests/{req['id']}/escalate", headers=tax, json={"reason": "请求协调"})
    assert res.status_code == 200 and res.json()["status"] == "escalated"
    not_coordinator = client.post(f"/api/v1/share-requests/{req['id']}/arbitrate", headers=token("steward", HEALTH),
                                  json={"outcome": "grant", "reason": "x"})
    assert not_coordinator.status_code == 403
    res = client.post(f"/api/v1/share-requests/{req['id']}/arbitrate", headers=coordinator,
                      json={"outcome": "uphold", "reason": "涉及个人隐私, 依法不予共享"})
    assert res.status_code == 200 and res.json()["arbitration_outcome"] == "upheld"
    again = client.post(f"/api/v1/share-requests/{req['id']}/escalate", headers=tax, json={"reason": "再议"})
    assert again.status_code == 409 and again.json()["error"] == "conflict"


def test_overdue_request_shows_as_overdue(env: Any) -> None:
    client, clock, token = env
    police, market, coordinator = token("steward", POLICE), token("steward", MARKET), token("coordinator")
    code = find(client, police, "企业设立登记信息", MARKET)
    req = client.post("/api/v1/share-requests", headers=police, json={
        "resource_code": code, "purpose": "印章刻制备案", "basis": "《印铸刻字业暨印章治安管理办法》",
        "items": ["unified_social_credit_code", "enterprise_name"], "period_days": 90}).json()
    clock.set(START + timedelta(days=22))  # 22 Oct 2025: past the due date 21 Oct
    try:
        for who in (police, market, coordinator):
            listed = client.get("/api/v1/share-requests", headers=who, params={"overdue": "true"}).json()
            assert [r["id"] for r in listed["data"]] == [req["id"]] and listed["data"][0]["overdue"] is True
        assert client.get("/api/v1/share-requests", headers=token("steward", TAX),
                          params={"overdue": "true"}).json()["count"] == 0
        stats = client.get("/api/v1/stats", headers=coordinator, params={"department_code": MARKET}).json()
        assert stats["departments"][0]["requests"]["overdue"] == 1
        assert stats["departments"][0]["resources"]["total"] > 0
    finally:
        clock.set(START)


def test_feedback_over_http(env: Any) -> None:
    client, _, token = env
    tax, market = token("steward", TAX), token("steward", MARKET)
    code = find(client, tax, "企业设立登记信息", MARKET)
    res = client.post("/api/v1/feedback", headers=tax, json={
        "resource_code": code, "item": "domicile_address", "description": "住所与最新变更登记不一致"})
    assert res.status_code == 201 and res.json()["due_on"] == "2025-10-14"
    answered = client.post(f"/api/v1/feedback/{res.json()['id']}/answer", headers=market,
                           json={"outcome": "corrected", "answer": "已同步变更登记"})
    assert answered.status_code == 200 and answered.json()["status"] == "corrected"


@pytest.mark.parametrize(("method", "path", "body", "status", "pointer"), [
    ("post", "/api/v1/share-requests", {"purpose": "x", "basis": "y", "period_days": 1}, 422, "/resource_code"),
    ("post", "/api/v1/share-requests", {"resource_code": "301001330782101/000001", "purpose": "x", "basis": "y",
                                        "items": ["no_such_item"], "period_days": 30}, 400, "/items/0"),
    ("post", "/api/v1/share-requests", {"resource_code": "999999/000001", "purpose": "x", "basis": "y",
                                        "period_days": 30}, 404, None),
    ("get", "/api/v1/share-requests/999", None, 404, None),
    ("post", "/api/v1/grants/999/revoke", {"reason": "x"}, 404, None),
    ("get", "/api/v1/share-requests?status=granted", None, 400, "/status"),
    ("post", "/api/v1/feedback/1/answer", {"outcome": "fixed", "answer": "x"}, 422, "/outcome"),
])
def test_bad_requests_get_one_error_body(env: Any, method: str, path: str, body: Any, status: int,
                                         pointer: str | None) -> None:
    client, _, token = env
    res = getattr(client, method)(path, headers=token("steward", HEALTH),
                                  **({"json": body} if body is not None else {}))
    assert res.status_code == status, res.text
    data = res.json()
    assert set(data) >= {"error", "message", "findings"}
    if pointer:
        assert data["findings"][0]["path"] == pointer


def test_a_token_is_required(env: Any) -> None:
    client, _, _ = env
    assert client.get("/api/v1/share-requests").status_code == 401
    assert client.get("/api/v1/stats").status_code == 401
