"""供需对接 steps notify the departments they concern (inbox, e-mail, webhooks go through catalog.notify): the
department given a duty, the requester of the answers, the coordinator of an escalation, both of a ruling and of
the publication that met the need; nobody else (another department, a provider's developers)."""
from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select

from catalog.auth import create_token
from catalog.demands import duties as demand_duties
from catalog.demands import register
from catalog.notify.kinds import KINDS
from catalog.notify.models import Notification, NotifyEvent
from tests.demands.conftest import (
    COORDINATOR, DEVELOPMENT, DEVELOPMENT_STEWARD, HRSS, HRSS_STEWARD, MARKET, TAX, TAX_STEWARD, Seeded,
)
from tests.demands.test_story import EMPLOYMENT, hrss_record, publish_new

PEOPLE = {"税务管理员": ("steward", TAX), "税务开发者": ("developer", TAX), "人社管理员": ("steward", HRSS),
          "人社开发者": ("developer", HRSS), "发改管理员": ("steward", DEVELOPMENT), "协调员": ("coordinator", None),
          "市场监管管理员": ("steward", MARKET)}
REQUESTER = {"税务管理员", "税务开发者"}


def heard(seeded: Seeded) -> list[tuple[str, str, set[str]]]:
    """(kind, title, recipients among PEOPLE) of every demand notification, in order."""
    with seeded.db.session() as s:
        events = s.execute(select(NotifyEvent).where(NotifyEvent.kind.startswith("demand."))  # type: ignore[union-attr]
                           .order_by(NotifyEvent.id)).scalars().all()
        inbox: dict[int, set[str]] = defaultdict(set)
        for n in s.execute(select(Notification)).scalars():
            if n.recipient in PEOPLE:
                inbox[n.event_id].add(n.recipient)
        return [(e.kind, e.title, inbox[e.id or 0]) for e in events]


def test_each_demand_step_reaches_exactly_the_departments_it_concerns(seeded: Seeded) -> None:
    with seeded.db.transaction() as s:
        for name, (role, dept) in PEOPLE.items():
            create_token(session=s, role=role, department_code=dept, name=name)
    # a need met by publication: assigned, promised, fulfilled
    met = seeded.create(TAX_STEWARD, **EMPLOYMENT)
    seeded.run(register.declare_unmet, actor=TAX_STEWARD, demand_id=met.id, reason="目录中无此数据")
    [duty] = seeded.run(demand_duties.assign_demand, actor=COORDINATOR, demand_id=met.id, departments=[HRSS])
    seeded.run(demand_duties.will_provide, actor=HRSS_STEWARD, duty_id=duty.id, target_date="2025-10-31")
    full = hrss_record([("参保职工人数", "insured_employee_count"), ("企业月度工资总额", "monthly_wage_total_amount")])
    publish_new(seeded, full)
    # a need refused twice: one refusal escalated and ruled on
    refused = seeded.create(TAX_STEWARD, **EMPLOYMENT)
    seeded.run(register.declare_unmet, actor=TAX_STEWARD, demand_id=refused.id)
    hrss, development = seeded.run(demand_duties.assign_demand, actor=COORDINATOR, demand_id=refused.id,
                                   departments=[HRSS, DEVELOPMENT])
    seeded.run(demand_duties.cannot_provide, actor=HRSS_STEWARD, duty_id=hrss.id, reason="工资总额不在社保系统中")
    seeded.run(demand_duties.not_ours, actor=DEVELOPMENT_STEWARD, duty_id=development.id, reason="应由人力社保局提供")
    seeded.run(demand_duties.escalate_duty, actor=TAX_STEWARD, duty_id=hrss.id, reason="社保缴费工资即工资总额")
    seeded.run(demand_duties.arbitrate_duty, actor=COORDINATOR, duty_id=hrss.id, outcome="provide",
               reason="缴费工资可作为工资总额口径", target_date="2025-12-01")

    got = heard(seeded)
    assert [(kind, who) for kind, _, who in got] == [
        ("demand.duty_assigned", {"人社管理员", *REQUESTER}),
        ("demand.duty_answered", REQUESTER),
        ("demand.fulfilled", {"人社管理员", *REQUESTER}),
        ("demand.duty_assigned", {"人社管理员", *REQUESTER}),
        ("demand.duty_assigned", {"发改管理员", *REQUESTER}),
        ("demand.duty_answered", REQUESTER),
        ("demand.duty_answered", REQUESTER),
        ("demand.duty_escalated", {"人社管理员", "协调员"}),
        ("demand.duty_arbitrated", {"人社管理员", *REQUESTER}),
    ]
    assert {kind for kind, _, _ in got} == {k for k in KINDS if k.startswith("demand.")}  # every demand kind occurred
    titles = [title for _, title, _ in got]
    assert f"需求 #{met.id}" in titles[0] and "2025-10-" in titles[0]  # the duty's answer deadline
    assert "将提供数据" in titles[1] and "无法提供" in titles[5] and "非本部门职责" in titles[6]
    assert "应当提供" in titles[8]
