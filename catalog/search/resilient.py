"""Elasticsearch with the embedded index kept alongside: writes go to both, searches fall back when down."""
from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Iterable

from catalog.search.base import Progress, SearchQuery, SearchResult, SearchUnavailable, Visibility
from catalog.search.documents import SearchDocument
from catalog.search.elastic import ElasticBackend
from catalog.search.embedded import EmbeddedBackend

log = logging.getLogger(__name__)


class ResilientBackend:
    """`primary` (Elasticsearch) answers; `fallback` (embedded) is always maintained and answers with
    `degraded=True` while the primary is unreachable. A failed write to the primary raises
    `SearchUnavailable` (after the fallback was written) so the outbox keeps the change pending."""

    name = "elasticsearch"

    def __init__(self, *, primary: ElasticBackend, fallback: EmbeddedBackend) -> None:
        self.primary = primary
        self.fallback = fallback

    def index(self, docs: Iterable[SearchDocument]) -> int:
        docs = list(docs)
        self.fallback.index(docs)
        return self.primary.index(docs)

    def remove(self, codes: Iterable[str]) -> int:
        codes = list(codes)
        self.fallback.remove(codes)
        return self.primary.remove(codes)

    def search(self, query: SearchQuery) -> SearchResult:
        try:
            return self.primary.search(query)
        except SearchUnavailable as exc:
            log.warning("search degraded to the embedded index: %s", exc)
            result = self.fallback.search(query)
            result.degraded = True
            return result

    def suggest(self, prefix: str, *, limit: int = 10, visibility: Visibility | None = None) -> list[str]:
        try:
            return self.primary.suggest(prefix, limit=limit, visibility=visibility)
        except SearchUnavailable:
            return self.fallback.suggest(prefix, limit=limit, visibility=visibility)

    def reset(self) -> None:
        self.fallback.reset()
        self.primary.reset()

    def rebuild(self, docs: Iterable[SearchDocument], *, progress: Progress | None = None) -> int:
        """Both indexes at once: the embedded one in a thread (SQLite works outside the GIL) while the primary's
        bulk requests are indexed by the server."""
        docs = list(docs)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="mulu-rebuild-fallback") as pool:
            fallback = pool.submit(self.fallback.rebuild, docs)
            try:
                return self.primary.rebuild(docs, progress=progress)
            finally:
                fallback.result()

    def health(self) -> dict[str, Any]:
        primary = self.primary.health()
        return {**primary, "fallback": self.fallback.health(), "degraded": not primary.get("ok")}

    def close(self) -> None:
        self.primary.close()
        self.fallback.close()
