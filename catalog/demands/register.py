"""The demand register (需求清单): create (with proposals), read, list, and the requester's steps:
accept proposals as share requests, declare unmet, rematch, withdraw.

Every step is one function: it checks the state table (`catalog.demands.states`) and the policy
(`catalog.auth`), moves the row with a conditional UPDATE and emits one event (`catalog.demands.events`).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog.auth import Actor, allowed, authorize
from catalog.demands import events
from catalog.demands.matching import propose
from catalog.demands.models import Demand, Duty
from catalog.demands.needs import parse_needs
from catalog.demands.states import DEMAND_LABELS, LIVE_DUTIES, PARTY_TEXT, POLICY, demand_transition
from catalog.errors import Forbidden
from catalog.search.base import SearchBackend
from catalog.sharing.calendar import WorkingCalendar
from catalog.sharing.clock import Clock
from catalog.sharing.common import acting_department, bad, can_see, iso, need_int, need_text, not_found
from catalog.sharing.models import ShareRequest
from catalog.sharing.requests import create_request
from catalog.standards.model import Standards


def parse_day(value: Any, field: str, what: str, *, not_before: date | None = None) -> date | None:
    """An optional YYYY-MM-DD date, not earlier than `not_before`."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value))
        except ValueError:
            raise bad(field, "format", f"{what}应为日期 YYYY-MM-DD, 收到 {value!r}") from None
    if not_before is not None and day < not_before:
        raise bad(field, "too-early", f"{what}不能早于 {not_before.isoformat()}")
    return day


def authorize_party(actor: Actor, party: str, code: str | None, what: str) -> None:
    try:
        authorize(actor, POLICY[party], provider_code=code)  # type: ignore[index,arg-type]
    except Forbidden:
        raise Forbidden(f"无权对{what}执行此操作: 只有{PARTY_TEXT[party]}可以 (forbidden)",  # type: ignore[index]
                        role=actor.role) from None


def create_demand(*, session: Session, actor: Actor, calendar: WorkingCalendar, clock: Clock, standards: Standards,
                  backend: SearchBackend | None, title: Any, description: Any, needs: Any, purpose: Any, basis: Any,
                  scenario: Any = None, wanted_by: Any = None, requester_code: str | None = None) -> Demand:
    """A department registers a need; the proposals are computed at once."""
    requester = acting_department(actor, requester_code, "request_share")
    now = clock.now()
    row = Demand(requester_code=requester, requested_by=actor.name,
                 title=need_text(title, "title", "需求名称", max_length=200),
                 description=need_text(description, "description", "需求描述"),
                 needs=parse_needs(needs, standards=standards),
                 purpose=need_text(purpose, "purpose", "用途"), basis=need_text(basis, "basis", "法律依据"),
                 scenario=need_text(scenario, "scenario", "应用场景", max_length=200) if scenario not in (None, "")
                 else None,
                 wanted_by=parse_day(wanted_by, "wanted_by", "期望获得日期", not_before=calendar.local_date(now)),
                 status="open", proposals=[], created_at=now, updated_at=now)
    row.proposals, row.search_note = propose(session=session, needs=row.needs, title=row.title,
                                             requester_code=requester, standards=standards, backend=backend)
    session.add(row)
    session.flush()
    events.emit(session, actor=actor, demand=row, event="create", at=now, audience=[requester],
                needs=[n["name"] for n in row.needs], proposals=len(row.proposals),
                best=row.proposals[0]["coverage"] if row.proposals else None)
    return row


def get_demand(*, session: Session, actor: Actor, demand_id: int) -> Demand:
    """A demand its requester, its responsible departments, a coordinator, an auditor or an admin may see."""
    row = session.get(Demand, demand_id)
    if row is None:
        raise not_found("需求", demand_id)
    if allowed(actor, "read_sharing") or can_see(actor, row.requester_code):
        return row
    departments = session.execute(select(col(Duty.department_code)).where(col(Duty.demand_id) == demand_id)).scalars()
    if not can_see(actor, *departments):
        raise not_found("需求", demand_id)
    return row


def get_demand_row(*, session: Session, demand_id: int) -> Demand:
    """The demand row without a visibility check (for a caller that already checked, e.g. through its duty)."""
    row = session.get(Demand, demand_id)
    if row is None:
        raise not_found("需求", demand_id)
    return row


def _requester_step(session: Session, actor: Actor, demand_id: int, action: str) -> tuple[Demand, str]:
    get_demand(session=session, actor=actor, demand_id=demand_id)
    row = events.lock_demand(session, demand_id)
    target, party = demand_transition(state=row.status, action=action)
    authorize_party(actor, party, row.requester_code, f"需求 {demand_id} ")
    return row, target


def accept_proposals(*, session: Session, actor: Actor, calendar: WorkingCalendar, clock: Clock, demand_id: int,
                     resources: Any, period_days: Any) -> tuple[Demand, list[ShareRequest]]:
    """The requester turns proposals into share requests, one per resource, items pre-filled from coverage (a
    text-search proposal that covers no need by element or name asks for every item of the resource). The share
    requests follow their own workflow (`catalog.sharing.requests`); a duplicate open request refuses it all."""
    row, target = _requester_step(session, actor, demand_id, "accept")
    if not isinstance(resources, list) or not resources or not all(isinstance(c, str) for c in resources):
        raise bad("resources", "required", "请选择要申请共享的资源代码列表 (resources is required)")
    proposals = {p["resource_code"]: p for p in row.proposals or []}
    for i, code in enumerate(resources):
        if code not in proposals:
            raise bad(f"resources/{i}", "not-proposed",
                      f"资源 {code} 不在本需求的匹配结果中; 可选: {', '.join(proposals) or '(无)'}")
    days = need_int(period_days, "period_days", "使用期限 (天)", low=1, high=calendar.rules.max_period_days)
    made = [create_request(session=session, actor=actor, calendar=calendar, clock=clock, resource_code=code,
                           purpose=f"{row.purpose} (需求 {row.id}: {row.title})", basis=row.basis,
                           items=proposals[code]["items"] or None, period_days=days, requester_code=row.requester_code)
            for code in dict.fromkeys(resources)]
    now = clock.now()
    events.move(session, row, expected=row.status, values={"status": target, "updated_at": now,
                                                           "request_ids": [r.id for r in made]})
    events.emit(session, actor=actor, demand=row, event="accept", at=now,
                audience=[row.requester_code, *(r.provider_code for r in made)],
                request_ids=[r.id for r in made], resources=list(dict.fromkeys(resources)))
    return row, made


def declare_unmet(*, session: Session, actor: Actor, calendar: WorkingCalendar, clock: Clock, demand_id: int,
                  reason: Any = None) -> Demand:
    """The requester says the catalogue does not meet the need: the coordinator is to assign it."""
    row, target = _requester_step(session, actor, demand_id, "declare_unmet")
    text = need_text(reason, "reason", "说明") if reason not in (None, "") else None
    now = clock.now()
    events.move(session, row, expected=row.status, values={"status": target, "updated_at": now,
                                                           "unmet_reason": text})
    events.emit(session, actor=actor, demand=row, event="declare_unmet", at=now,
                audience=[row.requester_code, events.COORDINATOR], reason=text)
    return row


def rematch_demand(*, session: Session, actor: Actor, calendar: WorkingCalendar, clock: Clock, demand_id: int,
                   standards: Standards, backend: SearchBackend | None) -> Demand:
    """Match again against the catalogue as it is now (new resources may have been published)."""
    row, target = _requester_step(session, actor, demand_id, "rematch")
    proposals, note = propose(session=session, needs=row.needs, title=row.title, requester_code=row.requester_code,
                              standards=standards, backend=backend)
    now = clock.now()
    events.move(session, row, expected=row.status, values={"status": target, "updated_at": now,
                                                           "proposals": proposals, "search_note": note})
    events.emit(session, actor=actor, demand=row, event="rematch", at=now, audience=[row.requester_code],
                proposals=len(proposals), best=proposals[0]["coverage"] if proposals else None)
    return row


def withdraw_demand(*, session: Session, actor: Actor, calendar: WorkingCalendar, clock: Clock, demand_id: int,
                    reason: Any = None) -> Demand:
    """The requester no longer needs the data; live duties are closed."""
    from catalog.demands.duties import close_live_duties

    row, target = _requester_step(session, actor, demand_id, "withdraw")
    text = need_text(reason, "reason", "撤回理由") if reason not in (None, "") else None
    now = clock.now()
    events.move(session, row, expected=row.status, values={"status": target, "updated_at": now,
                                                           "closed_reason": text})
    closed = close_live_duties(session=session, actor=actor, demand=row, at=now, why="需求已撤回")
    events.emit(session, actor=actor, demand=row, event="withdraw", at=now,
                audience=[row.requester_code, *closed, events.COORDINATOR], reason=text)
    return row


def list_demands(*, session: Session, actor: Actor, status: str | None = None, requester_code: str | None = None,
                 department_code: str | None = None, limit: int = 100,
                 offset: int = 0) -> tuple[list[Demand], int]:
    """Demands the actor may see (raised by or assigned to its department; all for overseers), newest first.
    `department_code` = demands with a duty of that department."""
    query = select(Demand)
    if not allowed(actor, "read_sharing"):
        own = actor.department_code or ""
        query = query.where(or_(col(Demand.requester_code) == own, exists().where(
            col(Duty.demand_id) == col(Demand.id), col(Duty.department_code) == own)))
    if status:
        if status not in DEMAND_LABELS:
            raise bad("status", "enum", f"状态应为 {', '.join(DEMAND_LABELS)} 之一, 收到 {status!r}")
        query = query.where(col(Demand.status) == status)
    if requester_code:
        query = query.where(col(Demand.requester_code) == requester_code)
    if department_code:
        query = query.where(exists().where(col(Duty.demand_id) == col(Demand.id), col(Duty.department_code) == department_code))
    return page(session, query, col(Demand.id).desc(), limit=limit, offset=offset)


def page(session: Session, query: Any, order: Any, *, limit: int, offset: int) -> tuple[list[Any], int]:
    """One page of `query`'s rows in `order`, and how many there are in all."""
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = session.execute(query.order_by(order).limit(limit).offset(offset)).scalars().all()
    return list(rows), int(total)


def duties_of(session: Session, demand_id: int) -> list[Duty]:
    return list(session.execute(select(Duty).where(col(Duty.demand_id) == demand_id).order_by(col(Duty.id))).scalars())


def demand_dict(row: Demand, *, session: Session, calendar: WorkingCalendar, clock: Clock,
                with_events: bool = False) -> dict[str, Any]:
    from catalog.demands.duties import duty_dict

    duties = [duty_dict(d, demand=row, calendar=calendar, clock=clock) for d in duties_of(session, row.id or 0)]
    out: dict[str, Any] = {
        "id": row.id, "requester_code": row.requester_code, "requested_by": row.requested_by, "title": row.title,
        "description": row.description, "needs": row.needs, "purpose": row.purpose, "basis": row.basis,
        "scenario": row.scenario, "wanted_by": iso(row.wanted_by), "status": row.status,
        "status_label": DEMAND_LABELS.get(row.status, row.status), "proposals": row.proposals,
        "search_note": row.search_note, "request_ids": row.request_ids or [], "unmet_reason": row.unmet_reason,
        "created_at": iso(row.created_at), "updated_at": iso(row.updated_at), "fulfilled_at": iso(row.fulfilled_at),
        "fulfilled_resource": row.fulfilled_resource, "closed_reason": row.closed_reason,
        "duties": duties, "overdue": any(d["overdue"] for d in duties),
        "live_duties": sum(d["status"] in LIVE_DUTIES for d in duties),
    }
    if with_events:
        out["events"] = [{"id": e.id, "event": e.event, "at": iso(e.at), "actor": e.actor,
                          "department_code": e.department_code, "duty_id": e.duty_id, "audience": e.audience,
                          "detail": e.detail} for e in events.list_events(session=session, demand_id=row.id or 0)]
    return out
