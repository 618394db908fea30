"""The states of a record reported from a lower level, at the upper level, as one table.

    (pushed) ──▶ reported ──register──▶ registered ──(new version pushed)──▶ reported
                    │  ▲                    │
               reject  └──(new version)──┐  └──(withdrawn below)──▶ withdrawn ──(published again)──▶ reported
                    ▼                    │
                 rejected ───────────────┘
    A pushed record that breaks this level's standards arrives as `rejected`, with the findings.
"""
from __future__ import annotations

STATES = ("reported", "registered", "rejected", "withdrawn")
# action -> (states it may start from, state it leads to); "push" and "withdraw" come from the lower level
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "register": (frozenset({"reported"}), "registered"),
    "reject": (frozenset({"reported"}), "rejected"),
    "push": (frozenset({"reported", "registered", "rejected", "withdrawn"}), "reported"),
    "withdraw": (frozenset({"reported", "registered", "rejected"}), "withdrawn"),
}
LABELS = {"reported": "已上报待注册", "registered": "已注册", "rejected": "已退回", "withdrawn": "已撤回"}
