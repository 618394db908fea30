"""Deadline rules: when an answer is due, whether it is overdue, and how long it took (working days).

Days are counted on the working-day calendar in its local time; the day of submission is not
counted, so a request made on a Friday with a 10-day rule is due at the end of the 10th working day
after it. An answer given on the due date is on time.
"""
from __future__ import annotations

from datetime import date, datetime

from catalog.sharing.calendar import WorkingCalendar


def due_date(*, calendar: WorkingCalendar, submitted_at: datetime, working_days: int) -> date:
    """The last day on which an answer is on time."""
    return calendar.add_working_days(start=calendar.local_date(submitted_at), days=working_days)


def share_request_due(*, calendar: WorkingCalendar, submitted_at: datetime) -> date:
    return due_date(calendar=calendar, submitted_at=submitted_at,
                    working_days=calendar.rules.share_request_answer)


def feedback_due(*, calendar: WorkingCalendar, submitted_at: datetime) -> date:
    return due_date(calendar=calendar, submitted_at=submitted_at, working_days=calendar.rules.feedback_answer)


def is_overdue(*, calendar: WorkingCalendar, due_on: date | None, now: datetime) -> bool:
    """True once the local date is past the due date (an unanswered item only)."""
    return due_on is not None and calendar.local_date(now) > due_on


def on_time(*, calendar: WorkingCalendar, due_on: date | None, answered_at: datetime) -> bool:
    return due_on is None or calendar.local_date(answered_at) <= due_on


def answer_working_days(*, calendar: WorkingCalendar, submitted_at: datetime, answered_at: datetime) -> int:
    """Working days from submission to answer; an answer the same day or over a weekend counts 0."""
    return calendar.working_days_between(start=calendar.local_date(submitted_at),
                                         end=calendar.local_date(answered_at))
