"""The home page: search with suggestions, facet filters with counts, highlights and pagination.

The URL carries the whole query (q, filters, page, sort) so a search can be bookmarked and shared. The
search itself is the catalogue's (`catalog.search.service.make_query` + the configured backend).
"""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from api.web.context import optional_viewer
from api.web.render import WebRoute, render
from api.web.routes_resource import ANONYMOUS
from catalog.search import visibility_for
from catalog.search.service import make_query, suggest_names

router = APIRouter(route_class=WebRoute)
PAGE_SIZE = 10
# facet -> (title, the filter parameter its values set)
FACET_TITLES: dict[str, tuple[str, str]] = {
    "provider_code": ("提供部门", "provider_code"),
    "classification_class": ("资源类别", "classification"),
    "classification_item": ("资源项", "classification"),
    "share_type": ("共享类型", "share_type"),
    "format_category": ("资源格式", "format_category"),
    "update_cycle": ("更新周期", "update_cycle"),
    "open_to_public": ("向社会开放", "open_to_public"),
    "state": ("状态", "state"),
}
FILTER_PARAMS = ("provider_code", "classification", "share_type", "format_category", "update_cycle",
                 "open_to_public", "state")


def _pages(page: int, last: int) -> list[int]:
    window = range(max(1, page - 3), min(last, page + 3) + 1)
    return sorted({1, last, *window} - {0})


@router.get("/")
def search_page(request: Request, q: str = Query("", max_length=200), page: int = Query(1, ge=1, le=1000),
                sort: str = Query("relevance")) -> Response:
    actor = optional_viewer(request) or ANONYMOUS
    filters = {k: [v for v in request.query_params.getlist(k) if v] for k in FILTER_PARAMS}
    filters = {k: v for k, v in filters.items() if v}
    query = make_query(q=q, filters=filters, page=page, size=PAGE_SIZE, sort=sort,
                       visibility=visibility_for(actor))
    result = request.app.state.catalog.search.search(query)
    params: dict[str, Any] = {"q": q, **filters, "sort": None if sort == "relevance" else sort}
    facets = []
    for name, values in result.facets.items():
        if name not in FACET_TITLES or not values:
            continue
        title, param = FACET_TITLES[name]
        chosen = filters.get(param, [])
        shown = []
        for v in [*values[:12], *(v for v in values[12:] if v.value in chosen)]:  # a chosen value stays shown
            on = v.value in chosen
            others = [c for c in chosen if c != v.value]
            shown.append({"value": v.value, "label": v.label, "count": v.count, "on": on,
                          "params": {**params, param: others if on else [*chosen, v.value], "page": None}})
        facets.append({"name": name, "title": title, "values": shown})
    last = max(1, -(-min(result.count, 10_000) // PAGE_SIZE))
    return render(request, "search.html", q=q, result=result, facets=facets, params=params, page=page,
                  pages=_pages(page, last), last=last, sort=sort, filters=filters)


@router.get("/suggest")
def suggest(request: Request, q: str = Query("", max_length=100)) -> Response:
    """Name suggestions for the query box (same rules as /api/v1/search/suggest, session cookie auth)."""
    actor = optional_viewer(request) or ANONYMOUS
    if not q.strip():
        return JSONResponse({"data": [], "count": 0})
    names = suggest_names(backend=request.app.state.catalog.search, prefix=q,
                          visibility=visibility_for(actor), limit=10)
    return JSONResponse({"data": names, "count": len(names)})
