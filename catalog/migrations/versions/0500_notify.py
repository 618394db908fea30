"""notify: events, inbox, deliveries (outbox), webhooks, preferences, contacts (catalog.notify)

Revision ID: 0500_notify
Revises: 0200_security
Create Date: 2026-12-01 00:15:00
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0500_notify"
down_revision = "0200_security"
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = True) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "notify_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("dedupe_key", sa.String(200), nullable=True, unique=True),
        sa.Column("subject_type", sa.String(40), nullable=True),
        sa.Column("subject_id", sa.String(60), nullable=True),
        sa.Column("resource_code", sa.String(40), nullable=True),
        sa.Column("departments", sa.JSON(), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("link", sa.String(300), nullable=True),
        sa.Column("data", sa.JSON(), nullable=True),
        _ts("created_at", False),
    )
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("event_id", sa.Integer(), nullable=False, index=True),
        sa.Column("recipient", sa.String(200), nullable=False),
        sa.Column("department_code", sa.String(9), nullable=True),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("link", sa.String(300), nullable=True),
        _ts("created_at", False),
        _ts("read_at"),
    )
    op.create_index("ix_notifications_recipient_read", "notifications", ["recipient", "read_at"])
    op.create_table(
        "notify_deliveries",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("delivery_id", sa.String(40), nullable=False, unique=True),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("target", sa.String(320), nullable=False),
        sa.Column("webhook_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _ts("next_attempt_at", False),
        _ts("claimed_until"),
        sa.Column("claim", sa.String(40), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("last_status_code", sa.Integer(), nullable=True),
        sa.Column("log", sa.JSON(), nullable=True),
        _ts("created_at", False),
        _ts("delivered_at"),
        sa.UniqueConstraint("event_id", "channel", "target", name="uq_notify_deliveries_event_target"),
    )
    op.create_index("ix_notify_deliveries_due", "notify_deliveries", ["status", "next_attempt_at"])
    op.create_index("ix_notify_deliveries_webhook", "notify_deliveries", ["webhook_id", "id"])
    op.create_table(
        "notify_webhooks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("department_code", sa.String(9), nullable=True, index=True),
        sa.Column("url", sa.String(1000), nullable=False),
        sa.Column("secret", sa.String(100), nullable=False),
        sa.Column("kinds", sa.JSON(), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        _ts("disabled_at"),
        sa.Column("disabled_reason", sa.Text(), nullable=True),
        sa.Column("created_by", sa.String(200), nullable=False),
        _ts("created_at", False),
    )
    op.create_table(
        "notify_preferences",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("scope", sa.String(12), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(60), nullable=False),
        sa.Column("channel", sa.String(10), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("scope", "subject", "kind", "channel", name="uq_notify_preferences"),
    )
    op.create_table(
        "notify_contacts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("scope", sa.String(12), nullable=False),
        sa.Column("subject", sa.String(200), nullable=False),
        sa.Column("email", sa.String(320), nullable=False),
        sa.UniqueConstraint("scope", "subject", name="uq_notify_contacts"),
    )


def downgrade() -> None:
    for table in ("notify_contacts", "notify_preferences", "notify_webhooks", "notify_deliveries",
                  "notifications", "notify_events"):
        op.drop_table(table)
