"""Demands (供需对接) and the responsibility list (责任清单)."""
from __future__ import annotations

from typing import Any

from pydantic import Field

from api.schemas.common import Out, Page
from api.schemas.sharing import Arbitrated, ShareRequestOut


class DutyOut(Arbitrated):
    id: int
    demand_id: int
    department_code: str
    status: str = Field(description="assigned promised refused escalated fulfilled returned upheld closed")
    status_label: str
    overdue: bool
    assigned_at: str | None
    assigned_by: str | None
    due_on: str | None
    note: str | None
    answered_at: str | None
    answered_by: str | None
    answer: str | None
    target_date: str | None
    reason: str | None
    fulfilled_at: str | None
    resource_code: str | None
    demand_title: str | None = Field(None, description="需求名称（列表与单项中给出）")
    requester_code: str | None = None
    needs: list[str] | None = Field(None, description="所需数据的名称")


class DemandEventOut(Out):
    id: int
    event: str
    at: str | None
    actor: str | None
    department_code: str | None
    duty_id: int | None
    audience: list[str] = Field(description="谁能看到这一步：部门代码或角色")
    detail: dict[str, Any] | None


class DemandOut(Out):
    id: int
    requester_code: str
    requested_by: str | None
    title: str
    description: str
    needs: list[dict[str, Any]] = Field(description="所需数据：数据元编号或信息项名称，及匹配说明")
    purpose: str
    basis: str
    scenario: str | None
    wanted_by: str | None
    status: str = Field(description="open matched unmet assigned fulfilled withdrawn")
    status_label: str
    proposals: list[dict[str, Any]] | None = Field(description="目录匹配结果：资源、覆盖的信息项与覆盖率")
    search_note: str | None
    request_ids: list[int]
    unmet_reason: str | None
    created_at: str | None
    updated_at: str | None
    fulfilled_at: str | None
    fulfilled_resource: str | None
    closed_reason: str | None
    duties: list[DutyOut]
    overdue: bool
    live_duties: int
    events: list[DemandEventOut] | None = Field(None, description="办理过程（读取单项时给出）")


class DemandAccepted(DemandOut):
    share_requests: list[ShareRequestOut] = Field(description="转成的共享申请，每个资源一个")


DemandPage = Page[DemandOut]
DutyPage = Page[DutyOut]
