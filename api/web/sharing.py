"""The sharing services' collaborators for page routes: the same calendar and clock the API uses."""
from __future__ import annotations

from dataclasses import dataclass

from fastapi import Request

from api.deps import get_calendar, get_clock
from catalog.sharing.calendar import WorkingCalendar
from catalog.sharing.clock import Clock


@dataclass(frozen=True, slots=True)
class SharingTools:
    calendar: WorkingCalendar
    clock: Clock


def sharing_tools(request: Request) -> SharingTools:
    return SharingTools(calendar=get_calendar(request), clock=get_clock(request))
