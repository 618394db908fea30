"""Search benchmark: N generated resources in a real SQLite catalogue; reindex time per backend (from the
database, as `mulu reindex` does), query latency p50/p95 through the API of a real `mulu serve` (uvicorn
on loopback, one server per backend, httpx keep-alive client), and the same query bodies sent straight
to Elasticsearch in the same run, both through the compat proxy and direct to OpenSearch (the ceiling).
Queries are interleaved (API-embedded, API-ES, raw-proxy, raw-direct) so load spikes hit all alike.
Prints ratios and each server's peak memory (VmHWM from /proc/<pid>/status).

    python -m bench.search_bench [--n 100000] [--queries 300] [--es URL] [--direct URL]
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from catalog.records import iter_record_files, read_record_file  # noqa: E402

QUERIES = ["企业登记", "工商 行政处罚", "统一社会信用代码", "统一社会信用代玛", "tyshxydm", "国税", "低保", "社保缴费",
           "不动产登记", "许可", "税", "户口", "排污许可", "医保结算", "qydj", "危化品", "网约车", "学籍", "12345", "养老金",
           "企业信息", "我想查一下企业登记的情况", "驾照", "看病", "5G"]
# warm-up uses other queries: the first round of QUERIES is then cold (the backends keep no result cache; ES's
# request cache and the plan memo see each query the first time), shown apart
WARMUP_QUERIES = ["市场监管", "婚姻登记", "公积金", "xkz", "医疗机构"]
WARMUP = 20


def generate(n: int, seeds: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """`n` records: the seed catalogue, then variants of it (other names, mixed keywords and items)."""
    rnd = random.Random(42)
    out = []
    for i in range(n):
        base = seeds[i % len(seeds)]
        if i < len(seeds):
            out.append(base)
            continue
        other = seeds[rnd.randrange(len(seeds))]
        rec = copy.deepcopy(base)
        tag = (other.get("keywords") or [other["name"]])[0]
        rec["code"] = f"{rec['classification']}/{i:06d}"
        rec["name"] = f"{base['name']}（{tag}）第{i}批"
        rec["abstract"] = base.get("abstract", "") + (other.get("abstract") or "")[:40]
        rec["keywords"] = list(base.get("keywords") or []) + list(other.get("keywords") or [])[:1]
        rec["items"] = list(base.get("items") or []) + list(other.get("items") or [])[:2]
        rec["update_cycle"] = rnd.choice(["每日", "每周", "每月", "每年", "实时"])
        rec["published_on"] = f"20{rnd.randint(18, 25)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}"
        out.append(rec)
    return out


def load_catalogue(db: Any, records: list[dict[str, Any]]) -> None:
    """Straight into the resources table (the registry's validation is not what this measures)."""
    from catalog.models import Resource, utcnow

    rnd = random.Random(7)
    now = utcnow()
    table = Resource.__table__  # type: ignore[attr-defined]
    rows = [{"code": r["code"], "name": r["name"], "classification": r["classification"],
             "provider_code": r["provider_code"], "share_type": (r.get("share") or {}).get("type"),
             "state": "published" if rnd.random() < 0.9 else "draft", "version": 1, "etag": secrets.token_hex(8),
             "record": r, "warnings": [], "created_by": "bench", "updated_by": "bench", "created_at": now,
             "updated_at": now} for r in records]
    with db.engine.begin() as conn:
        for i in range(0, len(rows), 5000):
            conn.execute(table.insert(), rows[i : i + 5000])


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] * 1000


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: Path, env_extra: dict[str, str]) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "MULU_DATA_DIR": str(data_dir), "MULU_DATABASE_URL": "", "MULU_ELASTICSEARCH_URL": "",
           **env_extra}
    proc = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import httpx

    url = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                return proc, url
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        time.sleep(0.2)
    proc.terminate()
    raise SystemExit("server did not start")


def memory(pid: int) -> dict[str, float]:
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            out[key] = int(value.split()[0]) / 1024
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--es", default=os.environ.get("MULU_TEST_ELASTICSEARCH_URL", "http://127.0.0.1:9201"))
    ap.add_argument("--direct", default="http://127.0.0.1:9200", help="OpenSearch without the compat proxy")
    ap.add_argument("--keep", action="store_true", help="keep the temporary catalogue (else deleted at the end)")
    args = ap.parse_args()
    import httpx

    from catalog.auth import create_token
    from catalog.db import open_database
    from catalog.search.base import SearchQuery, Visibility
    from catalog.search.elastic import ElasticBackend
    from catalog.search.embedded import EmbeddedBackend
    from catalog.search.outbox import reindex
    from catalog.search.resilient import ResilientBackend
    from catalog.settings import Settings
    from catalog.standards import load_standards

    standards = load_standards()
    seeds = [read_record_file(p) for p in iter_record_files([ROOT / "seed"])]
    data_dir = Path(tempfile.mkdtemp(prefix="mulu-bench-"))
    alias = f"mulu-bench-{secrets.token_hex(3)}"
    settings = Settings(data_dir=data_dir, elasticsearch_index=alias)
    db = open_database(settings)
    t = time.perf_counter()
    load_catalogue(db, generate(args.n, seeds))
    with db.transaction() as session:
        secret, _ = create_token(session=session, role="developer")
    print(f"{args.n} generated resources in {data_dir} (loaded in {time.perf_counter() - t:.1f} s), "
          f"{args.queries} queries per series after {WARMUP} warm-up")

    emb = EmbeddedBackend(path=data_dir / "mulu.db", standards=standards)
    t = time.perf_counter()
    reindex(db=db, backend=emb)
    t_emb = time.perf_counter() - t
    es = ElasticBackend(url=args.es, alias=alias, standards=standards, timeout=120)
    es.ensure()
    servers: list[subprocess.Popen] = []
    try:
        t = time.perf_counter()
        reindex(db=db, backend=es)
        t_es = time.perf_counter() - t
        t = time.perf_counter()
        reindex(db=db, backend=ResilientBackend(primary=es, fallback=emb))
        t_both = time.perf_counter() - t
        print(f"reindex from the database   embedded {t_emb:5.1f} s   elasticsearch {t_es:5.1f} s (new index + alias swap)"
              f"   both, as `mulu reindex` with ES configured {t_both:5.1f} s")
        emb.close()

        p_emb, url_emb = start_server(data_dir, {})
        servers.append(p_emb)
        p_es, url_es = start_server(data_dir, {"MULU_ELASTICSEARCH_URL": args.es, "MULU_ELASTICSEARCH_INDEX": alias})
        servers.append(p_es)
        headers = {"Authorization": f"Bearer {secret}"}
        vis = Visibility(states=frozenset({"published"}))  # what a developer token sees
        series: dict[str, list[float]] = {k: [] for k in ("api-emb", "api-es", "raw-proxy", "raw-direct", "api-floor")}
        cold: dict[str, list[float]] = {k: [] for k in series}
        with httpx.Client(headers=headers, timeout=60) as api, httpx.Client(timeout=60) as direct:
            for i in range(args.queries + WARMUP):
                q = WARMUP_QUERIES[i % len(WARMUP_QUERIES)] if i < WARMUP else QUERIES[(i - WARMUP) % len(QUERIES)]
                bodies = es.bodies(SearchQuery(q=q, visibility=vis), es.plan(q))  # what the API sends
                ndjson = "".join(f"{{}}\n{json.dumps(b)}\n" for b in bodies)
                timed: list[tuple[str, Any]] = [
                    ("api-emb", lambda: api.get(f"{url_emb}/api/v1/search", params={"q": q})),
                    ("api-es", lambda: api.get(f"{url_es}/api/v1/search", params={"q": q})),
                    ("raw-proxy", lambda: es.client.msearch(index=alias, searches=[x for b in bodies for x in ({}, b)])),
                    ("raw-direct", lambda: direct.post(f"{args.direct}/{alias}/_msearch", content=ndjson,
                                                       headers={"content-type": "application/x-ndjson"})),
                    ("api-floor", lambda: api.get(f"{url_es}/api/v1/health")),
                ]
                for name, call in timed:
                    t = time.perf_counter()
                    r = call()
                    elapsed = time.perf_counter() - t
                    if hasattr(r, "status_code"):
                        assert r.status_code == 200, r.text[:300]
                        if name in ("api-emb", "api-es"):
                            assert not r.json()["degraded"], "the ES server degraded to the embedded index"
                    if i >= WARMUP:
                        series[name].append(elapsed)
                    if WARMUP <= i < WARMUP + len(QUERIES):
                        cold[name].append(elapsed)
        print(f"{'':34s}{'p50 ms':>8s}{'p95 ms':>8s}{'max ms':>8s}   first time each query (cold) p50/p95 ms")
        labels = {"api-emb": "API embedded (uvicorn, loopback)", "api-es": "API elasticsearch (uvicorn)",
                  "raw-proxy": "raw ES via compat proxy :9201", "raw-direct": "raw OpenSearch direct :9200",
                  "api-floor": "API floor: GET /health (no search)"}
        for name, vals in series.items():
            print(f"  {labels[name]:32s}{pct(vals, 50):8.1f}{pct(vals, 95):8.1f}{max(vals) * 1000:8.1f}"
                  f"   {pct(cold[name], 50):8.1f}{pct(cold[name], 95):8.1f}")
        for raw in ("raw-proxy", "raw-direct"):
            print(f"ratio API-ES / {raw:10s}          p50 {pct(series['api-es'], 50) / pct(series[raw], 50):.2f}x"
                  f"   p95 {pct(series['api-es'], 95) / pct(series[raw], 95):.2f}x"
                  f"   cold p50 {pct(cold['api-es'], 50) / pct(cold[raw], 50):.2f}x")
        for name, proc in (("embedded", p_emb), ("elasticsearch", p_es)):
            m = memory(proc.pid)
            print(f"server memory ({name:13s})  VmHWM {m['VmHWM']:6.0f} MB   VmRSS {m['VmRSS']:6.0f} MB")
    finally:
        for proc in servers:
            proc.terminate()
            proc.wait(timeout=30)
        es.drop()
        es.close()
        if not args.keep:
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
