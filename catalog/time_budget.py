"""Time budgets: every parse and every validation of one record must finish within a few seconds.

Python cannot stop a thread from outside, so the long loops check in (`check()`) and a budget that ran out
raises InputTooComplex (400). Budgets nest: an inner `within(...)` never extends the outer deadline.

    with within(PARSE_SECONDS, "请求体"):
        ... check() ...
"""
from __future__ import annotations

import time
from contextvars import ContextVar

from catalog.errors import InvalidInput

PARSE_SECONDS = 2.0
VALIDATE_SECONDS = 3.0

_deadline: ContextVar[tuple[float, str] | None] = ContextVar("mulu_deadline", default=None)


class InputTooComplex(InvalidInput):
    code = "input_too_complex"


class within:  # noqa: N801 - used as `with within(...)`, like a function
    """Run the block under a deadline `seconds` from now (or the outer one, when sooner). A class rather than a
    generator: it is entered twice per record of an audit, and this costs a third."""

    __slots__ = ("_seconds", "_what", "_token")

    def __init__(self, seconds: float, what: str) -> None:
        self._seconds, self._what = seconds, what

    def __enter__(self) -> None:
        outer = _deadline.get()
        mine = time.monotonic() + self._seconds
        self._token = _deadline.set(outer if outer is not None and outer[0] <= mine else (mine, self._what))

    def __exit__(self, *exc: object) -> None:
        _deadline.reset(self._token)


def check() -> None:
    """Raise InputTooComplex when the current budget ran out (cheap: one clock read)."""
    current = _deadline.get()
    if current is not None and time.monotonic() > current[0]:
        raise InputTooComplex(f"{current[1]}过于复杂，处理超时，拒绝读取 (took too long: input too complex)")
