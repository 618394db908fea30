"""The department registry in the database: synced from standards/departments.yaml, managed by coordinators.

A department has a nine-digit code whose first six digits are its GB/T 2260 division (catalog.divisions),
an administrative level (province / city / county / district, from the division unless given), an
optional parent department (e.g. a bureau's parent agency), its sector (行业代码, which class-3
部门信息资源 records must use), its former names and its aliases. Whatever door creates a department
(seed, API, CLI, bulk file, import), the validator sees the same row (`registry_standards`).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog import audit_log
from catalog.auth import Actor, authorize
from catalog.divisions import LEVELS, ensure_division, is_division_code, level_of
from catalog.db import standards_dir_of
from catalog.errors import Conflict, InvalidRecord
from catalog.findings import Finding
from catalog.models import Department, Division, utcnow
from catalog.standards import Standards, load_standards

FIELDS = ("code", "name", "short_name", "sector", "level", "division_code", "parent_code",
          "former_names", "aliases")


def sync_departments(*, session: Session, departments: list[dict[str, Any]],
                     region: dict[str, Any] | None = None) -> int:
    """Insert the departments of the standards that the database lacks (and their region's divisions:
    the region itself and the `parents` it names); returns how many departments were added."""
    for division in [*((region or {}).get("parents") or []), *([region] if region else [])]:
        ensure_division(session=session, code=division["code"], name=division["name"])
    known = set(session.execute(select(col(Department.code))).scalars())
    added = [d for d in departments if d["code"] not in known]
    for d in added:
        session.add(_row({**d, "created_at": utcnow()}))
    session.flush()
    return len(added)


def _row(values: dict[str, Any]) -> Department:
    code = values["code"]
    division = values.get("division_code") or code[:6]
    return Department(code=code, name=values["name"].strip(), short_name=values.get("short_name"),
                      sector=values.get("sector"), level=values.get("level") or level_of(division),
                      division_code=division, parent_code=values.get("parent_code"),
                      former_names=list(values.get("former_names") or []),
                      aliases=list(values.get("aliases") or []), created_at=values.get("created_at") or utcnow())


def registry_standards(*, session: Session, standards: Standards | None = None) -> Standards:
    """The standards whose department registry also holds every department the database knows (with its
    sector), so that a department created by a coordinator or an import is a full provider at every door,
    and whose authoritative sources include the database's overrides and exemptions (catalog.sources)."""
    from catalog.sources.authority import registry_sources
    from catalog.sources.index import with_sources

    standards = standards or load_standards(standards_dir_of(session))
    rows = session.execute(select(col(Department.code), col(Department.name), col(Department.sector))).all()
    standards = standards.with_departments({code: {"code": code, "name": name, "sector": sector}
                                            for code, name, sector in rows})
    return with_sources(standards, registry_sources(session=session, standards=standards))  # 一数一源


def list_departments(*, session: Session, division: str | None = None, level: str | None = None,
                     parent: str | None = None) -> list[Department]:
    query = select(Department).order_by(Department.code)
    if division:
        query = query.where(col(Department.code).startswith(division.rstrip("0") or division))
    if level:
        query = query.where(col(Department.level) == level)
    if parent:
        query = query.where(col(Department.parent_code) == parent)
    return list(session.execute(query).scalars())


def department_findings(values: dict[str, Any], *, where: str = "") -> list[Finding]:
    """What is wrong with one department's fields (the codes' form; not whether the parent exists)."""
    out = []
    code, name = values.get("code"), values.get("name")
    if not (isinstance(code, str) and re.fullmatch(r"\d{9}", code) and is_division_code(code[:6])):
        out.append(Finding("department.code-format", "error", f"{where}/code",
                           f"部门代码 {code!r} 应为 9 位数字，前 6 位为行政区划代码 (GB/T 2260)"))
    if not (isinstance(name, str) and name.strip()):
        out.append(Finding("department.name-required", "error", f"{where}/name", "部门名称不能为空"))
    sector = values.get("sector")
    if sector is not None and not (isinstance(sector, str) and re.fullmatch(r"\d{2}", sector)):
        out.append(Finding("department.sector-format", "error", f"{where}/sector", f"行业代码 {sector!r} 应为 2 位数字"))
    level = values.get("level")
    if level is not None and level not in LEVELS:
        out.append(Finding("department.level", "error", f"{where}/level",
                           f"行政级别 {level!r} 应为 {' / '.join(LEVELS)}"))
    parent = values.get("parent_code")
    if parent is not None and not (isinstance(parent, str) and re.fullmatch(r"\d{9}", parent)):
        out.append(Finding("department.parent", "error", f"{where}/parent_code", f"上级部门代码 {parent!r} 应为 9 位数字"))
    if parent is not None and parent == code:
        out.append(Finding("department.parent", "error", f"{where}/parent_code", "上级部门不能是部门自身"))
    for key in ("former_names", "aliases"):
        names = values.get(key)
        if names is not None and not (isinstance(names, list) and all(isinstance(n, str) and n.strip() for n in names)):
            out.append(Finding("department.names", "error", f"{where}/{key}", f"{key} 应为名称列表"))
    return out


def create_department(*, session: Session, actor: Actor, code: str, name: str,
                      short_name: str | None = None, sector: str | None = None, level: str | None = None,
                      parent_code: str | None = None, former_names: list[str] | None = None,
                      aliases: list[str] | None = None, division_name: str | None = None) -> Department:
    authorize(actor, "manage_departments")
    values = {"code": code, "name": name, "short_name": short_name, "sector": sector, "level": level,
              "parent_code": parent_code, "former_names": former_names, "aliases": aliases}
    findings = department_findings(values)
    if not findings and parent_code and parent_code != code and session.get(Department, parent_code) is None:
        findings.append(Finding("department.parent", "error", "/parent_code", f"上级部门 {parent_code} 不存在"))
    if findings:
        raise InvalidRecord("部门信息有误 (invalid department)", findings=findings)
    if session.get(Department, code) is not None:
        raise Conflict(f"部门 {code} 已存在 (department exists)")
    ensure_division(session=session, code=code[:6], name=division_name)
    row = _row(values)
    session.add(row)
    audit_log.append(session=session, actor=actor, changes=[
        audit_log.Change("create_department", None, None, None, {"code": code, "name": row.name})])
    session.flush()
    return row


@dataclass(slots=True)
class DepartmentOutcome:
    """The result of one row of a bulk department import."""
    index: int
    code: str | None
    status: str  # created | updated | unchanged | invalid
    findings: list[Finding] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "code": self.code, "status": self.status,
                "findings": [f.to_dict() for f in self.findings]}


def upsert_departments(*, session: Session, actor: Actor, rows: list[dict[str, Any]],
                       sources: list[str] | None = None) -> list[DepartmentOutcome]:
    """Create or update many departments at once (one transaction: the caller's); a row with findings is
    reported and left out, the others are stored. A parent may be another row of the same batch."""
    authorize(actor, "manage_departments")
    existing = {d.code: d for d in session.execute(select(Department)).scalars()}
    batch_codes = {r.get("code") for r in rows if isinstance(r, dict)}
    outcomes, changes = [], []
    for i, raw in enumerate(rows):
        values: dict[str, Any] = {k: raw.get(k) for k in FIELDS} if isinstance(raw, dict) else {}
        source = sources[i] if sources else None
        findings = department_findings(values) if isinstance(raw, dict) else [
            Finding("department.row", "error", "", "每个部门应为一个对象 (department must be a mapping)")]
        parent = values.get("parent_code")
        if not findings and parent and parent not in existing and parent not in batch_codes:
            findings.append(Finding("department.parent", "error", "/parent_code", f"上级部门 {parent} 不存在"))
        if findings:
            outcomes.append(DepartmentOutcome(i, values.get("code"), "invalid",
                                              [_with_source(f, source) for f in findings]))
            continue
        code = values["code"]
        division_name = raw.get("division_name")
        ensure_division(session=session, code=code[:6], name=division_name if isinstance(division_name, str) else None)
        row = existing.get(code)
        if row is None:
            row = _row(values)
            session.add(row)
            existing[code] = row
            outcomes.append(DepartmentOutcome(i, code, "created"))
            changes.append(audit_log.Change("create_department", None, None, None, {"code": code, "name": row.name}))
            continue
        before = department_dict(row, with_division=False)
        for key in FIELDS[1:]:
            if key in raw and values[key] is not None:
                setattr(row, key, values[key].strip() if key == "name" else values[key])
        after = department_dict(row, with_division=False)
        if after == before:
            outcomes.append(DepartmentOutcome(i, code, "unchanged"))
            continue
        outcomes.append(DepartmentOutcome(i, code, "updated"))
        changes.append(audit_log.Change("update_department", None, None, None,
                                        {"code": code, "changed": sorted(k for k in after if after[k] != before[k])}))
    if changes:
        audit_log.append(session=session, actor=actor, changes=changes)
    session.flush()
    return outcomes


def _with_source(finding: Finding, source: str | None) -> Finding:
    if source is None:
        return finding
    return Finding(finding.rule, finding.severity, finding.path, finding.message, finding.suggestion, source)


def department_dict(d: Department, *, with_division: bool = True,
                    divisions: dict[str, Division] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"code": d.code, "name": d.name, "short_name": d.short_name, "sector": d.sector,
                           "level": d.level, "division_code": d.division_code or d.code[:6],
                           "parent_code": d.parent_code, "former_names": list(d.former_names or []),
                           "aliases": list(d.aliases or [])}
    if with_division and divisions is not None:
        division = divisions.get(out["division_code"])
        out["division_name"] = division.name if division else None
    return out


def division_map(*, session: Session) -> dict[str, Division]:
    return {d.code: d for d in session.execute(select(Division)).scalars()}
