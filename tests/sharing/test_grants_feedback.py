"""Grants (revoke, expiry, review flags) and data-error feedback (校核)."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from catalog import registry
from catalog.errors import Conflict, Forbidden, InvalidInput
from catalog.models import AuditEntry, Resource
from catalog.sharing import feedback, grants, requests
from tests.sharing.conftest import (
    COORDINATOR,
    MARKET,
    MARKET_STEWARD,
    POLICE,
    POLICE_STEWARD,
    TAX,
    TAX_DEVELOPER,
    TAX_STEWARD,
)

Run = Callable[..., Any]


def granted(run: Run, code: str, actor: Any = TAX_STEWARD, period_days: int = 30) -> int:
    req = run(requests.create_request, actor=actor, resource_code=code, purpose="核验市场主体",
              basis="税收征收管理法", items=None, period_days=period_days)
    assert req.grant_id
    return int(req.grant_id)


def listed(db: Any, cal: Any, clock: Any, actor: Any, **kw: Any) -> list[dict[str, Any]]:
    with db.session() as session:
        rows, _ = grants.list_grants(session=session, actor=actor, calendar=cal, clock=clock, **kw)
        return [grants.grant_dict(g, calendar=cal, clock=clock) for g in rows]


def test_grants_are_listed_per_department(run: Run, codes: dict[str, str], db: Any, cal: Any, clock: Any) -> None:
    tax = granted(run, codes["unconditional"])
    police = granted(run, codes["unconditional"], actor=POLICE_STEWARD)
    assert [g["id"] for g in listed(db, cal, clock, TAX_DEVELOPER)] == [tax]
    assert [g["id"] for g in listed(db, cal, clock, MARKET_STEWARD)] == [police, tax]
    assert [g["id"] for g in listed(db, cal, clock, COORDINATOR, department_code=POLICE, side="requester")] == [police]
    assert listed(db, cal, clock, MARKET_STEWARD, department_code=MARKET, side="requester") == []


def test_revoke_by_provider_or_coordinator_only(run: Run, codes: dict[str, str], db: Any) -> None:
    first, second = granted(run, codes["unconditional"]), granted(run, codes["unconditional"], POLICE_STEWARD)
    with pytest.raises(Forbidden):
        run(grants.revoke_grant, actor=TAX_STEWARD, grant_id=first, reason="不再需要")
    with pytest.raises(InvalidInput) as err:
        run(grants.revoke_grant, actor=MARKET_STEWARD, grant_id=first, reason="")
    assert err.value.findings[0].path == "/reason"
    assert run(grants.revoke_grant, actor=MARKET_STEWARD, grant_id=first, reason="超范围使用").status == "revoked"
    assert run(grants.revoke_grant, actor=COORDINATOR, grant_id=second, reason="协调撤销").revoked_by == COORDINATOR.name
    with pytest.raises(Conflict):
        run(grants.revoke_grant, actor=COORDINATOR, grant_id=first, reason="again")


def test_grants_expire_by_themselves(run: Run, codes: dict[str, str], db: Any, cal: Any, clock: Any) -> None:
    gid = granted(run, codes["unconditional"], period_days=2)  # 30 Sep and 1 Oct 2025
    assert listed(db, cal, clock, TAX_STEWARD, status="active")[0]["valid_until"] == "2025-10-01"
    clock.advance(days=2)
    assert listed(db, cal, clock, TAX_STEWARD, status="active") == []
    assert listed(db, cal, clock, TAX_STEWARD, status="expired")[0]["status"] == "expired"
    assert run(grants.expire_grants, actor=COORDINATOR) == [gid]
    assert run(grants.expire_grants, actor=COORDINATOR) == []
    with pytest.raises(Conflict):
        run(grants.revoke_grant, actor=MARKET_STEWARD, grant_id=gid, reason="x")


def test_withdrawn_resource_flags_live_grants_for_review(run: Run, codes: dict[str, str], db: Any, cal: Any,
                                                         clock: Any) -> None:
    gid = granted(run, codes["unconditional"])
    with db.transaction() as session:
        registry.change_state(session=session, actor=MARKET_STEWARD, code=codes["unconditional"], action="withdraw")
    [grant] = listed(db, cal, clock, TAX_STEWARD, needs_review=True)
    assert grant["id"] == gid and "撤回" in grant["review_reason"] and grant["status"] == "active"
    with db.session() as session:
        flagged = session.execute(select(AuditEntry).where(AuditEntry.action == "grant.flag_review")).scalars().all()
    assert [e.detail["grant_id"] for e in flagged] == [gid]


def test_tightened_share_type_flags_live_grants(run: Run, codes: dict[str, str], db: Any, cal: Any,
                                                clock: Any) -> None:
    gid = granted(run, codes["unconditional"])
    with db.transaction() as session:
        row = session.execute(select(Resource).where(Resource.code == codes["unconditional"])).scalar_one()
        assert grants.review_live_grants(session=session, actor=MARKET_STEWARD, resource=row) == []  # unchanged
        row.share_type = "有条件共享"
        assert grants.review_live_grants(session=session, actor=MARKET_STEWARD, resource=row) == [gid]
    assert "收紧" in listed(db, cal, clock, COORDINATOR, needs_review=True)[0]["review_reason"]


def test_error_report_answered_within_the_deadline(run: Run, codes: dict[str, str], db: Any, cal: Any,
                                                   clock: Any) -> None:
    rep = run(feedback.create_report, actor=TAX_DEVELOPER, resource_code=codes["unconditional"],
              item="enterprise_name", description="企业名称与营业执照不一致 (91330782MA2XXXXXX)")
    assert (rep.status, rep.reporter_code, rep.due_on) == ("open", TAX, date(2025, 10, 14))  # 5 working days
    with pytest.raises(Forbidden):
        run(feedback.answer_report, actor=TAX_STEWARD, report_id=rep.id, outcome="corrected", answer="x")
    with pytest.raises(InvalidInput) as err:
        run(feedback.answer_report, actor=MARKET_STEWARD, report_id=rep.id, outcome="fixed", answer="x")
    assert err.value.findings[0].path == "/outcome"
    clock.set(clock.now().replace(month=10, day=13))
    done = run(feedback.answer_report, actor=MARKET_STEWARD, report_id=rep.id, outcome="corrected",
               answer="已按登记档案更正")
    assert (done.status, done.answer_working_days) == ("corrected", 4)
    with pytest.raises(Conflict):
        run(feedback.answer_report, actor=MARKET_STEWARD, report_id=rep.id, outcome="not_an_error", answer="x")


def test_error_report_checks_item_and_shows_overdue(run: Run, codes: dict[str, str], db: Any, cal: Any,
                                                    clock: Any) -> None:
    with pytest.raises(InvalidInput) as err:
        run(feedback.create_report, actor=TAX_STEWARD, resource_code=codes["unconditional"], item="tax_id",
            description="x")
    assert err.value.findings[0].path == "/item"
    rep = run(feedback.create_report, actor=POLICE_STEWARD, resource_code=codes["conditional"], description="地址有误")
    clock.set(clock.now().replace(month=10, day=15))
    with db.session() as session:
        rows, _ = feedback.list_reports(session=session, actor=MARKET_STEWARD, calendar=cal, clock=clock,
                                            overdue=True)
        assert [r.id for r in rows] == [rep.id]
        assert feedback.list_reports(session=session, actor=TAX_STEWARD, calendar=cal, clock=clock)[1] == 0
    assert MARKET and POLICE
