"""Data-error feedback (校核): a consumer reports a suspected error; the provider answers in time.

A report names the resource, optionally the information item, and what is wrong; it is due in N
working days (calendar `deadlines.feedback_answer`). The provider's steward answers `corrected` or
`not_an_error` with a text. Every step writes one audit entry in the caller's transaction.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog import audit_log
from catalog.auth import Actor, allowed, authorize
from catalog.errors import Conflict, Forbidden
from catalog.notify.sharing_events import on_feedback as notify
from catalog.sharing import deadlines
from catalog.sharing.calendar import WorkingCalendar
from catalog.sharing.clock import Clock, as_utc
from catalog.sharing.common import (
    acting_department,
    bad,
    can_see,
    iso,
    item_identifiers,
    need_text,
    not_found,
    published_resource,
)
from catalog.sharing.models import ErrorReport

OUTCOMES = ("corrected", "not_an_error")
STATUS_LABELS = {"open": "待答复", "corrected": "已更正", "not_an_error": "经核实无误"}


def create_report(*, session: Session, actor: Actor, calendar: WorkingCalendar, clock: Clock,
                  resource_code: Any, description: Any, item: Any = None,
                  reporter_code: str | None = None) -> ErrorReport:
    """A consuming department reports a suspected error in a published resource."""
    reporter = acting_department(actor, reporter_code, "report_error")
    resource = published_resource(session, resource_code)
    if item not in (None, ""):
        known = item_identifiers(resource)
        if not isinstance(item, str) or item not in known:
            raise bad("item", "unknown-item",
                      f"资源 {resource.code} 没有信息项 {item!r}; 可选: {', '.join(known) or '(无信息项)'}")
    text = need_text(description, "description", "错误描述")
    now = clock.now()
    report = ErrorReport(resource_code=resource.code, provider_code=resource.provider_code,
                         reporter_code=reporter, reported_by=actor.name, item=item or None, description=text,
                         status="open", created_at=now,
                         due_on=deadlines.feedback_due(calendar=calendar, submitted_at=now))
    session.add(report)
    session.flush()
    audit_log.append(session=session, actor=actor, changes=[audit_log.Change(
        "feedback.create", resource.code, detail={"feedback_id": report.id, "item": report.item,
                                                  "reporter_code": reporter, "due_on": iso(report.due_on)})])
    notify(session=session, report=report, action="create")
    return report


def get_report(*, session: Session, actor: Actor, report_id: int, lock: bool = False) -> ErrorReport:
    report = session.get(ErrorReport, report_id, with_for_update=lock, populate_existing=lock)
    if report is None or not can_see(actor, report.provider_code, report.reporter_code):
        raise not_found("数据纠错反馈", report_id)
    return report


def answer_report(*, session: Session, actor: Actor, calendar: WorkingCalendar, clock: Clock,
                  report_id: int, outcome: Any, answer: Any) -> ErrorReport:
    """The provider's steward answers: corrected, or not an error — with an explanation."""
    report = get_report(session=session, actor=actor, report_id=report_id, lock=True)
    try:
        authorize(actor, "answer_error", provider_code=report.provider_code)
    except Forbidden:
        raise Forbidden("只有提供方部门的数据管理员可以答复纠错反馈 (forbidden)", role=actor.role,
                        action="answer_error") from None
    if report.status != "open":
        raise Conflict(f"反馈 {report_id} 已答复 ({STATUS_LABELS[report.status]})", status=report.status)
    if outcome not in OUTCOMES:
        raise bad("outcome", "enum", f"答复结果应为 corrected (已更正) 或 not_an_error (经核实无误), 收到 {outcome!r}")
    text = need_text(answer, "answer", "答复说明")
    now = clock.now()
    report.status, report.answer, report.answered_at, report.answered_by = outcome, text, now, actor.name
    report.answer_working_days = deadlines.answer_working_days(
        calendar=calendar, submitted_at=as_utc(report.created_at), answered_at=now)
    audit_log.append(session=session, actor=actor, changes=[audit_log.Change(
        "feedback.answer", report.resource_code,
        detail={"feedback_id": report.id, "outcome": outcome,
                "on_time": deadlines.on_time(calendar=calendar, due_on=report.due_on, answered_at=now)})])
    notify(session=session, report=report, action="answer")
    session.flush()
    return report


def list_reports(*, session: Session, actor: Actor, calendar: WorkingCalendar, clock: Clock,
                 status: str | None = None, overdue: bool | None = None, resource_code: str | None = None,
                 provider_code: str | None = None, reporter_code: str | None = None,
                 limit: int = 100, offset: int = 0) -> tuple[list[ErrorReport], int]:
    query = select(ErrorReport)
    if not allowed(actor, "read_sharing"):
        own = actor.department_code or ""
        query = query.where(or_(col(ErrorReport.provider_code) == own, col(ErrorReport.reporter_code) == own))
    if status:
        if status not in STATUS_LABELS:
            raise bad("status", "enum", f"状态应为 {', '.join(STATUS_LABELS)} 之一, 收到 {status!r}")
        query = query.where(col(ErrorReport.status) == status)
    if overdue is not None:
        late = (col(ErrorReport.status) == "open") & (col(ErrorReport.due_on) < calendar.local_date(clock.now()))
        query = query.where(late if overdue else ~late)
    for column, value in ((col(ErrorReport.resource_code), resource_code),
                          (col(ErrorReport.provider_code), provider_code),
                          (col(ErrorReport.reporter_code), reporter_code)):
        if value:
            query = query.where(column == value)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = session.execute(query.order_by(col(ErrorReport.id).desc()).limit(limit).offset(offset)).scalars().all()
    return list(rows), int(total)


def report_dict(report: ErrorReport, *, calendar: WorkingCalendar, clock: Clock) -> dict[str, Any]:
    overdue = report.status == "open" and deadlines.is_overdue(calendar=calendar, due_on=report.due_on,
                                                               now=clock.now())
    return {
        "id": report.id, "resource_code": report.resource_code, "provider_code": report.provider_code,
        "reporter_code": report.reporter_code, "reported_by": report.reported_by, "item": report.item,
        "description": report.description, "status": report.status,
        "status_label": STATUS_LABELS.get(report.status, report.status), "overdue": overdue,
        "created_at": iso(report.created_at), "due_on": iso(report.due_on), "answered_at": iso(report.answered_at),
        "answered_by": report.answered_by, "answer": report.answer,
        "answer_working_days": report.answer_working_days,
    }
