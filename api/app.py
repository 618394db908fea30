"""The FastAPI app: `create_app(settings)` wires the database, error handlers, body limit and routes.

Routes live under /api/v1. After each committed write the Database runs its `after_commit` hooks;
`catalog.search` (when present) attaches the outbox applier there through `attach_search`.
"""
from __future__ import annotations

import importlib
import logging

from fastapi import APIRouter, FastAPI

from api.docs import install_docs
from api.errors import install_error_handlers
from api.limits import BodyLimit
from api.operations import install_operations
from api.routes import audit_log, meta, resources
from api.routes import demands as demand_routes
from api.web import register_web
from catalog.db import Database, open_database
from catalog.settings import Settings, get_settings

log = logging.getLogger("mulu.api")
API_PREFIX = "/api/v1"
# Routers other parts add (module api.routes.<name> exposing `router`); skipped while absent.
OPTIONAL_ROUTERS = ("search", "sharing", "stats", "interop", "imports", "tokens", "sources")


def create_app(settings: Settings | None = None, *, db: Database | None = None) -> FastAPI:
    settings = settings or get_settings()
    db = db or open_database(settings)
    app = FastAPI(title="mulu 目录 API", version="0.1.0",
                  description="政务信息资源目录：登记、审核、发布、版本与审计。令牌：`mulu token create`。",
                  docs_url=None, redoc_url=None)  # served offline by api.docs
    app.state.settings, app.state.db = settings, db
    install_error_handlers(app)
    install_docs(app)
    api = APIRouter(prefix=API_PREFIX)
    for module in (meta, resources, audit_log):
        api.include_router(module.router)
    for name in OPTIONAL_ROUTERS:
        try:
            module = importlib.import_module(f"api.routes.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"api.routes.{name}":
                raise
            continue
        api.include_router(module.router)
    api.include_router(demand_routes.router)  # 供需对接 (catalog.demands)
    app.include_router(api)
    register_web(app, settings)  # the web pages (api/web)
    _attach_search(settings, db)
    install_operations(app, settings, db)  # /health, /ready, /metrics, X-Request-ID, JSON access log
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    return app


def _attach_search(settings: Settings, db: Database) -> None:
    """Let catalog.search hook the outbox applier into `db.after_commit` (if it offers `attach`)."""
    try:
        search = importlib.import_module("catalog.search")
    except ImportError:
        return
    attach = getattr(search, "attach", None)
    if callable(attach):
        attach(settings=settings, db=db)
