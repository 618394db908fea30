"""Several `mulu serve` processes on one PostgreSQL (and one Elasticsearch when MULU_TEST_ELASTICSEARCH_URL
is set): write throughput at 1 and 2 processes (and more), then the load test at 4 processes.

For each process count: a fresh PostgreSQL schema (`MULU_TEST_POSTGRES_URL`; dropped afterwards), a fresh
search alias, a real `mulu serve --workers N` (empty seed) and `--clients` threads posting new resources
over HTTP for `--writes` creates. Prints creates/s, errors, whether the codes are unique, and the ratio to
1 process. The load test (4 processes: `serve --workers 2` and two more servers) then checks
what tests/api/test_processes.py checks, at a larger scale: 0 errors, unique codes, one winner per ETag
conflict, the audit chain, every outbox row applied and none twice, a revoked token refused everywhere.

    python bench/processes_bench.py [--workers 1,2] [--writes 400] [--clients 16] [--skip-check]
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.register_bench import generate  # noqa: E402
from tests.api.processes import (  # noqa: E402  (the same servers and checks as the pytest version)
    OWN, create_many, etag_race, index_versions, outbox_settled, revoked_everywhere, serving, token,
)


def throughput(workers: int, writes: int, clients: int, es_url: str | None) -> tuple[float, int, bool]:
    with serving(Path(tempfile.mkdtemp(prefix="mulu-bench-")), layout=(workers,), es_url=es_url) as site:
        headers, _ = token(site.db, "steward", OWN)
        records = generate(writes, f"进程{workers}")
        t0 = time.perf_counter()
        results = create_many(site, headers, records, clients=clients)
        elapsed = time.perf_counter() - t0
    codes = [r.json()["code"] for r in results if r.status_code == 201]
    return writes / elapsed, sum(1 for r in results if r.status_code != 201), len(set(codes)) == len(codes)


def load_test(writes: int, clients: int, es_url: str | None) -> None:
    layout = (2, 1, 1)
    with serving(Path(tempfile.mkdtemp(prefix="mulu-bench-")), layout=layout, es_url=es_url) as site:
        steward, _ = token(site.db, "steward", OWN)
        t0 = time.perf_counter()
        created = create_many(site, steward, generate(writes, "四进程"), clients=clients)
        rate = writes / (time.perf_counter() - t0)
        codes = [r.json()["code"] for r in created if r.status_code == 201]
        errors = sum(1 for r in created if r.status_code != 201)
        code, etag = codes[0], created[0].headers["etag"]
        body = next(r for r in created if r.status_code == 201).request.content
        base = json.loads(body)
        race = etag_race(site, steward, code, etag, [dict(base, abstract=f"第{n}次修改") for n in range(30)])
        auditor, _ = token(site.db, "auditor")
        verify = httpx.get(site.bases[-1] + "/api/v1/audit-log/verify", headers=auditor, timeout=120).json()
        t1 = time.perf_counter()
        events = outbox_settled(site.db, timeout=300)
        settle = time.perf_counter() - t1
        twice = "n/a (no Elasticsearch)"
        if es_url and site.alias:
            versions = index_versions(es_url, site.alias)
            missing = [c for c in codes if c not in versions]
            over = [c for c in codes if versions.get(c, 0) > events[c]]
            twice = f"{len(over)} written more often than changed, {len(missing)} missing from the index"
        statuses = revoked_everywhere(site)
    print(f"load test, {sum(layout)} processes ({'PostgreSQL + Elasticsearch' if es_url else 'PostgreSQL'}): "
          f"{writes} creates at {rate:,.0f}/s, {errors} errors, codes unique: {len(set(codes)) == len(codes)}")
    print(f"  ETag race of 30 PUTs: {race.count(200)} x 200, {race.count(412)} x 412 (want 1 and 29)")
    print(f"  audit chain: ok={verify['ok']} over {verify['checked']} entries")
    print(f"  outbox: {sum(events.values())} rows, all applied {settle:.1f}s after the last write; {twice}")
    print(f"  revoked token, 1 s later: {statuses.count(401)} of {len(statuses)} requests refused (want all)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--writes", type=int, default=400)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--skip-check", action="store_true", help="throughput only, no 4-process load test")
    args = parser.parse_args()
    if not os.environ.get("MULU_TEST_POSTGRES_URL"):
        sys.exit("set MULU_TEST_POSTGRES_URL")
    es_url = os.environ.get("MULU_TEST_ELASTICSEARCH_URL") or None
    print(f"search: {'Elasticsearch ' + es_url if es_url else 'embedded'}; {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    base = None
    for workers in [int(w) for w in args.workers.split(",")]:
        rate, errors, unique = throughput(workers, args.writes, args.clients, es_url)
        base = base or rate
        print(f"{workers} process(es): {rate:,.0f} creates/s ({args.writes} creates, {args.clients} clients), "
              f"{errors} errors, codes unique: {unique}; x{rate / base:.2f} vs 1 process", flush=True)
    if not args.skip_check:
        load_test(args.writes, args.clients, es_url)


if __name__ == "__main__":
    main()
