"""sharing: share requests, grants, data-error reports (catalog.sharing)

Revision ID: 0100_sharing
Revises: 0001
Create Date: 2026-11-25 13:50:00
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0100_sharing"
down_revision = "0001"
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = True) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "share_requests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("resource_code", sa.String(40), nullable=False),
        sa.Column("resource_name", sa.String(500), nullable=False),
        sa.Column("provider_code", sa.String(9), nullable=False),
        sa.Column("requester_code", sa.String(9), nullable=False),
        sa.Column("requested_by", sa.String(200), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("period_days", sa.Integer(), nullable=False),
        sa.Column("share_type", sa.String(20), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        _ts("created_at", False),
        _ts("updated_at", False),
        sa.Column("due_on", sa.Date(), nullable=True),
        _ts("answered_at"),
        sa.Column("answered_by", sa.String(200), nullable=True),
        sa.Column("answer_working_days", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("approved_items", sa.JSON(), nullable=True),
        sa.Column("approved_period_days", sa.Integer(), nullable=True),
        _ts("escalated_at"),
        sa.Column("escalation_reason", sa.Text(), nullable=True),
        _ts("arbitrated_at"),
        sa.Column("arbitrated_by", sa.String(200), nullable=True),
        sa.Column("arbitration_outcome", sa.String(20), nullable=True),
        sa.Column("arbitration_reason", sa.Text(), nullable=True),
        _ts("withdrawn_at"),
        sa.Column("grant_id", sa.Integer(), nullable=True),
    )
    op.create_index("ix_share_requests_provider_status", "share_requests", ["provider_code", "status"])
    op.create_index("ix_share_requests_requester_status", "share_requests", ["requester_code", "status"])
    op.create_index("ix_share_requests_resource", "share_requests", ["resource_code"])
    op.create_table(
        "grants",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("resource_code", sa.String(40), nullable=False),
        sa.Column("provider_code", sa.String(9), nullable=False),
        sa.Column("requester_code", sa.String(9), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("share_type", sa.String(20), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        _ts("created_at", False),
        _ts("revoked_at"),
        sa.Column("revoked_by", sa.String(200), nullable=True),
        sa.Column("revoke_reason", sa.Text(), nullable=True),
        sa.Column("needs_review", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("review_reason", sa.Text(), nullable=True),
        _ts("flagged_at"),
    )
    op.create_index("ix_grants_requester_status", "grants", ["requester_code", "status"])
    op.create_index("ix_grants_provider_status", "grants", ["provider_code", "status"])
    op.create_index("ix_grants_resource", "grants", ["resource_code"])
    op.create_table(
        "feedback",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("resource_code", sa.String(40), nullable=False),
        sa.Column("provider_code", sa.String(9), nullable=False),
        sa.Column("reporter_code", sa.String(9), nullable=False),
        sa.Column("reported_by", sa.String(200), nullable=False),
        sa.Column("item", sa.String(40), nullable=True),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        _ts("created_at", False),
        sa.Column("due_on", sa.Date(), nullable=False),
        _ts("answered_at"),
        sa.Column("answered_by", sa.String(200), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.Column("answer_working_days", sa.Integer(), nullable=True),
    )
    op.create_index("ix_feedback_provider_status", "feedback", ["provider_code", "status"])
    op.create_index("ix_feedback_reporter", "feedback", ["reporter_code"])


def downgrade() -> None:
    op.drop_table("feedback")
    op.drop_table("grants")
    op.drop_table("share_requests")
