"""/docs and /redoc work with no internet: every request to another host is blocked, and the pages
still show the API's operations (government networks are often offline)."""
from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.web.conftest import ConsoleWatch, Site

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@pytest.fixture
def offline_page(browser: Any, site: Site) -> Any:
    """A page whose requests to any host but this machine are aborted (and recorded)."""
    context = browser.new_context(base_url=site.url, locale="zh-CN")
    blocked: list[str] = []

    def route(r: Any) -> None:
        host = urlsplit(r.request.url).hostname or ""
        if r.request.url.startswith(("data:", "blob:")) or host in LOOPBACK:
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.blocked = blocked
    page.console_watch = ConsoleWatch(page)
    yield page
    context.close()


def test_swagger_ui_shows_the_operations_offline(offline_page: Any) -> None:
    offline_page.goto("/docs")
    offline_page.wait_for_selector(".opblock-summary-path")
    paths = offline_page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/resources/{code}/submit" in [p.replace("\u200b", "") for p in paths]
    assert offline_page.locator(".opblock-tag").count() >= 5
    assert offline_page.blocked == []
    assert offline_page.console_watch.errors == []


def test_redoc_shows_the_operations_offline(offline_page: Any) -> None:
    offline_page.goto("/redoc")
    offline_page.locator("h2", has_text="登记资源（草稿）").first.wait_for()
    assert offline_page.locator("[data-section-id^='operation/']").count() >= 20
    assert offline_page.blocked == []
    assert offline_page.console_watch.errors == []
