"""Operations: /health, /ready, /metrics in Prometheus format, X-Request-ID and JSON log lines."""
from __future__ import annotations

import io
import json
import logging
import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from api.app import create_app
from api.operations import JsonFormatter
from catalog.settings import Settings
from tests.api.conftest import OWN, make_record
from tests.net import free_port


def metrics(client: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(response.text) for s in family.samples}


def test_health_and_ready(client: TestClient) -> None:
    assert client.get("/health").json() == {"status": "ok"}
    ready = client.get("/ready")
    assert ready.status_code == 200, ready.text
    assert ready.json()["checks"]["database"]["ok"] and ready.json()["checks"]["search"]["ok"]


def test_not_ready_when_the_search_engine_is_unreachable(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", elasticsearch_url=f"http://127.0.0.1:{free_port()}",
                        elasticsearch_index=f"mulu-ready-{free_port()}")
    app = create_app(settings)
    try:
        with TestClient(app) as client:
            assert client.get("/health").status_code == 200  # alive, though not ready
            ready = client.get("/ready")
            assert ready.status_code == 503
            body = ready.json()
            assert body["error"] == "not_ready" and "search" in body["message"]
            assert body["checks"]["database"]["ok"] and not body["checks"]["search"]["ok"]
            assert metrics(client)[("mulu_search_degraded", ())] == 1
    finally:
        app.state.db.dispose()


def test_request_id_is_made_or_echoed(client: TestClient) -> None:
    made = client.get("/health").headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    assert client.get("/health", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"] == "abc-123"
    hostile = client.get("/health", headers={"X-Request-ID": "x" * 500}).headers["X-Request-ID"]
    assert hostile != "x" * 500 and re.fullmatch(r"[0-9a-f]{32}", hostile)


def test_metrics_count_requests_by_route_template_and_status(client: TestClient, auth: Any) -> None:
    headers = auth("steward", OWN)
    code = client.post("/api/v1/resources", json=make_record(1), headers=headers).json()["code"]
    client.get(f"/api/v1/resources/{code}", headers=headers)
    client.get("/api/v1/resources/102001/999999", headers=headers)
    client.post(f"/api/v1/resources/{code}/submit", headers=headers)
    seen = metrics(client)
    route = "/api/v1/resources/{code:path}"
    assert seen[("mulu_http_requests_total", (("method", "GET"), ("route", route), ("status", "200")))] == 1
    assert seen[("mulu_http_requests_total", (("method", "GET"), ("route", route), ("status", "404")))] == 1
    assert seen[("mulu_http_request_duration_seconds_count", (("method", "GET"), ("route", route)))] == 2
    assert not any(code in str(labels) for _, labels in seen)  # raw paths never become labels
    assert ("mulu_outbox_pending", ()) in seen and seen[("mulu_outbox_lag_seconds", ())] >= 0
    assert seen[("mulu_search_degraded", ())] == 0
    assert ("mulu_share_requests_pending", (("overdue", "true"),)) in seen


def test_log_lines_are_json_with_the_request_id(client: TestClient) -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("mulu.access")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    try:
        client.get("/api/v1/resources/102001/000001", headers={"X-Request-ID": "trace-42"})
        client.get("/api/v1/search", params={"q": "企业", "api_key": "s3cret", "size": 2})
    finally:
        logger.removeHandler(handler)
    [line, search] = [json.loads(x) for x in stream.getvalue().splitlines()]
    assert line["request_id"] == "trace-42" and line["status"] == 401
    assert line["route"] == "/api/v1/resources/{code:path}" and line["level"] == "info" and line["duration_ms"] >= 0
    assert line["method"] == "GET" and line["path"] == "/api/v1/resources/102001/000001" and line["query"] == ""
    assert search["route"] == search["path"] == "/api/v1/search" and search["status"] == 401
    assert search["query"] == "q=%E4%BC%81%E4%B8%9A&api_key=[已隐去]&size=2" and re.fullmatch(r"[0-9a-f]{32}",
                                                                                            search["request_id"])
