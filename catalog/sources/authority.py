"""Authoritative sources and exemptions in the database, over the defaults of the standards file.

A coordinator sets (or resets) an element's authoritative department and resource; a department's
steward — or a coordinator — records an exemption with its legal basis, or removes it. Every change is
one audit entry in the caller's transaction. `registry_sources` merges everything into the SourceIndex
the validation engine uses; `catalog.departments.registry_standards` attaches it, so every door that
validates against the database sees the same sources.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog import audit_log
from catalog.auth import Actor, allowed, authorize
from catalog.errors import Conflict, Forbidden, InvalidInput, NotFound
from catalog.findings import Finding
from catalog.models import Resource, utcnow
from catalog.sources.index import Exemption, Source, SourceIndex, file_index, source_index
from catalog.sources.models import CollectionExemption, SourceOverride
from catalog.standards import Standards
from catalog.validation.naming import item_element


def registry_sources(*, session: Session, standards: Standards) -> SourceIndex:
    """The file's sources and exemptions with the database's overrides and exemptions over them."""
    base = file_index(standards)
    overrides = session.execute(select(SourceOverride)).scalars().all()
    exemptions = session.execute(select(CollectionExemption)).scalars().all()
    if not overrides and not exemptions:
        return base
    names = dict(session.execute(select(col(Resource.code), col(Resource.name)).where(
        col(Resource.code).in_([o.resource_code for o in overrides if o.resource_code]))).all()) if overrides else {}
    sources = dict(base.sources)
    for o in overrides:
        sources[o.element_id] = Source(element=o.element_id, department=o.department_code,
                                       resource=o.resource_code, resource_name=names.get(o.resource_code or ""),
                                       note=o.note, origin="override")
    exempt = dict(base.exemptions)
    for e in exemptions:
        exempt[(e.department_code, e.element_id)] = Exemption(
            e.element_id, e.department_code, e.basis, id=e.id, created_by=e.created_by,
            created_at=e.created_at.isoformat() if e.created_at else None)
    return SourceIndex(sources=sources, exemptions=exempt)


def _flush_or_conflict(session: Session, message: str) -> None:
    """Flush; a unique key taken by a concurrent writer is a 409, not a 500 (the transaction rolls back)."""
    try:
        session.flush()
    except IntegrityError:
        raise Conflict(message) from None


def _bad(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, findings=[Finding(f"source.{field}", "error", f"/{field}", message)])


def _element(standards: Standards, element: Any) -> dict[str, Any]:
    found: dict[str, Any] | None = standards.elements.get(element) if isinstance(element, str) else None
    if found is None:
        raise NotFound(f"数据元 {element!r} 不在数据元目录中 (unknown data element)")
    return found


def _department(standards: Standards, code: Any, field: str = "department_code") -> str:
    if not isinstance(code, str) or code not in standards.departments:
        raise _bad(field, f"部门代码 {code!r} 不在部门注册表中 (unknown department)")
    return code


def set_source(*, session: Session, actor: Actor, standards: Standards, element: str, department_code: Any,
               resource_code: Any = None, note: Any = None) -> Source:
    """A coordinator names `element`'s authoritative department and, once registered, its resource."""
    authorize(actor, "manage_departments")
    found = _element(standards, element)
    department = _department(standards, department_code)
    if resource_code not in (None, ""):
        row = session.execute(select(Resource).where(Resource.code == resource_code)).scalar_one_or_none()
        if row is None:
            raise _bad("resource_code", f"资源 {resource_code} 不存在 (resource not found)")
        if row.provider_code != department:
            raise _bad("resource_code", f"资源 {resource_code} 由 {row.provider_code} 提供，不属于权威部门 {department}")
        carried = {(item_element(i, standards) or {}).get("id") for i in (row.record or {}).get("items") or []
                   if isinstance(i, dict)}
        if found["id"] not in carried:
            raise _bad("resource_code", f"资源 {resource_code} 的信息项不含数据元 {found['id']} {found['name']}")
    else:
        resource_code = None
    if note is not None and not isinstance(note, str):
        raise _bad("note", "说明 note 应为文本")
    before = source_index(standards).authority(found["id"])
    row_o = session.get(SourceOverride, found["id"]) or SourceOverride(
        element_id=found["id"], department_code=department, updated_by=actor.name, updated_at=utcnow())
    row_o.department_code, row_o.resource_code, row_o.note = department, resource_code, (note or None)
    row_o.updated_by, row_o.updated_at = actor.name, utcnow()
    session.add(row_o)
    _flush_or_conflict(session, f"数据元 {found['id']} 的权威来源正被同时修改，请重试 (concurrent change)")
    audit_log.append(session=session, actor=actor, changes=[audit_log.Change(
        "source.set", resource_code, detail={
            "element": found["id"], "department_code": department, "resource_code": resource_code, "note": note,
            "before": before.to_dict() if before else None})])
    session.flush()
    return registry_sources(session=session, standards=standards).sources[found["id"]]


def reset_source(*, session: Session, actor: Actor, standards: Standards, element: str) -> Source | None:
    """Drop the database override: the standards file's default (if any) applies again."""
    authorize(actor, "manage_departments")
    found = _element(standards, element)
    row = session.get(SourceOverride, found["id"])
    if row is None:
        raise NotFound(f"数据元 {found['id']} 没有数据库中的权威来源设置 (no override)")
    session.delete(row)
    audit_log.append(session=session, actor=actor, changes=[audit_log.Change(
        "source.reset", None, detail={"element": found["id"], "department_code": row.department_code,
                                      "resource_code": row.resource_code})])
    session.flush()
    return file_index(standards).authority(found["id"])


def _may_exempt(actor: Actor, department: str) -> None:
    if not (allowed(actor, "update", provider_code=department) or allowed(actor, "manage_departments")):
        raise Forbidden(f"只有部门 {department} 的数据管理员或协调机构可以登记采集依据 (forbidden)",
                        role=actor.role, action="exempt")


def add_exemption(*, session: Session, actor: Actor, standards: Standards, department_code: Any,
                  element: str, basis: Any) -> Exemption:
    """`department_code` collects `element` anyway, on the legal basis `basis` (kept and shown)."""
    found = _element(standards, element)
    department = _department(standards, department_code)
    _may_exempt(actor, department)
    authority = source_index(standards).authority(found["id"])
    if authority is not None and authority.department == department:
        raise _bad("department_code", f"部门 {department} 就是数据元 {found['id']} {found['name']} 的权威来源，无需登记采集依据")
    if not isinstance(basis, str) or len(basis.strip()) < 4:
        raise _bad("basis", "请写明自行采集的法律依据 basis（法律、行政法规或国务院决定，至少 4 个字）")
    taken = session.execute(select(col(CollectionExemption.id)).where(
        col(CollectionExemption.department_code) == department, col(CollectionExemption.element_id) == found["id"])).first()
    if taken:
        raise Conflict(f"部门 {department} 已登记数据元 {found['id']} 的采集依据（{taken[0]}）(exemption exists)",
                       exemption_id=taken[0])
    row = CollectionExemption(department_code=department, element_id=found["id"], basis=basis.strip(),
                              created_by=actor.name, created_at=utcnow())
    session.add(row)
    _flush_or_conflict(session, f"部门 {department} 已登记数据元 {found['id']} 的采集依据 (exemption exists)")
    audit_log.append(session=session, actor=actor, changes=[audit_log.Change(
        "source.exempt", None, detail={"exemption_id": row.id, "element": found["id"],
                                       "department_code": department, "basis": row.basis})])
    return Exemption(row.element_id, row.department_code, row.basis, id=row.id, created_by=row.created_by,
                     created_at=row.created_at.isoformat())


def remove_exemption(*, session: Session, actor: Actor, exemption_id: int) -> None:
    row = session.get(CollectionExemption, exemption_id)
    if row is None:
        raise NotFound(f"采集依据 {exemption_id} 不存在 (exemption not found)")
    _may_exempt(actor, row.department_code)
    session.delete(row)
    audit_log.append(session=session, actor=actor, changes=[audit_log.Change(
        "source.unexempt", None, detail={"exemption_id": exemption_id, "element": row.element_id,
                                         "department_code": row.department_code, "basis": row.basis})])
    session.flush()


def sources_listing(*, index: SourceIndex, standards: Standards,
                    department_code: str | None = None) -> dict[str, Any]:
    """{sources: [...], exemptions: [...]} with element and department names, for the doors."""
    def dept(code: str) -> str:
        return str((standards.departments.get(code) or {}).get("name") or code)

    sources = [{**s.to_dict(), "element_name": standards.elements.get(s.element, {}).get("name"),
                "department": dept(s.department)}
               for s in sorted(index.sources.values(), key=lambda s: s.element)
               if department_code in (None, s.department)]
    exemptions = [{**e.to_dict(), "element_name": standards.elements.get(e.element, {}).get("name"),
                   "department": dept(e.department)}
                  for e in sorted(index.exemptions.values(), key=lambda e: (e.department, e.element))
                  if department_code in (None, e.department)]
    return {"sources": sources, "exemptions": exemptions}
