"""Sign-in through 统一身份认证 end to end, in Chromium, against the real OpenID provider on loopback:
the button, the provider's login and consent pages, back signed in as the mapped steward of 税务局, a share
request that a steward may make, sign-out ending the session on the server; unmapped claims and a forged
callback are refused."""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.web.render import ROLE_LABELS
from tests.net import free_port
from tests.oidc.conftest import TAX, Provider, oidc_settings, run_provider
from tests.web.conftest import ConsoleWatch, build_site_app, serve

RESOURCE = "301001330782101/000001"  # 企业设立登记信息, 市场监管局, 有条件共享 (seed)


@dataclass
class OidcSite:
    url: str
    provider: Provider


@pytest.fixture(scope="module")
def oidc_site(tmp_path_factory: pytest.TempPathFactory, signing_keys: dict[str, Any],
              claims_map: Path) -> Iterator[OidcSite]:
    port = free_port()  # the provider's address is in mulu's settings before either starts
    app, _ = build_site_app(tmp_path_factory.mktemp("oidc-web") / "data",
                            **oidc_settings(f"http://127.0.0.1:{port}", claims_map))
    with serve(app) as url, run_provider(signing_keys, [f"{url}/auth/oidc/callback"], port=port) as provider:
        yield OidcSite(url=url, provider=provider)


@pytest.fixture
def page(browser: Any, oidc_site: OidcSite) -> Iterator[Any]:
    context = browser.new_context(base_url=oidc_site.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(20_000)
    watch = ConsoleWatch(pg)
    yield pg
    context.close()
    # the provider's own pages are not ours to judge; a refused sign-in answers 403 on purpose
    ours = [e for e in watch.errors if oidc_site.url in e and not ("status of 403" in e and "/auth/oidc/callback" in e)]
    assert ours == [], "browser console errors:\n" + "\n".join(ours)


def sign_in_at_provider(page: Any, oidc_site: OidcSite, login: str) -> None:
    page.goto("/signin")
    page.click("#oidc-signin")
    page.wait_for_url(f"{oidc_site.provider.issuer}/interaction/**")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "任意口令")
    page.click("button[type=submit]")
    page.wait_for_selector("input[name=prompt][value=consent]", state="attached")
    page.click("button[type=submit]")  # consent: Continue


def test_sign_in_with_the_identity_provider_acts_as_the_mapped_steward_and_sign_out_ends_it(
        page: Any, oidc_site: OidcSite) -> None:
    page.goto("/signin")
    assert page.inner_text("#oidc-signin") == "使用统一身份认证登录"
    sign_in_at_provider(page, oidc_site, "zhangsan")
    page.wait_for_url(f"{oidc_site.url}/")
    assert "张三" in page.inner_text("header .who") and TAX in page.inner_text("header .who")
    assert page.inner_text("header .who .badge") == ROLE_LABELS["steward"]

    page.goto(f"/r/{RESOURCE}")  # a steward of 税务局 may ask 市场监管局 for its data
    page.fill("#purpose", "办理新设企业的税务登记（多证合一）")
    page.fill("#basis", "《中华人民共和国税收征收管理法》第十五条")
    page.fill("#period_days", "180")
    page.click("#request-access button[type=submit]")
    page.wait_for_url(re.compile(r"/r/301001330782101/000001"))
    assert "申请已提交" in page.inner_text(".flash")
    assert "本部门的申请" in page.inner_text("#requests") and "待答复" in page.inner_text("#requests")

    cookie = next(c["value"] for c in page.context.cookies() if c["name"] == "mulu_session")
    copied = httpx.Client(base_url=oidc_site.url, cookies={"mulu_session": cookie}, follow_redirects=False)
    assert copied.get("/steward/drafts").status_code == 200  # the session cookie works from anywhere …
    page.click("header .who form[action='/signout'] button")
    page.wait_for_url(f"{oidc_site.url}/")
    assert "登录" in page.inner_text("header .who")
    assert copied.get("/steward/drafts").status_code != 200  # … until sign-out ends it on the server
    copied.close()


def test_an_account_whose_claims_map_to_nothing_is_refused_with_a_clear_message(
        page: Any, oidc_site: OidcSite) -> None:
    sign_in_at_provider(page, oidc_site, "lisi")
    page.wait_for_url(re.compile(r"/auth/oidc/callback"))
    assert "没有对应的目录角色" in page.inner_text("[role=alert]")
    assert "mulu_session" not in {c["name"] for c in page.context.cookies()}
    page.goto("/steward/drafts")
    page.wait_for_url(re.compile(r"/signin"))  # not signed in


def test_a_callback_whose_state_differs_from_the_browsers_flow_is_refused(oidc_site: OidcSite) -> None:
    with httpx.Client(base_url=oidc_site.url, follow_redirects=False) as client:
        start = client.get("/auth/oidc/start")
        assert start.status_code == 303 and "code_challenge_method=S256" in start.headers["location"]
        forged = client.get("/auth/oidc/callback", params={"state": "attacker-state", "code": "attacker-code"})
        assert forged.status_code == 401
        assert "state" in forged.text
        assert "mulu_session" not in client.cookies
        no_flow = httpx.get(f"{oidc_site.url}/auth/oidc/callback", params={"state": "x", "code": "y"})
        assert no_flow.status_code == 401 and "登录流程已失效" in no_flow.text
