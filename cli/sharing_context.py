"""What the sharing commands (`mulu requests|grants|feedback`, `mulu report`) share: the local context
(session, actor, working-day calendar, clock) and the printout of one share request.

Remotely (`--server`), the server's own calendar and clock decide; the printout is the same.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import typer

from catalog.display_time import display_time
from catalog.settings import get_settings
from catalog.sharing.calendar import WorkingCalendar, calendar_for
from catalog.sharing.clock import SystemClock
from cli import output
from cli.catalogue import connect, errors_exit, local

AS_JSON = typer.Option(False, "--json", help="JSON 输出")


@contextmanager
def sharing(token: str | None, *, write: bool) -> Iterator[tuple[Any, Any, WorkingCalendar, SystemClock]]:
    """A session on the local database (a transaction when writing), the actor, the calendar, the clock."""
    settings = get_settings()
    with errors_exit():
        calendar = calendar_for(settings)
    with local(token, write=write, settings=settings) as (session, actor):
        yield session, actor, calendar, SystemClock()


def through(server: str | None, token: str | None, *, write: bool, method: str, path: str,
            local_call: Callable[[Any, Any, WorkingCalendar, SystemClock], Any], **http: Any) -> Any:
    """The answer of the server's API (`method path`) when --server is given, else of `local_call`
    (session, actor, calendar, clock) on the local database: the same data either way."""
    remote = connect(server, token)
    if remote is not None:
        with errors_exit():
            return remote.call(method, path, **http)
    with sharing(token, write=write) as (session, actor, calendar, clock):
        return local_call(session, actor, calendar, clock)


# label, key: the fields of a share request as the terminal shows them
REQUEST_FIELDS = (("资源", "resource_code"), ("名称", "resource_name"), ("提供方", "provider_code"),
                  ("申请方", "requester_code"), ("共享类型", "share_type"), ("用途", "purpose"), ("依据", "basis"),
                  ("信息项", "items"), ("申请期限(天)", "period_days"), ("提交时间", "created_at"),
                  ("答复期限", "due_on"), ("答复时间", "answered_at"), ("理由/说明", "reason"),
                  ("批准信息项", "approved_items"), ("批准期限(天)", "approved_period_days"), ("授权", "grant_id"),
                  ("裁决", "arbitration_outcome"))
TIME_FIELDS = {"created_at", "answered_at"}


def print_request(data: dict[str, Any], as_json: bool) -> None:
    """One share request: JSON, or one line per field (the approved period is the decision's, not the asked one)."""
    if as_json:
        print(output.to_json(data))
        return
    out = output.stdout()
    tz = get_settings().timezone
    late = " [red]逾期[/]" if data["overdue"] else ""
    out.print(f"申请 {data['id']}  {data['status_label']} ({data['status']}){late}", highlight=False)
    for label, key in REQUEST_FIELDS:
        value = data.get(key)
        if value in (None, [], ""):
            continue
        if key in TIME_FIELDS:
            value = display_time(value, tz=tz)
        elif isinstance(value, list):
            value = ", ".join(value)
        out.print(f"  {label:<8} {value}", highlight=False, markup=False)
