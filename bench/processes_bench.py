"""Write throughput of `mulu serve --workers N` on one PostgreSQL, at 1 and 2 processes (and more).

For each worker count: a fresh PostgreSQL schema (`MULU_TEST_POSTGRES_URL`; dropped afterwards), a real `mulu serve --workers N` (empty seed), and
`--clients` threads posting new resources over HTTP for `--writes` creates. Prints creates/s, errors
and whether the codes are unique, then the ratio to 1 process.

    python bench/processes_bench.py [--workers 1,2] [--writes 400] [--clients 16]
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.register_bench import generate  # noqa: E402
from catalog.auth import create_token  # noqa: E402
from tests.api.test_processes import start  # noqa: E402  (the same server start as the pytest version)
from tests.databases import postgres_database  # noqa: E402


def run(workers: int, writes: int, clients: int) -> tuple[float, int, bool]:
    with postgres_database("mulu_bench") as (db, url):  # a fresh schema, dropped afterwards
        proc, base = start(url, Path(tempfile.mkdtemp(prefix="mulu-bench-")), workers=workers)
        try:
            with db.transaction() as session:
                secret, _ = create_token(session=session, role="steward", department_code="330782101")
            headers = {"Authorization": f"Bearer {secret}"}
            records = generate(writes, f"进程{workers}")
            with httpx.Client(timeout=60) as client:
                def post(record: dict) -> tuple[int, str | None]:
                    r = client.post(base + "/api/v1/resources", json=record, headers=headers)
                    return r.status_code, r.json().get("code") if r.status_code == 201 else None

                t0 = time.perf_counter()
                with ThreadPoolExecutor(clients) as pool:
                    results = list(pool.map(post, records))
                elapsed = time.perf_counter() - t0
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    codes = [c for s, c in results if s == 201]
    return writes / elapsed, sum(1 for s, _ in results if s != 201), len(set(codes)) == len(codes)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--writes", type=int, default=400)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    if not os.environ.get("MULU_TEST_POSTGRES_URL"):
        sys.exit("set MULU_TEST_POSTGRES_URL")
    base = None
    for workers in [int(w) for w in args.workers.split(",")]:
        rate, errors, unique = run(workers, args.writes, args.clients)
        base = base or rate
        print(f"{workers} process(es): {rate:,.0f} creates/s ({args.writes} creates, {args.clients} clients), "
              f"{errors} errors, codes unique: {unique}; x{rate / base:.2f} vs 1 process", flush=True)


if __name__ == "__main__":
    main()
