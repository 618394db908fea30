"""The 供需对接 cycle on the seed catalogue with a fixed clock: a need the catalogue meets becomes a share
request; a need it does not meet becomes a duty, answered and fulfilled on publish; a "cannot" is
escalated and arbitrated; every step is audit-logged and checked against the policy."""
from __future__ import annotations

import copy
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from catalog import registry
from catalog.demands import duties as demand_duties
from catalog.demands import register
from catalog.demands.events import events_after, list_events
from catalog.errors import Conflict, Forbidden, NotFound
from catalog.models import AuditEntry
from catalog.records import read_record_file
from tests.demands.conftest import (
    COORDINATOR, DEVELOPMENT, DEVELOPMENT_STEWARD, HRSS, HRSS_STEWARD, JOINT, MARKET_STEWARD, POLICE_STEWARD, ROOT,
    TAX, TAX_STEWARD, Seeded,
)

ENTERPRISE_REGISTRATION = "301001330782101/000001"  # 市场监管局 · 企业设立登记信息 (seed)
JOINT_ITEMS = ["unified_social_credit_code", "enterprise_name", "legal_representative_name"]
EMPLOYMENT = {"title": "企业用工规模", "description": "核定小型微利企业时需要企业的参保职工人数和月度工资总额。",
              "needs": ["参保职工人数", "企业月度工资总额"], "purpose": "小型微利企业所得税优惠核定",
              "basis": "《中华人民共和国企业所得税法实施条例》第九十二条"}


def hrss_record(items: list[tuple[str, str]]) -> dict[str, Any]:
    """A new 人力社保局 resource (from its seed enrolment record) with the given (name, identifier) items."""
    rec = copy.deepcopy(read_record_file(ROOT / "seed/330782104/social-insurance-enrolment.yaml"))
    rec.pop("code")
    rec.update(name="企业参保用工统计信息", abstract="按企业统计的参保职工人数与月度工资总额。", related=[])
    rec["items"] = [{"name": "统一社会信用代码", "identifier": "unified_social_credit_code", "data_type": "C",
                     "length": 18, "element": "DE0001"},
                    *({"name": n, "identifier": i, "data_type": "N", "length": 12} for n, i in items)]
    return rec


def publish_new(seeded: Seeded, record: dict[str, Any]) -> str:
    """The department registers and submits; the coordinator publishes (the registry's own steps)."""
    with seeded.db.transaction() as s:
        code = registry.create_resource(session=s, actor=HRSS_STEWARD, record=record).code
        registry.change_state(session=s, actor=HRSS_STEWARD, code=code, action="submit")
    with seeded.db.transaction() as s:
        registry.change_state(session=s, actor=COORDINATOR, code=code, action="publish")
    return code


def as_dict(seeded: Seeded, demand_id: int, actor: Any = COORDINATOR) -> dict[str, Any]:
    with seeded.db.session() as s:
        row = register.get_demand(session=s, actor=actor, demand_id=demand_id)
        return register.demand_dict(row, session=s, calendar=seeded.calendar, clock=seeded.clock, with_events=True)


def audit_actions(seeded: Seeded) -> list[str]:
    with seeded.db.session() as s:
        return list(s.execute(select(AuditEntry.action).order_by(AuditEntry.id)).scalars())


def test_joint_registration_need_is_met_by_market_regulation_as_one_share_request(seeded: Seeded) -> None:
    demand = seeded.create(TAX_STEWARD, **JOINT)
    assert [n["element"] for n in demand.needs] == ["DE0001", "DE0002", "DE0003"]
    proposals = {p["resource_code"]: p for p in demand.proposals}
    match = proposals[ENTERPRISE_REGISTRATION]
    assert (match["coverage"], match["matched_by"], match["provider_code"]) == ("3/3", "element", "330782101")
    assert match["items"] == JOINT_ITEMS and match["missing"] == []
    assert {c["by"] for c in match["covered"]} == {"element"}
    assert demand.proposals[0]["resource_code"] == ENTERPRISE_REGISTRATION  # full cover, best text rank
    assert all(p["provider_code"] != TAX for p in demand.proposals)  # never the requester's own data
    assert [p["covered_count"] for p in demand.proposals] == sorted((p["covered_count"] for p in demand.proposals),
                                                                     reverse=True)

    row, made = seeded.run(register.accept_proposals, actor=TAX_STEWARD, demand_id=demand.id,
                           resources=[ENTERPRISE_REGISTRATION], period_days=365)
    assert len(made) == 1
    request = made[0]
    assert (request.resource_code, request.items, request.requester_code) == (ENTERPRISE_REGISTRATION, JOINT_ITEMS, TAX)
    assert request.status == "pending" and request.basis == JOINT["basis"]  # 有条件共享: the provider answers
    data = as_dict(seeded, demand.id, TAX_STEWARD)
    assert (data["status"], data["request_ids"]) == ("matched", [request.id])
    assert [e["event"] for e in data["events"]] == ["create", "accept"]
    assert audit_actions(seeded)[-3:] == ["demand.create", "share_request.create", "demand.accept"]


def test_accepting_a_resource_that_was_not_proposed_is_refused(seeded: Seeded) -> None:
    demand = seeded.create(TAX_STEWARD, **JOINT)
    with pytest.raises(Exception) as caught:
        seeded.run(register.accept_proposals, actor=TAX_STEWARD, demand_id=demand.id,
                   resources=["203001/000001"], period_days=365)
    assert caught.value.findings[0].rule == "not-proposed"  # type: ignore[attr-defined]


def test_uncovered_need_becomes_a_duty_answered_will_provide_and_fulfilled_on_publish(seeded: Seeded) -> None:
    demand = seeded.create(TAX_STEWARD, **EMPLOYMENT)
    assert all(p["covered_count"] == 0 for p in demand.proposals)  # nothing in the catalogue holds it
    seeded.run(register.declare_unmet, actor=TAX_STEWARD, demand_id=demand.id, reason="目录中无此数据")
    [duty] = seeded.run(demand_duties.assign_demand, actor=COORDINATOR, demand_id=demand.id,
                        departments=[HRSS], working_days=5)
    # 5 working days after Tue 30 Sep 2025: 1–8 Oct are holidays, Sat 11 Oct is a working day:
    # 9, 10, 11, 13, 14 October
    assert duty.due_on == date(2025, 10, 14)
    seeded.clock.set(seeded.clock.now().replace(month=10, day=10))
    seeded.run(demand_duties.will_provide, actor=HRSS_STEWARD, duty_id=duty.id, target_date="2025-10-31")

    half = publish_new(seeded, hrss_record([("参保职工人数", "insured_employee_count")]))
    assert as_dict(seeded, demand.id)["status"] == "assigned"  # covers one need of two: not yet
    with seeded.db.transaction() as s:  # the half one goes back to draft to make room for the full one
        registry.change_state(session=s, actor=HRSS_STEWARD, code=half, action="withdraw")

    full = hrss_record([("参保职工人数", "insured_employee_count"), ("企业月度工资总额", "monthly_wage_total_amount")])
    full["name"] = "企业参保用工与工资统计信息"
    code = publish_new(seeded, full)
    data = as_dict(seeded, demand.id, TAX_STEWARD)
    assert (data["status"], data["fulfilled_resource"]) == ("fulfilled", code)
    assert (data["duties"][0]["status"], data["duties"][0]["resource_code"]) == ("fulfilled", code)
    told = data["events"][-1]
    assert told["event"] == "fulfil" and TAX in told["audience"]  # the requester is told
    assert [e["event"] for e in data["events"]] == ["create", "declare_unmet", "assign", "duty.will_provide", "fulfil"]
    assert audit_actions(seeded)[-2:] == ["publish", "demand.fulfil"]  # in the publishing transaction


def test_a_cannot_is_escalated_and_arbitrated(seeded: Seeded) -> None:
    demand = seeded.create(TAX_STEWARD, **EMPLOYMENT)
    seeded.run(register.declare_unmet, actor=TAX_STEWARD, demand_id=demand.id)
    hrss, development = seeded.run(demand_duties.assign_demand, actor=COORDINATOR, demand_id=demand.id,
                                   departments=[HRSS, DEVELOPMENT])
    seeded.run(demand_duties.cannot_provide, actor=HRSS_STEWARD, duty_id=hrss.id, reason="工资总额不在社保系统中")
    seeded.run(demand_duties.not_ours, actor=DEVELOPMENT_STEWARD, duty_id=development.id, reason="应由人力社保局提供")
    assert as_dict(seeded, demand.id)["status"] == "assigned"  # the refused duty is still live
    with pytest.raises(Conflict):  # only a refusal can be escalated
        seeded.run(demand_duties.escalate_duty, actor=TAX_STEWARD, duty_id=development.id, reason="x")
    with pytest.raises(Forbidden):  # the requester escalates, not the department
        seeded.run(demand_duties.escalate_duty, actor=HRSS_STEWARD, duty_id=hrss.id, reason="x")
    seeded.run(demand_duties.escalate_duty, actor=TAX_STEWARD, duty_id=hrss.id, reason="社保缴费工资即工资总额")
    with pytest.raises(Forbidden):
        seeded.run(demand_duties.arbitrate_duty, actor=TAX_STEWARD, duty_id=hrss.id, outcome="provide",
                   reason="x", target_date="2025-12-01")
    seeded.run(demand_duties.arbitrate_duty, actor=COORDINATOR, duty_id=hrss.id, outcome="provide",
               reason="缴费工资可作为工资总额口径", target_date="2025-12-01")
    data = as_dict(seeded, demand.id, HRSS_STEWARD)
    duty = next(d for d in data["duties"] if d["id"] == hrss.id)
    assert (duty["status"], duty["arbitration_outcome"], duty["target_date"]) == ("promised", "provide", "2025-12-01")
    assert [e["event"] for e in data["events"]][-2:] == ["duty.escalate", "duty.arbitrate"]


def test_an_upheld_refusal_and_a_not_ours_send_the_demand_back_to_the_coordinator(seeded: Seeded) -> None:
    demand = seeded.create(TAX_STEWARD, **EMPLOYMENT)
    seeded.run(register.declare_unmet, actor=TAX_STEWARD, demand_id=demand.id)
    hrss, development = seeded.run(demand_duties.assign_demand, actor=COORDINATOR, demand_id=demand.id,
                                   departments=[HRSS, DEVELOPMENT])
    seeded.run(demand_duties.not_ours, actor=DEVELOPMENT_STEWARD, duty_id=development.id, reason="非本部门数据")
    seeded.run(demand_duties.cannot_provide, actor=HRSS_STEWARD, duty_id=hrss.id, reason="涉及个人隐私")
    seeded.run(demand_duties.escalate_duty, actor=TAX_STEWARD, duty_id=hrss.id, reason="只需汇总数")
    seeded.run(demand_duties.arbitrate_duty, actor=COORDINATOR, duty_id=hrss.id, outcome="uphold", reason="依法不宜提供")
    data = as_dict(seeded, demand.id)
    assert data["status"] == "unmet" and data["events"][-1]["event"] == "release"
    [again] = seeded.run(demand_duties.assign_demand, actor=COORDINATOR, demand_id=demand.id, departments=[DEVELOPMENT])
    assert again.status == "assigned" and as_dict(seeded, demand.id)["status"] == "assigned"


def test_policy_and_visibility(seeded: Seeded) -> None:
    demand = seeded.create(TAX_STEWARD, **EMPLOYMENT)
    with pytest.raises(NotFound):  # another department does not even see it
        seeded.run(register.declare_unmet, actor=MARKET_STEWARD, demand_id=demand.id)
    seeded.run(register.declare_unmet, actor=TAX_STEWARD, demand_id=demand.id)
    with pytest.raises(Forbidden):  # only the coordinator assigns
        seeded.run(demand_duties.assign_demand, actor=TAX_STEWARD, demand_id=demand.id, departments=[HRSS])
    [duty] = seeded.run(demand_duties.assign_demand, actor=COORDINATOR, demand_id=demand.id, departments=[HRSS])
    with pytest.raises(Conflict):  # one live duty per department and demand
        seeded.run(demand_duties.assign_demand, actor=COORDINATOR, demand_id=demand.id, departments=[HRSS])
    with pytest.raises(NotFound):  # an uninvolved department does not learn the demand exists
        seeded.run(demand_duties.will_provide, actor=POLICE_STEWARD, duty_id=duty.id, target_date="2025-10-31")
    with pytest.raises(Forbidden):  # the requester sees the duty but cannot answer it
        seeded.run(demand_duties.will_provide, actor=TAX_STEWARD, duty_id=duty.id, target_date="2025-10-31")
    seeded.run(demand_duties.will_provide, actor=HRSS_STEWARD, duty_id=duty.id, target_date="2025-10-31")
    with pytest.raises(Conflict):  # answered once
        seeded.run(demand_duties.cannot_provide, actor=HRSS_STEWARD, duty_id=duty.id, reason="改主意")
    with seeded.db.session() as s:
        rows, count = register.list_demands(session=s, actor=POLICE_STEWARD)
        assert count == 0
        rows, count = register.list_demands(session=s, actor=HRSS_STEWARD)
        assert [r.id for r in rows] == [demand.id]


def test_overdue_duties_are_visible_to_everyone_involved(seeded: Seeded) -> None:
    demand = seeded.create(TAX_STEWARD, **EMPLOYMENT)
    seeded.run(register.declare_unmet, actor=TAX_STEWARD, demand_id=demand.id)
    late, promised = seeded.run(demand_duties.assign_demand, actor=COORDINATOR, demand_id=demand.id,
                                departments=[HRSS, DEVELOPMENT], working_days=2)  # due Fri 10 Oct
    seeded.run(demand_duties.will_provide, actor=DEVELOPMENT_STEWARD, duty_id=promised.id, target_date="2025-10-13")

    def overdue_for(actor: Any) -> list[int]:
        with seeded.db.session() as s:
            rows, _ = demand_duties.list_duties(session=s, actor=actor, calendar=seeded.calendar,
                                                clock=seeded.clock, overdue=True)
            return sorted(d.id for d in rows)

    seeded.clock.set(seeded.clock.now().replace(month=10, day=10))  # the due day itself: on time
    assert overdue_for(COORDINATOR) == []
    seeded.clock.set(seeded.clock.now().replace(day=13))
    assert overdue_for(COORDINATOR) == [late.id]
    seeded.clock.set(seeded.clock.now().replace(day=14))  # and the promise is now past its target date
    for actor in (COORDINATOR, TAX_STEWARD):
        assert overdue_for(actor) == sorted([late.id, promised.id])
    assert overdue_for(HRSS_STEWARD) == [late.id]
    assert overdue_for(DEVELOPMENT_STEWARD) == [promised.id]
    assert overdue_for(POLICE_STEWARD) == []
    assert as_dict(seeded, demand.id, TAX_STEWARD)["overdue"] is True


def test_withdrawing_a_demand_closes_its_live_duties(seeded: Seeded) -> None:
    demand = seeded.create(TAX_STEWARD, **EMPLOYMENT)
    seeded.run(register.declare_unmet, actor=TAX_STEWARD, demand_id=demand.id)
    [duty] = seeded.run(demand_duties.assign_demand, actor=COORDINATOR, demand_id=demand.id, departments=[HRSS])
    seeded.run(register.withdraw_demand, actor=TAX_STEWARD, demand_id=demand.id, reason="业务调整")
    data = as_dict(seeded, demand.id)
    assert data["status"] == "withdrawn" and data["duties"][0]["status"] == "closed"
    with seeded.db.session() as s:
        assert [e.event for e in list_events(session=s, demand_id=demand.id)][-2:] == ["duty.close", "withdraw"]
        feed = events_after(session=s, after_id=list_events(session=s, demand_id=demand.id)[1].id)
    # what a notifier reads: the steps after its cursor, in order, each with the departments to tell
    assert [(e.event, e.audience) for e in feed] == [("assign", [HRSS, TAX]), ("duty.close", [HRSS]),
                                                     ("withdraw", [TAX, HRSS, "coordinator"])]
