"""demands: the demand register, duties and their events (catalog.demands)

Revision ID: 0400_demands
Revises: 0600_sources
Create Date: 2026-12-01 00:10:00
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0400_demands"
down_revision = "0600_sources"  # re-chained after 一数一源 on rebase (was 0100_sharing)
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = True) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "demands",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("requester_code", sa.String(9), nullable=False),
        sa.Column("requested_by", sa.String(200), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("needs", sa.JSON(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("scenario", sa.String(200), nullable=True),
        sa.Column("wanted_by", sa.Date(), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("proposals", sa.JSON(), nullable=False),
        sa.Column("search_note", sa.Text(), nullable=True),
        sa.Column("request_ids", sa.JSON(), nullable=True),
        sa.Column("unmet_reason", sa.Text(), nullable=True),
        _ts("created_at", False),
        _ts("updated_at", False),
        _ts("fulfilled_at"),
        sa.Column("fulfilled_resource", sa.String(40), nullable=True),
        sa.Column("closed_reason", sa.Text(), nullable=True),
    )
    op.create_index("ix_demands_requester_status", "demands", ["requester_code", "status"])
    op.create_index("ix_demands_status", "demands", ["status"])
    op.create_table(
        "demand_duties",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("demand_id", sa.Integer(), nullable=False),
        sa.Column("department_code", sa.String(9), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        _ts("assigned_at", False),
        sa.Column("assigned_by", sa.String(200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        _ts("answered_at"),
        sa.Column("answered_by", sa.String(200), nullable=True),
        sa.Column("answer", sa.String(20), nullable=True),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        _ts("escalated_at"),
        sa.Column("escalation_reason", sa.Text(), nullable=True),
        _ts("arbitrated_at"),
        sa.Column("arbitrated_by", sa.String(200), nullable=True),
        sa.Column("arbitration_outcome", sa.String(20), nullable=True),
        sa.Column("arbitration_reason", sa.Text(), nullable=True),
        _ts("fulfilled_at"),
        sa.Column("resource_code", sa.String(40), nullable=True),
        _ts("updated_at", False),
    )
    op.create_index("ix_demand_duties_department_status", "demand_duties", ["department_code", "status"])
    op.create_index("ix_demand_duties_demand", "demand_duties", ["demand_id"])
    op.create_table(
        "demand_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("demand_id", sa.Integer(), nullable=False),
        sa.Column("duty_id", sa.Integer(), nullable=True),
        sa.Column("event", sa.String(40), nullable=False),
        _ts("at", False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("department_code", sa.String(9), nullable=True),
        sa.Column("audience", sa.JSON(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=True),
    )
    op.create_index("ix_demand_events_demand", "demand_events", ["demand_id", "id"])


def downgrade() -> None:
    op.drop_table("demand_events")
    op.drop_table("demand_duties")
    op.drop_table("demands")
