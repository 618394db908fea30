"""/docs (Swagger UI) and /redoc from mulu's own static files: nothing is loaded from another host.

Government networks are often offline, so the JavaScript, CSS and favicon the pages need are vendored
in `api/static/docs/` (versions in its README) and served under /static/docs/. The pages carry no
inline script; their Content-Security-Policy allows scripts and connections to this host only (the two
libraries inject their own styles, and ReDoc runs its search in a blob: worker).
"""
from __future__ import annotations

from html import escape
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_ASSETS = Path(__file__).resolve().parent / "static" / "docs"
ASSETS_URL = "/static/docs"
DOCS_CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; "
            "base-uri 'none'; frame-ancestors 'none'")

_PAGE = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="icon" type="image/png" href="{assets}/favicon-32x32.png">
{head}
</head>
<body data-openapi-url="{openapi}">
{body}
</body>
</html>
"""


def _page(title: str, openapi: str, head: str, body: str) -> HTMLResponse:
    html = _PAGE.format(title=escape(title), assets=ASSETS_URL, openapi=escape(openapi), head=head, body=body)
    return HTMLResponse(html, headers={"Content-Security-Policy": DOCS_CSP})


def install_docs(app: FastAPI) -> None:
    """Serve the docs pages (create the app with docs_url=None, redoc_url=None)."""
    app.mount(ASSETS_URL, StaticFiles(directory=str(DOCS_ASSETS)), name="docs-assets")
    openapi = app.openapi_url or "/openapi.json"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return _page(f"{app.title} — 接口文档", openapi,
                     f'<link rel="stylesheet" href="{ASSETS_URL}/swagger-ui.css">',
                     f'<div id="swagger-ui"></div>\n<script src="{ASSETS_URL}/swagger-ui-bundle.js"></script>\n'
                     f'<script src="{ASSETS_URL}/swagger-init.js"></script>')

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return _page(f"{app.title} — ReDoc", openapi, "",
                     f'<redoc spec-url="{escape(openapi)}"></redoc>\n'
                     f'<script src="{ASSETS_URL}/redoc.standalone.js"></script>')
