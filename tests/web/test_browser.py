"""End to end in Debian's Chromium: sign in, search and filter, open a resource, request access as
税务局, approve it as 市场监管局; every page free of console errors; CSRF and escaping hold."""
from __future__ import annotations

import re
from typing import Any

from tests.web.conftest import MARKET, ConsoleWatch, Site, sign_in

RESOURCE = "301001330782101/000001"  # 企业设立登记信息, 市场监管局, 有条件共享


def test_sign_in_search_filter_request_and_approve(page: Any, site: Site, browser: Any) -> None:
    sign_in(page, site.tokens["tax"])
    assert "税务局数据管理员" in page.inner_text("header .who")

    page.fill("input[name=q]", "统一社会信用代码")
    page.press("input[name=q]", "Enter")
    page.wait_for_url(re.compile(r"q=%E7%BB%9F"))  # the query is in the URL (bookmarkable)
    total = int(re.search(r"共 (\d+) 条", page.inner_text("#result-count")).group(1))
    assert total > 10
    assert page.locator("article.hit mark").count() > 0  # highlighted matches

    facet = page.locator(f"ul[data-facet=provider_code] a[data-value='{MARKET}']")
    shown = int(facet.locator(".count").inner_text())
    facet.click()
    page.wait_for_url(re.compile(rf"provider_code={MARKET}"))
    assert int(re.search(r"共 (\d+) 条", page.inner_text("#result-count")).group(1)) == shown < total
    assert page.locator(f"ul[data-facet=provider_code] a.on[data-value='{MARKET}']").count() == 1
    providers = page.locator("article.hit").evaluate_all("els => els.map(e => e.dataset.provider)")
    assert providers and set(providers) == {MARKET}

    page.goto("/?" + f"q=统一社会信用代码&provider_code={MARKET}&share_type=有条件共享")
    page.click(f"a[href='/r/{RESOURCE}']")
    page.wait_for_url(f"**/r/{RESOURCE}")
    assert page.inner_text("#resource-name") == "企业设立登记信息"
    assert page.locator("#items tbody tr").count() > 3
    assert "统一社会信用代码" in page.inner_text("#items")
    assert page.locator("#related svg.graph g.node").count() >= 2  # the registration chain

    page.fill("#purpose", "办理新设企业的税务登记（多证合一）")
    page.fill("#basis", "《中华人民共和国税收征收管理法》第十五条")
    page.fill("#period_days", "180")
    page.click("#request-access button[type=submit]")
    page.wait_for_url(re.compile(r"/r/301001330782101/000001"))
    assert "申请已提交" in page.inner_text(".flash")
    assert "待答复" in page.inner_text("#requests")

    provider = browser.new_context(base_url=site.url, locale="zh-CN")
    ppage = provider.new_page()
    watch = ConsoleWatch(ppage)
    try:
        sign_in(ppage, site.tokens["market"])
        ppage.goto("/steward/requests")
        row = ppage.locator("#incoming tr", has_text="办理新设企业的税务登记")
        assert "待答复" in row.inner_text()
        row.locator("form:has(input[value=approve]) button").click()
        ppage.wait_for_url("**/steward/requests")
        assert "已同意" in ppage.inner_text(".flash")
        assert "已批准" in ppage.locator("#incoming tr", has_text="办理新设企业的税务登记").inner_text()
        ppage.goto(f"/r/{RESOURCE}")
        assert "330782103" in ppage.inner_text("#grants")  # the grant to 税务局 shows on the resource
    finally:
        provider.close()
    assert watch.errors == []

    page.goto(f"/r/{RESOURCE}")
    assert "已批准" in page.inner_text("#requests")
    assert "330782103" in page.inner_text("#grants")


def test_csrf_less_post_is_refused(page: Any, site: Site) -> None:
    sign_in(page, site.tokens["tax"])
    # the browser's own cookies, but no csrf_token field: refused, nothing done
    response = page.request.post("/act/request-access", form={"code": RESOURCE, "purpose": "x", "basis": "y",
                                                               "period_days": "30"})
    assert response.status == 403
    assert "CSRF" in response.text()
    response = page.request.post("/signout", form={"csrf_token": "forged"})
    assert response.status == 403
    page.goto("/")
    assert "税务局数据管理员" in page.inner_text("header .who")  # still signed in


def test_script_in_a_name_shows_as_text(page: Any, site: Site) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    sign_in(page, site.tokens["market"])
    page.goto("/steward/new")
    name = "<script>alert('xss')</script>企业名录"
    page.fill("#f-name", name)
    page.fill("#f-classification", "301001330782101")
    page.fill("#f-abstract", "用于检验页面转义的测试资源。")
    page.select_option("#f-format_category", "电子表格")
    page.fill("#f-format_type", "xlsx")
    page.fill("#f-items", "企业名称 | enterprise_name | C | 200 | | DE0002")
    page.select_option("#f-share_type", "无条件共享")
    page.select_option("#f-method_category", "共享平台")
    page.select_option("#f-method_type", "文件")
    page.click("#register-form button[type=submit]")
    page.wait_for_url(re.compile(r"/r/301001330782101/\d{6}$"))
    assert page.inner_text("#resource-name") == name
    assert page.title().startswith(name)
    assert dialogs == []
    html = page.content()
    assert "&lt;script&gt;alert" in html


def test_form_findings_show_next_to_fields(page: Any, site: Site) -> None:
    sign_in(page, site.tokens["market"])
    page.goto("/steward/new")
    page.fill("#f-name", "错误示例")
    page.fill("#f-classification", "999")
    page.click("#register-form button[type=submit]")
    assert page.locator(".alert").count() == 1
    assert page.locator("#findings-classification li.error").count() >= 1
    assert page.locator("#findings-abstract li.error").count() >= 1
    assert page.input_value("#f-name") == "错误示例"  # what was typed is kept


def test_coordinator_and_auditor_pages(page: Any, site: Site) -> None:
    sign_in(page, site.tokens["coordinator"])
    for path, marker in (("/review", "审核队列"), ("/overdue", "超期"), ("/report", "绩效评估"),
                         ("/audit", "审计日志")):
        page.goto(path)
        assert marker in page.inner_text("h1")
    page.goto("/report")
    assert page.locator("#chart-resources svg rect.bar").count() >= 10
    page.goto("/audit")
    assert "哈希链校验通过" in page.inner_text("#chain-status")
