"""Concurrency on SQLite and PostgreSQL: one ETag wins a race of 50 updates; 200 parallel creates in one
classification get 200 distinct, contiguous codes and the next create continues after them."""
from __future__ import annotations

import copy
import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.examples import RECORD
from catalog.settings import Settings
from tests.databases import postgres_database
from tests.hardening.support import tokens_for

R = "/api/v1/resources"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    if request.param == "sqlite":
        application = create_app(Settings(data_dir=tmp_path / "data"))
        yield application
        application.state.db.dispose()
        return
    with postgres_database("mulu_hard") as (db, url):
        application = create_app(Settings(data_dir=tmp_path / "data", database_url=url), db=db)
        yield application


def record(n: int) -> dict[str, Any]:
    return {**copy.deepcopy(RECORD), "name": f"并发登记{n}"}


def run_together(n: int, job: Any, workers: int = 50) -> list[Any]:
    barrier = threading.Barrier(min(n, workers))

    def start(i: int) -> Any:
        if i < workers:
            barrier.wait(30)
        return job(i)

    with ThreadPoolExecutor(workers) as pool:
        return list(pool.map(start, range(n)))


def test_fifty_updates_with_one_etag_exactly_one_wins(app: Any) -> None:
    tokens = tokens_for(app.state.db)
    client = TestClient(app)
    created = client.post(R, json=record(0), headers=tokens["steward"])
    assert created.status_code == 201, created.text
    code, etag = created.json()["code"], created.headers["ETag"]

    def update(i: int) -> int:
        body = {**record(0), "abstract": f"第 {i} 次修改：全市各类企业设立、变更、注销登记的基本信息。"}
        return TestClient(app).put(f"{R}/{code}", json=body,
                                   headers={**tokens["steward"], "If-Match": etag}).status_code

    statuses = Counter(run_together(50, update))
    assert statuses == {200: 1, 412: 49}, statuses
    final = client.get(f"{R}/{code}", headers=tokens["steward"])
    assert final.json()["version"] == 2
    versions = client.get(f"{R}/{code}/versions", headers=tokens["steward"]).json()
    assert versions["count"] == 2
    assert client.get("/api/v1/audit-log/verify", headers=tokens["auditor"]).json()["ok"] is True


def test_two_hundred_concurrent_creates_get_contiguous_distinct_codes(app: Any) -> None:
    tokens = tokens_for(app.state.db)

    def create(i: int) -> str:
        r = TestClient(app).post(R, json=record(i), headers=tokens["steward"])
        assert r.status_code == 201, r.text
        return r.json()["code"]

    codes = run_together(200, create, workers=40)
    assert len(set(codes)) == 200
    assert sorted(codes) == [f"102001/{n:06d}" for n in range(1, 201)]
    nxt = TestClient(app).post(R, json=record(999), headers=tokens["steward"]).json()["code"]
    assert nxt == "102001/000201"  # no gap, and no code handed out twice
    check = TestClient(app).get("/api/v1/audit-log/verify", headers=tokens["auditor"]).json()
    assert check["ok"] is True and check["checked"] == 201
