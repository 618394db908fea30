"""`mulu validate`, `mulu audit`, `mulu standards` through the real Typer app: output and exit codes."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from typer.testing import CliRunner

from cli.main import app

ROOT = Path(__file__).resolve().parents[2]
VALID = ROOT / "tests" / "validation" / "valid_record.yaml"
EXAMPLES = ROOT / "tests" / "invalid_records"
runner = CliRunner()


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


def test_validate_valid_file_exits_0() -> None:
    result = run("validate", str(VALID))
    assert result.exit_code == 0, result.output
    assert "全部合格" in result.output


def test_validate_invalid_file_exits_1_and_names_rule() -> None:
    result = run("validate", "--format", "json", str(EXAMPLES / "share-condition-required.yaml"))
    assert result.exit_code == 1
    body = json.loads(result.stdout)
    [finding] = [f for f in body["reports"][0]["findings"] if f["severity"] == "error"]
    assert (finding["rule"], finding["path"]) == ("share.condition-required", "/share/condition")


def test_warnings_only_exit_0() -> None:
    result = run("validate", str(EXAMPLES / "naming-near-miss.yaml"))
    assert result.exit_code == 0 and "naming.near-miss" in result.output


@pytest.mark.parametrize(("content", "needle"), [
    ("name: 企业登记\n".encode("gbk"), "不是 UTF-8"),
    (b"", "文件为空"),
    (b"name: [x\n", "YAML 格式错误"),
    (b'name: x\nopen:\n  to_public: !!bool "fals"\n', "值无法按其类型读取"),  # was a KeyError traceback
    (b"name: x\nlength: 1" + b"0" * 5000 + b"\n", "值无法按其类型读取"),  # past Python's int digit limit
])
def test_unreadable_input_exits_2_naming_the_file(tmp_path: Path, content: bytes, needle: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    result = run("validate", str(VALID), str(path))
    assert result.exit_code == 2
    assert needle in result.output and "bad.yaml" in result.output
    assert "Traceback" not in result.output


def test_directory_without_records_exits_2(tmp_path: Path) -> None:
    result = run("audit", str(tmp_path))
    assert result.exit_code == 2 and "没有找到资源记录文件" in result.output


def test_missing_path_exits_2(tmp_path: Path) -> None:
    result = run("validate", str(tmp_path / "nope"))
    assert result.exit_code == 2 and "不存在" in result.output


def test_audit_table_with_cross_rules_and_summary(tmp_path: Path) -> None:
    shutil.copy(VALID, tmp_path / "a.yaml")
    shutil.copy(EXAMPLES / "cross-duplicate-name.yaml", tmp_path / "b.yaml")
    result = run("audit", str(tmp_path))
    assert result.exit_code == 1
    assert "cross.duplicate-name" in result.output and "330782101" in result.output
    assert "按提供方汇总" in result.output


def test_audit_json_and_junit_to_file(tmp_path: Path) -> None:
    records = tmp_path / "records"
    records.mkdir()
    shutil.copy(VALID, records / "a.yaml")
    out = tmp_path / "report.json"
    result = run("audit", str(records), "--format", "json", "--output", str(out))
    assert result.exit_code == 0, result.output
    body = json.loads(out.read_text("utf-8"))
    assert body["valid"] is True and body["records"] == 1
    assert body["summary"][0]["provider"] == "义乌市市场监督管理局"
    shutil.copy(EXAMPLES / "schema-enum.yaml", records / "b.yaml")
    junit = tmp_path / "report.xml"
    result = run("audit", str(records), "--format", "junit", "-o", str(junit))
    assert result.exit_code == 1
    suite = ET.parse(junit).getroot()
    assert suite.get("tests") == "2" and suite.get("failures") == "1"
    assert [f.get("type") for f in suite.iter("failure")] == ["schema.enum"]


def test_standards_list_and_show() -> None:
    listed = run("standards", "list", "--format", "json")
    assert listed.exit_code == 0
    assert "core-metadata" in {row["id"] for row in json.loads(listed.stdout)}
    shown = run("standards", "show", "naming", "--format", "json")
    assert shown.exit_code == 0 and json.loads(shown.stdout)["identifier"]["max_length"] == 40
    assert "id: code-lists" in run("standards", "show", "code-lists").stdout
    unknown = run("standards", "show", "nope")
    assert unknown.exit_code == 2 and "没有标准" in unknown.output


def test_broken_standards_dir_exits_2(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "cli.main", "validate", str(VALID)], cwd=ROOT, capture_output=True, text=True,
        env={"MULU_STANDARDS_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}, timeout=60,
    )
    assert result.returncode == 2 and "缺少标准文件" in result.stderr and "Traceback" not in result.stderr


def test_console_script_is_wired() -> None:
    result = subprocess.run([sys.executable, "-m", "cli.main", "--help"], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0 and "audit" in result.stdout and "validate" in result.stdout


def _as_mulu(text: str) -> list[str]:
    """The lines of a command's output, the program name (`python -m cli.entry|cli.main`) read as `mulu`."""
    return [line.rstrip(" │") for line in re.sub(r"python -m cli\.\w+", "mulu", text).splitlines()]


def test_the_console_script_runs_the_record_commands_without_the_database_layer(tmp_path: Path) -> None:
    """`mulu` is `cli.entry:main`: `validate` and `audit` come from an app of their own two modules, which
    imports no database layer and no other command, and answer exactly as the full app does."""
    imported = subprocess.run(
        [sys.executable, "-c", "import sys, cli.entry; print(sorted(m for m in sys.modules if m.startswith("
                               "('sqlalchemy', 'sqlmodel', 'fastapi', 'catalog.db', 'cli.serve'))))"],
        cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert imported.returncode == 0 and imported.stdout.strip() == "[]", imported.stdout + imported.stderr
    (tmp_path / "bad.yaml").write_text("name: x\n", encoding="utf-8")
    (tmp_path / "good.yaml").write_bytes(VALID.read_bytes())
    for args in (["audit", str(tmp_path), "--format", "json"], ["validate", str(tmp_path), "--format", "json"],
                 ["audit", str(tmp_path / "nope")], ["audit", "--help"], ["audit"]):
        lean, full = (subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True,
                                     text=True, timeout=120) for module in ("cli.entry", "cli.main"))
        assert lean.returncode == full.returncode and _as_mulu(lean.stdout) == _as_mulu(full.stdout), args
        assert _as_mulu(lean.stderr) == _as_mulu(full.stderr), args
    assert lean.returncode == 2 and full.returncode == 2  # `mulu audit` without a folder: a usage error
    listed = subprocess.run([sys.executable, "-m", "cli.entry", "--help"], cwd=ROOT, capture_output=True,
                            text=True, timeout=60)
    assert listed.returncode == 0 and "cascade" in listed.stdout and "audit" in listed.stdout


def test_token_list_and_revoke(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`mulu token list` shows name, role, department, created, revoked (never the secret); `revoke` by name or id."""
    from catalog.auth import actor_for_token
    from catalog.db import open_database
    from catalog.errors import Unauthenticated
    from catalog.settings import Settings

    monkeypatch.setenv("MULU_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("MULU_DATABASE_URL", raising=False)
    created = run("token", "create", "--role", "steward", "--department", "330782101", "--name", "市场监管数据员")
    assert created.exit_code == 0, created.output
    secret = created.stdout.strip().splitlines()[-1]
    assert run("token", "create", "--role", "developer").exit_code == 0
    listed = run("token", "list", "--json")
    assert listed.exit_code == 0, listed.output
    rows = {r["name"]: r for r in json.loads(listed.stdout)["data"]}
    assert rows["市场监管数据员"]["role"] == "steward" and rows["市场监管数据员"]["department_code"] == "330782101"
    assert rows["市场监管数据员"]["revoked"] is False and secret not in listed.stdout
    table = run("token", "list")
    assert table.exit_code == 0 and "市场监管数据员" in table.stdout and "developer" in table.stdout
    revoked = run("token", "revoke", "市场监管数据员")
    assert revoked.exit_code == 0, revoked.output
    assert json.loads(run("token", "list", "--json").stdout)["data"][0]["revoked"] is True
    db = open_database(Settings(data_dir=tmp_path / "data"))
    with db.session() as session, pytest.raises(Unauthenticated):
        actor_for_token(session=session, token=secret)
    db.dispose()
    again = run("token", "revoke", "市场监管数据员")
    # conflict and not-found exit 1 in every command (the exit-code table in cli/output.py)
    assert again.exit_code == 1 and "已" in again.output
    assert run("token", "revoke", "不存在的令牌").exit_code == 1
    by_id = run("token", "revoke", str(rows["developer"]["id"]))
    assert by_id.exit_code == 0, by_id.output
    assert run("audit-log", "verify").exit_code == 0
