"""Alembic environment for mulu: runs on the connection handed over by catalog.db.ensure_schema."""
from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

import catalog.models  # noqa: F401  (registers the tables on SQLModel.metadata)
import catalog.sharing.models  # noqa: F401  (sharing tables; else autogenerate would drop them)
import catalog.sources.models  # noqa: F401  (一数一源 tables)
import catalog.demands.models  # noqa: F401  (demand register and duties)
import catalog.cascade.models  # noqa: F401  (目录级联 tables)
import catalog.sign_in_throttle  # noqa: F401  (sign_in_failures)
import catalog.web_sessions  # noqa: F401  (web_sessions)
import catalog.notify.models  # noqa: F401  (notification tables)

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url")
    assert url is not None  # set by catalog.db.migrate (or alembic.ini)
    engine = create_engine(url)
    with engine.begin() as conn:
        context.configure(connection=conn, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()


def run_migrations_offline() -> None:
    context.configure(url=config.get_main_option("sqlalchemy.url"), target_metadata=target_metadata,
                      literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
