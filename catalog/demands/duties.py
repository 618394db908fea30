"""The responsibility list (责任清单): the coordinator assigns an unmet demand to departments with a deadline in
working days; each answers will-provide (target date), cannot (reason) or not-ours; a "cannot" may be
escalated by the requester and arbitrated by the coordinator, as share requests are.

A duty is overdue when it is unanswered past its due day, or promised and not fulfilled past its target
date. When the last live duty of a demand ends without the data (not ours, refusal upheld), the demand
goes back to the coordinator (`release`). One function per transition; each emits one event.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog.auth import Actor, allowed
from catalog.demands import events
from catalog.demands.models import Demand, Duty
from catalog.demands.register import authorize_party, get_demand, page, parse_day
from catalog.demands.states import DUTY_LABELS, LIVE_DUTIES, demand_transition, duty_transition
from catalog.errors import Conflict
from catalog.models import Department
from catalog.sharing import deadlines
from catalog.sharing.calendar import WorkingCalendar
from catalog.sharing.clock import Clock
from catalog.sharing.common import bad, can_see, iso, need_int, need_text, not_found

MAX_ANSWER_DAYS = 60


def assign_demand(*, session: Session, actor: Actor, calendar: WorkingCalendar, clock: Clock, demand_id: int,
                  departments: Any, working_days: Any = None, note: Any = None) -> list[Duty]:
    """The coordinator makes the demand a duty of each department, answer due in N working days."""
    get_demand(session=session, actor=actor, demand_id=demand_id)
    demand = events.lock_demand(session, demand_id)
    target, party = demand_transition(state=demand.status, action="assign")
    authorize_party(actor, party, None, f"需求 {demand_id} ")
    if not isinstance(departments, list) or not departments or not all(isinstance(c, str) for c in departments):
        raise bad("departments", "required", "请指定责任部门代码列表 (departments is required)")
    codes = list(dict.fromkeys(c.strip() for c in departments))
    known = set(session.execute(select(col(Department.code)).where(col(Department.code).in_(codes))).scalars())
    live = set(session.execute(select(col(Duty.department_code)).where(
        col(Duty.demand_id) == demand_id, col(Duty.status).in_(LIVE_DUTIES))).scalars())
    for i, code in enumerate(codes):
        if code not in known:
            raise bad(f"departments/{i}", "unknown-department", f"部门 {code!r} 不在部门注册表中")
        if code == demand.requester_code:
            raise bad(f"departments/{i}", "own-demand", f"部门 {code} 是提出需求的部门, 不能作为责任部门")
        if code in live:
            raise Conflict(f"部门 {code} 对需求 {demand_id} 已有办理中的责任 (duplicate duty)", department_code=code)
    days = calendar.rules.share_request_answer if working_days in (None, "") else need_int(
        working_days, "working_days", "答复时限 (工作日)", low=1, high=MAX_ANSWER_DAYS)
    text = need_text(note, "note", "分派说明") if note not in (None, "") else None
    now = clock.now()
    due = deadlines.due_date(calendar=calendar, submitted_at=now, working_days=days)
    events.move(session, demand, expected=demand.status, values={"status": target, "updated_at": now})
    duties = []
    for code in codes:
        duty = Duty(demand_id=demand_id, department_code=code, status="assigned", assigned_at=now,
                    assigned_by=actor.name, due_on=due, note=text, updated_at=now)
        session.add(duty)
        session.flush()
        events.emit(session, actor=actor, demand=demand, duty=duty, event="assign", at=now,
                    audience=[code, demand.requester_code], department_code=code, due_on=iso(due),
                    working_days=days, note=text)
        duties.append(duty)
    return duties


def get_duty(*, session: Session, actor: Actor, duty_id: int) -> Duty:
    """A duty its department, the demand's requester or an overseer may see."""
    duty = session.get(Duty, duty_id)
    if duty is None:
        raise not_found("责任", duty_id)
    demand = session.get(Demand, duty.demand_id)
    if not (allowed(actor, "read_sharing") or can_see(actor, duty.department_code,
                                                      demand.requester_code if demand else "")):
        raise not_found("责任", duty_id)
    return duty


def _duty_step(session: Session, actor: Actor, duty_id: int, action: str) -> tuple[Duty, Demand, str]:
    duty = get_duty(session=session, actor=actor, duty_id=duty_id)
    demand = events.lock_demand(session, duty.demand_id)
    target, party = duty_transition(state=duty.status, action=action)
    code = {"responsible": duty.department_code, "requester": demand.requester_code}.get(party)
    authorize_party(actor, party, code, f"责任 {duty_id} ")
    return duty, demand, target


def _answered(duty: Duty, actor: Actor, now: datetime, answer: str) -> dict[str, Any]:
    return {"answered_at": now, "answered_by": actor.name, "answer": answer, "updated_at": now}


def will_provide(*, session: Session, actor: Actor, calendar: WorkingCalendar, clock: Clock, duty_id: int,
                 target_date: Any, note: Any = None) -> Duty:
    """The department will provide the data by `target_date`; publishing a covering resource fulfils it."""
    duty, demand, target = _duty_step(session, actor, duty_id, "will_provide")
    now = clock.now()
    day = parse_day(target_date, "target_date", "计划提供日期", not_before=calendar.local_date(now))
    if day is None:
        raise bad("target_date", "required", "请填写计划提供日期 target_date (YYYY-MM-DD)")
    text = need_text(note, "note", "说明") if note not in (None, "") else None
    expected = duty.status
    events.move(session, duty, expected=expected, values={"status": target, "target_date": day, "reason": text,
                                                          **_answered(duty, actor, now, "will_provide")})
    events.emit(session, actor=actor, demand=demand, duty=duty, event="duty.will_provide", at=now,
                audience=[demand.requester_code, duty.department_code], target_date=iso(day), note=text,
                on_time=deadlines.on_time(calendar=calendar, due_on=duty.due_on, answered_at=now))
    from catalog.demands.fulfilment import fulfil_from_published

    fulfil_from_published(session=session, actor=actor, clock=clock, duty=duty, demand=demand)
    return duty


def _decline(session: Session, actor: Actor, calendar: WorkingCalendar, clock: Clock, duty_id: int, action: str,
             reason: Any, what: str) -> tuple[Duty, Demand]:
    """The body both negative answers share: the reason, the answer fields, the event."""
    duty, demand, target = _duty_step(session, actor, duty_id, action)
    text = need_text(reason, "reason", what)
    now = clock.now()
    events.move(session, duty, expected=duty.status, values={"status": target, "reason": text,
                                                             **_answered(duty, actor, now, action)})
    audience = [demand.requester_code, duty.department_code] if action == "cannot" else [events.COORDINATOR,
                                                                                           demand.requester_code]
    events.emit(session, actor=actor, demand=demand, duty=duty, event=f"duty.{action}", at=now, audience=audience,
                reason=text, on_time=deadlines.on_time(calendar=calendar, due_on=duty.due_on, answered_at=now))
    return duty, demand


def cannot_provide(*, session: Session, actor: Actor, calendar: WorkingCalendar, clock: Clock, duty_id: int,
                   reason: Any) -> Duty:
    """The department cannot provide the data, with reasons; the requester may escalate."""
    duty, _ = _decline(session, actor, calendar, clock, duty_id, "cannot", reason, "无法提供的理由")
    return duty


def not_ours(*, session: Session, actor: Actor, calendar: WorkingCalendar, clock: Clock, duty_id: int,
             reason: Any) -> Duty:
    """The data is not this department's to provide: back to the coordinator."""
    duty, demand = _decline(session, actor, calendar, clock, duty_id, "not_ours", reason, "理由 (应由哪个部门提供)")
    _release_if_idle(session, actor, demand, clock.now())
    return duty


def escalate_duty(*, session: Session, actor: Actor, calendar: WorkingCalendar, clock: Clock, duty_id: int,
                  reason: Any) -> Duty:
    """The requester disputes a "cannot" before the coordinator (争议协调)."""
    duty, demand, target = _duty_step(session, actor, duty_id, "escalate")
    text = need_text(reason, "reason", "申请协调的理由")
    now = clock.now()
    events.move(session, duty, expected=duty.status, values={"status": target, "escalated_at": now,
                                                             "escalation_reason": text, "updated_at": now})
    events.emit(session, actor=actor, demand=demand, duty=duty, event="duty.escalate", at=now,
                audience=[events.COORDINATOR, duty.department_code], reason=text)
    return duty


def arbitrate_duty(*, session: Session, actor: Actor, calendar: WorkingCalendar, clock: Clock, duty_id: int,
                   outcome: Any, reason: Any, target_date: Any = None) -> Duty:
    """The coordinator decides, finally: `provide` (the department must, by `target_date`) or `uphold`."""
    if outcome not in ("provide", "uphold"):
        raise bad("outcome", "enum", f"裁决结果应为 provide (应予提供) 或 uphold (维持无法提供), 收到 {outcome!r}")
    duty, demand, target = _duty_step(session, actor, duty_id, "order" if outcome == "provide" else "uphold")
    text = need_text(reason, "reason", "裁决理由")
    now = clock.now()
    values: dict[str, Any] = {"status": target, "arbitrated_at": now, "arbitrated_by": actor.name,
                              "arbitration_outcome": outcome if outcome == "provide" else "upheld",
                              "arbitration_reason": text, "updated_at": now}
    if outcome == "provide":
        day = parse_day(target_date, "target_date", "限定提供日期", not_before=calendar.local_date(now))
        if day is None:
            raise bad("target_date", "required", "裁决应予提供时须指定提供日期 target_date (YYYY-MM-DD)")
        values["target_date"] = day
    events.move(session, duty, expected=duty.status, values=values)
    events.emit(session, actor=actor, demand=demand, duty=duty, event="duty.arbitrate", at=now,
                audience=[demand.requester_code, duty.department_code], outcome=values["arbitration_outcome"],
                reason=text, target_date=iso(values.get("target_date")))
    if outcome == "uphold":
        _release_if_idle(session, actor, demand, now)
    return duty


def close_live_duties(*, session: Session, actor: Actor, demand: Demand, at: datetime, why: str,
                      keep: int | None = None) -> list[str]:
    """Close every live duty of `demand` (except `keep`): the demand ended otherwise. Their departments."""
    closed = []
    for duty in session.execute(select(Duty).where(col(Duty.demand_id) == demand.id, col(Duty.status).in_(LIVE_DUTIES))
                                .order_by(col(Duty.id))).scalars().all():
        if duty.id == keep:
            continue
        target, _ = duty_transition(state=duty.status, action="close")
        events.move(session, duty, expected=duty.status, values={"status": target, "reason": why, "updated_at": at})
        events.emit(session, actor=actor, demand=demand, duty=duty, event="duty.close", at=at,
                    audience=[duty.department_code], reason=why)
        closed.append(duty.department_code)
    return closed


def _release_if_idle(session: Session, actor: Actor, demand: Demand, now: datetime) -> None:
    """No live duty left and nothing fulfilled: the demand goes back to the coordinator's queue."""
    session.flush()
    live = session.execute(select(func.count()).select_from(Duty).where(
        col(Duty.demand_id) == demand.id, col(Duty.status).in_(LIVE_DUTIES))).scalar_one()
    if live or demand.status != "assigned":
        return
    target, _ = demand_transition(state=demand.status, action="release")
    events.move(session, demand, expected=demand.status, values={"status": target, "updated_at": now})
    events.emit(session, actor=actor, demand=demand, event="release", at=now,
                audience=[events.COORDINATOR, demand.requester_code])


def is_overdue(duty: Duty, *, today: date) -> bool:
    """Unanswered past the due day, or promised and not provided past the target date."""
    if duty.status == "assigned":
        return today > duty.due_on
    return duty.status == "promised" and duty.target_date is not None and today > duty.target_date


def overdue_clause(today: date) -> Any:
    return or_(and_(col(Duty.status) == "assigned", col(Duty.due_on) < today),
               and_(col(Duty.status) == "promised", col(Duty.target_date) < today))


def list_duties(*, session: Session, actor: Actor, calendar: WorkingCalendar, clock: Clock,
                department_code: str | None = None, status: str | None = None, overdue: bool | None = None,
                demand_id: int | None = None, limit: int = 100, offset: int = 0) -> tuple[list[Duty], int]:
    """Duties the actor may see (its department's, and those on demands it raised; all for overseers)."""
    query = select(Duty)
    if not allowed(actor, "read_sharing"):
        own = actor.department_code or ""
        query = query.where(or_(col(Duty.department_code) == own, col(Duty.demand_id).in_(
            select(col(Demand.id)).where(col(Demand.requester_code) == own))))
    if status:
        if status not in DUTY_LABELS:
            raise bad("status", "enum", f"状态应为 {', '.join(DUTY_LABELS)} 之一, 收到 {status!r}")
        query = query.where(col(Duty.status) == status)
    if department_code:
        query = query.where(col(Duty.department_code) == department_code)
    if demand_id:
        query = query.where(col(Duty.demand_id) == demand_id)
    if overdue is not None:
        clause = overdue_clause(calendar.local_date(clock.now()))
        query = query.where(clause if overdue else ~clause)
    return page(session, query, col(Duty.id).desc(), limit=limit, offset=offset)


def duty_dict(duty: Duty, *, demand: Demand | None = None, calendar: WorkingCalendar, clock: Clock) -> dict[str, Any]:
    today = calendar.local_date(clock.now())
    out: dict[str, Any] = {
        "id": duty.id, "demand_id": duty.demand_id, "department_code": duty.department_code, "status": duty.status,
        "status_label": DUTY_LABELS.get(duty.status, duty.status), "overdue": is_overdue(duty, today=today),
        "assigned_at": iso(duty.assigned_at), "assigned_by": duty.assigned_by, "due_on": iso(duty.due_on),
        "note": duty.note, "answered_at": iso(duty.answered_at), "answered_by": duty.answered_by,
        "answer": duty.answer, "target_date": iso(duty.target_date), "reason": duty.reason,
        "escalated_at": iso(duty.escalated_at), "escalation_reason": duty.escalation_reason,
        "arbitrated_at": iso(duty.arbitrated_at), "arbitrated_by": duty.arbitrated_by,
        "arbitration_outcome": duty.arbitration_outcome, "arbitration_reason": duty.arbitration_reason,
        "fulfilled_at": iso(duty.fulfilled_at), "resource_code": duty.resource_code,
    }
    if demand is not None:
        out.update(demand_title=demand.title, requester_code=demand.requester_code,
                   needs=[n["name"] for n in demand.needs or []])
    return out
