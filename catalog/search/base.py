"""The search contract: one SearchBackend protocol, the query and result shapes every backend shares."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Literal, Protocol, runtime_checkable

from catalog.search.documents import SearchDocument

# Facet name -> document attribute. One table feeds both backends, the API and the CLI.
FACETS: tuple[str, ...] = (
    "provider_code",
    "classification_class",
    "classification_item",
    "share_type",
    "format_category",
    "update_cycle",
    "open_to_public",
    "state",
)
# Filters a caller may pass (one query parameter each). `classification` matches by prefix
# (类 "1", 类+项 "102", a full code); the others match exactly.
FILTERS: tuple[str, ...] = (
    "provider_code",
    "classification",
    "share_type",
    "format_category",
    "update_cycle",
    "open_to_public",
    "state",
)
# Disjunctive facets: a facet's counts ignore the filter on its own field (so a chosen provider still lists the
# others to switch to or add, OR within a field) and apply every other filter. Facet -> the filter it ignores.
FACET_FILTER: dict[str, str] = {
    "provider_code": "provider_code",
    "classification_class": "classification",
    "classification_item": "classification",
    "share_type": "share_type",
    "format_category": "format_category",
    "update_cycle": "update_cycle",
    "open_to_public": "open_to_public",
    "state": "state",
}
SORTS: tuple[str, ...] = ("relevance", "date")
MAX_PAGE_SIZE = 100
MAX_WINDOW = 10_000  # page * size never goes past this (both backends)

Progress = Callable[[int], None]


class SearchUnavailable(Exception):
    """The backend cannot answer (server down, index missing). Never reaches a user: callers degrade."""


@dataclass(frozen=True, slots=True)
class Visibility:
    """What a caller may see: resources in `states`, plus every resource of `own_department`.

    `None` for both means everything (a trusted caller: reindex, tests, administrators via the API use
    an explicit set instead).
    """

    states: frozenset[str] | None = frozenset({"published"})
    own_department: str | None = None

    @classmethod
    def everything(cls) -> "Visibility":
        return cls(states=None, own_department=None)

    @property
    def unrestricted(self) -> bool:
        return self.states is None


@dataclass(frozen=True, slots=True)
class SearchQuery:
    q: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    page: int = 1
    size: int = 20
    sort: Literal["relevance", "date"] = "relevance"
    visibility: Visibility = field(default_factory=Visibility)
    facets: bool = True
    highlight: bool = True

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    def active_filters(self) -> dict[str, tuple[str, ...]]:
        """The filters that restrict anything (empty values dropped), in a stable order."""
        out = {}
        for key in sorted(self.filters):
            values = tuple(v for v in self.filters[key] if v != "")
            if values:
                out[key] = values
        return out


@dataclass(slots=True)
class Hit:
    code: str
    name: str
    provider: str
    provider_code: str
    classification: str
    share_type: str
    format_category: str
    update_cycle: str
    open_to_public: bool
    state: str
    published_on: str | None
    abstract: str
    score: float = 0.0
    highlight: dict[str, list[str]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}

    @classmethod
    def from_source(cls, s: dict[str, Any], *, score: float = 0.0, highlight: dict[str, list[str]] | None = None) -> "Hit":
        """A hit from a stored document (either backend's; `open_to_public` as a bool or "true"/"false")."""
        public = s.get("open_to_public")
        return cls(code=s["code"], name=s.get("name") or "", provider=s.get("provider") or "",
                   provider_code=s.get("provider_code") or "", classification=s.get("classification") or "",
                   share_type=s.get("share_type") or "", format_category=s.get("format_category") or "",
                   update_cycle=s.get("update_cycle") or "", open_to_public=public is True or public == "true",
                   state=s.get("state") or "", published_on=s.get("published_on"), abstract=s.get("abstract") or "",
                   score=float(score or 0.0), highlight=highlight or {})


@dataclass(frozen=True, slots=True)
class FacetValue:
    value: str
    label: str
    count: int

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "label": self.label, "count": self.count}


@dataclass(slots=True)
class SearchResult:
    hits: list[Hit]
    count: int
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    degraded: bool = False
    backend: str = ""
    interpreted: list[list[str]] = field(default_factory=list)  # the plan's clauses: each clause's terms
    did_you_mean: list[str] = field(default_factory=list)  # on an empty result: catalogue terms close to the words
    related: list[str] = field(default_factory=list)  # on an empty result: synonyms of the words typed
    estimated: bool = False  # count and facet counts estimated from a sample (the embedded index, broad queries)
    nearby: list[Hit] = field(default_factory=list)  # 相近的资源: a short first page's partial matches (plan.nearby)

    def to_dict(self) -> dict[str, Any]:
        return {
            "data": [h.to_dict() for h in self.hits],
            "count": self.count,
            "count_estimated": self.estimated,
            "facets": {k: [v.to_dict() for v in vs] for k, vs in self.facets.items()},
            "degraded": self.degraded,
            "backend": self.backend,
            "interpreted": self.interpreted,
            "did_you_mean": self.did_you_mean,
            "related": self.related,
            "nearby": [h.to_dict() for h in self.nearby],
        }


@runtime_checkable
class SearchBackend(Protocol):
    name: str

    def index(self, docs: Iterable[SearchDocument]) -> int: ...

    def remove(self, codes: Iterable[str]) -> int: ...

    def search(self, query: SearchQuery) -> SearchResult: ...

    def suggest(self, prefix: str, *, limit: int = 10, visibility: Visibility | None = None) -> list[str]: ...

    def reset(self) -> None: ...

    def rebuild(self, docs: Iterable[SearchDocument], *, progress: Progress | None = None) -> int: ...

    def health(self) -> dict[str, Any]: ...

    def close(self) -> None: ...
