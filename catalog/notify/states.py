"""Delivery states: one table and a diagram (like catalog.sharing.states).

    pending ──claim──▶ sending ──2xx / 250──▶ delivered
       ▲                  │
       └──failure: attempts+1, next_attempt_at = now + base·2^(attempts-1) (≤ cap)
    a claim whose lease ran out (the process died while sending) is claimed again: at least once,
    and the receiver deduplicates on the delivery id.

A webhook that failed `failure_limit` times in a row is disabled: its deliveries wait (still pending)
until someone re-enables it, then all of them go out.
"""
from __future__ import annotations

DELIVERY_STATES = {"pending": "待发送", "sending": "发送中", "delivered": "已送达"}
