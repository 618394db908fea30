"""Storage fixtures: the same suite on a temporary SQLite file and on a real PostgreSQL server.

PostgreSQL comes from MULU_TEST_POSTGRES_URL (CI sets it), else the local default when reachable;
each test gets a fresh schema (dropped afterwards), so runs are independent.
"""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from catalog.db import Database
from tests.databases import any_database


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request, tmp_path) -> Iterator[Database]:
    with any_database(request.param, tmp_path) as database:
        yield database
