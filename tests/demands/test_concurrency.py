"""Parallel clients on SQLite and PostgreSQL: forty answers to one duty, forty assignments of one department,
twenty assignments of different departments: no step happens twice and none is lost."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.app import create_app
from catalog.demands.models import DemandEvent, Duty
from catalog.models import AuditEntry, Department
from catalog.seeding import load_departments
from catalog.settings import Settings
from catalog.sharing.clock import FixedClock
from tests.databases import postgres_database
from tests.demands.conftest import HRSS, START, TAX
from tests.demands.test_story import EMPLOYMENT
from tests.hardening.support import tokens_for
from tests.hardening.test_concurrency import run_together

D = "/api/v1/demands"
PERSONAS = {"tax": ("steward", TAX), "hrss": ("steward", HRSS), "coordinator": ("coordinator", None)}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    if request.param == "sqlite":
        application = create_app(Settings(data_dir=tmp_path / "data"))
        load_departments(db=application.state.db)
        application.state.clock = FixedClock(START)
        yield application
        application.state.db.dispose()
        return
    with postgres_database("mulu_demands") as (db, url):
        load_departments(db=db)
        application = create_app(Settings(data_dir=tmp_path / "data", database_url=url), db=db)
        application.state.clock = FixedClock(START)
        yield application


def unmet_demand(client: TestClient, t: dict[str, dict[str, str]]) -> int:
    res = client.post(D, json=EMPLOYMENT, headers=t["tax"])
    assert res.status_code == 201, res.text
    demand_id = res.json()["id"]
    assert client.post(f"{D}/{demand_id}/unmet", headers=t["tax"]).status_code == 200
    return int(demand_id)


def count(app: Any, query: Any) -> int:
    with app.state.db.session() as s:
        return int(s.execute(query).scalar_one())


def test_forty_parallel_answers_to_one_duty_move_it_once(app: Any) -> None:
    t = tokens_for(app.state.db, PERSONAS)
    client = TestClient(app)
    demand_id = unmet_demand(client, t)
    res = client.post(f"{D}/{demand_id}/assign", headers=t["coordinator"], json={"departments": [HRSS]})
    duty_id = res.json()["duties"][0]["id"]
    answers = [("will-provide", {"target_date": "2025-10-31"}), ("cannot", {"reason": "无此数据"}),
               ("not-ours", {"reason": "非本部门"})]

    def answer(i: int) -> int:
        path, body = answers[i % 3]
        return client.post(f"{D}/duties/{duty_id}/{path}", headers=t["hrss"], json=body).status_code

    codes = Counter(run_together(40, answer, workers=40))
    assert codes == {200: 1, 409: 39}, codes
    assert count(app, select(func.count()).select_from(DemandEvent).where(DemandEvent.event.like("duty.%"))) == 1
    assert count(app, select(func.count()).select_from(AuditEntry).where(AuditEntry.action.like("demand.duty.%"))) == 1


def test_forty_parallel_assignments_of_one_department_make_one_duty(app: Any) -> None:
    t = tokens_for(app.state.db, PERSONAS)
    client = TestClient(app)
    demand_id = unmet_demand(client, t)
    codes = Counter(run_together(40, lambda i: client.post(f"{D}/{demand_id}/assign", headers=t["coordinator"],
                                                           json={"departments": [HRSS]}).status_code, workers=40))
    assert codes == {200: 1, 409: 39}, codes
    assert count(app, select(func.count()).select_from(Duty).where(Duty.demand_id == demand_id)) == 1


def test_twenty_parallel_assignments_of_different_departments_are_all_kept(app: Any) -> None:
    t = tokens_for(app.state.db, PERSONAS)
    client = TestClient(app)
    demand_id = unmet_demand(client, t)
    with app.state.db.session() as s:
        departments = [c for c in s.execute(select(Department.code).order_by(Department.code)).scalars() if c != TAX][:20]
    codes = Counter(run_together(20, lambda i: client.post(f"{D}/{demand_id}/assign", headers=t["coordinator"],
                                                           json={"departments": [departments[i]]}).status_code,
                                 workers=20))
    assert codes == {200: 20}, codes
    with app.state.db.session() as s:
        made = sorted(s.execute(select(Duty.department_code).where(Duty.demand_id == demand_id)).scalars())
    assert made == departments
    assert count(app, select(func.count()).select_from(DemandEvent).where(DemandEvent.event == "assign")) == 20
