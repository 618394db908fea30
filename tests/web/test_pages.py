"""The pages over HTTP (no browser): session cookie flags, CSRF on every form, escaping, redirects,
who sees what. Runs against the same seeded app as the browser tests."""
from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import MARKET, Site

POST_ROUTES = [
    ("/signin", {"token": "x"}),
    ("/signout", {}),
    ("/act/resource", {"code": "102001/000001", "action": "withdraw"}),
    ("/act/request-access", {"code": "301001330782101/000001", "purpose": "p", "basis": "b", "period_days": "9"}),
    ("/act/share-request", {"request_id": "1", "action": "approve"}),
    ("/steward/new", {"name": "x"}),
    ("/steward/upload", {"yaml_text": "name: x"}),
    ("/steward/edit", {"code": "102001/000001", "etag": "x", "name": "x"}),
    ("/steward/edit-yaml", {"code": "102001/000001", "etag": "x", "yaml_text": "name: x"}),
    ("/act/grant-revoke", {"grant_id": "1", "reason": "r"}),
    ("/act/feedback", {"code": "105002/000001", "description": "d"}),
    ("/act/feedback-answer", {"report_id": "1", "outcome": "corrected", "answer": "a"}),
]


def _client(site: Site, base_url: str = "http://127.0.0.1") -> TestClient:
    return TestClient(site.app, base_url=base_url, follow_redirects=False)


def _csrf(client: TestClient) -> str:
    page = client.get("/signin")
    return re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)


def _signed_in(site: Site, persona: str) -> tuple[TestClient, str]:
    client = _client(site)
    csrf = _csrf(client)
    response = client.post("/signin", data={"csrf_token": csrf, "token": site.tokens[persona], "next": "/"})
    assert response.status_code == 303
    return client, client.cookies.get("mulu_csrf") or ""


def test_session_cookie_is_httponly_lax_and_secure_off_loopback(site: Site) -> None:
    client = _client(site)
    csrf = _csrf(client)
    response = client.post("/signin", data={"csrf_token": csrf, "token": site.tokens["tax"], "next": "/"})
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("mulu_session="))
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie  # http on loopback
    remote = _client(site, base_url="https://catalog.yw.gov.cn")
    csrf = _csrf(remote)
    response = remote.post("/signin", data={"csrf_token": csrf, "token": site.tokens["tax"], "next": "/"})
    cookie = next(c for c in response.headers.get_list("set-cookie") if c.startswith("mulu_session="))
    assert "Secure" in cookie and "HttpOnly" in cookie
    plain = _client(site, base_url="http://catalog.yw.gov.cn")  # plain http off loopback: Secure anyway
    assert "Secure" in plain.get("/signin").headers["set-cookie"]


@pytest.mark.parametrize("path,data", POST_ROUTES)
def test_every_form_post_without_csrf_is_refused(site: Site, path: str, data: dict[str, str]) -> None:
    client, token = _signed_in(site, "coordinator")
    before = client.get("/audit").text.count("<tr>")
    for form in (data, {**data, "csrf_token": "forged-" + token}):
        response = client.post(path, data=form)
        assert response.status_code == 403, (path, response.status_code)
        assert "CSRF" in response.text
    assert client.get("/audit").text.count("<tr>") == before  # nothing was logged, nothing changed


def test_bad_token_keeps_you_signed_out(site: Site) -> None:
    client = _client(site)
    response = client.post("/signin", data={"csrf_token": _csrf(client), "token": "mulu_wrong", "next": "/"})
    assert response.status_code == 200 and "令牌无效" in response.text
    assert "mulu_session" not in client.cookies


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/x", "/\\evil.example"])
def test_sign_in_never_redirects_off_site(site: Site, target: str) -> None:
    client = _client(site)
    response = client.post("/signin", data={"csrf_token": _csrf(client), "token": site.tokens["tax"],
                                            "next": target})
    assert response.status_code == 303 and response.headers["location"] == "/"


def test_sign_out_clears_the_session(site: Site) -> None:
    client, csrf = _signed_in(site, "tax")
    assert "退出" in client.get("/").text
    response = client.post("/signout", data={"csrf_token": csrf})
    assert response.status_code == 303
    assert 'href="/signin"' in client.get("/").text


@pytest.mark.parametrize("path", ["/steward/new", "/steward/drafts", "/steward/requests", "/review", "/overdue",
                                  "/report", "/audit", "/arbitration", "/grants", "/feedback", "/requests/1",
                                  "/steward/edit/102001/000001"])
def test_pages_that_need_a_session_send_you_to_sign_in(site: Site, path: str) -> None:
    response = _client(site).get(path)
    assert response.status_code == 303 and response.headers["location"].startswith("/signin?next=")


@pytest.mark.parametrize("persona,path", [("tax", "/review"), ("tax", "/audit"), ("tax", "/report"),
                                          ("coordinator", "/steward/new"), ("auditor", "/review"),
                                          ("tax", "/arbitration"), ("auditor", "/arbitration"),
                                          ("tax", "/steward/edit/102001/000001")])
def test_roles_are_checked_by_the_catalogue_policy(site: Site, persona: str, path: str) -> None:
    client, _ = _signed_in(site, persona)
    response = client.get(path)
    assert response.status_code == 403 and "无权" in response.text


def test_drafts_are_invisible_to_other_departments(site: Site) -> None:
    market, csrf = _signed_in(site, "market")
    response = market.post("/steward/upload", data={"csrf_token": csrf, "yaml_text": DRAFT_YAML})
    assert response.status_code == 303, response.text[-800:]
    code = response.headers["location"].removeprefix("/r/")
    assert market.get(f"/r/{code}").status_code == 200
    tax, _ = _signed_in(site, "tax")
    assert tax.get(f"/r/{code}").status_code == 404
    assert _client(site).get(f"/r/{code}").status_code == 404
    assert _client(site).get("/r/999999/000001").status_code == 404


def test_catalogue_text_is_escaped_everywhere(site: Site) -> None:
    market, csrf = _signed_in(site, "market")
    evil = DRAFT_YAML.replace("name: 网页测试草稿", 'name: "<img src=x onerror=alert(1)>网页测试"')
    response = market.post("/steward/upload", data={"csrf_token": csrf, "yaml_text": evil})
    code = response.headers["location"].removeprefix("/r/")
    for path in (f"/r/{code}", "/steward/drafts", "/?q=网页测试"):
        html = market.get(path).text
        assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html, path


def test_yaml_findings_are_listed_and_nothing_is_saved(site: Site) -> None:
    market, csrf = _signed_in(site, "market")
    before = market.get("/steward/drafts").text.count("<tr>")
    response = market.post("/steward/upload", data={"csrf_token": csrf,
                                                    "yaml_text": DRAFT_YAML.replace("update_cycle: 每日", "update_cycle: 每刻")})
    assert response.status_code == 200 and 'data-refused="422"' in response.text
    assert "/update_cycle" in response.text
    assert market.get("/steward/drafts").text.count("<tr>") == before


def test_pages_carry_a_strict_content_security_policy(site: Site) -> None:
    response = _client(site).get("/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert "<script>" not in response.text  # no inline script anywhere
    assert _client(site).get("/static/mulu.js").status_code == 200


def test_search_url_carries_query_filters_and_page(site: Site) -> None:
    client = _client(site)
    html = client.get("/", params={"q": "企业", "provider_code": MARKET, "page": 2}).text
    assert 'class="cur">2<' in html
    assert f"provider_code={MARKET}" in html  # links keep the filter
    suggestions = client.get("/suggest", params={"q": "企业"}).json()
    assert suggestions["count"] >= 1


def test_a_short_search_page_lists_nearby_resources_under_their_heading(site: Site) -> None:
    client = _client(site)
    html = client.get("/", params={"q": "检疫结论"}).text
    hits, _, near = html.partition("相近的资源（与查询部分匹配）")
    assert near, "a short page shows the nearby heading"
    hit_codes = set(re.findall(r'href="/r/([^"]+)"', hits))
    near_codes = re.findall(r'href="/r/([^"]+)"', near)
    assert hit_codes and near_codes and not hit_codes & set(near_codes)
    assert "相近的资源" not in client.get("/", params={"q": "企业"}).text  # a full page: none


DRAFT_YAML = """
name: 网页测试草稿
classification: "301001330782101"
provider: 义乌市市场监督管理局
provider_code: "330782101"
abstract: 网页层测试用的草稿资源。
format: {category: 电子表格, type: xlsx}
items:
  - {name: 企业名称, identifier: enterprise_name, data_type: C, length: 200, element: DE0002}
share: {type: 无条件共享, method: {category: 共享平台, type: 文件}}
open: {to_public: false}
update_cycle: 每日
published_on: 2025-01-01
"""


