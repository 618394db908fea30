"""The department registry in the database: synced from standards/departments.yaml, managed by coordinators."""
from __future__ import annotations

import re
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalog import audit_log
from catalog.auth import Actor, authorize
from catalog.errors import Conflict, InvalidRecord
from catalog.findings import Finding
from catalog.validation.rules import finding
from catalog.models import Department, utcnow
from catalog.standards import Standards, load_standards


def sync_departments(*, session: Session, departments: list[dict[str, Any]]) -> int:
    """Insert the departments of the standards that the database lacks; returns how many were added."""
    known = set(session.execute(select(Department.code)).scalars())
    added = [d for d in departments if d["code"] not in known]
    for d in added:
        session.add(Department(code=d["code"], name=d["name"], short_name=d.get("short_name"),
                               sector=d.get("sector"), created_at=utcnow()))
    session.flush()
    return len(added)


def registry_standards(*, session: Session, standards: Standards | None = None) -> Standards:
    """The standards whose department registry also holds every department the database knows, so that
    a department created by a coordinator or an import is a valid provider at every door, and whose
    authoritative sources include the database's overrides and exemptions (catalog.sources)."""
    from catalog.sources.authority import registry_sources
    from catalog.sources.index import with_sources

    standards = standards or load_standards()
    rows = session.execute(select(Department.code, Department.name)).all()
    standards = standards.with_departments({code: name for code, name in rows})
    return with_sources(standards, registry_sources(session=session, standards=standards))  # 一数一源


def list_departments(*, session: Session) -> list[Department]:
    return list(session.execute(select(Department).order_by(Department.code)).scalars())


def create_department(*, session: Session, actor: Actor, code: str, name: str,
                      short_name: str | None = None, sector: str | None = None) -> Department:
    authorize(actor, "manage_departments")
    findings: list[Finding] = []
    if not re.fullmatch(r"\d{9}", code or ""):
        findings.append(finding("department.code-format", "/code", value=repr(code)))
    if not (name or "").strip():
        findings.append(finding("department.name-required", "/name"))
    if sector is not None and not re.fullmatch(r"\d{2}", sector):
        findings.append(finding("department.sector-format", "/sector", value=repr(sector)))
    if findings:
        raise InvalidRecord("部门信息有误 (invalid department)", findings=findings)
    if session.get(Department, code) is not None:
        raise Conflict(f"部门 {code} 已存在 (department exists)")
    row = Department(code=code, name=name.strip(), short_name=short_name, sector=sector, created_at=utcnow())
    session.add(row)
    audit_log.append(session=session, actor=actor, changes=[
        audit_log.Change("create_department", None, None, None, {"code": code, "name": name.strip()})])
    session.flush()
    return row


def department_dict(d: Department) -> dict[str, Any]:
    return {"code": d.code, "name": d.name, "short_name": d.short_name, "sector": d.sector}
