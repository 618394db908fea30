"""The demand figures of the performance report (绩效评估) against a hand-computed example (fixed clock)."""
from __future__ import annotations

from datetime import UTC, datetime

from catalog.demands import duties as demand_duties
from catalog.demands import register
from catalog.stats import flat_rows, performance_report
from tests.demands.conftest import (
    COORDINATOR, DEVELOPMENT, DEVELOPMENT_STEWARD, HRSS, HRSS_STEWARD, JOINT, MARKET, MARKET_STEWARD, POLICE,
    POLICE_STEWARD, TAX, TAX_STEWARD, Seeded,
)
from tests.demands.test_story import EMPLOYMENT, ENTERPRISE_REGISTRATION, hrss_record, publish_new

WATER = "330782120"


def on(seeded: Seeded, month: int, day: int) -> None:
    seeded.clock.set(datetime(2025, month, day, 2, 0, tzinfo=UTC))  # 10:00 in 义乌


def build(seeded: Seeded) -> None:
    """The example (2025; 10/1–10/8 holiday, Sat 10/11 a working day), read on 10/22:

    D1 tax, joint registration → accepted as a share request (met from the catalogue)
    D2 tax, employment figures → unmet → 9/30 assigned to hrss and development, 5 working days (due 10/14):
       hrss promises on 10/10 (on time) and publishes a covering resource on 10/16 (fulfilled);
       development answers "not ours" on 10/15 (late)
    D3 market, 企业用水量 → unmet → 10/16 assigned to water, 2 working days (due 10/20), never answered (overdue)
    D4 police, 企业用水量 → withdrawn
    """
    on(seeded, 9, 30)
    d1 = seeded.create(TAX_STEWARD, **JOINT)
    seeded.run(register.accept_proposals, actor=TAX_STEWARD, demand_id=d1.id, resources=[ENTERPRISE_REGISTRATION],
               period_days=365)
    d2 = seeded.create(TAX_STEWARD, **EMPLOYMENT)
    seeded.run(register.declare_unmet, actor=TAX_STEWARD, demand_id=d2.id)
    hrss, development = seeded.run(demand_duties.assign_demand, actor=COORDINATOR, demand_id=d2.id,
                                   departments=[HRSS, DEVELOPMENT], working_days=5)
    on(seeded, 10, 10)
    seeded.run(demand_duties.will_provide, actor=HRSS_STEWARD, duty_id=hrss.id, target_date="2025-10-20")
    on(seeded, 10, 15)
    seeded.run(demand_duties.not_ours, actor=DEVELOPMENT_STEWARD, duty_id=development.id, reason="非本部门数据")
    on(seeded, 10, 16)
    publish_new(seeded, hrss_record([("参保职工人数", "insured_employee_count"),
                                     ("企业月度工资总额", "monthly_wage_total_amount")]))
    water = {**EMPLOYMENT, "title": "企业用水量", "needs": ["企业月度用水量"]}
    d3 = seeded.create(MARKET_STEWARD, **water)
    seeded.run(register.declare_unmet, actor=MARKET_STEWARD, demand_id=d3.id)
    seeded.run(demand_duties.assign_demand, actor=COORDINATOR, demand_id=d3.id, departments=[WATER], working_days=2)
    d4 = seeded.create(POLICE_STEWARD, **water)
    seeded.run(register.withdraw_demand, actor=POLICE_STEWARD, demand_id=d4.id)
    on(seeded, 10, 22)


EXPECTED = {  # department: (raised, met_from_catalogue, assigned, answered, answered_on_time, fulfilled, overdue)
    TAX: (2, 1, 0, 0, 0, 0, 0),
    MARKET: (1, 0, 0, 0, 0, 0, 0),
    POLICE: (1, 0, 0, 0, 0, 0, 0),
    HRSS: (0, 0, 1, 1, 1, 1, 0),
    DEVELOPMENT: (0, 0, 1, 1, 0, 0, 0),
    WATER: (0, 0, 1, 0, 0, 0, 1),
}
KEYS = ("raised", "met_from_catalogue", "assigned", "answered", "answered_on_time", "fulfilled", "overdue")


def test_demand_figures_per_department_and_overall(seeded: Seeded) -> None:
    build(seeded)
    with seeded.db.session() as s:
        report = performance_report(session=s, calendar=seeded.calendar, clock=seeded.clock)
    by_code = {r["department_code"]: r["demands"] for r in report["departments"]}
    for code, figures in EXPECTED.items():
        assert tuple(by_code[code][k] for k in KEYS) == figures, code
    untouched = [c for c in by_code if c not in EXPECTED]
    assert untouched and all(not any(by_code[c].values()) for c in untouched)
    assert tuple(report["overall"]["demands"][k] for k in KEYS) == (4, 1, 3, 2, 1, 1, 1)
    rows = {r["department_code"]: r for r in flat_rows(report)}
    assert rows[WATER]["demands.overdue"] == 1 and rows["*"]["demands.raised"] == 4
