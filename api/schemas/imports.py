"""Imports (Excel / DCAT-US), lossless import runs, staged records (待整改), bulk lifecycle answers."""
from __future__ import annotations

from typing import Any

from pydantic import Field

from api.schemas.common import FindingOut, Out, Page


class ImportOut(Out):
    format: str
    dry_run: bool
    atomic: bool
    rolled_back: bool
    read: int
    valid: int
    stored: int
    skipped: int
    codes: list[str] = Field(description="登记的资源代码")
    departments_created: dict[str, str] = Field(description="新建部门：代码 → 名称")
    findings_by_rule: dict[str, int]
    error_count: int
    warning_count: int
    findings: list[FindingOut]
    items: list[dict[str, Any]] = Field(description="逐条结果：source, status (stored | valid | skipped), code")


class HarvestOut(Out):
    source_system: str | None
    format: str
    run_id: int | None
    read: int
    created: int
    updated: int
    staged: int
    duplicates: int
    missing: int
    departments_created: int
    balanced: bool = Field(description="read = created + updated + staged + duplicates")
    created_records: list[dict[str, Any]]
    updated_records: list[dict[str, Any]]
    staged_records: list[dict[str, Any]]
    duplicate_records: list[dict[str, Any]]
    missing_records: list[dict[str, Any]]
    departments: list[dict[str, Any]]
    warnings: list[dict[str, Any]]


class ImportRunOut(Out):
    id: int
    source_system: str | None
    format: str
    actor: str | None
    started_at: str
    finished_at: str | None
    counts: dict[str, Any] | None
    report: dict[str, Any] | None = Field(None, description="完整报告（读取单个批次时给出）")


class StagedOut(Out):
    id: int
    source_system: str | None
    source_key: str | None
    source: str | None
    provider_code: str | None
    name: str | None
    state: str = Field(description="staged | submitted | ……")
    state_label: str
    resource_code: str | None
    record: dict[str, Any] = Field(description="资源记录，结构见 GET /api/v1/standards/core-metadata")
    findings: list[FindingOut]
    run_id: int | None
    updated_at: str | None


class LifecycleBulkOut(Out):
    action: str
    total: int
    done: int
    failed: int
    results: list[dict[str, Any]] = Field(description="逐条结果：code, ok, error, message")


StagedPage = Page[StagedOut]
ImportRunPage = Page[ImportRunOut]
