"""Several real `mulu serve` processes on one PostgreSQL schema (and one Elasticsearch alias when the tests
have one), and the checks that they behave as one catalogue. Shared by tests/api/test_processes.py (short)
and bench/processes_bench.py (long, with throughput)."""
from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from catalog.auth import create_token
from catalog.db import Database
from catalog.models import OutboxEvent
from tests.databases import postgres_database
from tests.net import free_port

R = "/api/v1/resources"
OWN = "330782101"


@dataclass
class Site:
    """One catalogue served by several processes: `bases[i]` is the address of server i, which runs
    `workers[i]` processes (`mulu serve --workers N`)."""
    db: Database
    bases: list[str] = field(default_factory=list)
    workers: list[int] = field(default_factory=list)
    es_url: str | None = None
    alias: str | None = None
    procs: list[subprocess.Popen] = field(default_factory=list)


def launch(url: str, data: Path, *, workers: int = 1, env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """Start `mulu serve --workers N` on the database `url`, with an empty seed: (process, base URL)."""
    port = free_port()
    (data / "seed").mkdir(parents=True, exist_ok=True)  # an empty seed folder: nothing to load
    env = {**os.environ, **(env or {}), "MULU_DATABASE_URL": url, "MULU_DATA_DIR": str(data),
           "MULU_SEED_DIR": str(data / "seed"), "MULU_CASCADE_INTERVAL": "0", "MULU_NOTIFY_INTERVAL": "0"}
    with open(data / "serve.log", "wb") as log:  # the server's own output, for a failing run
        proc = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--port", str(port), "--workers",
                                 str(workers)], env=env, stdout=log, stderr=subprocess.STDOUT)
    return proc, f"http://127.0.0.1:{port}"


def wait_ready(proc: subprocess.Popen, base: str, *, timeout: float = 180) -> None:
    """Until the server answers; RuntimeError when it exits or stays silent past `timeout` (a loaded machine
    takes a while to import the app in each process)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            if httpx.get(f"{base}/api/v1/health", timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise RuntimeError(f"mulu serve did not start (exit {proc.poll()})")


def start(url: str, data: Path, *, workers: int = 1, env: dict[str, str] | None = None) -> tuple[subprocess.Popen, str]:
    """`launch`, then `wait_ready` (the process is killed if it does not come up)."""
    proc, base = launch(url, data, workers=workers, env=env)
    try:
        wait_ready(proc, base)
    except RuntimeError:
        proc.kill()
        raise
    return proc, base


@contextmanager
def serving(data: Path, *, layout: tuple[int, ...], es_url: str | None) -> Iterator[Site]:
    """Servers with `layout` workers each (e.g. (2, 1, 1): four processes) on a fresh PostgreSQL schema and,
    with `es_url`, a fresh Elasticsearch alias. The first server upgrades the schema; the rest start together."""
    alias = f"mulu-procs-{secrets.token_hex(4)}" if es_url else None
    env = {"MULU_ELASTICSEARCH_URL": es_url, "MULU_ELASTICSEARCH_INDEX": alias} if es_url and alias else {}
    with postgres_database("mulu_procs") as (db, url):
        site = Site(db=db, workers=list(layout), es_url=es_url, alias=alias)
        try:
            for i, workers in enumerate(layout):
                proc, base = launch(url, data / f"p{i}", workers=workers, env=env)
                site.procs.append(proc)  # stopped below whatever happens next
                site.bases.append(base)
                if i == 0:
                    wait_ready(proc, base)  # the first upgrades the schema; the others then start together
            for proc, base in zip(site.procs[1:], site.bases[1:]):
                wait_ready(proc, base)
            if es_url:  # the search index is made by the first search or write: make it before the load
                httpx.get(f"{site.bases[0]}/api/v1/search", params={"q": "数据"}, timeout=120)
            yield site
        finally:
            for proc in site.procs:
                proc.terminate()
            for proc in site.procs:
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
            if es_url and alias:
                drop_alias(es_url, alias)


def drop_alias(es_url: str, alias: str) -> None:
    found = httpx.get(f"{es_url}/_alias/{alias}", timeout=30)
    for index in found.json() if found.status_code == 200 else {}:
        httpx.delete(f"{es_url}/{index}", timeout=30)


def token(db: Database, role: str, department: str | None = None) -> tuple[dict[str, str], int]:
    with db.transaction() as session:
        secret, row = create_token(session=session, role=role, department_code=department)
        return {"Authorization": f"Bearer {secret}"}, row.id


def weighted(site: Site) -> list[str]:
    """The server addresses, each as often as it has processes (`--workers 2` twice): spread the load evenly."""
    return [base for base, workers in zip(site.bases, site.workers) for _ in range(workers)]


def create_many(site: Site, headers: dict[str, str], records: list[dict[str, Any]], *, clients: int) -> list[httpx.Response]:
    """POST each record through the processes in turn, `clients` at a time."""
    bases = weighted(site)
    with httpx.Client(timeout=120) as client, ThreadPoolExecutor(clients) as pool:
        return list(pool.map(lambda n: client.post(bases[n % len(bases)] + R, json=records[n], headers=headers),
                             range(len(records))))


def etag_race(site: Site, headers: dict[str, str], code: str, etag: str, bodies: list[dict[str, Any]]) -> list[int]:
    """PUT every body with one If-Match ETag at once through all processes: the statuses, sorted."""
    bases = weighted(site)
    with httpx.Client(timeout=120) as client, ThreadPoolExecutor(len(bodies)) as pool:
        return sorted(pool.map(lambda n: client.put(f"{bases[n % len(bases)]}{R}/{code}", json=bodies[n],
                                                    headers={**headers, "If-Match": etag}).status_code,
                               range(len(bodies))))


def outbox_settled(db: Database, *, timeout: float = 60) -> Counter[str]:
    """Wait until no outbox row is pending; the number of rows per resource code."""
    deadline = time.monotonic() + timeout
    while True:
        with db.session() as session:
            pending = session.execute(select(func.count()).select_from(OutboxEvent)
                                      .where(OutboxEvent.applied_at.is_(None))).scalar_one()
            rows = session.execute(select(OutboxEvent.resource_code)).scalars().all()
        if pending == 0 or time.monotonic() > deadline:
            assert pending == 0, f"{pending} outbox row(s) still pending after {timeout}s"
            return Counter(rows)
        time.sleep(0.2)


def index_versions(es_url: str, alias: str) -> dict[str, int]:
    """Elasticsearch's version of each document: how many times it was written (1 + re-indexings)."""
    httpx.post(f"{es_url}/{alias}/_refresh", timeout=30)
    body = httpx.post(f"{es_url}/{alias}/_search", json={"size": 10_000, "version": True,
                                                          "query": {"match_all": {}}}, timeout=60).json()
    return {hit["_id"]: int(hit["_version"]) for hit in body["hits"]["hits"]}


def revoked_everywhere(site: Site, *, tries_per_process: int = 4) -> list[int]:
    """A developer token used through every process, revoked through the first server; one second later,
    the statuses of requests through every process (a `--workers N` server is asked N x tries times over
    fresh connections, so each of its processes is asked with high probability)."""
    developer, developer_id = token(site.db, "developer")
    for base in weighted(site):
        for _ in range(tries_per_process):
            assert httpx.get(base + R, headers=developer, timeout=60).status_code == 200
    admin, _ = token(site.db, "admin")
    assert httpx.delete(f"{site.bases[0]}/api/v1/tokens/{developer_id}", headers=admin,
                        timeout=60).status_code in (200, 204)
    time.sleep(1.0)
    return [httpx.get(base + R, headers=developer, timeout=60).status_code
            for base in weighted(site) for _ in range(tries_per_process)]
