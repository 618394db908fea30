"""Operations: /health (alive), /ready (database and search reachable), /metrics (Prometheus), and a
request id on every response (`X-Request-ID`) and every log line (JSON, one object per line).

    install_operations(app, catalog)    the three routes and the request middleware

Metrics come from prometheus-client, one registry per app (several apps in one test process):
    mulu_http_requests_total{method, route, status}      route = the path template, not the raw path
    mulu_http_request_duration_seconds{method, route}    latency histogram
    mulu_outbox_pending, mulu_outbox_lag_seconds          search outbox rows not yet applied, oldest age
    mulu_search_degraded                                  1 while search answers from the embedded fallback
    mulu_share_requests_pending{overdue}                  share requests awaiting an answer, and overdue
The catalogue gauges are read from the database when /metrics is scraped.
"""
from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select, text

from api.log_redaction import redact
from catalog.core import Catalog
from catalog.search.base import SearchBackend

REQUEST_ID = contextvars.ContextVar("mulu_request_id", default="")
_GOOD_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")  # a caller's id is echoed only when it is this tame
access_log = logging.getLogger("mulu.access")


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request id, and `extra` fields."""

    FIELDS = ("method", "path", "query", "route", "status", "duration_ms")

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage(),
        }
        if request_id := REQUEST_ID.get():
            entry["request_id"] = request_id
        entry.update({k: getattr(record, k) for k in self.FIELDS if hasattr(record, k)})
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


# uvicorn's log config for `mulu serve`: everything as JSON on stderr; uvicorn's own access log is off
# (mulu.access logs each request with its route, status, duration and request id).
LOG_CONFIG: dict[str, Any] = {
    "version": 1, "disable_existing_loggers": False,
    "formatters": {"json": {"()": JsonFormatter}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}},
    "root": {"handlers": ["stderr"], "level": "INFO"},
    "loggers": {"uvicorn": {"level": "INFO"}, "uvicorn.access": {"level": "WARNING"}},
}


class CatalogueGauges(Collector):
    """The gauges read at scrape time: outbox lag, search degraded, pending share-request deadlines."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def collect(self) -> Iterator[GaugeMetricFamily]:
        from catalog.models import OutboxEvent
        from catalog.sharing.models import ShareRequest

        now = datetime.now(UTC)
        with self.catalog.db.session() as session:
            pending, oldest = session.execute(select(func.count(), func.min(OutboxEvent.created_at))
                                              .where(OutboxEvent.applied_at.is_(None))).one()
            today = self.catalog.calendar.local_date(now)
            waiting = session.execute(select(func.count()).where(ShareRequest.status == "pending")).scalar_one()
            overdue = session.execute(select(func.count()).where(ShareRequest.status == "pending",
                                                                 ShareRequest.due_on < today)).scalar_one()
        lag = (now - (oldest if oldest.tzinfo else oldest.replace(tzinfo=UTC))).total_seconds() if oldest else 0.0
        yield GaugeMetricFamily("mulu_outbox_pending", "search outbox rows not yet applied", value=pending)
        yield GaugeMetricFamily("mulu_outbox_lag_seconds", "age of the oldest unapplied outbox row", value=lag)
        yield GaugeMetricFamily("mulu_search_degraded", "1 while search answers from the embedded fallback",
                                value=0 if _search_health(self.catalog.search).get("ok", False) else 1)
        requests = GaugeMetricFamily("mulu_share_requests_pending", "share requests awaiting an answer",
                                     labels=["overdue"])
        requests.add_metric(["false"], waiting - overdue)
        requests.add_metric(["true"], overdue)
        yield requests


def _search_health(search: SearchBackend) -> dict[str, Any]:
    """The health of the backend this process searches with (its fallback state included)."""
    try:
        health = search.health()
    except Exception as exc:  # an unreachable engine is a state to report, not an error of /ready
        return {"ok": False, "error": f"{exc.__class__.__name__}: {exc}"}
    return {**health, "ok": bool(health.get("ok")) and not health.get("degraded")}


_PARAM = re.compile(r"{(\w+)(?::\w+)?}")


def _template(scope: dict[str, Any]) -> str:
    """The full path template of the route that answered (`/api/v1/resources/{code:path}`): a route of
    an included router knows only its local template, so the prefix is taken from the request path."""
    route = getattr(scope.get("route"), "path", None)
    if route is None:
        return "unmatched"
    params = scope.get("path_params") or {}
    rendered = _PARAM.sub(lambda m: str(params.get(m.group(1), m.group(0))), route)
    path = scope.get("path", "")
    return path[:-len(rendered)] + route if rendered and path.endswith(rendered) else route


class RequestObserver:
    """Pure ASGI middleware (no task or body stream of its own per request): a request id for the response
    (`X-Request-ID`, the caller's when tame) and for every log line of the request, the route's metrics, and
    one JSON access-log line with the query's credentials redacted. The line is written as the response starts
    (before its headers leave), or with status 500 when the app fails before answering."""

    def __init__(self, app: Any, *, requests_total: Counter, duration: Histogram) -> None:
        self.app, self.requests_total, self.duration = app, requests_total, duration

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = next((v for k, v in scope["headers"] if k == b"x-request-id"), b"").decode("latin-1")
        request_id = given if _GOOD_ID.match(given) else uuid.uuid4().hex
        header = (b"x-request-id", request_id.encode())
        token = REQUEST_ID.set(request_id)
        start = time.perf_counter()
        answered = False

        async def send_with_id(message: dict[str, Any]) -> None:
            nonlocal answered
            if message["type"] == "http.response.start":
                message["headers"] = [*(h for h in message.get("headers", ()) if h[0].lower() != b"x-request-id"),
                                      header]
                answered = True
                self._record(scope, message["status"], time.perf_counter() - start)
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            if not answered:
                self._record(scope, 500, time.perf_counter() - start)
            REQUEST_ID.reset(token)

    def _record(self, scope: dict[str, Any], status: int, elapsed: float) -> None:
        route, method = _template(scope), scope["method"]
        self.requests_total.labels(method, route, str(status)).inc()
        self.duration.labels(method, route).observe(elapsed)
        query = redact(scope.get("query_string", b"").decode("latin-1"))  # no credential reaches the log
        access_log.info("%s %s %s", method, route, status, extra={
            "method": method, "path": _logged_path(scope), "query": query, "route": route,
            "status": status, "duration_ms": round(elapsed * 1000, 1)})


def _logged_path(scope: dict[str, Any]) -> str:
    """The request path as Starlette's `request.url.path` spells it."""
    return str(scope["path"]).replace("?", "%3F").replace("#", "%23").replace("\\", "%5C")


def install_operations(app: FastAPI, catalog: Catalog) -> None:
    registry = CollectorRegistry()
    app.state.metrics = registry
    requests_total = Counter("mulu_http_requests_total", "HTTP requests by route template and status",
                             ["method", "route", "status"], registry=registry)
    duration = Histogram("mulu_http_request_duration_seconds", "HTTP request latency by route template",
                         ["method", "route"], registry=registry)
    registry.register(CatalogueGauges(catalog))

    app.add_middleware(RequestObserver, requests_total=requests_total, duration=duration)

    @app.get("/health", include_in_schema=False)
    def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/ready", include_in_schema=False)
    def ready() -> JSONResponse:
        checks: dict[str, Any] = {}
        try:
            with catalog.db.session() as session:
                session.execute(text("SELECT 1"))
            checks["database"] = {"ok": True, "dialect": catalog.db.dialect}
        except Exception as exc:  # any failure to reach the database makes the process not ready
            checks["database"] = {"ok": False, "error": f"{exc.__class__.__name__}: {str(exc)[:200]}"}
        checks["search"] = _search_health(catalog.search)
        ok = all(c["ok"] for c in checks.values())
        if ok:
            return JSONResponse({"status": "ready", "checks": checks})
        failing = ", ".join(name for name, c in checks.items() if not c["ok"])
        return JSONResponse({"error": "not_ready", "message": f"未就绪：{failing} 不可达 (not ready)",
                             "findings": [], "status": "not_ready", "checks": checks}, status_code=503)

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)
