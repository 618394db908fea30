"""Working-day calendar (工作日历) from YAML: weekends, holidays and adjusted working weekends (调休).

`load_calendar(path)` reads and checks the file once (cached per path); `WorkingCalendar` answers
`is_working_day`, `add_working_days` and `working_days_between`. Outside the years the file covers,
only the weekend rule applies.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from catalog.errors import InvalidInput
from catalog.findings import Finding, pointer
from catalog.settings import Settings

DEFAULT_CALENDAR = Path(__file__).resolve().parents[2] / "standards" / "calendar.yaml"
_OFFSET = re.compile(r"^([+-])(\d{2}):(\d{2})$")


@dataclass(frozen=True)
class DeadlineRules:
    """Answer deadlines in working days, and the longest period of use (configuration, not code)."""

    share_request_answer: int = 10
    feedback_answer: int = 5
    max_period_days: int = 1095


@dataclass(frozen=True)
class WorkingCalendar:
    id: str
    version: str
    title: str
    tz: timezone = timezone(timedelta(hours=8))
    weekend: frozenset[int] = frozenset({6, 7})
    holidays: dict[date, str] = field(default_factory=dict)
    working_weekends: dict[date, str] = field(default_factory=dict)
    rules: DeadlineRules = field(default_factory=DeadlineRules)

    def local_date(self, moment: datetime) -> date:
        """The calendar date of an instant in the calendar's local time."""
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(self.tz).date()

    def is_working_day(self, day: date) -> bool:
        if day in self.working_weekends:
            return True
        if day in self.holidays:
            return False
        return day.isoweekday() not in self.weekend

    def add_working_days(self, *, start: date, days: int) -> date:
        """The `days`-th working day after `start` (the start day itself is not counted)."""
        if days < 0:
            raise ValueError("days must be >= 0")
        current, left = start, days
        while left:
            current += timedelta(days=1)
            if self.is_working_day(current):
                left -= 1
        return current

    def working_days_between(self, *, start: date, end: date) -> int:
        """Working days in the half-open interval (start, end]; 0 when end <= start."""
        count, current = 0, start
        while current < end:
            current += timedelta(days=1)
            count += self.is_working_day(current)
        return count


def _bad(path: str, message: str, source: str) -> InvalidInput:
    finding = Finding(rule="calendar-invalid", severity="error", path=path, message=message, source=source)
    return InvalidInput(f"工作日历 {source} 无效: {message} ({path or '/'})", findings=[finding])


def _as_date(value: Any, where: str, source: str) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise _bad(where, f"应为日期 YYYY-MM-DD, 实为 {value!r}", source) from None


def parse_calendar(data: Any, *, source: str = "calendar.yaml") -> WorkingCalendar:
    """Build a calendar from parsed YAML, with an error naming the field for bad input."""
    if not isinstance(data, dict):
        raise _bad("", "应为映射 (mapping)", source)
    for key in ("id", "version", "title"):
        if not data.get(key):
            raise _bad(pointer(key), f"缺少必填字段 {key}", source)
    match = _OFFSET.match(str(data.get("utc_offset", "+08:00")))
    if not match:
        raise _bad("/utc_offset", "应为 ±HH:MM", source)
    sign = -1 if match.group(1) == "-" else 1
    tz = timezone(sign * timedelta(hours=int(match.group(2)), minutes=int(match.group(3))))
    weekend = data.get("weekend", [6, 7])
    if not isinstance(weekend, list) or not all(isinstance(d, int) and 1 <= d <= 7 for d in weekend):
        raise _bad("/weekend", "应为 ISO 星期数 1–7 的列表", source)
    holidays: dict[date, str] = {}
    for i, entry in enumerate(data.get("holidays") or []):
        where = pointer("holidays", i)
        if not isinstance(entry, dict) or "from" not in entry or "to" not in entry:
            raise _bad(where, "每个假期应有 name, from, to", source)
        start = _as_date(entry["from"], where + "/from", source)
        end = _as_date(entry["to"], where + "/to", source)
        if end < start:
            raise _bad(where + "/to", "结束日期早于开始日期", source)
        day = start
        while day <= end:
            holidays[day] = str(entry.get("name", ""))
            day += timedelta(days=1)
    working: dict[date, str] = {}
    for i, entry in enumerate(data.get("working_weekends") or []):
        where = pointer("working_weekends", i)
        if not isinstance(entry, dict) or "date" not in entry:
            raise _bad(where, "每个调休上班日应有 date", source)
        day = _as_date(entry["date"], where + "/date", source)
        if day in holidays:
            raise _bad(where + "/date", f"{day} 同时是假期和调休上班日", source)
        working[day] = str(entry.get("name", ""))
    raw_rules = data.get("deadlines") or {}
    defaults = DeadlineRules()
    values: dict[str, int] = {}
    for name in ("share_request_answer", "feedback_answer", "max_period_days"):
        value = raw_rules.get(name, getattr(defaults, name))
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise _bad(pointer("deadlines", name), "应为正整数 (工作日数)", source)
        values[name] = value
    return WorkingCalendar(
        id=str(data["id"]), version=str(data["version"]), title=str(data["title"]), tz=tz,
        weekend=frozenset(weekend), holidays=holidays, working_weekends=working,
        rules=DeadlineRules(**values),
    )


@lru_cache(maxsize=8)
def _load(path: str, mtime: float) -> WorkingCalendar:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise InvalidInput(f"无法读取工作日历 {path}: {exc}") from None
    return parse_calendar(data, source=Path(path).name)


def load_calendar(path: Path | None = None) -> WorkingCalendar:
    """The calendar at `path` (default: standards/calendar.yaml), parsed once and cached."""
    target = (path or DEFAULT_CALENDAR).resolve()
    try:
        mtime = target.stat().st_mtime
    except OSError as exc:
        raise InvalidInput(f"无法读取工作日历 {target}: {exc}") from None
    return _load(str(target), mtime)




def calendar_for(settings: Settings) -> WorkingCalendar:
    """The calendar of `settings`: MULU_CALENDAR, else calendar.yaml in MULU_STANDARDS_DIR, else the shipped one."""
    if settings.calendar_path is not None:
        return load_calendar(settings.calendar_path)
    if settings.standards_dir is not None and (settings.standards_dir / "calendar.yaml").is_file():
        return load_calendar(settings.standards_dir / "calendar.yaml")
    return load_calendar()
