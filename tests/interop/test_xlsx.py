"""The Excel template: sheets and drop-downs, reading with findings by cell, xlsx → db → xlsx round trip."""
from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from catalog.auth import SYSTEM
from catalog.errors import InvalidInput
from catalog.interop.exports import catalogue_records
from catalog.interop.service import import_input
from catalog.interop.xlsx_reader import read_xlsx
from catalog.interop.xlsx_template import write_template
from catalog.interop.xlsx_writer import write_xlsx
from tests.interop.conftest import records


def _strip_code(recs):
    return [{k: v for k, v in r.items() if k != "code"} for r in recs]


def test_template_has_the_sheets_headers_and_drop_downs(tmp_path):
    path = write_template(tmp_path / "t.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["信息资源", "信息项", "接口", "代码表", "填写说明"]
    ws = wb["信息资源"]
    assert ws["C1"].value == "信息资源名称*" and ws["C2"].value == "name"
    paths = [c.value for c in ws[2]]
    assert {"share.type", "share.method.type", "open.to_public", "update_cycle", "format.category"} <= set(paths)
    lists = {dv.formula1 for dv in ws.data_validations.dataValidation}
    assert '"无条件共享,有条件共享,不予共享"' in lists and '"是,否"' in lists
    assert '"实时,每日,每周,每月,每季度,每半年,每年,不定期"' in lists
    assert any("C,N,Y,D" in dv.formula1 for dv in wb["信息项"].data_validations.dataValidation)
    assert any("不予共享" in (c.value or "") for c in wb["填写说明"]["A"])


def test_xlsx_round_trip_through_the_database_is_lossless(db, other_db, tmp_path):
    first = tmp_path / "first.xlsx"
    write_xlsx(records(), first)
    summary = import_input(db=db, actor=SYSTEM, fmt="xlsx", name=first.name, path=first)
    assert (summary.read, summary.stored) == (2, 2), summary.to_dict()["findings"]
    stored = catalogue_records(db=db)
    assert _strip_code(stored) == records()
    second = tmp_path / "second.xlsx"
    write_xlsx(stored, second)
    # the exported workbook, imported into another database, gives the same records, codes included
    again = import_input(db=other_db, actor=SYSTEM, fmt="xlsx", name=second.name, path=second)
    assert again.stored == 2
    assert catalogue_records(db=other_db) == stored
    third = tmp_path / "third.xlsx"
    write_xlsx(catalogue_records(db=other_db), third)
    assert [p.record for p in read_xlsx(third)] == [p.record for p in read_xlsx(second)]


def test_findings_name_sheet_row_and_column(db, tmp_path):
    bad = records()
    bad[0]["items"][1]["length"] = "十八"
    bad[0]["share"]["type"] = "随便共享"
    bad[1]["open"] = {"to_public": True}
    path = tmp_path / "bad.xlsx"
    write_xlsx(bad, path)
    summary = import_input(db=db, actor=SYSTEM, fmt="xlsx", name=path.name, path=path)
    assert (summary.stored, summary.skipped) == (0, 2)
    where = {(f.path, f.source) for f in summary.findings if f.severity == "error"}
    assert ("/items/1/length", "信息项!F4") in where
    assert ("/share/type", "信息资源!K3") in where
    assert ("/open/condition", "信息资源!P4") in where


def test_all_valid_rows_are_stored_unless_atomic(db, tmp_path):
    recs = records()
    recs[1]["update_cycle"] = "每十年"
    path = tmp_path / "mixed.xlsx"
    write_xlsx(recs, path)
    atomic = import_input(db=db, actor=SYSTEM, fmt="xlsx", name=path.name, path=path, atomic=True)
    assert (atomic.valid, atomic.stored, atomic.rolled_back) == (1, 0, True)
    assert catalogue_records(db=db) == []
    normal = import_input(db=db, actor=SYSTEM, fmt="xlsx", name=path.name, path=path)
    assert (normal.stored, normal.skipped) == (1, 1)
    assert [f.source for f in normal.findings if f.rule == "schema.enum"] == ["信息资源!Q4"]


def test_items_are_matched_by_row_id_and_orphans_reported(tmp_path):
    path = tmp_path / "t.xlsx"
    write_xlsx(records(), path)
    wb = load_workbook(path)
    wb["信息项"].append([9, "无此资源", "名称", "name", "C", 10])
    wb.save(path)
    parsed = read_xlsx(path)
    assert len(parsed[0].record["items"]) == 2
    assert [(f.rule, f.source) for f in parsed[0].findings] == [("xlsx.row-orphan", "信息项!R5")]


def test_typed_values_are_normalised(tmp_path):
    path = tmp_path / "t.xlsx"
    write_xlsx(records()[1:], path)
    wb = load_workbook(path)
    ws = wb["信息资源"]
    import datetime as dt
    ws["F3"] = 330782101  # a code typed as a number
    ws["R3"] = dt.datetime(2024, 5, 6)  # a date typed as a date
    ws["O3"] = "否"
    wb.save(path)
    [item] = read_xlsx(path)
    assert item.record["provider_code"] == "330782101"
    assert item.record["published_on"] == "2024-05-06"
    assert item.record["open"] == {"to_public": False}


@pytest.mark.parametrize("content", ["名称,分类\n企业,102001\n".encode("gbk"), b"\x00\x01garbage", b""])
def test_garbage_or_gbk_files_are_a_clear_error(tmp_path, content):
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    with pytest.raises(InvalidInput, match="不是有效的 Excel"):
        read_xlsx(path)


def test_a_workbook_without_the_resource_sheet_is_refused(tmp_path):
    from openpyxl import Workbook
    wb = Workbook()
    wb.active.title = "Sheet1"
    wb.save(tmp_path / "w.xlsx")
    with pytest.raises(InvalidInput, match="信息资源"):
        read_xlsx(Path(tmp_path / "w.xlsx"))
