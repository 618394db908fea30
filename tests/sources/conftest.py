"""一数一源 fixtures: the seed catalogue loaded once into a SQLite file, copied for every test; the real
app on that copy with tokens per role; a fixed clock and the working-day calendar."""
from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from catalog.db import Database, open_database
from catalog.seeding import default_seed_dir, seed_catalogue
from catalog.settings import Settings
from catalog.sharing.clock import FixedClock
from tests.api.conftest import auth  # noqa: F401  (auth(role, department) -> headers)
from tests.sharing.conftest import cal  # noqa: F401  (the working-day calendar)

MARKET, POLICE, TAX, HRSS, MEDICARE, BIGDATA = (
    "330782101", "330782102", "330782103", "330782104", "330782112", "330782117")
NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # Mon 30 Nov 2026, 10:00 in 义乌
SCENARIO = "joint-company-registration"


@pytest.fixture(scope="session")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed catalogue (237 published resources) in a SQLite file, loaded once per run."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("seeded"))
    db = open_database(settings)
    result = seed_catalogue(db=db, directory=default_seed_dir(settings))
    db.dispose()
    assert not result.failed and len(result.loaded) == 237
    return settings.data_dir / "mulu.db"


@pytest.fixture
def seeded_settings(seeded_file: Path, tmp_path: Path) -> Settings:
    (tmp_path / "data").mkdir()
    shutil.copy(seeded_file, tmp_path / "data" / "mulu.db")
    return Settings(data_dir=tmp_path / "data")


@pytest.fixture
def db(seeded_settings: Settings) -> Iterator[Database]:
    database = open_database(seeded_settings)
    yield database
    database.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def client(seeded_settings: Settings, clock: FixedClock) -> Iterator[TestClient]:
    app = create_app(seeded_settings)
    app.state.clock = clock
    with TestClient(app) as c:
        c.app_db = app.state.db  # type: ignore[attr-defined]
        yield c
    app.state.db.dispose()
