"""Working-day arithmetic on the shipped 2025–2026 calendar: weekends, holidays, adjusted working days."""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from catalog.errors import InvalidInput
from catalog.sharing import deadlines
from catalog.sharing.calendar import load_calendar, parse_calendar

CAL = load_calendar()


@pytest.mark.parametrize(("day", "working", "why"), [
    (date(2025, 10, 1), False, "国庆节 (Wednesday)"),
    (date(2025, 10, 8), False, "国庆节、中秋节 last day (Wednesday)"),
    (date(2025, 10, 9), True, "first working day after National Day"),
    (date(2025, 9, 28), True, "Sunday 调休上班"),
    (date(2025, 10, 11), True, "Saturday 调休上班"),
    (date(2025, 10, 12), False, "ordinary Sunday"),
    (date(2026, 1, 4), True, "Sunday 元旦调休"),
    (date(2026, 2, 14), True, "Saturday 春节调休"),
    (date(2026, 2, 16), False, "春节 (Monday)"),
    (date(2026, 2, 23), False, "春节 last day (Monday)"),
    (date(2026, 2, 28), True, "Saturday 春节调休"),
    (date(2026, 5, 9), True, "Saturday 劳动节调休"),
    (date(2026, 10, 8), True, "Thursday after the 2026 National Day week"),
    (date(2026, 11, 25), True, "ordinary Wednesday"),
    (date(2026, 11, 28), False, "ordinary Saturday"),
    (date(2027, 1, 1), True, "outside the calendar only weekends count"),
])
def test_is_working_day(day: date, working: bool, why: str) -> None:
    assert CAL.is_working_day(day) is working, why


@pytest.mark.parametrize(("start", "days", "due"), [
    # Fri → 10 working days over two plain weekends
    (date(2026, 11, 20), 10, date(2026, 12, 4)),
    # 2025 National Day: 10/1–10/8 off, Saturday 10/11 is a working day
    (date(2025, 9, 30), 10, date(2025, 10, 21)),
    (date(2025, 9, 30), 3, date(2025, 10, 11)),
    # the Sunday before National Day is a working day
    (date(2025, 9, 26), 1, date(2025, 9, 28)),
    # 2026 Spring Festival: Sat 2/14 works, 2/15–2/23 off, Sat 2/28 works
    (date(2026, 2, 13), 1, date(2026, 2, 14)),
    (date(2026, 2, 13), 2, date(2026, 2, 24)),
    (date(2026, 2, 13), 10, date(2026, 3, 5)),
    # submitted on a holiday: counting starts with the next working day
    (date(2026, 2, 18), 1, date(2026, 2, 24)),
    (date(2026, 11, 20), 0, date(2026, 11, 20)),
])
def test_add_working_days(start: date, days: int, due: date) -> None:
    assert CAL.add_working_days(start=start, days=days) == due


def test_working_days_between_counts_half_open_interval() -> None:
    assert CAL.working_days_between(start=date(2025, 9, 30), end=date(2025, 10, 21)) == 10
    assert CAL.working_days_between(start=date(2026, 2, 13), end=date(2026, 3, 5)) == 10
    assert CAL.working_days_between(start=date(2026, 2, 14), end=date(2026, 2, 23)) == 0  # the whole holiday
    assert CAL.working_days_between(start=date(2026, 3, 5), end=date(2026, 3, 1)) == 0


@hsettings(max_examples=200, deadline=None)
@given(st.dates(min_value=date(2024, 12, 1), max_value=date(2027, 1, 31)), st.integers(min_value=0, max_value=40))
def test_between_inverts_add(start: date, days: int) -> None:
    due = CAL.add_working_days(start=start, days=days)
    assert CAL.working_days_between(start=start, end=due) == days
    assert days == 0 or CAL.is_working_day(due)


def test_deadline_uses_local_time_of_the_calendar() -> None:
    # 16:30 UTC on Fri 13 Feb 2026 is 00:30 on Sat 14 Feb (a 调休 working day) in 义乌
    late = datetime(2026, 2, 13, 16, 30, tzinfo=UTC)
    assert CAL.local_date(late) == date(2026, 2, 14)
    assert deadlines.share_request_due(calendar=CAL, submitted_at=late) == date(2026, 3, 6)
    early = datetime(2026, 2, 13, 2, 0, tzinfo=UTC)
    assert deadlines.share_request_due(calendar=CAL, submitted_at=early) == date(2026, 3, 5)


def test_on_time_until_the_end_of_the_due_date_overdue_the_next_day() -> None:
    submitted = datetime(2025, 9, 30, 2, 0, tzinfo=UTC)
    due = deadlines.share_request_due(calendar=CAL, submitted_at=submitted)
    assert due == date(2025, 10, 21)
    last_minute = datetime(2025, 10, 21, 15, 59, tzinfo=UTC)  # 23:59 local
    assert deadlines.on_time(calendar=CAL, due_on=due, answered_at=last_minute)
    assert not deadlines.is_overdue(calendar=CAL, due_on=due, now=last_minute)
    assert deadlines.is_overdue(calendar=CAL, due_on=due, now=last_minute + timedelta(minutes=2))
    assert deadlines.answer_working_days(calendar=CAL, submitted_at=submitted, answered_at=last_minute) == 10


def test_shipped_rules_and_identity() -> None:
    assert (CAL.id, CAL.rules.share_request_answer, CAL.rules.feedback_answer) == ("calendar", 10, 5)
    assert CAL.version and CAL.title


def test_local_rules_are_configuration() -> None:
    cal = parse_calendar({"id": "sx", "version": "1", "title": "陕西", "deadlines": {"share_request_answer": 5},
                          "holidays": [{"name": "x", "from": "2026-11-23", "to": "2026-11-24"}],
                          "working_weekends": [{"date": "2026-11-29"}]})
    assert cal.rules.share_request_answer == 5 and cal.rules.feedback_answer == 5
    # Fri 11/20 + 5: 11/25, 26, 27, Sun 29 (调休), 30
    assert deadlines.share_request_due(calendar=cal, submitted_at=datetime(2026, 11, 20, 2, tzinfo=UTC)) \
        == date(2026, 11, 30)


@pytest.mark.parametrize(("data", "path"), [
    ({"id": "c", "version": "1", "title": "t", "holidays": [{"name": "x", "from": "2026-13-01", "to": "2026-12-01"}]},
     "/holidays/0/from"),
    ({"id": "c", "version": "1", "title": "t", "holidays": [{"name": "x", "from": "2026-12-02", "to": "2026-12-01"}]},
     "/holidays/0/to"),
    ({"id": "c", "version": "1", "title": "t", "deadlines": {"feedback_answer": 0}}, "/deadlines/feedback_answer"),
    ({"id": "c", "version": "1", "title": "t", "weekend": [0]}, "/weekend"),
    ({"version": "1", "title": "t"}, "/id"),
    ({"id": "c", "version": "1", "title": "t", "holidays": [{"from": "2026-10-01", "to": "2026-10-01"}],
      "working_weekends": [{"date": "2026-10-01"}]}, "/working_weekends/0/date"),
])
def test_bad_calendar_names_the_field(data: dict, path: str) -> None:
    with pytest.raises(InvalidInput) as err:
        parse_calendar(data)
    assert err.value.findings[0].path == path
