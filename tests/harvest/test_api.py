"""The API doors of the lossless import: a run over HTTP, import runs, staged records fixed and submitted
by their department's steward (and hidden from others), and the bulk lifecycle with a result per record."""
from __future__ import annotations

import json


from tests.harvest.conftest import MAPPINGS


def portal_entries(samples, file: str = "anhui_huainan.json") -> bytes:
    """The real entries of one portal (the whole corpus is over the API's 2 MB body limit)."""
    doc = json.loads((samples / "cn-open-data" / "entries.json").read_bytes())
    return json.dumps({"entries": [e for e in doc["entries"] if e["source"].endswith(file)]},
                      ensure_ascii=False).encode()


def start_run(client, auth, samples, portal: str = "huainan"):
    data = portal_entries(samples)
    files = {"file": ("entries.json", data, "application/json"),
             "mapping": (f"{portal}.yaml", (MAPPINGS / f"{portal}.yaml").read_bytes(), "application/yaml")}
    return client.post("/api/v1/import-runs", files=files, data={"format": "mapped"}, headers=auth("coordinator"))


def test_run_over_http_then_a_steward_fixes_and_submits_a_staged_record(client, auth, samples):
    response = start_run(client, auth, samples)
    assert response.status_code == 200, response.json()
    report = response.json()
    assert report["read"] == report["created"] + report["updated"] + report["staged"] + report["duplicates"]
    runs = client.get("/api/v1/import-runs", headers=auth("auditor")).json()["data"]
    assert runs[0]["id"] == report["run_id"] and runs[0]["counts"]["staged"] == report["staged"]
    detail = client.get(f"/api/v1/import-runs/{report['run_id']}", headers=auth("auditor")).json()
    assert detail["report"]["staged"] == report["staged"]

    first = report["staged_records"][0]
    department = first["provider_code"]
    steward = auth("steward", department)
    mine = client.get("/api/v1/staged", headers=steward).json()
    assert mine["count"] == sum(1 for s in report["staged_records"] if s["provider_code"] == department)
    other = auth("steward", "330782101")
    assert client.get("/api/v1/staged", headers=other).json()["count"] == 0
    assert client.get(f"/api/v1/staged/{first['staged_id']}", headers=other).status_code == 404

    staged = client.get(f"/api/v1/staged/{first['staged_id']}", headers=steward).json()
    assert {f["path"] for f in staged["findings"] if f["severity"] == "error"} >= {"/abstract"}
    refused = client.post(f"/api/v1/staged/{first['staged_id']}/submit", headers=steward)
    assert refused.status_code == 422
    record = dict(staged["record"], abstract=f"{staged['record']['name']}：淮南市公开数据。",
                  update_cycle="每年", format={"category": "电子文件", "type": "pdf"},
                  share={**staged["record"].get("share", {}), "method": {"category": "共享平台", "type": "文件"}})
    record["share"].pop("condition", None)
    record["share"]["type"] = "无条件共享"
    fixed = client.put(f"/api/v1/staged/{first['staged_id']}", json=record, headers=steward).json()
    assert not [f for f in fixed["findings"] if f["severity"] == "error"], fixed["findings"]
    submitted = client.post(f"/api/v1/staged/{first['staged_id']}/submit", headers=steward)
    assert submitted.status_code == 200, submitted.json()
    code = submitted.json()["resource_code"]
    assert client.get(f"/api/v1/resources/{code}", headers=steward).json()["state"] == "submitted"
    # the same source again: the fixed entry is now linked, not staged a second time
    again = start_run(client, auth, samples).json()
    assert again["staged"] == report["staged"] - 1
    assert [d["reason"] for d in again["duplicate_records"] if d["duplicate_of"] == code] == ["unchanged"]


def test_only_coordinators_start_runs(client, auth, samples):
    data = portal_entries(samples)
    response = client.post("/api/v1/import-runs", data={"format": "mapped"},
                           files={"file": ("entries.json", data, "application/json"),
                                  "mapping": ("m.yaml", (MAPPINGS / "huainan.yaml").read_bytes(), "application/yaml")},
                           headers=auth("steward", "330782101"))
    assert response.status_code == 403


def test_bulk_lifecycle_by_codes_and_by_filter_with_a_result_per_record(client, auth):
    from tests.api.conftest import make_record

    steward = auth("steward", "330782101")
    with client.app_db.transaction() as session:  # the seed departments
        from catalog.departments import sync_departments
        from catalog.standards import load_standards

        sync_departments(session=session, departments=list(load_standards().departments.values()))
    codes = [client.post("/api/v1/resources", json=make_record(i), headers=steward).json()["code"] for i in range(5)]
    result = client.post("/api/v1/lifecycle/submit", json={"codes": [*codes[:3], "999999/000001"]},
                         headers=steward).json()
    assert (result["total"], result["done"], result["failed"]) == (4, 3, 1)
    assert result["results"][-1]["error"] == "not_found"
    filtered = client.post("/api/v1/lifecycle/submit", json={"filter": {"provider_code": "330782101", "state": "draft"}},
                           headers=steward).json()
    assert filtered["done"] == 2
    forbidden = client.post("/api/v1/lifecycle/publish", json={"codes": codes}, headers=steward).json()
    assert forbidden["done"] == 0 and {r["error"] for r in forbidden["results"]} == {"forbidden"}
    published = client.post("/api/v1/lifecycle/publish", json={"filter": {"state": "submitted"}},
                            headers=auth("coordinator")).json()
    assert published["done"] == 5
    again = client.post("/api/v1/lifecycle/publish", json={"codes": codes}, headers=auth("coordinator")).json()
    assert again["done"] == 0 and {r["error"] for r in again["results"]} == {"conflict"}
    empty = client.post("/api/v1/lifecycle/withdraw", json={"filter": {}}, headers=auth("coordinator"))
    assert empty.status_code == 400
    assert json.dumps(empty.json(), ensure_ascii=False).count("筛选条件不能为空") == 1
