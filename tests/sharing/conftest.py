"""Sharing fixtures: a real SQLite catalogue with three published resources, actors, a fixed clock."""
from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from api.examples import RECORD
from catalog.auth import SYSTEM, Actor
from catalog.db import Database
from catalog.registry import register_records
from catalog.seeding import load_departments
from catalog.sharing.calendar import WorkingCalendar, load_calendar
from catalog.sharing.clock import FixedClock
from tests.databases import any_database

MARKET, POLICE, TAX = "330782101", "330782102", "330782103"
# Tue 30 Sep 2025, 10:00 in 义乌: the day before the National Day week
START = datetime(2025, 9, 30, 2, 0, tzinfo=UTC)

MARKET_STEWARD = Actor("市场监管局数据管理员", "steward", MARKET)
TAX_STEWARD = Actor("税务局数据管理员", "steward", TAX)
TAX_DEVELOPER = Actor("税务局开发者", "developer", TAX)
POLICE_STEWARD = Actor("公安局数据管理员", "steward", POLICE)
COORDINATOR = Actor("数据资源管理局协调员", "coordinator", None)
AUDITOR = Actor("审计员", "auditor", None)

ITEMS = ["unified_social_credit_code", "enterprise_name", "legal_representative_name"]


def record(name: str, *, classification: str, share: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A valid market-regulation record with three items and the given share block."""
    rec = copy.deepcopy(RECORD)
    rec.update(name=name, classification=classification, share=share, **extra)
    rec["items"].append({"name": "法定代表人姓名", "identifier": "legal_representative_name", "data_type": "C",
                         "length": 50})
    return rec


METHOD = {"category": "共享平台", "type": "数据库"}
UNCONDITIONAL = record("企业登记基本信息", classification="102001", share={"type": "无条件共享", "method": METHOD})
CONDITIONAL = record("企业设立登记信息", classification="301001330782101",
                     share={"type": "有条件共享", "condition": "仅用于税务登记等法定职责, 不得向第三方提供",
                            "method": METHOD})
NOT_SHARED = record("企业信用监管内部工作底稿", classification="301006330782101",
                    share={"type": "不予共享", "condition": "《中华人民共和国保守国家秘密法》第九条: 内部工作秘密",
                           "method": METHOD})


def publish(db: Database, records: list[dict[str, Any]]) -> list[str]:
    with db.transaction() as session:
        outcomes = register_records(session=session, actor=SYSTEM, records=records, state="published")
    assert all(o.ok for o in outcomes), [o.to_dict() for o in outcomes if not o.ok]
    return [o.code or "" for o in outcomes]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A temporary SQLite file, or a fresh PostgreSQL schema (dropped after), with the departments."""
    with any_database(request.param, tmp_path, prefix="mulu_sharing") as database:
        load_departments(db=database)
        yield database


@pytest.fixture
def codes(db: Database) -> dict[str, str]:
    unconditional, conditional, not_shared = publish(db, [UNCONDITIONAL, CONDITIONAL, NOT_SHARED])
    return {"unconditional": unconditional, "conditional": conditional, "not_shared": not_shared}


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def cal() -> WorkingCalendar:
    return load_calendar()


@pytest.fixture
def run(db: Database, cal: WorkingCalendar, clock: FixedClock) -> Callable[..., Any]:
    """run(fn, **kw): call a sharing service in one write transaction with the calendar and clock."""
    def call(fn: Callable[..., Any], **kwargs: Any) -> Any:
        with db.transaction() as session:
            return fn(session=session, calendar=cal, clock=clock, **kwargs)
    return call
