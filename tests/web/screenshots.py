"""Screenshots of the main pages into docs/screenshots/*.png (Debian's Chromium via Playwright).

    python -m tests.web.screenshots            # from the repository root

Builds the same seeded site the browser tests use, walks the personas through a short story (a draft
submitted for review, a share request waiting for an answer) and photographs each page.
"""
from __future__ import annotations

import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.net import free_port  # noqa: E402

if TYPE_CHECKING:
    import uvicorn
from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, build_site_app  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
RESOURCE = "301001330782101/000001"


def serve(app) -> tuple[uvicorn.Server, str]:  # type: ignore[no-untyped-def]
    """Run `app` on a free loopback port in a daemon thread; the server (to stop it) and its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return server, f"http://127.0.0.1:{port}"


def main() -> None:
    from playwright.sync_api import sync_playwright

    OUT.mkdir(parents=True, exist_ok=True)
    app, tokens = build_site_app(Path(tempfile.mkdtemp(prefix="mulu-shots-")) / "data")
    server, base = serve(app)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        def persona(token: str):  # type: ignore[no-untyped-def]
            page = browser.new_context(base_url=base, locale="zh-CN", viewport={"width": 1280, "height": 860}) \
                .new_page()
            page.goto("/signin")
            page.fill("#token", token)
            page.click("form[action='/signin'] button[type=submit]")
            page.wait_for_url(base + "/")
            return page

        def shot(page, name: str, path: str | None = None) -> None:  # type: ignore[no-untyped-def]
            if path:
                page.goto(path)
            page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)
            print("wrote", OUT / f"{name}.png")

        anonymous = browser.new_context(base_url=base, locale="zh-CN", viewport={"width": 1280, "height": 860}) \
            .new_page()
        shot(anonymous, "01-signin", "/signin")

        tax = persona(tokens["tax"])
        shot(tax, "02-search", "/?q=统一社会信用代码&provider_code=330782101")
        tax.goto(f"/r/{RESOURCE}")
        tax.fill("#purpose", "办理新设企业的税务登记（多证合一）")
        tax.fill("#basis", "《中华人民共和国税收征收管理法》第十五条")
        tax.click("#request-access button[type=submit]")
        tax.wait_for_url(f"**/r/{RESOURCE}*")
        shot(tax, "03-resource", f"/r/{RESOURCE}")

        market = persona(tokens["market"])
        market.goto("/steward/new")
        market.fill("#f-name", "市场主体年度报告抽查结果")
        market.fill("#f-classification", "301003")
        market.fill("#f-items", "统一社会信用代码 | UnifiedCode | C | 18")
        market.click("#register-form button[type=submit]")
        market.wait_for_selector(".alert")
        shot(market, "04-register-findings")
        shot(market, "05-share-requests", "/steward/requests")
        market.goto("/steward/new")
        market.fill("#f-name", "市场主体年度报告抽查结果")
        market.fill("#f-classification", "301003330782101")
        market.fill("#f-abstract", "年度报告“双随机”抽查的结果与处理情况。")
        market.select_option("#f-format_category", "电子表格")
        market.fill("#f-format_type", "xlsx")
        market.fill("#f-items", "统一社会信用代码 | unified_social_credit_code | C | 18 | | DE0001\n"
                                "抽查结果 | inspection_result | C | 200")
        market.select_option("#f-share_type", "无条件共享")
        market.select_option("#f-method_category", "共享平台")
        market.select_option("#f-method_type", "文件")
        market.click("#register-form button[type=submit]")
        market.wait_for_url("**/r/301003330782101/*")
        market.click("form:has(input[value=submit]) button")
        market.wait_for_load_state()

        coordinator = persona(tokens["coordinator"])
        shot(coordinator, "06-review-queue", "/review")
        shot(coordinator, "07-report", "/report")
        shot(coordinator, "08-audit", "/audit")
        shot(coordinator, "09-overdue", "/overdue")

        # a refused request escalated by 税务局 and arbitrated by the coordinator
        tax.goto("/r/304003330782104/000001")
        tax.fill("#purpose", "核查用人单位欠薪与纳税申报的一致性")
        tax.fill("#basis", "《保障农民工工资支付条例》第五条")
        tax.click("#request-access button[type=submit]")
        tax.click("#requests a[href^='/requests/']")
        tax.wait_for_url("**/requests/*")
        request_url = tax.url
        tax.fill("#escalate-reason", "欠薪线索核查属法定职责，请求协调")
        tax.click("#escalate-form button[type=submit]")
        tax.wait_for_load_state()
        shot(coordinator, "11-arbitration", "/arbitration")
        row = coordinator.locator("#waiting tr", has_text="欠薪线索核查")
        row.locator("select[name=outcome]").select_option("grant")
        row.locator("input[name=reason]").fill("为核查欠薪线索所必需，予以共享")
        row.locator("button[type=submit]").click()
        coordinator.wait_for_load_state()
        shot(tax, "10-request-timeline", request_url)

        # an unconditional grant flagged for review when its resource is withdrawn
        tax.goto("/r/301006330782101/000001")
        tax.fill("#purpose", "历史数据比对")
        tax.fill("#basis", "业务需要")
        tax.click("#request-access button[type=submit]")
        tax.wait_for_load_state()
        market.goto("/r/301006330782101/000001")
        market.click("form:has(input[value=withdraw]) button")
        market.wait_for_load_state()
        shot(market, "12-grants", "/grants")

        # a data-error report waiting for the provider's answer
        tax.goto("/r/105002/000001")
        tax.select_option("#feedback-item", "unified_social_credit_code")
        tax.fill("#feedback-description", "某企业统一社会信用代码校验位错误（第 18 位）")
        tax.click("#feedback-form button[type=submit]")
        tax.wait_for_load_state()
        shot(market, "13-feedback", "/feedback")

        # a stale edit refused
        from tests.web.test_pages import DRAFT_YAML

        market.goto("/steward/new")
        market.fill("#f-yaml", DRAFT_YAML.replace("name: 网页测试草稿", "name: 市场主体年度报告抽查结果"))
        market.click("#upload-form button[type=submit]")
        market.wait_for_url("**/r/**")
        market.click("#edit-link")
        market.wait_for_url("**/steward/edit/**")
        other = market.context.new_page()
        other.goto(market.url)
        other.fill("#f-name", "市场主体年度报告抽查结果（同事已改）")
        other.click("#register-form button[type=submit]")
        other.wait_for_load_state()
        market.fill("#f-abstract", "基于旧版本的修改。")
        market.click("#register-form button[type=submit]")
        market.wait_for_selector(".alert")
        shot(market, "14-edit-stale")
        browser.close()
    server.should_exit = True


if __name__ == "__main__":
    main()
