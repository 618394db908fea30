"""目录级联: a lower level's report as the upper level keeps it, and this level's cascade status."""
from __future__ import annotations

from typing import Any

from pydantic import Field

from api.schemas.common import Out, Page


class CascadeReportOut(Out):
    id: int
    origin: str = Field(description="下级实例（其令牌名称）")
    origin_level: str | None
    origin_region: str | None
    origin_code: str
    origin_version: int
    provider_code: str
    name: str
    state: str = Field(description="reported | registered | rejected | withdrawn")
    state_label: str
    local_code: str | None = Field(description="注册后本级的资源代码")
    findings: list[dict[str, Any]]
    reason: str | None
    received_at: str | None
    decided_at: str | None
    decided_by: str | None
    record: dict[str, Any] = Field(description="资源记录，结构见 GET /api/v1/standards/core-metadata")


class VerdictOut(Out):
    code: str
    name: str
    provider_code: str
    state: str
    version: int
    upstream_code: str | None
    findings: list[dict[str, Any]]
    reason: str | None
    updated_at: str | None


class CascadeStatusOut(Page[VerdictOut]):
    level: str | None
    region: str | None
    upstream: str | None
    cursors: dict[str, dict[str, Any]] = Field(description="游标名 → value, mark, last_error, updated_at")
    counts: dict[str, int] = Field(description="上级结论按状态计数")
