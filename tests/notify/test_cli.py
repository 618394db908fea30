"""`mulu notify ...` as a user types it (a subprocess against a SQLite catalogue and a real SMTP server):
`mulu notify run` writes the reminders that fell due and sends them; running it again sends nothing."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from catalog.auth import create_token
from catalog.notify.preferences import set_preferences
from catalog.settings import Settings
from catalog.db import open_database
from catalog.seeding import load_departments
from catalog.sharing import requests
from catalog.sharing.calendar import load_calendar
from catalog.sharing.clock import FixedClock
from tests.notify.conftest import MARKET_STEWARD, TAX_STEWARD
from tests.notify.receivers import SmtpServer
from tests.sharing.conftest import CONDITIONAL, START, publish

ROOT = Path(__file__).resolve().parents[2]


def mulu(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cli.main", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT), **env}, timeout=120)


def test_notify_run_for_cron(tmp_path: Path, smtp: SmtpServer) -> None:
    data = tmp_path / "data"
    db = open_database(Settings(data_dir=data))
    load_departments(db=db)
    [code] = publish(db, [CONDITIONAL])
    with db.transaction() as session:
        token, _ = create_token(session=session, role="steward", department_code=MARKET_STEWARD.department_code,
                                name=MARKET_STEWARD.name)
        create_token(session=session, role="steward", department_code=TAX_STEWARD.department_code,
                     name=TAX_STEWARD.name)
        set_preferences(session=session, actor=MARKET_STEWARD, rules=[], email="ms@gov.example.cn")
        req = requests.create_request(session=session, actor=TAX_STEWARD, calendar=load_calendar(),
                                      clock=FixedClock(START), resource_code=code, purpose="核验", basis="业务需要",
                                      period_days=30)
    db.dispose()
    env = {"MULU_DATA_DIR": str(data), "MULU_SMTP_HOST": "127.0.0.1", "MULU_SMTP_PORT": str(smtp.port),
           "MULU_NOTIFY_REMIND_DAYS": "2"}
    first = mulu(env, "notify", "run", "--at", "2025-10-17T09:00:00+08:00", "--json")  # due Tue 21 Oct: 2 left
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == {"reminders": 1, "delivered": 2, "failed": 0}  # + the request itself
    again = mulu(env, "notify", "run", "--at", "2025-10-17T15:00:00+08:00", "--json")
    assert json.loads(again.stdout) == {"reminders": 0, "delivered": 0, "failed": 0}
    assert sorted(m["X-Mulu-Event"] for m in smtp.messages) == ["share_request.created", "share_request.due_soon"]
    inbox: Any = json.loads(mulu({**env, "MULU_TOKEN": token}, "notify", "list", "--json").stdout)
    assert inbox["unread"] == 2 and inbox["data"][0]["kind"] == "share_request.due_soon"
    first_id = inbox["data"][0]["id"]
    assert mulu({**env, "MULU_TOKEN": token}, "notify", "read", str(first_id)).returncode == 0
    inbox = json.loads(mulu({**env, "MULU_TOKEN": token}, "notify", "list", "--unread", "--json").stdout)
    assert inbox["count"] == 1 and req.id is not None
    bad = mulu(env, "notify", "run", "--at", "yesterday")
    assert bad.returncode == 2 and "ISO 8601" in bad.stderr
