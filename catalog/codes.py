"""Resource codes `<classification>/<6-digit sequence>`: parse, and hand out sequences safely.

Sequences live in `code_sequences` (one row per classification). `reserve_codes` bumps the row with
`UPDATE ... RETURNING` (a row lock on PostgreSQL; SQLite write transactions are BEGIN IMMEDIATE), so
concurrent creates never share a code. `claim_code` accepts a given code (seeding/import) and moves
the sequence past it.
"""
from __future__ import annotations

import re

from sqlalchemy import case, insert, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog.errors import Conflict
from catalog.models import CodeSequence

SEQUENCE_DIGITS = 6
MAX_SEQUENCE = 10**SEQUENCE_DIGITS - 1  # 999999: a code never gets a 7-digit sequence
CODE_RE = re.compile(r"^(?P<classification>[1-3]\d{5}(?:\d{9})?)/(?P<sequence>\d{6})$")


def format_code(classification: str, sequence: int) -> str:
    return f"{classification}/{sequence:0{SEQUENCE_DIGITS}d}"


def parse_code(code: str) -> tuple[str, int] | None:
    """(classification, sequence) of a well-formed code, else None."""
    match = CODE_RE.match(code) if isinstance(code, str) else None
    if not match:
        return None
    return match["classification"], int(match["sequence"])


def ensure_sequences(*, session: Session, classifications: set[str]) -> None:
    """The sequence rows of `classifications` exist (one statement for a batch)."""
    dialect = session.get_bind().dialect.name
    if dialect not in ("postgresql", "sqlite") or len(classifications) < 2:
        for classification in sorted(classifications):
            _ensure_row(session, classification)
        return
    stmt = (postgresql.insert(CodeSequence) if dialect == "postgresql" else sqlite.insert(CodeSequence))
    session.execute(stmt.values([{"classification": c, "last_value": 0} for c in sorted(classifications)])
                    .on_conflict_do_nothing())


def _ensure_row(session: Session, classification: str) -> None:
    dialect = session.get_bind().dialect.name
    stmt: postgresql.Insert | sqlite.Insert
    if dialect == "postgresql":
        stmt = postgresql.insert(CodeSequence).on_conflict_do_nothing()
    elif dialect == "sqlite":
        stmt = sqlite.insert(CodeSequence).on_conflict_do_nothing()
    else:  # pragma: no cover - other databases: plain insert inside a savepoint
        with session.begin_nested() as nested:
            try:
                session.execute(insert(CodeSequence).values(classification=classification, last_value=0))
            except Exception:
                nested.rollback()
        return
    session.execute(stmt.values(classification=classification, last_value=0))


def reserve_codes(*, session: Session, classification: str, count: int = 1, ensured: bool = False) -> list[str]:
    """`count` fresh, consecutive codes for `classification`, in the caller's transaction (`ensured`: the
    caller made its sequence row with `ensure_sequences`)."""
    if not ensured:
        _ensure_row(session, classification)
    last = session.execute(
        update(CodeSequence)
        .where(col(CodeSequence.classification) == classification)
        .values(last_value=col(CodeSequence.last_value) + count)
        .returning(col(CodeSequence.last_value))
    ).scalar_one()
    if last > MAX_SEQUENCE:  # the transaction rolls back: the sequence is not moved
        raise Conflict(f"分类 {classification} 的顺序号已用尽（最大 {MAX_SEQUENCE}），无法分配资源代码，请联系管理员 "
                       "(no sequence numbers left in this classification)", classification=classification)
    return [format_code(classification, n) for n in range(last - count + 1, last + 1)]


def claim_code(*, session: Session, code: str) -> None:
    """Move the classification's sequence past a code given on input (caller checked it is free)."""
    parsed = parse_code(code)
    if parsed is None:
        raise ValueError(code)
    classification, seq = parsed
    _ensure_row(session, classification)
    session.execute(
        update(CodeSequence)
        .where(col(CodeSequence.classification) == classification)
        .values(last_value=case((col(CodeSequence.last_value) < seq, seq), else_=col(CodeSequence.last_value)))
    )
