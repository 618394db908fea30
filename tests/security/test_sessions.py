"""Tokens and web sessions, on SQLite and PostgreSQL: the cookie is a server-side session id (never the
token), ended by sign-out and by revoking its token; sign-in is throttled in the database (so it holds
for every process); a revocation holds at once; `?access_token=` never reaches the access log."""
from __future__ import annotations

import re
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from catalog.settings import Settings
from catalog.sign_in_throttle import MAX_FAILURES
from tests.hardening.support import live_server
from tests.security.conftest import Site


def browser(site: Site) -> TestClient:
    return TestClient(site.app, base_url="http://127.0.0.1", follow_redirects=False)


def csrf(client: TestClient) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get("/signin").text).group(1)  # type: ignore[union-attr]


def token_of(site: Site, persona: str) -> str:
    return site.headers[persona]["Authorization"].removeprefix("Bearer ")


def sign_in(client: TestClient, token: str) -> int:
    return client.post("/signin", data={"csrf_token": csrf(client), "token": token, "next": "/"}).status_code


def signed_in(client: TestClient) -> bool:
    return client.get("/steward/drafts").status_code == 200


def test_the_session_cookie_is_not_the_token_and_sign_out_ends_it_on_the_server(site: Site) -> None:
    client = browser(site)
    assert sign_in(client, token_of(site, "market")) == 303
    cookie = client.cookies["mulu_session"]
    assert token_of(site, "market") not in cookie and signed_in(client)
    stolen = browser(site)
    stolen.cookies.set("mulu_session", cookie)
    assert signed_in(stolen)
    assert client.post("/signout", data={"csrf_token": client.cookies["mulu_csrf"]}).status_code == 303
    assert not signed_in(stolen)  # a copy of the cookie is worthless once its owner signed out


def test_revoking_the_token_ends_its_web_sessions_and_api_use_at_once(site: Site) -> None:
    client = browser(site)
    assert sign_in(client, token_of(site, "market")) == 303 and signed_in(client)
    tokens = site.client.get("/api/v1/tokens", headers=site.headers["admin"]).json()["data"]
    [market] = [t for t in tokens if t["name"] == "market"]
    assert site.client.delete(f"/api/v1/tokens/{market['id']}", headers=site.headers["admin"]).status_code == 200
    assert not signed_in(client)
    assert site.client.get("/api/v1/resources", headers=site.headers["market"]).status_code == 401


def test_sign_in_is_throttled_per_client_in_the_database(site: Site) -> None:
    client = browser(site)
    for _ in range(MAX_FAILURES):
        assert sign_in(client, "mulu_wrong-guess") == 200  # the form again, with an error
    assert sign_in(client, token_of(site, "tax")) == 429  # even the right token, until the window passes
    # a second app (another process) on the same database refuses too
    other = create_app(Settings(data_dir=site.app.state.settings.data_dir), db=site.app.state.db)
    second = TestClient(other, base_url="http://127.0.0.1", follow_redirects=False)
    assert sign_in(second, token_of(site, "tax")) == 429


def test_access_token_in_the_query_never_reaches_the_access_log(site: Site) -> None:
    if site.kind != "sqlite":
        pytest.skip("`mulu serve` is started on the SQLite catalogue of MULU_DATA_DIR")
    secret = token_of(site, "developer")
    with live_server(site.app.state.settings.data_dir) as server:
        res = httpx.get(f"{server.url}/api/v1/resources", params={"access_token": secret, "limit": 1})
        assert res.status_code == 401
        time.sleep(0.3)
        log = server.log_text()
    assert "access_token=[已隐去]" in log, log[-1000:]
    assert secret not in log
