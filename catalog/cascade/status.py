"""What a level knows of its cascade: its cursors and the upstream's verdicts on its records."""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog.auth import Actor, read_scope
from catalog.cascade.models import CascadeCursor, UpstreamVerdict
from catalog.models import Resource


def cascade_status(*, session: Session, actor: Actor, level: str, region: str, upstream: str,
                   state: str | None = None, limit: int = 100, offset: int = 0) -> dict[str, Any]:
    """Cursors, verdict counts by state, and one page of verdicts (a steward sees its department's only)."""
    scope, department = read_scope(actor)
    cursors = {c.name: {"value": c.value, "mark": c.mark, "last_error": c.last_error,
                        "updated_at": c.updated_at.isoformat() if c.updated_at else None}
               for c in session.execute(select(CascadeCursor)).scalars()}
    query = select(UpstreamVerdict, col(Resource.name), col(Resource.provider_code)).join(
        Resource, col(Resource.code) == col(UpstreamVerdict.code))
    if scope != "all":
        query = query.where(col(Resource.provider_code) == department)
    counts = _counts(session, query)
    if state:
        query = query.where(col(UpstreamVerdict.state) == state)
    rows = session.execute(query.order_by(UpstreamVerdict.code).limit(limit).offset(offset)).all()
    verdicts = [{"code": v.code, "name": name, "provider_code": provider, "state": v.state, "version": v.version,
                 "upstream_code": v.upstream_code, "findings": v.findings or [], "reason": v.reason,
                 "updated_at": v.updated_at.isoformat() if v.updated_at else None} for v, name, provider in rows]
    return {"level": level, "region": region, "upstream": upstream or None, "cursors": cursors,
            "counts": counts, "data": verdicts, "count": sum(counts.get(s, 0) for s in ([state] if state else counts))}


def _counts(session: Session, query: Any) -> dict[str, int]:
    sub = query.subquery()
    return {s: int(n) for s, n in session.execute(select(sub.c.state, func.count()).group_by(sub.c.state)).all()}
