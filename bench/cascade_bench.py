"""目录级联 benchmark: a county of N published resources reported to a city, first push and an incremental one.

The city is a real `uvicorn` server on loopback (its own SQLite file); the county pushes with the same
code as `mulu cascade push`. The baseline, measured in the same run, is reading the county's whole
feed locally (no HTTP, no intake): the ratio says what reporting up costs on top of that.

    python -m bench.cascade_bench [--count 10000] [--changes 100] [--batch 200]
"""
from __future__ import annotations

import argparse
import tempfile
import threading
import time
from pathlib import Path

import uvicorn

from api.app import create_app
from bench.register_bench import generate
from catalog.auth import SYSTEM, create_token
from catalog.cascade.feed import read_feed
from catalog.cascade.rounds import push_round
from catalog.cascade.upstream import Upstream
from catalog.db import open_database
from catalog.registry import change_state, register_records
from catalog.settings import Settings
from tests.net import free_port


def county(path: Path, n: int) -> tuple[object, list[str]]:
    db = open_database(Settings(data_dir=path))
    from catalog.seeding import load_departments

    load_departments(db=db)
    codes: list[str] = []
    records = generate(n, "县")
    for k in range(0, n, 500):
        with db.transaction() as session:
            out = register_records(session=session, actor=SYSTEM, records=records[k:k + 500], state="published")
        codes += [o.code for o in out if o.code]
    return db, codes


def city(path: Path) -> tuple[str, str, uvicorn.Server]:
    app = create_app(Settings(data_dir=path, level="city", region="330700"))
    with app.state.db.transaction() as session:
        secret, _ = create_token(session=session, role="downstream", name="county-330782")
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    return f"http://127.0.0.1:{port}", secret, server


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=10_000)
    ap.add_argument("--changes", type=int, default=100)
    ap.add_argument("--batch", type=int, default=200)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        db, codes = county(Path(tmp) / "county", args.count)
        print(f"county: {len(codes)} published resources generated in {time.perf_counter() - t0:.1f} s")
        t0 = time.perf_counter()
        cursor, entries = 0, 0
        with db.session() as session:  # type: ignore[attr-defined]
            while True:
                page = read_feed(session=session, since=cursor, limit=args.batch)
                entries += len(page.entries)
                cursor = page.next
                if not page.more:
                    break
        baseline = time.perf_counter() - t0
        url, token, server = city(Path(tmp) / "city")
        up = Upstream(url, token)
        t0 = time.perf_counter()
        first = push_round(db=db, upstream=up, level="county", region="330782", batch=args.batch)  # type: ignore[arg-type]
        first_s = time.perf_counter() - t0
        for code in codes[:args.changes]:
            with db.transaction() as session:  # type: ignore[attr-defined]
                change_state(session=session, actor=SYSTEM, code=code, action="withdraw")
        t0 = time.perf_counter()
        inc = push_round(db=db, upstream=up, level="county", region="330782", batch=args.batch)  # type: ignore[arg-type]
        inc_s = time.perf_counter() - t0
        up.close()
        server.should_exit = True
        print(f"baseline: read the whole feed locally ({entries} entries): {baseline:.2f} s")
        print(f"first push: {first.sent} entries in {first.batches} batches: {first_s:.2f} s "
              f"({first.sent / first_s:.0f} entries/s; {first_s / baseline:.1f}x the local feed read)")
        print(f"incremental push of {args.changes} withdrawals: {inc.sent} entries: {inc_s * 1000:.0f} ms")


if __name__ == "__main__":
    main()
