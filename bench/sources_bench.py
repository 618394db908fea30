"""Bench: the 一数一源 computations on a catalogue N times the seed (records replicated in memory), and the
joint-registration scenario on the real seed in SQLite.

    python bench/sources_bench.py [--times 40]

Prints the time of the redundancy map, of the per-department duplicate-collection count (绩效评估) and of
the validation layer per record, with the per-resource cost, so growth can be compared across sizes.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalog.models import Resource  # noqa: E402
from catalog.records import iter_record_files, read_record_file  # noqa: E402
from catalog.standards import load_standards  # noqa: E402


def catalogue(times: int) -> list[Resource]:
    records = [read_record_file(p) for p in iter_record_files([ROOT / "seed"])]
    return [Resource(code=f"{r['code']}#{k}", name=r["name"], classification=r["classification"],
                     provider_code=r["provider_code"], state="published", version=1, etag="", record=r,
                     warnings=[], created_by="", updated_by="") for k in range(times) for r in records]


def timed(label: str, n: int, fn) -> None:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    took = time.perf_counter() - start
    print(f"{label:<44} {took * 1000:9.1f} ms  {took / n * 1e6:8.1f} µs per resource")


def main() -> None:
    from catalog.sources.redundancy import duplicate_collection_by_department, redundancy_map
    from catalog.validation.sources import duplicate_collection_findings

    parser = argparse.ArgumentParser()
    parser.add_argument("--times", type=int, default=40)
    args = parser.parse_args()
    std = load_standards()
    for times in (1, args.times):
        rows = catalogue(times)
        print(f"-- {len(rows)} resources")
        timed("redundancy map", len(rows), lambda: redundancy_map(resources=rows, standards=std))
        timed("duplicate collection per department", len(rows),
              lambda: duplicate_collection_by_department(resources=rows, standards=std))
        timed("validation layer source.duplicate-collection", len(rows),
              lambda: [duplicate_collection_findings(r.record, standards=std, source=None) for r in rows])

    from catalog.db import open_database
    from catalog.departments import registry_standards
    from catalog.seeding import default_seed_dir, seed_catalogue
    from catalog.settings import Settings
    from catalog.sources.scenarios import scenario_report

    settings = Settings(data_dir=Path(tempfile.mkdtemp(prefix="mulu-sources-bench-")))
    db = open_database(settings)
    seed_catalogue(db=db, directory=default_seed_dir(settings))
    with db.session() as session:
        standards = registry_standards(session=session)
        start = time.perf_counter()
        for _ in range(10):
            scenario_report(session=session, standards=standards, today=date.today(), name="joint-company-registration")
        print(f"-- scenario joint-company-registration on the seed: {(time.perf_counter() - start) * 100:.1f} ms per report")
    db.dispose()


if __name__ == "__main__":
    main()
