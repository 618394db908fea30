"""Every kind of event reaches the right people (inbox and e-mail through a real SMTP server) and nobody
else, with a provider (市场监管局), a requester (税务局), a bystander (公安局) and a coordinator."""
from __future__ import annotations

from collections import defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from catalog import registry
from catalog.db import Database
from catalog.notify import Notifier
from catalog.notify.kinds import KINDS
from catalog.notify.models import Delivery, Notification, NotifyEvent
from catalog.notify.preferences import set_preferences
from catalog.sharing import feedback, grants, requests
from catalog.sharing.clock import FixedClock
from tests.notify.conftest import (
    ADDRESS, COORDINATOR, MARKET_STEWARD, POLICE_STEWARD, TAX_DEVELOPER, TAX_STEWARD, short_names,
)
from tests.notify.receivers import SmtpServer
from tests.sharing.conftest import UNCONDITIONAL

# Who hears each kind in this scenario (MS/MD/TS/TD/PS = steward/developer of market/tax/police, C = coordinator)
EXPECTED: dict[str, set[str]] = {
    "share_request.created": {"MS"},
    "share_request.decided": {"TS", "TD"},
    "share_request.withdrawn": {"MS"},
    "share_request.escalated": {"MS", "C"},
    "share_request.arbitrated": {"MS", "TS", "TD"},
    "share_request.due_soon": {"MS"},
    "share_request.overdue": {"MS", "TS", "TD", "C"},
    "feedback.created": {"MS"},
    "feedback.answered": {"TS", "TD"},
    "feedback.due_soon": {"MS"},
    "feedback.overdue": {"MS", "C"},
    "grant.expiring": {"TS", "TD"},
    "grant.expired": {"TS", "TD", "MS"},
    "grant.revoked": {"TS", "TD"},
    "grant.resource_changed": {"TS", "TD"},
    "grant.resource_withdrawn": {"TS", "TD"},
    "resource.submitted": {"C"},
    "resource.published": {"MS"},
    "resource.rejected": {"MS"},
}
WITHDRAWN_BY_POLICE = {"MS"}


def scenario(db: Database, run: Any, codes: dict[str, str], clock: FixedClock, notifier: Notifier) -> None:
    """Drive every transition once (and the reminders), across two departments and a coordinator."""
    req = run(requests.create_request, actor=TAX_STEWARD, resource_code=codes["conditional"], purpose="税务登记核验",
              basis="《税收征收管理法》第十五条", period_days=30)
    run(requests.approve_request, actor=MARKET_STEWARD, request_id=req.id)
    free = run(requests.create_request, actor=TAX_DEVELOPER, resource_code=codes["unconditional"],
               purpose="比对", basis="业务需要", period_days=5)
    run(grants.revoke_grant, actor=MARKET_STEWARD, grant_id=free.grant_id, reason="用途已结束")
    run(requests.create_request, actor=TAX_STEWARD, resource_code=codes["not_shared"], purpose="核查",
        basis="业务需要", period_days=10)
    again = run(requests.create_request, actor=TAX_STEWARD, resource_code=codes["conditional"], purpose="再次申请",
                basis="业务需要", period_days=30)
    run(requests.reject_request, actor=MARKET_STEWARD, request_id=again.id, reason="超出法定职责")
    run(requests.escalate_request, actor=TAX_STEWARD, request_id=again.id, reason="确有需要")
    run(requests.arbitrate_request, actor=COORDINATOR, request_id=again.id, outcome="grant", reason="依法予以共享",
        period_days=3)
    police = run(requests.create_request, actor=POLICE_STEWARD, resource_code=codes["conditional"],
                 purpose="案件协查", basis="《人民警察法》", period_days=10)
    run(requests.withdraw_request, actor=POLICE_STEWARD, request_id=police.id)
    report = run(feedback.create_report, actor=TAX_STEWARD, resource_code=codes["conditional"], description="地址有误")
    run(feedback.answer_report, actor=MARKET_STEWARD, report_id=report.id, outcome="corrected", answer="已更正")
    # the register: a draft submitted, rejected, resubmitted and published
    record = {**UNCONDITIONAL, "name": "个体工商户登记信息"}
    record.pop("code", None)
    with db.transaction() as session:
        code = registry.create_resource(session=session, actor=MARKET_STEWARD, record=record).code
    for actor, action in ((MARKET_STEWARD, "submit"), (COORDINATOR, "reject"), (MARKET_STEWARD, "submit"),
                          (COORDINATOR, "publish")):
        with db.transaction() as session:
            registry.change_state(session=session, actor=actor, code=code, action=action,
                                  reason="请补充更新周期" if action == "reject" else None)
    # a resource tax holds a live grant on: withdrawn, then changed and published again
    with db.transaction() as session:
        registry.change_state(session=session, actor=MARKET_STEWARD, code=codes["conditional"], action="withdraw")
    with db.transaction() as session:
        row = registry.get_resource(session=session, actor=MARKET_STEWARD, code=codes["conditional"])
        changed = {**row.record, "summary": (row.record.get("summary") or "") + " (新增字段说明)"}
        registry.update_resource(session=session, actor=MARKET_STEWARD, code=row.code, record=changed,
                                 if_match=row.etag)
    for actor, action in ((MARKET_STEWARD, "submit"), (COORDINATOR, "publish")):
        with db.transaction() as session:
            registry.change_state(session=session, actor=actor, code=codes["conditional"], action=action)
    # deadlines: an open request and an open report, reminded before and after their due dates
    late = run(requests.create_request, actor=TAX_STEWARD, resource_code=codes["conditional"], purpose="年度核查",
               basis="业务需要", period_days=30)
    run(feedback.create_report, actor=TAX_STEWARD, resource_code=codes["unconditional"], description="名称有误")
    assert late.due_on == date(2025, 10, 21)  # 10 working days after Tue 30 Sep, across the National Day week
    for day in (date(2025, 9, 30), date(2025, 10, 10), date(2025, 10, 20), date(2025, 10, 23)):
        clock.set(datetime.combine(day, time(2, 0), tzinfo=UTC))  # 10:00 in 义乌
        notifier.remind()  # grant expiring / feedback due soon / request due soon + others late / request late

def test_every_kind_reaches_exactly_its_audience(db: Database, run: Any, codes: dict[str, str], clock: FixedClock,
                                                 people: dict[str, str], notifier: Notifier, smtp: SmtpServer) -> None:
    scenario(db, run, codes, clock, notifier)
    assert notifier.dispatch().failed == 0
    with db.session() as session:
        events = session.execute(select(NotifyEvent).order_by(NotifyEvent.id)).scalars().all()
        inbox: dict[int, set[str]] = defaultdict(set)
        for n in session.execute(select(Notification)).scalars():
            inbox[n.event_id].add(n.recipient)
        delivery_event = {d.delivery_id: d.event_id for d in session.execute(select(Delivery)).scalars()}
    mailed: dict[int, set[str]] = defaultdict(set)
    for msg in smtp.messages:
        mailed[delivery_event[msg["X-Mulu-Delivery"]]].add(msg["To"])
    demand_kinds = {k for k in KINDS if k.startswith("demand.")}  # tests/demands/test_notifications.py
    assert {e.kind for e in events} == set(KINDS) - demand_kinds, "every kind of event occurred"
    by_address = {v: k for k, v in ADDRESS.items()}
    for event in events:
        want = WITHDRAWN_BY_POLICE if event.kind == "share_request.withdrawn" else EXPECTED[event.kind]
        assert short_names(inbox[event.id]) == want, (event.kind, event.title)
        assert {by_address[a] for a in mailed[event.id]} == want, (event.kind, "e-mail", len(smtp.messages), len(delivery_event))
    assert "PS" not in {s for e in events for s in short_names(inbox[e.id])} - WITHDRAWN_BY_POLICE


def test_email_is_chinese_plain_and_html(db: Database, run: Any, codes: dict[str, str], people: dict[str, str],
                                         notifier: Notifier, smtp: SmtpServer) -> None:
    run(requests.create_request, actor=TAX_STEWARD, resource_code=codes["conditional"], purpose="税务登记核验",
        basis="业务需要", period_days=30)
    notifier.dispatch()
    [msg] = smtp.messages
    assert msg["To"] == ADDRESS["MS"]
    assert "申请共享「企业设立登记信息」" in msg["Subject"]
    plain = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert "用途: 税务登记核验" in plain and "<h2>" in html and "税务登记核验" in html


def test_people_and_departments_change_what_they_hear(db: Database, run: Any, codes: dict[str, str],
                                                      people: dict[str, str]) -> None:
    with db.transaction() as session:
        # the tax developer does not want decisions; the market department wants its developers to see requests,
        # and its steward wants no e-mail about them
        set_preferences(session=session, actor=TAX_DEVELOPER, rules=[
            {"kind": "share_request.decided", "channel": "inbox", "enabled": False}])
        set_preferences(session=session, actor=MARKET_STEWARD, department_code=MARKET_STEWARD.department_code,
                        rules=[{"kind": "share_request.created", "channel": "inbox", "enabled": True}])
        set_preferences(session=session, actor=MARKET_STEWARD, rules=[
            {"kind": "*", "channel": "email", "enabled": False}])
    run(requests.create_request, actor=TAX_STEWARD, resource_code=codes["unconditional"], purpose="比对",
        basis="业务需要", period_days=5)
    with db.session() as session:
        got = {(e.kind, n.recipient) for e, n in session.execute(
            select(NotifyEvent, Notification).join(Notification, Notification.event_id == NotifyEvent.id))}
        mails = {(d.target) for d in session.execute(select(Delivery).where(Delivery.channel == "email")).scalars()}
    assert {(k, s) for k, n in got for s in short_names([n])} == {
        ("share_request.created", "MS"), ("share_request.created", "MD"), ("share_request.decided", "TS")}
    assert mails == {ADDRESS["MD"], ADDRESS["TS"]}


def test_a_rolled_back_change_notifies_nobody(db: Database, run: Any, codes: dict[str, str],
                                              people: dict[str, str], clock: FixedClock) -> None:
    from catalog.sharing.calendar import load_calendar

    with pytest.raises(RuntimeError):
        with db.transaction() as session:
            requests.create_request(session=session, actor=TAX_STEWARD, calendar=load_calendar(), clock=clock,
                                    resource_code=codes["conditional"], purpose="p", basis="b", period_days=5)
            raise RuntimeError("the rest of the change failed")
    with db.session() as session:
        assert session.execute(select(NotifyEvent)).first() is None
        assert session.execute(select(Notification)).first() is None
        assert session.execute(select(Delivery)).first() is None
    _ = timedelta
