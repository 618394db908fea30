"""`mulu resources create|update|submit|publish|reject|withdraw|history|diff` on the local database,
the approved period in `mulu requests` printouts, and which database a command used."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from api.examples import RECORD
from catalog.auth import create_token
from catalog.db import open_database
from catalog.seeding import load_departments
from catalog.settings import get_settings
from cli.main import app

OWN = "330782101"


@pytest.fixture
def mulu(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("MULU_DATA_DIR", str(tmp_path / "data"))
    for name in ("MULU_DATABASE_URL", "MULU_TOKEN", "MULU_SERVER", "MULU_ELASTICSEARCH_URL"):
        monkeypatch.delenv(name, raising=False)
    db = open_database(get_settings())
    load_departments(db=db)
    tokens = {}
    with db.transaction() as session:
        for key, role, dept in (("steward", "steward", OWN), ("coordinator", "coordinator", None),
                                ("tax", "steward", "330782103")):
            tokens[key], _ = create_token(session=session, role=role, department_code=dept)
    db.dispose()
    runner = CliRunner()

    def run(*args: str, token: str | None = None) -> Any:
        return runner.invoke(app, [*args, *(["--token", tokens[token]] if token else [])])
    run.tmp = tmp_path
    return run


def test_the_whole_lifecycle_from_the_terminal(mulu: Any) -> None:
    record = mulu.tmp / "r.yaml"
    record.write_text(yaml.safe_dump(RECORD, allow_unicode=True), encoding="utf-8")
    made = mulu("resources", "create", str(record), token="steward")
    assert made.exit_code == 0, made.output
    code = made.stdout.strip()
    assert code.startswith("102001/") and "本地数据库" in made.stderr
    changed = dict(RECORD, abstract=RECORD["abstract"] + "（第二版）")
    record.write_text(yaml.safe_dump(changed, allow_unicode=True), encoding="utf-8")
    assert mulu("resources", "update", code, str(record), token="steward").exit_code == 0
    diff = mulu("resources", "diff", code)
    assert diff.exit_code == 0 and "/abstract" in diff.stdout and "第二版" in diff.stdout
    assert "草稿 draft → 待审核 submitted" in mulu("resources", "submit", code, token="steward").stdout
    denied = mulu("resources", "publish", code, token="steward")
    assert denied.exit_code == 1 and "无权" in denied.stderr
    rejected = mulu("resources", "reject", code, "--reason", "请补充共享依据", token="coordinator")
    assert rejected.exit_code == 0 and "→ 草稿 draft" in rejected.stdout
    mulu("resources", "submit", code, token="steward")
    assert "→ 已发布 published" in mulu("resources", "publish", code, token="coordinator").stdout
    assert "→ 已撤回 withdrawn" in mulu("resources", "withdraw", code, token="steward").stdout
    history = mulu("resources", "history", code, "--json")
    assert [v["version"] for v in __import__("json").loads(history.stdout)["data"]] == [1, 2]
    assert "(UTC+8)" in mulu("resources", "history", code).stdout


def test_several_codes_go_on_after_a_failure_and_exit_with_the_worst(mulu: Any) -> None:
    record = mulu.tmp / "r.yaml"
    codes = []
    for n in range(2):
        record.write_text(yaml.safe_dump(dict(RECORD, name=f"{RECORD['name']}{n}"), allow_unicode=True), "utf-8")
        codes.append(mulu("resources", "create", str(record), token="steward").stdout.strip())
    result = mulu("resources", "submit", codes[0], "102001/999999", codes[1], token="steward")
    assert result.exit_code == 1
    assert result.stdout.count("→ 待审核 submitted") == 2 and "102001/999999" in result.stderr


def test_an_invalid_record_is_not_registered(mulu: Any) -> None:
    record = mulu.tmp / "bad.yaml"
    record.write_text(yaml.safe_dump({k: v for k, v in RECORD.items() if k != "abstract"}, allow_unicode=True),
                      encoding="utf-8")
    result = mulu("resources", "create", str(record), token="steward")
    assert result.exit_code == 1 and "/abstract" in result.stderr and result.stdout == ""


def test_requests_printout_shows_the_approved_period(mulu: Any) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text("utf-8")
    record = mulu.tmp / "my-resource.yaml"  # the README's example: 有条件共享, so the provider decides
    record.write_text("#" + readme.split("```yaml\n#", 1)[1].split("```", 1)[0], encoding="utf-8")
    made = mulu("resources", "create", str(record), token="steward")
    assert made.exit_code == 0, made.output
    code = made.stdout.strip()
    mulu("resources", "submit", code, token="steward")
    mulu("resources", "publish", code, token="coordinator")
    made = mulu("requests", "create", code, "--purpose", "核对", "--basis", "依据", "--period-days", "365",
                token="tax")
    assert made.exit_code == 0, made.output
    request_id = made.stdout.split()[1]
    approved = mulu("requests", "approve", request_id, "--period-days", "180", token="steward")
    lines = {line.split()[0]: line.split()[-1] for line in approved.stdout.splitlines()[1:] if line.strip()}
    assert lines["申请期限(天)"] == "365" and lines["批准期限(天)"] == "180"


def test_token_create_says_which_database_and_warns_when_it_is_empty(mulu: Any) -> None:
    result = CliRunner().invoke(app, ["token", "create", "--role", "admin"])
    assert result.exit_code == 0
    assert str(mulu.tmp / "data" / "mulu.db") in result.stderr and "还没有资源" in result.stderr
    search = CliRunner().invoke(app, ["search", "企业"])
    assert "没有资源" in search.stderr and "--server" in search.stderr


def test_search_prints_nearby_resources_after_a_short_page(mulu: Any) -> None:
    record = mulu.tmp / "r.yaml"
    for name in ("建设项目环评审批结果", "环境影响报告表备案"):
        record.write_text(yaml.safe_dump(dict(RECORD, name=name), allow_unicode=True), encoding="utf-8")
        assert mulu("resources", "create", str(record), token="steward").exit_code == 0
    found = mulu("search", "环评", "--all", "--size", "5")
    assert found.exit_code == 0, found.output
    hits, _, near = found.stdout.partition("相近的资源（与查询部分匹配）")
    assert "建设项目环评审批结果" in hits and "环境影响报告表备案" in near and "环境影响报告表备案" not in hits


def test_a_filter_selects_the_records_of_a_bulk_step(mulu: Any) -> None:
    """`--filter KEY=VALUE` chooses what a bulk submit/publish/withdraw takes; refusals are listed, exit 1."""
    record = mulu.tmp / "r.yaml"
    codes = []
    for i in range(3):
        record.write_text(yaml.safe_dump(dict(RECORD, name=f"{RECORD['name']}（第{i}批）"), allow_unicode=True),
                          encoding="utf-8")
        codes.append(mulu("resources", "create", str(record), token="steward").stdout.strip())
    mulu("resources", "submit", codes[0], token="steward")  # already submitted: the filter below skips it
    submitted = mulu("resources", "submit", "--filter", "state=draft", "--filter", f"provider_code={OWN}",
                     token="steward")
    assert submitted.exit_code == 0, submitted.output
    assert sorted(line.split()[0] for line in submitted.stdout.splitlines()) == sorted(codes[1:])
    assert "选中 2 条，完成 2 条" in submitted.stderr
    denied = mulu("resources", "publish", "--filter", "state=submitted", token="steward")
    assert denied.exit_code == 1 and denied.stderr.count("无权") == 3 and "完成 0 条" in denied.stderr
    published = mulu("resources", "publish", "--filter", "state=submitted", token="coordinator")
    assert published.exit_code == 0 and published.stdout.count("已发布 published") == 3
    assert mulu("resources", "withdraw", "--filter", "state=published", "--filter", "classification=102001",
                token="coordinator").stdout.count("已撤回 withdrawn") == 3
    bad = mulu("resources", "withdraw", "--filter", "colour=red", token="coordinator")
    assert bad.exit_code == 2 and "KEY=VALUE" in bad.stderr
    both = mulu("resources", "submit", codes[0], "--filter", "state=draft", token="steward")
    assert both.exit_code == 2
