"""cascade: reported records, resource origins, cursors and upstream verdicts (catalog.cascade)

Revision ID: 0700_cascade
Revises: 0400_demands
Create Date: 2026-12-01 00:20:00
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0700_cascade"
down_revision = "0400_demands"
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = True) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "cascade_reports",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("origin", sa.String(200), nullable=False),
        sa.Column("origin_level", sa.String(20), nullable=True),
        sa.Column("origin_region", sa.String(12), nullable=True),
        sa.Column("origin_code", sa.String(40), nullable=False),
        sa.Column("origin_version", sa.Integer(), nullable=False),
        sa.Column("origin_cursor", sa.BigInteger(), nullable=False),
        sa.Column("provider_code", sa.String(9), nullable=False),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=True),
        sa.Column("local_code", sa.String(40), nullable=True),
        _ts("received_at", False),
        _ts("decided_at"),
        sa.Column("decided_by", sa.String(200), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.UniqueConstraint("origin", "origin_code", name="uq_cascade_reports_origin_code"),
    )
    op.create_index("ix_cascade_reports_state", "cascade_reports", ["state"])
    op.create_table(
        "resource_origins",
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("origin", sa.String(200), nullable=False),
        sa.Column("origin_level", sa.String(20), nullable=True),
        sa.Column("origin_code", sa.String(40), nullable=False),
        sa.Column("origin_version", sa.Integer(), nullable=False),
        sa.UniqueConstraint("kind", "origin", "origin_code", name="uq_resource_origins_origin"),
    )
    op.create_table(
        "cascade_cursors",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("mark", sa.String(40), nullable=True),
        _ts("updated_at"),
        sa.Column("last_error", sa.Text(), nullable=True),
    )
    op.create_table(
        "upstream_verdicts",
        sa.Column("code", sa.String(40), primary_key=True),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("upstream_code", sa.String(40), nullable=True),
        sa.Column("findings", sa.JSON(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        _ts("updated_at", False),
    )
    op.create_index("ix_audit_log_action_id", "audit_log", ["action", "id"])


def downgrade() -> None:
    op.drop_index("ix_audit_log_action_id", "audit_log")
    for table in ("upstream_verdicts", "cascade_cursors", "resource_origins", "cascade_reports"):
        op.drop_table(table)
