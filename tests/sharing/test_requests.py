"""Share requests through their states, with role/department rules, deadlines and the audit log."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from catalog import audit_log
from catalog.errors import Conflict, Forbidden, InvalidInput, NotFound
from catalog.models import AuditEntry
from catalog.sharing import grants, requests
from catalog.sharing.models import ShareRequest
from tests.sharing.conftest import (
    AUDITOR,
    COORDINATOR,
    ITEMS,
    MARKET,
    MARKET_STEWARD,
    POLICE_STEWARD,
    TAX,
    TAX_DEVELOPER,
    TAX_STEWARD,
)

Run = Callable[..., Any]


def ask(run: Run, code: str, actor: Any = TAX_STEWARD, **kw: Any) -> ShareRequest:
    fields = {"purpose": "办理新设企业税务登记 (多证合一)", "basis": "《中华人民共和国税收征收管理法》第十五条",
              "items": None, "period_days": 365, **kw}
    return run(requests.create_request, actor=actor, resource_code=code, **fields)


def actions(db: Any) -> list[str]:
    with db.session() as session:
        return [e.action for e in session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars()
                if e.action.startswith(("share_request", "grant", "feedback"))]


def test_unconditional_is_granted_at_once(run: Run, codes: dict[str, str], db: Any) -> None:
    req = ask(run, codes["unconditional"], items=["unified_social_credit_code"])
    assert req.status == "approved" and req.due_on is None and req.answered_by == "system"
    with db.session() as session:
        grant = grants.get_grant(session=session, actor=TAX_STEWARD, grant_id=req.grant_id)
    assert (grant.requester_code, grant.items) == (TAX, ["unified_social_credit_code"])
    assert (grant.valid_from, grant.valid_until) == (date(2025, 9, 30), date(2026, 9, 29))
    assert actions(db) == ["share_request.create", "grant.issue"]


def test_conditional_waits_and_provider_approves_a_subset(run: Run, codes: dict[str, str], db: Any,
                                                          clock: Any) -> None:
    req = ask(run, codes["conditional"])
    assert req.status == "pending" and req.items == ITEMS
    assert req.due_on == date(2025, 10, 21)  # 10 working days across the National Day week
    clock.set(clock.now().replace(month=10, day=10))  # Fri 10 Oct 2025: 2 working days later
    done = run(requests.approve_request, actor=MARKET_STEWARD, request_id=req.id,
               items=["unified_social_credit_code", "enterprise_name"], period_days=180, note="限税务登记使用")
    assert done.status == "approved" and done.answer_working_days == 2
    assert done.approved_items == ["unified_social_credit_code", "enterprise_name"]
    with db.session() as session:
        grant = grants.get_grant(session=session, actor=TAX_DEVELOPER, grant_id=done.grant_id)
    assert grant.items == ["unified_social_credit_code", "enterprise_name"]
    assert grant.valid_until == date(2026, 4, 7)  # 180 days from 10 Oct 2025 inclusive
    assert actions(db) == ["share_request.create", "share_request.approve", "grant.issue"]
    with db.session() as session:
        assert audit_log.verify_chain(session=session).ok


def test_not_shared_is_refused_citing_the_basis_then_arbitrated(run: Run, codes: dict[str, str], db: Any) -> None:
    req = ask(run, codes["not_shared"])
    assert req.status == "refused" and "保守国家秘密法" in (req.reason or "")
    with pytest.raises(Forbidden):  # only the requesting department escalates
        run(requests.escalate_request, actor=MARKET_STEWARD, request_id=req.id, reason="x")
    up = run(requests.escalate_request, actor=TAX_DEVELOPER, request_id=req.id, reason="风险防控需要核对企业信用")
    assert up.status == "escalated"
    with pytest.raises(Forbidden):
        run(requests.arbitrate_request, actor=MARKET_STEWARD, request_id=req.id, outcome="uphold", reason="x")
    final = run(requests.arbitrate_request, actor=COORDINATOR, request_id=req.id, outcome="grant",
                reason="经协调, 限企业名称, 期限 90 天", items=["enterprise_name"], period_days=90)
    assert (final.status, final.arbitration_outcome, final.approved_items) == ("arbitrated", "granted",
                                                                               ["enterprise_name"])
    assert final.grant_id is not None
    for action, actor in (("withdraw", TAX_STEWARD), ("escalate", TAX_STEWARD)):
        with pytest.raises(Conflict):
            run(getattr(requests, f"{action}_request"), actor=actor, request_id=req.id, reason="again")
    assert actions(db) == ["share_request.create", "share_request.escalate", "share_request.arbitrate",
                           "grant.issue"]


def test_provider_rejection_with_reason_then_upheld(run: Run, codes: dict[str, str]) -> None:
    req = ask(run, codes["conditional"])
    with pytest.raises(InvalidInput) as err:
        run(requests.reject_request, actor=MARKET_STEWARD, request_id=req.id, reason="  ")
    assert err.value.findings[0].path == "/reason"
    rejected = run(requests.reject_request, actor=MARKET_STEWARD, request_id=req.id, reason="用途超出共享条件")
    assert rejected.status == "rejected" and rejected.answer_working_days == 0
    run(requests.escalate_request, actor=TAX_STEWARD, request_id=req.id, reason="属于法定职责")
    final = run(requests.arbitrate_request, actor=COORDINATOR, request_id=req.id, outcome="uphold",
                reason="申请用途确超出共享条件")
    assert (final.status, final.arbitration_outcome, final.grant_id) == ("arbitrated", "upheld", None)


@pytest.mark.parametrize(("actor", "step", "error"), [
    (TAX_STEWARD, "approve", Forbidden),      # the requester cannot decide
    (COORDINATOR, "approve", Forbidden),      # nor the coordinator: the provider decides
    (POLICE_STEWARD, "approve", NotFound),    # a third department does not even see it
    (MARKET_STEWARD, "withdraw", Forbidden),  # only the requesting department withdraws
    (AUDITOR, "withdraw", Forbidden),
    (TAX_STEWARD, "arbitrate", Conflict),     # nothing to arbitrate while pending
])
def test_who_may_act(run: Run, codes: dict[str, str], actor: Any, step: str, error: type) -> None:
    req = ask(run, codes["conditional"])
    extra = {"outcome": "grant", "reason": "r"} if step == "arbitrate" else {}
    with pytest.raises(error):
        run(getattr(requests, f"{step}_request"), actor=actor, request_id=req.id, **extra)


def test_requester_must_be_steward_or_developer_of_its_department(run: Run, codes: dict[str, str]) -> None:
    for actor in (AUDITOR, COORDINATOR):
        with pytest.raises((Forbidden, InvalidInput)):
            ask(run, codes["conditional"], actor=actor)
    with pytest.raises(Forbidden):
        ask(run, codes["conditional"], actor=TAX_STEWARD, requester_code="330782102")
    with pytest.raises(Conflict):
        ask(run, codes["conditional"], actor=MARKET_STEWARD)  # its own resource


@pytest.mark.parametrize(("fields", "path"), [
    ({"items": ["unified_social_credit_code", "tax_amount"]}, "/items/1"),
    ({"period_days": 0}, "/period_days"),
    ({"period_days": 5000}, "/period_days"),
    ({"purpose": ""}, "/purpose"),
    ({"basis": None}, "/basis"),
    ({"resource_code": ""}, "/resource_code"),
])
def test_bad_input_names_the_field_and_changes_nothing(run: Run, codes: dict[str, str], db: Any,
                                                       fields: dict[str, Any], path: str) -> None:
    fields = dict(fields)  # the parameter table is shared by both databases
    code = fields.pop("resource_code", codes["conditional"])
    with pytest.raises(InvalidInput) as err:
        ask(run, code, **fields)
    assert err.value.findings[0].path == path
    assert actions(db) == []


def test_approving_items_not_requested_is_refused_and_nothing_changes(run: Run, codes: dict[str, str],
                                                                     db: Any) -> None:
    req = ask(run, codes["conditional"], items=["enterprise_name"])
    with pytest.raises(InvalidInput) as err:
        run(requests.approve_request, actor=MARKET_STEWARD, request_id=req.id, items=["legal_representative_name"])
    assert err.value.findings[0].path == "/items/0"
    with pytest.raises(InvalidInput):
        run(requests.approve_request, actor=MARKET_STEWARD, request_id=req.id, period_days=400)  # longer
    with db.session() as session:
        assert requests.get_request(session=session, actor=TAX_STEWARD, request_id=req.id).status == "pending"
    assert actions(db) == ["share_request.create"]


def test_one_open_request_per_department_and_resource(run: Run, codes: dict[str, str]) -> None:
    first = ask(run, codes["conditional"])
    with pytest.raises(Conflict):
        ask(run, codes["conditional"], actor=TAX_DEVELOPER)
    run(requests.withdraw_request, actor=TAX_DEVELOPER, request_id=first.id)
    assert ask(run, codes["conditional"]).status == "pending"


def test_overdue_is_visible_to_provider_requester_and_coordinator(run: Run, codes: dict[str, str], db: Any,
                                                                 cal: Any, clock: Any) -> None:
    req = ask(run, codes["conditional"])
    with pytest.raises(Conflict):  # within the deadline the requester cannot escalate yet
        run(requests.escalate_request, actor=TAX_STEWARD, request_id=req.id, reason="未答复")

    def overdue_ids(actor: Any) -> list[int]:
        with db.session() as session:
            rows, _ = requests.list_requests(session=session, actor=actor, calendar=cal, clock=clock, overdue=True)
            return [r.id for r in rows]

    clock.set(clock.now().replace(month=10, day=21, hour=15, minute=59))  # 23:59 on the due date
    assert overdue_ids(COORDINATOR) == []
    clock.advance(minutes=2)  # 00:01 on 22 Oct 2025 in 义乌
    for actor in (MARKET_STEWARD, TAX_STEWARD, TAX_DEVELOPER, COORDINATOR, AUDITOR):
        assert overdue_ids(actor) == [req.id], actor
    assert overdue_ids(POLICE_STEWARD) == []
    with db.session() as session:
        shown = requests.request_dict(requests.get_request(session=session, actor=MARKET_STEWARD,
                                                           request_id=req.id), calendar=cal, clock=clock)
    assert shown["overdue"] is True and shown["due_on"] == "2025-10-21"
    late = run(requests.escalate_request, actor=TAX_STEWARD, request_id=req.id, reason="逾期未答复")
    assert late.status == "escalated"
    assert overdue_ids(COORDINATOR) == []  # escalated, no longer waiting for the provider


def test_listing_is_limited_to_the_departments_involved(run: Run, codes: dict[str, str], db: Any, cal: Any,
                                                        clock: Any) -> None:
    ask(run, codes["conditional"])
    ask(run, codes["unconditional"], actor=POLICE_STEWARD)
    with db.session() as session:
        def seen(actor: Any, **kw: Any) -> int:
            return requests.list_requests(session=session, actor=actor, calendar=cal, clock=clock, **kw)[1]
        assert (seen(MARKET_STEWARD), seen(TAX_STEWARD), seen(POLICE_STEWARD), seen(COORDINATOR)) == (2, 1, 1, 2)
        assert seen(COORDINATOR, requester_code=TAX) == 1
        assert seen(MARKET_STEWARD, status="approved") == 1
        with pytest.raises(InvalidInput):
            seen(MARKET_STEWARD, status="granted")
        with pytest.raises(NotFound):
            requests.get_request(session=session, actor=POLICE_STEWARD, request_id=1)
    assert MARKET  # provider of all three
