"""The FastAPI app: `create_app(settings)` builds one `Catalog` and wires error handlers, body limit and routes.

Routes live under /api/v1; every router is listed here. The Catalog's search backend applies the outbox
after each committed write (`Catalog.attach_search`); the Catalog is closed when the app shuts down.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI

from api import log_redaction
from api.errors import install_error_handlers
from api.docs import install_docs
from api.limits import BodyLimit
from api.operations import install_operations
from api.routes import (
    audit_log, cascade, demands, departments, imports, lifecycle_bulk, meta, notify, resources, search, sharing, sources,
    staged, tokens,
)
from api.web import register_web
from api.oidc_http import HttpxProviderHttp
from catalog.core import Catalog
from catalog.oidc.config import OidcConfig
from catalog.oidc.provider import IdentityProvider
from catalog.db import Database
from api.routes.notify import AppClock
from catalog.notify.service import start_notifier
from catalog.settings import Settings, get_settings

log = logging.getLogger("mulu.api")
API_PREFIX = "/api/v1"
ROUTERS = (meta, resources, audit_log, search, sharing, imports, tokens, sources, demands, cascade, notify, departments, staged, lifecycle_bulk)  # demands: 供需对接


def create_app(settings: Settings | None = None, *, db: Database | None = None,
               catalog: Catalog | None = None, warm_search: bool = False) -> FastAPI:
    """The app of one Catalog: `catalog` when given, else one built from `settings` (default: the environment).
    `warm_search` (a server: `mulu serve`, `api.asgi`): at start-up, a thread loads the search's dictionaries and
    vocabulary (`Catalog.warm_search`) while requests are already served; tests leave it off."""
    if catalog is None:
        catalog = Catalog.from_settings(settings or get_settings(), db=db)
    settings = catalog.settings

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        warming = threading.Thread(target=catalog.warm_search, name="mulu-search-warm", daemon=True)
        if warm_search:
            warming.start()
        yield
        if warming.is_alive():
            warming.join(timeout=30)
        catalog.close()

    app = FastAPI(title="mulu 目录 API", version="0.1.0", lifespan=lifespan,
                  description="政务信息资源目录：登记、审核、发布、版本与审计。令牌：`mulu token create`。",
                  docs_url=None, redoc_url=None)  # served offline by api.docs
    app.state.catalog = catalog
    app.state.settings, app.state.db = settings, catalog.db  # kept for older callers; prefer CatalogDep
    log_redaction.install()  # no ?access_token= in the access log
    install_error_handlers(app)
    install_docs(app)
    api = APIRouter(prefix=API_PREFIX)
    for module in ROUTERS:
        api.include_router(module.router)
    app.include_router(api)
    register_web(app, settings)  # the web pages (api/web)
    oidc = OidcConfig.from_settings(settings)  # 统一身份认证: None unless MULU_OIDC_ISSUER is set
    app.state.identity_provider = IdentityProvider(config=oidc, http=HttpxProviderHttp()) if oidc else None
    catalog.attach_search()
    # catalog.notify: the background sender and the reminder scheduler (stopped by db.dispose())
    app.state.notifier = start_notifier(settings=settings, db=catalog.db, clock=AppClock(app))
    catalog.notifier = app.state.notifier
    install_operations(app, catalog)  # /health, /ready, /metrics, X-Request-ID, JSON access log
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    return app
