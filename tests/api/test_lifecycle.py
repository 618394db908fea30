"""The new-user scenario end to end: create, update with If-Match, submit, publish, history, diff, audit."""
from __future__ import annotations

from tests.api.conftest import OWN, make_record

R = "/api/v1/resources"


def test_steward_to_publication(client, auth):
    steward, coordinator, auditor = auth("steward", OWN), auth("coordinator"), auth("auditor")

    created = client.post(R, json=make_record(1), headers=steward)
    assert created.status_code == 201, created.text
    code = created.json()["code"]
    assert code == "102001/000001"
    assert created.json()["state"] == "draft" and created.json()["version"] == 1
    assert created.headers["location"] == f"{R}/{code}"

    got = client.get(f"{R}/{code}", headers=steward)
    etag = got.headers["etag"]
    assert got.json()["record"]["code"] == code

    changed = {**got.json()["record"], "abstract": "全市企业设立、变更、注销登记的基本信息（修订）"}
    assert client.put(f"{R}/{code}", json=changed, headers=steward).status_code == 428
    updated = client.put(f"{R}/{code}", json=changed, headers={**steward, "If-Match": etag})
    assert updated.status_code == 200, updated.text
    assert updated.json()["version"] == 2 and updated.headers["etag"] != etag

    stale = client.put(f"{R}/{code}", json=changed, headers={**steward, "If-Match": etag})
    assert stale.status_code == 412 and stale.json()["error"] == "precondition_failed"

    assert client.post(f"{R}/{code}/submit", headers=steward).json()["state"] == "submitted"
    assert client.post(f"{R}/{code}/publish", headers=steward).status_code == 403
    published = client.post(f"{R}/{code}/publish", headers=coordinator)
    assert published.status_code == 200 and published.json()["state"] == "published"

    history = client.get(f"{R}/{code}/versions", headers=steward).json()
    assert [v["version"] for v in history["data"]] == [1, 2]
    v1 = client.get(f"{R}/{code}/versions/1", headers=steward).json()
    assert v1["record"]["abstract"].startswith("全市各类企业")
    diff = client.get(f"{R}/{code}/diff", params={"from": 1, "to": 2}, headers=steward).json()
    assert diff["changes"] == [{"op": "replace", "path": "/abstract", "old": v1["record"]["abstract"],
                                "new": changed["abstract"]}]

    log = client.get("/api/v1/audit-log", params={"resource_code": code}, headers=auditor).json()
    assert [e["action"] for e in reversed(log["data"])] == ["create", "update", "submit", "publish"]
    assert log["data"][0]["role"] == "coordinator" and log["data"][-1]["version_after"] == 1
    assert client.get("/api/v1/audit-log/verify", headers=auditor).json()["ok"] is True
    assert client.get("/api/v1/audit-log", headers=steward).status_code == 403


def test_reject_needs_reason_and_returns_to_draft(client, auth):
    steward, coordinator = auth("steward", OWN), auth("coordinator")
    code = client.post(R, json=make_record(2), headers=steward).json()["code"]
    client.post(f"{R}/{code}/submit", headers=steward)
    no_reason = client.post(f"{R}/{code}/reject", headers=coordinator)
    assert no_reason.status_code == 400 and no_reason.json()["findings"][0]["path"] == "/reason"
    rejected = client.post(f"{R}/{code}/reject", json={"reason": "共享条件未写明依据"}, headers=coordinator)
    assert rejected.json()["state"] == "draft" and rejected.json()["reject_reason"] == "共享条件未写明依据"
    assert client.post(f"{R}/{code}/publish", headers=coordinator).status_code == 409


def test_withdrawn_resource_can_be_revised(client, auth):
    steward, coordinator = auth("steward", OWN), auth("coordinator")
    code = client.post(R, json=make_record(3), headers=steward).json()["code"]
    client.post(f"{R}/{code}/submit", headers=steward)
    client.post(f"{R}/{code}/publish", headers=coordinator)
    published = client.get(f"{R}/{code}", headers=steward)
    edit = client.put(f"{R}/{code}", json=published.json()["record"],
                      headers={**steward, "If-Match": published.headers["etag"]})
    assert edit.status_code == 409 and edit.json()["state"] == "published"
    withdrawn = client.post(f"{R}/{code}/withdraw", headers=steward)
    assert withdrawn.json()["state"] == "withdrawn"
    again = client.put(f"{R}/{code}", json=published.json()["record"],
                       headers={**steward, "If-Match": withdrawn.headers["etag"]})
    assert again.status_code == 200 and again.json()["state"] == "draft"


def test_code_and_provider_never_change(client, auth):
    steward = auth("steward", OWN)
    created = client.post(R, json=make_record(4), headers=steward)
    code, etag = created.json()["code"], created.headers["etag"]
    moved = {**created.json()["record"], "code": "102001/000999", "classification": "102002"}
    answer = client.put(f"{R}/{code}", json=moved, headers={**steward, "If-Match": etag})
    assert answer.status_code == 422
    paths = {f["path"] for f in answer.json()["findings"] if f["rule"] == "field.immutable"}
    assert paths == {"/code", "/classification"}
    assert client.get(f"{R}/{code}", headers=steward).json()["version"] == 1


def test_list_filters_and_visibility(client, auth):
    steward, other, developer = auth("steward", OWN), auth("steward", "330782102"), auth("developer")
    coordinator = auth("coordinator")
    codes = [client.post(R, json=make_record(i), headers=steward).json()["code"] for i in range(3)]
    client.post(f"{R}/{codes[0]}/submit", headers=steward)
    client.post(f"{R}/{codes[0]}/publish", headers=coordinator)

    mine = client.get(R, headers=steward).json()
    assert mine["count"] == 3
    assert client.get(R, params={"state": "draft"}, headers=steward).json()["count"] == 2
    assert client.get(R, params={"classification": "1"}, headers=steward).json()["count"] == 3
    assert client.get(R, params={"classification": "2"}, headers=steward).json()["count"] == 0
    assert client.get(R, params={"q": "基本信息1"}, headers=steward).json()["count"] == 1
    page = client.get(R, params={"limit": 2, "offset": 2}, headers=steward).json()
    assert page["count"] == 3 and len(page["data"]) == 1
    assert [r["code"] for r in client.get(R, headers=developer).json()["data"]] == [codes[0]]
    assert [r["code"] for r in client.get(R, headers=other).json()["data"]] == [codes[0]]
    assert client.get(f"{R}/{codes[1]}", headers=other).status_code == 404
    assert client.get(f"{R}/{codes[1]}", headers=developer).status_code == 404
    assert client.get(f"{R}/{codes[1]}", headers=auth("auditor")).status_code == 200
