"""Races on SQLite and PostgreSQL, 20 parallel clients each: every sharing transition has exactly one
winner (the others get 409), one open request per (requester, resource), one grant per request, and
parallel bulk creates with the same explicit code give one resource and clean answers — never a 500."""
from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import func, select

from api.examples import RECORD
from catalog.sharing.models import Grant, ShareRequest
from tests.hardening.test_concurrency import run_together
from tests.security.conftest import Site, reason

N = 20
SR = "/api/v1/share-requests"
ASK = {"purpose": "税务登记核验", "basis": "《中华人民共和国税收征收管理法》第十五条", "period_days": 30}


def ask(site: Site, persona: str = "tax") -> dict[str, Any]:
    res = site.client.post(SR, json={"resource_code": site.codes["conditional"], **ASK},
                           headers=site.headers[persona])
    assert res.status_code == 201, res.text
    return res.json()


def step(site: Site, request_id: int, action: str, persona: str, body: dict[str, Any]) -> dict[str, Any]:
    res = site.client.post(f"{SR}/{request_id}/{action}", json=body, headers=site.headers[persona])
    assert res.status_code == 200, res.text
    return res.json()


def count(site: Site, query: Any) -> int:
    with site.app.state.db.session() as session:
        return int(session.execute(query).scalar_one())


def grants_of(site: Site, request_id: int) -> int:
    return count(site, select(func.count()).select_from(Grant).where(Grant.request_id == request_id))


def pending(site: Site) -> int:
    return ask(site)["id"]


def rejected(site: Site) -> int:
    rid = ask(site)["id"]
    step(site, rid, "reject", "market", reason("不符合共享条件"))
    return rid


def escalated(site: Site) -> int:
    rid = rejected(site)
    step(site, rid, "escalate", "tax", reason("法定职责需要"))
    return rid


# action, who races, body, how the request is prepared, grants expected after the race
TRANSITIONS: list[tuple[str, str, dict[str, Any], Callable[[Site], int], int]] = [
    ("approve", "market", {"note": "同意"}, pending, 1),
    ("reject", "market", reason("不符合共享条件"), pending, 0),
    ("withdraw", "tax", reason("不再需要"), pending, 0),
    ("escalate", "tax", reason("法定职责需要"), rejected, 0),
    ("arbitrate", "coordinator", {"outcome": "grant", "reason": "依法应予共享"}, escalated, 1),
]


@pytest.mark.parametrize("action, persona, body, prepare, grants",
                         TRANSITIONS, ids=[t[0] for t in TRANSITIONS])
def test_parallel_transitions_of_one_request_have_one_winner(site: Site, action: str, persona: str,
                                                             body: dict[str, Any], prepare: Callable[[Site], int],
                                                             grants: int) -> None:
    rid = prepare(site)

    def go(_: int) -> int:
        return site.new_client().post(f"{SR}/{rid}/{action}", json=body, headers=site.headers[persona]).status_code

    statuses = Counter(run_together(N, go, workers=N))
    assert statuses == {200: 1, 409: N - 1}, statuses
    assert grants_of(site, rid) == grants
    log = site.client.get("/api/v1/audit-log", params={"limit": 500}, headers=site.headers["auditor"]).json()
    entries = [e for e in log["data"] if e["action"] == f"share_request.{action}"]
    assert len(entries) == 1, entries  # one audit entry: the losers wrote nothing


def test_parallel_revocations_of_one_grant_have_one_winner(site: Site) -> None:
    rid = pending(site)
    grant_id = step(site, rid, "approve", "market", {})["grant_id"]

    def go(_: int) -> int:
        return site.new_client().post(f"/api/v1/grants/{grant_id}/revoke", json=reason("停止使用"),
                                      headers=site.headers["market"]).status_code

    statuses = Counter(run_together(N, go, workers=N))
    assert statuses == {200: 1, 409: N - 1}, statuses


def test_parallel_identical_share_requests_leave_one_open(site: Site) -> None:
    def go(_: int) -> int:
        return site.new_client().post(SR, json={"resource_code": site.codes["conditional"], **ASK},
                                      headers=site.headers["tax"]).status_code

    statuses = Counter(run_together(N, go, workers=N))
    assert statuses == {201: 1, 409: N - 1}, statuses
    assert count(site, select(func.count()).select_from(ShareRequest).where(
        ShareRequest.status.in_(("pending", "escalated")))) == 1


def test_parallel_bulk_creates_with_one_explicit_code_one_winner(site: Site) -> None:
    code = "102001/000002"  # the classification's next free number (the fixture published 000001)

    def go(i: int) -> tuple[int, int]:
        record = {**copy.deepcopy(RECORD), "name": f"并发批量登记{i}", "code": code}
        res = site.new_client().post("/api/v1/resources/bulk", json=[record], headers=site.headers["market"])
        return res.status_code, res.json().get("created", 0) if res.status_code == 200 else 0

    results = run_together(N, go, workers=N)
    statuses = Counter(s for s, _ in results)
    assert set(statuses) <= {200, 409}, statuses  # never a 500 (UniqueViolation)
    assert sum(created for _, created in results) == 1, results
    got = site.client.get(f"/api/v1/resources/{code}", headers=site.headers["market"])
    assert got.status_code == 200 and got.json()["name"].startswith("并发批量登记")
