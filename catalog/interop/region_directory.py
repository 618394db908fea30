"""Provider names of one region → departments: same-named bodies in different cities stay apart.

A portal's provider column holds names (市民政局, 安徽省统计局, 松潘县). Within the import's region (a
GB/T 2260 division), a name is matched against the stored departments of that division — name, short
name, former names and aliases — and only then becomes a new department with a generated code
(division + 501…999) and, when the region names one, its parent department.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog.errors import InvalidInput
from catalog.interop.crosswalk import FIRST_GENERATED_DEPARTMENT_NUMBER
from catalog.models import Department


def _norm(name: str) -> str:
    return "".join(name.split()).casefold()


@dataclass
class RegionDirectory:
    """The departments of division `region`, and the new ones an import needs (code → row values)."""

    region: str
    region_name: str | None = None
    parent_code: str | None = None
    by_name: dict[str, tuple[str, str]] = field(default_factory=dict)  # normalised name → (code, name)
    used: set[str] = field(default_factory=set)
    created: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, *, session: Session, region: dict[str, Any]) -> RegionDirectory:
        directory = cls(region=region["code"], region_name=region.get("name"), parent_code=region.get("parent"))
        rows = session.execute(select(Department).where(col(Department.code).startswith(region["code"]))).scalars()
        for d in rows:
            directory.used.add(d.code)
            for name in (d.name, d.short_name, *(d.former_names or []), *(d.aliases or [])):
                if name:
                    directory.by_name.setdefault(_norm(name), (d.code, d.name))
        return directory

    def resolve(self, name: str) -> tuple[str, str, bool]:
        """(department code, registry name, created now?) for a provider name of this region."""
        key = _norm(name)
        if key in self.by_name:
            code, registered = self.by_name[key]
            return code, registered, False
        number = next((n for n in range(FIRST_GENERATED_DEPARTMENT_NUMBER, 1000)
                       if f"{self.region}{n:03d}" not in self.used), None)
        if number is None:
            raise InvalidInput(f"区划 {self.region} 的部门代码已用尽 (no department numbers left in region)")
        code = f"{self.region}{number:03d}"
        self.used.add(code)
        self.by_name[key] = (code, name.strip())
        self.created[code] = {"code": code, "name": name.strip(), "parent_code": self.parent_code,
                              "division_name": self.region_name}
        return code, name.strip(), True
