"""Hardening fixtures: one seeded SQLite catalogue per session, copied per test (fast, independent)."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from catalog.settings import Settings
from tests.hardening.support import copy_catalogue, seed_into, tokens_for


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A seeded catalogue (237 published resources of 义乌市) built once per test session."""
    directory = tmp_path_factory.mktemp("seeded")
    seed_into(directory)
    return directory


@pytest.fixture
def seeded_settings(seeded_template: Path, tmp_path: Path) -> Settings:
    return copy_catalogue(seeded_template, tmp_path / "data")


@pytest.fixture
def seeded_app(seeded_settings: Settings) -> Iterator[tuple[TestClient, dict[str, dict[str, str]]]]:
    """(client, persona -> auth headers) over the real app on a copy of the seeded catalogue."""
    app = create_app(seeded_settings)
    tokens = tokens_for(app.state.db)
    with TestClient(app) as client:
        yield client, tokens
    app.state.db.dispose()
