"""Writes with Elasticsearch vs the embedded default, and how soon a written record is searchable.

Through the real app in process (TestClient), on a temporary SQLite file: single `POST /resources`
latency with the embedded index (applied right after the commit) and with Elasticsearch configured
(the commit only wakes the outbox worker), and the ratio (goal <= 1.2x). Then, with Elasticsearch, the
time from each write's acknowledgement until `GET /search` finds the record (p50/p95; goal p95 <= 1 s).

    MULU_TEST_ELASTICSEARCH_URL=http://127.0.0.1:9201 python bench/search_write_bench.py [--writes 100]
"""
from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402

from api.app import create_app  # noqa: E402
from bench.register_bench import generate  # noqa: E402
from catalog.auth import create_token  # noqa: E402
from catalog.settings import Settings  # noqa: E402


def q(values: list[float]) -> tuple[float, float]:
    cuts = statistics.quantiles(values, n=100)
    return cuts[49], cuts[94]


def run(*, es_url: str, writes: int, probe: bool) -> tuple[list[float], list[float]]:
    """(write latencies ms, acknowledgement → searchable ms) on one fresh catalogue."""
    tmp = Path(tempfile.mkdtemp(prefix="mulu-bench-"))
    alias = f"mulu-bench-{secrets.token_hex(4)}"
    app = create_app(Settings(data_dir=tmp / "data", elasticsearch_url=es_url, elasticsearch_index=alias))
    with app.state.db.transaction() as session:
        secret, _ = create_token(session=session, role="steward", department_code="330782101")
    headers = {"Authorization": f"Bearer {secret}"}
    latencies, visible = [], []
    try:
        with TestClient(app) as client:
            for i, record in enumerate(generate(writes + 5, f"检索{secrets.token_hex(2)}")):
                t0 = time.perf_counter()
                response = client.post("/api/v1/resources", json=record, headers=headers)
                acked = time.perf_counter()
                assert response.status_code == 201, response.text
                if i < 5:
                    continue  # warm-up
                latencies.append((acked - t0) * 1000)
                if probe:
                    code = response.json()["code"]
                    while True:
                        hits = client.get("/api/v1/search", params={"q": record["name"], "size": 5},
                                          headers=headers).json()["data"]
                        if any(h["code"] == code for h in hits):
                            visible.append((time.perf_counter() - acked) * 1000)
                            break
                        if time.perf_counter() - acked > 30:
                            raise RuntimeError(f"{code} not searchable after 30 s")
                        time.sleep(0.02)
    finally:
        if es_url:
            app.state.catalog.search.primary.drop()  # type: ignore[attr-defined]
        app.state.catalog.close()
    return latencies, visible


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--writes", type=int, default=100)
    args = parser.parse_args()
    es_url = os.environ.get("MULU_BENCH_ELASTICSEARCH_URL") or os.environ.get("MULU_TEST_ELASTICSEARCH_URL")
    if not es_url:
        sys.exit("set MULU_TEST_ELASTICSEARCH_URL")
    embedded, _ = run(es_url="", writes=args.writes, probe=False)
    elastic, _ = run(es_url=es_url, writes=args.writes, probe=False)
    _, visible = run(es_url=es_url, writes=max(20, args.writes // 2), probe=True)
    (e50, e95), (s50, s95), (v50, v95) = q(embedded), q(elastic), q(visible)
    print(f"single POST, embedded index : p50 {e50:.1f} ms, p95 {e95:.1f} ms ({len(embedded)} writes)")
    print(f"single POST, Elasticsearch  : p50 {s50:.1f} ms, p95 {s95:.1f} ms ({len(elastic)} writes)")
    print(f"Elasticsearch / embedded    : p50 {s50 / e50:.2f}x, p95 {s95 / e95:.2f}x; goal <= 1.2x: "
          f"{'met' if s95 / e95 <= 1.2 else 'NOT met'}")
    print(f"acknowledged -> searchable  : p50 {v50:.0f} ms, p95 {v95:.0f} ms ({len(visible)} writes, "
          f"one at a time); goal p95 <= 1000 ms: {'met' if v95 <= 1000 else 'NOT met'}")


if __name__ == "__main__":
    main()
