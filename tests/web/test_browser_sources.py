"""End to end in Debian's Chromium: the redundancy matrix filtered and sorted from its own controls, and
the joint-registration scenario reached from the navigation. Read-only: the shared site is unchanged."""
from __future__ import annotations

import re
from typing import Any

from tests.web.conftest import Site, sign_in


def test_redundancy_matrix_filters_and_sorts(page: Any, site: Site) -> None:
    page.goto("/elements/redundancy")  # signed out: the published catalogue
    rows = page.locator("#redundancy tbody tr")
    everything = rows.count()
    page.select_option("#department", "330782117")  # 大数据局
    page.check("input[name=duplicates]")
    page.click("#filters button[type=submit]")
    page.wait_for_url(re.compile(r"department=330782117"))
    shown = [i.split()[0] for i in page.locator("#redundancy tbody tr td:first-child code").all_inner_texts()]
    assert "DE0018" in shown and "DE0059" not in shown and len(shown) < everything
    page.click("#totals a:has-text('重复采集数')")
    page.wait_for_url(re.compile(r"sort=duplicates"))
    counts = [int(t) for t in page.locator("#redundancy tbody tr td:nth-child(3)").all_inner_texts()]
    assert counts == sorted(counts, reverse=True) and "330782117" in page.url  # the filter is kept
    cell = page.locator("#el-DE0018 td.cell-duplicate")
    assert "电子印章" in (cell.get_attribute("title") or "")


def test_scenario_page_from_the_navigation(page: Any, site: Site) -> None:
    sign_in(page, site.tokens["tax"])
    page.click("nav a:has-text('联办场景')")
    page.click("a:has-text('企业设立联合登记')")
    page.wait_for_url(re.compile(r"/scenarios/joint-company-registration$"))
    potential = page.inner_text("#figures-potential")
    assert "26 → 9" in potential and "8 → 5" in potential and "51,255" in potential
    assert page.locator("section.step").count() == 5
