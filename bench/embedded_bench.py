"""Embedded search latency, in process: the search benchmark's generated catalogue (same records, same states) built
straight into an embedded index (no database, no server), kept at `--index` and reused while it holds `--n`
documents of the current index format; then the benchmark's queries as the API sends them (facets, visibility =
published, first page), each the first time (cold: the backend keeps no result cache, the plan memo is empty), then
`--rounds` more times. Prints per query wall and CPU ms and the number of matches, then p50/p95 of the cold run,
the build time and the index size on disk.

    python -m bench.embedded_bench [--n 100000] [--index /tmp/mulu-embedded-100k.db] [--rounds 2] [--rebuild]
"""
from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

from bench.search_bench import QUERIES, WARMUP_QUERIES, generate, pct
from catalog.records import iter_record_files, read_record_file
from catalog.search.base import SearchQuery, Visibility
from catalog.search.documents import SearchDocument, document_from_record
from catalog.search.embedded import EmbeddedBackend
from catalog.standards import load_standards

ROOT = Path(__file__).resolve().parents[1]


def documents(n: int) -> list[SearchDocument]:
    """The search benchmark's catalogue (`generate`), each state drawn as `load_catalogue` draws it."""
    seeds = [read_record_file(p) for p in iter_record_files([ROOT / "seed"])]
    rnd = random.Random(7)
    return [document_from_record(r, state="published" if rnd.random() < 0.9 else "draft") for r in generate(n, seeds)]


def index_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--index", type=Path, default=None, help="index file kept between runs (default: /tmp/mulu-embedded-N.db)")
    ap.add_argument("--rounds", type=int, default=2, help="warm rounds after the cold one")
    ap.add_argument("--rebuild", action="store_true", help="build the index again even if it is there")
    args = ap.parse_args()
    path = args.index or Path(f"/tmp/mulu-embedded-{args.n}.db")
    standards = load_standards()
    backend = EmbeddedBackend(path=path, standards=standards)
    if args.rebuild or backend.count() != args.n:
        docs = documents(args.n)
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
    for q in QUERIES:
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
    print(f"cold  p50 {pct(cold, 50):6.1f} ms  p95 {pct(cold, 95):6.1f} ms  max {max(cold) * 1000:6.1f} ms   "
          f"CPU p50 {pct(cold_cpu, 50):6.1f}  p95 {pct(cold_cpu, 95):6.1f}")
    print(f"again p50 {pct(warm, 50):6.1f} ms  p95 {pct(warm, 95):6.1f} ms")


if __name__ == "__main__":
    main()
