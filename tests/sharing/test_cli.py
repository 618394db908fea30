"""`mulu requests|grants|feedback` and `mulu report` through the real Typer app on a seeded SQLite file."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from catalog.auth import create_token
from catalog.db import open_database
from catalog.seeding import default_seed_dir, seed_catalogue
from catalog.settings import get_settings
from cli.main import app
from tests.sharing.conftest import MARKET, TAX

REGISTRATION = "301001330782101/000001"  # 企业设立登记信息, 有条件共享


@pytest.fixture
def mulu(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("MULU_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("MULU_DATABASE_URL", raising=False)
    monkeypatch.delenv("MULU_TOKEN", raising=False)
    settings = get_settings()
    db = open_database(settings)
    assert seed_catalogue(db=db, directory=default_seed_dir(settings)).loaded
    tokens = {}
    with db.transaction() as session:
        for key, role, dept in (("tax", "steward", TAX), ("market", "steward", MARKET)):
            tokens[key], _ = create_token(session=session, role=role, department_code=dept)
    db.dispose()
    runner = CliRunner()

    def run(*args: str, token: str | None = None) -> Any:
        return runner.invoke(app, [*args, *(["--token", tokens[token]] if token else [])])
    return run


def test_request_approve_and_grant_from_the_terminal(mulu: Any) -> None:
    made = mulu("requests", "create", REGISTRATION, "--purpose", "税务登记", "--basis", "税收征收管理法第十五条",
                "--item", "unified_social_credit_code", "--item", "enterprise_name", "--period-days", "90",
                "--json", token="tax")
    assert made.exit_code == 0, made.output
    req = json.loads(made.stdout)
    assert req["status"] == "pending" and req["requester_code"] == TAX
    denied = mulu("requests", "approve", str(req["id"]), token="tax")
    assert denied.exit_code == 1 and "提供方" in denied.output
    bad = mulu("requests", "approve", str(req["id"]), "--item", "citizen_id_number", token="market")
    assert bad.exit_code == 2 and "/items/0" in bad.output
    ok = mulu("requests", "approve", str(req["id"]), "--item", "enterprise_name", "--json", token="market")
    assert ok.exit_code == 0 and json.loads(ok.stdout)["approved_items"] == ["enterprise_name"]
    listed = mulu("grants", "list", "--department", TAX, "--json", token="tax")
    assert json.loads(listed.stdout)["data"][0]["items"] == ["enterprise_name"]
    shown = mulu("requests", "list", token="market")
    assert shown.exit_code == 0 and "企业设立登记信息" in shown.output


def test_report_formats(mulu: Any) -> None:
    mulu("requests", "create", REGISTRATION, "--purpose", "p", "--basis", "b", "--period-days", "30", token="tax")
    as_json = mulu("report", "--format", "json")
    assert as_json.exit_code == 0, as_json.output
    data = json.loads(as_json.stdout)
    market = next(r for r in data["departments"] if r["department_code"] == MARKET)
    assert market["requests"]["received"] == 1 and market["requests"]["pending"] == 1
    as_csv = mulu("report", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert rows[-1]["department_code"] == "*" and rows[-1]["requests.received"] == "1"
    assert int(rows[-1]["resources.total"]) == data["overall"]["resources"]["total"] > 100
    table = mulu("report")
    assert table.exit_code == 0 and "义乌市市场监督管理局" in table.output


def test_unknown_request_and_bad_token(mulu: Any) -> None:
    missing = mulu("requests", "show", "42")
    assert missing.exit_code == 1 and "不存在" in missing.output
    result = CliRunner().invoke(app, ["requests", "list", "--token", "mulu_nope"])
    assert result.exit_code == 2 and "令牌" in result.output
