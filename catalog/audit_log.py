"""The hash-chained audit log: append in the caller's transaction, verify the whole chain.

Each entry stores `prev_hash` and `hash = sha256(canonical JSON of its content + prev_hash)`; the tip
of the chain lives in `audit_head` (locked while appending, so concurrent writers never fork the
chain). Editing or deleting any entry, or truncating the tail, makes `verify_chain` name it.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog.actor import Actor
from catalog.models import AuditEntry, AuditHead

GENESIS = "0" * 64
_CONTENT = ("at", "actor", "role", "department_code", "action", "resource_code",
            "version_before", "version_after", "detail")


@dataclass(frozen=True, slots=True)
class Change:
    """One change to log: what happened to which resource, versions before/after."""
    action: str
    resource_code: str | None = None
    version_before: int | None = None
    version_after: int | None = None
    detail: dict[str, Any] | None = None


def canonical(content: dict[str, Any]) -> str:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def entry_hash(content: dict[str, Any], prev_hash: str) -> str:
    return hashlib.sha256((canonical(content) + prev_hash).encode("utf-8")).hexdigest()


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def append(*, session: Session, actor: Actor, changes: list[Change]) -> None:
    """Append one entry per change, chained, in the session's transaction."""
    if not changes:
        return
    head = session.execute(select(AuditHead).where(col(AuditHead.id) == 1).with_for_update()).scalar_one()
    last_id, prev = head.last_id, head.last_hash
    at = now_iso()
    rows = []
    for change in changes:
        content = {"at": at, "actor": actor.name, "role": actor.role,
                   "department_code": actor.department_code, "action": change.action,
                   "resource_code": change.resource_code, "version_before": change.version_before,
                   "version_after": change.version_after, "detail": change.detail}
        digest = entry_hash(content, prev)
        last_id += 1
        rows.append({"id": last_id, **content, "prev_hash": prev, "hash": digest})
        prev = digest
    session.execute(insert(AuditEntry), rows)
    session.execute(update(AuditHead).where(col(AuditHead.id) == 1).values(last_id=last_id, last_hash=prev))


@dataclass(frozen=True, slots=True)
class ChainCheck:
    ok: bool
    checked: int
    broken_id: int | None = None
    reason: str | None = None


def verify_chain(*, session: Session, batch: int = 5000) -> ChainCheck:
    """Recompute every hash in id order; report the first entry that does not fit."""
    prev, expected_id, checked, after = GENESIS, 1, 0, 0
    while True:
        entries = session.execute(
            select(AuditEntry).where(col(AuditEntry.id) > after).order_by(col(AuditEntry.id)).limit(batch)
        ).scalars().all()
        if not entries:
            break
        for e in entries:
            if e.id != expected_id:
                return ChainCheck(False, checked, expected_id, f"条目 {expected_id} 缺失 (entry missing)")
            if e.prev_hash != prev:
                return ChainCheck(False, checked, e.id, "prev_hash 与上一条不符 (chain broken)")
            content = {k: getattr(e, k) for k in _CONTENT}
            if entry_hash(content, prev) != e.hash:
                return ChainCheck(False, checked, e.id, "内容与哈希不符，条目被修改 (entry edited)")
            prev, expected_id, after, checked = e.hash, expected_id + 1, e.id, checked + 1
    head = session.execute(select(AuditHead).where(col(AuditHead.id) == 1)).scalar_one()
    if head.last_id != checked or head.last_hash != prev:
        return ChainCheck(False, checked, checked + 1 if head.last_id > checked else head.last_id,
                          f"链尾应为条目 {head.last_id}，实际为 {checked} (tail truncated)")
    return ChainCheck(True, checked)


def list_entries(*, session: Session, resource_code: str | None = None, limit: int = 100,
                 offset: int = 0) -> tuple[list[AuditEntry], int]:
    query = select(AuditEntry)
    count = select(func.count()).select_from(AuditEntry)
    if resource_code:
        query = query.where(col(AuditEntry.resource_code) == resource_code)
        count = count.where(col(AuditEntry.resource_code) == resource_code)
    rows = session.execute(query.order_by(col(AuditEntry.id).desc()).limit(limit).offset(offset)).scalars().all()
    return list(rows), int(session.execute(count).scalar_one())


def entry_dict(e: AuditEntry) -> dict[str, Any]:
    return {k: getattr(e, k) for k in ("id", *_CONTENT, "prev_hash", "hash")}
