"""SourceIndex: which department is the authoritative source of each data element, and who is exempt.

The defaults are the standards file `authoritative-sources.yaml`; `catalog.sources.authority` merges the
database overrides and exemptions over them and attaches the result to the Standards a door validates
with (`with_sources`). A Standards without an attached index uses the file's (`source_index`).
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

from catalog.standards import Standards


@dataclass(frozen=True, slots=True)
class Source:
    element: str
    department: str
    resource: str | None = None  # the authoritative resource's code, once one is registered
    resource_name: str | None = None
    note: str | None = None
    origin: str = "standard"  # standard (the file) | override (set in the database)

    def label(self, department_name: str) -> str:
        """'义乌市公安局 人口基础信息（101001/000001）' — the department and, when known, its resource."""
        if self.resource:
            return f"{department_name} {self.resource_name or ''}（{self.resource}）".replace("  ", " ")
        return f"{department_name}（尚未登记权威资源）"

    def to_dict(self) -> dict[str, Any]:
        return {"element": self.element, "department_code": self.department, "resource_code": self.resource,
                "resource_name": self.resource_name, "note": self.note, "origin": self.origin}


@dataclass(frozen=True, slots=True)
class Exemption:
    element: str
    department: str
    basis: str  # the legal basis on which the department collects the element anyway
    id: int | None = None  # database row; None for the standards file's
    created_by: str | None = None
    created_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "element": self.element, "department_code": self.department, "basis": self.basis,
                "origin": "standard" if self.id is None else "database", "created_by": self.created_by,
                "created_at": self.created_at}


@dataclass(frozen=True)
class SourceIndex:
    sources: dict[str, Source] = field(default_factory=dict)  # element id → source
    exemptions: dict[tuple[str, str], Exemption] = field(default_factory=dict)  # (department, element)

    @classmethod
    def from_document(cls, doc: dict[str, Any] | None) -> SourceIndex:
        doc = doc or {}
        sources = {s["element"]: Source(element=s["element"], department=s["department"],
                                        resource=s.get("resource"), resource_name=s.get("resource_name"),
                                        note=s.get("note")) for s in doc.get("sources") or []}
        exemptions = {(e["department"], e["element"]): Exemption(e["element"], e["department"], e["basis"])
                      for e in doc.get("exemptions") or []}
        return cls(sources=sources, exemptions=exemptions)

    def authority(self, element: str) -> Source | None:
        return self.sources.get(element)

    def exemption(self, department: str, element: str) -> Exemption | None:
        return self.exemptions.get((department, element))

    def duplicate(self, department: str, element: str) -> Source | None:
        """The authoritative source when `department` re-collects `element` without an exemption."""
        source = self.sources.get(element)
        if source is None or source.department == department or (department, element) in self.exemptions:
            return None
        return source


def file_index(standards: Standards) -> SourceIndex:
    """The standards file's sources and exemptions (memoised per standards)."""
    memo = standards.cache("source-index")
    if "file" not in memo:
        memo["file"] = SourceIndex.from_document(standards.documents.get("authoritative-sources"))
    index: SourceIndex = memo["file"]
    return index


def source_index(standards: Standards) -> SourceIndex:
    """The index attached to `standards` (database-aware), else the standards file's."""
    attached = getattr(standards, "sources", None)
    return attached if isinstance(attached, SourceIndex) else file_index(standards)


def with_sources(standards: Standards, index: SourceIndex) -> Standards:
    """These standards validating against `index`: a shallow copy (a few µs, no re-indexing), so compiled
    validators, indexes and memos are shared."""
    if getattr(standards, "sources", None) is index:
        return standards
    attached = copy.copy(standards)
    attached.sources = index
    return attached
