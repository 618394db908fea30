"""The doors: /api/v1/notifications (inbox, unread count, read marks, subscriptions) and /api/v1/webhooks,
on the real app; the app's own background sender delivers to a real HTTP receiver after commit."""
from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from catalog.auth import create_token
from catalog.seeding import load_departments
from catalog.settings import Settings
from tests.notify.receivers import HttpReceiver
from tests.sharing.conftest import CONDITIONAL, MARKET, TAX, UNCONDITIONAL, publish


@pytest.fixture
def api(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TestClient, dict[str, dict[str, str]], dict[str, str]]]:
    monkeypatch.setenv("MULU_NOTIFY_WEBHOOK_ALLOW", "127.0.0.1/32")  # the test receivers listen there
    app = create_app(Settings(data_dir=tmp_path / "data"))
    db = app.state.db
    load_departments(db=db)
    unconditional, conditional = publish(db, [UNCONDITIONAL, CONDITIONAL])
    heads: dict[str, dict[str, str]] = {}
    with db.transaction() as session:
        for short, role, dept in (("MS", "steward", MARKET), ("MD", "developer", MARKET), ("TS", "steward", TAX),
                                  ("TD", "developer", TAX)):
            secret, _ = create_token(session=session, role=role, department_code=dept, name=f"{short} 用户")
            heads[short] = {"Authorization": f"Bearer {secret}"}
    with TestClient(app) as client:
        yield client, heads, {"unconditional": unconditional, "conditional": conditional}
    db.dispose()


def ask(client: TestClient, heads: dict[str, str], code: str) -> dict[str, Any]:
    r = client.post("/api/v1/share-requests", headers=heads, json={
        "resource_code": code, "purpose": "税务登记核验", "basis": "业务需要", "period_days": 30})
    assert r.status_code == 201, r.text
    return r.json()


def test_inbox_unread_count_and_read_marks(api: Any) -> None:
    client, heads, codes = api
    ask(client, heads["TS"], codes["conditional"])
    ask(client, heads["TS"], codes["unconditional"])
    body = client.get("/api/v1/notifications", headers=heads["MS"]).json()
    assert body["count"] == body["unread"] == 2
    assert {n["kind"] for n in body["data"]} == {"share_request.created"}
    assert client.get("/api/v1/notifications", headers=heads["MD"]).json()["count"] == 0
    assert client.get("/api/v1/notifications/unread-count", headers=heads["TD"]).json() == {"unread": 1}
    first = body["data"][0]["id"]
    assert client.post(f"/api/v1/notifications/{first}/read", headers=heads["TS"]).status_code == 404  # not hers
    r = client.post(f"/api/v1/notifications/{first}/read", headers=heads["MS"])
    assert r.status_code == 200 and r.json()["read"] is True
    assert client.get("/api/v1/notifications/unread-count", headers=heads["MS"]).json() == {"unread": 1}
    assert client.get("/api/v1/notifications?unread=true", headers=heads["MS"]).json()["count"] == 1
    assert client.post("/api/v1/notifications/read-all", headers=heads["MS"]).json() == {"marked": 1}
    assert client.get("/api/v1/notifications/unread-count", headers=heads["MS"]).json() == {"unread": 0}
    assert client.get("/api/v1/notifications").status_code == 401


def test_subscriptions_for_people_and_departments(api: Any) -> None:
    client, heads, codes = api
    r = client.put("/api/v1/notifications/subscriptions", headers=heads["MS"], json={
        "department_code": MARKET, "rules": [{"kind": "share_request.created", "channel": "inbox", "enabled": True}]})
    assert r.status_code == 200 and r.json()["scope"] == "department"
    r = client.put("/api/v1/notifications/subscriptions", headers=heads["MD"], json={
        "department_code": MARKET, "rules": []})
    assert r.status_code == 403
    r = client.put("/api/v1/notifications/subscriptions", headers=heads["MD"], json={
        "rules": [{"kind": "no.such", "enabled": True}]})
    assert r.status_code == 400 and r.json()["findings"][0]["path"] == "/rules/0/kind"
    r = client.put("/api/v1/notifications/subscriptions", headers=heads["MD"], json={"email": "not an address"})
    assert r.status_code == 400
    r = client.put("/api/v1/notifications/subscriptions", headers=heads["MD"], json={"email": "md@gov.example.cn"})
    assert r.json()["email"] == "md@gov.example.cn"
    ask(client, heads["TS"], codes["conditional"])
    assert client.get("/api/v1/notifications/unread-count", headers=heads["MD"]).json() == {"unread": 1}
    kinds = client.get("/api/v1/notifications/kinds").json()
    assert kinds["count"] >= 19


def test_webhooks_are_sent_after_commit_by_the_app(api: Any) -> None:
    client, heads, codes = api
    receiver = HttpReceiver().start()
    try:
        r = client.post("/api/v1/webhooks", headers=heads["MS"], json={"url": receiver.url})
        assert r.status_code == 201 and r.json()["secret"].startswith("whsec_")
        hook = r.json()
        assert client.post("/api/v1/webhooks", headers=heads["MD"], json={"url": receiver.url}).status_code == 403
        assert client.post("/api/v1/webhooks", headers=heads["MS"], json={"url": "ftp://x"}).status_code == 400
        inside = client.post("/api/v1/webhooks", headers=heads["MS"], json={"url": "http://169.254.169.254/x"})
        assert inside.status_code == 400 and inside.json()["findings"][0]["path"] == "/url"
        ask(client, heads["TS"], codes["conditional"])
        deadline = time.monotonic() + 15
        while not receiver.received and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(receiver.received) == 1
        log = client.get(f"/api/v1/webhooks/{hook['id']}/deliveries", headers=heads["MS"]).json()
        assert log["count"] == 1 and log["data"][0]["status"] in ("delivered", "sending")
        assert client.get(f"/api/v1/webhooks/{hook['id']}", headers=heads["TS"]).status_code == 404
        assert client.post(f"/api/v1/webhooks/{hook['id']}/enable", headers=heads["MS"]).status_code == 409
        assert [h["id"] for h in client.get("/api/v1/webhooks", headers=heads["MS"]).json()["data"]] == [hook["id"]]
        assert client.delete(f"/api/v1/webhooks/{hook['id']}", headers=heads["MS"]).status_code == 204
    finally:
        receiver.stop()
