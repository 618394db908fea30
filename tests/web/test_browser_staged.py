"""In Chromium: a record an import staged (待整改) is fixed by its department's steward, next to the
findings of each field, submitted, then published by the coordinator from the review queue's selection."""
from __future__ import annotations

import json
import re
from typing import Any

from catalog.auth import SYSTEM
from catalog.interop.harvest_sources import harvest_input
from catalog.interop.mapping import mapping_from_dict
from tests.harvest.conftest import shared_dir
from tests.web.conftest import Site, sign_in

MAPPING = {
    "title": "义乌示例", "source_system": "browser-test/huainan-entry", "region": {"code": "330782", "name": "义乌市"},
    "records": "entries", "key": "url",
    "fields": {"name": "name", "provider": {"value": "义乌市市场监督管理局"}, "abstract": "abstract",
               "classification": {"value": "201005"}, "share.type": {"from": "open_label",
                                                                     "map": {"无条件开发": "无条件共享"}},
               "format": {"from": "formats", "format": True}, "share.method": {"derive": "share-method"},
               "open.to_public": {"value": False}, "update_cycle": "update_cycle"},
}


def stage_a_real_entry(site: Site) -> dict[str, Any]:
    """One real 淮南 entry (no abstract, no update cycle, format `file`) imported for 市场监管局."""
    entries = json.loads((shared_dir() / "samples" / "cn-open-data" / "entries.json").read_text(encoding="utf-8"))
    entry = next(e for e in entries["entries"] if e["source"].endswith("anhui_huainan.json")
                 and e["open_label"] == "无条件开发" and e["formats"] == ["file"])
    report = harvest_input(db=site.app.state.db, actor=SYSTEM, fmt="mapped", name="entries.json",
                           data=json.dumps({"entries": [entry]}).encode(),
                           mapping=mapping_from_dict(MAPPING, name="test"))
    assert report.counts()["staged"] == 1
    return {"entry": entry, "staged": report.staged[0]}


def test_steward_fixes_a_staged_record_and_the_coordinator_publishes_it(page: Any, site: Site, browser: Any) -> None:
    staged = stage_a_real_entry(site)
    staged_id, name = staged["staged"]["staged_id"], staged["entry"]["name"]
    sign_in(page, site.tokens["market"])
    page.goto("/steward/staged")
    row = page.locator("#staged-table tr", has_text=name)
    assert "/abstract" in row.inner_text()
    row.locator("a", has_text="整改").click()
    page.wait_for_url(f"**/steward/staged/{staged_id}")
    # each finding sits next to its field
    assert page.locator("#findings-abstract li.error").count() >= 1
    assert page.locator("#findings-format_category li.error, #findings-format_type li.error").count() >= 1
    page.fill("#f-abstract", f"{name}：淮南市民办非企业单位登记信息，按年更新。")
    page.select_option("#f-format_category", "电子文件")
    page.fill("#f-format_type", "pdf")
    page.select_option("#f-method_category", "共享平台")
    page.select_option("#f-method_type", "文件")
    page.select_option("#f-update_cycle", "每年")
    with page.expect_navigation():
        page.click("button[name=then][value=save]")
    assert "没有错误了" in page.inner_text("main"), page.inner_text("main")[:600]
    assert page.locator("#findings-abstract li.error").count() == 0
    page.click("#staged-submit")
    page.wait_for_url(re.compile(r"/r/\d+"))
    code = page.url.split("/r/", 1)[1]
    assert "提交审核" in page.inner_text(".flash")

    coordinator = browser.new_context(base_url=site.url, locale="zh-CN")
    cpage = coordinator.new_page()
    try:
        sign_in(cpage, site.tokens["coordinator"])
        cpage.goto("/review")
        cpage.check(f"input[name=codes][value='{code}']")
        cpage.click("#bulk-publish")
        cpage.wait_for_url("**/review")
        assert "已发布 1 条" in cpage.inner_text(".flash")
        cpage.goto(f"/r/{code}")
        assert name in cpage.inner_text("#resource-name")
        assert "已发布" in cpage.inner_text("main")
    finally:
        coordinator.close()
