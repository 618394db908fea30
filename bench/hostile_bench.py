"""Benchmark: hostile inputs through parse + validation, in process — time grows linearly (not n²).

    python bench/hostile_bench.py

Prints, for records with 1,000 / 3,000 / 9,000 unknown keys, parse + validate time, findings returned and
the time ratio per key against the 1,000-key case (≈1 when linear; it was ≈3 at 3,000 keys when n²).
Also the 12-byte self-referencing YAML and a 1.9 MB YAML with one anchor (both refused at parse).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalog.errors import CatalogError  # noqa: E402
from catalog.records import parse_record_text  # noqa: E402
from catalog.standards import load_standards  # noqa: E402
from catalog.validation import validate_record  # noqa: E402
from tests.security import payloads  # noqa: E402


def run(data: bytes, suffix: str) -> tuple[float, str]:
    standards = load_standards()
    started = time.perf_counter()
    try:
        record = parse_record_text(data, source="bench", suffix=suffix)
        outcome = f"{len(validate_record(record, standards=standards).findings)} findings"
    except CatalogError as exc:
        outcome = f"refused {exc.status}"
    return time.perf_counter() - started, outcome


def main() -> None:
    base = None
    for n in (1000, 3000, 9000):  # 10,000 keys in one mapping is refused by the shape guard
        seconds, outcome = run(payloads.unknown_keys_json(n), ".json")
        base = base or seconds / n
        print(f"{n:>6} unknown keys: {seconds * 1000:8.1f} ms  {outcome:>14}  per-key ratio {seconds / n / base:.2f}")
    for name, data in (("self-reference 12 B", payloads.SELF_REFERENCE_YAML),
                       ("1.9 MB one anchor", payloads.big_yaml_one_anchor())):
        seconds, outcome = run(data, ".yaml")
        print(f"{name:>20}: {seconds * 1000:8.1f} ms  {outcome}")


if __name__ == "__main__":
    main()
