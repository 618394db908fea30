"""Real databases for the tests: a temporary SQLite file, or a fresh schema on a real PostgreSQL server.

PostgreSQL comes from MULU_TEST_POSTGRES_URL (CI sets it), else the local default when reachable;
each test gets its own schema, dropped afterwards, so runs are independent.
"""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from catalog.db import Database, database_url, open_database
from catalog.settings import Settings

DEFAULT_PG = "postgresql://mulu:mulu@127.0.0.1:5432/mulu_test"


@cache
def postgres_url() -> tuple[str | None, str]:
    """(url, "") when PostgreSQL answers; (None, why) to skip. A set but unreachable URL is an error."""
    url = os.environ.get("MULU_TEST_POSTGRES_URL", "").strip()
    explicit = bool(url)
    url = url or DEFAULT_PG
    try:
        engine = create_engine(database_url(Settings(database_url=url)), connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return url, ""
    except Exception as exc:
        if explicit:
            raise RuntimeError(f"MULU_TEST_POSTGRES_URL is set but unreachable: {exc}") from exc
        return None, f"PostgreSQL not reachable at {DEFAULT_PG} and MULU_TEST_POSTGRES_URL unset ({exc.__class__.__name__})"


@contextmanager
def postgres_database(prefix: str = "mulu_test") -> Iterator[tuple[Database, str]]:
    """A fresh schema on the PostgreSQL server (dropped afterwards): (Database, its URL); skips if none."""
    url, why = postgres_url()
    if url is None:
        pytest.skip(why)
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(database_url(Settings(database_url=url)))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in url else "?"
    scoped = f"{url}{sep}options={quote(f'-csearch_path={schema}')}"
    database = open_database(Settings(database_url=scoped))
    try:
        yield database, scoped
    finally:
        database.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@contextmanager
def any_database(kind: str, tmp_path: Path, prefix: str = "mulu_test") -> Iterator[Database]:
    """`kind` "sqlite": a file under tmp_path; "postgresql": a fresh schema."""
    if kind == "sqlite":
        database = open_database(Settings(data_dir=tmp_path / "data"))
        try:
            yield database
        finally:
            database.dispose()
        return
    with postgres_database(prefix) as (database, _):
        yield database
