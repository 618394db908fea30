"""nDCG@10 over tests/search/relevance.yaml for the embedded backend, the Elasticsearch backend and a
plain Elasticsearch `standard`-analyzer baseline index, all in the same run.

    python -m bench.relevance [--es URL]
"""
from __future__ import annotations

import argparse
import math
import os
import secrets
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from catalog.records import iter_record_files, read_record_file  # noqa: E402
from catalog.search.base import SearchQuery  # noqa: E402
from catalog.search.documents import SearchDocument, document_from_record  # noqa: E402
from catalog.search.elastic import ElasticBackend  # noqa: E402
from catalog.search.embedded import EmbeddedBackend  # noqa: E402
from catalog.standards import load_standards  # noqa: E402


def ndcg_at_10(ranked: list[str], relevant: set[str]) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, c in enumerate(ranked[:10]) if c in relevant)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(10, len(relevant))))
    return dcg / ideal if ideal else 0.0


def baseline(es: ElasticBackend, docs: list[SearchDocument]) -> tuple[str, object]:
    """A plain index: the `standard` analyzer on the same text fields, one multi_match of the raw query."""
    from elasticsearch import helpers

    name = f"mulu-bench-baseline-{secrets.token_hex(3)}"
    fields = ("name", "abstract", "provider", "keywords", "item_names")
    es.client.indices.create(index=name, mappings={"properties": {
        **{f: {"type": "text", "analyzer": "standard"} for f in fields}, "code": {"type": "keyword"}}})
    helpers.bulk(es.client, ({"_index": name, "_id": d.code, "_source": {"code": d.code, **{f: getattr(d, f) for f in fields}}}
                             for d in docs), refresh="wait_for")

    def search(q: str) -> list[str]:
        resp = es.client.search(index=name, size=10, query={"multi_match": {
            "query": q, "fields": ["name^10", "keywords^6", "item_names^4", "provider^2", "abstract"]}})
        return [h["_id"] for h in resp["hits"]["hits"]]

    return name, search


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--es", default=os.environ.get("MULU_TEST_ELASTICSEARCH_URL", "http://127.0.0.1:9201"))
    args = ap.parse_args()
    standards = load_standards()
    queries = yaml.safe_load((ROOT / "tests/search/relevance.yaml").read_text(encoding="utf-8"))["queries"]
    docs = [document_from_record(read_record_file(p), state="published") for p in iter_record_files([ROOT / "seed"])]
    emb = EmbeddedBackend(path=Path(tempfile.mkdtemp()) / "search.db", standards=standards)
    emb.index(docs)
    es = ElasticBackend(url=args.es, alias=f"mulu-bench-rel-{secrets.token_hex(3)}", standards=standards)
    es.reset()
    es.index(docs)
    base_index, base_search = baseline(es, docs)
    runners = {
        "embedded": lambda q: [h.code for h in emb.search(SearchQuery(q=q, size=10)).hits],
        "elasticsearch": lambda q: [h.code for h in es.search(SearchQuery(q=q, size=10)).hits],
        "es-standard-baseline": base_search,
    }
    try:
        scores: dict[str, list[float]] = {k: [] for k in runners}
        kinds: dict[str, dict[str, list[float]]] = {}
        for case in queries:
            for name, run in runners.items():
                s = ndcg_at_10(run(str(case["q"])), set(case["relevant"]))
                scores[name].append(s)
                kinds.setdefault(case.get("kind", "-"), {}).setdefault(name, []).append(s)
        print(f"nDCG@10 over {len(queries)} queries, {len(docs)} seed resources")
        for name, vals in scores.items():
            print(f"  {name:22s} {sum(vals) / len(vals):.3f}")
        print("by query kind:        " + "  ".join(f"{n[:14]:>14s}" for n in runners))
        for kind, per in sorted(kinds.items()):
            print(f"  {kind:20s}" + "  ".join(f"{sum(per[n]) / len(per[n]):14.3f}" for n in runners))
    finally:
        es.drop()
        es.client.indices.delete(index=base_index)


if __name__ == "__main__":
    main()
