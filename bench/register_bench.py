"""Registration benchmark: bulk through the API, and single-POST latency as the catalogue grows.

1. bulk: 10,000 generated resources through the real app in process (TestClient: JSON over ASGI, auth,
   validation, one transaction per 500 records) on a temporary SQLite file; the raw SQLite insert rate
   (sqlite3 executemany of the same JSON rows) is measured in the same run as the ceiling.
2. scale: single `POST /resources` p50/p95 with 1,000 and with a large number of resources already in
   the catalogue (default 100,000, all of one department; the catalogues are open side by side and the
   POSTs alternate between them so machine load affects each size alike, the worst case for the duplicate-name rule),
   on SQLite and on PostgreSQL (`MULU_BENCH_POSTGRES_URL`, else `MULU_TEST_POSTGRES_URL`; a fresh schema,
   dropped afterwards), and the large/small ratio (goal <= 1.2x). The catalogue is filled with direct
   inserts of complete rows (resource, version 1, applied outbox row; keywords and item names from a
   vocabulary that grows with the catalogue) and the search index rebuilt from them; what is timed is only
   the single writes through the API. Per size it prints wall p50/p95, this process's CPU (the app runs in
   it), the time in the after-commit hooks (the embedded index update) and the rest, and the load average;
   `--statements` adds every SQL statement's time per write at both sizes and the ratio; `--keep DIR` keeps
   the filled catalogues (SQLite file, PostgreSQL schema, search index) and reuses them on the next run.

    python bench/register_bench.py [--count 10000] [--singles 300] [--batch 500]
    python bench/register_bench.py --no-bulk --sizes 1000,100000 --databases sqlite,postgresql --singles 300 \
        --keep /tmp/mulu-keep --statements
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
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


# Stock records get keywords and item names from a vocabulary that grows like a real catalogue's (Heaps' law:
# distinct terms ~ 120 * sqrt(resources): about 3,800 at 1,000 resources, 38,000 at 100,000), so that a
# per-write cost over the search index's vocabulary shows up here as it would in production.
_CHARS = "人口法人社会信用代码企业登记经营许可证照医疗卫生教育学校交通运输车辆道路水利环境监测气象农业林业住房城乡建设公安户籍民政婚姻财政税务审计统计市场监管文化旅游体育科技工业信息化商务海关能源安全应急消防"


def vocabulary_term(j: int) -> str:
    n = len(_CHARS)
    return _CHARS[j % n] + _CHARS[(j // n) % n] + _CHARS[(j // n // n) % n]


def with_vocabulary(records: list[dict]) -> list[dict]:
    pool = max(50, int(120 * len(records) ** 0.5))
    for i, r in enumerate(records):
        picks = [vocabulary_term((i * 7919 + k * 104729) % pool) for k in range(5)]
        r["keywords"] = picks[:3]
        r["items"] = [{**item, "name": picks[3 + n]} for n, item in enumerate(r["items"][:2])]
    return records


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
def catalogue(*, database: str, size: int, pg_url: str | None, keep: Path | None = None,
              **settings_extra: Any) -> Iterator[tuple[TestClient, dict, float]]:
    """(client, headers, fill seconds) of a catalogue holding `size` published resources (plus the single
    writes of earlier runs, with `keep`). Without `keep`: a fresh one, dropped afterwards. With `keep`: the
    catalogue filled by an earlier run with the same `keep` folder is opened again (SQLite file, embedded
    index and PostgreSQL schema are kept), so 100,000 resources are loaded once, not on every run.
    `settings_extra`: more Settings (e.g. elasticsearch_url and elasticsearch_index)."""
    from catalog.search.outbox import reindex

    home = keep / f"{database}-{size}-v2" if keep is not None else Path(tempfile.mkdtemp(prefix="mulu-bench-"))
    marker = home / "filled.json"
    kept = json.loads(marker.read_text()) if marker.exists() else None
    schema, admin = None, None
    settings = Settings(data_dir=home / "data", **settings_extra)
    if database == "postgresql":
        from urllib.parse import quote

        from sqlalchemy import create_engine, text

        from catalog.db import database_url

        schema = kept["schema"] if kept else f"mulu_bench_{uuid.uuid4().hex[:10]}"
        admin = create_engine(database_url(Settings(database_url=pg_url or "")))
        if kept is None:
            with admin.begin() as conn:
                conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        sep = "&" if "?" in (pg_url or "") else "?"
        settings = Settings(data_dir=home / "data", **settings_extra,
                            database_url=f"{pg_url}{sep}options={quote(f'-csearch_path={schema}')}")
    try:
        app = create_app(settings)
        db = app.state.db
        with db.transaction() as session:
            secret, _ = create_token(session=session, role="steward", department_code="330782101")
        t0 = time.perf_counter()
        if kept is None:
            fill(db, with_vocabulary(generate(size, "存量")), "bench")
            reindex(db=db, backend=app.state.catalog.search)
            if keep is not None:
                marker.write_text(json.dumps({"schema": schema, "size": size}))
        with TestClient(app) as client:
            yield client, {"Authorization": f"Bearer {secret}"}, time.perf_counter() - t0
        app.state.catalog.close()
    finally:
        if admin is not None:
            from sqlalchemy import text

            if keep is None:
                with admin.begin() as conn:
                    conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


def resource_total(client: TestClient) -> int:
    from catalog.search.outbox import resource_count

    return resource_count(db=client.app.state.db)  # type: ignore[attr-defined]


class Statements:
    """Time and count of every SQL statement an engine runs (by the statement's first 150 characters)."""

    def __init__(self, engine: Any) -> None:
        from sqlalchemy import event

        self.seen: dict[str, list[float]] = {}
        self.on = False
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        conn.info.setdefault("bench_t0", []).append(time.perf_counter())

    def _after(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        started = conn.info["bench_t0"].pop()
        if self.on:
            key = " ".join(statement.split())[:150]
            seen = self.seen.setdefault(key, [0, 0.0])
            seen[0] += 1
            seen[1] += time.perf_counter() - started


@dataclass
class Figures:
    wall: list[float] = field(default_factory=list)  # ms per POST
    cpu: list[float] = field(default_factory=list)  # ms of this process's CPU per POST (the app runs in it)
    hooks: list[float] = field(default_factory=list)  # ms per POST in the after-commit hooks (search index)
    statements: Statements | None = None
    resources: int = 0
    _in_hooks: float = 0.0

    def watch_hooks(self, db: Any) -> None:
        """Time what runs after each commit (the embedded index update, or waking the outbox worker)."""
        def timed(hook: Any) -> Any:
            def run() -> object:
                t0 = time.perf_counter()
                try:
                    return hook()
                finally:
                    self._in_hooks += time.perf_counter() - t0
            return run
        db.after_commit[:] = [timed(h) for h in db.after_commit]

    def take_hooks(self) -> float:
        spent, self._in_hooks = self._in_hooks, 0.0
        return spent * 1000


def single_posts(*, database: str, sizes: list[int], singles: int, pg_url: str | None,
                 keep: Path | None = None, statements: bool = False) -> dict[int, Figures]:
    """Wall and CPU times (ms) of `singles` single POSTs into catalogues of each size. The catalogues are open
    side by side and the POSTs alternate between them, so load from elsewhere on the machine hits every size
    alike."""
    figures: dict[int, Figures] = {size: Figures() for size in sizes}
    with ExitStack() as stack:
        open_ = {}
        for size in sizes:
            open_[size] = stack.enter_context(catalogue(database=database, size=size, pg_url=pg_url, keep=keep))
            figures[size].resources = resource_total(open_[size][0])
            figures[size].watch_hooks(open_[size][0].app.state.db)  # type: ignore[attr-defined]
            if statements:
                figures[size].statements = Statements(open_[size][0].app.state.db.engine)  # type: ignore[attr-defined]
            print(f"{database:10s} {size:>7,} resources ({figures[size].resources:,} in the database) ready in "
                  f"{open_[size][2]:.1f} s", flush=True)
        records = generate(singles + 10, f"单条{uuid.uuid4().hex[:6]}")
        for i, r in enumerate(records):
            for size, (client, headers, _) in open_.items():
                watched = figures[size].statements
                if watched is not None:
                    watched.on = i >= 10
                t0, c0 = time.perf_counter(), time.process_time()
                response = client.post("/api/v1/resources", json=r, headers=headers)
                wall, cpu, hooks = time.perf_counter() - t0, time.process_time() - c0, figures[size].take_hooks()
                if i >= 10:  # the first few warm caches
                    figures[size].wall.append(wall * 1000)
                    figures[size].cpu.append(cpu * 1000)
                    figures[size].hooks.append(hooks)
                assert response.status_code == 201, response.text
    return figures


def print_statements(database: str, sizes: list[int], figures: dict[int, Figures]) -> None:
    """Per statement: ms per write at the smallest and the largest size, and the ratio (the ones that grow)."""
    small, large = figures[sizes[0]].statements, figures[sizes[-1]].statements
    if small is None or large is None:
        return
    n_small, n_large = len(figures[sizes[0]].wall), len(figures[sizes[-1]].wall)
    print(f"{database:10s} SQL per write: ms at {sizes[0]:,} / ms at {sizes[-1]:,} / ratio / count per write")
    for key in sorted(large.seen, key=lambda k: -large.seen[k][1])[:25]:
        count, spent = large.seen[key]
        before = small.seen.get(key, [0, 0.0])[1] / n_small * 1000
        after = spent / n_large * 1000
        ratio = f"{after / before:5.2f}x" if before else "  new"
        print(f"  {before:7.2f} {after:7.2f} {ratio} {count / n_large:4.1f}  {key}")


def scale(args: argparse.Namespace) -> None:
    sizes = [int(s) for s in args.sizes.split(",")]
    pg_url = os.environ.get("MULU_BENCH_POSTGRES_URL") or os.environ.get("MULU_TEST_POSTGRES_URL")
    keep = Path(args.keep) if args.keep else None
    for database in args.databases.split(","):
        if database == "postgresql" and not pg_url:
            print("postgresql: skipped (set MULU_BENCH_POSTGRES_URL)")
            continue
        load_before = os.getloadavg()[0]
        figures = single_posts(database=database, sizes=sizes, singles=args.singles, pg_url=pg_url, keep=keep,
                               statements=args.statements)
        quants = {}
        for size, fig in figures.items():
            quants[size] = quantiles(fig.wall)
            cpu50, cpu95 = quantiles(fig.cpu)
            hook50, hook95 = quantiles(fig.hooks)
            rest50, rest95 = quantiles([w - h for w, h in zip(fig.wall, fig.hooks)])
            print(f"{database:10s} {size:>7,} resources: single POST p50 {quants[size][0]:.1f} ms, "
                  f"p95 {quants[size][1]:.1f} ms; CPU of this process p50 {cpu50:.1f} ms, p95 {cpu95:.1f} ms, "
                  f"total {sum(fig.cpu) / 1000:.2f} s ({len(fig.wall)} posts)\n"
                  f"{'':10s} {'':>7s}   after commit (search index) p50 {hook50:.1f} ms, p95 {hook95:.1f} ms; "
                  f"the rest p50 {rest50:.1f} ms, p95 {rest95:.1f} ms", flush=True)
        small, large = quants[sizes[0]], quants[sizes[-1]]
        ratio = large[1] / small[1]
        cpu_ratio = sum(figures[sizes[-1]].cpu) / sum(figures[sizes[0]].cpu)
        print(f"{database:10s} p95 {sizes[-1]:,} / {sizes[0]:,}: {ratio:.2f}x (p50 {large[0] / small[0]:.2f}x, "
              f"CPU total {cpu_ratio:.2f}x); goal <= 1.2x: {'met' if ratio <= 1.2 else 'NOT met'}; "
              f"load average {load_before:.1f} -> {os.getloadavg()[0]:.1f}", flush=True)
        print_statements(database, sizes, figures)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--singles", type=int, default=300)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--bulk", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--sizes", default="1000,100000", help="catalogue sizes for single-POST latency")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--keep", metavar="DIR", help="keep the filled catalogues in DIR and reuse them next run")
    parser.add_argument("--statements", action="store_true", help="print SQL time per write at both sizes")
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
