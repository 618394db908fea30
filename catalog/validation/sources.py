"""Layer 6: `source.duplicate-collection` — a department registers items of a data element whose
authoritative source (一数一源) is another department, and has recorded no legal basis for it.

The finding names the authoritative department and resource and suggests a share request instead.
It needs only the Standards: the doors attach the database's sources and exemptions to them
(`catalog.departments.registry_standards`), so API, bulk, imports, web, /validate and audit agree.
"""
from __future__ import annotations

from typing import Any

from catalog.findings import Finding, pointer
from catalog.sources.index import source_index
from catalog.standards import Standards
from catalog.validation.naming import item_element
from catalog.validation.rules import finding


def _department_name(standards: Standards, code: str) -> str:
    registered = standards.departments.get(code)
    return str(registered["name"]) if registered else code


def duplicate_collection_findings(record: dict[str, Any], *, standards: Standards,
                                  source: str | None) -> list[Finding]:
    items, department = record.get("items"), record.get("provider_code")
    if not isinstance(items, list) or not isinstance(department, str):
        return []
    index = source_index(standards)
    if not index.sources:
        return []
    out: list[Finding] = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        element = item_element(item, standards)
        if element is None:
            continue
        authority = index.duplicate(department, element["id"])
        if authority is None or authority.resource == record.get("code"):
            continue
        owner = _department_name(standards, authority.department)
        target = f"向{owner}申请共享" + (f"资源 {authority.resource} {authority.resource_name or ''}".rstrip()
                                         if authority.resource else "该数据")
        out.append(finding(
            "source.duplicate-collection", pointer("items", i), source=source,
            field=item.get("name"), element=f"{element['id']} {element['name']}",
            expected=authority.label(owner), value=_department_name(standards, department),
            suggestion=f"{target}；如依法必须自行采集，请登记采集依据（豁免）"))
    return out
