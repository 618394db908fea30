"""Grants: what an approval gives a department — items of a resource for a period.

A grant is live while `status == "active"` and today (local) is on or before `valid_until`; past it the
grant has expired (shown so at once, written by `expire_grants`). The provider's steward or a
coordinator revokes. A resource that is withdrawn or whose share type tightens flags its live grants
for review (`review_live_grants`, called by catalog.registry after every state or record change).
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog import audit_log
from catalog.auth import Actor, allowed, authorize
from catalog.errors import Conflict, Forbidden
from catalog.models import Resource, utcnow
from catalog.notify.sharing_events import on_grant_revoked as notify_revoked
from catalog.sharing.calendar import WorkingCalendar
from catalog.sharing.clock import Clock
from catalog.sharing.common import STRICTNESS, can_see, iso, need_text, not_found
from catalog.sharing.models import Grant, ShareRequest

GRANT_STATUSES = ("active", "expired", "revoked")


def issue_grant(*, session: Session, actor: Actor, calendar: WorkingCalendar, clock: Clock,
                request: ShareRequest, items: list[str], period_days: int) -> Grant:
    """Create the grant for an approved (or arbitrated) request, in the caller's transaction."""
    start = calendar.local_date(clock.now())
    grant = Grant(request_id=request.id or 0, resource_code=request.resource_code,
                  provider_code=request.provider_code, requester_code=request.requester_code,
                  items=items, share_type=request.share_type, valid_from=start,
                  valid_until=start + timedelta(days=period_days - 1), status="active",
                  created_at=clock.now())
    session.add(grant)
    session.flush()
    request.grant_id = grant.id
    audit_log.append(session=session, actor=actor, changes=[audit_log.Change(
        "grant.issue", request.resource_code,
        detail={"grant_id": grant.id, "request_id": request.id, "requester_code": request.requester_code,
                "items": items, "valid_from": start.isoformat(), "valid_until": grant.valid_until.isoformat()})])
    return grant


def effective_status(grant: Grant, today: date) -> str:
    if grant.status == "active" and today > grant.valid_until:
        return "expired"
    return grant.status


def get_grant(*, session: Session, actor: Actor, grant_id: int, lock: bool = False) -> Grant:
    """A grant its parties (or a coordinator, auditor, admin) may see; `lock`: SELECT … FOR UPDATE, re-read."""
    grant = session.get(Grant, grant_id, with_for_update=lock, populate_existing=lock)
    if grant is None or not can_see(actor, grant.provider_code, grant.requester_code):
        raise not_found("授权", grant_id)
    return grant


def list_grants(*, session: Session, actor: Actor, calendar: WorkingCalendar, clock: Clock,
                department_code: str | None = None, side: str | None = None, status: str | None = None,
                resource_code: str | None = None, needs_review: bool | None = None,
                limit: int = 100, offset: int = 0) -> tuple[list[Grant], int]:
    """Grants the actor may see; `department_code` + `side` (provider|requester|None = either)."""
    query = select(Grant)
    if not allowed(actor, "read_sharing"):
        own = actor.department_code or ""
        query = query.where(or_(col(Grant.provider_code) == own, col(Grant.requester_code) == own))
    if department_code:
        if side == "provider":
            query = query.where(col(Grant.provider_code) == department_code)
        elif side == "requester":
            query = query.where(col(Grant.requester_code) == department_code)
        else:
            query = query.where(or_(col(Grant.provider_code) == department_code,
                                    col(Grant.requester_code) == department_code))
    if resource_code:
        query = query.where(col(Grant.resource_code) == resource_code)
    if needs_review is not None:
        query = query.where(col(Grant.needs_review) == needs_review)
    today = calendar.local_date(clock.now())
    if status == "active":
        query = query.where(col(Grant.status) == "active", col(Grant.valid_until) >= today)
    elif status == "expired":
        query = query.where(or_(col(Grant.status) == "expired",
                                (col(Grant.status) == "active") & (col(Grant.valid_until) < today)))
    elif status:
        query = query.where(col(Grant.status) == status)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = session.execute(query.order_by(col(Grant.id).desc()).limit(limit).offset(offset)).scalars().all()
    return list(rows), int(total)


def revoke_grant(*, session: Session, actor: Actor, calendar: WorkingCalendar, clock: Clock,
                 grant_id: int, reason: Any) -> Grant:
    """The provider's steward or a coordinator ends a live grant, with a reason."""
    grant = get_grant(session=session, actor=actor, grant_id=grant_id, lock=True)
    try:
        authorize(actor, "revoke_grant", provider_code=grant.provider_code)
    except Forbidden:
        raise Forbidden("只有提供方部门的数据管理员或协调机构可以撤销授权 (forbidden)",
                        role=actor.role, action="revoke_grant") from None
    text = need_text(reason, "reason", "撤销理由")
    status = effective_status(grant, calendar.local_date(clock.now()))
    if status != "active":
        raise Conflict(f"授权 {grant_id} 已{'过期' if status == 'expired' else '撤销'}, 不能再撤销", status=status)
    grant.status, grant.revoked_at, grant.revoked_by, grant.revoke_reason = "revoked", clock.now(), actor.name, text
    audit_log.append(session=session, actor=actor, changes=[audit_log.Change(
        "grant.revoke", grant.resource_code, detail={"grant_id": grant.id, "reason": text})])
    notify_revoked(session=session, grant=grant)
    session.flush()
    return grant


def expire_grants(*, session: Session, actor: Actor, calendar: WorkingCalendar, clock: Clock) -> list[int]:
    """Write `expired` on every active grant past its validity; returns their ids."""
    today = calendar.local_date(clock.now())
    rows = session.execute(select(Grant).where(col(Grant.status) == "active", col(Grant.valid_until) < today)
                           ).scalars().all()
    for grant in rows:
        grant.status = "expired"
    if rows:
        audit_log.append(session=session, actor=actor, changes=[audit_log.Change(
            "grant.expire", g.resource_code, detail={"grant_id": g.id, "valid_until": g.valid_until.isoformat()})
            for g in rows])
        session.flush()
    return [g.id for g in rows if g.id is not None]


def review_live_grants(*, session: Session, actor: Actor, resource: Resource) -> list[int]:
    """Flag the live grants of `resource` for review when it is withdrawn or its share type tightened."""
    flagged = flag_live_grants(session=session, resources=[resource])
    if flagged:
        audit_log.append(session=session, actor=actor, changes=flag_changes(flagged))
    return [g.id for g in flagged if g.id is not None]


def flag_live_grants(*, session: Session, resources: list[Resource]) -> list[Grant]:
    """Flag (one query) the live grants of `resources` that are withdrawn or whose share type tightened;
    the flagged grants, by resource then id. The caller logs them (`flag_changes`)."""
    if not resources:
        return []
    by_code = {r.code: r for r in resources}
    rows = session.execute(select(Grant).where(
        col(Grant.resource_code).in_(list(by_code)), col(Grant.status) == "active",
        col(Grant.needs_review).is_(False)).order_by(col(Grant.id))).scalars().all()
    order = {code: i for i, code in enumerate(by_code)}
    flagged: list[Grant] = []
    for grant in sorted(rows, key=lambda g: (order[g.resource_code], g.id or 0)):
        resource = by_code[grant.resource_code]
        if resource.state == "withdrawn":
            reason = f"资源 {resource.code} 已撤回 (resource withdrawn)"
        elif STRICTNESS.get(resource.share_type or "", -1) > STRICTNESS.get(grant.share_type, -1):
            reason = f"共享类型由「{grant.share_type}」收紧为「{resource.share_type}」 (share type tightened)"
        else:
            continue
        grant.needs_review, grant.review_reason, grant.flagged_at = True, reason, utcnow()
        flagged.append(grant)
    return flagged


def flag_changes(flagged: list[Grant]) -> list[audit_log.Change]:
    """The audit entries of flagged grants."""
    return [audit_log.Change("grant.flag_review", g.resource_code, detail={"grant_id": g.id, "reason": g.review_reason})
            for g in flagged]


def grant_dict(grant: Grant, *, calendar: WorkingCalendar, clock: Clock) -> dict[str, Any]:
    return {
        "id": grant.id, "request_id": grant.request_id, "resource_code": grant.resource_code,
        "provider_code": grant.provider_code, "requester_code": grant.requester_code,
        "items": list(grant.items or []), "share_type": grant.share_type,
        "valid_from": iso(grant.valid_from), "valid_until": iso(grant.valid_until),
        "status": effective_status(grant, calendar.local_date(clock.now())),
        "created_at": iso(grant.created_at), "revoked_at": iso(grant.revoked_at),
        "revoked_by": grant.revoked_by, "revoke_reason": grant.revoke_reason,
        "needs_review": grant.needs_review, "review_reason": grant.review_reason,
        "flagged_at": iso(grant.flagged_at),
    }
