"""oidc: web sessions of accounts signed in through 统一身份认证 (no token; the mapped role and department)

Revision ID: 0900_oidc
Revises: 0300_departments
Create Date: 2026-12-01 03:30:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0900_oidc"
down_revision = "0300_departments"  # the head of main when rebased (assigned: after 0500_notify)
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("web_sessions") as batch:  # SQLite rebuilds the table
        batch.alter_column("token_id", existing_type=sa.Integer(), nullable=True)
        batch.add_column(sa.Column("subject", sa.String(255), nullable=True))
        batch.add_column(sa.Column("actor_name", sa.String(200), nullable=True))
        batch.add_column(sa.Column("role", sa.String(32), nullable=True))
        batch.add_column(sa.Column("department_code", sa.String(9), nullable=True))


def downgrade() -> None:
    op.execute("DELETE FROM web_sessions WHERE token_id IS NULL")
    with op.batch_alter_table("web_sessions") as batch:
        for name in ("department_code", "role", "actor_name", "subject"):
            batch.drop_column(name)
        batch.alter_column("token_id", existing_type=sa.Integer(), nullable=False)
