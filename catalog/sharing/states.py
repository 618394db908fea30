"""The share-request state machine as a table: (state, action) -> (new state, who may act).

    submit ──▶ approved (无条件共享, at once)
           ──▶ refused  (不予共享, at once, citing the resource's basis)
           ──▶ pending  (有条件共享) ──approve──▶ approved
                                     ──reject───▶ rejected
                                     ──withdraw─▶ withdrawn
                                     ──escalate─▶ escalated   (only once overdue)
    rejected | refused ──escalate──▶ escalated ──arbitrate──▶ arbitrated (granted | upheld), final
    escalated ──withdraw──▶ withdrawn
"""
from __future__ import annotations

from typing import Literal

from catalog.errors import Conflict

Party = Literal["provider", "requester", "coordinator"]
STATES = ("pending", "approved", "rejected", "refused", "escalated", "arbitrated", "withdrawn")
FINAL = frozenset({"approved", "arbitrated", "withdrawn"})

STATE_LABELS = {
    "pending": "待答复", "approved": "已批准", "rejected": "已拒绝", "refused": "不予共享",
    "escalated": "争议协调中", "arbitrated": "已裁决", "withdrawn": "已撤回",
}
ACTION_LABELS = {"approve": "批准", "reject": "拒绝", "withdraw": "撤回", "escalate": "申请协调",
                 "arbitrate": "裁决"}

TRANSITIONS: dict[tuple[str, str], tuple[str, Party]] = {
    ("pending", "approve"): ("approved", "provider"),
    ("pending", "reject"): ("rejected", "provider"),
    ("pending", "withdraw"): ("withdrawn", "requester"),
    ("pending", "escalate"): ("escalated", "requester"),
    ("rejected", "escalate"): ("escalated", "requester"),
    ("refused", "escalate"): ("escalated", "requester"),
    ("escalated", "withdraw"): ("withdrawn", "requester"),
    ("escalated", "arbitrate"): ("arbitrated", "coordinator"),
}


def transition(*, state: str, action: str) -> tuple[str, Party]:
    """The next state and the party that may take `action`, or Conflict naming what is allowed."""
    try:
        return TRANSITIONS[(state, action)]
    except KeyError:
        allowed = [ACTION_LABELS[a] for (s, a) in TRANSITIONS if s == state]
        hint = f"当前可执行: {'、'.join(allowed)}" if allowed else "该申请已办结"
        raise Conflict(
            f"申请状态为「{STATE_LABELS.get(state, state)}」, 不能{ACTION_LABELS.get(action, action)}; {hint}",
            state=state, action=action,
        ) from None
