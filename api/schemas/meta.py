"""Health, the standards and their documents, tokens and the audit log."""
from __future__ import annotations

from typing import Any

from pydantic import Field

from api.schemas.common import Out, Page


class HealthOut(Out):
    status: str
    database: str = Field(description="sqlite | postgresql")


class StandardSummary(Out):
    id: str
    version: str
    title: str
    file: str


class StandardDocument(Out):
    """一项标准的全文：YAML 标准（id、version、title 及其内容）或 JSON Schema（x-mulu 给出 id 与版本）。"""

    title: str


class TokenOut(Out):
    id: int
    name: str
    role: str
    department_code: str | None
    created_at: str | None
    revoked_at: str | None
    revoked: bool


class AuditEntryOut(Out):
    id: int
    at: str
    actor: str
    role: str
    department_code: str | None
    action: str
    resource_code: str | None
    version_before: int | None
    version_after: int | None
    detail: dict[str, Any] | None
    prev_hash: str
    hash: str


class ChainCheckOut(Out):
    ok: bool
    checked: int
    broken_id: int | None
    reason: str | None


StandardPage = Page[StandardSummary]
TokenPage = Page[TokenOut]
AuditPage = Page[AuditEntryOut]
