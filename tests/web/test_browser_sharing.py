"""End to end in Debian's Chromium, the rest of the sharing workflow: a refused request escalated by the
requester and arbitrated by the coordinator; a data-error report answered by the provider; a stale
edit refused. Every page free of console errors."""
from __future__ import annotations

import re
from typing import Any

from tests.web.conftest import ConsoleWatch, Site, sign_in
from tests.web.test_pages import DRAFT_YAML

LABOUR_REPORTS = "304003330782104/000001"  # 劳动保障监察举报信息, 人社局, 不予共享
BUSINESS_LICENCE = "105002/000001"          # 电子营业执照信息, 市场监管局


def _persona(browser: Any, site: Site, token: str) -> tuple[Any, Any, ConsoleWatch]:
    context = browser.new_context(base_url=site.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    watch = ConsoleWatch(page)
    sign_in(page, token)
    return context, page, watch


def test_refused_request_is_escalated_and_arbitrated(page: Any, site: Site, browser: Any) -> None:
    sign_in(page, site.tokens["tax"])
    page.goto(f"/r/{LABOUR_REPORTS}")
    page.fill("#purpose", "核查用人单位欠薪与纳税申报的一致性")
    page.fill("#basis", "《保障农民工工资支付条例》第五条")
    page.fill("#period_days", "90")
    page.click("#request-access button[type=submit]")
    assert "不予共享" in page.inner_text(".flash")
    page.click("#requests a[href^='/requests/']")
    page.wait_for_url(re.compile(r"/requests/\d+$"))
    request_url = page.url
    assert page.inner_text("#request-status") == "不予共享"
    page.fill("#escalate-reason", "欠薪线索核查属法定职责，请求协调")
    page.click("#escalate-form button[type=submit]")
    page.wait_for_url(request_url)
    assert "申请争议协调" in page.inner_text(".flash")
    assert page.inner_text("#request-status") == "争议协调中"

    context, coordinator, watch = _persona(browser, site, site.tokens["coordinator"])
    try:
        coordinator.click("nav a[href='/arbitration']")
        row = coordinator.locator("#waiting tr", has_text="欠薪线索核查属法定职责")
        row.locator("select[name=outcome]").select_option("grant")
        row.locator("input[name=reason]").fill("为核查欠薪线索所必需，予以共享，限定期限")
        row.locator("button[type=submit]").click()
        coordinator.wait_for_url("**/arbitration")
        assert "已裁决" in coordinator.inner_text(".flash")
        assert "予以共享" in coordinator.locator("#decided tr", has_text="劳动保障监察举报信息").inner_text()
    finally:
        context.close()
    assert watch.errors == []

    page.goto(request_url)
    assert page.inner_text("#request-status") == "已裁决"
    assert "予以共享" in page.inner_text("#final-decision")
    steps = page.locator("#timeline li").evaluate_all("els => els.map(e => e.dataset.step)")
    assert steps == ["submitted", "answered", "escalated", "arbitrated"]
    assert page.locator("#request-actions").count() == 0  # final: nothing left to do
    page.click("nav a[href='/grants']")
    assert page.locator("#received tr", has_text=LABOUR_REPORTS).count() == 1


def test_feedback_report_answered_by_the_provider(page: Any, site: Site, browser: Any) -> None:
    sign_in(page, site.tokens["tax"])
    page.goto(f"/r/{BUSINESS_LICENCE}")
    page.select_option("#feedback-item", "unified_social_credit_code")
    page.fill("#feedback-description", "某企业统一社会信用代码校验位错误（第 18 位）")
    page.click("#feedback-form button[type=submit]")
    assert "纠错反馈已提交" in page.inner_text(".flash")
    assert "待答复" in page.locator("#feedback tr", has_text="校验位错误").inner_text()

    context, market, watch = _persona(browser, site, site.tokens["market"])
    try:
        market.click("nav a[href='/feedback']")
        row = market.locator("#incoming tr", has_text="校验位错误")
        assert "待答复" in row.inner_text()
        row.locator("select[name=outcome]").select_option("corrected")
        row.locator("input[name=answer]").fill("已按营业执照原件更正")
        row.locator("button[type=submit]").click()
        market.wait_for_url(re.compile(r"/feedback"))
        assert "已更正" in market.locator("#incoming tr", has_text="校验位错误").inner_text()
    finally:
        context.close()
    assert watch.errors == []

    page.reload()
    row = page.locator("#feedback tr", has_text="校验位错误").inner_text()
    assert "已更正" in row and "已按营业执照原件更正" in row


def test_stale_edit_is_refused(page: Any, site: Site) -> None:
    sign_in(page, site.tokens["market"])
    page.goto("/steward/new")
    page.fill("#f-yaml", DRAFT_YAML.replace("name: 网页测试草稿", "name: 并发修改示例"))
    page.click("#upload-form button[type=submit]")
    page.wait_for_url(re.compile(r"/r/301001330782101/\d{6}$"))
    page.click("#edit-link")
    page.wait_for_url(re.compile(r"/steward/edit/"))
    edit_url = page.url

    other = page.context.new_page()  # a colleague (or another tab) edits the same draft meanwhile
    watch = ConsoleWatch(other)
    other.goto(edit_url)
    other.fill("#f-name", "并发修改示例（同事已改）")
    other.click("#register-form button[type=submit]")
    other.wait_for_url(re.compile(r"/r/301001330782101/\d{6}$"))
    assert "第 2 版" in other.inner_text(".flash")
    other.close()
    assert watch.errors == []

    page.fill("#f-abstract", "我的修改基于旧版本。")
    page.click("#register-form button[type=submit]")
    alert = page.locator(".alert")
    assert "已被他人修改，请刷新后再改" in alert.inner_text()
    assert alert.get_attribute("data-refused") == "412"
    page.click("#reload-latest")  # refreshed: the colleague's version, with its new ETag
    assert page.input_value("#f-name") == "并发修改示例（同事已改）"
