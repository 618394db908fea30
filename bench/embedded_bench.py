"""Embedded search latency, in process: the search benchmark's generated catalogue (same records, same states) built
straight into an embedded index (no database, no server), kept at `--index` and reused while it holds `--n`
documents of the current index format; then the benchmark's queries as the API sends them (facets, visibility =
published, first page), each the first time (cold: the backend keeps no result cache, the plan memo is empty), then
`--rounds` more times. Prints per query wall and CPU ms and the number of matches, then p50/p95 of the cold run,
the build time and the index size on disk.

`--writes K` then times K single writes through the backend's own `index` (an edit of one indexed document: its
name and a keyword change, so document frequencies change), each followed by a search on the same backend and on a
second backend over the same file (another API process): that first search after a write pays whatever the write
left the reader to do (the vocabulary). The search is repeated at once to show the same query without it. Each
edited document is put back afterwards (not timed), so the index is unchanged by the run.

    python -m bench.embedded_bench [--n 100000] [--index /tmp/mulu-embedded-100k.db] [--rounds 2] [--rebuild]
    python -m bench.embedded_bench --n 100000 --heaps --queries 0 --writes 40      # write cost only
"""
from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from pathlib import Path
from typing import Any

from bench.search_bench import QUERIES, WARMUP_QUERIES, generate, pct
from catalog.records import iter_record_files, read_record_file
from catalog.search.base import SearchQuery, Visibility
from catalog.search.documents import SearchDocument, document_from_record
from catalog.search.embedded import EmbeddedBackend
from catalog.standards import load_standards

ROOT = Path(__file__).resolve().parents[1]


def documents(n: int, *, heaps: bool = False) -> list[SearchDocument]:
    """The search benchmark's catalogue (`generate`), each state drawn as `load_catalogue` draws it. `heaps`: each
    document also gets three keywords from a pool that grows like a real catalogue's vocabulary (the register
    benchmark's: about 3,800 terms at 1,000 documents, 38,000 at 100,000); the generated catalogue alone has a
    vocabulary of about 1,400 terms at any size."""
    seeds = [read_record_file(p) for p in iter_record_files([ROOT / "seed"])]
    rnd = random.Random(7)
    docs = [document_from_record(r, state="published" if rnd.random() < 0.9 else "draft") for r in generate(n, seeds)]
    if heaps:
        from bench.register_bench import vocabulary_term

        pool = max(50, int(120 * n ** 0.5))
        for i, d in enumerate(docs):
            d.keywords = [*d.keywords, *(vocabulary_term((i * 7919 + k * 104729) % pool) for k in range(3))]
    return docs


def index_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--index", type=Path, default=None, help="index file kept between runs (default: /tmp/mulu-embedded-N.db)")
    ap.add_argument("--rounds", type=int, default=2, help="warm rounds after the cold one")
    ap.add_argument("--rebuild", action="store_true", help="build the index again even if it is there")
    ap.add_argument("--queries", type=int, default=len(QUERIES), help="how many of the benchmark's queries to run")
    ap.add_argument("--writes", type=int, default=0, help="single writes to time, each followed by a search")
    ap.add_argument("--heaps", action="store_true", help="a vocabulary that grows with the catalogue (see `documents`)")
    args = ap.parse_args()
    path = args.index or Path(f"/tmp/mulu-embedded-{args.n}{'-heaps' if args.heaps else ''}.db")
    standards = load_standards()
    backend = EmbeddedBackend(path=path, standards=standards)
    if args.rebuild or backend.count() != args.n:
        docs = documents(args.n, heaps=args.heaps)
        w, c = time.perf_counter(), time.process_time()
        backend.rebuild(docs)
        print(f"built {args.n} documents in {time.perf_counter() - w:.1f} s wall, {time.process_time() - c:.1f} s CPU")
    print(f"index {path}: {index_size(path) / 2**20:.1f} MiB, {backend.count()} documents")
    backend.close()
    backend = EmbeddedBackend(path=path, standards=standards)  # a fresh backend: empty plan memo, vocabulary loaded below
    vis = Visibility(states=frozenset({"published"}))
    for q in WARMUP_QUERIES:
        backend.search(SearchQuery(q=q, visibility=vis))
    cold: list[float] = []
    cold_cpu: list[float] = []
    warm: list[float] = []
    print(f"{'query':24s}{'cold ms':>9s}{'cpu ms':>8s}{'warm ms':>9s}{'count':>8s}")
    for q in QUERIES[: args.queries]:
        times = []
        for r in range(1 + args.rounds):
            w, c = time.perf_counter(), time.process_time()
            result = backend.search(SearchQuery(q=q, visibility=vis))
            times.append((time.perf_counter() - w, time.process_time() - c))
        cold.append(times[0][0])
        cold_cpu.append(times[0][1])
        w_ = statistics.median(t for t, _ in times[1:]) if args.rounds else times[0][0]
        warm.append(w_)
        est = "~" if result.estimated else ""
        print(f"{q:24s}{times[0][0] * 1000:9.1f}{times[0][1] * 1000:8.1f}{w_ * 1000:9.1f}{est:>3s}{result.count:>5d}")
    if cold:
        print(f"cold  p50 {pct(cold, 50):6.1f} ms  p95 {pct(cold, 95):6.1f} ms  max {max(cold) * 1000:6.1f} ms   "
              f"CPU p50 {pct(cold_cpu, 50):6.1f}  p95 {pct(cold_cpu, 95):6.1f}")
        print(f"again p50 {pct(warm, 50):6.1f} ms  p95 {pct(warm, 95):6.1f} ms")
    if args.writes:
        other = EmbeddedBackend(path=path, standards=standards)
        other.search(SearchQuery(q=WARMUP_QUERIES[0], visibility=vis))
        writes(backend, other, count=args.writes, vis=vis)


def _timed(fn: Any) -> tuple[float, float]:
    w, c = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - w, time.process_time() - c


def writes(backend: EmbeddedBackend, other: EmbeddedBackend, *, count: int, vis: Visibility) -> None:
    """`count` single writes, each an edit of a random indexed document, then the first search after it on this
    backend and on `other` (same file, own cache), then the same search again; prints p50/p95 wall and CPU."""
    rows = backend._conn().execute("SELECT doc FROM search_docs ORDER BY random() LIMIT ?", (count,)).fetchall()
    originals = [SearchDocument.from_dict(json.loads(r[0])) for r in rows]
    query = SearchQuery(q="企业登记", visibility=vis)
    figures: dict[str, list[tuple[float, float]]] = {k: [] for k in ("write", "search after", "other after", "again")}
    for i, doc in enumerate(originals):
        edited = SearchDocument.from_dict({**doc.to_dict(), "name": f"{doc.name}修订版{i}",
                                           "keywords": [*doc.keywords, f"基准词{i}"]})
        figures["write"].append(_timed(lambda: backend.index([edited])))
        figures["search after"].append(_timed(lambda: backend.search(query)))
        figures["other after"].append(_timed(lambda: other.search(query)))
        figures["again"].append(_timed(lambda: backend.search(query)))
        backend.index([doc])
        other.search(query)
    terms = backend._conn().execute("SELECT count(*) FROM search_terms").fetchone()[0]
    print(f"{count} single writes at {backend.count()} documents, {terms} terms (ms; wall p50 / p95, CPU p50 / p95)")
    for name, times in figures.items():
        wall, cpu = [t for t, _ in times], [c for _, c in times]
        print(f"  {name:13s} wall {pct(wall, 50):7.1f} / {pct(wall, 95):7.1f}   CPU {pct(cpu, 50):7.1f} / {pct(cpu, 95):7.1f}")


if __name__ == "__main__":
    main()
