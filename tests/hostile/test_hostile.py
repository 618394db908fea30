"""Every hostile case of the corpus: a clear 4xx (API) or exit 1/2 (CLI) naming what was wrong, within 5 s
and bounded memory, and the database byte-for-byte unchanged (a digest of `iterdump()` before and after)."""
from __future__ import annotations

import contextlib
import hashlib
import html
import re
import resource
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from sqlalchemy import inspect, text

from api.app import create_app
from catalog.seeding import default_seed_dir, seed_catalogue
from tests.databases import postgres_database
from cli.main import app as cli_app
from tests.hardening.support import copy_catalogue, sqlite_dump, tokens_for
from tests.hostile.corpus import Case, cases

from tests.hardening.conftest import seeded_template  # noqa: F401  (the session fixture)

CASES = cases()
MAX_SECONDS = 5.0
MAX_RSS_GROWTH_MB = 256


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def site(request: pytest.FixtureRequest, seeded_template: Path,  # noqa: F811
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The seeded 义乌市 catalogue: a copy of the SQLite template, or seeded into a fresh PostgreSQL schema."""
    settings = copy_catalogue(seeded_template, tmp_path_factory.mktemp("hostile") / "data")
    with contextlib.ExitStack() as stack:
        db = None
        if request.param == "postgresql":
            db, _ = stack.enter_context(postgres_database("mulu_hostile"))
            result = seed_catalogue(db=db, directory=default_seed_dir(settings))
            assert not result.failed, result.failed[:3]
        app = create_app(settings, db=db)
        tokens = tokens_for(app.state.db)
        with TestClient(app, raise_server_exceptions=False) as client:
            yield {"client": client, "headers": tokens["steward"], "dev": tokens["developer"],
                   "admin": tokens["admin"], "web": signed_in(app, tokens["steward"]), "kind": request.param,
                   "db": app.state.db, "db_file": settings.data_dir / "mulu.db", "data_dir": settings.data_dir}
        if request.param == "sqlite":
            app.state.db.dispose()


def signed_in(app: Any, headers: dict[str, str]) -> TestClient:
    """A browser-like client signed in to the web pages (session cookie + CSRF cookie)."""
    web = TestClient(app, base_url="http://127.0.0.1", follow_redirects=False, raise_server_exceptions=False)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', web.get("/signin").text).group(1)  # type: ignore[union-attr]
    token = headers["Authorization"].removeprefix("Bearer ")
    assert web.post("/signin", data={"csrf_token": csrf, "token": token, "next": "/"}).status_code == 303
    return web


def digest(site: dict[str, Any]) -> str:
    """Equal digests = same database content (SQLite: `iterdump`; PostgreSQL: every table's rows, ordered)."""
    if site["kind"] == "sqlite":
        return sqlite_dump(site["db_file"])
    engine = site["db"].engine
    out = hashlib.sha256()
    with engine.connect() as conn:
        for table in sorted(inspect(engine).get_table_names()):
            for row in conn.execute(text(f'SELECT * FROM "{table}" ORDER BY 1')):
                out.update(repr(tuple(row)).encode("utf-8", "surrogatepass"))
    return out.hexdigest()


def call_api(site: dict[str, Any], case: Case) -> tuple[int, str, Any]:
    client: TestClient = site["client"]
    headers = {**site["headers"], "Content-Type": case.content_type}
    if case.door in ("create", "validate", "bulk"):
        path = {"create": "/api/v1/resources", "validate": "/api/v1/validate", "bulk": "/api/v1/resources/bulk"}
        r = client.post(path[case.door], content=case.payload, headers=headers)
    elif case.door == "import":
        r = client.post("/api/v1/imports", headers=site["headers"],
                        files={"file": (case.filename, case.payload, "application/octet-stream")})
    elif case.door in ("search", "list"):
        path = "/api/v1/search" if case.door == "search" else "/api/v1/resources"
        r = client.get(path, params={"q": case.payload}, headers=site["dev"])
    elif case.door == "read":
        r = client.get(f"/api/v1/resources/{case.payload}", headers=site["headers"])
    elif case.door == "update":
        r = client.put("/api/v1/resources/102001/000001", content=case.payload,
                       headers={**headers, "If-Match": '"x"'})
    elif case.door == "share":
        r = client.post("/api/v1/share-requests", content=case.payload, headers=headers)
    elif case.door == "get":
        r = client.get(case.payload, headers=site["admin"])
    elif case.door == "upload":
        web: TestClient = site["web"]
        r = web.post("/steward/upload", data={"csrf_token": web.cookies["mulu_csrf"]},
                     files={"file": (case.filename, case.payload, "application/yaml")})
    else:
        raise AssertionError(case.door)
    if not r.headers.get("content-type", "").startswith("application/json"):
        return r.status_code, html.unescape(re.sub(r"<[^>]+>", " ", r.text)), None
    body = r.json()
    text = " ".join([str(body.get("message", ""))] + [
        f"{f.get('path')} {f.get('message')}" for f in body.get("findings", []) if isinstance(f, dict)]
        + [f"{f.get('path')} {f.get('message')}" for item in body.get("data", []) if isinstance(item, dict)
           for f in item.get("findings", [])])
    return r.status_code, text, body


def call_cli(site: dict[str, Any], case: Case, tmp_path: Path) -> tuple[int, str, Any]:
    target = tmp_path / case.filename
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(case.payload)
    command = case.door.removeprefix("cli-")
    arg = tmp_path / case.extra["target"] if "target" in case.extra else target
    if command == "audit":
        arg = tmp_path
    result = CliRunner().invoke(cli_app, [command, str(arg)], env={"MULU_DATA_DIR": str(site["data_dir"]),
                                                                    "COLUMNS": "200"})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    output = result.output + (result.stderr if result.stderr_bytes is not None else "")
    return result.exit_code, output, None


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input_is_refused_cleanly(site: dict[str, Any], case: Case, tmp_path: Path) -> None:
    if case.door.startswith("cli-") and site["kind"] != "sqlite":
        pytest.skip("the CLI opens the SQLite catalogue of MULU_DATA_DIR; its parsing is the same on both")
    before = digest(site)
    rss_before, started = rss_mb(), time.monotonic()
    if case.door.startswith("cli-"):
        status, text, body = call_cli(site, case, tmp_path)
    else:
        status, text, body = call_api(site, case)
    elapsed, growth = time.monotonic() - started, rss_mb() - rss_before
    assert status in case.expect, f"{case.id}: got {status}, expected {case.expect}: {text[:500]}"
    assert "Traceback" not in text
    if case.says:
        assert re.search(case.says, text), f"{case.id}: message does not say /{case.says}/: {text[:500]}"
    if body is not None and status >= 400:
        assert set(body) >= {"error", "message", "findings"}, body
    if case.door == "bulk" and status == 200:
        assert body["created"] == 0 and all(not r["ok"] and r["error"] for r in body["data"])
    if case.door == "import" and status == 200:
        assert body["stored"] == 0 and body["error_count"] > 0
    if case.door in ("search", "list") and status == 200:  # a developer sees published resources only
        rows = body["data"]
        assert all(r.get("state", "published") == "published" for r in rows), rows[:3]
    assert elapsed < MAX_SECONDS, f"{case.id}: {elapsed:.1f}s"
    assert growth < MAX_RSS_GROWTH_MB, f"{case.id}: peak RSS grew {growth:.0f} MB"
    if "max_findings" in case.extra:
        assert body is not None and len(body["findings"]) <= case.extra["max_findings"], len(body["findings"])
    if "count" in case.extra:
        assert body is not None and body["count"] == case.extra["count"], body
    assert digest(site) == before, f"{case.id}: the database changed"
    assert not Path("/tmp/mulu-evil.json").exists() and not Path("/tmp/mulu-pwned").exists()


def test_the_corpus_is_big_and_covers_every_door() -> None:
    doors = {c.door for c in CASES}
    assert len(CASES) >= 50
    assert doors >= {"create", "validate", "bulk", "import", "search", "cli-validate", "cli-audit", "cli-import",
                     "update", "get", "upload"}
