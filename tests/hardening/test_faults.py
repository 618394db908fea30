"""Faults: kill -9 of a real `mulu serve` in the middle of bulk registration; a full disk and a read-only
database under a running app. Elasticsearch stopped under writes is covered by
tests/search/test_outbox.py::test_elasticsearch_down_during_a_bulk_of_writes_loses_nothing."""
from __future__ import annotations

import copy
import itertools
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.examples import RECORD
from catalog.db import open_database
from tests.hardening.support import ROOT, LiveServer, copy_catalogue, sqlite_dump, tokens_for
from tests.net import free_port

R = "/api/v1/resources"
_names = itertools.count()


def record() -> dict[str, Any]:
    return {**copy.deepcopy(RECORD), "name": f"断电登记{next(_names)}"}


def integrity_problems(db_file: Path) -> list[str]:
    """Half-written resources: missing version rows, audit entries or outbox rows."""
    con = sqlite3.connect(db_file)
    try:
        problems = [f"{code}: {n} version rows for version {v}" for code, v, n in con.execute(
            "SELECT r.code, r.version, (SELECT count(*) FROM resource_versions x WHERE x.resource_code = r.code) "
            "FROM resources r") if n != v]
        problems += [f"{code}: no audit entry" for (code,) in con.execute(
            "SELECT code FROM resources r WHERE NOT EXISTS "
            "(SELECT 1 FROM audit_log a WHERE a.resource_code = r.code AND a.action = 'create')")]
        problems += [f"{code}: no outbox row" for (code,) in con.execute(
            "SELECT code FROM resources r WHERE NOT EXISTS (SELECT 1 FROM outbox o WHERE o.resource_code = r.code)")]
        problems += [f"orphan version of {code}" for (code,) in con.execute(
            "SELECT DISTINCT resource_code FROM resource_versions v WHERE NOT EXISTS "
            "(SELECT 1 FROM resources r WHERE r.code = v.resource_code)")]
        return problems
    finally:
        con.close()


def test_kill_9_during_bulk_registration_loses_no_acknowledged_write(seeded_template: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    settings = copy_catalogue(seeded_template, data_dir)
    db = open_database(settings)
    headers = tokens_for(db)["steward"]
    db.dispose()
    server = LiveServer(data_dir=data_dir, port=free_port()).start()
    acked: list[str] = []
    sent = {"requests": 0}
    stop = threading.Event()

    def drive() -> None:
        with httpx.Client(base_url=server.url, headers=headers, timeout=10) as client:
            for i in itertools.count():
                if stop.is_set():
                    return
                try:
                    sent["requests"] += 1
                    if i % 3 == 2:
                        r = client.post(R, json=record())
                        if r.status_code == 201:
                            acked.append(r.json()["code"])
                        continue
                    r = client.post(f"{R}/bulk", json=[record() for _ in range(25)])
                    if r.status_code == 200:
                        acked.extend(row["code"] for row in r.json()["data"] if row["ok"])
                except httpx.HTTPError:
                    return  # the server is gone

    driver = threading.Thread(target=drive)
    driver.start()
    try:
        deadline = time.monotonic() + 20
        while len(acked) < 150 and time.monotonic() < deadline:
            time.sleep(0.05)
        server.kill9()  # SIGKILL while requests are in flight
    finally:
        stop.set()
        driver.join(30)
        server.stop()
    assert len(acked) >= 150, f"only {len(acked)} writes acknowledged before the kill"

    with _restart(data_dir) as again:
        with httpx.Client(base_url=again.url, headers=headers, timeout=10) as client:
            missing = [code for code in acked if client.get(f"{R}/{code}").status_code != 200]
            assert not missing, f"{len(missing)} acknowledged writes lost: {missing[:5]}"
            assert client.post(R, json=record()).status_code == 201  # the server writes again
    assert integrity_problems(data_dir / "mulu.db") == []
    verify = subprocess.run([sys.executable, "-m", "cli.main", "audit-log", "verify"], cwd=ROOT,
                            env={**os.environ, "MULU_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)},
                            capture_output=True, text=True, timeout=60)
    assert verify.returncode == 0, verify.stdout + verify.stderr
    print(f"\nkill -9 after {sent['requests']} requests: {len(acked)} acknowledged writes, all present")


class _restart:
    def __init__(self, data_dir: Path) -> None:
        self.server = LiveServer(data_dir=data_dir, port=free_port())

    def __enter__(self) -> LiveServer:
        return self.server.start()

    def __exit__(self, *exc: object) -> None:
        self.server.stop()


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 24 MB tmpfs (root and mount(8) needed; skipped otherwise)."""
    point = tmp_path / "disk"
    point.mkdir()
    if os.geteuid() != 0 or not _mount("-t", "tmpfs", "-o", "size=24m", "tmpfs", str(point)):
        pytest.skip("cannot mount a tmpfs here (needs root and mount permission)")
    try:
        yield point
    finally:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def _fill(directory: Path) -> Path:
    filler = directory / "filler"
    with open(filler, "wb") as f:
        try:
            while True:
                f.write(b"\0" * (256 * 1024))
                f.flush()
        except OSError:
            pass
    return filler


def _write_refused_cleanly(client: TestClient, headers: dict[str, str], db_file: Path, cause: str) -> None:
    before = sqlite_dump(db_file)
    for _ in range(3):  # a bulk write, then single ones: every write refused, nothing half-written
        r = client.post(f"{R}/bulk", json=[record() for _ in range(200)], headers=headers)
        assert r.status_code == 503, r.text[:300]
        body = r.json()
        assert body["error"] == "storage_unavailable" and cause in body["message"], body
        assert "Traceback" not in r.text
    assert sqlite_dump(db_file) == before


def test_full_disk_gives_a_clear_503_and_recovers(seeded_template: Path, small_disk: Path) -> None:
    settings = copy_catalogue(seeded_template, small_disk / "data")
    app = create_app(settings)
    headers = tokens_for(app.state.db)["steward"]
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.post(R, json=record(), headers=headers).status_code == 201
        filler = _fill(small_disk)
        _write_refused_cleanly(client, headers, settings.data_dir / "mulu.db", "磁盘已满")
        assert client.get(f"{R}?limit=1", headers=headers).status_code == 200  # reads still work
        filler.unlink()
        assert client.post(R, json=record(), headers=headers).status_code == 201  # and writes come back
        assert client.get("/api/v1/audit-log/verify", headers=tokens_for(app.state.db)["auditor"]).json()["ok"]
    app.state.db.dispose()


def test_read_only_database_gives_a_clear_503_and_recovers(seeded_template: Path, tmp_path: Path) -> None:
    settings = copy_catalogue(seeded_template, tmp_path / "data")
    app = create_app(settings)
    tokens = tokens_for(app.state.db)
    point = str(settings.data_dir)
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.post(R, json=record(), headers=tokens["steward"]).status_code == 201
        if os.geteuid() != 0 or not _mount("--bind", point, point):
            pytest.skip("cannot bind-mount here (needs root and mount permission)")
        try:
            assert _mount("-o", "remount,bind,ro", point), "remount read-only failed"
            app.state.db.engine.dispose()  # open files keep their write access; new connections do not
            _write_refused_cleanly(client, tokens["steward"], settings.data_dir / "mulu.db", "只读")
        finally:
            subprocess.run(["umount", "-l", point], capture_output=True)
        assert client.post(R, json=record(), headers=tokens["steward"]).status_code == 201
    app.state.db.dispose()


def test_serve_on_an_unwritable_database_says_so(tmp_path: Path) -> None:
    """`mulu serve` on a database it cannot open: one clear line, exit 3 (unavailable), no traceback."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    env = {**os.environ, "MULU_DATA_DIR": str(blocker / "data"), "PYTHONPATH": str(ROOT)}
    env.pop("MULU_DATABASE_URL", None)
    run = subprocess.run([sys.executable, "-m", "cli.main", "serve", "--port", str(free_port())], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 3, run.stdout + run.stderr
    assert "Traceback" not in run.stderr and "数据库" in run.stderr
