"""Bulk lifecycle: submit, publish, reject or withdraw many resources at once, a result per record.

The records are named by a list of codes or chosen by a filter (provider, state, classification,
import source or run). They are processed in chunks, one transaction per chunk, through
`catalog.state_changes.change_state_many` — the pipeline the single-record `change_state` also runs:
the same authorization, state rules, audit entry and outbox row as one call, written in batches (one
row-lock query, one audit append, one grants query per chunk). A record that cannot take the step
(wrong state, not allowed, missing) is reported with its error and does not stop the others: every
record is checked before anything is written, so a refusal leaves nothing half-done in the chunk.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from catalog.auth import Actor, allowed
from catalog.db import Database
from catalog.errors import CatalogError, InvalidInput
from catalog.models import ImportLink, Resource
from catalog.state_changes import TRANSITIONS, change_state_many

CHUNK = 500
MAX_RECORDS = 50_000
FILTER_KEYS = ("provider_code", "state", "classification", "source_system", "run_id")


@dataclass(slots=True)
class BulkResult:
    action: str
    results: list[dict[str, Any]] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for r in self.results if r["ok"])

    def to_dict(self) -> dict[str, Any]:
        return {"action": self.action, "total": len(self.results), "done": self.done,
                "failed": len(self.results) - self.done, "results": self.results}


def select_codes(*, db: Database, actor: Actor, filter: dict[str, Any]) -> list[str]:
    """The codes of the resources matching `filter` that `actor` may see, in code order."""
    unknown = set(filter) - set(FILTER_KEYS)
    if unknown:
        raise InvalidInput(f"未知筛选条件 {', '.join(sorted(unknown))}，可用 {', '.join(FILTER_KEYS)} (unknown filter)")
    if not any(filter.get(k) for k in FILTER_KEYS):
        raise InvalidInput("筛选条件不能为空 (an empty filter would select everything)")
    query = select(col(Resource.code), col(Resource.provider_code), col(Resource.state)).order_by(col(Resource.code))
    for key in ("provider_code", "state", "classification"):
        if filter.get(key):
            query = query.where(getattr(Resource, key) == filter[key])
    if filter.get("source_system") or filter.get("run_id"):
        linked = select(col(ImportLink.resource_code))
        if filter.get("source_system"):
            linked = linked.where(col(ImportLink.source_system) == filter["source_system"])
        if filter.get("run_id"):
            linked = linked.where(col(ImportLink.last_run_id) == int(filter["run_id"]))
        query = query.where(col(Resource.code).in_(linked))
    with db.session() as session:
        rows = session.execute(query.limit(MAX_RECORDS + 1)).all()
    if len(rows) > MAX_RECORDS:
        raise InvalidInput(f"筛选结果超过 {MAX_RECORDS} 条，请缩小范围 (filter selects too many records)")
    return [code for code, provider, state in rows
            if allowed(actor, "read", provider_code=provider, state=state)]


def bulk_change_state(*, db: Database, actor: Actor, action: str, codes: list[str] | None = None,
                      filter: dict[str, Any] | None = None, reason: str | None = None,
                      chunk: int = CHUNK) -> BulkResult:
    """Take `action` on every named (or filtered) resource; one transaction per chunk of `chunk` records."""
    if action not in TRANSITIONS:
        raise InvalidInput(f"未知操作 {action!r}，应为 {' / '.join(TRANSITIONS)} (unknown action)")
    if (codes is None) == (filter is None):
        raise InvalidInput("请给出资源代码列表 codes 或筛选条件 filter 之一 (give codes or a filter)")
    if codes is not None:
        if not isinstance(codes, list) or not all(isinstance(c, str) for c in codes):
            raise InvalidInput("codes 应为资源代码（字符串）列表 (codes must be a list of strings)")
        if len(codes) > MAX_RECORDS:
            raise InvalidInput(f"一次最多 {MAX_RECORDS} 条 (too many codes)")
        todo = list(dict.fromkeys(codes))
    else:
        todo = select_codes(db=db, actor=actor, filter=filter or {})
    result = BulkResult(action=action)
    for start in range(0, len(todo), max(1, chunk)):
        with db.transaction() as session:
            outcome = change_state_many(session=session, actor=actor, codes=todo[start:start + chunk],
                                        action=action, reason=reason, records=False)
            for code, row in outcome.items():
                if isinstance(row, CatalogError):
                    result.results.append({"code": code, "ok": False, "error": row.code, "message": row.message})
                else:
                    result.results.append({"code": code, "ok": True, "state": row.state, "version": row.version})
    return result
