"""perf: resources.name_key (normalised name) with a unique index per provider

The duplicate-name rule (信息资源名称 unique within its provider, ignoring spaces, punctuation and case)
becomes an indexed lookup instead of loading every name of the provider on each write, and the unique
constraint closes the race where two parallel creates of the same name both passed the check.

Backfill: the key is computed in Python (`normalise_name`, the one definition of "the same name").
Should the catalogue already hold duplicates (written before the constraint), the oldest row keeps the
key and the later ones get NULL, so the upgrade never fails; editing such a later row then reports
`cross.duplicate-name` as it should.

Revision ID: 0800_perf
Revises: 0700_cascade
Create Date: 2026-12-01 01:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from catalog.standards.model import normalise_name

revision = "0800_perf"
down_revision = "0700_cascade"  # re-chained after the current head on rebase (was 0100_sharing)
branch_labels = None
depends_on = None

CHUNK = 5000


def upgrade() -> None:
    with op.batch_alter_table("resources") as batch:
        batch.add_column(sa.Column("name_key", sa.String(500), nullable=True))
    conn = op.get_bind()
    resources = sa.table("resources", sa.column("id", sa.Integer), sa.column("provider_code", sa.String),
                         sa.column("name", sa.String), sa.column("name_key", sa.String))
    seen: set[tuple[str, str]] = set()
    last = 0
    while True:
        rows = conn.execute(sa.select(resources.c.id, resources.c.provider_code, resources.c.name)
                            .where(resources.c.id > last).order_by(resources.c.id).limit(CHUNK)).all()
        if not rows:
            break
        last = rows[-1].id
        updates = []
        for row in rows:
            key = normalise_name(row.name)
            if (row.provider_code, key) in seen:
                continue  # a duplicate from before the constraint: keeps NULL
            seen.add((row.provider_code, key))
            updates.append({"rid": row.id, "key": key})
        if updates:
            conn.execute(resources.update().where(resources.c.id == sa.bindparam("rid"))
                         .values(name_key=sa.bindparam("key")), updates)
    op.create_index("uq_resources_provider_name_key", "resources", ["provider_code", "name_key"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_resources_provider_name_key", table_name="resources")
    with op.batch_alter_table("resources") as batch:
        batch.drop_column("name_key")
