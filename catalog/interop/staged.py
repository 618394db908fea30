"""Staged records (待整改): imported records with findings, fixed and submitted by their department.

    staged ──fix (valid or not: findings refreshed)──▶ staged
    staged ──submit (no errors left)──▶ submitted  (a new resource, registered and submitted for review)

A steward sees and fixes the staged records of its own department; coordinators and admins see all
(including records whose provider could not be determined). Fixing re-runs the shared validation
engine; submitting goes through the registry (register_records, then change_state submit), and links
the record's source identifier to the new resource, so that a re-import updates it.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog.auth import Actor, allowed, authorize
from catalog.departments import registry_standards
from catalog.errors import Conflict, Forbidden, InvalidInput, NotFound
from catalog.findings import Finding
from catalog.models import ImportLink, StagedRecord, utcnow
from catalog.live_checks import LiveCatalogue
from catalog.registry import change_state, register_records, validate

STATE_LABELS = {"staged": "待整改", "submitted": "已提交"}


def _may_see(actor: Actor, provider_code: str | None) -> bool:
    """As for a draft: a steward its own department's, an auditor / coordinator / admin every one."""
    return allowed(actor, "read", provider_code=provider_code, state="draft")


def list_staged(*, session: Session, actor: Actor, provider_code: str | None = None, state: str = "staged",
                limit: int = 50, offset: int = 0) -> tuple[list[StagedRecord], int]:
    """The staged records `actor` may see (a steward: its department's), newest first, and their total."""
    query = select(StagedRecord).where(col(StagedRecord.state) == state)
    if actor.role == "steward":
        provider_code = actor.department_code
        if provider_code is None:
            return [], 0
    elif not allowed(actor, "read", state="draft"):
        raise Forbidden("无权查看待整改记录 (not allowed to see staged records)")
    if provider_code:
        query = query.where(col(StagedRecord.provider_code) == provider_code)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = session.execute(query.order_by(col(StagedRecord.id)).limit(limit).offset(offset)).scalars()
    return list(rows), total


def get_staged(*, session: Session, actor: Actor, staged_id: int) -> StagedRecord:
    row = session.get(StagedRecord, staged_id)
    if row is None or not _may_see(actor, row.provider_code):
        raise NotFound(f"待整改记录 {staged_id} 不存在 (staged record not found)")
    return row


def _check(session: Session, record: dict[str, Any]) -> list[Finding]:
    report = validate(record, standards=registry_standards(session=session))
    report.extend(LiveCatalogue(session=session).name_findings(record))
    return report.findings


def fix_staged(*, session: Session, actor: Actor, staged_id: int, record: Any) -> StagedRecord:
    """Replace the staged record with a corrected one; its findings are those of the corrected record."""
    row = get_staged(session=session, actor=actor, staged_id=staged_id)
    if row.state != "staged":
        raise Conflict(f"待整改记录 {staged_id} 已提交为资源 {row.resource_code} (already submitted)")
    if not isinstance(record, dict):
        raise InvalidInput("资源记录应为 JSON 对象 (record must be an object)")
    provider = record.get("provider_code")
    if provider != row.provider_code:
        authorize(actor, "create", provider_code=provider if isinstance(provider, str) else None)
    authorize(actor, "create", provider_code=row.provider_code)
    row.record = record
    row.findings = [f.to_dict() for f in _check(session, record)]
    row.provider_code = provider if isinstance(provider, str) and len(provider) <= 9 else row.provider_code
    row.name = str(record.get("name"))[:500] if record.get("name") is not None else None
    row.updated_at = utcnow()
    session.flush()
    return row


def submit_staged(*, session: Session, actor: Actor, staged_id: int) -> StagedRecord:
    """Register the fixed record as a resource and submit it for review; 422 with findings if not yet valid."""
    row = get_staged(session=session, actor=actor, staged_id=staged_id)
    if row.state != "staged":
        raise Conflict(f"待整改记录 {staged_id} 已提交为资源 {row.resource_code} (already submitted)")
    if row.resource_code is not None:
        raise Conflict(f"待整改记录 {staged_id} 对应已有资源 {row.resource_code}，请在该资源上修改 "
                       "(the record updates an existing resource; edit that resource)")
    [outcome] = register_records(session=session, actor=actor, records=[row.record])
    if outcome.problem is not None:
        row.findings = [f.to_dict() for f in outcome.findings]
        raise outcome.problem
    assert outcome.code is not None
    change_state(session=session, actor=actor, code=outcome.code, action="submit")
    row.state, row.resource_code, row.findings, row.updated_at = "submitted", outcome.code, [], utcnow()
    session.add(ImportLink(source_system=row.source_system, source_key=row.source_key,
                           resource_code=outcome.code, digest=row.digest))
    session.flush()
    return row


def staged_dict(row: StagedRecord) -> dict[str, Any]:
    return {"id": row.id, "source_system": row.source_system, "source_key": row.source_key,
            "source": row.source, "provider_code": row.provider_code, "name": row.name, "state": row.state,
            "state_label": STATE_LABELS.get(row.state, row.state), "resource_code": row.resource_code,
            "record": row.record, "findings": row.findings, "run_id": row.run_id,
            "updated_at": row.updated_at.isoformat() if row.updated_at else None}


def findings_by_field(row: StagedRecord) -> dict[str, list[dict[str, Any]]]:
    """The findings grouped by the top-level field they point at ("" for the whole record)."""
    out: dict[str, list[dict[str, Any]]] = {}
    for f in row.findings:
        top = (f.get("path") or "").split("/")[1] if (f.get("path") or "").count("/") else ""
        out.setdefault(top, []).append(f)
    return out

