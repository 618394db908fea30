"""The duplicate-name rule under parallel creates: one winner, the others a 422 `cross.duplicate-name`.

The rule is a unique index on (provider_code, name_key) with name_key = normalise_name(name): a race
that passes the check in two transactions ends in the index, and the loser gets the same finding as a
sequential duplicate, never a 500. Real SQLite file and real PostgreSQL, 30 parallel clients.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.app import create_app
from catalog.auth import create_token
from catalog.models import Resource
from catalog.settings import Settings
from tests.api.conftest import OWN, OTHER, make_record
from tests.databases import postgres_database

R = "/api/v1/resources"
CLIENTS = 30


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def app_client(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[TestClient]:
    if request.param == "sqlite":
        app = create_app(Settings(data_dir=tmp_path / "data"))
        with TestClient(app) as client:
            yield client
        app.state.db.dispose()
        return
    with postgres_database("mulu_race") as (_, url):
        app = create_app(Settings(data_dir=tmp_path / "data", database_url=url))
        with TestClient(app) as client:
            yield client
        app.state.db.dispose()


def token(client: TestClient, role: str, department: str | None) -> dict[str, str]:
    with client.app.state.db.transaction() as session:
        secret, _ = create_token(session=session, role=role, department_code=department)
    return {"Authorization": f"Bearer {secret}"}


def test_parallel_creates_of_one_name_have_one_winner(app_client: TestClient) -> None:
    steward = token(app_client, "steward", OWN)
    start = threading.Barrier(CLIENTS)
    # the same name up to spaces, punctuation and case: one normalised name
    names = [f"企业 登记·信息{'' if i % 2 else ' '}ABC" if i % 3 else "企业登记信息abc" for i in range(CLIENTS)]

    def create(i: int) -> tuple[int, dict]:
        start.wait()
        response = app_client.post(R, json=make_record(0, name=names[i]), headers=steward)
        return response.status_code, response.json()

    with ThreadPoolExecutor(CLIENTS) as pool:
        results = list(pool.map(create, range(CLIENTS)))
    statuses = sorted(s for s, _ in results)
    assert statuses == [201] + [422] * (CLIENTS - 1), statuses
    winner = next(body["code"] for s, body in results if s == 201)
    for status, body in results:
        if status == 422:
            rules = [f["rule"] for f in body["findings"]]
            assert rules == ["cross.duplicate-name"], body
            assert winner in body["findings"][0]["message"]
    with app_client.app.state.db.session() as session:
        assert session.execute(select(func.count()).select_from(Resource)).scalar_one() == 1
    verify = app_client.get("/api/v1/audit-log/verify", headers=token(app_client, "auditor", None)).json()
    assert verify["ok"] and verify["checked"] == 1


def test_same_name_in_another_provider_and_renames(app_client: TestClient) -> None:
    own, other = token(app_client, "steward", OWN), token(app_client, "steward", OTHER)
    first = app_client.post(R, json=make_record(0, name="排水许可信息"), headers=own)
    assert first.status_code == 201
    # another provider may hold the same name
    assert app_client.post(R, json=make_record(0, provider_code=OTHER, name="排水许可信息"),
                           headers=other).status_code == 201
    second = app_client.post(R, json=make_record(0, name="排水 许可信息2"), headers=own)
    assert second.status_code == 201
    code2, etag2 = second.json()["code"], second.headers["etag"]
    # renaming the second onto the first's name is the same finding
    clash = app_client.put(f"{R}/{code2}", json=make_record(0, name="排水许可-信息"),
                           headers={**own, "If-Match": etag2})
    assert clash.status_code == 422
    assert [f["rule"] for f in clash.json()["findings"]] == ["cross.duplicate-name"]
    # the first renamed away frees its name for the second
    code1, etag1 = first.json()["code"], first.headers["etag"]
    assert app_client.put(f"{R}/{code1}", json=make_record(0, name="排水许可证照信息"),
                          headers={**own, "If-Match": etag1}).status_code == 200
    assert app_client.put(f"{R}/{code2}", json=make_record(0, name="排水许可信息"),
                          headers={**own, "If-Match": etag2}).status_code == 200
