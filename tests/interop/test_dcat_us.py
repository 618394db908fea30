"""DCAT-US 1.1: the crosswalk, messy feeds, the real samples through the real registry, schema-valid export."""
from __future__ import annotations

import json

import pytest

from catalog.auth import SYSTEM
from catalog.errors import InvalidInput
from catalog.interop.dcat_ap import to_dcat_ap
from catalog.interop.dcat_us import load_dcat_document, normalise_date, parse_dcat_us, to_dcat_us
from catalog.interop.exports import catalogue_records
from catalog.interop.publishers import DepartmentDirectory
from catalog.interop.service import import_input
from tests.interop.conftest import SAMPLES, records


def _dataset(**over):
    ds = {"identifier": "X-1", "title": "Air quality monitoring", "description": "Hourly readings.",
          "keyword": ["air quality"], "modified": "2020-01-02", "accessLevel": "public",
          "publisher": {"name": "Environment Office"}, "accrualPeriodicity": "R/P1D",
          "distribution": [{"downloadURL": "https://example.gov/a.pdf", "mediaType": "application/pdf"}]}
    ds.update(over)
    return {k: v for k, v in ds.items() if v is not None}


def _parse(*datasets, known=None):
    directory = DepartmentDirectory(known=known or {"330782101": "义乌市市场监督管理局"})
    return parse_dcat_us({"dataset": list(datasets)}, departments=directory), directory


@pytest.mark.parametrize("value, cycle, nearest", [
    ("R/PT1S", "实时", False), ("continuous", "实时", False), ("R/P1D", "每日", False), ("R/P1W", "每周", False),
    ("R/P1M", "每月", False), ("R/P3M", "每季度", False), ("R/P6M", "每半年", False), ("R/P1Y", "每年", False),
    ("irregular", "不定期", False), ("R/P2Y", "每年", True), ("R/P2W", "每月", True), ("R/PT1H", "实时", True),
])
def test_accrual_periodicity_maps_to_update_cycle(value, cycle, nearest):
    [item], _ = _parse(_dataset(accrualPeriodicity=value))
    assert item.record["update_cycle"] == cycle
    assert any(f.rule == "dcat.periodicity-nearest" for f in item.findings) is nearest


def test_unknown_or_missing_periodicity_is_irregular_with_a_warning():
    [a, b], _ = _parse(_dataset(accrualPeriodicity="sometimes"), _dataset(identifier="X-2", accrualPeriodicity=None))
    assert a.record["update_cycle"] == b.record["update_cycle"] == "不定期"
    assert "dcat.periodicity-unknown" in [f.rule for f in a.findings]
    assert "dcat.periodicity-missing" in [f.rule for f in b.findings]


@pytest.mark.parametrize("level, rights, share_type, to_public, error", [
    ("public", None, "无条件共享", True, None),
    ("restricted public", "须签署数据使用协议", "有条件共享", False, None),
    ("restricted public", None, "有条件共享", False, "dcat.rights-missing"),
    ("non-public", "依据《个人信息保护法》不予共享", "不予共享", False, None),
    ("non-public", None, "不予共享", False, "dcat.rights-missing"),
    ("secret", None, None, None, "dcat.access-level"),
])
def test_access_level_maps_to_share_and_open(level, rights, share_type, to_public, error):
    [item], _ = _parse(_dataset(accessLevel=level, rights=rights))
    errors = [f.rule for f in item.findings if f.severity == "error"]
    assert errors == ([error] if error else [])
    if share_type:
        assert item.record["share"]["type"] == share_type
        assert item.record["open"]["to_public"] is to_public
        if rights:
            assert item.record["share"]["condition"] == rights
        if to_public:
            assert item.record["open"]["condition"]


@pytest.mark.parametrize("raw, date, partial", [
    ("2014", "2014-01-01", True), ("2014-10", "2014-10-01", True), ("2014-10-03", "2014-10-03", False),
    ("2019-04-26T17:38:49.000Z", "2019-04-26", False), ("2014-13-01", None, False), ("R/P1D", None, False),
])
def test_partial_dates_are_normalised(raw, date, partial):
    assert normalise_date(raw) == (date, partial)


def test_partial_issued_date_becomes_published_on_with_a_warning():
    [item], _ = _parse(_dataset(issued="2014-10", modified="2016-01-01"))
    assert item.record["published_on"] == "2014-10-01"
    assert [f.rule for f in item.findings if f.rule.startswith("dcat.date")] == ["dcat.date-partial"]


@pytest.mark.parametrize("dist, fmt, method", [
    ({"downloadURL": "https://e.gov/a.csv", "mediaType": "text/csv"}, ("电子表格", "csv"), "文件"),
    ({"downloadURL": "https://e.gov/a.xls", "mediaType": "application/vnd.ms-excel"}, ("电子表格", "xls"), "文件"),
    ({"downloadURL": "https://e.gov/a.json", "mediaType": "application/json"}, ("自描述格式", "json"), "文件"),
    ({"accessURL": "https://e.gov/arcgis/rest", "mediaType": "application/json", "format": "Esri REST"},
     ("服务接口", "rest"), "接口"),
    ({"accessURL": "https://e.gov/page"}, ("电子文件", "html"), "文件"),
    ({"downloadURL": "https://e.gov/report.pdf"}, ("电子文件", "pdf"), "文件"),
])
def test_distribution_maps_to_format_and_share_method(dist, fmt, method):
    [item], _ = _parse(_dataset(distribution=[dist]))
    assert (item.record["format"]["category"], item.record["format"]["type"]) == fmt
    assert item.record["share"]["method"] == {"category": "共享平台", "type": method}
    assert ("interface" in item.record) is (method == "接口")


def test_an_api_distribution_wins_over_files_and_gets_a_contract():
    [item], _ = _parse(_dataset(distribution=[
        {"downloadURL": "https://e.gov/a.csv", "mediaType": "text/csv"},
        {"accessURL": "https://e.gov/api/v1?x=1", "format": "API"}]))
    assert item.record["format"] == {"category": "服务接口", "type": "rest"}
    assert item.record["interface"]["base_url"] == "https://e.gov/api/v1"


def test_publishers_become_departments_with_generated_codes_or_known_ones():
    items, directory = _parse(_dataset(), _dataset(identifier="X-2", publisher={"name": "义乌市市场监督管理局"}),
                              _dataset(identifier="X-3", publisher={"name": "environment  office"}))
    assert [i.record["provider_code"] for i in items] == ["330782501", "330782101", "330782501"]
    assert directory.created == {"330782501": "Environment Office"}


def test_messy_feed_gives_findings_per_dataset_never_a_crash():
    items, _ = _parse(_dataset(), _dataset(), "not an object", _dataset(identifier=None, title=None),
                      _dataset(identifier="X-5", publisher=None, distribution=None, keyword=None))
    rules = [sorted({f.rule for f in i.findings if f.severity == "error"}) for i in items]
    assert rules == [[], ["dcat.identifier-duplicate"], ["dcat.dataset-type"], ["dcat.field-missing"],
                     ["dcat.distribution-missing", "dcat.field-missing"]]
    assert items[1].source == "dataset[1]:X-1" and items[3].source == "dataset[3]"


def test_a_file_that_is_not_a_catalogue_is_a_clear_error():
    with pytest.raises(InvalidInput, match="UTF-8"):
        load_dcat_document("{\"dataset\": [\"中文\"]}".encode("gbk"))
    with pytest.raises(InvalidInput, match="/dataset"):
        load_dcat_document(b'{"datasets": []}')
    with pytest.raises(InvalidInput, match="JSON"):
        load_dcat_document(b'{"dataset": [')


# The real samples (../shared/samples/dcat-us): expected counts, each into a fresh database.
@pytest.mark.parametrize("name, read, stored, by_rule", [
    ("small-education.json", 89, 66, {"items.required": 20, "dcat.identifier-duplicate": 1,
                                       "dcat.rights-missing": 1, "schema.maxLength": 1,
                                       "dcat.department-created": 11, "dcat.periodicity-missing": 71}),
    ("usda.gov.data-2-datasets.json", 2, 1, {"items.required": 1, "dcat.department-created": 1}),
    ("usda.gov.data-3-datasets.json", 3, 1, {"items.required": 2, "dcat.department-created": 1}),
])
def test_real_samples_import_with_expected_counts(db, name, read, stored, by_rule):
    summary = import_input(db=db, actor=SYSTEM, fmt="dcat-us", name=name, path=SAMPLES / name)
    assert (summary.read, summary.stored, summary.skipped) == (read, stored, read - stored)
    counts = summary.by_rule()
    assert {rule: counts.get(rule) for rule in by_rule} == by_rule
    assert len(catalogue_records(db=db)) == stored
    assert all(f.source and f.source.startswith("dataset[") for f in summary.findings)


def test_reimporting_a_feed_stores_nothing_twice(db):
    path = SAMPLES / "usda.gov.data-2-datasets.json"
    import_input(db=db, actor=SYSTEM, fmt="dcat-us", name=path.name, path=path)
    again = import_input(db=db, actor=SYSTEM, fmt="dcat-us", name=path.name, path=path)
    assert again.stored == 0 and again.by_rule().get("cross.duplicate-name") == 1
    assert not again.departments_created


def test_publisher_map_assigns_existing_departments(db, tmp_path):
    mapping = tmp_path / "map.yaml"
    mapping.write_text("publishers:\n  Department of Agriculture: '330782119'\n", encoding="utf-8")
    path = SAMPLES / "usda.gov.data-2-datasets.json"
    summary = import_input(db=db, actor=SYSTEM, fmt="dcat-us", name=path.name, path=path, publisher_map=mapping)
    assert summary.stored == 1 and not summary.departments_created
    [record] = catalogue_records(db=db)
    assert (record["provider_code"], record["provider"]) == ("330782119", "义乌市农业农村局")


def test_dry_run_and_atomic_store_nothing(db):
    path = SAMPLES / "small-education.json"
    dry = import_input(db=db, actor=SYSTEM, fmt="dcat-us", name=path.name, path=path, dry_run=True)
    assert (dry.valid, dry.stored, dry.rolled_back) == (66, 0, True)
    atomic = import_input(db=db, actor=SYSTEM, fmt="dcat-us", name=path.name, path=path, atomic=True)
    assert (atomic.stored, atomic.rolled_back) == (0, True)
    assert catalogue_records(db=db) == [] and not atomic.departments_created


def test_export_validates_against_the_dcat_us_schema(db, dcat_us_validator):
    path = SAMPLES / "small-education.json"
    import_input(db=db, actor=SYSTEM, fmt="dcat-us", name=path.name, path=path)
    exported = catalogue_records(db=db) + records()
    doc = to_dcat_us(exported)
    assert [e.message for e in dcat_us_validator.iter_errors(doc)] == []
    assert len(doc["dataset"]) == 68
    broken = json.loads(json.dumps(doc))
    del broken["dataset"][0]["keyword"]
    assert list(dcat_us_validator.iter_errors(broken))  # the schema copy does catch a defect


def test_dcat_us_export_maps_back_through_the_crosswalk():
    [ds] = to_dcat_us([records()[0]], today="2025-01-01")["dataset"]
    assert (ds["accessLevel"], ds["accrualPeriodicity"], ds["modified"]) == ("public", "R/P1D", "2024-03-01")
    directory = DepartmentDirectory(known={"330782101": "义乌市市场监督管理局"})
    [back] = parse_dcat_us({"dataset": [ds]}, departments=directory)
    assert back.record["name"] == ds["title"] and back.record["provider_code"] == "330782101"
    assert back.record["update_cycle"] == "每日" and back.record["share"]["type"] == "无条件共享"


def test_dcat_ap_export_is_a_json_ld_catalogue():
    doc = to_dcat_ap(records())
    assert set(doc["@context"]) >= {"dcat", "dct", "foaf", "vcard"}
    assert doc["@type"] == "dcat:Catalog" and len(doc["dcat:dataset"]) == 2
    ds = doc["dcat:dataset"][0]
    for key in ("dct:title", "dct:description", "dct:publisher", "dct:identifier", "dcat:keyword",
                "dct:accrualPeriodicity", "dcat:distribution"):
        assert key in ds
    assert ds["dct:accrualPeriodicity"] == "http://publications.europa.eu/resource/authority/frequency/DAILY"
    assert doc["dcat:dataset"][1]["dct:accrualPeriodicity"].endswith("/ANNUAL")
    assert ds["dcat:distribution"][0]["dcat:accessURL"] == "https://share.yw.gov.cn/api/market/v1"
