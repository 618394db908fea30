"""Writes with Elasticsearch vs the embedded default, and how soon a written record is searchable.

Through the real app in process (TestClient), on SQLite and on PostgreSQL (`MULU_BENCH_POSTGRES_URL`, else
`MULU_TEST_POSTGRES_URL`; fresh schemas), two fresh catalogues open side by side: one with the embedded index (applied right after the commit, in the request), one with Elasticsearch
configured (the commit only wakes the outbox worker, which indexes off the request path). The single
`POST /resources` run in alternating blocks of ten, so load from elsewhere on the machine hits both alike;
prints wall p50/p95 per write, this process's CPU per write (the Elasticsearch figure includes the worker's
indexing, which runs in the same process), the ratio (goal <= 1.2x) and the load average. Then, with
Elasticsearch, the time from each write's acknowledgement until `GET /search` finds the record (p50/p95,
one write at a time, polling every 20 ms; goal p95 <= 1 s).

    MULU_TEST_ELASTICSEARCH_URL=http://127.0.0.1:9201 python bench/search_write_bench.py [--writes 200] [--databases sqlite,postgresql]
"""
from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402

from bench import register_bench  # noqa: E402
from bench.register_bench import generate  # noqa: E402
from catalog.search.outbox import pending_count  # noqa: E402

BLOCK = 10  # writes per block; the blocks alternate between the two catalogues


def q(values: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(values, n=100)
    return cuts[49], cuts[94]


@contextmanager
def catalogue(*, database: str, es_url: str, pg_url: str | None) -> Iterator[tuple[TestClient, dict[str, str]]]:
    """A fresh, empty catalogue on `database` (embedded index, or Elasticsearch under a fresh alias) and a
    steward's headers; the schema and the index are dropped afterwards."""
    extra = {"elasticsearch_url": es_url, "elasticsearch_index": f"mulu-bench-{secrets.token_hex(4)}"} if es_url else {}
    with register_bench.catalogue(database=database, size=0, pg_url=pg_url, **extra) as (client, headers, _):
        try:
            yield client, headers
        finally:
            if es_url:
                db = client.app.state.db  # type: ignore[attr-defined]
                deadline = time.monotonic() + 30
                while pending_count(db=db) and time.monotonic() < deadline:  # let the worker finish first
                    time.sleep(0.05)
                client.app.state.catalog.search.primary.drop()  # type: ignore[attr-defined]


def post(client: TestClient, headers: dict[str, str], record: dict) -> tuple[str, float, float]:
    """(code, t0, acknowledged) of one single POST."""
    t0 = time.perf_counter()
    response = client.post("/api/v1/resources", json=record, headers=headers)
    acked = time.perf_counter()
    assert response.status_code == 201, response.text
    return response.json()["code"], t0, acked


def writes(*, database: str, es_url: str, pg_url: str | None, count: int) -> dict[str, tuple[list[float], float]]:
    """Per mode: (wall ms of each write, CPU ms per write of this process) with both catalogues open."""
    out: dict[str, tuple[list[float], float]] = {}
    with ExitStack() as stack:
        opened = {"embedded": stack.enter_context(catalogue(database=database, es_url="", pg_url=pg_url)),
                  "elasticsearch": stack.enter_context(catalogue(database=database, es_url=es_url, pg_url=pg_url))}
        records = generate(count + BLOCK, f"写入{secrets.token_hex(2)}")
        walls: dict[str, list[float]] = {mode: [] for mode in opened}
        cpu: dict[str, float] = {mode: 0.0 for mode in opened}
        for start in range(0, len(records), BLOCK):
            for mode, (client, headers) in opened.items():
                c0 = time.process_time()
                for record in records[start:start + BLOCK]:
                    _, t0, acked = post(client, headers, record)
                    if start:  # the first block warms caches and creates the index
                        walls[mode].append((acked - t0) * 1000)
                if start:
                    cpu[mode] += time.process_time() - c0
        for mode in opened:
            out[mode] = (walls[mode], cpu[mode] * 1000 / len(walls[mode]))
    return out


def searchable(*, database: str, es_url: str, pg_url: str | None, count: int) -> list[float]:
    """Ms from each write's acknowledgement until `GET /search` finds it (one write at a time)."""
    visible = []
    with catalogue(database=database, es_url=es_url, pg_url=pg_url) as (client, headers):
        for i, record in enumerate(generate(count + 5, f"检索{secrets.token_hex(2)}")):
            code, _, acked = post(client, headers, record)
            while True:
                hits = client.get("/api/v1/search", params={"q": record["name"], "size": 5},
                                  headers=headers).json()["data"]
                if any(h["code"] == code for h in hits):
                    if i >= 5:  # warm-up: the first writes create the index
                        visible.append((time.perf_counter() - acked) * 1000)
                    break
                if time.perf_counter() - acked > 30:
                    raise RuntimeError(f"{code} not searchable after 30 s")
                time.sleep(0.02)
    return visible


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writes", type=int, default=200)
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    es_url = os.environ.get("MULU_BENCH_ELASTICSEARCH_URL") or os.environ.get("MULU_TEST_ELASTICSEARCH_URL")
    if not es_url:
        sys.exit("set MULU_TEST_ELASTICSEARCH_URL")
    pg_url = os.environ.get("MULU_BENCH_POSTGRES_URL") or os.environ.get("MULU_TEST_POSTGRES_URL")
    for database in args.databases.split(","):
        if database == "postgresql" and not pg_url:
            print("postgresql: skipped (set MULU_BENCH_POSTGRES_URL)")
            continue
        load = os.getloadavg()[0]
        measured = writes(database=database, es_url=es_url, pg_url=pg_url, count=args.writes)
        (embedded, e_cpu), (elastic, s_cpu) = measured["embedded"], measured["elasticsearch"]
        visible = searchable(database=database, es_url=es_url, pg_url=pg_url, count=max(20, args.writes // 2))
        (e50, e95), (s50, s95), (v50, v95) = q(embedded), q(elastic), q(visible)
        print(f"{database}: single POST, embedded index : p50 {e50:.1f} ms, p95 {e95:.1f} ms; CPU {e_cpu:.1f} ms "
              f"per write ({len(embedded)} writes)")
        print(f"{database}: single POST, Elasticsearch  : p50 {s50:.1f} ms, p95 {s95:.1f} ms; CPU {s_cpu:.1f} ms "
              f"per write, background indexing included ({len(elastic)} writes)")
        print(f"{database}: Elasticsearch / embedded    : p50 {s50 / e50:.2f}x, p95 {s95 / e95:.2f}x, CPU "
              f"{s_cpu / e_cpu:.2f}x; goal p95 <= 1.2x: {'met' if s95 / e95 <= 1.2 else 'NOT met'}")
        print(f"{database}: acknowledged -> searchable  : p50 {v50:.0f} ms, p95 {v95:.0f} ms ({len(visible)} writes, "
              f"one at a time); goal p95 <= 1000 ms: {'met' if v95 <= 1000 else 'NOT met'}")
        print(f"{database}: load average                : {load:.1f} -> {os.getloadavg()[0]:.1f} (2 cores)",
              flush=True)


if __name__ == "__main__":
    main()
