"""Shared response shapes: `Page[T]` (`{data, count}`), the open item base, small acknowledgements."""
from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

T = TypeVar("T")


class Out(BaseModel):
    """A response item: the declared fields are documented; any other field the domain adds passes through."""

    model_config = ConfigDict(extra="allow")


class Page(BaseModel, Generic[T]):
    """The list shape of every collection: `{data: [...], count: N}` (count = all matches, not this page)."""

    model_config = ConfigDict(extra="allow")
    data: list[T]
    count: int = Field(description="符合条件的总数 (total matches)")


OpenObject = dict[str, Any]


class FindingOut(Out):
    """One finding: a rule id from the rule table, its severity, a JSON pointer and a Chinese message."""

    rule: str
    severity: str = Field(description="error | warning")
    path: str = Field(description="记录中的 JSON Pointer；空 = 整条记录")
    message: str
    suggestion: str | None = None
    source: str | None = Field(None, description="记录的来源：文件、工作表与行号……")


class ReportOut(Out):
    """A validation verdict (what `POST /validate` answers, the same as `POST /resources` would)."""

    valid: bool
    source: str | None
    error_count: int
    warning_count: int
    findings: list[FindingOut]
