"""`mulu demands ...` through the real Typer app on a copy of the seeded catalogue."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from catalog.db import open_database
from catalog.settings import get_settings
from cli.main import app
from tests.demands.conftest import HRSS, TAX
from tests.demands.test_story import EMPLOYMENT, ENTERPRISE_REGISTRATION
from tests.hardening.support import copy_catalogue, tokens_for


@pytest.fixture
def mulu(seed_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    copy_catalogue(seed_dir, tmp_path / "data")
    monkeypatch.setenv("MULU_DATA_DIR", str(tmp_path / "data"))
    for name in ("MULU_DATABASE_URL", "MULU_TOKEN", "MULU_ELASTICSEARCH_URL"):
        monkeypatch.delenv(name, raising=False)
    db = open_database(get_settings())
    headers = tokens_for(db, {"tax": ("steward", TAX), "hrss": ("steward", HRSS), "coordinator": ("coordinator", None)})
    db.dispose()
    tokens = {k: v["Authorization"].removeprefix("Bearer ") for k, v in headers.items()}
    runner = CliRunner()

    def run(*args: str, token: str | None = None) -> Any:
        return runner.invoke(app, [*args, *(["--token", tokens[token]] if token else [])])
    return run


def test_a_need_from_registration_to_a_share_request_and_a_duty(mulu: Any) -> None:
    made = mulu("demands", "create", "--title", "企业设立登记信息", "--description", "多证合一联合登记",
                "--need", "DE0001", "--need", "企业名称", "--need", "法人代表", "--purpose", "税务登记",
                "--basis", "税收征收管理法第十五条", "--json", token="tax")
    assert made.exit_code == 0, made.output
    demand = json.loads(made.stdout)
    assert [n["element"] for n in demand["needs"]] == ["DE0001", "DE0002", "DE0003"]  # id, name, alias
    assert demand["proposals"][0]["coverage"] == "3/3"
    shown = mulu("demands", "show", str(demand["id"]), token="tax")
    assert shown.exit_code == 0 and ENTERPRISE_REGISTRATION in shown.output and "3/3" in shown.output
    accepted = mulu("demands", "accept", str(demand["id"]), "--resource", ENTERPRISE_REGISTRATION,
                    "--period-days", "365", "--json", token="tax")
    assert accepted.exit_code == 0, accepted.output
    assert json.loads(accepted.stdout)["status"] == "matched"

    other = json.loads(mulu("demands", "create", "--title", EMPLOYMENT["title"], "--description", "x",
                            "--need", "参保职工人数", "--purpose", "核定", "--basis", "条例", "--json", token="tax").stdout)
    assert mulu("demands", "unmet", str(other["id"]), token="tax").exit_code == 0
    denied = mulu("demands", "assign", str(other["id"]), "--department", HRSS, token="tax")
    assert denied.exit_code == 1 and "共享协调机构" in denied.output
    assert mulu("demands", "assign", str(other["id"]), "--department", HRSS, token="coordinator").exit_code == 0
    duties = json.loads(mulu("demands", "duties", "--json", token="hrss").stdout)
    [duty] = duties["data"]
    bad = mulu("demands", "will-provide", str(duty["id"]), "--target-date", "2025-02-30", token="hrss")
    assert bad.exit_code == 2 and "/target_date" in bad.output
    promised = mulu("demands", "will-provide", str(duty["id"]), "--target-date", "2099-12-31", "--json", token="hrss")
    assert promised.exit_code == 0 and json.loads(promised.stdout)["status"] == "promised"
    listed = mulu("demands", "list", token="hrss")
    assert listed.exit_code == 0 and EMPLOYMENT["title"] in listed.output
