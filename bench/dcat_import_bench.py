"""Bench: import a generated DCAT-US catalogue of N datasets (real samples replicated and mutated) into a
temp SQLite database through the real registry; prints datasets/second. Usage: python bench/dcat_import_bench.py [N]"""
from __future__ import annotations

import copy
import json
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from catalog.auth import SYSTEM  # noqa: E402
from catalog.db import open_database  # noqa: E402
from catalog.interop.service import import_input  # noqa: E402
from catalog.seeding import load_departments  # noqa: E402
from catalog.settings import Settings  # noqa: E402

SAMPLES = Path("/work/shared/samples/dcat-us")
PERIODS = ["R/P1D", "R/P1W", "R/P1M", "R/P3M", "R/P1Y", "irregular", "R/P2Y", None]


def generate(n: int, seed: int = 7) -> dict:
    rng = random.Random(seed)
    pool = [d for f in sorted(SAMPLES.glob("*.json")) for d in json.loads(f.read_text())["dataset"]]
    datasets = []
    for i in range(n):
        ds = copy.deepcopy(pool[i % len(pool)])
        ds["identifier"] = f"{ds.get('identifier', 'ds')}-{i}"
        ds["title"] = f"{ds.get('title', 'Dataset')[:80]} #{i}"
        ds["accrualPeriodicity"] = rng.choice(PERIODS)
        if rng.random() < 0.05:
            ds["modified"] = str(rng.randint(2000, 2020))  # partial date
        if rng.random() < 0.02:
            ds["identifier"] = "dup"  # duplicate identifiers
        if rng.random() < 0.02:
            ds.pop("description", None)  # missing field
        datasets.append({k: v for k, v in ds.items() if v is not None})
    return {"conformsTo": "https://project-open-data.cio.gov/v1.1/schema", "dataset": datasets}


def main(n: int) -> None:
    data = json.dumps(generate(n)).encode()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Settings(data_dir=Path(tmp)))
        load_departments(db=db)
        start = time.perf_counter()
        summary = import_input(db=db, actor=SYSTEM, fmt="dcat-us", name="bench.json", data=data)
        elapsed = time.perf_counter() - start
        db.dispose()
    print(f"datasets {summary.read}  stored {summary.stored}  skipped {summary.skipped}  "
          f"findings {len(summary.findings)}  departments {len(summary.departments_created)}")
    print(f"import {elapsed:.2f} s  ({summary.read / elapsed:.0f} datasets/s; budget 60 s → "
          f"{60 / elapsed:.1f}x headroom)")
    top = list(summary.by_rule().items())[:6]
    print("top rules: " + ", ".join(f"{r} {c}" for r, c in top))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000)
