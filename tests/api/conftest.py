"""API fixtures: the real app on a temporary SQLite file, tokens per role, valid records."""
from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.examples import RECORD
from catalog.auth import create_token
from catalog.settings import Settings

OWN, OTHER = "330782101", "330782102"


def make_record(n: int = 0, *, provider_code: str = OWN, **changes: Any) -> dict[str, Any]:
    """A valid record (class 1 法人基本信息) from the OpenAPI example, with a distinct name."""
    record = copy.deepcopy(RECORD)
    record["name"] = f"{RECORD['name']}{n}"
    if provider_code == OTHER:
        record.update(provider="义乌市公安局", provider_code=OTHER)
    record.update(changes)
    return record


@pytest.fixture
def client(tmp_settings: Settings) -> Iterator[TestClient]:
    app = create_app(tmp_settings)
    with TestClient(app) as c:
        c.app_db = app.state.db  # type: ignore[attr-defined]
        yield c
    app.state.db.dispose()


@pytest.fixture
def auth(client: TestClient) -> Any:
    """auth(role, department) -> headers with a fresh bearer token."""
    def make(role: str, department: str | None = None) -> dict[str, str]:
        with client.app_db.transaction() as session:  # type: ignore[attr-defined]
            secret, _ = create_token(session=session, role=role, department_code=department)
        return {"Authorization": f"Bearer {secret}"}
    return make
