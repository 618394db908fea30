"""Load: mixed search / read / register traffic against a real `mulu serve` on loopback, for a bounded time.

    python bench/load.py                      # 30 s, 8 workers, a fresh seeded server on a free port
    python bench/load.py --seconds 5 --workers 4
    python bench/load.py --url http://127.0.0.1:8000 --token <steward token of 330782101>

Prints throughput, p50/p95 per kind and the error rate (any non-2xx answer or transport error is an
error; the run exits 1 if there is one). A 5-second version runs in tests/hardening/test_load_smoke.py.
"""
from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from api.examples import RECORD  # noqa: E402

QUERIES = ["企业登记", "户籍", "社保", "qydj", "不动产", "纳税", "医保", "学校", "交通", "市场监管局 许可",
           "统一社会信用代码", "公共服务", "环境 监测", "行政处罚"]
MIX = (("search", 0.6), ("read", 0.3), ("register", 0.1))


def pct(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def run_load(*, url: str, token: str, seconds: float, workers: int, seed: int = 1) -> dict[str, Any]:
    """Drive the mix for `seconds` with `workers` threads; per-kind latencies (ms), errors, throughput."""
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
        listing = client.get("/api/v1/resources", params={"state": "published", "limit": 500})
        listing.raise_for_status()
        codes = [r["code"] for r in listing.json()["data"]]
    lock = threading.Lock()
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    deadline = time.monotonic() + seconds

    def worker(n: int) -> None:
        rng = random.Random(seed * 1000 + n)
        with httpx.Client(base_url=url, headers=headers, timeout=30) as client:
            i = 0
            while time.monotonic() < deadline:
                kind = rng.choices([k for k, _ in MIX], [w for _, w in MIX])[0]
                started = time.perf_counter()
                try:
                    if kind == "search":
                        r = client.get("/api/v1/search", params={"q": rng.choice(QUERIES)})
                    elif kind == "read":
                        r = client.get(f"/api/v1/resources/{rng.choice(codes)}")
                    else:
                        r = client.post("/api/v1/resources", json={**RECORD, "name": f"压测登记{n}-{i}-{seed}"})
                    ok = 200 <= r.status_code < 300
                    problem = None if ok else f"{kind} {r.status_code} {r.text[:120]}"
                except httpx.HTTPError as exc:
                    problem = f"{kind} {exc.__class__.__name__}: {exc}"
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    latencies[kind].append(elapsed)
                    if problem:
                        errors.append(problem)
                i += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(workers)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    total = sum(len(v) for v in latencies.values())
    return {
        "seconds": round(wall, 1), "workers": workers, "requests": total,
        "throughput": round(total / wall, 1) if wall else 0.0,
        "errors": len(errors), "error_rate": (len(errors) / total) if total else 0.0, "first_errors": errors[:5],
        "kinds": {k: {"count": len(v), "p50_ms": round(statistics.median(v), 1), "p95_ms": round(pct(v, 95), 1)}
                  for k, v in sorted(latencies.items())},
    }


def local_server(stack: ExitStack) -> tuple[str, str]:
    """A fresh `mulu serve` over a temp data dir (seeded on first start) and a steward token of 330782101."""
    from catalog.auth import create_token
    from catalog.db import open_database
    from catalog.settings import Settings
    from tests.hardening.support import LiveServer, free_port

    data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="mulu-load-")))
    server = LiveServer(data_dir=data_dir, port=free_port()).start(timeout=90)
    stack.callback(server.stop)
    db = open_database(Settings(data_dir=data_dir))
    with db.transaction() as session:
        secret, _ = create_token(session=session, role="steward", department_code="330782101", name="load")
    db.dispose()
    return server.url, secret


def report(result: dict[str, Any]) -> str:
    lines = [f"load: {result['requests']} requests in {result['seconds']} s with {result['workers']} workers "
             f"= {result['throughput']} req/s; errors {result['errors']} ({result['error_rate']:.2%})"]
    for kind, k in result["kinds"].items():
        lines.append(f"  {kind:<9} {k['count']:>6}  p50 {k['p50_ms']:>7.1f} ms  p95 {k['p95_ms']:>7.1f} ms")
    lines += [f"  error: {e}" for e in result["first_errors"]]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--url", help="an already running mulu (default: start one on a free loopback port)")
    parser.add_argument("--token", help="steward token of 330782101 for --url")
    args = parser.parse_args(argv)
    with ExitStack() as stack:
        url, token = (args.url, args.token) if args.url else local_server(stack)
        if not token:
            parser.error("--token is required with --url")
        result = run_load(url=url, token=token, seconds=args.seconds, workers=args.workers)
    print(report(result))
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
