"""Listing resources with filters and pagination, limited to what the actor may see."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog.auth import Actor, read_scope
from catalog.models import Resource

MAX_LIMIT = 500


def iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC (SQLite hands back naive datetimes; they were written as UTC)."""
    if value is None:
        return None
    return (value if value.tzinfo else value.replace(tzinfo=timezone.utc)).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class ResourceFilter:
    provider_code: str | None = None
    classification: str | None = None  # prefix: 类 "1", 类+项 "102", a full code
    state: str | None = None
    share_type: str | None = None
    q: str | None = None  # name contains


def list_resources(*, session: Session, actor: Actor, filters: ResourceFilter, limit: int = 50,
                   offset: int = 0) -> tuple[list[Resource], int]:
    """(page of resources ordered by code, total matching)."""
    conditions: list[Any] = []
    scope, department = read_scope(actor)
    if scope == "published":
        conditions.append(Resource.state == "published")
    elif scope == "own_or_published":
        conditions.append(or_(col(Resource.state) == "published", col(Resource.provider_code) == department))
    if filters.provider_code:
        conditions.append(Resource.provider_code == filters.provider_code)
    if filters.classification:
        conditions.append(col(Resource.classification).startswith(filters.classification, autoescape=True))
    if filters.state:
        conditions.append(Resource.state == filters.state)
    if filters.share_type:
        conditions.append(Resource.share_type == filters.share_type)
    if filters.q:
        conditions.append(col(Resource.name).contains(filters.q, autoescape=True))
    total = session.execute(select(func.count()).select_from(Resource).where(*conditions)).scalar_one()
    rows = session.execute(select(Resource).where(*conditions).order_by(Resource.code)
                           .limit(max(1, min(limit, MAX_LIMIT))).offset(max(0, offset))).scalars().all()
    return list(rows), int(total)


def resource_summary(row: Resource) -> dict[str, Any]:
    return {"code": row.code, "name": row.name, "classification": row.classification,
            "provider_code": row.provider_code, "provider": (row.record or {}).get("provider"),
            "share_type": row.share_type, "state": row.state, "version": row.version,
            "updated_at": iso(row.updated_at)}


def resource_dict(row: Resource) -> dict[str, Any]:
    """The full view of one resource: summary, record, warnings, etag, rejection reason."""
    out = resource_summary(row)
    out.update(etag=row.etag, record=row.record, warnings=row.warnings or [],
               reject_reason=row.reject_reason, created_by=row.created_by, updated_by=row.updated_by,
               created_at=iso(row.created_at))
    return out
