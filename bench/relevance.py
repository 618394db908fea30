"""Relevance of both backends against two plain OpenSearch baselines, indexed in the same run.

    python -m bench.relevance [--es URL] [--set cn|seed|all] [--embedded-only]

`--embedded-only`: the embedded rows alone, no search server (baselines and goals need it).

Sets: the real development set (9,579 entries of five open-data portals, `bench/cn_open_data_queries.yaml`,
graded 0/1/2 by reading the entries) and the seed set (`tests/search/relevance.yaml`, relevant = grade 1).
Baselines: the same text fields in an index with the `standard` analyzer, and one with `cjk`, each queried with
one `multi_match` of the raw query. Prints nDCG@10 (gain 2^grade - 1) and Recall@10 (relevant found in the top
ten / min(10, relevant)) per backend × set × category, then the goals.

Our backends are scored on the list a user sees on the first page: the hits, followed by the nearby resources
(相近的资源, `SearchResult.nearby`: a short page's partial matches), cut at ten. The baselines are scored on their
ten hits, as before. How many queries had a short page (so ran the relaxed plan too) is printed per backend.
"""
from __future__ import annotations

import argparse
import math
import os
import secrets
import tempfile
from pathlib import Path
from typing import Callable

import yaml

from bench.cn_open_data import cn_open_data_documents
from catalog.records import iter_record_files, read_record_file
from catalog.search.base import SearchBackend, SearchQuery
from catalog.search.documents import SearchDocument, document_from_record
from catalog.search.elastic import ElasticBackend
from catalog.search.embedded import EmbeddedBackend
from catalog.standards import load_standards

ROOT = Path(__file__).resolve().parents[1]
FIELDS = ("name", "abstract", "provider", "keywords", "item_names")
BOOSTS = ["name^10", "keywords^6", "item_names^5", "abstract^2", "provider^1.5"]
Runner = Callable[[str], list[str]]
EPS = 1e-9  # averages compared as numbers, not as float sums in another order (10.2 vs 10.200000000000001)


def ndcg_at_10(ranked: list[str], grades: dict[str, int]) -> float:
    dcg = sum((2 ** grades.get(c, 0) - 1) / math.log2(i + 2) for i, c in enumerate(ranked[:10]))
    ideal = sorted(grades.values(), reverse=True)[:10]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at_10(ranked: list[str], grades: dict[str, int]) -> float:
    relevant = {c for c, g in grades.items() if g > 0}
    return len(relevant & set(ranked[:10])) / min(10, len(relevant)) if relevant else 0.0


def baseline(es: ElasticBackend, docs: list[SearchDocument], analyzer: str) -> tuple[str, Runner]:
    """A plain index: `analyzer` on the same text fields, one multi_match of the raw query."""
    from elasticsearch import helpers

    name = f"mulu-bench-{analyzer}-{secrets.token_hex(3)}"
    es.client.indices.create(index=name, settings={"number_of_shards": 1, "number_of_replicas": 0}, mappings={
        "properties": {**{f: {"type": "text", "analyzer": analyzer} for f in FIELDS}, "code": {"type": "keyword"}}})
    helpers.bulk(es.client, ({"_index": name, "_id": d.code, "_source": {"code": d.code, **{f: getattr(d, f) for f in FIELDS}}}
                             for d in docs), refresh="wait_for", chunk_size=2000)

    def search(q: str) -> list[str]:
        resp = es.client.search(index=name, size=10, query={"multi_match": {"query": q, "fields": BOOSTS}})
        return [h["_id"] for h in resp["hits"]["hits"]]

    return name, search


def seed_set() -> tuple[list[SearchDocument], list[dict]]:
    docs = [document_from_record(read_record_file(p), state="published") for p in iter_record_files([ROOT / "seed"])]
    queries = yaml.safe_load((ROOT / "tests/search/relevance.yaml").read_text(encoding="utf-8"))["queries"]
    return docs, [{"q": str(c["q"]), "kind": c.get("kind", "-"), "grades": {r: 1 for r in c["relevant"]}} for c in queries]


def cn_set() -> tuple[list[SearchDocument], list[dict]]:
    queries = yaml.safe_load((ROOT / "bench/cn_open_data_queries.yaml").read_text(encoding="utf-8"))["queries"]
    return cn_open_data_documents(), [{"q": str(c["q"]), "kind": c["kind"], "grades": c["grades"]} for c in queries]


def first_page(backend: SearchBackend, short: dict[str, int]) -> Runner:
    """The codes a user sees on the first page of ten: the hits, then the nearby resources. Counts the short pages
    (some hits, fewer than ten: the relaxed plan runs too) and those that got a nearby list."""
    def run(q: str) -> list[str]:
        result = backend.search(SearchQuery(q=q, size=10, facets=False))
        for key, on in ((f"{backend.name} short", 0 < len(result.hits) < 10), (f"{backend.name} nearby", result.nearby)):
            short[key] = short.get(key, 0) + bool(on)
        return [h.code for h in [*result.hits, *result.nearby][:10]]
    return run


def evaluate(set_name: str, docs: list[SearchDocument], queries: list[dict], es_url: str | None) -> dict[str, dict[str, list[tuple[float, float]]]]:
    """Per category, per runner: (nDCG@10, Recall@10) of each query. Without `es_url`: the embedded runner only."""
    standards = load_standards()
    emb = EmbeddedBackend(path=Path(tempfile.mkdtemp()) / "search.db", standards=standards)
    emb.rebuild(docs)
    short: dict[str, int] = {}
    runners: dict[str, Runner] = {"embedded": first_page(emb, short)}
    out: dict[str, dict[str, list[tuple[float, float]]]] = {}
    if es_url is None:
        for case in queries:
            ranked = runners["embedded"](case["q"])
            m = (ndcg_at_10(ranked, case["grades"]), recall_at_10(ranked, case["grades"]))
            out.setdefault(case["kind"], {}).setdefault("embedded", []).append(m)
            out.setdefault("ALL", {}).setdefault("embedded", []).append(m)
        emb.close()
        _print_short(set_name, short, len(queries))
        return out
    es = ElasticBackend(url=es_url, alias=f"mulu-bench-rel-{secrets.token_hex(3)}", standards=standards, timeout=120)
    es.rebuild(docs)
    std_index, std = baseline(es, docs, "standard")
    cjk_index, cjk = baseline(es, docs, "cjk")
    runners |= {"elasticsearch": first_page(es, short), "standard": std, "cjk": cjk}
    try:
        for case in queries:
            for name, run in runners.items():
                ranked = run(case["q"])
                m = (ndcg_at_10(ranked, case["grades"]), recall_at_10(ranked, case["grades"]))
                out.setdefault(case["kind"], {}).setdefault(name, []).append(m)
                out.setdefault("ALL", {}).setdefault(name, []).append(m)
    finally:
        es.drop()
        es.client.indices.delete(index=std_index)
        es.client.indices.delete(index=cjk_index)
        emb.close()
    _print_short(set_name, short, len(queries))
    return out


def _print_short(set_name: str, short: dict[str, int], n: int) -> None:
    print(f"\n{set_name}: short first pages (the relaxed plan runs) / with a nearby list: "
          + ", ".join(f"{name} {k}/{n}" for name, k in short.items()))


def report(set_name: str, n_docs: int, table: dict[str, dict[str, list[tuple[float, float]]]]) -> list[str]:
    """Prints the table; returns the goals missed."""
    names = [n for n in ("embedded", "elasticsearch", "standard", "cjk") if n in table["ALL"]]
    print(f"\n== {set_name}: {len(table['ALL']['embedded'])} queries, {n_docs} documents  (nDCG@10 / Recall@10; "
          "ours: hits then nearby, first ten; baselines: their hits)")
    print(f"  {'category':28s}" + "".join(f"{n:>18s}" for n in names))
    missed = []
    for kind in [k for k in table if k != "ALL"] + ["ALL"]:
        per = table[kind]
        avg = {n: (sum(x for x, _ in per[n]) / len(per[n]), sum(r for _, r in per[n]) / len(per[n])) for n in names}
        print(f"  {kind[:28]:28s}" + "".join(f"{avg[n][0]:10.3f} / {avg[n][1]:.3f}" for n in names))
        if "standard" not in avg:
            continue
        best = max(avg["standard"][0], avg["cjk"][0]), max(avg["standard"][1], avg["cjk"][1])
        for n in ("embedded", "elasticsearch"):
            if kind == "ALL":
                if avg[n][0] < best[0] + 0.05 - EPS:
                    missed.append(f"{set_name} {n}: nDCG@10 {avg[n][0]:.3f} < better baseline {best[0]:.3f} + 0.05")
                if avg[n][1] < best[1] - EPS:
                    missed.append(f"{set_name} {n}: Recall@10 {avg[n][1]:.3f} < better baseline {best[1]:.3f}")
            elif avg[n][0] < best[0] - EPS or avg[n][1] < best[1] - EPS:
                missed.append(f"{set_name} {n} / {kind}: {avg[n][0]:.3f}/{avg[n][1]:.3f} below baseline {best[0]:.3f}/{best[1]:.3f}")
    return missed


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--es", default=os.environ.get("MULU_TEST_ELASTICSEARCH_URL", "http://127.0.0.1:9201"))
    ap.add_argument("--set", choices=["cn", "seed", "all"], default="all")
    ap.add_argument("--embedded-only", action="store_true", help="the embedded rows only (no search server)")
    args = ap.parse_args()
    missed: list[str] = []
    sets = {"cn-open-data": cn_set, "seed": seed_set}
    for name, load in sets.items():
        if args.set != "all" and not name.startswith(args.set):
            continue
        docs, queries = load()
        missed += report(name, len(docs), evaluate(name, docs, queries, None if args.embedded_only else args.es))
    print("\ngoals: " + ("all met" if not missed else f"{len(missed)} missed"))
    for m in missed:
        print("  - " + m)


if __name__ == "__main__":
    main()
