"""The storage tables (SQLModel): departments, resources and their versions, tokens, audit log, outbox.

    Department        the department registry (seeded from standards/departments.yaml)
    Resource          the current state of one catalogue resource (one row per code)
    ResourceVersion   every saved revision of a resource's record, immutable
    Token             a bearer token: its sha256 only, a role, a department
    AuditEntry        append-only, hash-chained log of every change; AuditHead holds the chain's tip
    CodeSequence      the last sequence number handed out per classification
    OutboxEvent       resource changes for the search index, written in the same transaction
"""
from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, String, UniqueConstraint, event
from sqlmodel import Field, SQLModel

from catalog.standards.model import normalise_name


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


def make_etag(code: str, version: int, state: str) -> str:
    """The ETag of a resource at `version` in `state` (the `etag` column; HTTP If-Match compares it)."""
    return hashlib.sha256(f"{code}\n{version}\n{state}".encode()).hexdigest()[:20]


def _json(nullable: bool = False) -> Any:
    return Field(default=None, sa_column=Column(JSON, nullable=nullable))


def _ts(nullable: bool = False, index: bool = False) -> Any:
    return Field(
        default=None if nullable else None,
        sa_column=Column(DateTime(timezone=True), nullable=nullable, index=index),
    )


# Departments: who provides resources; managed by coordinators.
class Department(SQLModel, table=True):
    __tablename__ = "departments"
    code: str = Field(primary_key=True, max_length=9)
    name: str = Field(max_length=200)
    short_name: str | None = Field(default=None, max_length=100)
    sector: str | None = Field(default=None, max_length=2)
    created_at: datetime = _ts()


# Resources: the current state; `record` is the full record as last saved.
class Resource(SQLModel, table=True):
    __tablename__ = "resources"
    __table_args__ = (
        Index("ix_resources_provider_state", "provider_code", "state"),
        Index("ix_resources_classification", "classification"),
        Index("uq_resources_provider_name_key", "provider_code", "name_key", unique=True),
    )
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=40, unique=True)
    name: str = Field(max_length=500)
    # normalise_name(name), kept by the database layer (see `_name_key` below): the duplicate-name rule is
    # an indexed lookup and a unique constraint per provider, so it costs the same at any catalogue size.
    # NULL only for a duplicate that predates the constraint (migration 0800_perf keeps the oldest holder).
    name_key: str | None = Field(default=None, sa_column=Column(
        String(500), nullable=True, default=lambda ctx: _name_key(ctx.get_current_parameters().get("name"))))
    classification: str = Field(max_length=20)
    provider_code: str = Field(max_length=9)
    share_type: str | None = Field(default=None, max_length=20)
    state: str = Field(max_length=20)  # draft | submitted | published | withdrawn
    version: int
    etag: str = Field(max_length=64)
    record: dict[str, Any] = _json()
    warnings: list[dict[str, Any]] = _json()
    reject_reason: str | None = Field(default=None)
    created_by: str = Field(max_length=200)
    updated_by: str = Field(max_length=200)
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


def _name_key(name: Any) -> str | None:
    return normalise_name(name) if isinstance(name, str) else None


@event.listens_for(Resource.name, "set")
def _keep_name_key(target: Resource, value: Any, _old: Any, _initiator: Any) -> None:
    """An ORM change of `name` (an edit) carries its normalised key along."""
    target.name_key = _name_key(value)


# Versions: every saved revision of a record; never updated or deleted.
class ResourceVersion(SQLModel, table=True):
    __tablename__ = "resource_versions"
    __table_args__ = (UniqueConstraint("resource_code", "version", name="uq_resource_versions_code_version"),)
    id: int | None = Field(default=None, primary_key=True)
    resource_code: str = Field(max_length=40)
    version: int
    state: str = Field(max_length=20)
    record: dict[str, Any] = _json()
    author: str = Field(max_length=200)
    created_at: datetime = _ts()


# Tokens: one row per issued bearer token; only the sha256 of the secret is stored.
class Token(SQLModel, table=True):
    __tablename__ = "tokens"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    role: str = Field(max_length=20)
    department_code: str | None = Field(default=None, max_length=9)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = _ts()
    revoked_at: datetime | None = _ts(nullable=True)


# Audit log: append-only; `hash` = sha256(canonical JSON of the entry's content + prev_hash).
class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_log"
    id: int | None = Field(default=None, primary_key=True)
    at: str = Field(max_length=40)  # ISO 8601 UTC, kept as text so the hashed form never drifts
    actor: str = Field(max_length=200)
    role: str = Field(max_length=20)
    department_code: str | None = Field(default=None, max_length=9)
    action: str = Field(max_length=40)
    resource_code: str | None = Field(default=None, max_length=40, index=True)
    version_before: int | None = None
    version_after: int | None = None
    detail: dict[str, Any] | None = _json(nullable=True)
    prev_hash: str = Field(max_length=64)
    hash: str = Field(max_length=64)


# The tip of the audit chain (one row, id 1): locked while appending so the chain never forks.
class AuditHead(SQLModel, table=True):
    __tablename__ = "audit_head"
    id: int = Field(primary_key=True)
    last_id: int = 0
    last_hash: str = Field(max_length=64)


# Code sequences: the last sequence number handed out per classification code.
class CodeSequence(SQLModel, table=True):
    __tablename__ = "code_sequences"
    classification: str = Field(primary_key=True, max_length=20)
    last_value: int = 0


# Outbox: resource changes for search, applied after commit by catalog.search.
class OutboxEvent(SQLModel, table=True):
    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_pending", "applied_at", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    resource_code: str = Field(max_length=40)
    op: str = Field(max_length=10)  # upsert | delete
    created_at: datetime = _ts()
    applied_at: datetime | None = _ts(nullable=True)
