"""Demand fixtures: the seed catalogue (loaded and indexed once per session into a SQLite file that each
test copies), the embedded search backend over it, a fixed clock and the sharing calendar; PostgreSQL
with a few resources for the concurrency tests."""
from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from catalog.auth import Actor
from catalog.db import Database, open_database
from catalog.search.base import SearchBackend
from catalog.search.factory import make_embedded
from catalog.settings import Settings
from catalog.sharing.calendar import WorkingCalendar, load_calendar
from catalog.sharing.clock import FixedClock
from catalog.standards import load_standards
from catalog.standards.model import Standards
from tests.hardening.support import copy_catalogue, seed_into

ROOT = Path(__file__).resolve().parents[2]
MARKET, POLICE, TAX, HRSS, DEVELOPMENT = "330782101", "330782102", "330782103", "330782104", "330782114"
# Tue 30 Sep 2025, 10:00 in 义乌: the day before the National Day week (1–8 Oct are holidays)
START = datetime(2025, 9, 30, 2, 0, tzinfo=UTC)

TAX_STEWARD = Actor("税务局数据管理员", "steward", TAX)
MARKET_STEWARD = Actor("市场监管局数据管理员", "steward", MARKET)
HRSS_STEWARD = Actor("人力社保局数据管理员", "steward", HRSS)
DEVELOPMENT_STEWARD = Actor("发改局数据管理员", "steward", DEVELOPMENT)
POLICE_STEWARD = Actor("公安局数据管理员", "steward", POLICE)
COORDINATOR = Actor("数据资源管理局协调员", "coordinator", None)
AUDITOR = Actor("审计员", "auditor", None)

JOINT = {"title": "企业设立登记信息 (多证合一联合登记)", "description": "办理新设企业税务登记时, 直接取用市场监管部门的企业登记信息, 不再要求企业重复提交。",
         "needs": ["统一社会信用代码", "企业名称", "法定代表人姓名"], "purpose": "新设企业税务登记 (多证合一)",
         "basis": "《中华人民共和国税收征收管理法》第十五条", "scenario": "企业开办一件事", "wanted_by": "2025-10-31"}


@pytest.fixture(scope="session")
def seed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seed catalogue, published and indexed, in one SQLite file (made once per test session)."""
    directory = tmp_path_factory.mktemp("demand-seed")
    seed_into(directory)
    return directory


@dataclass
class Seeded:
    """A copy of the seeded catalogue and what the demand services need beside the session."""
    db: Database
    backend: SearchBackend
    settings: Settings
    calendar: WorkingCalendar
    clock: FixedClock
    standards: Standards

    def run(self, fn: Callable[..., Any], **kwargs: Any) -> Any:
        """Call a demand service in one write transaction with the calendar and clock."""
        with self.db.transaction() as session:
            return fn(session=session, calendar=self.calendar, clock=self.clock, **kwargs)

    def create(self, actor: Actor, **fields: Any) -> Any:
        from catalog.demands.register import create_demand

        return self.run(create_demand, actor=actor, standards=self.standards, backend=self.backend, **fields)


@pytest.fixture
def seeded(seed_dir: Path, tmp_path: Path) -> Iterator[Seeded]:
    settings = copy_catalogue(seed_dir, tmp_path / "data")
    db = open_database(settings)
    backend = make_embedded(settings)
    yield Seeded(db=db, backend=backend, settings=settings, calendar=load_calendar(), clock=FixedClock(START),
                 standards=load_standards())
    backend.close()
    db.dispose()


PERSONAS = {"tax": ("steward", TAX), "market": ("steward", MARKET), "hrss": ("steward", HRSS),
            "police": ("steward", POLICE), "coordinator": ("coordinator", None), "auditor": ("auditor", None)}


@pytest.fixture
def site(seed_dir: Path, tmp_path: Path) -> Iterator[Any]:
    """The real app on a copy of the seeded catalogue (fixed clock), served on a loopback port; a token per
    persona (a `tests.web.conftest.Site`)."""
    from api.app import create_app
    from tests.hardening.support import tokens_for
    from tests.web.conftest import Site, serve

    app = create_app(copy_catalogue(seed_dir, tmp_path / "data"))
    app.state.clock = FixedClock(START)
    tokens = {k: v["Authorization"].removeprefix("Bearer ") for k, v in tokens_for(app.state.db, PERSONAS).items()}
    with serve(app) as url:
        yield Site(url=url, app=app, tokens=tokens)
    app.state.db.dispose()
