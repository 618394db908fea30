"""The web catalogue browser: server-rendered pages in Chinese, served by the same FastAPI app.

    register_web(app, settings)   mount the static files and the page routes on `app`

Pages call the same catalogue functions as the API routes; the session is a token in an HttpOnly
cookie and every form is CSRF-protected (see `api.web.session`).
"""
from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from catalog.settings import Settings

STATIC_DIR = Path(__file__).resolve().parent / "static"


def register_web(app: FastAPI, settings: Settings) -> None:
    """Add the pages and /static to `app` (the app factory calls this once)."""
    from api.web import (routes_auth, routes_cascade, routes_edit, routes_notify, routes_oidc, routes_resource,
                         routes_review, routes_search, routes_sharing, routes_sources, routes_staged, routes_steward)
    from api.web.security import add_security_headers

    app.mount("/static", StaticFiles(directory=str(STATIC_DIR)), name="static")
    for module in (routes_auth, routes_oidc, routes_search, routes_resource, routes_steward, routes_edit,
                   routes_sharing, routes_review, routes_sources, routes_cascade, routes_notify, routes_staged):
        app.include_router(module.router, include_in_schema=False)
    from api.web import routes_demands

    app.include_router(routes_demands.router, include_in_schema=False)  # 供需对接
    add_security_headers(app)
