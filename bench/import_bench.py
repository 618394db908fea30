"""Benchmark: onboarding a region — lossless import and bulk publishing (issue 13's goals).

    python bench/import_bench.py [-n 10000] [--skip-corpus] [--skip-dcat]

Prints, on the embedded default (SQLite file + embedded search, indexed after each commit):
- the 9,579-entry cn-open-data corpus through the five shipped mappings: read, outcomes, unaccounted;
- a healthdata.gov-sized DCAT-US feed (1,762 datasets built from the real NCES sample, with its
  repeated identifiers and defects): read, outcomes, unaccounted;
- N valid records imported (validated, stored, indexed): seconds and records/s vs the 30 s goal;
- the same N submitted and published in bulk: seconds vs the 10 s goal for publishing.
Each timed step prints wall and process CPU seconds (the CPU figure is steadier on a shared machine; the
embedded default runs in this process, so its CPU is all of the work but disk waits).
"""
from __future__ import annotations

import argparse
import copy
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.audit_bench import make_record  # noqa: E402
from catalog.auth import SYSTEM  # noqa: E402
from catalog.core import Catalog  # noqa: E402
from catalog.db import Database  # noqa: E402
from catalog.interop.harvest import Candidate, harvest  # noqa: E402
from catalog.interop.harvest_sources import harvest_input  # noqa: E402
from catalog.interop.parsed import ParsedRecord  # noqa: E402
from catalog.lifecycle_bulk import bulk_change_state  # noqa: E402
from catalog.seeding import load_departments  # noqa: E402
from catalog.settings import Settings  # noqa: E402
from catalog.standards import load_standards  # noqa: E402

PORTALS = ("aba", "lianyungang", "anhui", "huainan", "suzhou")
HEALTHDATA_SIZE = 1762


def shared() -> Path:
    for candidate in (os.environ.get("MULU_SHARED_DIR"), ROOT.parent / "shared", "/work/shared"):
        if candidate and (Path(candidate) / "samples").is_dir():
            return Path(candidate) / "samples"
    sys.exit("no ../shared/samples beside the repository (set MULU_SHARED_DIR)")


def fresh_db(label: str) -> Database:
    settings = Settings(data_dir=Path(tempfile.mkdtemp(prefix=f"mulu-bench-{label}-")))
    catalog = Catalog.from_settings(settings)
    catalog.attach_search(worker_interval=None)  # index after every commit, as the embedded default does
    load_departments(db=catalog.db)
    return catalog.db


def outcome_line(label: str, counts: dict[str, int], seconds: float, expected: int) -> None:
    accounted = counts["created"] + counts["updated"] + counts["staged"] + counts["duplicates"]
    print(f"{label}: read {counts['read']} (source has {expected}) = created {counts['created']} + updated "
          f"{counts['updated']} + staged {counts['staged']} + duplicates {counts['duplicates']}; "
          f"unaccounted {expected - accounted}; {seconds:.1f} s")


def corpus(samples: Path) -> None:
    db = fresh_db("corpus")
    data = (samples / "cn-open-data" / "entries.json").read_bytes()
    expected = len(json.loads(data)["entries"])
    total = {"read": 0, "created": 0, "updated": 0, "staged": 0, "duplicates": 0}
    start = time.perf_counter()
    for portal in PORTALS:
        report = harvest_input(db=db, actor=SYSTEM, fmt="mapped", name="entries.json", data=data,
                               mapping_path=ROOT / "examples" / "mappings" / f"{portal}.yaml")
        for k in total:
            total[k] += report.counts()[k]
    outcome_line("cn-open-data corpus (5 mappings)", total, time.perf_counter() - start, expected)


def healthdata_sized(samples: Path) -> None:
    doc = json.loads((samples / "dcat-us" / "small-education.json").read_bytes())
    real = doc["dataset"]
    datasets = []
    for i in range(HEALTHDATA_SIZE):
        ds = copy.deepcopy(real[i % len(real)])
        if i >= len(real):  # a later copy: its own identifier and title, as a different dataset
            ds["identifier"] = f"{ds.get('identifier')}-{i}"
            ds["title"] = f"{ds.get('title')} ({i // len(real)})"
        datasets.append(ds)
    feed = json.dumps({**doc, "dataset": datasets}).encode()
    db = fresh_db("dcat")
    start = time.perf_counter()
    report = harvest_input(db=db, actor=SYSTEM, fmt="dcat-us", name="healthdata-sized.json", data=feed,
                           region="110000")
    outcome_line(f"DCAT-US feed, {HEALTHDATA_SIZE} datasets", report.counts(), time.perf_counter() - start,
                 HEALTHDATA_SIZE)


def import_and_publish(n: int) -> None:
    db = fresh_db("bulk")
    standards = load_standards()
    departments = [d for d in standards.departments.values() if d.get("short_name")]
    elements = list(standards.elements.values())
    candidates = []
    for i in range(n):
        record = make_record(i, departments[i % len(departments)], elements, None)
        record.pop("code", None)
        record.pop("related", None)
        candidates.append(Candidate(key=f"bench-{i}", parsed=ParsedRecord(source=f"row {i + 1}", record=record)))
    clock = Clock()
    report = harvest(db=db, actor=SYSTEM, source_system="bench", fmt="mapped", candidates=candidates)
    seconds, cpu = clock.lap()
    c = report.counts()
    print(f"import {n} records (validate + store + index): {seconds:.1f} s ({cpu:.1f} s CPU), {n / seconds:.0f} "
          f"records/s; created {c['created']}, staged {c['staged']}; goal 30 s for 10,000 → ratio "
          f"{seconds / 30 * 10_000 / n:.2f} (CPU {cpu / 30 * 10_000 / n:.2f})")
    codes = [e["code"] for e in report.created]
    clock = Clock()
    bulk_change_state(db=db, actor=SYSTEM, action="submit", codes=codes)
    submitted, submitted_cpu = clock.lap()
    published = bulk_change_state(db=db, actor=SYSTEM, action="publish", codes=codes)
    seconds, cpu = clock.lap()
    print(f"bulk submit {len(codes)}: {submitted:.1f} s ({submitted_cpu:.1f} s CPU); bulk publish {published.done}: "
          f"{seconds:.1f} s ({cpu:.1f} s CPU), {published.done / max(seconds, 1e-9):.0f} records/s; goal 10 s for "
          f"10,000 → ratio {seconds / 10 * 10_000 / max(len(codes), 1):.2f} (CPU {cpu / 10 * 10_000 / max(len(codes), 1):.2f})")


class Clock:
    """Wall and process CPU seconds since the last lap: on a shared machine the CPU figure is the steadier."""

    def __init__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def lap(self) -> tuple[float, float]:
        wall, cpu = time.perf_counter(), time.process_time()
        laps = wall - self.wall, cpu - self.cpu
        self.wall, self.cpu = wall, cpu
        return laps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument("--skip-corpus", action="store_true")
    parser.add_argument("--skip-dcat", action="store_true")
    args = parser.parse_args()
    samples = shared()
    if not args.skip_dcat:
        healthdata_sized(samples)
    if not args.skip_corpus:
        corpus(samples)
    import_and_publish(args.n)


if __name__ == "__main__":
    main()
