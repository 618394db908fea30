"""Resources: the summary in lists, the full view with the record, versions, diffs, bulk answers."""
from __future__ import annotations

from typing import Any

from pydantic import Field

from api.schemas.common import Out, Page

RECORD_DOC = "资源记录，结构见核心元数据标准 GET /api/v1/standards/core-metadata (the core-metadata schema)"


class ResourceSummary(Out):
    code: str | None = Field(description="资源代码，如 102001/000001")
    name: str
    classification: str
    provider_code: str
    provider: Any = Field(description="提供方名称（记录中的 provider）")
    share_type: str | None
    state: str = Field(description="draft | submitted | published | withdrawn")
    version: int
    updated_at: str | None


class ResourceOut(ResourceSummary):
    etag: str
    record: dict[str, Any] = Field(description=RECORD_DOC)
    warnings: list[dict[str, Any]] = Field(description="不阻止登记的问题 (findings of severity warning)")
    reject_reason: str | None
    created_by: str | None
    updated_by: str | None
    created_at: str | None


class BulkResult(Out):
    index: int = Field(description="在请求数组中的位置")
    ok: bool


class BulkOut(Page[BulkResult]):
    created: int


class VersionOut(Out):
    version: int
    state: str
    author: str | None
    created_at: str | None
    record: dict[str, Any] | None = Field(None, description=RECORD_DOC)


class DiffOut(Out):
    code: str
    from_: int = Field(alias="from")
    to: int
    changes: list[dict[str, Any]] = Field(description="字段级差异：JSON Pointer、旧值、新值")


ResourcePage = Page[ResourceSummary]
VersionPage = Page[VersionOut]
