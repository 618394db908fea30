"""/health answers within 1 s while the worst request of each kind runs, against a real uvicorn server (its
own process) and real HTTP clients, on SQLite and PostgreSQL: parsing, validation, storage and imports run off the
event loop, and each worst request itself ends in bounded time with a clean answer (never a 500)."""
from __future__ import annotations

import re
import threading
import time
from typing import Any

import httpx
import pytest

from tests.security import payloads
from tests.security.conftest import Site
from tests.security.live import serve_in_subprocess

HEALTH_LIMIT = 1.0  # the bound; met with margin on a quiet machine (figures printed with -s)
# On a 2-core machine shared by a whole team, CPU starvation alone can push one probe past 1 s (seen: 1.4 s).
# A blocked event loop is different in kind: /health then waits as long as the blocking work (4–36 s here).
# So: the typical probe within the bound, and no probe beyond twice it.
WORST_PROBE_LIMIT = 2 * HEALTH_LIMIT
JSON, YAML = "application/json", "application/yaml"

# name, path, body, content type, persona ("" = no token), statuses accepted
WORST: list[tuple[str, str, Any, str, str, tuple[int, ...]]] = [
    ("validate-self-reference", "/api/v1/validate", payloads.SELF_REFERENCE_YAML, YAML, "", (400,)),
    ("create-self-reference", "/api/v1/resources", payloads.SELF_REFERENCE_YAML, YAML, "market", (400,)),
    ("validate-3000-unknown-keys", "/api/v1/validate", payloads.unknown_keys_json, JSON, "", (200,)),
    ("validate-1.9mb-yaml-one-anchor", "/api/v1/validate", payloads.big_yaml_one_anchor, YAML, "", (400,)),
    ("bulk-1000-records", "/api/v1/resources/bulk", payloads.bulk_records, JSON, "market", (200,)),
    ("import-xlsx-3000-rows-dry-run", "/api/v1/imports", payloads.xlsx_rows, "xlsx", "market", (200,)),
    ("import-xlsx-40mb-cell", "/api/v1/imports", payloads.xlsx_huge_cell, "xlsx", "market", (400,)),
    ("web-upload-3000-unknown-keys", "/steward/upload", payloads.unknown_keys_json, "web", "market", (200, 422)),
]


def send(client: httpx.Client, site: Site, path: str, body: bytes, kind: str, persona: str) -> httpx.Response:
    headers = dict(site.headers[persona]) if persona else {}
    if kind == "xlsx":
        return client.post(path, headers=headers, files={"file": ("catalogue.xlsx", body)},
                           data={"dry_run": "true"})
    if kind == "web":
        page = client.get("/signin")
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)  # type: ignore[union-attr]
        token = headers["Authorization"].removeprefix("Bearer ")
        assert client.post("/signin", data={"csrf_token": csrf, "token": token, "next": "/"}).status_code == 303
        return client.post(path, data={"csrf_token": client.cookies["mulu_csrf"]},
                           files={"file": ("record.json", body, JSON)})
    return client.post(path, content=body, headers={**headers, "Content-Type": kind})


@pytest.mark.parametrize("name, path, make, kind, persona, ok", WORST, ids=[w[0] for w in WORST])
def test_health_answers_within_a_second_while_the_worst_request_runs(
        site: Site, name: str, path: str, make: Any, kind: str, persona: str, ok: tuple[int, ...]) -> None:
    body = make() if callable(make) else make
    with serve_in_subprocess(site.app) as url:
        result: dict[str, Any] = {}

        def worst() -> None:
            started = time.monotonic()
            with httpx.Client(base_url=url, timeout=120) as client:
                result["response"] = send(client, site, path, body, kind, persona)
            result["seconds"] = time.monotonic() - started

        heavy = threading.Thread(target=worst)
        heavy.start()
        waits = []
        with httpx.Client(base_url=url, timeout=30) as probe:
            while heavy.is_alive() or not waits:
                started = time.monotonic()
                assert probe.get("/api/v1/health").status_code == 200
                waits.append(time.monotonic() - started)
                time.sleep(0.05)
        heavy.join()
    response = result["response"]
    assert response.status_code in ok, (name, response.status_code, response.text[:300])
    waits.sort()
    assert waits[len(waits) // 2] < HEALTH_LIMIT / 2, f"{name}: median /health wait {waits[len(waits) // 2]:.2f}s"
    assert waits[-1] < WORST_PROBE_LIMIT, f"{name}: /health waited {waits[-1]:.2f}s (request {result['seconds']:.1f}s)"
    print(f"{name}: request {result['seconds']:.2f}s, /health max {max(waits) * 1000:.0f} ms over {len(waits)} probes")
