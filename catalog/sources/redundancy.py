"""The redundancy map: for each data element, which departments' resources carry it, which department is
the authoritative source, and which carriers are duplicate collection (or exempt, with their basis).

Also the per-department count of duplicate collection for the 绩效评估 report (catalog.stats).
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog.auth import Actor, read_scope
from catalog.models import Resource
from catalog.validation.sources import duplicate_collection_findings
from catalog.sources.index import source_index
from catalog.standards import Standards
from catalog.validation.naming import item_element

SORTS = ("departments", "duplicates", "element")


def carried_elements(record: dict[str, Any], standards: Standards) -> dict[str, str]:
    """element id → the identifier of the item that carries it, for one record."""
    out: dict[str, str] = {}
    for item in record.get("items") or []:
        if isinstance(item, dict):
            element = item_element(item, standards)
            if element is not None:
                out.setdefault(element["id"], str(item.get("identifier") or element["identifier"]))
    return out


def visible_resources(*, session: Session, actor: Actor | None) -> list[Resource]:
    """Non-withdrawn resources the actor may see (anonymous: published only)."""
    query = select(Resource).where(col(Resource.state) != "withdrawn").order_by(col(Resource.code))
    scope, own = read_scope(actor) if actor is not None else ("published", None)
    if scope == "published":
        query = query.where(col(Resource.state) == "published")
    elif scope == "own_or_published":
        query = query.where((col(Resource.state) == "published") | (col(Resource.provider_code) == (own or "")))
    return list(session.execute(query).scalars())


def redundancy_map(*, resources: Iterable[Resource], standards: Standards, element: str | None = None,
                   department: str | None = None, only_duplicates: bool = False,
                   sort: str = "departments") -> dict[str, Any]:
    """{departments: [{code, name}], elements: [...], totals}; one element row per element carried
    by at least one resource or having an authoritative source."""
    index = source_index(standards)
    cells: dict[str, dict[str, list[dict[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for res in resources:
        for el in carried_elements(res.record or {}, standards):
            cells[el][res.provider_code].append({"code": res.code, "name": res.name, "state": res.state})
    ids = sorted(set(cells) | set(index.sources))
    rows = []
    for el in ids:
        meta = standards.elements.get(el)
        if meta is None or (element and element not in (el, meta["name"], meta["identifier"])):
            continue
        authority = index.authority(el)
        carriers = []
        for dept, found in sorted(cells[el].items()):
            exemption = index.exemption(dept, el)
            status = ("authoritative" if authority and authority.department == dept else
                      "no-authority" if authority is None else "exempt" if exemption else "duplicate")
            carriers.append({"department_code": dept, "resources": found, "status": status,
                             "exemption": exemption.to_dict() if exemption and status == "exempt" else None})
        duplicates = sum(c["status"] == "duplicate" for c in carriers)
        if department and not any(c["department_code"] == department for c in carriers) and not (
                authority and authority.department == department):
            continue
        if only_duplicates and not duplicates:
            continue
        rows.append({"element": el, "name": meta["name"], "identifier": meta["identifier"],
                     "authority": authority.to_dict() if authority else None, "carriers": carriers,
                     "departments": len(carriers), "duplicates": duplicates,
                     "exempt": sum(c["status"] == "exempt" for c in carriers)})
    key = {"departments": lambda r: (-r["departments"], r["element"]),
           "duplicates": lambda r: (-r["duplicates"], -r["departments"], r["element"]),
           "element": lambda r: r["element"]}.get(sort)
    if key is None:
        from catalog.errors import InvalidInput

        raise InvalidInput(f"未知排序 {sort!r}，应为 {', '.join(SORTS)} (unknown sort)")
    rows.sort(key=key)
    codes = sorted({c["department_code"] for r in rows for c in r["carriers"]} |
                   {r["authority"]["department_code"] for r in rows if r["authority"]})
    departments = [{"code": c, "name": str((standards.departments.get(c) or {}).get("name") or c)} for c in codes]
    return {"departments": departments, "elements": rows,
            "totals": {"elements": len(rows), "with_authority": sum(r["authority"] is not None for r in rows),
                       "duplicate_cells": sum(r["duplicates"] for r in rows),
                       "exempt_cells": sum(r["exempt"] for r in rows)}}


def duplicate_collection_by_department(*, resources: Iterable[Resource],
                                       standards: Standards) -> dict[str, dict[str, int]]:
    """department code → {items, resources, elements}: its resources' items that re-collect an element of
    another department's authority without an exemption (the `source.duplicate-collection` findings)."""
    counts: dict[str, dict[str, Any]] = defaultdict(lambda: {"items": 0, "resources": set(), "elements": set()})
    for res in resources:
        if res.state == "withdrawn":
            continue
        for f in duplicate_collection_findings(res.record or {}, standards=standards, source=res.code):
            item = (res.record or {})["items"][int(f.path.rsplit("/", 1)[-1])]
            row = counts[res.provider_code]
            row["items"] += 1
            row["resources"].add(res.code)
            row["elements"].add((item_element(item, standards) or {}).get("id"))
    return {code: {"items": c["items"], "resources": len(c["resources"]), "elements": len(c["elements"])}
            for code, c in counts.items()}
