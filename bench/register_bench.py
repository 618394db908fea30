"""Registration benchmark: bulk through the API, and single-POST latency as the catalogue grows.

1. bulk: 10,000 generated resources through the real app in process (TestClient: JSON over ASGI, auth,
   validation, one transaction per 500 records) on a temporary SQLite file; the raw SQLite insert rate
   (sqlite3 executemany of the same JSON rows) is measured in the same run as the ceiling.
2. scale: single `POST /resources` p50/p95 with 1,000 and with a large number of resources already in
   the catalogue (default 100,000, all of one department; the catalogues are open side by side and the
   POSTs alternate between them so machine load affects each size alike, the worst case for the duplicate-name rule),
   on SQLite and on PostgreSQL (`MULU_BENCH_POSTGRES_URL`, else `MULU_TEST_POSTGRES_URL`; a fresh schema,
   dropped afterwards), and the large/small ratio (goal <= 1.2x). The catalogue is filled with direct
   inserts of complete rows (resource, version 1, applied outbox row) and the search index rebuilt from
   them, so filling 100,000 takes seconds and what is timed is only the single writes through the API.

    python bench/register_bench.py [--count 10000] [--singles 300] [--batch 500]
    python bench/register_bench.py --no-bulk --sizes 1000,100000 --databases sqlite,postgresql --singles 200
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from fastapi.testclient import TestClient  # noqa: E402

from api.app import create_app  # noqa: E402
from api.examples import RECORD  # noqa: E402
from catalog.auth import create_token  # noqa: E402
from catalog.settings import Settings  # noqa: E402

CLASSIFICATIONS = ["102001", "102002", "102003", "102004", "101001"]


def generate(n: int, prefix: str) -> list[dict]:
    out = []
    for i in range(n):
        r = copy.deepcopy(RECORD)
        r["name"] = f"{prefix}企业登记信息{i:05d}"
        r["classification"] = CLASSIFICATIONS[i % len(CLASSIFICATIONS)]
        r["abstract"] = f"第 {i} 号测试资源：全市各类企业登记的基本信息。"
        out.append(r)
    return out


def raw_sqlite_rate(records: list[dict], path: Path) -> float:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE r (id INTEGER PRIMARY KEY, code TEXT UNIQUE, name TEXT, record TEXT)")
    rows = [(f"{r['classification']}/{i:06d}", r["name"], json.dumps(r, ensure_ascii=False))
            for i, r in enumerate(records)]
    start = time.perf_counter()
    for k in range(0, len(rows), 500):
        conn.executemany("INSERT INTO r (code, name, record) VALUES (?, ?, ?)", rows[k:k + 500])
        conn.commit()
    elapsed = time.perf_counter() - start
    conn.close()
    return len(rows) / elapsed


def fill(db, records: list[dict], steward: str) -> None:
    """Put `records` into the catalogue as complete rows (as registration writes them), in chunks."""
    from sqlalchemy import insert

    from catalog import codes
    from catalog.models import OutboxEvent, Resource, ResourceVersion, make_etag, utcnow
    from catalog.standards.model import normalise_name

    now = utcnow()
    for k in range(0, len(records), 5000):
        chunk = records[k:k + 5000]
        with db.transaction() as session:
            by_class: dict[str, list[dict]] = {}
            for r in chunk:
                by_class.setdefault(r["classification"], []).append(r)
            rows, versions, outbox = [], [], []
            for classification, group in by_class.items():
                for r, code in zip(group, codes.reserve_codes(session=session, classification=classification,
                                                               count=len(group))):
                    stored = {"code": code, **r}
                    rows.append({"code": code, "name": r["name"], "name_key": normalise_name(r["name"]),
                                 "classification": classification, "provider_code": r["provider_code"],
                                 "share_type": r["share"]["type"], "state": "published", "version": 1,
                                 "etag": make_etag(code, 1, "published"), "record": stored, "warnings": [],
                                 "reject_reason": None, "created_by": steward, "updated_by": steward,
                                 "created_at": now, "updated_at": now})
                    versions.append({"resource_code": code, "version": 1, "state": "published", "record": stored,
                                     "author": steward, "created_at": now})
                    outbox.append({"resource_code": code, "op": "upsert", "created_at": now, "applied_at": now})
            session.execute(insert(Resource), rows)
            session.execute(insert(ResourceVersion), versions)
            session.execute(insert(OutboxEvent), outbox)


def quantiles(latencies: list[float]) -> tuple[float, float]:
    q = statistics.quantiles(latencies, n=100)
    return q[49], q[94]


@contextmanager
def catalogue(*, database: str, size: int, pg_url: str | None) -> Iterator[tuple[TestClient, dict, float]]:
    """(client, headers, fill seconds) of a fresh catalogue holding `size` published resources."""
    from catalog.search.outbox import reindex

    tmp = Path(tempfile.mkdtemp(prefix="mulu-bench-"))
    schema, admin = None, None
    settings = Settings(data_dir=tmp / "data")
    if database == "postgresql":
        from urllib.parse import quote

        from sqlalchemy import create_engine, text

        from catalog.db import database_url

        schema = f"mulu_bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(database_url(Settings(database_url=pg_url or "")))
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        sep = "&" if "?" in (pg_url or "") else "?"
        settings = Settings(data_dir=tmp / "data",
                            database_url=f"{pg_url}{sep}options={quote(f'-csearch_path={schema}')}")
    try:
        app = create_app(settings)
        db = app.state.db
        with db.transaction() as session:
            secret, _ = create_token(session=session, role="steward", department_code="330782101")
        t0 = time.perf_counter()
        fill(db, generate(size, "存量"), "bench")
        reindex(db=db, backend=app.state.catalog.search)
        with TestClient(app) as client:
            yield client, {"Authorization": f"Bearer {secret}"}, time.perf_counter() - t0
        app.state.catalog.close()
    finally:
        if admin is not None:
            from sqlalchemy import text

            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


def single_posts(*, database: str, sizes: list[int], singles: int, pg_url: str | None) -> dict[int, list[float]]:
    """Latencies (ms) of `singles` single POSTs into catalogues of each size. The catalogues are open side by
    side and the POSTs alternate between them, so load from elsewhere on the machine hits every size alike."""
    latencies: dict[int, list[float]] = {size: [] for size in sizes}
    with ExitStack() as stack:
        open_ = {}
        for size in sizes:
            open_[size] = stack.enter_context(catalogue(database=database, size=size, pg_url=pg_url))
            print(f"{database:10s} {size:>7,} resources filled in {open_[size][2]:.1f} s", flush=True)
        records = generate(singles + 10, "单条")
        for i, r in enumerate(records):
            for size, (client, headers, _) in open_.items():
                t0 = time.perf_counter()
                response = client.post("/api/v1/resources", json=r, headers=headers)
                if i >= 10:  # the first few warm caches
                    latencies[size].append((time.perf_counter() - t0) * 1000)
                assert response.status_code == 201, response.text
    return latencies


def scale(args: argparse.Namespace) -> None:
    sizes = [int(s) for s in args.sizes.split(",")]
    pg_url = os.environ.get("MULU_BENCH_POSTGRES_URL") or os.environ.get("MULU_TEST_POSTGRES_URL")
    for database in args.databases.split(","):
        if database == "postgresql" and not pg_url:
            print("postgresql: skipped (set MULU_BENCH_POSTGRES_URL)")
            continue
        figures = {}
        for size, lat in single_posts(database=database, sizes=sizes, singles=args.singles, pg_url=pg_url).items():
            figures[size] = quantiles(lat)
            print(f"{database:10s} {size:>7,} resources: single POST p50 {figures[size][0]:.1f} ms, "
                  f"p95 {figures[size][1]:.1f} ms ({len(lat)} posts)", flush=True)
        small, large = figures[sizes[0]], figures[sizes[-1]]
        ratio = large[1] / small[1]
        print(f"{database:10s} p95 {sizes[-1]:,} / {sizes[0]:,}: {ratio:.2f}x (p50 {large[0] / small[0]:.2f}x); "
              f"goal <= 1.2x: {'met' if ratio <= 1.2 else 'NOT met'}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--singles", type=int, default=300)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--bulk", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--sizes", default="1000,100000", help="catalogue sizes for single-POST latency")
    parser.add_argument("--databases", default="sqlite,postgresql")
    args = parser.parse_args()
    if args.bulk:
        bulk(args)
    if args.sizes:
        scale(args)


def bulk(args: argparse.Namespace) -> None:

    tmp = Path(tempfile.mkdtemp(prefix="mulu-bench-"))
    app = create_app(Settings(data_dir=tmp / "data", max_body_bytes=10_000_000))
    db = app.state.db
    with db.transaction() as session:
        secret, _ = create_token(session=session, role="steward", department_code="330782101")
    headers = {"Authorization": f"Bearer {secret}"}
    bulk_records = generate(args.count, "批量")
    single_records = generate(args.singles, "单条")

    with TestClient(app) as client:
        client.post("/api/v1/validate", json=bulk_records[0])  # warm the standards cache
        start = time.perf_counter()
        created = 0
        for k in range(0, len(bulk_records), args.batch):
            response = client.post("/api/v1/resources/bulk", json=bulk_records[k:k + args.batch], headers=headers)
            response.raise_for_status()
            created += response.json()["created"]
        bulk_s = time.perf_counter() - start
        assert created == args.count, created

        latencies = []
        for r in single_records:
            t0 = time.perf_counter()
            response = client.post("/api/v1/resources", json=r, headers=headers)
            latencies.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 201, response.text

    raw = raw_sqlite_rate(bulk_records, tmp / "raw.db")
    from catalog.standards import load_standards
    from catalog.validation import validate_record

    standards = load_standards()
    t0 = time.perf_counter()
    for r in bulk_records[:2000]:
        validate_record(r, standards=standards)
    validate_rate = 2000 / (time.perf_counter() - t0)
    rate = args.count / bulk_s
    q = statistics.quantiles(latencies, n=100)
    print(f"bulk registration via API : {args.count} resources in {bulk_s:.2f} s = {rate:,.0f} resources/s "
          f"(batch {args.batch}; goal >= 1,000/s: {'met' if rate >= 1000 else 'NOT met'})")
    print(f"single POST latency       : p50 {q[49]:.1f} ms, p95 {q[94]:.1f} ms over {len(latencies)} posts")
    print(f"raw sqlite3 executemany   : {raw:,.0f} rows/s (same JSON rows, ceiling)")
    print(f"validation engine alone   : {validate_rate:,.0f} records/s (the bound on registration)")
    print(f"API / raw ratio           : {rate / raw:.1%}")


if __name__ == "__main__":
    main()
