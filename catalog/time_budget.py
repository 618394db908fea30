"""Time budgets: every parse and every validation of one record must finish within a few seconds.

Python cannot stop a thread from outside, so the long loops check in (`check()`) and a budget that ran out
raises InputTooComplex (400). Budgets nest: an inner `within(...)` never extends the outer deadline.

    with within(PARSE_SECONDS, "请求体"):
        ... check() ...
"""
from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from catalog.errors import InvalidInput

PARSE_SECONDS = 2.0
VALIDATE_SECONDS = 3.0

_deadline: ContextVar[tuple[float, str] | None] = ContextVar("mulu_deadline", default=None)


class InputTooComplex(InvalidInput):
    code = "input_too_complex"


@contextmanager
def within(seconds: float, what: str) -> Iterator[None]:
    """Run the block under a deadline `seconds` from now (or the outer one, when sooner)."""
    outer = _deadline.get()
    mine = time.monotonic() + seconds
    token = _deadline.set(outer if outer is not None and outer[0] <= mine else (mine, what))
    try:
        yield
    finally:
        _deadline.reset(token)


def check() -> None:
    """Raise InputTooComplex when the current budget ran out (cheap: one clock read)."""
    current = _deadline.get()
    if current is not None and time.monotonic() > current[0]:
        raise InputTooComplex(f"{current[1]}过于复杂，处理超时，拒绝读取 (took too long: input too complex)")
