"""Search: one SearchBackend protocol, two backends (embedded SQLite FTS5, Elasticsearch), query
understanding, and the outbox that keeps the index in step with the database.

    backend = catalog.search                             # the Catalog's backend (catalog.core)
    backend.search(SearchQuery(q="工商 企业登记", visibility=visibility_for(actor)))
"""
from __future__ import annotations

from typing import Any

from catalog.search.base import (
    FACETS, FILTERS, FacetValue, Hit, SearchBackend, SearchQuery, SearchResult, SearchUnavailable, Visibility,
)
from catalog.search.documents import SearchDocument, document_from_record
from catalog.settings import Settings

__all__ = [
    "FACETS", "FILTERS", "FacetValue", "Hit", "SearchBackend", "SearchDocument", "SearchQuery", "SearchResult",
    "SearchUnavailable", "Visibility", "backend_for", "document_from_record", "visibility_for",
]


def backend_for(settings: Settings) -> SearchBackend:
    """A new backend for `settings`; the caller closes it. A door uses its Catalog's (`catalog.search`),
    which is closed with the Catalog: there is no process-wide cache."""
    from catalog.search.factory import make_backend

    return make_backend(settings)


def visibility_for(actor: Any) -> Visibility:
    """What an actor may find: drafts only for auditors/coordinators/admins and stewards (own department)."""
    from catalog.auth import read_scope

    scope, department = read_scope(actor)
    if scope == "all":
        return Visibility.everything()
    if scope == "own_or_published":
        return Visibility(states=frozenset({"published"}), own_department=department)
    return Visibility(states=frozenset({"published"}))
