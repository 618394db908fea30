"""Security fixtures: an app over SQLite or a fresh PostgreSQL schema with departments, three published
resources (无条件 / 有条件 / 不予共享) and a token per persona."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from catalog.seeding import load_departments
from catalog.settings import Settings
from catalog.sharing.clock import FixedClock
from tests.databases import any_database
from tests.hardening.support import tokens_for
from tests.sharing.conftest import CONDITIONAL, MARKET, NOT_SHARED, POLICE, START, TAX, UNCONDITIONAL, publish

PERSONAS: dict[str, tuple[str, str | None]] = {
    "market": ("steward", MARKET), "tax": ("steward", TAX), "police": ("steward", POLICE),
    "developer": ("developer", TAX), "coordinator": ("coordinator", None), "auditor": ("auditor", None),
    "admin": ("admin", None),
}


@dataclass
class Site:
    app: FastAPI
    client: TestClient
    headers: dict[str, dict[str, str]]
    codes: dict[str, str]
    kind: str

    def new_client(self) -> TestClient:
        return TestClient(self.app, raise_server_exceptions=False)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Site]:
    with any_database(request.param, tmp_path, prefix="mulu_sec") as db:
        load_departments(db=db)
        unconditional, conditional, not_shared = publish(db, [UNCONDITIONAL, CONDITIONAL, NOT_SHARED])
        app = create_app(Settings(data_dir=tmp_path / "data"), db=db)
        app.state.clock = FixedClock(START)
        with TestClient(app, raise_server_exceptions=False) as client:
            yield Site(app, client, tokens_for(db, PERSONAS),
                       {"unconditional": unconditional, "conditional": conditional, "not_shared": not_shared},
                       request.param)


def reason(text: str = "理由说明") -> dict[str, Any]:
    return {"reason": text}
