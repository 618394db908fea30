"""Search: one SearchBackend protocol, two backends (embedded SQLite FTS5, Elasticsearch), query
understanding, and the outbox that keeps the index in step with the database.

    backend = backend_for(settings)                      # cached per settings
    backend.search(SearchQuery(q="工商 企业登记", visibility=visibility_for(actor)))
"""
from __future__ import annotations

import threading
from typing import Any

from catalog.search.base import (
    FACETS, FILTERS, FacetValue, Hit, SearchBackend, SearchQuery, SearchResult, SearchUnavailable, Visibility,
)
from catalog.search.documents import SearchDocument, document_from_record
from catalog.settings import Settings

__all__ = [
    "FACETS", "FILTERS", "FacetValue", "Hit", "SearchBackend", "SearchDocument", "SearchQuery", "SearchResult",
    "SearchUnavailable", "Visibility", "attach", "backend_for", "document_from_record", "visibility_for",
]

_backends: dict[Settings, SearchBackend] = {}
_lock = threading.Lock()


def backend_for(settings: Settings) -> SearchBackend:
    """The one backend of these settings in this process (created on first use)."""
    with _lock:
        if settings not in _backends:
            from catalog.search.factory import make_backend

            _backends[settings] = make_backend(settings)
        return _backends[settings]


def attach(*, settings: Settings, db: Any, worker_interval: float | None = 5.0) -> Any:
    """Called by `api.app.create_app`: apply the outbox after every commit, now, and every few seconds."""
    from catalog.search.outbox import attach_to

    return attach_to(db=db, backend=backend_for(settings), worker_interval=worker_interval)


def visibility_for(actor: Any) -> Visibility:
    """What an actor may find: drafts only for auditors/coordinators/admins and stewards (own department)."""
    from catalog.auth import read_scope

    scope, department = read_scope(actor)
    if scope == "all":
        return Visibility.everything()
    if scope == "own_or_published":
        return Visibility(states=frozenset({"published"}), own_department=department)
    return Visibility(states=frozenset({"published"}))
