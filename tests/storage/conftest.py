"""Storage fixtures: the same suite on a temporary SQLite file and on a real PostgreSQL server.

PostgreSQL comes from MULU_TEST_POSTGRES_URL (CI sets it), else the local default when reachable;
each test gets a fresh schema (dropped afterwards), so runs are independent.
"""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from catalog.db import Database, database_url, open_database
from catalog.settings import Settings

DEFAULT_PG = "postgresql://mulu:mulu@127.0.0.1:5432/mulu_test"


def _postgres_url() -> tuple[str | None, str]:
    url = os.environ.get("MULU_TEST_POSTGRES_URL", "").strip()
    explicit = bool(url)
    url = url or DEFAULT_PG
    try:
        engine = create_engine(database_url(Settings(database_url=url)), connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return url, ""
    except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
        if explicit:
            raise RuntimeError(f"MULU_TEST_POSTGRES_URL is set but unreachable: {exc}") from exc
        return None, f"PostgreSQL not reachable at {DEFAULT_PG} and MULU_TEST_POSTGRES_URL unset ({exc.__class__.__name__})"


_PG_URL, _PG_WHY = _postgres_url()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request, tmp_path) -> Iterator[Database]:
    if request.param == "sqlite":
        database = open_database(Settings(data_dir=tmp_path / "data"))
        yield database
        database.dispose()
        return
    if _PG_URL is None:
        pytest.skip(_PG_WHY)
    schema = f"mulu_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(database_url(Settings(database_url=_PG_URL)))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in _PG_URL else "?"
    url = f"{_PG_URL}{sep}options={quote(f'-csearch_path={schema}')}"
    database = open_database(Settings(database_url=url))
    try:
        yield database
    finally:
        database.dispose()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
