"""Shared hardening helpers: a seeded SQLite template, tokens per persona, DB dumps, a live `mulu serve`."""
from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from catalog.auth import create_token
from catalog.db import Database, open_database
from catalog.settings import Settings
from tests.net import free_port

ROOT = Path(__file__).resolve().parents[2]
OWN, OTHER = "330782101", "330782102"  # 市场监管局 (the steward's own), 公安局 (another department)

# persona -> (role, department): every role the API knows, the steward on both sides of a department line.
PERSONAS: dict[str, tuple[str, str | None]] = {
    "steward": ("steward", OWN),
    "steward_other": ("steward", OTHER),
    "developer": ("developer", None),
    "auditor": ("auditor", None),
    "coordinator": ("coordinator", None),
    "admin": ("admin", None),
}


def seed_into(data_dir: Path) -> None:
    """A fresh SQLite catalogue in `data_dir`, seeded from seed/ (published, by system), outbox applied."""
    from catalog.search.factory import make_embedded
    from catalog.search.outbox import apply_outbox
    from catalog.seeding import default_seed_dir, seed_catalogue

    settings = Settings(data_dir=data_dir)
    db = open_database(settings)
    result = seed_catalogue(db=db, directory=default_seed_dir(settings))
    assert not result.failed, result.failed[:3]
    backend = make_embedded(settings)
    apply_outbox(db=db, backend=backend)
    backend.close()
    db.dispose()
    _checkpoint(data_dir / "mulu.db")


def _checkpoint(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def copy_catalogue(template: Path, data_dir: Path) -> Settings:
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template / "mulu.db", data_dir / "mulu.db")
    return Settings(data_dir=data_dir)


def tokens_for(db: Database, personas: dict[str, tuple[str, str | None]] = PERSONAS) -> dict[str, dict[str, str]]:
    """persona -> Authorization header with a fresh token."""
    out = {}
    with db.transaction() as session:
        for persona, (role, department) in personas.items():
            secret, _ = create_token(session=session, role=role, department_code=department, name=persona)
            out[persona] = {"Authorization": f"Bearer {secret}"}
    return out


def sqlite_dump(path: Path) -> str:
    """A digest of the whole SQLite database as SQL text (`iterdump`): equal digests = same content."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        digest = hashlib.sha256()
        for line in con.iterdump():
            digest.update(line.encode("utf-8", "surrogatepass"))
            digest.update(b"\n")
        return digest.hexdigest()
    finally:
        con.close()


@dataclass
class LiveServer:
    """A real `mulu serve` (uvicorn) subprocess on a loopback port over MULU_DATA_DIR."""
    data_dir: Path
    port: int
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, *, timeout: float = 40.0) -> LiveServer:
        env = {**os.environ, "MULU_DATA_DIR": str(self.data_dir), "PYTHONPATH": str(ROOT)}
        for name in ("MULU_DATABASE_URL", "MULU_ELASTICSEARCH_URL"):
            env.pop(name, None)
        log = open(self.data_dir / f"serve-{self.port}.log", "ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "cli.main", "serve", "--port", str(self.port)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"mulu serve exited {self.proc.returncode}: {self.log_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=1.0).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"mulu serve did not answer within {timeout}s: {self.log_text()[-2000:]}")

    def log_text(self) -> str:
        return "".join(p.read_text(errors="replace") for p in self.data_dir.glob(f"serve-{self.port}.log"))

    def kill9(self) -> None:
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


@contextmanager
def live_server(data_dir: Path) -> Iterator[LiveServer]:
    server = LiveServer(data_dir=data_dir, port=free_port()).start()
    try:
        yield server
    finally:
        server.stop()
