"""The redundancy map of the seed against a hand count, its doors (API, CLI, web), and the 绩效评估 count."""
from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from tests.sources.conftest import BIGDATA, HRSS, MEDICARE, POLICE, TAX
from tests.sources.test_duplicate_collection import tax_record

# Hand count: `grep -l "element: DEnnnn" seed/*/*.yaml`, grouped by department folder.
HAND_COUNT = {
    "DE0018": {POLICE: ["seal-engraving-filing"], BIGDATA: ["electronic-seal"]},  # 印章编码, source 公安
    "DE0059": {HRSS: ["pension-payment", "social-insurance-contribution", "social-insurance-enrolment",
                      "social-security-card", "work-injury-determination"],
               MEDICARE: ["medical-insurance-enrolment", "medical-settlement"]},  # 社会保障号码, source 人社
    "DE0031": {d: [] for d in ("330782101", POLICE, TAX, HRSS, "330782105", "330782106", "330782109",
                               "330782110", "330782111", MEDICARE, "330782114", "330782116", "330782118",
                               "330782119", "330782122", "330782123", "330782125", "330782126")},  # 公民身份号码
}
AUTHORITY = {"DE0018": POLICE, "DE0059": HRSS, "DE0031": POLICE}


@pytest.mark.parametrize("element", sorted(HAND_COUNT))
def test_seed_redundancy_map_matches_the_hand_count(client: TestClient, auth: Any, element: str) -> None:
    data = client.get("/api/v1/elements/redundancy", params={"element": element},
                      headers=auth("auditor")).json()
    [row] = data["elements"]
    expected = HAND_COUNT[element]
    assert {c["department_code"] for c in row["carriers"]} == set(expected)
    assert row["authority"]["department_code"] == AUTHORITY[element]
    assert row["departments"] == len(expected) and row["duplicates"] == len(expected) - 1
    for carrier in row["carriers"]:
        assert carrier["status"] == ("authoritative" if carrier["department_code"] == AUTHORITY[element]
                                     else "duplicate")
        if expected[carrier["department_code"]]:
            assert len(carrier["resources"]) == len(expected[carrier["department_code"]])


def test_filters_and_sorts(client: TestClient, auth: Any) -> None:
    headers = auth("auditor")
    by_dup = client.get("/api/v1/elements/redundancy", params={"sort": "duplicates", "only_duplicates": True},
                        headers=headers).json()["elements"]
    assert by_dup and all(r["duplicates"] > 0 for r in by_dup)
    assert [r["duplicates"] for r in by_dup] == sorted((r["duplicates"] for r in by_dup), reverse=True)
    by_name = client.get("/api/v1/elements/redundancy", params={"element": "公民身份号码"}, headers=headers).json()
    assert [r["element"] for r in by_name["elements"]] == ["DE0031"]
    mine = client.get("/api/v1/elements/redundancy", params={"department_code": BIGDATA},
                      headers=headers).json()["elements"]
    assert "DE0018" in {r["element"] for r in mine} and "DE0059" not in {r["element"] for r in mine}
    assert client.get("/api/v1/elements/redundancy", params={"sort": "x"}, headers=headers).status_code == 400

    page = client.get("/elements/redundancy", params={"q": "DE0018", "sort": "duplicates"})
    assert page.status_code == 200 and 'id="el-DE0018"' in page.text and "el-DE0031" not in page.text
    assert page.text.count("cell-duplicate") >= 1 and "<strong>重复采集数 ▾</strong>" in page.text


def test_cli_redundancy(client: TestClient, seeded_settings: Any, monkeypatch: Any) -> None:
    monkeypatch.setenv("MULU_DATA_DIR", str(seeded_settings.data_dir))
    monkeypatch.delenv("MULU_DATABASE_URL", raising=False)
    monkeypatch.delenv("MULU_TOKEN", raising=False)
    from cli.main import app as cli_app

    result = CliRunner().invoke(cli_app, ["elements", "redundancy", "--element", "DE0059", "--json"])
    assert result.exit_code == 0, result.output
    [row] = json.loads(result.stdout)["elements"]
    assert (row["departments"], row["duplicates"]) == (2, 1)
    table = CliRunner().invoke(cli_app, ["elements", "redundancy", "--duplicates", "--sort", "duplicates"])
    assert table.exit_code == 0 and "重复采集" in table.output


def test_performance_report_counts_duplicate_collection(client: TestClient, auth: Any) -> None:
    def tax_row() -> dict[str, Any]:
        report = client.get("/api/v1/stats", params={"department_code": TAX}, headers=auth("auditor")).json()
        return report["departments"][0]["duplicate_collection"]

    before = tax_row()
    record = tax_record()
    record["items"].append({"name": "统一社会信用代码", "identifier": "unified_social_credit_code",
                            "data_type": "C", "length": 18})
    assert client.post("/api/v1/resources", json=record, headers=auth("steward", TAX)).status_code == 201
    after = tax_row()
    # the new record re-collects 公民身份号码 (公安) and 统一社会信用代码 (市场监管): two items, one resource
    assert (after["items"] - before["items"], after["resources"] - before["resources"]) == (2, 1)
    body = {"department_code": TAX, "element": "DE0031", "basis": "《中华人民共和国个人所得税法》第十五条"}
    assert client.post("/api/v1/sources/exemptions", json=body, headers=auth("steward", TAX)).status_code == 201
    # silenced: 公民身份号码 in the new record and in the seed's 个人所得税纳税记录 (grep: the tax office's
    # only other resource carrying DE0031)
    assert tax_row()["items"] == after["items"] - 2


def test_shipped_sources_and_scenarios_name_real_elements_departments_and_resources() -> None:
    from pathlib import Path

    from catalog.records import iter_record_files, read_record_file
    from catalog.standards import load_standards
    from catalog.validation.naming import item_element

    std = load_standards()
    seed = {r["code"]: r for r in map(read_record_file, iter_record_files([Path(__file__).parents[2] / "seed"]))}
    for s in std.get("authoritative-sources")["sources"]:
        assert s["element"] in std.elements and s["department"] in std.departments, s
        resource = seed[s["resource"]]
        assert resource["provider_code"] == s["department"] and resource["name"] == s["resource_name"], s
        assert s["element"] in {(item_element(i, std) or {}).get("id") for i in resource["items"]}, s
    for scenario in std.get("scenarios")["scenarios"]:
        for step in scenario["steps"]:
            assert step["department"] in std.departments
            wanted = set(step.get("needs") or [])
            for document in step.get("documents") or []:
                assert set(document.get("elements") or []) <= wanted, (step["name"], document["name"])
            assert wanted <= set(std.elements)
