"""Every HTML page carries the security headers (strict CSP, nosniff, no framing, same-origin referrer, no-store);
JSON answers do not; a page that sets one of them itself keeps its own value."""
from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.testclient import TestClient

from api.web.security import CSP, HEADERS, add_security_headers


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/page")
    def page() -> HTMLResponse:
        return HTMLResponse("<p>目录</p>")

    @app.get("/own")
    def own() -> HTMLResponse:
        return HTMLResponse("<p>目录</p>", headers={"Cache-Control": "max-age=60", "X-Frame-Options": "SAMEORIGIN"})

    @app.get("/data")
    def data() -> JSONResponse:
        return JSONResponse({"目录": 1})

    add_security_headers(app)
    return app


def test_html_pages_get_the_headers_and_json_does_not() -> None:
    with TestClient(_app()) as client:
        page = client.get("/page")
        assert page.text == "<p>目录</p>"
        for name, value in HEADERS.items():
            assert page.headers.get_list(name) == [value]
        assert page.headers["content-security-policy"] == CSP and page.headers["cache-control"] == "no-store"
        own = client.get("/own")
        assert own.headers.get_list("cache-control") == ["max-age=60"]
        assert own.headers.get_list("x-frame-options") == ["SAMEORIGIN"]
        assert own.headers["content-security-policy"] == CSP
        data = client.get("/data")
        assert data.json() == {"目录": 1}
        assert not any(name in data.headers for name in HEADERS)


def test_the_real_pages_carry_them(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.headers["content-security-policy"] == CSP and page.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in client.get("/api/v1/health").headers
