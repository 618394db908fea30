"""An injectable clock: the system clock in service, a fixed (movable) clock in tests."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware (UTC)."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock that stands still until a test moves it."""

    at: datetime

    def __post_init__(self) -> None:
        self.at = as_utc(self.at)

    def now(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        self.at = self.at + timedelta(**delta)

    def set(self, at: datetime) -> None:
        self.at = as_utc(at)


def as_utc(moment: datetime) -> datetime:
    """Read back a stored timestamp: SQLite drops the zone, and we only store UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
