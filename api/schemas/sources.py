"""一数一源 (authoritative sources, exemptions, the redundancy map) and 联办 scenarios."""
from __future__ import annotations

from typing import Any

from pydantic import Field

from api.schemas.common import Out, Page


class SourceOut(Out):
    element: str = Field(description="数据元标识，如 DE0031")
    department_code: str
    resource_code: str | None
    resource_name: str | None
    note: str | None
    origin: str = Field(description="standard（标准文件）| override（数据库中的设置）")
    element_name: str | None = Field(None, description="列表中给出")
    department: str | None = Field(None, description="部门名称（列表中给出）")


class ExemptionOut(Out):
    id: int | None
    element: str
    department_code: str
    basis: str = Field(description="自行采集的法律依据")
    origin: str = Field(description="standard | database")
    created_by: str | None
    created_at: str | None
    element_name: str | None = None
    department: str | None = None


class SourcesOut(Out):
    sources: list[SourceOut]
    exemptions: list[ExemptionOut]


class SourceResetOut(Out):
    element: str
    default: SourceOut | None = Field(description="标准文件中的默认权威来源；无 = 未设置")


class CarrierOut(Out):
    department_code: str
    resources: list[Any] = Field(description="采集该数据元的资源及信息项")
    status: str = Field(description="authoritative | no-authority | exempt | duplicate")
    exemption: ExemptionOut | None


class RedundancyRowOut(Out):
    element: str
    name: str
    identifier: str
    authority: SourceOut | None
    carriers: list[CarrierOut]
    departments: int
    duplicates: int
    exempt: int


class NamedDepartment(Out):
    code: str
    name: str


class RedundancyOut(Out):
    departments: list[NamedDepartment]
    elements: list[RedundancyRowOut]
    totals: dict[str, int] = Field(description="elements, with_authority, duplicate_cells, exempt_cells")


class ScenarioSummary(Out):
    name: str
    title: str
    steps: int = Field(description="环节数")
    cases_per_year: int | None


class ScenarioOut(Out):
    name: str
    title: str
    description: str | None
    as_of: str
    steps: list[dict[str, Any]] = Field(description="各环节：所需字段的来源状态（own / shared / available / manual）与材料")
    totals: dict[str, Any] = Field(description="现状：共享字段数、手工录入字段数、材料与办理时长")
    potential: dict[str, Any] = Field(description="办齐共享申请后的情形")
    share_requests_needed: list[dict[str, Any]] = Field(description="还需提出的共享申请：resource_code, requester_code")


ScenarioPage = Page[ScenarioSummary]
