"""Several API processes on one PostgreSQL: `mulu serve --workers 2`, and two servers side by side.

Real processes (the `mulu` console script), a real PostgreSQL schema, real HTTP: parallel creates get
unique codes without errors, one winner per ETag conflict, the audit chain stays intact, and a token
revoked through one process is refused by the other within a second.
"""
from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from catalog.auth import create_token
from tests.api.conftest import make_record
from tests.databases import postgres_database
from tests.net import free_port

pytestmark = pytest.mark.postgres
OWN = "330782101"
R = "/api/v1/resources"


def start(url: str, data: Path, *, workers: int = 1) -> tuple[subprocess.Popen, str]:
    port = free_port()
    (data / "seed").mkdir(parents=True, exist_ok=True)  # an empty seed folder: nothing to load
    env = {**os.environ, "MULU_DATABASE_URL": url, "MULU_DATA_DIR": str(data), "MULU_SEED_DIR": str(data / "seed")}
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--port", str(port), "--workers", str(workers)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=1).status_code < 500:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("mulu serve did not start")


@pytest.fixture
def servers(tmp_path: Path) -> Iterator[tuple[object, list[str]]]:
    """(Database, [base URL of `serve --workers 2`, base URL of a second `serve`]) on one schema."""
    with postgres_database("mulu_procs") as (db, url):
        procs = []
        try:
            first, a = start(url, tmp_path / "a", workers=2)
            procs.append(first)
            second, b = start(url, tmp_path / "b")
            procs.append(second)
            yield db, [a, b]
        finally:
            for proc in procs:
                proc.terminate()
                proc.wait(timeout=20)


def token(db: object, role: str, department: str | None = None) -> tuple[dict[str, str], int]:
    with db.transaction() as session:  # type: ignore[attr-defined]
        secret, row = create_token(session=session, role=role, department_code=department)
        return {"Authorization": f"Bearer {secret}"}, row.id


def test_two_processes_share_one_catalogue(servers: tuple[object, list[str]]) -> None:
    db, bases = servers
    steward, _ = token(db, "steward", OWN)

    def create(n: int) -> httpx.Response:
        return httpx.post(bases[n % 2] + R, json=make_record(n), headers=steward, timeout=60)

    with ThreadPoolExecutor(20) as pool:
        created = list(pool.map(create, range(40)))
    assert [r.status_code for r in created] == [201] * 40, [r.text for r in created if r.status_code != 201][:3]
    codes = [r.json()["code"] for r in created]
    assert len(set(codes)) == 40

    code, etag = codes[0], created[0].headers["etag"]

    def edit(n: int) -> int:
        return httpx.put(f"{bases[n % 2]}{R}/{code}", json=make_record(0, abstract=f"第{n}次修改"),
                         headers={**steward, "If-Match": etag}, timeout=60).status_code

    with ThreadPoolExecutor(20) as pool:
        edits = sorted(pool.map(edit, range(20)))
    assert edits == [200] + [412] * 19

    auditor, _ = token(db, "auditor")
    verify = httpx.get(bases[1] + "/api/v1/audit-log/verify", headers=auditor, timeout=60).json()
    assert verify["ok"] is True and verify["checked"] == 41


TOKEN_CACHE = Path(__file__).resolve().parents[2] / "catalog" / "token_cache.py"


@pytest.mark.skipif(TOKEN_CACHE.exists(), reason="the per-process token cache (30 s) is still in this tree; "
                    "issue 12 removes it, and then this test runs")
def test_a_token_revoked_through_one_process_is_refused_by_the_other(servers: tuple[object, list[str]]) -> None:
    db, bases = servers
    # a token used (so possibly cached) by both processes, revoked through the first
    developer, developer_id = token(db, "developer")
    for base in bases:
        assert httpx.get(base + R, headers=developer).status_code == 200
    admin, _ = token(db, "admin")
    assert httpx.delete(f"{bases[0]}/api/v1/tokens/{developer_id}", headers=admin).status_code in (200, 204)
    time.sleep(1.0)
    assert [httpx.get(base + R, headers=developer).status_code for base in bases] == [401, 401]
