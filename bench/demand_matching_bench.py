"""Benchmark: matching a demand against the catalogue (catalog.demands.matching).

    python bench/demand_matching_bench.py [--copies 40]

On the seeded 义乌市 catalogue (237 resources): `propose()` for the joint-registration need (3 data
elements) with the embedded search backend and without search; then the coverage pass alone over the
seed's records repeated `--copies` times in memory, to show what a catalogue of that size costs.
Prints median wall times and the per-resource cost.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from catalog.db import open_database  # noqa: E402
from catalog.demands.matching import coverage, propose  # noqa: E402
from catalog.demands.needs import parse_needs  # noqa: E402
from catalog.models import Resource  # noqa: E402
from catalog.search.factory import make_embedded  # noqa: E402
from catalog.settings import Settings  # noqa: E402
from catalog.standards import load_standards  # noqa: E402
from tests.hardening.support import seed_into  # noqa: E402

NEEDS = ["统一社会信用代码", "企业名称", "法定代表人姓名"]
TITLE = "企业设立登记信息 (多证合一联合登记)"


def timed(fn, runs: int = 7) -> float:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=40)
    args = parser.parse_args()
    standards = load_standards()
    needs = parse_needs(NEEDS, standards=standards)
    with tempfile.TemporaryDirectory() as tmp:
        seed_into(Path(tmp))
        settings = Settings(data_dir=Path(tmp))
        db, backend = open_database(settings), make_embedded(settings)
        with db.session() as s:
            count = len(s.execute(select(Resource.code).where(Resource.state == "published")).all())
            with_search = timed(lambda: propose(session=s, needs=needs, title=TITLE, requester_code="330782103",
                                                standards=standards, backend=backend))
            without = timed(lambda: propose(session=s, needs=needs, title=TITLE, requester_code="330782103",
                                            standards=standards, backend=None))
            records = [r.record for r in s.execute(select(Resource)).scalars()] * args.copies
        scan = timed(lambda: [coverage(r, needs, standards) for r in records], runs=3)
        backend.close()
        db.dispose()
    print(f"published resources: {count}")
    print(f"propose() with embedded search: {with_search * 1000:.1f} ms; without search: {without * 1000:.1f} ms "
          f"(search share {(with_search - without) / with_search:.0%})")
    print(f"coverage pass over {len(records)} records in memory: {scan * 1000:.0f} ms "
          f"({scan / len(records) * 1e6:.1f} µs per resource)")


if __name__ == "__main__":
    main()
