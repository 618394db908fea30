"""Lossless import of the real cn-open-data entries through the shipped portal mappings."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalog.auth import SYSTEM
from catalog.interop.harvest_sources import harvest_input
from tests.harvest.conftest import MAPPINGS


def entries(samples: Path) -> tuple[bytes, list[dict]]:
    data = (samples / "cn-open-data" / "entries.json").read_bytes()
    return data, json.loads(data)["entries"]


def import_portal(db, samples: Path, portal: str, **options):
    data, _ = entries(samples)
    return harvest_input(db=db, actor=SYSTEM, fmt="mapped", name="entries.json", data=data,
                         mapping_path=MAPPINGS / f"{portal}.yaml", **options)


def assert_balanced(report) -> None:
    c = report.counts()
    assert c["read"] == c["created"] + c["updated"] + c["staged"] + c["duplicates"]
    assert report.to_dict()["balanced"] is True
    assert all(s["findings"] and any(f["severity"] == "error" for f in s["findings"]) for s in report.staged)


@pytest.mark.parametrize("portal,file", [("huainan", "anhui_huainan.json"), ("suzhou", "anhui_suzhou.json")])
def test_every_entry_of_a_portal_is_accounted_for(db, samples, portal, file):
    _, rows = entries(samples)
    expected = [r for r in rows if r["source"].endswith(file)]
    report = import_portal(db, samples, portal)
    assert report.read == len(expected)
    assert_balanced(report)
    # No portal publishes field lists, 淮南 has no abstracts: nothing is invented, so records are staged.
    if portal == "huainan":
        assert report.counts()["staged"] == len(expected)
        assert all(any(f["path"] == "/abstract" for f in s["findings"]) for s in report.staged)


def test_same_named_departments_of_two_cities_get_their_own_codes(db, samples):
    import_portal(db, samples, "huainan")
    import_portal(db, samples, "suzhou")
    from catalog.departments import list_departments

    with db.session() as session:
        rows = list_departments(session=session)
        by_name: dict[str, list[str]] = {}
        for d in rows:
            by_name.setdefault(d.name, []).append(d.code)
    # 市应急管理局 is a provider on both portals (宿州's 市… and 淮南's 淮南市…); each city keeps its own.
    huainan = [c for codes in by_name.values() for c in codes if c.startswith("340400")]
    suzhou = [c for codes in by_name.values() for c in codes if c.startswith("341300")]
    assert huainan and suzhou and not set(huainan) & set(suzhou)
    with db.session() as session:
        from catalog.models import Division

        assert session.get(Division, "341300").name == "宿州市"
        assert session.get(Division, "341300").parent_code == "340000"


def test_reimport_changes_nothing_and_keeps_one_staged_record_per_entry(db, samples):
    first = import_portal(db, samples, "huainan")
    again = import_portal(db, samples, "huainan")
    assert_balanced(again)
    assert again.counts()["staged"] == first.counts()["staged"]
    assert again.counts()["departments_created"] == 0
    from sqlalchemy import func, select

    from catalog.models import ImportRun, StagedRecord

    with db.session() as session:
        assert session.execute(select(func.count()).select_from(StagedRecord)).scalar_one() == first.read
        assert session.execute(select(func.count()).select_from(ImportRun)).scalar_one() == 2


def test_cli_mapped_import_writes_the_report(tmp_path, samples):
    from typer.testing import CliRunner

    from cli.main import app

    report = tmp_path / "report.json"
    result = CliRunner().invoke(app, [
        "import", str(samples / "cn-open-data" / "entries.json"), "--format", "mapped",
        "--mapping", str(MAPPINGS / "huainan.yaml"), "--output", str(report)],
        env={"MULU_DATA_DIR": str(tmp_path / "data")})
    assert result.exit_code == 1, result.output  # staged records: findings to fix
    body = json.loads(report.read_text(encoding="utf-8"))
    assert body["read"] == body["created"] + body["updated"] + body["staged"] + body["duplicates"] > 0
    assert all(s["findings"] for s in body["staged_records"])
    runs = CliRunner().invoke(app, ["import-runs"], env={"MULU_DATA_DIR": str(tmp_path / "data")})
    assert runs.exit_code == 0 and "cn-open-data/anhui-huainan" in runs.output


def test_cli_lists_shows_and_fixes_a_staged_record(tmp_path, samples):
    from typer.testing import CliRunner

    import yaml

    from cli.main import app

    env = {"MULU_DATA_DIR": str(tmp_path / "data")}
    runner = CliRunner()
    runner.invoke(app, ["import", str(samples / "cn-open-data" / "entries.json"), "--format", "mapped",
                        "--mapping", str(MAPPINGS / "huainan.yaml")], env=env)
    listed = runner.invoke(app, ["staged", "list"], env=env)
    assert listed.exit_code == 0 and "/abstract" in listed.output
    shown = runner.invoke(app, ["staged", "show", "1"], env=env)
    assert shown.exit_code == 0
    record = json.loads(shown.stdout)
    record.update(abstract=f"{record['name']}：淮南市公开数据。", update_cycle="每年",
                  format={"category": "电子文件", "type": "pdf"})
    record["share"] = {"type": "无条件共享", "method": {"category": "共享平台", "type": "文件"}}
    fixed = tmp_path / "fixed.yaml"
    fixed.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(app, ["staged", "fix", "1", str(fixed), "--submit"], env=env)
    assert result.exit_code == 0, result.output
    assert "提交审核" in result.output
