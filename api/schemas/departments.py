"""The department registry: one department, the list, and a bulk import's report."""
from __future__ import annotations

from pydantic import Field

from api.schemas.common import FindingOut, Out, Page


class DepartmentOut(Out):
    code: str = Field(description="9 位部门代码：6 位行政区划 + 3 位序号")
    name: str
    short_name: str | None
    sector: str | None
    level: str | None = Field(description="province | city | county | district")
    division_code: str
    parent_code: str | None
    former_names: list[str]
    aliases: list[str]
    division_name: str | None = None


class DepartmentRowOut(Out):
    index: int
    code: str | None
    status: str = Field(description="created | updated | unchanged | invalid")
    findings: list[FindingOut]


class DepartmentImportOut(Out):
    read: int
    created: int
    updated: int
    unchanged: int
    invalid: int
    results: list[DepartmentRowOut]


DepartmentPage = Page[DepartmentOut]
