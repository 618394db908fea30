"""Reminders computed from the working-day calendar: deadlines coming up, overdue answers, grants ending.

    remind(session=s, calendar=cal, clock=clock, days_before=2)   # -> number of reminders written

For each open share request and data-error report with a due date: `*.due_soon` once the due date is
at most `days_before` working days away (today not counted, the due date counted), `*.overdue` once it
has passed. For each live grant: `grant.expiring` `days_before` working days before its last day,
`grant.expired` after it. Every reminder carries a dedupe key (kind, subject, date), so running this
any number of times, in any number of processes, writes each reminder once.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog.notify.events import Event, emit
from catalog.notify.models import NotifyEvent
from catalog.sharing.calendar import WorkingCalendar
from catalog.sharing.clock import Clock
from catalog.sharing.models import ErrorReport, Grant, ShareRequest


def _when(calendar: WorkingCalendar, today: date, due: date, days_before: int) -> str | None:
    if today > due:
        return "overdue"
    if calendar.working_days_between(start=today, end=due) <= days_before:
        return "due_soon"
    return None


def remind(*, session: Session, calendar: WorkingCalendar, clock: Clock, days_before: int) -> int:
    now = clock.now()
    today = calendar.local_date(now)
    due: list[Event] = []
    fire = due.append

    for req in session.execute(select(ShareRequest).where(col(ShareRequest.status) == "pending",
                                                          col(ShareRequest.due_on).is_not(None))).scalars():
        assert req.due_on is not None
        stage = _when(calendar, today, req.due_on, days_before)
        if stage:
            late = stage == "overdue"
            fire(Event(kind=f"share_request.{stage}", dedupe_key=f"share_request.{stage}:{req.id}:{req.due_on}",
                       title=f"对「{req.resource_name}」({req.resource_code}) 的共享申请 {req.id} "
                             f"{'已逾期未答复' if late else '即将到期'} (答复期限 {req.due_on})",
                       body=f"申请部门: {req.requester_code}\n用途: {req.purpose}",
                       parties={"provider": req.provider_code, "requester": req.requester_code},
                       subject=("share_request", req.id), resource_code=req.resource_code,
                       link=f"/requests/{req.id}", data={"due_on": req.due_on.isoformat()}, at=now))
    for rep in session.execute(select(ErrorReport).where(col(ErrorReport.status) == "open")).scalars():
        stage = _when(calendar, today, rep.due_on, days_before)
        if stage:
            fire(Event(kind=f"feedback.{stage}", dedupe_key=f"feedback.{stage}:{rep.id}:{rep.due_on}",
                       title=f"资源 {rep.resource_code} 的纠错反馈 {rep.id} "
                             f"{'已逾期未答复' if stage == 'overdue' else '即将到期'} (答复期限 {rep.due_on})",
                       body=rep.description, parties={"provider": rep.provider_code, "reporter": rep.reporter_code},
                       subject=("feedback", rep.id), resource_code=rep.resource_code, link="/feedback",
                       data={"due_on": rep.due_on.isoformat()}, at=now))
    for grant in session.execute(select(Grant).where(col(Grant.status) == "active")).scalars():
        stage = _when(calendar, today, grant.valid_until, days_before)
        if stage:
            kind = "grant.expired" if stage == "overdue" else "grant.expiring"
            fire(Event(kind=kind, dedupe_key=f"{kind}:{grant.id}:{grant.valid_until}",
                       title=f"资源 {grant.resource_code} 的共享授权 {grant.id} "
                             f"{'已到期' if stage == 'overdue' else '即将到期'} (有效期至 {grant.valid_until})",
                       parties={"holder": grant.requester_code, "provider": grant.provider_code},
                       subject=("grant", grant.id), resource_code=grant.resource_code, link="/grants",
                       data={"valid_until": grant.valid_until.isoformat()}, at=now))
    written = 0
    for start in range(0, len(due), 500):  # one look-up per 500 reminders for those already written
        chunk = due[start:start + 500]
        done = set(session.execute(select(col(NotifyEvent.dedupe_key)).where(
            col(NotifyEvent.dedupe_key).in_([e.dedupe_key for e in chunk]))).scalars())
        written += sum(emit(session=session, event=e) is not None for e in chunk if e.dedupe_key not in done)
    session.flush()
    return written
