"""The demand and duty state machines as tables: (state, action) -> (new state, who may act).

A demand (需求):

    create ──▶ open ──accept──────▶ matched     (share requests made from proposals; final)
                    ──declare_unmet─▶ unmet ──assign──▶ assigned ──fulfil──▶ fulfilled (final)
                    ──rematch───────▶ open                       ──assign──▶ assigned  (more departments)
                                                                 ──release─▶ unmet     (no live duty left)
    open | unmet | assigned ──withdraw──▶ withdrawn (final)

A duty (责任, one per responsible department):

    assign ──▶ assigned ──will_provide──▶ promised ──fulfil──▶ fulfilled (final)
                        ──cannot────────▶ refused ──escalate──▶ escalated ──order──▶ promised
                        ──not_ours──────▶ returned (final; back to the coordinator)    ──uphold─▶ upheld (final)
                        ──fulfil────────▶ fulfilled (published before answering)
    assigned | promised | refused | escalated ──close──▶ closed (the demand ended otherwise; final)

Who acts, and the policy action (`catalog.auth`) checked for it: the requester (`request_share` on the
requesting department), the responsible department (`decide_share` on its own code), the coordinator
(`arbitrate_share`); `system` steps happen inside another step (publish, the last duty released).
"""
from __future__ import annotations

from typing import Literal

from catalog.errors import Conflict

Party = Literal["requester", "responsible", "coordinator", "system"]

DEMAND_STATES = ("open", "matched", "unmet", "assigned", "fulfilled", "withdrawn")
DEMAND_LABELS = {"open": "待确认", "matched": "已由目录满足", "unmet": "待分派", "assigned": "已分派责任部门",
                 "fulfilled": "已满足", "withdrawn": "已撤回"}
DEMAND_ACTIONS = {"accept": "转为共享申请", "declare_unmet": "确认目录无法满足", "rematch": "重新匹配",
                  "assign": "分派责任部门", "fulfil": "满足", "release": "退回协调机构", "withdraw": "撤回"}
DEMAND_TRANSITIONS: dict[tuple[str, str], tuple[str, Party]] = {
    ("open", "accept"): ("matched", "requester"),
    ("open", "declare_unmet"): ("unmet", "requester"),
    ("open", "rematch"): ("open", "requester"),
    ("open", "withdraw"): ("withdrawn", "requester"),
    ("unmet", "assign"): ("assigned", "coordinator"),
    ("unmet", "withdraw"): ("withdrawn", "requester"),
    ("assigned", "assign"): ("assigned", "coordinator"),
    ("assigned", "fulfil"): ("fulfilled", "system"),
    ("assigned", "release"): ("unmet", "system"),
    ("assigned", "withdraw"): ("withdrawn", "requester"),
}

DUTY_STATES = ("assigned", "promised", "refused", "escalated", "fulfilled", "returned", "upheld", "closed")
LIVE_DUTIES = ("assigned", "promised", "refused", "escalated")
DUTY_LABELS = {"assigned": "待答复", "promised": "承诺提供", "refused": "无法提供", "escalated": "争议协调中",
               "fulfilled": "已提供", "returned": "非本部门职责", "upheld": "裁决: 维持无法提供", "closed": "已关闭"}
DUTY_ACTIONS = {"will_provide": "承诺提供", "cannot": "无法提供", "not_ours": "非本部门职责", "escalate": "申请协调",
                "order": "裁决: 应予提供", "uphold": "裁决: 维持无法提供", "fulfil": "提供", "close": "关闭"}
DUTY_TRANSITIONS: dict[tuple[str, str], tuple[str, Party]] = {
    ("assigned", "will_provide"): ("promised", "responsible"),
    ("assigned", "cannot"): ("refused", "responsible"),
    ("assigned", "not_ours"): ("returned", "responsible"),
    ("assigned", "fulfil"): ("fulfilled", "system"),
    ("promised", "fulfil"): ("fulfilled", "system"),
    ("refused", "escalate"): ("escalated", "requester"),
    ("escalated", "order"): ("promised", "coordinator"),
    ("escalated", "uphold"): ("upheld", "coordinator"),
    **{(state, "close"): ("closed", "system") for state in LIVE_DUTIES},
}

POLICY: dict[Party, str] = {"requester": "request_share", "responsible": "decide_share",
                            "coordinator": "arbitrate_share"}
PARTY_TEXT: dict[Party, str] = {"requester": "提出需求的部门", "responsible": "责任部门的数据管理员",
                                "coordinator": "共享协调机构 (coordinator)", "system": "系统"}


def _step(table: dict[tuple[str, str], tuple[str, Party]], labels: dict[str, str], actions: dict[str, str],
          what: str, state: str, action: str) -> tuple[str, Party]:
    try:
        return table[(state, action)]
    except KeyError:
        possible = [actions[a] for (s, a), (_, p) in table.items() if s == state and p != "system"]
        hint = f"当前可执行: {'、'.join(dict.fromkeys(possible))}" if possible else f"该{what}已办结"
        raise Conflict(f"{what}状态为「{labels.get(state, state)}」, 不能{actions.get(action, action)}; {hint}",
                       state=state, action=action) from None


def demand_transition(*, state: str, action: str) -> tuple[str, Party]:
    """The demand's next state and who may take `action`, or Conflict naming what is possible."""
    return _step(DEMAND_TRANSITIONS, DEMAND_LABELS, DEMAND_ACTIONS, "需求", state, action)


def duty_transition(*, state: str, action: str) -> tuple[str, Party]:
    """The duty's next state and who may take `action`, or Conflict naming what is possible."""
    return _step(DUTY_TRANSITIONS, DUTY_LABELS, DUTY_ACTIONS, "责任", state, action)
