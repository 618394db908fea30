"""The joint company registration (工商 → 公安 → 质监 → 国税 → 地税) in figures, checked by hand, and
how grants created or revoked change them."""
from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from catalog.auth import Actor
from catalog.db import Database
from catalog.departments import registry_standards
from catalog.sharing import grants, requests
from catalog.sharing.calendar import WorkingCalendar
from catalog.sharing.clock import FixedClock
from catalog.sources.scenarios import scenario_report
from tests.sources.conftest import MARKET, POLICE, SCENARIO, TAX

POPULATION, LEGAL_ENTITY = "101001/000001", "102001/000001"  # 无条件共享: granted at once
SEAL, ESTABLISHMENT = "302001330782102/000001", "301001330782101/000001"  # 有条件共享: the provider approves
STEWARD = {d: Actor(f"{d} 数据管理员", "steward", d) for d in (MARKET, POLICE, TAX)}
# (requester, resource, provider) — what the scenario itself lists as "share requests needed"
NEEDED = [(MARKET, POPULATION, POLICE), (MARKET, SEAL, POLICE), (POLICE, LEGAL_ENTITY, MARKET),
          (TAX, LEGAL_ENTITY, MARKET), (TAX, ESTABLISHMENT, MARKET)]


def report(db: Database, clock: FixedClock, cal: WorkingCalendar) -> dict[str, Any]:
    with db.session() as session:
        return scenario_report(session=session, standards=registry_standards(session=session),
                               today=cal.local_date(clock.now()), name=SCENARIO)


def grant_all(db: Database, clock: FixedClock, cal: WorkingCalendar) -> dict[tuple[str, str], int]:
    """File every share request the scenario needs; the providers approve the conditional ones."""
    made = {}
    for requester, resource, provider in NEEDED:
        with db.transaction() as session:
            req = requests.create_request(session=session, actor=STEWARD[requester], calendar=cal, clock=clock,
                                          resource_code=resource, purpose="企业设立联合登记", basis="多证合一改革",
                                          period_days=365)
            if req.status == "pending":
                req = requests.approve_request(session=session, actor=STEWARD[provider], calendar=cal, clock=clock,
                                               request_id=req.id)
            made[(requester, resource)] = req.grant_id
    return made


def figures(t: dict[str, Any]) -> tuple[int, ...]:
    return (t["fields_shared"], t["fields_rekeyed"], t["fields_own"], t["documents_before"], t["documents_after"],
            t["working_days_before"], t["working_days_after"], t["fields_shared_per_year"])


def test_the_seed_without_grants_keys_everything_by_hand(db: Database, clock: FixedClock,
                                                         cal: WorkingCalendar) -> None:
    data = report(db, clock, cal)
    # By hand, from standards/scenarios.yaml and the seed: 22 needs over five steps; five are the step's own
    # authority (公安 DE0031; 质监=市场监管 DE0001-3; 地税=税务 DE0009), the other 17 are carried by another
    # department's published resource, none granted. Documents dropped now: 公安 经办人身份证复印件 (DE0031
    # own), 质监 营业执照副本复印件 (DE0001-2 own), 地税 国税税务登记证副本 (DE0009 own): 26 → 23.
    # Days: every later step still waits for paper: 3+1+1+2+1 = 8 → 8.
    assert figures(data["totals"]) == (0, 17, 5, 26, 23, 8, 8, 0)
    # If every available need were granted: 17 fields shared a case, 17 × 3015 cases = 51,255 a year
    # (the seed's 5.13万), 26 → 9 documents, and steps 2-5 in parallel after 工商: 3 + max(1,1,2,1) = 5 days.
    assert figures(data["potential"]) == (17, 0, 5, 26, 9, 8, 5, 51_255)
    assert {(r["requester_code"], r["resource_code"]) for r in data["share_requests_needed"]} == {
        (requester, resource) for requester, resource, _ in NEEDED}
    [step1] = [s for s in data["steps"] if s["label"] == "工商"]
    assert [(n["element"], n["status"], n["resource"]["code"]) for n in step1["needs"]] == [
        ("DE0031", "available", POPULATION), ("DE0032", "available", POPULATION)]


def test_grants_created_then_revoked_change_the_coverage(db: Database, clock: FixedClock,
                                                         cal: WorkingCalendar) -> None:
    made = grant_all(db, clock, cal)
    data = report(db, clock, cal)
    assert figures(data["totals"]) == (17, 0, 5, 26, 9, 8, 5, 51_255)
    assert data["share_requests_needed"] == []
    tax = [s for s in data["steps"] if s["department_code"] == TAX]
    assert {n["grant_id"] for s in tax for n in s["needs"] if n["status"] == "shared"} == {
        made[(TAX, LEGAL_ENTITY)], made[(TAX, ESTABLISHMENT)]}

    with db.transaction() as session:
        grants.revoke_grant(session=session, actor=STEWARD[MARKET], calendar=cal, clock=clock,
                            grant_id=made[(TAX, ESTABLISHMENT)], reason="测试撤销")
    data = report(db, clock, cal)
    # By hand: 国税 loses 经营范围 (DE0008), 地税 loses 注册资本 (DE0006): 15 shared, 2 keyed by hand;
    # 经营范围说明 and 验资报告 come back: 11 documents; 国税 waits for paper again (starts at day 4, ends 6)
    # and 地税 after it (6 → 7): 7 working days; 15 × 3015 = 45,225 fields a year.
    assert figures(data["totals"]) == (15, 2, 5, 26, 11, 8, 7, 45_225)
    assert {(r["requester_code"], r["resource_code"]) for r in data["share_requests_needed"]} == {
        (TAX, ESTABLISHMENT)}


def test_scenario_doors_agree(client: TestClient, auth: Any, db: Database, clock: FixedClock,
                              cal: WorkingCalendar, monkeypatch: Any, seeded_settings: Any) -> None:
    headers = auth("developer", TAX)
    api = client.get(f"/api/v1/scenarios/{SCENARIO}", headers=headers)
    assert api.status_code == 200 and api.json()["potential"] == report(db, clock, cal)["potential"]
    assert client.get("/api/v1/scenarios", headers=headers).json()["data"][0]["name"] == SCENARIO
    assert client.get("/api/v1/scenarios/no-such", headers=headers).status_code == 404
    assert client.get(f"/api/v1/scenarios/{SCENARIO}").status_code == 401

    monkeypatch.setenv("MULU_DATA_DIR", str(seeded_settings.data_dir))
    monkeypatch.delenv("MULU_DATABASE_URL", raising=False)
    monkeypatch.delenv("MULU_TOKEN", raising=False)
    from cli.main import app as cli_app

    shown = CliRunner().invoke(cli_app, ["scenarios", "show", SCENARIO])
    assert shown.exit_code == 0, shown.output
    assert "材料 26 → 9 份" in shown.output and "51,255" in shown.output and "8 → 5 个工作日" in shown.output
    missing = CliRunner().invoke(cli_app, ["scenarios", "show", "no-such"])
    assert missing.exit_code == 1 and "不存在" in missing.output


def test_scenario_page_tells_the_story_in_figures(client: TestClient, auth: Any, db: Database,
                                                  clock: FixedClock, cal: WorkingCalendar) -> None:
    import re

    grant_all(db, clock, cal)
    web = TestClient(client.app, base_url="http://127.0.0.1", follow_redirects=False)
    assert web.get(f"/scenarios/{SCENARIO}").status_code in (302, 303)  # signed out: to the sign-in page
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', web.get("/signin").text).group(1)  # type: ignore[union-attr]
    token = auth("steward", TAX)["Authorization"].split()[1]
    assert web.post("/signin", data={"csrf_token": csrf, "token": token, "next": "/"}).status_code == 303
    page = web.get(f"/scenarios/{SCENARIO}")
    assert page.status_code == 200
    now = page.text.split('id="figures-now"', 1)[1].split("</dl>", 1)[0]
    assert "26 → <strong>9</strong>" in now and "8 → <strong>5</strong>" in now and "51,255" in now
    assert page.text.count('class="need-shared"') == 17 and 'id="to-request"' not in page.text
    assert web.get("/scenarios").text.count(f'href="/scenarios/{SCENARIO}"') == 1
