"""The events of sharing and of the register, in words a steward reads: one function per subject.

Called with one line from each transition (catalog.sharing.requests / grants / feedback,
catalog.registry), in the transition's transaction.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog.models import Resource
from catalog.notify.events import Event, EventContext, emit, emit_many
from catalog.sharing.common import iso
from catalog.sharing.models import ErrorReport, Grant, ShareRequest

_DECISION = {"approved": "已同意", "refused": "未同意", "rejected": "未同意"}


def on_request(*, session: Session, request: ShareRequest, action: str) -> None:
    """create / approve / reject / withdraw / escalate / arbitrate of a share request."""
    req = request
    parties = {"provider": req.provider_code, "requester": req.requester_code}
    base = EventContext(parties=parties, subject=("share_request", req.id), resource_code=req.resource_code,
                link=f"/requests/{req.id}", data={"request_id": req.id, "status": req.status}, at=req.updated_at)
    what = f"「{req.resource_name}」({req.resource_code})"
    if action == "create":
        emit(session=session, event=Event(
            kind="share_request.created", title=f"部门 {req.requester_code} 申请共享{what}",
            body=f"用途: {req.purpose}\n依据: {req.basis}\n答复期限: {iso(req.due_on) or '无 (已自动办结)'}", **base))
    if action in ("create", "approve", "reject") and req.status in _DECISION:
        emit(session=session, event=Event(
            kind="share_request.decided", title=f"您对{what}的共享申请{_DECISION[req.status]}",
            body=f"说明: {req.reason or '(无)'}", **base))
    elif action == "withdraw":
        emit(session=session, event=Event(kind="share_request.withdrawn",
                                          title=f"部门 {req.requester_code} 撤回了对{what}的共享申请", **base))
    elif action == "escalate":
        emit(session=session, event=Event(kind="share_request.escalated",
                                          title=f"对{what}的共享申请已提请协调",
                                          body=f"理由: {req.escalation_reason}", **base))
    elif action == "arbitrate":
        outcome = "予以共享" if req.arbitration_outcome == "granted" else "维持不共享"
        emit(session=session, event=Event(kind="share_request.arbitrated", title=f"对{what}的共享争议已裁决: {outcome}",
                                          body=f"裁决理由: {req.arbitration_reason}", **base))


def on_feedback(*, session: Session, report: ErrorReport, action: str) -> None:
    """create / answer of a data-error report."""
    parties = {"provider": report.provider_code, "reporter": report.reporter_code}
    base = EventContext(parties=parties, subject=("feedback", report.id), resource_code=report.resource_code,
                link="/feedback", data={"feedback_id": report.id, "status": report.status})
    if action == "create":
        base["at"] = report.created_at
        emit(session=session, event=Event(
            kind="feedback.created", title=f"资源 {report.resource_code} 收到数据纠错反馈",
            body=f"{report.description}\n答复期限: {iso(report.due_on)}", **base))
    else:
        base["at"] = report.answered_at
        emit(session=session, event=Event(
            kind="feedback.answered", title=f"您对资源 {report.resource_code} 的纠错反馈已答复",
            body=report.answer or "", **base))


def on_grant_revoked(*, session: Session, grant: Grant) -> None:
    emit(session=session, event=Event(
        kind="grant.revoked", title=f"资源 {grant.resource_code} 的共享授权 {grant.id} 已撤销",
        body=f"理由: {grant.revoke_reason}", parties={"holder": grant.requester_code,
                                                       "provider": grant.provider_code},
        subject=("grant", grant.id), resource_code=grant.resource_code, link="/grants", at=grant.revoked_at))


def on_resource(*, session: Session, resource: Resource, action: str) -> None:
    """A register transition: submit / publish / reject / withdraw / update, and grant holders' news."""
    on_resources(session=session, resources=[resource], action=action)


def on_resources(*, session: Session, resources: list[Resource], action: str) -> None:
    """The same transition of many resources: their events written together (`emit_many`)."""
    holders: dict[str, set[str]] = {}
    if action in ("publish", "withdraw") and resources:
        for code, holder in session.execute(select(col(Grant.resource_code), col(Grant.requester_code)).where(
                col(Grant.resource_code).in_([r.code for r in resources]), col(Grant.status) == "active")).all():
            holders.setdefault(code, set()).add(holder)
    emit_many(session=session, events=[e for r in resources
                                       for e in _resource_events(r, action, holders.get(r.code, set()))])


def _resource_events(resource: Resource, action: str, holders: set[str]) -> list[Event]:
    kind = {"submit": "resource.submitted", "publish": "resource.published", "reject": "resource.rejected"}.get(action)

    def base(parties: dict[str, str], data: dict[str, Any]) -> EventContext:
        return EventContext(resource_code=resource.code, subject=("resource", resource.code),
                            link=f"/r/{resource.code}", parties=parties, data=data)
    found: list[Event] = []
    if kind:
        body = f"退回理由: {resource.reject_reason}" if action == "reject" else ""
        found.append(Event(kind=kind, title=f"资源「{resource.name}」({resource.code}) "
                                            f"{ {'submit': '已提交审核', 'publish': '已发布', 'reject': '被退回'}[action]}",
                           body=body, **base({"provider": resource.provider_code}, {"version": resource.version})))
    if action not in ("publish", "withdraw"):
        return found
    withdrawn = action == "withdraw"
    for holder in sorted(holders):
        found.append(Event(
            kind="grant.resource_withdrawn" if withdrawn else "grant.resource_changed",
            title=f"您已获授权的资源「{resource.name}」({resource.code}) "
                  f"{'已撤回' if withdrawn else '有新版本 (第 ' + str(resource.version) + ' 版)'}",
            **base({"holder": holder, "provider": resource.provider_code},
                   {"version": resource.version, "state": resource.state})))
    return found
