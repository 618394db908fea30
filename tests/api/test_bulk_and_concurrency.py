"""Concurrent creates through the API get distinct codes; bulk registration reports per record."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from fastapi.testclient import TestClient

from tests.api.conftest import OWN, make_record

R = "/api/v1/resources"


def test_concurrent_creates_get_distinct_codes(client, auth):
    steward = auth("steward", OWN)

    def create(n: int) -> str:
        with TestClient(client.app) as c:
            response = c.post(R, json=make_record(n), headers=steward)
            assert response.status_code == 201, response.text
            return response.json()["code"]

    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(create, range(32)))
    assert sorted(got) == [f"102001/{n:06d}" for n in range(1, 33)]
    assert client.get("/api/v1/audit-log/verify", headers=auth("auditor")).json() == {
        "ok": True, "checked": 32, "broken_id": None, "reason": None}


def test_bulk_reports_each_record(client, auth):
    bad = make_record(2)
    bad["update_cycle"] = "每天"
    records = [make_record(1), bad, make_record(3, code="102001/000001"), make_record(4, code="102001/000001"),
               make_record(6, code="102001/000050")]
    body = client.post(f"{R}/bulk", json=records, headers=auth("steward", OWN)).json()
    assert [r["ok"] for r in body["data"]] == [True, False, True, False, False]
    assert body["created"] == 2 and body["data"][1]["findings"][0]["path"] == "/update_cycle"
    # given codes are claimed first, so the sequence continues after them
    assert [body["data"][0]["code"], body["data"][2]["code"]] == ["102001/000002", "102001/000001"]
    assert body["data"][3]["findings"][-1]["rule"] == "code.taken"
    # a steward may not claim a number beyond the next free one (code squatting)
    assert [f["rule"] for f in body["data"][4]["findings"]] == ["code.unavailable"]
    assert client.post(R, json=make_record(5), headers=auth("steward", OWN)).json()["code"] == "102001/000003"


def test_bulk_needs_an_array(client, auth):
    response = client.post(f"{R}/bulk", json={"name": "x"}, headers=auth("steward", OWN))
    assert response.status_code == 400 and response.json()["error"] == "invalid_input"
