"""The loaded standards: documents by id plus the indexes and compiled validators the engine uses."""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator


@dataclass(frozen=True, slots=True)
class ClassItem:
    code: str
    name: str
    categories: dict[str, str]


@dataclass(frozen=True, slots=True)
class ClassNode:
    code: str
    name: str
    detail: str | None
    items: dict[str, ClassItem]


def normalise_name(name: str) -> str:
    """A name without spaces, punctuation and case: what 'the same name' means in the catalogue."""
    return re.sub(r"[\W_]+", "", name).lower()


@dataclass
class Standards:
    """Everything in `standards/`, checked and compiled once; see `load_standards()`."""

    directory: Path
    documents: dict[str, dict[str, Any]]
    files: dict[str, Path]
    core_validator: Draft202012Validator
    interface_validator: Draft202012Validator
    core_fast: Any = None  # compiled jsonschema_rs validators: the yes/no fast path for valid records
    interface_fast: Any = None
    sources: Any = None  # catalog.sources.SourceIndex attached by a door (database overrides)
    caches: dict[str, dict[Any, Any]] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        codes = self.documents["code-lists"]
        self.format_types = {c["name"]: frozenset(c["types"]) for c in codes["format_categories"]}
        self.method_types = {c["name"]: frozenset(c["method_types"]) for c in codes["format_categories"]}
        self.share_types = {c["name"]: c["code"] for c in codes["share_types"]}
        self.base_classes = frozenset(codes.get("base_classes", ["1"]))
        self.data_types = {c["code"]: c for c in codes["item_data_types"]}

        naming = self.documents["naming"]
        self.identifier_re = re.compile(naming["identifier"]["pattern"])
        self.identifier_max = int(naming["identifier"]["max_length"])
        self.near_miss = {"min_ratio": 0.8, "max_distance": 1, **naming.get("near_miss", {})}
        terms = naming["representation_terms"]
        self.representation_terms = frozenset(t["term"] for t in terms)
        self.representation_names = tuple(sorted({n for t in terms for n in t["names"]}, key=len, reverse=True))

        self.departments: dict[str, dict[str, Any]] = {d["code"]: d for d in self.documents["departments"]["departments"]}

        scheme = self.documents["classification"]
        self.classes = {
            c["code"]: ClassNode(
                code=c["code"], name=c["name"], detail=c.get("detail"),
                items={
                    i["code"]: ClassItem(i["code"], i["name"], {k["code"]: k["name"] for k in i["categories"]})
                    for i in c["items"]
                },
            )
            for c in scheme["classes"]
        }
        self.resource_code_re = re.compile(scheme["resource_code"]["pattern"])

        elements = self.documents["data-elements"]
        self.code_lists = elements.get("code_lists", {})
        self.elements: dict[str, dict[str, Any]] = {e["id"]: e for e in elements["elements"]}
        self.element_by_name: dict[str, dict[str, Any]] = {e["name"]: e for e in elements["elements"]}
        self.element_by_identifier: dict[str, dict[str, Any]] = {e["identifier"]: e for e in elements["elements"]}
        self.element_by_alias: dict[str, dict[str, Any]] = {
            normalise_name(a): e for e in elements["elements"] for a in e.get("aliases", []) or []
        }
        self.element_norm_names: dict[str, dict[str, Any]] = {normalise_name(e["name"]): e for e in elements["elements"]}

        self.synonyms = [list(g) for g in self.documents["synonyms"]["groups"]]

    def list(self) -> list[dict[str, str]]:
        """[{id, version, title, file}] for every standard, sorted by id."""
        out = []
        for std_id in sorted(self.documents):
            doc = self.documents[std_id]
            head = doc.get("x-mulu", doc)
            out.append({"id": std_id, "version": str(head["version"]), "title": head["title"],
                        "file": self.files[std_id].name})
        return out

    def get(self, std_id: str) -> dict[str, Any]:
        """The document of one standard; KeyError when unknown."""
        return self.documents[std_id]

    def with_departments(self, extra: dict[str, Any]) -> Standards:
        """These standards with more departments in the registry, e.g. those the database knows: code →
        name, or code → {code, name, sector}, so that a stored department's sector is seen by the
        validator; compiled validators are shared, and each distinct set is derived once."""
        entries = {c: v if isinstance(v, dict) else {"code": c, "name": v} for c, v in extra.items()}
        missing = {c: e for c, e in entries.items() if c not in self.departments}
        if not missing:
            return self
        memo = self.cache("with-departments")
        key = frozenset((c, e.get("name"), e.get("sector")) for c, e in missing.items())
        if key not in memo:
            doc = dict(self.documents["departments"])
            doc["departments"] = [*doc["departments"], *({"code": c, "name": e["name"], "sector": e.get("sector")}
                                                         for c, e in missing.items())]
            memo[key] = dataclasses.replace(self, documents={**self.documents, "departments": doc}, caches={})
        merged: Standards = memo[key]
        return merged

    def cache(self, name: str) -> dict[Any, Any]:
        """A per-standards memo (e.g. fuzzy matches), dropped with the standards."""
        return self.caches.setdefault(name, {})
