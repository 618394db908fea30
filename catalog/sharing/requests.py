"""Share requests: submit, approve, reject, withdraw, escalate (争议协调), arbitrate.

What a submission does follows the resource's share type: 无条件共享 is granted at once; 有条件共享
waits for the provider's steward, due in N working days (calendar `deadlines.share_request_answer`);
不予共享 is refused at once, citing the resource's stated basis. The state machine is
`catalog.sharing.states`; every step writes one audit entry in the caller's transaction.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog import audit_log
from catalog.auth import Actor, allowed, authorize
from catalog.errors import Conflict, Forbidden
from catalog.notify.sharing_events import on_request as notify
from catalog.sharing import deadlines
from catalog.sharing.calendar import WorkingCalendar
from catalog.sharing.clock import Clock, as_utc
from catalog.sharing.common import (
    acting_department,
    bad,
    can_see,
    check_items,
    iso,
    need_int,
    need_text,
    not_found,
    published_resource,
)
from catalog.sharing.grants import issue_grant
from catalog.sharing.models import ShareRequest
from catalog.sharing.states import STATE_LABELS, transition

OPEN = ("pending", "escalated")
_PARTY_ACTION = {"provider": "decide_share", "requester": "withdraw_share", "coordinator": "arbitrate_share"}
_PARTY_TEXT = {"provider": "提供方部门的数据管理员", "requester": "申请方部门",
               "coordinator": "共享协调机构 (coordinator)"}


def _log(session: Session, actor: Actor, action: str, req: ShareRequest, **detail: Any) -> None:
    audit_log.append(session=session, actor=actor, changes=[audit_log.Change(
        f"share_request.{action}", req.resource_code,
        detail={"request_id": req.id, "status": req.status, **detail})])


def create_request(*, session: Session, actor: Actor, calendar: WorkingCalendar, clock: Clock,
                   resource_code: Any, purpose: Any, basis: Any, items: Any = None, period_days: Any = None,
                   requester_code: str | None = None) -> ShareRequest:
    """A department asks for a published resource; what happens follows its share type."""
    requester = acting_department(actor, requester_code, "request_share")
    resource = published_resource(session, resource_code)
    if resource.provider_code == requester:
        raise Conflict(f"资源 {resource.code} 由本部门提供, 无需申请共享 (own resource)")
    text_purpose = need_text(purpose, "purpose", "申请用途")
    text_basis = need_text(basis, "basis", "申请依据 (法律法规或业务需要)")
    wanted = check_items(resource, items)
    days = need_int(period_days, "period_days", "使用期限 (天)", low=1, high=calendar.rules.max_period_days)
    open_one = session.execute(select(col(ShareRequest.id)).where(
        col(ShareRequest.resource_code) == resource.code, col(ShareRequest.requester_code) == requester,
        col(ShareRequest.status).in_(OPEN))).first()
    if open_one:
        raise Conflict(f"本部门对资源 {resource.code} 已有办理中的申请 {open_one[0]} (duplicate open request)",
                       request_id=open_one[0])
    now = clock.now()
    share = (resource.record or {}).get("share") or {}
    share_type = resource.share_type or share.get("type") or "有条件共享"
    req = ShareRequest(resource_code=resource.code, resource_name=resource.name,
                       provider_code=resource.provider_code, requester_code=requester, requested_by=actor.name,
                       purpose=text_purpose, basis=text_basis, items=wanted, period_days=days,
                       share_type=share_type, status="pending", created_at=now, updated_at=now)
    if share_type == "无条件共享":
        req.status, req.answered_at, req.answered_by = "approved", now, "system"
        req.approved_items, req.approved_period_days = wanted, days
        req.reason = "无条件共享: 自动批准 (granted at once)"
    elif share_type == "不予共享":
        req.status, req.answered_at, req.answered_by = "refused", now, "system"
        req.reason = f"不予共享, 依据: {share.get('condition') or '(资源未写明依据)'}"
    else:
        req.due_on = deadlines.share_request_due(calendar=calendar, submitted_at=now)
    try:
        with session.begin_nested():  # a parallel twin got in first: the partial unique index says so
            session.add(req)
            session.flush()
    except IntegrityError:
        raise Conflict(f"本部门对资源 {resource.code} 已有办理中的申请 (duplicate open request)") from None
    _log(session, actor, "create", req, requester_code=requester, items=wanted, period_days=days,
         share_type=share_type, due_on=iso(req.due_on))
    if req.status == "approved":
        issue_grant(session=session, actor=actor, calendar=calendar, clock=clock, request=req,
                    items=wanted, period_days=days)
    notify(session=session, request=req, action="create")
    session.flush()
    return req


def get_request(*, session: Session, actor: Actor, request_id: int, lock: bool = False) -> ShareRequest:
    """A request its provider, its requester, a coordinator, an auditor or an admin may see; `lock`: the row
    is locked (SELECT … FOR UPDATE) and re-read, so two transitions of one request run one after the other."""
    req = session.get(ShareRequest, request_id, with_for_update=lock, populate_existing=lock)
    if req is None or not can_see(actor, req.provider_code, req.requester_code):
        raise not_found("共享申请", request_id)
    return req


def _act(session: Session, actor: Actor, request_id: int, action: str) -> tuple[ShareRequest, str]:
    req = get_request(session=session, actor=actor, request_id=request_id, lock=True)
    target, party = transition(state=req.status, action=action)
    code = req.requester_code if party == "requester" else req.provider_code
    try:
        authorize(actor, _PARTY_ACTION[party], provider_code=code)  # type: ignore[arg-type]
    except Forbidden:
        raise Forbidden(f"只有{_PARTY_TEXT[party]}可以对共享申请 {request_id} 执行此操作 (forbidden)",
                        role=actor.role, action=action) from None
    return req, target


def _answered(req: ShareRequest, actor: Actor, calendar: WorkingCalendar, now: datetime) -> None:
    req.answered_at, req.answered_by, req.updated_at = now, actor.name, now
    req.answer_working_days = deadlines.answer_working_days(
        calendar=calendar, submitted_at=as_utc(req.created_at), answered_at=now)


def approve_request(*, session: Session, actor: Actor, calendar: WorkingCalendar, clock: Clock,
                    request_id: int, items: Any = None, period_days: Any = None,
                    note: Any = None) -> ShareRequest:
    """The provider's steward approves, possibly for fewer items or a shorter period; issues the grant."""
    req, target = _act(session, actor, request_id, "approve")
    granted = req.items if items in (None, []) else items
    if not isinstance(granted, list) or not all(isinstance(i, str) for i in granted):
        raise bad("items", "type", "信息项应为标识符字符串的列表")
    for i, ident in enumerate(granted):
        if ident not in req.items:
            raise bad(f"items/{i}", "not-requested",
                      f"信息项 {ident!r} 不在申请范围内; 只能批准申请的信息项: {', '.join(req.items)}")
    days = req.period_days if period_days is None else need_int(
        period_days, "period_days", "批准期限 (天)", low=1, high=req.period_days)
    now = clock.now()
    req.status, req.approved_items, req.approved_period_days = target, list(dict.fromkeys(granted)), days
    req.reason = need_text(note, "note", "批准说明") if note not in (None, "") else None
    _answered(req, actor, calendar, now)
    _log(session, actor, "approve", req, items=req.approved_items, period_days=days,
         on_time=deadlines.on_time(calendar=calendar, due_on=req.due_on, answered_at=now))
    issue_grant(session=session, actor=actor, calendar=calendar, clock=clock, request=req,
                items=req.approved_items, period_days=days)
    notify(session=session, request=req, action="approve")
    session.flush()
    return req


def reject_request(*, session: Session, actor: Actor, calendar: WorkingCalendar, clock: Clock,
                   request_id: int, reason: Any) -> ShareRequest:
    """The provider's steward refuses, giving reasons (国发〔2016〕51号: a refusal gives reasons)."""
    req, target = _act(session, actor, request_id, "reject")
    req.reason = need_text(reason, "reason", "拒绝理由")
    req.status = target
    now = clock.now()
    _answered(req, actor, calendar, now)
    _log(session, actor, "reject", req, reason=req.reason,
         on_time=deadlines.on_time(calendar=calendar, due_on=req.due_on, answered_at=now))
    notify(session=session, request=req, action="reject")
    session.flush()
    return req


def withdraw_request(*, session: Session, actor: Actor, calendar: WorkingCalendar, clock: Clock,
                     request_id: int, reason: Any = None) -> ShareRequest:
    """The requesting department withdraws its open request."""
    req, target = _act(session, actor, request_id, "withdraw")
    req.status, req.withdrawn_at, req.updated_at = target, clock.now(), clock.now()
    text = need_text(reason, "reason", "撤回理由") if reason not in (None, "") else None
    _log(session, actor, "withdraw", req, reason=text)
    notify(session=session, request=req, action="withdraw")
    session.flush()
    return req


def escalate_request(*, session: Session, actor: Actor, calendar: WorkingCalendar, clock: Clock,
                     request_id: int, reason: Any) -> ShareRequest:
    """A refused (or overdue) requester asks the coordinator to decide (争议协调)."""
    req, target = _act(session, actor, request_id, "escalate")
    now = clock.now()
    if req.status == "pending" and not deadlines.is_overdue(calendar=calendar, due_on=req.due_on, now=now):
        raise Conflict(f"申请 {request_id} 尚在答复期限内 (至 {iso(req.due_on)}), 逾期未答复或被拒绝后才能申请协调"
                       " (not overdue yet)", due_on=iso(req.due_on))
    req.escalation_reason = need_text(reason, "reason", "申请协调的理由")
    req.status, req.escalated_at, req.updated_at = target, now, now
    _log(session, actor, "escalate", req, reason=req.escalation_reason)
    notify(session=session, request=req, action="escalate")
    session.flush()
    return req


def arbitrate_request(*, session: Session, actor: Actor, calendar: WorkingCalendar, clock: Clock,
                      request_id: int, outcome: Any, reason: Any, items: Any = None,
                      period_days: Any = None) -> ShareRequest:
    """The coordinator decides, finally: `grant` (issues a grant) or `uphold` (the refusal stands)."""
    req, target = _act(session, actor, request_id, "arbitrate")
    if outcome not in ("grant", "uphold"):
        raise bad("outcome", "enum", f"裁决结果应为 grant (予以共享) 或 uphold (维持不共享), 收到 {outcome!r}")
    text = need_text(reason, "reason", "裁决理由")
    if outcome == "grant":
        granted = req.items if items in (None, []) else items
        if not isinstance(granted, list) or any(i not in req.items for i in granted):
            raise bad("items", "not-requested", f"裁决批准的信息项须在申请范围内: {', '.join(req.items)}")
        days = req.period_days if period_days is None else need_int(
            period_days, "period_days", "批准期限 (天)", low=1, high=req.period_days)
        req.approved_items, req.approved_period_days = list(dict.fromkeys(granted)), days
    now = clock.now()
    req.status, req.arbitrated_at, req.arbitrated_by, req.updated_at = target, now, actor.name, now
    req.arbitration_outcome = "granted" if outcome == "grant" else "upheld"
    req.arbitration_reason = text
    _log(session, actor, "arbitrate", req, outcome=req.arbitration_outcome, reason=text)
    if outcome == "grant":
        issue_grant(session=session, actor=actor, calendar=calendar, clock=clock, request=req,
                    items=req.approved_items or [], period_days=req.approved_period_days or req.period_days)
    notify(session=session, request=req, action="arbitrate")
    session.flush()
    return req


def list_requests(*, session: Session, actor: Actor, calendar: WorkingCalendar, clock: Clock,
                  status: str | None = None, overdue: bool | None = None, resource_code: str | None = None,
                  provider_code: str | None = None, requester_code: str | None = None,
                  limit: int = 100, offset: int = 0) -> tuple[list[ShareRequest], int]:
    """Requests the actor may see (its department's both ways; all for coordinator/auditor/admin)."""
    query = select(ShareRequest)
    if not allowed(actor, "read_sharing"):
        own = actor.department_code or ""
        query = query.where(or_(col(ShareRequest.provider_code) == own, col(ShareRequest.requester_code) == own))
    if status:
        if status not in STATE_LABELS:
            raise bad("status", "enum", f"状态应为 {', '.join(STATE_LABELS)} 之一, 收到 {status!r}")
        query = query.where(col(ShareRequest.status) == status)
    today = calendar.local_date(clock.now())
    if overdue is True:
        query = query.where(col(ShareRequest.status) == "pending", col(ShareRequest.due_on) < today)
    elif overdue is False:
        query = query.where(or_(col(ShareRequest.status) != "pending", col(ShareRequest.due_on).is_(None),
                                col(ShareRequest.due_on) >= today))
    for column, value in ((col(ShareRequest.resource_code), resource_code),
                          (col(ShareRequest.provider_code), provider_code),
                          (col(ShareRequest.requester_code), requester_code)):
        if value:
            query = query.where(column == value)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = session.execute(query.order_by(col(ShareRequest.id).desc()).limit(limit).offset(offset)).scalars().all()
    return list(rows), int(total)


def request_dict(req: ShareRequest, *, calendar: WorkingCalendar, clock: Clock) -> dict[str, Any]:
    now = clock.now()
    overdue = req.status == "pending" and deadlines.is_overdue(calendar=calendar, due_on=req.due_on, now=now)
    return {
        "id": req.id, "resource_code": req.resource_code, "resource_name": req.resource_name,
        "provider_code": req.provider_code, "requester_code": req.requester_code,
        "requested_by": req.requested_by, "purpose": req.purpose, "basis": req.basis,
        "items": list(req.items or []), "period_days": req.period_days, "share_type": req.share_type,
        "status": req.status, "status_label": STATE_LABELS.get(req.status, req.status), "overdue": overdue,
        "created_at": iso(req.created_at), "due_on": iso(req.due_on), "answered_at": iso(req.answered_at),
        "answered_by": req.answered_by, "answer_working_days": req.answer_working_days, "reason": req.reason,
        "approved_items": req.approved_items, "approved_period_days": req.approved_period_days,
        "escalated_at": iso(req.escalated_at), "escalation_reason": req.escalation_reason,
        "arbitrated_at": iso(req.arbitrated_at), "arbitrated_by": req.arbitrated_by,
        "arbitration_outcome": req.arbitration_outcome, "arbitration_reason": req.arbitration_reason,
        "withdrawn_at": iso(req.withdrawn_at), "grant_id": req.grant_id,
    }
