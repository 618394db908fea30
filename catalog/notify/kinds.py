"""The kinds of event and who hears each by default: one table.

Each kind names the sides of an event (a department per side: the request's provider, its requester, the
holder of a grant ...) and which roles of that side's department hear it by default; `everywhere` roles
hear it whatever their department (the coordinators). People and departments change the defaults with
preferences (catalog.notify.preferences); a person outside every side never hears an event.

Adding a kind (e.g. demands): one line here, then `emit(session=..., event=Event(kind=..., ...))`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

STEWARDS = ("steward",)
MEMBERS = ("steward", "developer")
CHANNELS = ("inbox", "email")


@dataclass(frozen=True)
class Kind:
    label: str
    sides: dict[str, tuple[str, ...]] = field(default_factory=dict)
    everywhere: tuple[str, ...] = ()


KINDS: dict[str, Kind] = {
    "share_request.created": Kind("收到共享申请", {"provider": STEWARDS}),
    "share_request.decided": Kind("共享申请已答复", {"requester": MEMBERS}),
    "share_request.withdrawn": Kind("共享申请已撤回", {"provider": STEWARDS}),
    "share_request.escalated": Kind("共享申请提请协调", {"provider": STEWARDS}, ("coordinator",)),
    "share_request.arbitrated": Kind("共享争议已裁决", {"provider": STEWARDS, "requester": MEMBERS}),
    "share_request.due_soon": Kind("共享申请答复期限将至", {"provider": STEWARDS}),
    "share_request.overdue": Kind("共享申请逾期未答复", {"provider": STEWARDS, "requester": MEMBERS},
                                  ("coordinator",)),
    "feedback.created": Kind("收到数据纠错反馈", {"provider": STEWARDS}),
    "feedback.answered": Kind("纠错反馈已答复", {"reporter": MEMBERS}),
    "feedback.due_soon": Kind("纠错反馈答复期限将至", {"provider": STEWARDS}),
    "feedback.overdue": Kind("纠错反馈逾期未答复", {"provider": STEWARDS}, ("coordinator",)),
    "grant.expiring": Kind("共享授权即将到期", {"holder": MEMBERS}),
    "grant.expired": Kind("共享授权已到期", {"holder": MEMBERS, "provider": STEWARDS}),
    "grant.revoked": Kind("共享授权已撤销", {"holder": MEMBERS}),
    "grant.resource_changed": Kind("已获授权的资源有变更", {"holder": MEMBERS}),
    "grant.resource_withdrawn": Kind("已获授权的资源已撤回", {"holder": MEMBERS}),
    "resource.submitted": Kind("资源待审核", {}, ("coordinator",)),
    "resource.published": Kind("资源已发布", {"provider": STEWARDS}),
    "resource.rejected": Kind("资源被退回", {"provider": STEWARDS}),
    # 供需对接 (catalog.notify.demand_events): "provider" is the department that holds the duty
    "demand.duty_assigned": Kind("收到数据需求办理责任", {"provider": STEWARDS, "requester": MEMBERS}),
    "demand.duty_answered": Kind("数据需求责任部门已答复", {"requester": MEMBERS}),
    "demand.duty_escalated": Kind("数据需求责任提请协调", {"provider": STEWARDS}, ("coordinator",)),
    "demand.duty_arbitrated": Kind("数据需求责任已裁决", {"provider": STEWARDS, "requester": MEMBERS}),
    "demand.fulfilled": Kind("数据需求已满足", {"provider": STEWARDS, "requester": MEMBERS}),
}


def kind_label(kind: str) -> str:
    found = KINDS.get(kind)
    return found.label if found else kind


def kinds_list() -> list[dict[str, object]]:
    """The table as data (API / CLI)."""
    return [{"kind": k, "label": v.label, "sides": {s: list(r) for s, r in v.sides.items()},
             "everywhere": list(v.everywhere)} for k, v in KINDS.items()]
