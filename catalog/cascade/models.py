"""Cascade tables (SQLModel).

    CascadeReport    upper level: one row per (origin instance, origin code), the latest reported record
    ResourceOrigin   both levels: a local resource that came from another level (reported or returned)
    CascadeCursor    both levels: named cursors (push, return, verdicts) kept in the database
    UpstreamVerdict  lower level: the upstream's verdict on each record this level reported
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, UniqueConstraint
from sqlmodel import Field, SQLModel


def _json(nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(JSON, nullable=nullable))


def _ts(nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=nullable))


# Upper level: what a lower level reported, waiting for registration (or registered / rejected / withdrawn).
class CascadeReport(SQLModel, table=True):
    __tablename__ = "cascade_reports"
    __table_args__ = (UniqueConstraint("origin", "origin_code", name="uq_cascade_reports_origin_code"),
                      Index("ix_cascade_reports_state", "state"))
    id: int | None = Field(default=None, primary_key=True)
    origin: str = Field(max_length=200)          # the lower level's credential name (its instance)
    origin_level: str | None = Field(default=None, max_length=20)
    origin_region: str | None = Field(default=None, max_length=12)
    origin_code: str = Field(max_length=40)
    origin_version: int
    origin_cursor: int                           # the feed cursor of the last entry applied
    provider_code: str = Field(max_length=9)
    name: str = Field(max_length=500)
    state: str = Field(max_length=20)            # catalog.cascade.states
    record: dict[str, Any] = _json(nullable=False)
    findings: list[dict[str, Any]] = _json()
    local_code: str | None = Field(default=None, max_length=40)
    received_at: datetime = _ts(nullable=False)
    decided_at: datetime | None = _ts()
    decided_by: str | None = Field(default=None, max_length=200)
    reason: str | None = None


# Both levels: a resource that came from another level; read-only here except through catalog.cascade.
class ResourceOrigin(SQLModel, table=True):
    __tablename__ = "resource_origins"
    __table_args__ = (UniqueConstraint("kind", "origin", "origin_code", name="uq_resource_origins_origin"),)
    code: str = Field(primary_key=True, max_length=40)
    kind: str = Field(max_length=20)             # reported (from below) | returned (回流, from above)
    origin: str = Field(max_length=200)
    origin_level: str | None = Field(default=None, max_length=20)
    origin_code: str = Field(max_length=40)
    origin_version: int


# Named cursors: "push" (last local feed cursor the upstream acknowledged), "return" (upstream feed
# cursor), "verdicts" (the newest upstream decision kept, as a time mark).
class CascadeCursor(SQLModel, table=True):
    __tablename__ = "cascade_cursors"
    name: str = Field(primary_key=True, max_length=40)
    value: int = 0
    mark: str | None = Field(default=None, max_length=40)  # a time mark where a cursor is a time (verdicts)
    updated_at: datetime | None = _ts()
    last_error: str | None = None


# Lower level: the upstream's verdict on a record this level reported.
class UpstreamVerdict(SQLModel, table=True):
    __tablename__ = "upstream_verdicts"
    code: str = Field(primary_key=True, max_length=40)
    state: str = Field(max_length=20)
    version: int
    upstream_code: str | None = Field(default=None, max_length=40)
    findings: list[dict[str, Any]] = _json()
    reason: str | None = None
    updated_at: datetime = _ts(nullable=False)
