"""Notification fixtures: a catalogue with published resources (tests.sharing), people of three
departments and a coordinator as tokens, a fixed clock, a real SMTP server and a real HTTP receiver."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from catalog.auth import Actor, create_token
from catalog.db import Database
from catalog.notify import Notifier, NotifySettings
from catalog.notify.preferences import set_preferences
from catalog.sharing.calendar import WorkingCalendar
from catalog.sharing.clock import FixedClock
from tests.notify.receivers import LOOPBACK, HttpReceiver, SmtpServer
from tests.sharing.conftest import (  # noqa: F401  (fixtures)
    COORDINATOR, MARKET, POLICE, TAX, cal, clock, codes, db, run,
)

MARKET_STEWARD = Actor("市场监管局 张敏", "steward", MARKET)
MARKET_DEVELOPER = Actor("市场监管局 李开发", "developer", MARKET)
TAX_STEWARD = Actor("税务局 王芳", "steward", TAX)
TAX_DEVELOPER = Actor("税务局 赵工", "developer", TAX)
POLICE_STEWARD = Actor("公安局 陈警", "steward", POLICE)
PEOPLE = {"MS": MARKET_STEWARD, "MD": MARKET_DEVELOPER, "TS": TAX_STEWARD, "TD": TAX_DEVELOPER,
          "PS": POLICE_STEWARD, "C": COORDINATOR}
ADDRESS = {short: f"{short.lower()}@gov.example.cn" for short in PEOPLE}


@pytest.fixture
def people(db: Database) -> dict[str, str]:
    """A token for each person (secret by short name), each with an e-mail address."""
    secrets: dict[str, str] = {}
    with db.transaction() as session:
        for short, actor in PEOPLE.items():
            secrets[short], _ = create_token(session=session, role=actor.role, department_code=actor.department_code,
                                             name=actor.name)
            set_preferences(session=session, actor=actor, rules=[], email=ADDRESS[short])
    return secrets


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def receiver() -> Iterator[HttpReceiver]:
    server = HttpReceiver().start()
    yield server
    server.stop()


@pytest.fixture
def notifier(db: Database, cal: WorkingCalendar, clock: FixedClock, smtp: SmtpServer) -> Notifier:
    settings = NotifySettings(smtp_host="127.0.0.1", smtp_port=smtp.port, smtp_from="mulu@gov.example.cn",
                              remind_days=3, retry_base=30, retry_cap=600, failure_limit=4, http_timeout=5,
                              webhook_allow=LOOPBACK)
    return Notifier(db=db, settings=settings, calendar=cal, clock=clock)


def short_names(names: Any) -> set[str]:
    by_name = {a.name: s for s, a in PEOPLE.items()}
    return {by_name[n] for n in names}
