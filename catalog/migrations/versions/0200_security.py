"""security: one open share request per (requester, resource), one grant per request; web sessions;
sign-in failures (throttling across processes)

Revision ID: 0200_security
Revises: 0800_perf
Create Date: 2026-12-01 00:10:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0200_security"
down_revision = "0800_perf"  # re-chained at merge (was 0100_sharing)
branch_labels = None
depends_on = None

OPEN = "status IN ('pending', 'escalated')"


def upgrade() -> None:
    # Duplicates left by the race this migration closes: keep the oldest open request, withdraw the rest.
    op.execute(f"""UPDATE share_requests SET status = 'withdrawn', withdrawn_at = updated_at,
                   reason = '重复的办理中申请，升级时撤回 (duplicate open request, withdrawn on upgrade)'
                   WHERE {OPEN} AND id NOT IN (SELECT MIN(id) FROM share_requests WHERE {OPEN}
                                               GROUP BY requester_code, resource_code)""")
    op.create_index("uq_share_requests_open", "share_requests", ["requester_code", "resource_code"], unique=True,
                    sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))
    # Duplicate grants of one request (same race): the oldest stays, the others are marked 'duplicate'.
    op.execute("""UPDATE grants SET status = 'duplicate', revoke_reason = '重复授权，升级时作废 (duplicate grant)'
                  WHERE id NOT IN (SELECT MIN(id) FROM grants GROUP BY request_id)""")
    op.create_index("uq_grants_request", "grants", ["request_id"], unique=True,
                    sqlite_where=sa.text("status <> 'duplicate'"), postgresql_where=sa.text("status <> 'duplicate'"))
    op.create_table(
        "web_sessions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("session_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("token_id", sa.Integer(), sa.ForeignKey("tokens.id"), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_web_sessions_token", "web_sessions", ["token_id"])
    op.create_table(
        "sign_in_failures",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("account", sa.String(200), nullable=False),
        sa.Column("client_ip", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_sign_in_failures_key", "sign_in_failures", ["account", "client_ip", "at"])


def downgrade() -> None:
    op.drop_table("sign_in_failures")
    op.drop_table("web_sessions")
    op.drop_index("uq_grants_request", "grants")
    op.drop_index("uq_share_requests_open", "share_requests")
