"""联办 scenarios (一件事一次办): a business process of ordered steps, each done by one department.

A step declares the data elements it needs, the documents it takes from the applicant (with the
elements each supplies) and its time limit in working days (standards/scenarios.yaml). From the
catalogue's real state mulu works out, for every need:

    own        the step's department is the element's authoritative source: its own data
    shared     another department's published resource carries it and a live grant gives it to the step
    available  another department's published resource carries it, but no live grant: keyed by hand today,
               a share request away from sharing
    manual     no other department's catalogue resource carries it: keyed by hand

A document is no longer brought when every element it supplies is own or shared. Working days: before
sharing the steps run one after another; with sharing, a step after the first whose needs are all own
or shared runs in parallel, starting when the last step that still needs paper has ended. Totals per
case: fields covered by sharing vs re-keyed, documents before/after, working days before/after; and
`potential`, the same figures if every available need were granted.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog.errors import NotFound
from catalog.models import Resource
from catalog.sharing.models import Grant
from catalog.sources.index import source_index
from catalog.sources.redundancy import carried_elements
from catalog.standards import Standards

COVERED_NOW = frozenset({"own", "shared"})
COVERED_POTENTIAL = frozenset({"own", "shared", "available"})


def scenario_list(*, standards: Standards) -> list[dict[str, Any]]:
    doc = standards.documents.get("scenarios") or {}
    return [{"name": s["name"], "title": s["title"], "steps": len(s["steps"]),
             "cases_per_year": s.get("cases_per_year")} for s in doc.get("scenarios") or []]


def _scenario(standards: Standards, name: str) -> dict[str, Any]:
    for s in (standards.documents.get("scenarios") or {}).get("scenarios") or []:
        if s["name"] == name or s["title"] == name:
            return dict(s)
    raise NotFound(f"联办场景 {name!r} 不存在 (unknown scenario)")


def _carriers(session: Session, standards: Standards) -> dict[str, list[tuple[Resource, str]]]:
    """element → [(published, shareable resource, item identifier)], by code."""
    out: dict[str, list[tuple[Resource, str]]] = defaultdict(list)
    rows = session.execute(select(Resource).where(col(Resource.state) == "published").order_by(col(Resource.code))).scalars()
    for res in rows:
        if res.share_type == "不予共享":
            continue
        for el, ident in carried_elements(res.record or {}, standards).items():
            out[el].append((res, ident))
    return out


def _live_grants(session: Session, today: date) -> dict[tuple[str, str], list[Grant]]:
    """(requester, resource code) → live grants."""
    out: dict[tuple[str, str], list[Grant]] = defaultdict(list)
    for g in session.execute(select(Grant).where(col(Grant.status) == "active", col(Grant.valid_until) >= today)).scalars():
        out[(g.requester_code, g.resource_code)].append(g)
    return out


def _need(element: str, department: str, standards: Standards, carriers: dict[str, list[tuple[Resource, str]]],
          grants: dict[tuple[str, str], list[Grant]]) -> dict[str, Any]:
    meta = standards.elements.get(element) or {"name": element}
    authority = source_index(standards).authority(element)
    out: dict[str, Any] = {"element": element, "name": meta["name"], "resource": None, "grant_id": None,
                           "authority_department_code": authority.department if authority else None}
    if authority is not None and authority.department == department:
        return {**out, "status": "own"}
    others = [(r, i) for r, i in carriers.get(element, []) if r.provider_code != department]
    if not others:
        return {**out, "status": "manual"}
    for res, ident in others:
        for g in grants.get((department, res.code), []):
            if not g.items or ident in g.items:
                return {**out, "status": "shared", "grant_id": g.id, "resource": _res(res)}

    def preference(pair: tuple[Resource, str]) -> tuple[int, int, str]:
        res = pair[0]
        return (0 if authority and res.code == authority.resource else 1,
                0 if authority and res.provider_code == authority.department else 1, res.code)
    return {**out, "status": "available", "resource": _res(min(others, key=preference)[0])}


def _res(res: Resource) -> dict[str, str]:
    return {"code": res.code, "name": res.name, "provider_code": res.provider_code, "share_type": res.share_type or ""}


def _days(steps: list[dict[str, Any]], covered: frozenset[str]) -> int:
    """Working days of the whole process: parallel steps start when the last paper-bound step ended."""
    paper_end = all_end = 0
    for i, step in enumerate(steps):
        parallel = i > 0 and all(n["status"] in covered for n in step["needs"])
        start = paper_end if parallel else all_end
        end = start + step["working_days"]
        if not parallel:
            paper_end = end
        all_end = max(all_end, end)
    return all_end


def _totals(steps: list[dict[str, Any]], covered: frozenset[str], cases: int | None) -> dict[str, Any]:
    needs = [n for s in steps for n in s["needs"]]
    shared = sum(n["status"] in covered - {"own"} for n in needs)
    docs_after = sum(1 for s in steps for d in s["documents"] if not _dropped(d, s, covered))
    return {
        "fields_shared": shared, "fields_own": sum(n["status"] == "own" for n in needs),
        "fields_rekeyed": sum(n["status"] not in covered for n in needs),
        "documents_before": sum(len(s["documents"]) for s in steps), "documents_after": docs_after,
        "working_days_before": sum(s["working_days"] for s in steps), "working_days_after": _days(steps, covered),
        "cases_per_year": cases, "fields_shared_per_year": shared * cases if cases is not None else None,
    }


def _dropped(document: dict[str, Any], step: dict[str, Any], covered: frozenset[str]) -> bool:
    status = {n["element"]: n["status"] for n in step["needs"]}
    elements = document.get("elements") or []
    return bool(elements) and all(status.get(e) in covered for e in elements)


def scenario_report(*, session: Session, standards: Standards, today: date, name: str) -> dict[str, Any]:
    """The scenario `name` (or title) in figures from the catalogue as it is `today`."""
    scenario = _scenario(standards, name)
    carriers, grants = _carriers(session, standards), _live_grants(session, today)
    steps = []
    for number, raw in enumerate(scenario["steps"], 1):
        dept = raw["department"]
        wanted = list(dict.fromkeys([*(raw.get("needs") or []),
                                     *(e for d in raw.get("documents") or [] for e in d.get("elements") or [])]))
        needs = [_need(el, dept, standards, carriers, grants) for el in wanted]
        step = {"number": number, "name": raw["name"], "label": raw.get("label") or raw["name"],
                "department_code": dept,
                "department": str((standards.departments.get(dept) or {}).get("name") or dept),
                "working_days": raw["working_days"], "needs": needs,
                "documents": [{"name": d["name"], "elements": list(d.get("elements") or [])}
                              for d in raw.get("documents") or []]}
        for d in step["documents"]:
            d["no_longer_brought"] = _dropped(d, step, COVERED_NOW)
            d["no_longer_brought_potential"] = _dropped(d, step, COVERED_POTENTIAL)
        step["counts"] = {k: sum(n["status"] == k for n in needs) for k in ("own", "shared", "available", "manual")}
        steps.append(step)
    cases = scenario.get("cases_per_year")
    to_request = sorted({(n["resource"]["code"], s["department_code"]) for s in steps for n in s["needs"]
                         if n["status"] == "available"})
    return {"name": scenario["name"], "title": scenario["title"], "description": scenario.get("description"),
            "as_of": today.isoformat(), "steps": steps,
            "totals": _totals(steps, COVERED_NOW, cases), "potential": _totals(steps, COVERED_POTENTIAL, cases),
            "share_requests_needed": [{"resource_code": c, "requester_code": d} for c, d in to_request]}
