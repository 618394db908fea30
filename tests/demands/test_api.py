"""Over HTTP on a copy of the seeded catalogue with a fixed clock: the joint-registration need becomes one share
request; an unmet need goes to the coordinator, is assigned, refused, escalated and arbitrated; error bodies."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from catalog.sharing.clock import FixedClock
from tests.demands.conftest import HRSS, JOINT, PERSONAS, START, TAX
from tests.demands.test_story import EMPLOYMENT, ENTERPRISE_REGISTRATION, JOINT_ITEMS
from tests.hardening.support import copy_catalogue, tokens_for

D = "/api/v1/demands"


@pytest.fixture
def api(seed_dir: Path, tmp_path: Path) -> Iterator[tuple[TestClient, dict[str, dict[str, str]]]]:
    app = create_app(copy_catalogue(seed_dir, tmp_path / "data"))
    app.state.clock = FixedClock(START)
    tokens = tokens_for(app.state.db, PERSONAS)
    with TestClient(app) as client:
        yield client, tokens
    app.state.db.dispose()


def ok(res: Any, status: int = 200) -> dict[str, Any]:
    assert res.status_code == status, res.text
    return res.json()


def test_joint_registration_need_becomes_one_share_request(api: Any) -> None:
    client, t = api
    res = client.post(D, json=JOINT, headers=t["tax"])
    demand = ok(res, 201)
    assert res.headers["location"] == f"{D}/{demand['id']}"
    best = demand["proposals"][0]
    assert (best["resource_code"], best["coverage"], best["items"]) == (ENTERPRISE_REGISTRATION, "3/3", JOINT_ITEMS)
    done = ok(client.post(f"{D}/{demand['id']}/accept", headers=t["tax"],
                          json={"resources": [ENTERPRISE_REGISTRATION], "period_days": 365}))
    [request] = done["share_requests"]
    assert done["status"] == "matched" and done["request_ids"] == [request["id"]]
    seen = ok(client.get(f"/api/v1/share-requests/{request['id']}", headers=t["market"]))  # the provider answers it
    assert (seen["status"], seen["items"], seen["requester_code"]) == ("pending", JOINT_ITEMS, TAX)
    again = client.post(f"{D}/{demand['id']}/accept", headers=t["tax"],
                        json={"resources": [ENTERPRISE_REGISTRATION], "period_days": 365})
    assert again.status_code == 409 and again.json()["error"] == "conflict"


def test_unmet_need_assigned_refused_escalated_and_arbitrated(api: Any) -> None:
    client, t = api
    demand = ok(client.post(D, json=EMPLOYMENT, headers=t["tax"]), 201)
    ok(client.post(f"{D}/{demand['id']}/unmet", headers=t["tax"], json={"reason": "目录无此数据"}))
    denied = client.post(f"{D}/{demand['id']}/assign", headers=t["tax"], json={"departments": [HRSS]})
    assert denied.status_code == 403 and denied.json()["error"] == "forbidden"
    assigned = ok(client.post(f"{D}/{demand['id']}/assign", headers=t["coordinator"],
                              json={"departments": [HRSS], "working_days": 5}))
    [duty] = assigned["duties"]
    assert (duty["status"], duty["due_on"]) == ("assigned", "2025-10-14")
    mine = ok(client.get(f"{D}/duties", headers=t["hrss"], params={"department_code": HRSS}))
    assert [d["id"] for d in mine["data"]] == [duty["id"]] and mine["data"][0]["needs"] == EMPLOYMENT["needs"]
    assert client.get(f"{D}/{demand['id']}", headers=t["police"]).status_code == 404
    refused = ok(client.post(f"{D}/duties/{duty['id']}/cannot", headers=t["hrss"], json={"reason": "系统未采集"}))
    assert refused["status"] == "refused"
    ok(client.post(f"{D}/duties/{duty['id']}/escalate", headers=t["tax"], json={"reason": "社保系统有缴费工资"}))
    decided = ok(client.post(f"{D}/duties/{duty['id']}/arbitrate", headers=t["coordinator"],
                             json={"outcome": "provide", "reason": "应予提供", "target_date": "2025-11-28"}))
    assert (decided["status"], decided["target_date"]) == ("promised", "2025-11-28")
    timeline = ok(client.get(f"{D}/{demand['id']}", headers=t["auditor"]))["events"]
    assert [e["event"] for e in timeline] == ["create", "declare_unmet", "assign", "duty.cannot", "duty.escalate",
                                              "duty.arbitrate"]


@pytest.mark.parametrize("body, path", [
    ({"needs": []}, "/needs"),
    ({"needs": ["企业名称", ""]}, "/needs/1"),
    ({"wanted_by": "2025-13-01"}, "/wanted_by"),
    ({"wanted_by": "2025-09-01"}, "/wanted_by"),  # before today (fixed clock: 30 Sep 2025)
    ({"title": "  "}, "/title"),
])
def test_bad_input_names_the_field(api: Any, body: dict[str, Any], path: str) -> None:
    client, t = api
    res = client.post(D, json={**JOINT, **body}, headers=t["tax"])
    assert res.status_code == 400, res.text
    assert [f["path"] for f in res.json()["findings"]] == [path]


def test_answer_needs_a_target_date_and_arbitration_a_known_outcome(api: Any) -> None:
    client, t = api
    demand = ok(client.post(D, json=EMPLOYMENT, headers=t["tax"]), 201)
    ok(client.post(f"{D}/{demand['id']}/unmet", headers=t["tax"]))
    [duty] = ok(client.post(f"{D}/{demand['id']}/assign", headers=t["coordinator"],
                            json={"departments": [HRSS]}))["duties"]
    missing = client.post(f"{D}/duties/{duty['id']}/will-provide", headers=t["hrss"], json={"target_date": ""})
    assert missing.status_code == 400 and missing.json()["findings"][0]["path"] == "/target_date"
    assert client.post(f"{D}/duties/{duty['id']}/arbitrate", headers=t["coordinator"],
                       json={"outcome": "maybe", "reason": "x"}).status_code == 422
    assert client.get(f"{D}/duties/{2**63}", headers=t["hrss"]).status_code == 422
