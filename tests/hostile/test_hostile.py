"""Every hostile case of the corpus: a clear 4xx (API) or exit 1/2 (CLI) naming what was wrong, within 5 s
and bounded memory, and the database byte-for-byte unchanged (a digest of `iterdump()` before and after)."""
from __future__ import annotations

import re
import resource
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from api.app import create_app
from cli.main import app as cli_app
from tests.hardening.support import copy_catalogue, sqlite_dump, tokens_for
from tests.hostile.corpus import Case, cases

from tests.hardening.conftest import seeded_template  # noqa: F401  (the session fixture)

CASES = cases()
MAX_SECONDS = 5.0
MAX_RSS_GROWTH_MB = 256


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB


@pytest.fixture(scope="module")
def site(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:  # noqa: F811
    settings = copy_catalogue(seeded_template, tmp_path_factory.mktemp("hostile") / "data")
    app = create_app(settings)
    tokens = tokens_for(app.state.db)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield {"client": client, "headers": tokens["steward"], "dev": tokens["developer"],
               "db_file": settings.data_dir / "mulu.db", "data_dir": settings.data_dir}
    app.state.db.dispose()


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
    else:
        raise AssertionError(case.door)
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
    before = sqlite_dump(site["db_file"])
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
    assert sqlite_dump(site["db_file"]) == before, f"{case.id}: the database changed"
    assert not Path("/tmp/mulu-evil.json").exists() and not Path("/tmp/mulu-pwned").exists()


def test_the_corpus_is_big_and_covers_every_door() -> None:
    doors = {c.door for c in CASES}
    assert len(CASES) >= 50
    assert doors >= {"create", "validate", "bulk", "import", "search", "cli-validate", "cli-audit", "cli-import"}
