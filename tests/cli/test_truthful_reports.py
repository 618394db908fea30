"""Validation reports tell the truth: an unreadable file is an error in every format, and
`mulu standards` refuses options it would ignore (issue: the first hour)."""
from __future__ import annotations

import json
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from typer.testing import CliRunner

from cli.main import app

ROOT = Path(__file__).resolve().parents[2]
VALID = ROOT / "tests" / "validation" / "valid_record.yaml"
runner = CliRunner()


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """One valid record and three unreadable files (empty, not UTF-8, broken YAML)."""
    shutil.copy(VALID, tmp_path / "a.yaml")
    (tmp_path / "empty.yaml").write_bytes(b"")
    (tmp_path / "gbk.yaml").write_bytes("name: 企业登记\n".encode("gbk"))
    (tmp_path / "broken.yaml").write_bytes(b"name: [x\n")
    return tmp_path


def test_an_empty_file_alone_is_not_all_valid(tmp_path: Path) -> None:
    empty = tmp_path / "empty.yaml"
    empty.write_bytes(b"")
    result = run("validate", str(empty))
    assert result.exit_code == 2
    assert "全部合格" not in result.output
    assert "1 个文件无法读取" in result.output and "错误 1" in result.output


@pytest.mark.parametrize("command", ["validate", "audit"])
def test_junit_lists_unreadable_files_as_errors(tree: Path, command: str) -> None:
    result = run(command, str(tree), "--format", "junit")
    assert result.exit_code == 2
    suite = ET.fromstring(result.stdout)
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == ("4", "0", "3")
    errored = {Path(case.get("name")).name for case in suite.iter("testcase") if case.find("error") is not None}
    assert errored == {"empty.yaml", "gbk.yaml", "broken.yaml"}


def test_audit_table_counts_unreadable_files(tree: Path) -> None:
    result = run("audit", str(tree))
    assert result.exit_code == 2
    assert "全部合格" not in result.stdout and "3 个文件无法读取" in result.stdout


def test_json_report_is_not_valid_with_unreadable_files(tree: Path) -> None:
    body = json.loads(run("validate", str(tree), "--format", "json").stdout)
    assert body["valid"] is False and len(body["unreadable"]) == 3


@pytest.mark.parametrize(("args", "accepted"), [
    (("standards", "show", "naming", "--format", "junit"), False),
    (("standards", "show", "naming", "--format", "table"), False),
    (("standards", "list", "--format", "junit"), False),
    (("standards", "show", "naming", "--format", "yaml"), True),
    (("standards", "show", "naming", "--format", "json"), True),
    (("standards", "list", "--format", "json"), True),
])
def test_standards_refuses_formats_it_would_ignore(args: tuple[str, ...], accepted: bool) -> None:
    result = run(*args)
    assert (result.exit_code == 0) is accepted, result.output
    if not accepted:
        assert result.exit_code == 2 and "--format" in result.output
