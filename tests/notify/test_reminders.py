"""Reminders from the working-day calendar with a fixed clock: N working days before a deadline, across
the National Day holiday; once each, however often and by however many processes they are computed."""
from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from catalog.db import Database
from catalog.notify import Notifier
from catalog.notify.models import Notification, NotifyEvent
from catalog.sharing import requests
from catalog.sharing.clock import FixedClock
from tests.notify.conftest import MARKET_STEWARD, TAX_STEWARD


def at(day: date) -> datetime:
    return datetime.combine(day, time(2, 0), tzinfo=UTC)  # 10:00 in 义乌


def reminders(db: Database) -> list[tuple[str, str]]:
    with db.session() as session:
        return [(e.kind, e.created_at.date().isoformat()) for e in
                session.execute(select(NotifyEvent).where(NotifyEvent.dedupe_key.is_not(None))
                                .order_by(NotifyEvent.id)).scalars()]


def test_three_working_days_before_across_the_holiday(db: Database, run: Any, codes: dict[str, str],
                                                      clock: FixedClock, notifier: Notifier,
                                                      people: dict[str, str]) -> None:
    clock.set(at(date(2025, 9, 22)))  # Mon 22 Sep: due 10 working days later (Sun 28 Sep is a working day)
    req = run(requests.create_request, actor=TAX_STEWARD, resource_code=codes["conditional"], purpose="核验",
              basis="业务需要", period_days=30)
    assert req.due_on == date(2025, 10, 11)  # Sat 11 Oct, a working weekend after the holiday (1–8 Oct)
    assert notifier.settings.remind_days == 3
    day = date(2025, 9, 22)
    while day <= date(2025, 10, 14):
        clock.set(at(day))
        notifier.run_once()
        notifier.run_once()  # again: nothing new
        day += timedelta(days=1)
    # 3 working days before 11 Oct are 9, 10, 11 Oct: the reminder fires on Tue 30 Sep, before the week off,
    # not on Mon 29 Sep (four working days left); overdue on Sun 12 Oct
    assert [(k, d) for k, d in reminders(db) if k.startswith("share_request")] == [
        ("share_request.due_soon", "2025-09-30"), ("share_request.overdue", "2025-10-12")]
    with db.session() as session:
        inbox = session.execute(select(Notification.recipient, Notification.kind).where(
            Notification.kind == "share_request.due_soon")).all()
    assert inbox == [(MARKET_STEWARD.name, "share_request.due_soon")]


def test_a_configurable_lead_time(db: Database, run: Any, codes: dict[str, str], clock: FixedClock,
                                  notifier: Notifier) -> None:
    from dataclasses import replace

    notifier.settings = replace(notifier.settings, remind_days=1)
    clock.set(at(date(2025, 9, 22)))
    run(requests.create_request, actor=TAX_STEWARD, resource_code=codes["conditional"], purpose="核验",
        basis="业务需要", period_days=30)
    for day in (date(2025, 9, 30), date(2025, 10, 9), date(2025, 10, 10)):
        clock.set(at(day))
        notifier.remind()
    assert [(k, d) for k, d in reminders(db)] == [("share_request.due_soon", "2025-10-10")]


@pytest.mark.postgres
@pytest.mark.parametrize("db", ["postgresql"], indirect=True)
def test_parallel_schedulers_write_each_reminder_once(db: Database, run: Any, codes: dict[str, str],
                                                      clock: FixedClock, notifier: Notifier,
                                                      people: dict[str, str]) -> None:
    clock.set(at(date(2025, 9, 22)))
    for i in range(10):
        req = run(requests.create_request, actor=TAX_STEWARD, resource_code=codes["conditional"],
                  purpose=f"核验{i}", basis="业务需要", period_days=30)
        run(requests.withdraw_request, actor=TAX_STEWARD, request_id=req.id) if i < 9 else None
    clock.set(at(date(2025, 10, 13)))  # the open one is overdue
    barrier = threading.Barrier(20)
    errors: list[BaseException] = []

    def one() -> None:
        try:
            barrier.wait()
            notifier.remind()
        except BaseException as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert [k for k, _ in reminders(db)] == ["share_request.overdue"]
    with db.session() as session:
        got = session.execute(select(Notification.recipient).where(Notification.kind == "share_request.overdue")
                              ).scalars().all()
    assert sorted(got) == sorted(set(got)) and len(got) == 4  # market and tax stewards, tax developer, coordinator
