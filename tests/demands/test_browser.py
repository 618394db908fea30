"""End to end in Debian's Chromium: a need registered by the tax bureau that the catalogue does not meet,
assigned by the coordinator, promised by 人力社保局 and fulfilled when it publishes a covering resource.
Every page free of console errors."""
from __future__ import annotations

import re
from typing import Any

from catalog import registry
from tests.demands.conftest import COORDINATOR, HRSS, HRSS_STEWARD
from tests.demands.test_story import EMPLOYMENT, hrss_record
from tests.web.conftest import ConsoleWatch, Site, sign_in


def _persona(browser: Any, site: Site, who: str) -> tuple[Any, Any, ConsoleWatch]:
    context = browser.new_context(base_url=site.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    watch = ConsoleWatch(page)
    sign_in(page, site.tokens[who])
    return context, page, watch


def test_a_demand_from_registration_to_fulfilment(browser: Any, site: Site) -> None:
    contexts, watches = [], []
    try:
        context, tax, watch = _persona(browser, site, "tax")
        contexts.append(context), watches.append(watch)
        tax.click("nav a[href='/demands']")
        tax.click("#new-demand")
        tax.fill("#d-title", EMPLOYMENT["title"])
        tax.fill("#d-description", EMPLOYMENT["description"])
        tax.fill("#d-needs", "\n".join(EMPLOYMENT["needs"]))
        tax.fill("#d-purpose", EMPLOYMENT["purpose"])
        tax.fill("#d-basis", EMPLOYMENT["basis"])
        tax.fill("#d-wanted", "2025-12-31")
        tax.click("#demand-form button[type=submit]")
        tax.wait_for_url(re.compile(r"/demands/\d+$"))
        demand_url = tax.url
        assert "已登记" in tax.inner_text(".flash")
        assert tax.inner_text("#demand-status") == "待确认"
        tax.fill("#unmet-reason", "目录中没有企业用工人数与工资总额")
        tax.click("#unmet-form button[type=submit]")
        tax.wait_for_url(demand_url)
        assert tax.inner_text("#demand-status") == "待分派"

        context, coordinator, watch = _persona(browser, site, "coordinator")
        contexts.append(context), watches.append(watch)
        coordinator.click("nav a[href='/demand-queue']")
        coordinator.click(f"#unmet a[href='{demand_url.removeprefix(site.url)}']")
        coordinator.select_option("#assign-departments", [HRSS])
        coordinator.fill("#assign-days", "5")
        coordinator.click("#assign-form button[type=submit]")
        coordinator.wait_for_url(demand_url)
        assert "2025-10-14" in coordinator.inner_text(".flash")
        assert coordinator.inner_text("#demand-status") == "已分派责任部门"

        context, hrss, watch = _persona(browser, site, "hrss")
        contexts.append(context), watches.append(watch)
        hrss.click("nav a[href='/duties']")
        hrss.click(f"#duties a[href='{demand_url.removeprefix(site.url)}']")
        hrss.fill("input[name=target_date]", "2025-10-31")
        hrss.click(".will-provide-form button[type=submit]")
        hrss.wait_for_url(demand_url)
        assert "承诺提供" in hrss.inner_text(".duty-status")

        # 人力社保局 registers and publishes a resource holding both needed items (the registry's own steps)
        db = site.app.state.db
        record = hrss_record([("参保职工人数", "insured_employee_count"), ("企业月度工资总额", "monthly_wage_total_amount")])
        with db.transaction() as s:
            code = registry.create_resource(session=s, actor=HRSS_STEWARD, record=record).code
            registry.change_state(session=s, actor=HRSS_STEWARD, code=code, action="submit")
        with db.transaction() as s:
            registry.change_state(session=s, actor=COORDINATOR, code=code, action="publish")

        tax.reload()
        assert tax.inner_text("#demand-status") == "已满足"
        assert tax.get_attribute("#fulfilled a", "href") == f"/r/{code}"
        events = [li.get_attribute("data-event") for li in tax.query_selector_all("#timeline li")]
        assert events == ["create", "declare_unmet", "assign", "duty.will_provide", "fulfil"]
        tax.click("#fulfilled a")
        tax.wait_for_url(re.compile(r"/r/"))
        assert "企业参保用工统计信息" in tax.inner_text("h1")
    finally:
        for context in contexts:
            context.close()
    assert [e for w in watches for e in w.errors] == []
