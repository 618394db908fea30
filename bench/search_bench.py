"""Search benchmark: N generated resources; indexing time per backend, query latency p50/p95 through the
API (in-process ASGI, TestClient) for both backends, and the same queries sent straight to
Elasticsearch (the ceiling). Prints ratios.

    python -m bench.search_bench [--n 100000] [--queries 300] [--es URL]
"""
from __future__ import annotations

import argparse
import os
import random
import resource
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from catalog.records import iter_record_files, read_record_file  # noqa: E402
from catalog.search.base import SearchQuery, Visibility  # noqa: E402
from catalog.search.documents import SearchDocument, document_from_record  # noqa: E402

QUERIES = ["企业登记", "工商 行政处罚", "统一社会信用代码", "统一社会信用代玛", "tyshxydm", "国税", "低保", "社保缴费",
           "不动产登记", "许可", "税", "户口", "排污许可", "医保结算", "qydj", "危化品", "网约车", "学籍", "12345", "养老金"]


def generate(n: int, seed_docs: list[SearchDocument]) -> list[SearchDocument]:
    rnd = random.Random(42)
    out = []
    for i in range(n):
        base = seed_docs[i % len(seed_docs)]
        other = seed_docs[rnd.randrange(len(seed_docs))]
        cls = base.classification
        out.append(SearchDocument(
            code=f"{cls}/{i:06d}" if i >= len(seed_docs) else base.code,
            name=f"{base.name}{'' if i < len(seed_docs) else f'（{other.keywords[0] if other.keywords else other.name}）第{i}批'}",
            abstract=base.abstract + other.abstract[:40], provider=base.provider, provider_code=base.provider_code,
            classification=cls, share_type=base.share_type, format_category=base.format_category,
            format_type=base.format_type, update_cycle=rnd.choice(["每日", "每周", "每月", "每年", "实时"]),
            open_to_public=rnd.random() < 0.3, state="published" if rnd.random() < 0.9 else "draft",
            published_on=f"20{rnd.randint(18, 25)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
            keywords=base.keywords + other.keywords[:1], item_names=base.item_names + other.item_names[:2],
            item_identifiers=base.item_identifiers, codes=base.codes))
    return out


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] * 1000


def api_latency(backend: object, n_queries: int) -> list[float]:
    from fastapi.testclient import TestClient

    import catalog.search as search
    from api.app import create_app
    from catalog.auth import create_token
    from catalog.db import open_database
    from catalog.settings import Settings

    settings = Settings(data_dir=Path(tempfile.mkdtemp()), elasticsearch_index=f"bench-{secrets.token_hex(3)}")
    search._backends[settings] = backend  # type: ignore[assignment]
    db = open_database(settings)
    with db.transaction() as session:
        secret, _ = create_token(session=session, role="developer")
    app = create_app(settings, db=db)
    times = []
    with TestClient(app) as client:
        headers = {"Authorization": f"Bearer {secret}"}
        for i in range(n_queries + 20):
            t = time.perf_counter()
            r = client.get("/api/v1/search", params={"q": QUERIES[i % len(QUERIES)]}, headers=headers)
            elapsed = time.perf_counter() - t
            assert r.status_code == 200, r.text
            if i >= 20:  # warm-up
                times.append(elapsed)
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--es", default=os.environ.get("MULU_TEST_ELASTICSEARCH_URL", "http://127.0.0.1:9201"))
    args = ap.parse_args()
    from catalog.search.elastic import ElasticBackend
    from catalog.search.embedded import EmbeddedBackend
    from catalog.standards import load_standards

    standards = load_standards()
    seed_docs = [document_from_record(read_record_file(p), state="published") for p in iter_record_files([ROOT / "seed"])]
    docs = generate(args.n, seed_docs)
    print(f"{len(docs)} generated resources, {args.queries} queries per run")

    emb = EmbeddedBackend(path=Path(tempfile.mkdtemp()) / "search.db", standards=standards)
    t = time.perf_counter()
    emb.rebuild(docs)
    t_emb = time.perf_counter() - t
    es = ElasticBackend(url=args.es, alias=f"mulu-bench-{secrets.token_hex(3)}", standards=standards, timeout=60)
    es.reset()
    t = time.perf_counter()
    es.rebuild(docs)
    t_es = time.perf_counter() - t
    print(f"indexing      embedded {t_emb:6.1f} s   elasticsearch {t_es:6.1f} s (rebuild + alias swap)")
    try:
        lat = {"embedded": api_latency(emb, args.queries), "elasticsearch": api_latency(es, args.queries)}
        raw = []
        vis = Visibility(states=frozenset({"published"}))
        for i in range(args.queries + 20):
            q = SearchQuery(q=QUERIES[i % len(QUERIES)], visibility=vis)
            body = es.body(q, es.groups(q.q))
            t = time.perf_counter()
            es.client.search(index=es.alias, **body)
            if i >= 20:
                raw.append(time.perf_counter() - t)
        print(f"{'':28s}{'p50 ms':>8s}{'p95 ms':>8s}")
        for name, vals in [("API embedded", lat["embedded"]), ("API elasticsearch", lat["elasticsearch"]),
                           ("raw elasticsearch (ceiling)", raw)]:
            print(f"  {name:26s}{pct(vals, 50):8.1f}{pct(vals, 95):8.1f}")
        print(f"ratio API-ES / raw-ES       p50 {pct(lat['elasticsearch'], 50) / pct(raw, 50):.2f}x"
              f"   p95 {pct(lat['elasticsearch'], 95) / pct(raw, 95):.2f}x")
        print(f"ratio API-embedded / raw-ES p50 {pct(lat['embedded'], 50) / pct(raw, 50):.2f}x"
              f"   p95 {pct(lat['embedded'], 95) / pct(raw, 95):.2f}x")
        print(f"bench process max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    finally:
        es.drop()


if __name__ == "__main__":
    main()
