"""sources: authoritative-source overrides and collection exemptions (catalog.sources, 一数一源)

Revision ID: 0600_sources
Revises: 0100_sharing
Create Date: 2026-12-01 00:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0600_sources"
down_revision = "0100_sharing"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "source_overrides",
        sa.Column("element_id", sa.String(10), primary_key=True),
        sa.Column("department_code", sa.String(9), nullable=False),
        sa.Column("resource_code", sa.String(40), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("updated_by", sa.String(200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "collection_exemptions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("department_code", sa.String(9), nullable=False),
        sa.Column("element_id", sa.String(10), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("department_code", "element_id", name="uq_collection_exemptions"),
    )


def downgrade() -> None:
    op.drop_table("collection_exemptions")
    op.drop_table("source_overrides")
