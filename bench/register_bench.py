"""Registration benchmark: 10,000 generated resources through the API (bulk) and single-POST latency.

Runs on a temporary SQLite file, through the real app in process (TestClient: JSON over ASGI, auth,
validation, one transaction per 500 records). The raw SQLite insert rate (sqlite3 executemany of the
same JSON rows) is measured in the same run as the ceiling.

    python bench/register_bench.py [--count 10000] [--singles 300] [--batch 500]
"""
from __future__ import annotations

import argparse
import copy
import json
import sqlite3
import statistics
import sys
import tempfile
import time
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


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--singles", type=int, default=300)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args()

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
