"""departments for a whole region; lossless import (runs, links, staged records)

Departments gain an administrative level, a GB/T 2260 division, a parent, former names and aliases;
divisions get their own table. Imports keep their runs, the link from each source identifier to the
resource it became, and the records staged with findings (待整改).

Revision ID: 0300_departments
Revises: 0500_notify
Create Date: 2026-12-01 00:10:00
"""
from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0300_departments"
down_revision = "0500_notify"
branch_labels = None
depends_on = None


def _ts(name: str, nullable: bool = True) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    with op.batch_alter_table("departments") as batch:
        batch.add_column(sa.Column("level", sa.String(10), nullable=True))
        batch.add_column(sa.Column("division_code", sa.String(6), nullable=True))
        batch.add_column(sa.Column("parent_code", sa.String(9), nullable=True))
        batch.add_column(sa.Column("former_names", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("aliases", sa.JSON(), nullable=True))
    op.create_index("ix_departments_division_code", "departments", ["division_code"])
    op.create_index("ix_departments_parent_code", "departments", ["parent_code"])
    op.create_table(
        "divisions",
        sa.Column("code", sa.String(6), primary_key=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("level", sa.String(10), nullable=False),
        sa.Column("parent_code", sa.String(6), nullable=True),
    )
    op.create_table(
        "import_runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source_system", sa.String(200), nullable=False),
        sa.Column("format", sa.String(20), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        _ts("started_at", False),
        _ts("finished_at"),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("report", sa.JSON(), nullable=False),
    )
    op.create_index("ix_import_runs_source_system", "import_runs", ["source_system"])
    op.create_table(
        "import_links",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source_system", sa.String(200), nullable=False),
        sa.Column("source_key", sa.String(500), nullable=False),
        sa.Column("resource_code", sa.String(40), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("last_run_id", sa.Integer(), nullable=True),
        _ts("missing_since"),
        sa.UniqueConstraint("source_system", "source_key", name="uq_import_links_source"),
    )
    op.create_index("ix_import_links_resource_code", "import_links", ["resource_code"])
    op.create_table(
        "staged_records",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("source_system", sa.String(200), nullable=False),
        sa.Column("source_key", sa.String(500), nullable=False),
        sa.Column("source", sa.String(500), nullable=True),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("provider_code", sa.String(9), nullable=True),
        sa.Column("name", sa.String(500), nullable=True),
        sa.Column("record", sa.JSON(), nullable=False),
        sa.Column("findings", sa.JSON(), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("resource_code", sa.String(40), nullable=True),
        _ts("created_at", False),
        _ts("updated_at", False),
        sa.UniqueConstraint("source_system", "source_key", name="uq_staged_records_source"),
    )
    op.create_index("ix_staged_records_provider_state", "staged_records", ["provider_code", "state"])


def downgrade() -> None:
    op.drop_table("staged_records")
    op.drop_table("import_links")
    op.drop_table("import_runs")
    op.drop_table("divisions")
    op.drop_index("ix_departments_parent_code", "departments")
    op.drop_index("ix_departments_division_code", "departments")
    with op.batch_alter_table("departments") as batch:
        for column in ("aliases", "former_names", "parent_code", "division_code", "level"):
            batch.drop_column(column)
