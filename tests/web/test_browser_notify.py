"""In Debian's Chromium: the bell shows a steward's unread notifications; the inbox marks them read."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from catalog.auth import Actor, create_token
from catalog.models import Department, Resource
from catalog.sharing import requests
from catalog.sharing.calendar import load_calendar
from catalog.sharing.clock import SystemClock
from tests.web.conftest import MARKET, Site, sign_in


def test_bell_counts_unread_and_the_inbox_marks_read(page: Any, site: Site) -> None:
    db = site.app.state.db
    with db.transaction() as s:
        token, _ = create_token(session=s, role="steward", department_code=MARKET, name="市场监管局 通知测试员")
        codes = s.execute(select(Resource.code).where(Resource.provider_code == MARKET, Resource.state == "published",
                                                      Resource.share_type == "有条件共享").limit(2)).scalars().all()
        other = s.execute(select(Department.code).where(Department.code.not_in((MARKET, "330782103")))
                          .order_by(Department.code)).scalars().first()
    assert len(codes) == 2 and other
    asker = Actor("通知测试申请人", "steward", other)
    for code in codes:
        with db.transaction() as s:
            requests.create_request(session=s, actor=asker, calendar=load_calendar(), clock=SystemClock(),
                                    resource_code=code, purpose="核验登记信息", basis="业务需要", period_days=30)
    sign_in(page, token)
    assert page.inner_text(".bell .unread-count") == "2"
    page.click(".bell")
    page.wait_for_url("**/notifications")
    assert page.locator("ul.inbox li.unread").count() == 2
    assert "申请共享" in page.inner_text("ul.inbox li.unread >> nth=0")
    page.click("ul.inbox li.unread >> nth=0 >> button.mark-read")
    page.wait_for_load_state()
    assert page.inner_text(".bell .unread-count") == "1"
    assert page.locator("ul.inbox li.unread").count() == 1
    page.click("#read-all")
    page.wait_for_load_state()
    assert "已将 1 条通知标为已读" in page.inner_text(".flash")
    assert page.locator(".bell .unread-count").count() == 0
    assert page.locator("ul.inbox li").count() == 2
    assert page.console_watch.errors == []
