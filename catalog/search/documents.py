"""A catalogue record (plus its state) turned into the flat document both search backends index."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(slots=True)
class SearchDocument:
    code: str
    name: str
    abstract: str = ""
    provider: str = ""
    provider_code: str = ""
    classification: str = ""
    share_type: str = ""
    format_category: str = ""
    format_type: str = ""
    update_cycle: str = ""
    open_to_public: bool = False
    state: str = "published"
    published_on: str | None = None
    updated_at: str | None = None
    keywords: list[str] = field(default_factory=list)
    item_names: list[str] = field(default_factory=list)
    item_identifiers: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)  # own, classification, provider, related, elements

    @property
    def classification_class(self) -> str:
        return self.classification[:1]

    @property
    def classification_item(self) -> str:
        return self.classification[:3]

    @property
    def index_terms(self) -> list[str]:
        """The terms a typo is corrected towards: keywords, item names and the words of the name."""
        from catalog.search.analysis import MAX_TERM, name_words

        return sorted({t for t in (*self.keywords, *self.item_names) if 2 <= len(t) <= MAX_TERM} | set(name_words(self.name)))

    def facet_value(self, facet: str) -> str:
        value = getattr(self, facet)
        return ("true" if value else "false") if isinstance(value, bool) else str(value or "")

    def to_dict(self) -> dict[str, Any]:
        """A plain dict (lists copied); not dataclasses.asdict, whose deep copy dominated reindexing."""
        return {k: (list(v) if isinstance(v, list) else v) for k in self.__slots__
                for v in (getattr(self, k),)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "SearchDocument":
        return cls(**{k: data[k] for k in cls.__slots__ if k in data})


def _day(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)[:10]


def _texts(values: Any) -> list[str]:
    return [t for t in (str(v).strip() for v in (values or [])) if t]


def document_from_record(
    record: dict[str, Any], *, state: str, code: str | None = None, updated_at: Any = None
) -> SearchDocument:
    """The search document of one record; `code` overrides the record's own (assigned by the registry)."""
    fmt = record.get("format") or {}
    share = record.get("share") or {}
    items = [i for i in record.get("items") or [] if isinstance(i, dict)]
    own = str(code or record.get("code") or "")
    codes = [own, str(record.get("classification") or ""), str(record.get("provider_code") or "")]
    codes += _texts(record.get("related"))
    codes += _texts(i.get("element") for i in items)
    return SearchDocument(
        code=own,
        name=str(record.get("name") or ""),
        abstract=str(record.get("abstract") or ""),
        provider=str(record.get("provider") or ""),
        provider_code=str(record.get("provider_code") or ""),
        classification=str(record.get("classification") or ""),
        share_type=str(share.get("type") or ""),
        format_category=str(fmt.get("category") or ""),
        format_type=str(fmt.get("type") or ""),
        update_cycle=str(record.get("update_cycle") or ""),
        open_to_public=bool((record.get("open") or {}).get("to_public")),
        state=state,
        published_on=_day(record.get("published_on")),
        updated_at=_day(updated_at),
        keywords=_texts(record.get("keywords")),
        item_names=_texts(i.get("name") for i in items),
        item_identifiers=_texts(i.get("identifier") for i in items),
        codes=[c for c in dict.fromkeys(codes) if c],
    )
