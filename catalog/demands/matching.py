"""Matching a demand against the catalogue: proposals of published resources, each with its coverage.

Three passes, in order of trust:
1. by data element: an item tagged with the need's element (DE0001) covers it;
2. by item name: an item whose name, identifier or the element's alias is the need's name covers it;
3. by text search (the search backend, through `catalog.search.service`): the demand's title and each
   need nothing covered yet; a hit is proposed even when none of its items covers a need by name, so
   the requester sees resources that may hold the data under another name.

A proposal: the resource, `covered` (which need, by which item, how), `missing`, `coverage` "k/n" and
the item identifiers to pre-fill a share request. Ordered by needs covered, then element matches, then
the text-search rank. The requesting department's own resources are never proposed.
"""
from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog.demands.needs import need_key
from catalog.models import Resource
from catalog.search.base import SearchBackend, SearchUnavailable, Visibility
from catalog.search.service import make_query, search_catalogue
from catalog.standards.model import Standards, normalise_name

log = logging.getLogger(__name__)
MAX_PROPOSALS = 10
SEARCH_HITS = 5


def _wanted(need: dict[str, Any], standards: Standards) -> frozenset[str]:
    """The item names / identifiers that mean `need`: its name, the text given and, for a data element, its
    identifier and aliases."""
    wanted = {normalise_name(need["name"]), normalise_name(need["text"])}
    known = standards.elements.get(need.get("element") or "")
    if known:
        wanted |= {normalise_name(a) for a in known.get("aliases") or []} | {known["identifier"]}
    return frozenset(wanted)


def coverage(record: dict[str, Any], needs: list[dict[str, Any]], standards: Standards,
             wanted: list[frozenset[str]] | None = None) -> dict[str, Any]:
    """Which needs the record's items cover: an item tagged with the need's element first, else an item
    whose name or identifier means it (`wanted`: the `_wanted` sets of `needs`, when computed already)."""
    wanted = wanted or [_wanted(n, standards) for n in needs]
    items = [i for i in record.get("items") or [] if isinstance(i, dict)]
    names = [{normalise_name(str(i.get("name") or "")), str(i.get("identifier") or "").lower()} for i in items]
    covered, missing = [], []
    for need, means in zip(needs, wanted):
        element = need.get("element")
        found = next((("element", i) for i in items if element and i.get("element") == element), None) or next(
            (("name", i) for i, n in zip(items, names) if not n.isdisjoint(means)), None)
        if found is None:
            missing.append(need["name"])
        else:
            covered.append({"need": need_key(need), "name": need["name"], "item": found[1].get("identifier"),
                            "item_name": found[1].get("name"), "by": found[0]})
    return {"covered": covered, "missing": missing, "covered_count": len(covered), "needed": len(needs),
            "coverage": f"{len(covered)}/{len(needs)}"}


def covers_all(record: dict[str, Any], needs: list[dict[str, Any]], standards: Standards) -> bool:
    return bool(coverage(record, needs, standards)["covered_count"] == len(needs))


def _search(backend: SearchBackend | None, terms: list[str]) -> tuple[dict[str, int], str | None]:
    """code -> best rank over the searches for `terms` (published resources only)."""
    if backend is None:
        return {}, "未配置检索服务, 未做全文检索匹配 (no search backend)"
    ranks: dict[str, int] = {}
    for term in dict.fromkeys(t.strip()[:200] for t in terms if t and t.strip()):
        try:
            result = search_catalogue(backend=backend, query=make_query(q=term, size=SEARCH_HITS,
                                                                         visibility=Visibility()))
        except SearchUnavailable as exc:
            log.warning("demand matching without text search: %s", exc)
            return ranks, "检索服务暂不可用, 本次只按数据元和信息项名称匹配 (search unavailable)"
        for rank, hit in enumerate(result.hits):
            if hit.state == "published":
                ranks[hit.code] = min(ranks.get(hit.code, rank), rank)
    return ranks, None


def propose(*, session: Session, needs: list[dict[str, Any]], title: str, requester_code: str,
            standards: Standards, backend: SearchBackend | None,
            limit: int = MAX_PROPOSALS) -> tuple[list[dict[str, Any]], str | None]:
    """The proposals for a demand and a note when text search was left out."""
    rows = session.execute(select(Resource).where(col(Resource.state) == "published",
                                                  col(Resource.provider_code) != requester_code)).scalars().all()
    by_code = {r.code: r for r in rows}
    wanted = [_wanted(n, standards) for n in needs]
    found = {code: coverage(r.record or {}, needs, standards, wanted) for code, r in by_code.items()}
    found = {code: c for code, c in found.items() if c["covered_count"]}
    uncovered = [n["name"] for n in needs if not any(n["name"] not in c["missing"] for c in found.values())]
    ranks, note = _search(backend, [title, *uncovered])
    for code in ranks:
        if code in by_code and code not in found:
            found[code] = coverage(by_code[code].record or {}, needs, standards, wanted)
    proposals = []
    for code, cov in found.items():
        row = by_code[code]
        by = {c["by"] for c in cov["covered"]}
        proposals.append({
            "resource_code": code, "resource_name": row.name, "provider_code": row.provider_code,
            "share_type": row.share_type, **cov,
            "matched_by": "element" if "element" in by else "name" if "name" in by else "text",
            "items": list(dict.fromkeys(c["item"] for c in cov["covered"] if c["item"])),
            "search_rank": ranks.get(code),
        })
    proposals.sort(key=lambda p: (-p["covered_count"], -sum(c["by"] == "element" for c in p["covered"]),
                                  p["search_rank"] if p["search_rank"] is not None else 10**6, p["resource_code"]))
    return proposals[:limit], note
