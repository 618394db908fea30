"""The department registry of a region: levels, divisions, parents, bulk files, and full citizenship."""
from __future__ import annotations

import csv
import io

import pytest
import yaml

from api.examples import RECORD


def class3_record(provider_code: str, provider: str, sector: str) -> dict:
    record = dict(RECORD, name="执法检查记录", provider=provider, provider_code=provider_code,
                  classification=f"3{sector}003{provider_code}")
    return record


def test_department_created_through_the_api_registers_class_3(client, auth):
    from catalog.seeding import load_departments

    load_departments(db=client.app_db)
    body = {"code": "330782199", "name": "义乌市数据资源管理局", "sector": "01", "parent_code": "330782101"}
    assert client.post("/api/v1/departments", json=body, headers=auth("coordinator")).status_code == 201
    record = class3_record("330782199", "义乌市数据资源管理局", "01")
    verdict = client.post("/api/v1/validate", json=record).json()
    assert verdict["valid"], verdict
    created = client.post("/api/v1/resources", json=record, headers=auth("steward", "330782199"))
    assert created.status_code == 201, created.json()
    wrong = class3_record("330782199", "义乌市数据资源管理局", "02")
    verdict = client.post("/api/v1/validate", json=wrong).json()
    rules = {f["rule"] for f in verdict["findings"]}
    assert "classification.sector-mismatch" in rules
    refused = client.post("/api/v1/resources", json=wrong, headers=auth("steward", "330782199"))
    assert refused.status_code == 422
    assert "classification.sector-mismatch" in {f["rule"] for f in refused.json()["findings"]}


def test_seed_departments_sit_in_their_county_city_and_province(client):
    from catalog.seeding import load_departments

    load_departments(db=client.app_db)
    rows = {d["code"]: d for d in client.get("/api/v1/departments").json()["data"]}
    yiwu = rows["330782105"]
    assert (yiwu["level"], yiwu["division_code"], yiwu["division_name"]) == ("county", "330782", "义乌市")
    assert "义乌市工商行政管理局" in rows["330782101"]["former_names"]
    with client.app_db.session() as session:
        from catalog.models import Division

        chain, code = [], "330782"
        while code:
            division = session.get(Division, code)
            chain.append((division.name, division.level))
            code = division.parent_code
    assert chain == [("义乌市", "county"), ("金华市", "city"), ("浙江省", "province")]


REGION_CSV = """code,name,level,division_name,parent_code,sector,aliases
320000001,江苏省民政厅,,江苏省,,05,
320700005,市民政局,,连云港市,320000001,05,民政;民政局
341300005,市民政局,,宿州市,,05,
340400005,市民政局,,淮南市,,05,
340000005,安徽省民政厅,,安徽省,,05,
320702001,海州区民政局,,海州区,320700005,05,
12,坏代码,,,,,
"""


def test_bulk_csv_places_same_named_departments_in_their_cities(client, auth):
    response = client.post("/api/v1/departments/bulk?format=csv", content=REGION_CSV.encode(),
                           headers=auth("coordinator"))
    assert response.status_code == 200, response.json()
    report = response.json()
    assert (report["read"], report["created"], report["invalid"]) == (7, 6, 1)
    assert report["results"][-1]["findings"][0]["rule"] == "department.code-format"
    rows = {d["code"]: d for d in client.get("/api/v1/departments").json()["data"]}
    same = [d for d in rows.values() if d["name"] == "市民政局"]
    assert sorted(d["division_name"] for d in same) == ["宿州市", "淮南市", "连云港市"]
    assert rows["320702001"]["level"] == "district" and rows["320702001"]["parent_code"] == "320700005"
    assert rows["340000005"]["level"] == "province" and rows["320700005"]["level"] == "city"
    children = client.get("/api/v1/departments?parent=320700005").json()["data"]
    assert [d["code"] for d in children] == ["320702001"]
    # The same file again changes nothing; a changed alias is an update.
    again = client.post("/api/v1/departments/bulk?format=csv", content=REGION_CSV.encode(),
                        headers=auth("coordinator")).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 6)
    changed = REGION_CSV.replace("民政;民政局", "民政")
    again = client.post("/api/v1/departments/bulk?format=csv", content=changed.encode(),
                        headers=auth("coordinator")).json()
    assert (again["updated"], again["unchanged"]) == (1, 5)


def test_bulk_import_needs_a_coordinator(client, auth):
    response = client.post("/api/v1/departments/bulk?format=csv", content=REGION_CSV.encode(),
                           headers=auth("steward", "330782101"))
    assert response.status_code == 403


@pytest.mark.parametrize("fmt", ["yaml", "csv", "xlsx"])
def test_export_reads_back_unchanged(client, auth, fmt):
    client.post("/api/v1/departments/bulk?format=csv", content=REGION_CSV.encode(), headers=auth("coordinator"))
    exported = client.get(f"/api/v1/departments?format={fmt}")
    assert exported.status_code == 200
    again = client.post(f"/api/v1/departments/bulk?format={fmt}", content=exported.content,
                        headers=auth("coordinator")).json()
    assert again["read"] == len(client.get("/api/v1/departments").json()["data"])
    assert again["invalid"] == 0 and again["created"] == 0 and again["updated"] == 0, again
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(exported.content.decode("utf-8-sig"))))
        assert {"code", "name", "level", "parent_code", "aliases"} <= set(rows[0])
    if fmt == "yaml":
        assert yaml.safe_load(exported.content)["departments"][0]["code"]


def test_cli_departments_import_export_list(tmp_path):
    from typer.testing import CliRunner

    from cli.main import app

    source = tmp_path / "region.csv"
    source.write_text(REGION_CSV, encoding="utf-8")
    runner = CliRunner()
    env = {"MULU_DATA_DIR": str(tmp_path / "cli-data")}
    result = runner.invoke(app, ["departments", "import", str(source), "--output", str(tmp_path / "r.json")], env=env)
    assert result.exit_code == 1, result.output  # one invalid row
    assert "新建 created 6" in result.output
    result = runner.invoke(app, ["departments", "export", str(tmp_path / "out.xlsx")], env=env)
    assert result.exit_code == 0, result.output
    result = runner.invoke(app, ["departments", "list", "--division", "320700", "--json"], env=env)
    assert result.exit_code == 0
    assert "市民政局" in result.output and "海州区民政局" in result.output and "宿州" not in result.output
