"""Demand tables (SQLModel): demands, duties and the events of both.

    Demand       one department's registered need (需求清单 entry): what, why, on what basis, by when
    Duty         one responsible department's duty to provide what a demand needs (责任清单 entry)
    DemandEvent  one row per transition: the demand's timeline and the feed notifications read
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from catalog.sharing.models import _day, _json, _text, _ts  # the column helpers of the sharing tables


# Demands: the requester's need, the proposals found for it, and how it ended.
class Demand(SQLModel, table=True):
    __tablename__ = "demands"
    __table_args__ = (Index("ix_demands_requester_status", "requester_code", "status"),
                      Index("ix_demands_status", "status"))
    id: int | None = Field(default=None, primary_key=True)
    requester_code: str = Field(max_length=9)
    requested_by: str = Field(max_length=200)
    title: str = Field(max_length=200)
    description: str = _text(nullable=False)
    needs: list[dict[str, Any]] = _json()  # [{text, name, element}]
    purpose: str = _text(nullable=False)
    basis: str = _text(nullable=False)
    scenario: str | None = Field(default=None, max_length=200)
    wanted_by: date | None = _day()
    status: str = Field(max_length=20)
    proposals: list[dict[str, Any]] = _json()
    search_note: str | None = _text()  # why text search was left out (backend unreachable)
    request_ids: list[int] | None = _json(nullable=True)  # share requests made from proposals
    unmet_reason: str | None = _text()
    created_at: datetime = _ts(nullable=False)
    updated_at: datetime = _ts(nullable=False)
    fulfilled_at: datetime | None = _ts()
    fulfilled_resource: str | None = Field(default=None, max_length=40)
    closed_reason: str | None = _text()


# Duties: a responsible department's answer and what came of it.
class Duty(SQLModel, table=True):
    __tablename__ = "demand_duties"
    __table_args__ = (Index("ix_demand_duties_department_status", "department_code", "status"),
                      Index("ix_demand_duties_demand", "demand_id"))
    id: int | None = Field(default=None, primary_key=True)
    demand_id: int
    department_code: str = Field(max_length=9)
    status: str = Field(max_length=20)
    assigned_at: datetime = _ts(nullable=False)
    assigned_by: str = Field(max_length=200)
    due_on: date = _day(nullable=False)  # the answer is due by this day (working days from the calendar)
    note: str | None = _text()  # the coordinator's note on assignment
    answered_at: datetime | None = _ts()
    answered_by: str | None = Field(default=None, max_length=200)
    answer: str | None = Field(default=None, max_length=20)  # will_provide | cannot | not_ours
    target_date: date | None = _day()
    reason: str | None = _text()
    escalated_at: datetime | None = _ts()
    escalation_reason: str | None = _text()
    arbitrated_at: datetime | None = _ts()
    arbitrated_by: str | None = Field(default=None, max_length=200)
    arbitration_outcome: str | None = Field(default=None, max_length=20)  # provide | upheld
    arbitration_reason: str | None = _text()
    fulfilled_at: datetime | None = _ts()
    resource_code: str | None = Field(default=None, max_length=40)
    updated_at: datetime = _ts(nullable=False)


# Events: one per transition, in order; `audience` = the department codes to tell.
class DemandEvent(SQLModel, table=True):
    __tablename__ = "demand_events"
    __table_args__ = (Index("ix_demand_events_demand", "demand_id", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    demand_id: int
    duty_id: int | None = None
    event: str = Field(max_length=40)
    at: datetime = _ts(nullable=False)
    actor: str = Field(max_length=200)
    department_code: str | None = Field(default=None, max_length=9)
    audience: list[str] = _json()
    detail: dict[str, Any] | None = _json(nullable=True)
