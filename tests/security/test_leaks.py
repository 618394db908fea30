"""Answers that told a caller more than it may see, on SQLite and PostgreSQL: codes of invisible drafts in
bulk, withdrawn vs missing resources in share requests, per-department counts in /stats, drafts in a DCAT
export by default."""
from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from api.examples import RECORD
from cli.main import app as cli_app
from tests.security.conftest import Site
from tests.sharing.conftest import POLICE

ASK = {"purpose": "税务登记核验", "basis": "《中华人民共和国税收征收管理法》第十五条", "period_days": 30}


def police_draft(site: Site) -> str:
    record = {**copy.deepcopy(RECORD), "name": "公安内部草稿资源", "provider_code": POLICE, "provider": "义乌市公安局"}
    res = site.client.post("/api/v1/resources", json=record, headers=site.headers["police"])
    assert res.status_code == 201, res.text
    return str(res.json()["code"])


def bulk_findings(site: Site, code: str) -> list[dict[str, Any]]:
    record = {**copy.deepcopy(RECORD), "name": f"抢注 {code}", "code": code}
    res = site.client.post("/api/v1/resources/bulk", json=[record], headers=site.headers["market"])
    assert res.status_code == 200, res.text
    [outcome] = res.json()["data"]
    assert not outcome["ok"]
    return [{k: f[k] for k in ("rule", "path")} for f in outcome["findings"] if f["severity"] == "error"]


def test_bulk_does_not_tell_taken_codes_the_caller_cannot_see(site: Site) -> None:
    hidden = police_draft(site)  # 102001/000002, a draft of another department
    assert bulk_findings(site, hidden) == [{"rule": "code.unavailable", "path": "/code"}]
    assert bulk_findings(site, "102001/000500") == [{"rule": "code.unavailable", "path": "/code"}]  # beyond
    assert bulk_findings(site, site.codes["unconditional"]) == [{"rule": "code.taken", "path": "/code"}]  # visible


def test_share_requests_answer_the_same_for_withdrawn_and_missing_resources(site: Site) -> None:
    code = site.codes["conditional"]
    res = site.client.post(f"/api/v1/resources/{code}/withdraw", headers=site.headers["market"])
    assert res.status_code == 200, res.text
    answers = []
    for target in (code, "301001330782101/999999", police_draft(site)):
        res = site.client.post("/api/v1/share-requests", json={"resource_code": target, **ASK},
                               headers=site.headers["tax"])
        body = res.json()
        answers.append((res.status_code, body["error"], body["message"].replace(target, "<code>")))
    assert len(set(answers)) == 1 and answers[0][0] == 404, answers


def test_stats_are_refused_to_whom_the_web_report_is_refused(site: Site) -> None:
    for persona in ("developer", "tax"):
        res = site.client.get("/api/v1/stats", headers=site.headers[persona])
        assert res.status_code == 403, res.text
    res = site.client.get("/api/v1/stats", headers=site.headers["coordinator"])
    assert res.status_code == 200 and "by_state" in json.dumps(res.json())


def test_dcat_us_export_defaults_to_published_only(site: Site, tmp_path: Path) -> None:
    if site.kind != "sqlite":  # the CLI opens the catalogue of MULU_DATA_DIR
        return
    draft = police_draft(site)
    out = tmp_path / "data.json"
    env = {"MULU_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    result = CliRunner().invoke(cli_app, ["export", str(out), "--format", "dcat-us"], env=env)
    assert result.exit_code == 0, result.output
    exported = json.dumps(json.loads(out.read_text("utf-8")), ensure_ascii=False)
    assert "公安内部草稿资源" not in exported and draft not in exported
    assert "企业设立登记信息" in exported  # the published ones are there
    result = CliRunner().invoke(cli_app, ["export", str(out), "--format", "dcat-us", "--state", "draft"], env=env)
    assert result.exit_code == 0 and "公安内部草稿资源" in out.read_text("utf-8")
