"""Search benchmark: N generated resources in a real SQLite catalogue; reindex time per backend (from the
database, as `mulu reindex` does), query latency p50/p95 through the API of a real `mulu serve` (uvicorn
on loopback, one server per backend, httpx keep-alive client), and the same query bodies sent straight
to Elasticsearch in the same run, both through the compat proxy and direct to OpenSearch (the ceiling).
Queries are interleaved (API-embedded, API-ES, raw-proxy, raw-direct) so load spikes hit all alike.
Prints ratios and each server's peak memory (VmHWM from /proc/<pid>/status).

    python -m bench.search_bench [--n 100000] [--queries 300] [--es URL] [--direct URL] [--data DIR] [--no-embedded]

`--data DIR` keeps the catalogue and its Elasticsearch index, and a later run with the same `--n` reuses them
(building 100,000 takes minutes). Also printed: the ES server's CPU per request (search and /health).
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


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid` so far (from /proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def prepare(args: argparse.Namespace, standards: Any) -> tuple[Path, str, bool]:
    """The catalogue directory and the Elasticsearch alias: built now, or reused from `--data DIR` when that
    directory already holds a catalogue of `--n` resources (its `bench.json` names the alias). Returns
    (directory, alias, reused)."""
    from catalog.db import open_database
    from catalog.search.elastic import ElasticBackend
    from catalog.search.embedded import EmbeddedBackend
    from catalog.search.outbox import reindex
    from catalog.search.resilient import ResilientBackend
    from catalog.settings import Settings

    data_dir = Path(args.data) if args.data else Path(tempfile.mkdtemp(prefix="mulu-bench-"))
    marker = data_dir / "bench.json"
    if marker.exists():
        made = json.loads(marker.read_text())
        if made.get("n") == args.n and made.get("es") == args.es:
            es = ElasticBackend(url=args.es, alias=made["alias"], standards=standards, timeout=120)
            try:
                found = es.count()
            finally:
                es.close()
            if found == made["documents"]:
                print(f"reusing the catalogue of {args.n} resources in {data_dir} (index {made['alias']}, {found} "
                      "documents)")
                return data_dir, made["alias"], True
        raise SystemExit(f"{data_dir} holds another catalogue ({made}); give another --data directory")
    data_dir.mkdir(parents=True, exist_ok=True)
    alias = f"mulu-bench-{secrets.token_hex(3)}"
    db = open_database(Settings(data_dir=data_dir, elasticsearch_index=alias))
    t = time.perf_counter()
    load_catalogue(db, generate(args.n, [read_record_file(p) for p in iter_record_files([ROOT / "seed"])]))
    print(f"{args.n} generated resources in {data_dir} (loaded in {time.perf_counter() - t:.1f} s)")
    emb = EmbeddedBackend(path=data_dir / "mulu.db", standards=standards)
    t = time.perf_counter()
    reindex(db=db, backend=emb)
    t_emb = time.perf_counter() - t
    es = ElasticBackend(url=args.es, alias=alias, standards=standards, timeout=120)
    es.ensure()
    t = time.perf_counter()
    reindex(db=db, backend=es)
    t_es = time.perf_counter() - t
    both = ""
    if not args.data:  # a third reindex, timed only (skipped when building a catalogue to keep)
        t = time.perf_counter()
        reindex(db=db, backend=ResilientBackend(primary=es, fallback=emb))
        both = f"   both, as `mulu reindex` with ES configured {time.perf_counter() - t:5.1f} s"
    print(f"reindex from the database   embedded {t_emb:5.1f} s   elasticsearch {t_es:5.1f} s (new index + alias swap)"
          + both)
    if args.data:
        marker.write_text(json.dumps({"n": args.n, "es": args.es, "alias": alias, "documents": es.count()}))
    emb.close()
    es.close()
    db.dispose()
    return data_dir, alias, False


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--es", default=os.environ.get("MULU_TEST_ELASTICSEARCH_URL", "http://127.0.0.1:9201"))
    ap.add_argument("--direct", default="http://127.0.0.1:9200", help="OpenSearch without the compat proxy")
    ap.add_argument("--keep", action="store_true", help="keep the temporary catalogue (else deleted at the end)")
    ap.add_argument("--data", help="a directory to build the catalogue (and its Elasticsearch index) in and keep; "
                                   "a later run with the same --data and --n reuses both instead of reindexing")
    ap.add_argument("--no-embedded", action="store_true", help="skip the API-embedded series (its server still "
                                                                "is not started)")
    args = ap.parse_args()
    import httpx

    from catalog.auth import create_token
    from catalog.db import open_database
    from catalog.search.base import SearchQuery, Visibility
    from catalog.search.elastic import ElasticBackend
    from catalog.settings import Settings
    from catalog.standards import load_standards

    standards = load_standards()
    data_dir, alias, reused = prepare(args, standards)
    db = open_database(Settings(data_dir=data_dir, elasticsearch_index=alias))
    with db.transaction() as session:
        secret, _ = create_token(session=session, role="developer")
    db.dispose()
    print(f"{args.queries} queries per series after {WARMUP} warm-up")
    es = ElasticBackend(url=args.es, alias=alias, standards=standards, timeout=120)
    servers: dict[str, subprocess.Popen] = {}
    try:
        url_emb = ""
        if not args.no_embedded:
            servers["embedded"], url_emb = start_server(data_dir, {})
        servers["elasticsearch"], url_es = start_server(data_dir, {"MULU_ELASTICSEARCH_URL": args.es,
                                                                   "MULU_ELASTICSEARCH_INDEX": alias})
        es_pid = servers["elasticsearch"].pid
        headers = {"Authorization": f"Bearer {secret}"}
        vis = Visibility(states=frozenset({"published"}))  # what a developer token sees
        names = ("api-emb", "api-es", "raw-proxy", "raw-direct", "api-floor")
        series: dict[str, list[float]] = {k: [] for k in names if not (k == "api-emb" and args.no_embedded)}
        cold: dict[str, list[float]] = {k: [] for k in series}
        cpu: dict[str, float] = {"api-es": 0.0, "api-floor": 0.0}  # the ES server's CPU seconds in those calls
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
                    if name not in series:
                        continue
                    c = cpu_seconds(es_pid) if name in cpu else 0.0
                    t = time.perf_counter()
                    r = call()
                    elapsed = time.perf_counter() - t
                    if name in cpu and i >= WARMUP:
                        cpu[name] += cpu_seconds(es_pid) - c
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
        print(f"ES server CPU per request: search {cpu['api-es'] / args.queries * 1000:.2f} ms, "
              f"/health {cpu['api-floor'] / args.queries * 1000:.2f} ms")
        for name, proc in servers.items():
            m = memory(proc.pid)
            print(f"server memory ({name:13s})  VmHWM {m['VmHWM']:6.0f} MB   VmRSS {m['VmRSS']:6.0f} MB")
    finally:
        for proc in servers.values():
            proc.terminate()
            proc.wait(timeout=30)
        if not args.data:
            es.drop()
        es.close()
        if not (args.keep or args.data):
            shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
