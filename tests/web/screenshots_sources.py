"""Screenshots of the 一数一源 pages into docs/screenshots/ (Debian's Chromium via Playwright).

    python -m tests.web.screenshots_sources    # from the repository root

The seeded site of the browser tests, then the joint registration's share requests: every one granted
except the tax office's request for 企业设立登记信息, still waiting for the market regulator's answer;
and one exemption (the tax office collects 公民身份号码 under the individual income tax law).
"""
from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, build_site_app  # noqa: E402
from tests.web.screenshots import OUT, serve  # noqa: E402


def story(app) -> None:  # type: ignore[no-untyped-def]
    from catalog.auth import Actor
    from catalog.departments import registry_standards
    from catalog.sharing import requests
    from catalog.sharing.calendar import calendar_for
    from catalog.sharing.clock import SystemClock
    from catalog.sources.authority import add_exemption
    from tests.sources.test_scenarios import ESTABLISHMENT, NEEDED, STEWARD, TAX

    db, cal, clock = app.state.db, calendar_for(app.state.settings), SystemClock()
    for requester, resource, provider in NEEDED:
        with db.transaction() as session:
            req = requests.create_request(session=session, actor=STEWARD[requester], calendar=cal, clock=clock,
                                          resource_code=resource, purpose="企业设立联合登记（多证合一）",
                                          basis="《国务院办公厅关于加快推进“多证合一”改革的指导意见》", period_days=365)
            if req.status == "pending" and (requester, resource) != (TAX, ESTABLISHMENT):
                requests.approve_request(session=session, actor=STEWARD[provider], calendar=cal, clock=clock,
                                         request_id=req.id)
    with db.transaction() as session:
        add_exemption(session=session, actor=Actor("税务局数据管理员", "steward", TAX),
                      standards=registry_standards(session=session), department_code=TAX, element="DE0031",
                      basis="《中华人民共和国个人所得税法》第十五条：公安机关应当协助税务机关确认纳税人的身份")


def main() -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    app, tokens = build_site_app(Path(tempfile.mkdtemp(prefix="mulu-shots-")) / "data")
    story(app)
    base = serve(app)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(base_url=base, locale="zh-CN", viewport={"width": 1280, "height": 860}).new_page()
        page.goto("/signin")
        page.fill("#token", tokens["coordinator"])
        page.click("form[action='/signin'] button[type=submit]")
        page.wait_for_url(base + "/")
        for name, path in (("15-redundancy-map", "/elements/redundancy?duplicates=true&sort=duplicates"),
                           ("16-scenario", "/scenarios/joint-company-registration")):
            page.goto(path)
            page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
            print("wrote", OUT / f"{name}.png")
        browser.close()


if __name__ == "__main__":
    main()
