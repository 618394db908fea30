"""Times as people read them: one display time zone for the pages and the terminal, always labelled.

    display_time(value, tz="Asia/Shanghai")   "2026-12-01 05:59 (UTC+8)"
    display_date(value, tz="Asia/Shanghai")   "2026-12-01"  (the date in that zone)

The catalogue stores and the API answers UTC (ISO 8601 with `Z`); only what is shown to a person is
turned into the zone of the `MULU_TIMEZONE` setting (default Asia/Shanghai). A value is a datetime (a
naive one is UTC, as SQLite hands them back) or an ISO string; a bare date is shown as it is.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from catalog.errors import InvalidInput

DEFAULT_TIMEZONE = "Asia/Shanghai"


@lru_cache(maxsize=16)
def zone(name: str) -> ZoneInfo:
    """The zone called `name`; InvalidInput naming the setting when there is no such zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"MULU_TIMEZONE={name!r} 不是已知的时区，如 Asia/Shanghai (unknown time zone)") from None


def _offset_label(offset: timedelta | None) -> str:
    minutes = int((offset or timedelta()).total_seconds() // 60)
    sign, minutes = ("+" if minutes >= 0 else "-"), abs(minutes)
    return f"UTC{sign}{minutes // 60}" + (f":{minutes % 60:02d}" if minutes % 60 else "")


def _as_datetime(value: datetime | str) -> datetime | None:
    if isinstance(value, str):
        text = value.strip()
        if len(text) <= 10:  # a bare date
            return None
        try:
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def display_time(value: datetime | str | None, *, tz: str = DEFAULT_TIMEZONE) -> str:
    """`YYYY-MM-DD HH:MM (UTC+8)` in zone `tz`; a bare date as it is; '' for None."""
    if value is None or value == "":
        return ""
    moment = _as_datetime(value)
    if moment is None:
        return str(value)
    local = moment.astimezone(zone(tz))
    return f"{local:%Y-%m-%d %H:%M} ({_offset_label(local.utcoffset())})"


def today(*, tz: str = DEFAULT_TIMEZONE) -> str:
    """Today's date (YYYY-MM-DD) in zone `tz`, not in the server's own zone."""
    return datetime.now(zone(tz)).date().isoformat()


def display_date(value: datetime | date | str | None, *, tz: str = DEFAULT_TIMEZONE) -> str:
    """The calendar date of `value` in zone `tz` (a moment near midnight UTC may be the next day)."""
    if value is None or value == "":
        return ""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value.isoformat()
    moment = _as_datetime(value)
    if moment is None:
        return str(value)[:10]
    return moment.astimezone(zone(tz)).date().isoformat()
