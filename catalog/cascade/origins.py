"""Provenance of resources that came from another level, and the only ways such a resource changes.

A resource with a `ResourceOrigin` row is read-only at this level: the registry refuses updates and
state changes on it (`guard_local`); only catalog.cascade replaces its record (`replace_record`, a new
version) or withdraws it (`withdraw_copy`), each with a version row, an audit entry and an outbox row.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog import audit_log
from catalog.auth import Actor
from catalog.cascade.models import ResourceOrigin
from catalog.errors import Conflict
from catalog.models import OutboxEvent, Resource, ResourceVersion, utcnow

KIND_LABELS = {"reported": "下级上报", "returned": "上级回流"}


def origin_of(*, session: Session, code: str) -> ResourceOrigin | None:
    return session.get(ResourceOrigin, code)


def guard_local(*, session: Session, code: str) -> None:
    """Refuse to edit a resource that belongs to another level (409, naming where it came from)."""
    origin = session.get(ResourceOrigin, code)
    if origin is not None:
        raise read_only_conflict(code, origin)


def read_only_conflict(code: str, origin: ResourceOrigin) -> Conflict:
    """The refusal to change `code` here: a copy of another level's resource."""
    return Conflict(
        f"资源 {code} 来自{KIND_LABELS.get(origin.kind, origin.kind)}（{origin.origin}，原代码 {origin.origin_code}，"
        f"版本 {origin.origin_version}），在本级只读；请在来源目录修改 (read-only: it belongs to another level)",
        origin=origin.origin, origin_code=origin.origin_code)


def find_copy(*, session: Session, kind: str, origin: str, origin_code: str) -> ResourceOrigin | None:
    return session.execute(select(ResourceOrigin).where(
        col(ResourceOrigin.kind) == kind, col(ResourceOrigin.origin) == origin,
        col(ResourceOrigin.origin_code) == origin_code)).scalar_one_or_none()


def replace_record(*, session: Session, actor: Actor, code: str, record: dict[str, Any],
                   warnings: list[dict[str, Any]], origin_version: int) -> Resource:
    """A new version of a copied resource, published, in the caller's transaction."""
    from catalog.registry import make_etag

    row = session.execute(select(Resource).where(col(Resource.code) == code).with_for_update()).scalar_one()
    stored = {**record, "code": code, "provider_code": row.provider_code, "classification": row.classification}
    before, now = row.version, utcnow()
    row.version, row.state, row.record = before + 1, "published", stored
    row.name, row.share_type = stored["name"], (stored.get("share") or {}).get("type")
    row.warnings, row.updated_by, row.updated_at = warnings, actor.name, now
    row.etag = make_etag(code, row.version, row.state)
    session.add(ResourceVersion(resource_code=code, version=row.version, state=row.state, record=stored,
                                author=actor.name, created_at=now))
    session.add(OutboxEvent(resource_code=code, op="upsert", created_at=now))
    origin = session.get(ResourceOrigin, code)
    if origin is not None:
        origin.origin_version = origin_version
    audit_log.append(session=session, actor=actor, changes=[audit_log.Change(
        "cascade_update", code, before, row.version, {"origin_version": origin_version})])
    session.flush()
    return row


def withdraw_copy(*, session: Session, actor: Actor, code: str) -> bool:
    """Withdraw a copied resource because its source withdrew it; False when it was not published."""
    from catalog.registry import make_etag

    row = session.execute(select(Resource).where(col(Resource.code) == code).with_for_update()).scalar_one_or_none()
    if row is None or row.state != "published":
        return False
    row.state, row.updated_by, row.updated_at = "withdrawn", actor.name, utcnow()
    row.etag = make_etag(code, row.version, row.state)
    session.add(OutboxEvent(resource_code=code, op="upsert", created_at=row.updated_at))
    audit_log.append(session=session, actor=actor, changes=[audit_log.Change(
        "withdraw", code, row.version, row.version, {"from": "published", "to": "withdrawn",
                                                     "reason": "来源目录已撤回 (withdrawn at the source)"})])
    from catalog.sharing.grants import review_live_grants

    review_live_grants(session=session, actor=actor, resource=row)  # live grants on it are flagged
    session.flush()
    return True


def map_related(*, session: Session, record: dict[str, Any], kind: str, origin: str) -> dict[str, Any]:
    """`related` codes of the origin's catalogue, translated to this level's codes of the same records;
    a relation to a record not held here is left out (the live catalogue refuses dangling relations)."""
    related = record.get("related")
    if not isinstance(related, list) or not related:
        return record
    wanted = [c for c in related if isinstance(c, str)]
    rows = session.execute(select(col(ResourceOrigin.origin_code), col(ResourceOrigin.code)).where(
        col(ResourceOrigin.kind) == kind, col(ResourceOrigin.origin) == origin,
        col(ResourceOrigin.origin_code).in_(wanted))).all() if wanted else []
    local = dict(rows)
    mapped = [local[c] for c in wanted if c in local]
    out = {k: v for k, v in record.items() if k != "related"}
    if mapped:
        out["related"] = mapped
    return out
