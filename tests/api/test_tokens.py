"""/tokens: admin lists and revokes tokens; a revoked token gets 401 at once; no secret or hash ever shown."""
from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from catalog.auth import actor_for_token, create_token, hash_token
from catalog.models import AuditEntry, Token, utcnow


def _token(client: TestClient, role: str, department: str | None = None, name: str | None = None) -> tuple[str, int]:
    with client.app_db.transaction() as session:  # type: ignore[attr-defined]
        secret, row = create_token(session=session, role=role, department_code=department, name=name)
        return secret, row.id


def _bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def test_admin_lists_tokens_without_secret_or_hash(client: TestClient) -> None:
    admin, _ = _token(client, "admin", name="管理员")
    steward, steward_id = _token(client, "steward", "330782101")
    r = client.get("/api/v1/tokens", headers=_bearer(admin))
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["count"] == 2
    row = next(t for t in body["data"] if t["id"] == steward_id)
    assert row == {**row, "name": "steward-330782101", "role": "steward", "department_code": "330782101",
                   "revoked": False, "revoked_at": None}
    assert row["created_at"]
    assert admin not in r.text and steward not in r.text
    assert hash_token(admin) not in r.text and hash_token(steward) not in r.text and "hash" not in r.text


@pytest.mark.parametrize("role, department", [("steward", "330782101"), ("developer", None), ("auditor", None),
                                              ("coordinator", None)])
def test_only_admin_may_list_or_revoke(client: TestClient, role: str, department: str | None) -> None:
    secret, _ = _token(client, role, department)
    _, victim = _token(client, "developer")
    assert client.get("/api/v1/tokens", headers=_bearer(secret)).status_code == 403
    r = client.delete(f"/api/v1/tokens/{victim}", headers=_bearer(secret))
    assert r.status_code == 403 and r.json()["error"] == "forbidden"
    assert client.get("/api/v1/tokens").status_code == 401


def test_revoked_token_gets_401_at_once_and_the_revocation_is_audited(client: TestClient) -> None:
    admin, _ = _token(client, "admin")
    dev, dev_id = _token(client, "developer", name="对接开发者")
    assert client.get("/api/v1/resources", headers=_bearer(dev)).status_code == 200  # now cached in process
    r = client.delete(f"/api/v1/tokens/{dev_id}", headers=_bearer(admin))
    assert r.status_code == 200, r.text
    assert r.json()["revoked"] is True and r.json()["revoked_at"]
    assert dev not in r.text and hash_token(dev) not in r.text
    after = client.get("/api/v1/resources", headers=_bearer(dev))
    assert after.status_code == 401 and after.json()["error"] == "unauthenticated"
    # listed as revoked; revoking again is a clear 409; an unknown id a 404; a huge one a 422 naming it
    listed = {t["id"]: t for t in client.get("/api/v1/tokens", headers=_bearer(admin)).json()["data"]}
    assert listed[dev_id]["revoked"] is True
    again = client.delete(f"/api/v1/tokens/{dev_id}", headers=_bearer(admin))
    assert again.status_code == 409 and "已" in again.json()["message"]
    assert client.delete("/api/v1/tokens/99999", headers=_bearer(admin)).status_code == 404
    assert client.delete(f"/api/v1/tokens/{2**70}", headers=_bearer(admin)).status_code == 422
    with client.app_db.session() as session:  # type: ignore[attr-defined]
        [entry] = session.execute(select(AuditEntry).where(AuditEntry.action == "revoke_token")).scalars().all()
        assert entry.role == "admin" and entry.detail["token_id"] == dev_id and entry.detail["name"] == "对接开发者"
    verify = client.get("/api/v1/audit-log/verify", headers=_bearer(admin)).json()
    assert verify["ok"] is True


def test_a_change_made_by_another_process_holds_at_once(client: TestClient) -> None:
    """No token cache: a revocation or role change written behind this app's back (`mulu token revoke` in
    another process) is seen by the very next request."""
    db: Any = client.app_db  # type: ignore[attr-defined]
    dev, dev_id = _token(client, "developer")
    assert client.get("/api/v1/resources", headers=_bearer(dev)).status_code == 200
    with db.transaction() as session:  # as another process would write it
        session.get(Token, dev_id).role = "auditor"
    with db.session() as session:
        assert actor_for_token(session=session, token=dev).role == "auditor"
    with db.transaction() as session:
        session.get(Token, dev_id).revoked_at = utcnow()
    assert client.get("/api/v1/resources", headers=_bearer(dev)).status_code == 401
