"""The performance-evaluation report checked against a hand-computed example (fixed clock)."""
from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from catalog.auth import SYSTEM, Actor
from catalog.registry import register_records
from catalog.sharing import feedback, requests
from catalog.stats import flat_rows, performance_report
from tests.sharing.conftest import (
    CONDITIONAL,
    MARKET,
    MARKET_STEWARD,
    NOT_SHARED,
    POLICE,
    POLICE_STEWARD,
    TAX,
    TAX_STEWARD,
    UNCONDITIONAL,
    publish,
)

HRSS = "330782104"
HRSS_STEWARD = Actor("人力社保局数据管理员", "steward", HRSS)
Run = Callable[..., Any]


def on(clock: Any, month: int, day: int) -> None:
    clock.set(datetime(2025, month, day, 2, 0, tzinfo=UTC))  # 10:00 in 义乌


def build(db: Any, run: Run, clock: Any) -> None:
    """The example (dates in 2025; 10/1–10/8 holiday, Sat 10/11 a working day):

    market (330782101) resources: U 无条件, C 有条件, N 不予, W 无条件 with an unknown field (a warning),
    D 无条件 draft; police (330782102): P 无条件.  Compliance: market 4 of 5 clean, police 1 of 1.
    requests to market, made 9/30 (due 10/21 for 有条件):
      R1 tax→C approved 10/10 (2 working days, on time)   R2 police→C rejected 10/22 (11, late)
      R3 tax→N refused at once                             R4 tax→U granted at once
      R5 hrss→C still pending on 10/23 → overdue
    error reports to market: F1 tax→U 9/30 corrected 10/13 (4, on time); F2 police→C 9/30 not an error 10/20
      (late); F3 hrss→U 10/9 corrected 10/15 (5, on time); F4 tax→C 10/20 open (due 10/27);
      F5 police→W 9/30 open, overdue
    """
    warned = copy.deepcopy(UNCONDITIONAL)
    warned.update(name="企业登记基本信息附注", x_note="内部备注")
    u, c, n, w = publish(db, [UNCONDITIONAL, CONDITIONAL, NOT_SHARED, warned])
    police = copy.deepcopy(UNCONDITIONAL)
    police.update(name="在册人员基本信息", provider="义乌市公安局", provider_code=POLICE, items=[  # its own data:
        {"name": "公民身份号码", "identifier": "citizen_id_number", "data_type": "C", "length": 18},  # 一数一源
        {"name": "姓名", "identifier": "person_name", "data_type": "C", "length": 50}])
    publish(db, [police])
    draft = copy.deepcopy(UNCONDITIONAL)
    draft.update(name="个体工商户登记信息")
    with db.transaction() as session:
        assert register_records(session=session, actor=SYSTEM, records=[draft])[0].ok

    def ask(actor: Any, code: str) -> int:
        return run(requests.create_request, actor=actor, resource_code=code, purpose="法定职责",
                   basis="法律法规", period_days=365).id

    def report(actor: Any, code: str) -> int:
        return run(feedback.create_report, actor=actor, resource_code=code, description="数据有误").id

    on(clock, 9, 30)
    r1, r2, r3, r4, r5 = ask(TAX_STEWARD, c), ask(POLICE_STEWARD, c), ask(TAX_STEWARD, n), ask(TAX_STEWARD, u), \
        ask(HRSS_STEWARD, c)
    f1, f2, f5 = report(TAX_STEWARD, u), report(POLICE_STEWARD, c), report(POLICE_STEWARD, w)
    on(clock, 10, 9)
    f3 = report(HRSS_STEWARD, u)
    on(clock, 10, 10)
    run(requests.approve_request, actor=MARKET_STEWARD, request_id=r1)
    on(clock, 10, 13)
    run(feedback.answer_report, actor=MARKET_STEWARD, report_id=f1, outcome="corrected", answer="已更正")
    on(clock, 10, 15)
    run(feedback.answer_report, actor=MARKET_STEWARD, report_id=f3, outcome="corrected", answer="已更正")
    on(clock, 10, 20)
    run(feedback.answer_report, actor=MARKET_STEWARD, report_id=f2, outcome="not_an_error", answer="核实无误")
    report(TAX_STEWARD, c)
    on(clock, 10, 22)
    run(requests.reject_request, actor=MARKET_STEWARD, request_id=r2, reason="超出共享条件")
    on(clock, 10, 23)
    assert (r3, r4, r5, f5) == (3, 4, 5, 3)


def test_report_matches_the_hand_computed_example(db: Any, run: Run, clock: Any, cal: Any) -> None:
    build(db, run, clock)
    with db.session() as session:
        report = performance_report(session=session, calendar=cal, clock=clock)
    assert report["as_of"] == "2025-10-23"
    rows = {r["department_code"]: r for r in report["departments"]}
    market, police, tax, hrss = rows[MARKET], rows[POLICE], rows[TAX], rows[HRSS]
    assert market["department"] == "义乌市市场监督管理局"
    assert market["resources"] == {
        "total": 5, "by_state": {"draft": 1, "submitted": 0, "published": 4, "withdrawn": 0},
        "by_share_type": {"无条件共享": 3, "有条件共享": 1, "不予共享": 1}}
    assert market["compliance"] == {"audited": 5, "without_findings": 4, "without_errors": 5, "rate": 0.8,
                                    "rate_without_errors": 1.0}
    assert market["requests"] == {
        "received": 5, "decided_automatically": 2, "to_answer": 3, "answered": 2, "answered_on_time": 1,
        "answered_late": 1, "pending": 1, "overdue": 1, "on_time_rate": 0.5, "median_answer_working_days": 6.5,
        "made": 0}
    assert market["feedback"] == {
        "received": 5, "answered": 3, "corrected": 2, "not_an_error": 1, "open": 2, "overdue": 1,
        "answered_on_time": 2, "median_fix_working_days": 4.5, "reported": 0}
    assert (tax["requests"]["made"], police["requests"]["made"], hrss["requests"]["made"]) == (3, 1, 1)
    assert (tax["feedback"]["reported"], police["feedback"]["reported"], hrss["feedback"]["reported"]) == (2, 2, 1)
    assert police["compliance"]["rate"] == 1.0 and police["requests"]["received"] == 0
    assert police["requests"]["median_answer_working_days"] is None
    assert tax["resources"]["total"] == 0 and tax["compliance"]["rate"] is None

    overall = report["overall"]
    assert overall["resources"]["total"] == 6
    assert overall["resources"]["by_share_type"] == {"无条件共享": 4, "有条件共享": 1, "不予共享": 1}
    assert overall["compliance"]["rate"] == round(5 / 6, 4)
    assert overall["requests"]["received"] == overall["requests"]["made"] == 5
    assert overall["requests"]["median_answer_working_days"] == 6.5
    assert overall["feedback"]["received"] == overall["feedback"]["reported"] == 5
    assert overall["feedback"]["median_fix_working_days"] == 4.5

    flat = {r["department_code"]: r for r in flat_rows(report)}
    assert flat[MARKET]["requests.overdue"] == 1 and flat["*"]["resources.total"] == 6
    with db.session() as session:
        only = performance_report(session=session, calendar=cal, clock=clock, department_code=POLICE)
    assert [r["department_code"] for r in only["departments"]] == [POLICE]
    assert only["overall"]["resources"]["total"] == 6
