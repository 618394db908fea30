"""Sharing tables (SQLModel): share requests, grants and data-error reports (校核).

    ShareRequest   one department's request for a resource, through its states (catalog.sharing.states)
    Grant          what an approval gives: requester department, resource, items, validity
    ErrorReport    a consumer's report of a suspected error in shared data, and the provider's answer
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Date, DateTime, Index, Text, text
from sqlmodel import Field, SQLModel


def _json(nullable: bool = False) -> Any:
    return Field(default=None, sa_column=Column(JSON, nullable=nullable))


def _ts(nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=nullable))


def _day(nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(Date, nullable=nullable))


def _text(nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(Text, nullable=nullable))


OPEN_SQL = "status IN ('pending', 'escalated')"


# Share requests: the requester's ask, the provider's answer, escalation and arbitration.
class ShareRequest(SQLModel, table=True):
    __tablename__ = "share_requests"
    __table_args__ = (
        Index("ix_share_requests_provider_status", "provider_code", "status"),
        Index("ix_share_requests_requester_status", "requester_code", "status"),
        Index("ix_share_requests_resource", "resource_code"),
        # one open request per requesting department and resource (migration 0200_security)
        Index("uq_share_requests_open", "requester_code", "resource_code", unique=True,
              sqlite_where=text(OPEN_SQL), postgresql_where=text(OPEN_SQL)),
    )
    id: int | None = Field(default=None, primary_key=True)
    resource_code: str = Field(max_length=40)
    resource_name: str = Field(max_length=500)
    provider_code: str = Field(max_length=9)
    requester_code: str = Field(max_length=9)
    requested_by: str = Field(max_length=200)
    purpose: str = _text(nullable=False)
    basis: str = _text(nullable=False)
    items: list[str] = _json()
    period_days: int
    share_type: str = Field(max_length=20)
    status: str = Field(max_length=20)
    created_at: datetime = _ts(nullable=False)
    updated_at: datetime = _ts(nullable=False)
    due_on: date | None = _day()
    answered_at: datetime | None = _ts()
    answered_by: str | None = Field(default=None, max_length=200)
    answer_working_days: int | None = None
    reason: str | None = _text()
    approved_items: list[str] | None = _json(nullable=True)
    approved_period_days: int | None = None
    escalated_at: datetime | None = _ts()
    escalation_reason: str | None = _text()
    arbitrated_at: datetime | None = _ts()
    arbitrated_by: str | None = Field(default=None, max_length=200)
    arbitration_outcome: str | None = Field(default=None, max_length=20)  # granted | upheld
    arbitration_reason: str | None = _text()
    withdrawn_at: datetime | None = _ts()
    grant_id: int | None = None


# Grants: live access of one department to (some items of) one resource for a period.
class Grant(SQLModel, table=True):
    __tablename__ = "grants"
    __table_args__ = (
        Index("ix_grants_requester_status", "requester_code", "status"),
        Index("ix_grants_provider_status", "provider_code", "status"),
        Index("ix_grants_resource", "resource_code"),
        # one grant per request (migration 0200_security; 'duplicate' marks rows of the race it closed)
        Index("uq_grants_request", "request_id", unique=True,
              sqlite_where=text("status <> 'duplicate'"), postgresql_where=text("status <> 'duplicate'")),
    )
    id: int | None = Field(default=None, primary_key=True)
    request_id: int
    resource_code: str = Field(max_length=40)
    provider_code: str = Field(max_length=9)
    requester_code: str = Field(max_length=9)
    items: list[str] = _json()
    share_type: str = Field(max_length=20)  # the resource's share type when granted
    valid_from: date = _day(nullable=False)
    valid_until: date = _day(nullable=False)
    status: str = Field(max_length=20)  # active | revoked | expired
    created_at: datetime = _ts(nullable=False)
    revoked_at: datetime | None = _ts()
    revoked_by: str | None = Field(default=None, max_length=200)
    revoke_reason: str | None = _text()
    needs_review: bool = False
    review_reason: str | None = _text()
    flagged_at: datetime | None = _ts()


# Error reports (校核): a consumer reports, the provider answers corrected / not_an_error.
class ErrorReport(SQLModel, table=True):
    __tablename__ = "feedback"
    __table_args__ = (
        Index("ix_feedback_provider_status", "provider_code", "status"),
        Index("ix_feedback_reporter", "reporter_code"),
    )
    id: int | None = Field(default=None, primary_key=True)
    resource_code: str = Field(max_length=40)
    provider_code: str = Field(max_length=9)
    reporter_code: str = Field(max_length=9)
    reported_by: str = Field(max_length=200)
    item: str | None = Field(default=None, max_length=40)
    description: str = _text(nullable=False)
    status: str = Field(max_length=20)  # open | corrected | not_an_error
    created_at: datetime = _ts(nullable=False)
    due_on: date = _day(nullable=False)
    answered_at: datetime | None = _ts()
    answered_by: str | None = Field(default=None, max_length=200)
    answer: str | None = _text()
    answer_working_days: int | None = None
