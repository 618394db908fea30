"""Benchmark: `mulu audit` on N generated records vs `check-jsonschema` (core schema only) on the same files.

    python bench/audit_bench.py [-n 10000] [--keep DIR]

Both run as subprocesses over the same YAML files; prints both wall times and the ratio.
"""
from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalog.standards import load_standards  # noqa: E402

CYCLES = ["实时", "每日", "每周", "每月", "每季度", "每年"]


def make_record(i: int, department: dict, elements: list[dict], previous: str | None) -> dict:
    code = department["code"]
    classification = f"3{department['sector']}00{1 + i % 6}{code}"
    picked = [elements[(i + k * 7) % len(elements)] for k in range(6)]
    items, seen = [], set()
    for e in picked:
        if e["identifier"] in seen:
            continue
        seen.add(e["identifier"])
        item = {"name": e["name"], "identifier": e["identifier"], "data_type": e["data_type"]}
        if e.get("length"):
            item["length"] = e["length"]
        items.append(item)
    record = {
        "code": f"{classification}/{i:06d}",
        "name": f"{department['short_name']}业务数据{i}",
        "classification": classification,
        "provider": department["name"],
        "provider_code": code,
        "abstract": f"{department['name']}在履职过程中产生的第 {i} 类业务数据，供相关部门共享使用。",
        "keywords": [department["short_name"], "业务数据"],
        "format": {"category": "数据库", "type": "mysql"},
        "items": items,
        "share": {"type": "有条件共享", "condition": "仅用于法定职责范围内的业务协同。",
                  "method": {"category": "共享平台", "type": "数据库"}},
        "open": {"to_public": False},
        "update_cycle": CYCLES[i % len(CYCLES)],
        "published_on": f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}",
        "related": [previous] if previous and i % 6 else [],
    }
    if i % 10 == 0:
        record["share"]["method"]["type"] = "接口"
        record["interface"] = {
            "base_url": "https://share.yw.gov.cn/api/v1",
            "authentication": {"type": "oauth2"},
            "rate_limit": {"requests": 50, "per": "second"},
            "operations": [{"id": "get_record", "name": "按代码查询", "method": "GET", "path": "/records/{id}",
                            "request": {"type": "object", "properties": {"id": {"type": "string"}}},
                            "response": {"type": "object"}}],
        }
    return record


def generate(directory: Path, n: int) -> list[str]:
    standards = load_standards()
    departments = list(standards.departments.values())
    elements = list(standards.elements.values())
    names, previous = [], None
    for i in range(1, n + 1):
        department = departments[i % len(departments)]
        folder = directory / department["code"]
        folder.mkdir(exist_ok=True)
        path = folder / f"r{i:06d}.yaml"
        record = make_record(i, department, elements, previous)
        previous = record["code"]
        path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
        names.append(str(path.relative_to(directory)))
    return names


def timed(command: list[str], cwd: Path) -> tuple[float, int, str]:
    start = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    return time.perf_counter() - start, done.returncode, (done.stdout + done.stderr)[-400:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, help="write the records here and keep them")
    args = parser.parse_args()
    directory = args.keep or Path(tempfile.mkdtemp(prefix="mulu-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    try:
        t0 = time.perf_counter()
        files = generate(directory, args.n)
        print(f"generated {len(files)} records in {time.perf_counter() - t0:.1f}s under {directory}")
        schema = ROOT / "standards" / "core-metadata.schema.json"
        audit_s, audit_rc, audit_tail = timed(
            [sys.executable, "-m", "cli.main", "audit", str(directory), "--format", "json", "--output",
             str(directory.parent / f"{directory.name}-audit.json")], ROOT)
        check_exe = shutil.which("check-jsonschema") or "check-jsonschema"
        peer_s, peer_rc, peer_tail = timed([check_exe, "--schemafile", str(schema), *files], directory)
        print(f"mulu audit (all layers + cross rules): {audit_s:8.2f} s  exit {audit_rc}")
        print(f"check-jsonschema (core schema only):   {peer_s:8.2f} s  exit {peer_rc}")
        print(f"ratio check-jsonschema / mulu audit:   {peer_s / audit_s:8.2f}x")
        if audit_rc != 0:
            print("mulu audit output:", audit_tail)
        if peer_rc != 0:
            print("check-jsonschema output:", peer_tail)
    finally:
        if args.keep is None:
            shutil.rmtree(directory, ignore_errors=True)
            (directory.parent / f"{directory.name}-audit.json").unlink(missing_ok=True)


if __name__ == "__main__":
    main()
