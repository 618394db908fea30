"""Intake and registration under 20–50 parallel clients, on SQLite and PostgreSQL.

The same batch pushed by 20 clients at once is applied exactly once (the others are told "skipped");
20 coordinators registering one report at once give exactly one registration and one resource.
"""
from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from catalog.auth import create_token
from catalog.cascade.feed import read_feed
from catalog.seeding import seed_catalogue
from catalog.settings import Settings
from tests.databases import postgres_database

CLIENTS = 20


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def upper(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    if request.param == "sqlite":
        app = create_app(Settings(data_dir=tmp_path / "upper"))
        yield app
        app.state.db.dispose()
        return
    with postgres_database("mulu_cascade") as (db, url):
        yield create_app(Settings(data_dir=tmp_path / "upper", database_url=url), db=db)


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A real feed page: the first 60 changes of a seeded county catalogue."""
    import seed
    from catalog.db import open_database

    db = open_database(Settings(data_dir=tmp_path_factory.mktemp("county")))
    seed_catalogue(db=db, directory=Path(seed.__file__).parent)
    with db.session() as session:
        page = read_feed(session=session, since=0, limit=60)
    db.dispose()
    return {"origin": {"level": "county", "region": "330782"}, "entries": page.entries,
            "departments": page.departments}


def _token(app: Any, role: str, name: str) -> dict[str, str]:
    with app.state.db.transaction() as session:
        secret, _ = create_token(session=session, role=role, name=name)
    return {"Authorization": f"Bearer {secret}"}


def _together(job: Any) -> list[Any]:
    barrier = threading.Barrier(CLIENTS)

    def run(i: int) -> Any:
        barrier.wait(30)
        return job(i)

    with ThreadPoolExecutor(CLIENTS) as pool:
        return list(pool.map(run, range(CLIENTS)))


def test_the_same_batch_pushed_in_parallel_is_applied_once(upper: Any, batch: dict[str, Any]) -> None:
    client, headers = TestClient(upper), _token(upper, "downstream", "county-330782")
    answers = _together(lambda _: client.post("/api/v1/cascade/intake", json=batch, headers=headers))
    assert Counter(a.status_code for a in answers) == {200: CLIENTS}, [a.text[:300] for a in answers][:3]
    applied = sum(a.json()["applied"] for a in answers)
    assert applied == len(batch["entries"])
    assert sum(a.json()["skipped"] for a in answers) == len(batch["entries"]) * (CLIENTS - 1)
    coordinator = _token(upper, "coordinator", "市协调员")
    listed = client.get("/api/v1/cascade/reports", params={"limit": 500}, headers=coordinator).json()
    assert listed["count"] == len(batch["entries"])


def test_parallel_registration_of_one_report_registers_once(upper: Any, batch: dict[str, Any]) -> None:
    client = TestClient(upper)
    client.post("/api/v1/cascade/intake", json=batch, headers=_token(upper, "downstream", "county-330782"))
    coordinator = _token(upper, "coordinator", "市协调员")
    report = client.get("/api/v1/cascade/reports", params={"limit": 1}, headers=coordinator).json()["data"][0]
    answers = _together(lambda _: client.post(f"/api/v1/cascade/reports/{report['id']}/register",
                                              headers=coordinator))
    assert Counter(a.status_code for a in answers) == {200: 1, 409: CLIENTS - 1}
    published = client.get("/api/v1/resources", params={"state": "published", "limit": 1},
                           headers=coordinator).json()
    assert published["count"] == 1


def test_a_downstream_token_cannot_register_or_read_others(upper: Any, batch: dict[str, Any]) -> None:
    client = TestClient(upper)
    mine = _token(upper, "downstream", "county-330782")
    other = _token(upper, "downstream", "county-330783")
    client.post("/api/v1/cascade/intake", json=batch, headers=mine)
    assert client.get("/api/v1/cascade/reports", headers=other).json()["count"] == 0
    own = client.get("/api/v1/cascade/reports", params={"limit": 1}, headers=mine).json()
    assert own["count"] == len(batch["entries"])
    r = client.post(f"/api/v1/cascade/reports/{own['data'][0]['id']}/register", headers=mine)
    assert r.status_code == 403
    steward = {"Authorization": "Bearer nothing"}
    assert client.post("/api/v1/cascade/intake", json=batch, headers=steward).status_code == 401


def test_a_malformed_entry_changes_nothing(upper: Any, batch: dict[str, Any]) -> None:
    client, headers = TestClient(upper), _token(upper, "downstream", "county-330782")
    broken = {**batch, "entries": [*batch["entries"][:5], {"cursor": "x"}]}
    r = client.post("/api/v1/cascade/intake", json=broken, headers=headers)
    assert r.status_code == 400 and r.json()["findings"][0]["path"] == "/entries/5"
    coordinator = _token(upper, "coordinator", "市协调员")
    assert client.get("/api/v1/cascade/reports", headers=coordinator).json()["count"] == 0


def test_the_coordinator_registers_from_the_web_page_and_the_copy_is_read_only(
        upper: Any, batch: dict[str, Any]) -> None:
    import re

    client = TestClient(upper, base_url="http://127.0.0.1")
    client.post("/api/v1/cascade/intake", json=batch, headers=_token(upper, "downstream", "county-330782"))
    secret = _token(upper, "coordinator", "市协调员")["Authorization"].split()[1]
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/signin").text).group(1)
    client.post("/signin", data={"csrf_token": csrf, "token": secret, "next": "/"})
    page = client.get("/cascade")
    assert page.status_code == 200 and "下级上报" in page.text
    first = batch["entries"][0]
    assert first["record"]["name"] in page.text
    report_id = re.search(r'name="report_id" value="(\d+)"', page.text).group(1)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    done = client.post("/act/cascade", data={"csrf_token": csrf, "report_id": report_id, "action": "register"},
                       follow_redirects=False)
    assert done.status_code == 303
    coordinator = {"Authorization": f"Bearer {secret}"}
    registered = client.get("/api/v1/cascade/reports", params={"state": "registered"}, headers=coordinator).json()
    assert registered["count"] == 1
    local = registered["data"][0]["local_code"]
    shown = client.get(f"/r/{local}")
    assert 'id="origin"' in shown.text and registered["data"][0]["origin_code"] in shown.text
    assert "撤回发布" not in shown.text  # no withdraw button on a record of another level
