"""YAML tree export (seed layout) and the yaml → db → yaml round trip."""
from __future__ import annotations

from catalog.auth import SYSTEM
from catalog.interop.exports import catalogue_records
from catalog.interop.service import import_input
from catalog.interop.yaml_tree import write_yaml_tree
from tests.interop.conftest import records


def test_yaml_round_trip_through_the_database_is_lossless(db, tmp_path):
    recs = records()
    recs[0]["code"], recs[1]["code"] = "102001/000007", "102002/000001"
    first = tmp_path / "first"
    write_yaml_tree(recs, first)
    assert sorted(p.relative_to(first).as_posix() for p in first.rglob("*.yaml")) == [
        "330782101/102001-000007.yaml", "330782101/102002-000001.yaml"]
    summary = import_input(db=db, actor=SYSTEM, fmt="yaml", name="first", path=first)
    assert summary.stored == 2, summary.to_dict()["findings"]
    stored = catalogue_records(db=db)
    assert sorted(stored, key=lambda r: r["code"]) == sorted(recs, key=lambda r: r["code"])
    second = tmp_path / "second"
    write_yaml_tree(stored, second)
    for path in first.rglob("*.yaml"):
        assert (second / path.relative_to(first)).read_text(encoding="utf-8") == path.read_text(encoding="utf-8")


def test_an_unreadable_record_file_is_a_finding_not_a_crash(db, tmp_path):
    (tmp_path / "bad.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    write_yaml_tree([{**records()[1], "code": "102002/000003"}], tmp_path)
    summary = import_input(db=db, actor=SYSTEM, fmt="yaml", name="tree", path=tmp_path)
    assert (summary.read, summary.stored) == (2, 1)
    assert [f.rule for f in summary.findings if f.severity == "error"] == ["import.unreadable"]
