"""一数一源 at every door: same data, same name; the duplicate-collection finding; exemptions; overrides."""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from catalog.auth import Actor
from catalog.interop.imports import run_import
from catalog.interop.yaml_tree import read_yaml_tree
from catalog.records import read_record_file
from catalog.validation import audit, validate_record
from cli.main import app as cli_app
from tests.sources.conftest import MARKET, POLICE, TAX

SEED = Path(__file__).resolve().parents[2] / "seed"
RULE = "source.duplicate-collection"


def tax_record(name: str = "个人所得税专项附加扣除信息") -> dict[str, Any]:
    """A new tax-office record whose first item is 公民身份号码 (authority: 公安, 人口基础信息)."""
    record = read_record_file(SEED / TAX / "individual-income-tax-record.yaml")
    record.pop("code")
    record["name"] = name
    return record


def police_record() -> dict[str, Any]:
    record = tax_record("暂住人员登记补充信息")
    record.update(provider="义乌市公安局", provider_code=POLICE, classification=f"302006{POLICE}")
    return record


def hits(findings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for f in findings if f["rule"] == RULE]


def test_citizen_id_in_tax_department_names_the_authoritative_resource(client: TestClient, auth: Any) -> None:
    made = client.post("/api/v1/resources", json=tax_record(), headers=auth("steward", TAX))
    assert made.status_code == 201, made.text
    [hit] = hits(made.json()["warnings"])
    assert hit["severity"] == "warning" and hit["path"] == "/items/0"
    assert "公民身份号码" in hit["message"] and "义乌市公安局" in hit["message"]
    assert "人口基础信息（101001/000001）" in hit["message"]
    assert "申请共享" in hit["suggestion"] and "101001/000001" in hit["suggestion"]
    own = client.post("/api/v1/resources", json=police_record(), headers=auth("steward", POLICE))
    assert own.status_code == 201 and hits(own.json()["warnings"]) == []  # 公安 is the source


def test_same_verdict_at_every_door(client: TestClient, auth: Any, tmp_path: Path) -> None:
    record, steward = tax_record(), auth("steward", TAX)
    verdicts = {"validate": hits(client.post("/api/v1/validate", json=record, headers=steward).json()["findings"])}
    bulk = client.post("/api/v1/resources/bulk", json=[tax_record("批量登记的扣除信息")], headers=steward).json()
    verdicts["bulk"] = hits(bulk["data"][0]["findings"])
    verdicts["create"] = hits(client.post("/api/v1/resources", json=record, headers=steward).json()["warnings"])
    (tmp_path / "tree").mkdir()
    (tmp_path / "tree" / "r.yaml").write_text(yaml.safe_dump(dict(record, name="导入的扣除信息"),
                                                             allow_unicode=True), "utf-8")
    summary = run_import(db=client.app_db, actor=Actor("导入", "steward", TAX),  # type: ignore[attr-defined]
                         parsed=read_yaml_tree([tmp_path / "tree"]), fmt="yaml")
    verdicts["import"] = hits([f.to_dict() for f in summary.findings])
    verdicts["engine"] = hits([f.to_dict() for f in validate_record(record).findings])
    verdicts["audit"] = hits([f.to_dict() for f in audit([("r", record)]).findings])
    cli = CliRunner().invoke(cli_app, ["validate", str(tmp_path / "tree" / "r.yaml"), "--format", "json"])
    assert cli.exit_code == 0, cli.output
    verdicts["cli"] = [f for f in hits(_findings_of(cli.output))]
    assert summary.stored == 1
    for door, found in verdicts.items():
        assert [(f["path"], f["message"]) for f in found] == [
            ("/items/0", verdicts["validate"][0]["message"])], door


def _findings_of(text: str) -> list[dict[str, Any]]:
    import json

    data = json.loads(text)
    reports = data.get("reports") if isinstance(data, dict) and "reports" in data else data
    reports = reports if isinstance(reports, list) else [reports]
    return [f for r in reports for f in r["findings"]]


def test_audit_across_a_tree_reports_duplicate_collection_per_department(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli_app, ["audit", str(SEED), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = yaml.safe_load(result.output)
    found = [f for r in data["reports"] for f in r["findings"] if f["rule"] == RULE]
    taxpayer = [f for f in found if f["source"].endswith("taxpayer-registration.yaml")]
    assert {f["path"] for f in taxpayer} == {"/items/1", "/items/3"}  # 统一社会信用代码, 法定代表人姓名
    assert all("义乌市市场监督管理局" in f["message"] for f in taxpayer)
    per_department = {row["provider_code"]: row["warnings"] for row in data["summary"]}
    assert per_department[TAX] >= len({f["source"] for f in found if f"/{TAX}/" in f["source"]})


def test_exemption_silences_the_finding_and_is_shown(client: TestClient, auth: Any) -> None:
    steward, record = auth("steward", TAX), tax_record()
    body = {"department_code": TAX, "element": "DE0031", "basis": "《中华人民共和国个人所得税法》第十五条"}
    assert client.post("/api/v1/sources/exemptions", json=body, headers=auth("steward", POLICE)).status_code == 403
    own = client.post("/api/v1/sources/exemptions", json=dict(body, department_code=POLICE),
                      headers=auth("steward", POLICE))
    assert own.status_code == 400 and "就是" in own.json()["message"]  # 公安 is the source itself
    short = client.post("/api/v1/sources/exemptions", json=dict(body, basis="业务"), headers=steward)
    assert short.status_code == 400 and short.json()["findings"][0]["path"] == "/basis"
    made = client.post("/api/v1/sources/exemptions", json=body, headers=steward)
    assert made.status_code == 201, made.text
    exemption = made.json()
    assert client.post("/api/v1/sources/exemptions", json=body, headers=steward).status_code == 409

    assert hits(client.post("/api/v1/validate", json=record, headers=steward).json()["findings"]) == []
    listing = client.get("/api/v1/sources", params={"department_code": TAX}, headers=steward).json()
    assert [(e["element"], e["basis"]) for e in listing["exemptions"]] == [("DE0031", body["basis"])]
    matrix = client.get("/api/v1/elements/redundancy", params={"element": "DE0031"}, headers=steward).json()
    [row] = matrix["elements"]
    [cell] = [c for c in row["carriers"] if c["department_code"] == TAX]
    assert cell["status"] == "exempt" and cell["exemption"]["basis"] == body["basis"]
    assert row["exempt"] == 1 and row["duplicates"] == 16
    page = client.get("/elements/redundancy", params={"q": "DE0031"})
    assert page.status_code == 200 and "cell-exempt" in page.text
    assert body["basis"] in page.text.split('id="exemptions"', 1)[1]  # kept and shown

    log = client.get("/api/v1/audit-log", headers=auth("auditor")).json()
    assert any(e["action"] == "source.exempt" and e["detail"]["basis"] == body["basis"] for e in log["data"])
    gone = client.delete(f"/api/v1/sources/exemptions/{exemption['id']}", headers=steward)
    assert gone.status_code == 204
    assert len(hits(client.post("/api/v1/validate", json=record, headers=steward).json()["findings"])) == 1


def test_a_coordinator_overrides_the_source_with_an_audit_entry(client: TestClient, auth: Any) -> None:
    coordinator, body = auth("coordinator"), {"department_code": TAX, "resource_code": "303006330782103/000004"}
    assert client.put("/api/v1/sources/DE0031", json=body, headers=auth("steward", TAX)).status_code == 403
    wrong = client.put("/api/v1/sources/DE0031", json=dict(body, resource_code="101001/000001"), headers=coordinator)
    assert wrong.status_code == 400 and "不属于权威部门" in wrong.json()["message"]
    assert client.put("/api/v1/sources/DE9999", json=body, headers=coordinator).status_code == 404
    done = client.put("/api/v1/sources/DE0031", json=body, headers=coordinator)
    assert done.status_code == 200 and done.json()["origin"] == "override"

    steward, tax_steward = auth("steward", POLICE), auth("steward", TAX)  # /validate: each for its own department
    assert hits(client.post("/api/v1/validate", json=tax_record(), headers=tax_steward).json()["findings"]) == []
    [hit] = hits(client.post("/api/v1/validate", json=police_record(), headers=steward).json()["findings"])
    assert "个人所得税纳税记录（303006330782103/000004）" in hit["message"]
    log = client.get("/api/v1/audit-log", headers=auth("auditor")).json()["data"]
    [entry] = [e for e in log if e["action"] == "source.set"]
    assert entry["detail"]["before"]["department_code"] == POLICE and entry["actor"]

    reset = client.delete("/api/v1/sources/DE0031", headers=coordinator)
    assert reset.status_code == 200 and reset.json()["default"]["department_code"] == POLICE
    assert len(hits(client.post("/api/v1/validate", json=tax_record(), headers=tax_steward).json()["findings"])) == 1


# ---- the same data, the same name ---------------------------------------------------------------------
def market_record() -> dict[str, Any]:
    record = read_record_file(Path(__file__).resolve().parents[1] / "validation" / "valid_record.yaml")
    return copy.deepcopy(record)


@pytest.mark.parametrize(("item", "expected"), [
    ({"name": "统一社会信用代码", "identifier": "uscc", "data_type": "C", "length": 18}, "unified_social_credit_code"),
    ({"name": "社会信用代码", "identifier": "credit_code", "data_type": "C", "length": 18, "element": "DE0001"},
     "unified_social_credit_code"),
    ({"name": "成立日期", "identifier": "found_date", "data_type": "D", "length": 8}, "establishment_date"),
])
def test_an_item_of_a_data_element_uses_its_identifier(item: dict[str, Any], expected: str) -> None:
    record = market_record()
    record["items"][0] = item
    errors = [f for f in validate_record(record).errors if f.rule == "naming.element-identifier"]
    assert [(f.path, f.suggestion) for f in errors] == [("/items/0/identifier", expected)]
    assert expected in errors[0].message


def test_a_near_miss_still_suggests_the_element_and_no_identifier_error() -> None:
    record = market_record()
    record["items"][0] = {"name": "统一信用代码", "identifier": "uscc_code", "data_type": "C", "length": 18}
    rules = {f.rule for f in validate_record(record).findings}
    assert "naming.near-miss" in rules and "naming.element-identifier" not in rules


def test_the_import_stages_what_does_not_comply(client: TestClient, tmp_path: Path) -> None:
    bad = market_record()
    bad.pop("code")
    bad["name"] = "非标准命名的企业登记信息"
    bad["items"][0]["identifier"] = "uscc"
    good = dict(market_record(), name="标准命名的企业登记信息")
    good.pop("code")
    for name, record in (("bad", bad), ("good", good)):
        (tmp_path / f"{name}.yaml").write_text(yaml.safe_dump(record, allow_unicode=True), "utf-8")
    summary = run_import(db=client.app_db, actor=Actor("导入", "steward", MARKET),  # type: ignore[attr-defined]
                         parsed=read_yaml_tree([tmp_path]), fmt="yaml")
    status = {Path(i["source"]).stem: i["status"] for i in summary.items}
    assert status == {"bad": "skipped", "good": "stored"}
    assert summary.to_dict()["findings_by_rule"].get("naming.element-identifier") == 1


def test_seed_and_fixtures_use_the_element_identifiers() -> None:
    from catalog.records import iter_record_files

    records = [(str(p), read_record_file(p)) for p in iter_record_files([SEED])]
    result = audit(records)
    assert result.valid and not [f for f in result.findings if f.rule == "naming.element-identifier"]


def test_sources_from_the_terminal(seeded_settings: Any, monkeypatch: Any) -> None:
    import json

    monkeypatch.setenv("MULU_DATA_DIR", str(seeded_settings.data_dir))
    monkeypatch.delenv("MULU_DATABASE_URL", raising=False)
    monkeypatch.delenv("MULU_TOKEN", raising=False)
    run = CliRunner().invoke
    basis = "《中华人民共和国个人所得税法》第十五条"
    assert run(cli_app, ["sources", "exempt", TAX, "DE0031", "--basis", basis]).exit_code == 0
    again = run(cli_app, ["sources", "exempt", TAX, "DE0031", "--basis", basis])
    assert again.exit_code == 1 and "已登记" in again.output
    assert run(cli_app, ["sources", "set", "DE0059", "330782112", "--note", "医保参保以医保部门为准"]).exit_code == 0
    listing = json.loads(run(cli_app, ["sources", "list", "--json"]).stdout)
    [dup] = [s for s in listing["sources"] if s["element"] == "DE0059"]
    assert (dup["department_code"], dup["origin"], dup["resource_code"]) == ("330782112", "override", None)
    assert [(e["department_code"], e["element"], e["basis"]) for e in listing["exemptions"]] == [(TAX, "DE0031", basis)]
    table = run(cli_app, ["sources", "list", "--department", TAX])
    assert table.exit_code == 0 and basis[:10] in table.output
    assert run(cli_app, ["sources", "set", "DE0059", "999999999"]).exit_code == 2  # unknown department
    assert run(cli_app, ["sources", "reset", "DE0059"]).exit_code == 0
    assert run(cli_app, ["sources", "unexempt", str(listing["exemptions"][0]["id"])]).exit_code == 0
    assert json.loads(run(cli_app, ["sources", "list", "--json"]).stdout)["exemptions"] == []
