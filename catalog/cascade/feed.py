"""The change feed: published, updated and withdrawn resources in commit order, from a cursor.

The cursor is the id of an audit-log entry. Entries are appended under a lock on the chain's tip
(`catalog.audit_log`), so ids grow in commit order and a page read from any cursor never misses a
later commit. A page names the departments of its resources, so the receiver can merge them by code.

    page = read_feed(session=s, since=0, limit=500)          # page.entries, page.next, page.more
    page = read_feed(session=s, since=c, classifications=("101",), exclude_origin="county-330782")
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import or_, select, tuple_
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog.cascade.models import ResourceOrigin
from catalog.models import AuditEntry, Department, Resource, ResourceVersion

# audit action -> feed action; "create" counts only when the record was stored as published (seed, import)
FEED_ACTIONS = {"create": "published", "publish": "published", "cascade_update": "published",
                "withdraw": "withdrawn"}
MAX_PAGE = 1000


@dataclass(slots=True)
class FeedPage:
    entries: list[dict[str, Any]] = field(default_factory=list)
    departments: list[dict[str, Any]] = field(default_factory=list)
    next: int = 0      # the cursor to resume from (the last audit entry this page looked at)
    more: bool = False


def department_payload(d: Department) -> dict[str, Any]:
    """What a receiving level needs to merge a department by code (hierarchy fields when the model has them)."""
    out = {"code": d.code, "name": d.name, "short_name": d.short_name, "sector": d.sector}
    for extra in ("parent_code", "level", "division_code"):
        if hasattr(d, extra):
            out[extra] = getattr(d, extra)
    return out


def read_feed(*, session: Session, since: int = 0, limit: int = 500, classifications: tuple[str, ...] = (),
              exclude_origin: str | None = None, include_returned: bool = False) -> FeedPage:
    """One page of the feed after cursor `since`.

    Pushing up leaves out what came from above (`include_returned=False`: never report 回流 data back);
    a lower level reading this feed for 回流 gets it (so it flows on down), but never its own reports.
    """
    limit = max(1, min(limit, MAX_PAGE))
    query = (select(col(AuditEntry.id), col(AuditEntry.action), col(AuditEntry.resource_code), col(AuditEntry.version_after),
                    col(AuditEntry.detail), col(AuditEntry.at), col(Resource.classification), col(Resource.provider_code))
             .join(Resource, col(Resource.code) == col(AuditEntry.resource_code))
             .where(col(AuditEntry.id) > since, col(AuditEntry.action).in_(tuple(FEED_ACTIONS)))
             .order_by(col(AuditEntry.id)).limit(limit + 1))
    if classifications:
        query = query.where(or_(*(col(Resource.classification).startswith(p) for p in classifications)))
    rows = session.execute(query).all()
    page = FeedPage(next=since, more=len(rows) > limit)
    rows = rows[:limit]
    if rows:
        page.next = rows[-1].id
    hidden = _hidden_codes(session, {r.resource_code for r in rows}, exclude_origin, include_returned)
    picked = [r for r in rows if r.resource_code not in hidden
              and not (r.action == "create" and (r.detail or {}).get("state") != "published")]
    records = _records(session, {(r.resource_code, r.version_after) for r in picked
                                 if FEED_ACTIONS[r.action] == "published"})
    for r in picked:
        action = FEED_ACTIONS[r.action]
        entry = {"cursor": r.id, "action": action, "code": r.resource_code, "version": r.version_after,
                 "at": r.at, "classification": r.classification, "provider_code": r.provider_code}
        if action == "published":
            entry["record"] = records.get((r.resource_code, r.version_after))
            if entry["record"] is None:
                continue  # a version row always exists for a published version; never send an empty record
        page.entries.append(entry)
    providers = {e["provider_code"] for e in page.entries}
    if providers:
        rows_d = session.execute(select(Department).where(col(Department.code).in_(providers))).scalars()
        page.departments = [department_payload(d) for d in sorted(rows_d, key=lambda d: d.code)]
    return page


def _hidden_codes(session: Session, codes: set[str | None], exclude_origin: str | None,
                  include_returned: bool) -> set[str]:
    """Codes left out of this page: records 回流'd from above (unless wanted), and the reader's own reports."""
    wanted = [c for c in codes if c]
    if not wanted:
        return set()
    query = select(col(ResourceOrigin.code), col(ResourceOrigin.kind), col(ResourceOrigin.origin)).where(
        col(ResourceOrigin.code).in_(wanted))
    return {code for code, kind, origin in session.execute(query).all()
            if (kind == "returned" and not include_returned)
            or (exclude_origin is not None and origin == exclude_origin)}


def _records(session: Session, keys: set[tuple[str | None, int | None]]) -> dict[tuple[str, int], Any]:
    wanted = [(c, v) for c, v in keys if c is not None and v is not None]
    if not wanted:
        return {}
    out: dict[tuple[str, int], Any] = {}
    for chunk in range(0, len(wanted), 400):
        part = wanted[chunk:chunk + 400]
        query = select(col(ResourceVersion.resource_code), col(ResourceVersion.version), col(ResourceVersion.record)).where(
            tuple_(col(ResourceVersion.resource_code), col(ResourceVersion.version)).in_(part))
        out.update({(c, v): rec for c, v, rec in session.execute(query).all()})
    return out
