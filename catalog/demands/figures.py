"""Demand figures of the performance report (绩效评估), per department.

    raised               demands the department registered (withdrawn ones included)
    met_from_catalogue   of those, met by share requests made from the catalogue's proposals
    assigned             duties assigned to the department
    answered_on_time     duties it answered (will provide / cannot / not ours) by the due day
    fulfilled            duties it fulfilled by publishing a covering resource
    overdue              duties now overdue: unanswered past the due day, or promised past the target date
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog.demands.duties import is_overdue
from catalog.demands.models import Demand, Duty
from catalog.sharing import deadlines
from catalog.sharing.calendar import WorkingCalendar
from catalog.sharing.clock import as_utc

FIGURES = ("raised", "met_from_catalogue", "assigned", "answered", "answered_on_time", "fulfilled", "overdue")


def blank() -> dict[str, int]:
    return dict.fromkeys(FIGURES, 0)


def count(*, session: Session, calendar: WorkingCalendar, today: date,
          row: Callable[[str], dict[str, Any]]) -> None:
    """Add every demand and duty to the `demands` part of its department's row (`row(code)`)."""
    for code, status in session.execute(select(col(Demand.requester_code), col(Demand.status))):
        figures = row(code)["demands"]
        figures["raised"] += 1
        figures["met_from_catalogue"] += status == "matched"
    for duty in session.execute(select(Duty)).scalars():
        figures = row(duty.department_code)["demands"]
        figures["assigned"] += 1
        if duty.answered_at is not None:
            figures["answered"] += 1
            figures["answered_on_time"] += deadlines.on_time(calendar=calendar, due_on=duty.due_on,
                                                             answered_at=as_utc(duty.answered_at))
        figures["fulfilled"] += duty.status == "fulfilled"
        figures["overdue"] += is_overdue(duty, today=today)
