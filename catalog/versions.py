"""A resource's history: its saved versions and the field-level diff between any two of them."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog.auth import Actor
from catalog.diff import diff_records
from catalog.errors import NotFound
from catalog.listing import iso
from catalog.models import ResourceVersion
from catalog.registry import get_resource


def list_versions(*, session: Session, actor: Actor, code: str) -> list[ResourceVersion]:
    get_resource(session=session, actor=actor, code=code)
    return list(session.execute(
        select(ResourceVersion).where(col(ResourceVersion.resource_code) == code).order_by(col(ResourceVersion.version))
    ).scalars())


def get_version(*, session: Session, actor: Actor, code: str, version: int) -> ResourceVersion:
    get_resource(session=session, actor=actor, code=code)
    return _version(session, code, version)


def _version(session: Session, code: str, version: int) -> ResourceVersion:
    row = session.execute(select(ResourceVersion).where(
        col(ResourceVersion.resource_code) == code, col(ResourceVersion.version) == version)).scalar_one_or_none()
    if row is None:
        raise NotFound(f"资源 {code} 没有第 {version} 版 (version not found)")
    return row


def diff_versions(*, session: Session, actor: Actor, code: str, old: int, new: int) -> dict[str, Any]:
    """{code, from, to, changes: [{op, path, old?, new?}]} between versions `old` and `new`."""
    get_resource(session=session, actor=actor, code=code)
    a, b = _version(session, code, old), _version(session, code, new)
    return {"code": code, "from": old, "to": new, "changes": diff_records(a.record, b.record)}


def version_dict(v: ResourceVersion, *, with_record: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {"version": v.version, "state": v.state, "author": v.author,
                           "created_at": iso(v.created_at)}
    if with_record:
        out["record"] = v.record
    return out
