"""Explicit resource codes on input: who may give one, and within which sequence rules.

mulu hands out codes itself (`catalog.codes.reserve_codes`). A code given on input is accepted only from
seeding and imports (`allow_code`), and, unless an administrator loads it, only within the sequence:

- the sequence is at most the classification's next free number (counting earlier codes of the same
  batch), so one steward cannot claim `204001/999999` and leave the classification with no numbers;
- a code held by a resource the caller cannot see is answered exactly like a code beyond the sequence
  (`code.unavailable`), so the answer does not tell that such a resource exists; `code.taken` is kept for
  codes the caller can see.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog.auth import Actor, allowed
from catalog.codes import MAX_SEQUENCE, parse_code
from catalog.findings import Finding
from catalog.models import CodeSequence, Resource

TRUSTED_ROLES = frozenset({"admin"})  # seeding and `mulu import` run as the system (admin)


class ExplicitCodes:
    """The explicit codes of one batch: findings per record, and the batch's running next free numbers."""

    def __init__(self, *, session: Session, actor: Actor, allow_code: bool) -> None:
        self.session, self.actor, self.allow_code = session, actor, allow_code
        self.strict = actor.role not in TRUSTED_ROLES
        self.next_free: dict[str, int] = {}

    def _next(self, classification: str) -> int:
        if classification not in self.next_free:
            last = self.session.execute(select(col(CodeSequence.last_value))
                                        .where(col(CodeSequence.classification) == classification)).scalar()
            self.next_free[classification] = int(last or 0) + 1
        return self.next_free[classification]

    def findings(self, record: Any) -> list[Finding]:
        code = record.get("code") if isinstance(record, dict) else None
        if code is None:
            return []
        if not self.allow_code:
            return [Finding("code.assigned", "error", "/code", "资源代码由 mulu 分配，新建时请勿填写 code",
                            suggestion="删除 code 字段")]
        parsed = parse_code(code)
        if parsed is None:
            return []  # the engine reports code.format
        classification, sequence = parsed
        holder = self.session.execute(select(col(Resource.provider_code), col(Resource.state))
                                      .where(col(Resource.code) == code)).first()
        if holder is not None and allowed(self.actor, "read", provider_code=holder[0], state=holder[1]):
            return [Finding("code.taken", "error", "/code", f"资源代码 {code} 已被占用 (code already in use)")]
        beyond = sequence > MAX_SEQUENCE or (self.strict and sequence > self._next(classification))
        if holder is not None or beyond:
            return [Finding("code.unavailable", "error", "/code",
                            f"资源代码 {code} 不可使用：顺序号只能是本分类下一个空闲号或之前未用的号 "
                            "(code unavailable: taken, or beyond the classification's next free number)",
                            suggestion="删除 code 字段，由 mulu 分配")]
        return []

    def accept(self, record: dict[str, Any]) -> None:
        """A record of the batch was accepted with its code: the next free number moves past it."""
        parsed = parse_code(record.get("code") or "")
        if parsed is not None and parsed[1] >= self._next(parsed[0]):
            self.next_free[parsed[0]] = parsed[1] + 1
