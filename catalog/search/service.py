"""The search use-cases both doors call: checked parameters in, a SearchResult out."""
from __future__ import annotations

from typing import Any

from catalog.errors import InvalidInput
from catalog.findings import Finding
from catalog.search.base import FILTERS, MAX_PAGE_SIZE, MAX_WINDOW, SORTS, SearchBackend, SearchQuery, SearchResult, Visibility


def _bad(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, findings=[Finding(rule="search-parameter", severity="error", path=f"/{field}",
                                                   message=message)])


def make_query(*, q: str = "", filters: dict[str, Any] | None = None, page: int = 1, size: int = 20,
               sort: str = "relevance", visibility: Visibility) -> SearchQuery:
    """A SearchQuery from door parameters; InvalidInput naming the parameter when one is wrong."""
    clean: dict[str, tuple[str, ...]] = {}
    for key, value in (filters or {}).items():
        if key not in FILTERS:
            raise _bad(key, f"未知的筛选条件 {key}，可用：{', '.join(FILTERS)} (unknown filter)")
        values = tuple(str(v).strip() for v in (value if isinstance(value, (list, tuple)) else [value]) if v is not None)
        if key == "open_to_public":
            values = tuple({"1": "true", "0": "false", "是": "true", "否": "false"}.get(v.lower(), v.lower()) for v in values)
            if any(v not in ("true", "false") for v in values):
                raise _bad(key, "open_to_public 应为 true 或 false (expected true|false)")
        if values:
            clean[key] = values
    if page < 1:
        raise _bad("page", "page 应 ≥ 1 (expected page >= 1)")
    if not 1 <= size <= MAX_PAGE_SIZE:
        raise _bad("size", f"size 应在 1 到 {MAX_PAGE_SIZE} 之间 (expected 1..{MAX_PAGE_SIZE})")
    if page * size > MAX_WINDOW:
        raise _bad("page", f"最多翻到第 {MAX_WINDOW} 条结果 (page * size must be <= {MAX_WINDOW})")
    if sort not in SORTS:
        raise _bad("sort", f"sort 应为 {' 或 '.join(SORTS)} (expected relevance|date)")
    if len(q) > 200:
        raise _bad("q", "查询词最长 200 字 (q longer than 200 characters)")
    return SearchQuery(q=q or "", filters=clean, page=page, size=size, sort=sort,  # type: ignore[arg-type]
                       visibility=visibility)


def search_catalogue(*, backend: SearchBackend, query: SearchQuery) -> SearchResult:
    return backend.search(query)


def suggest_names(*, backend: SearchBackend, prefix: str, visibility: Visibility, limit: int = 10) -> list[str]:
    if len(prefix) > 100:
        raise _bad("q", "输入提示最长 100 字 (q longer than 100 characters)")
    if not 1 <= limit <= 50:
        raise _bad("limit", "limit 应在 1 到 50 之间 (expected 1..50)")
    return backend.suggest(prefix, limit=limit, visibility=visibility)
