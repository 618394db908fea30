"""Benchmark: `mulu audit` of N generated records against `ajv-cli` (core schema only) and the YAML parse floor.

    npm install --prefix bench        # once: ajv-cli and ajv-formats (bench/package.json)
    python bench/audit_bench.py [-n 10000] [--rounds 3] [--keep DIR]

All three run as subprocesses over the same YAML files, round after round, interleaved (so load from
elsewhere on the machine hits each alike). Printed per tool: the median and best wall time, and the CPU
seconds it used (all its processes); then the ratios. mulu audit runs every layer plus the cross-record
rules on every core; ajv validates the core JSON Schema only:

    ajv validate --spec=draft2020 --strict=false -s standards/core-metadata.schema.json -d "DIR/*/*.yaml"

mulu audit runs as `python -m cli.entry audit DIR`, which is what the `mulu` console script runs.
The parse floor is one Python process loading every file with libyaml's C safe loader (yaml.load, no checks).
"""
from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from catalog.standards import load_standards  # noqa: E402

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
PARSE_FLOOR = """import glob, sys, yaml
for path in sorted(glob.glob(sys.argv[1] + "/*/*.yaml")):
    with open(path, encoding="utf-8") as f:
        yaml.load(f.read(), Loader=yaml.CSafeLoader)
"""
MULU = "mulu audit (all layers + cross rules)"
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
        path.write_text(yaml.dump(record, Dumper=_Dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
        names.append(str(path.relative_to(directory)))
    return names


def timed(command: list[str], env: dict[str, str]) -> tuple[float, float, int, str]:
    """Wall seconds, CPU seconds (the command and its children), exit code, the tail of its output."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.returncode, (done.stdout + done.stderr)[-400:]


def ajv_command() -> list[str] | None:
    local = ROOT / "bench" / "node_modules" / ".bin" / "ajv"
    found = str(local) if local.exists() else shutil.which("ajv")
    return [found] if found else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="write the records here and keep them (reused if present)")
    parser.add_argument("--python", action="append", default=[],
                        help="also run mulu audit with this interpreter (a venv's python with mulu's packages)")
    args = parser.parse_args()
    directory = args.keep or Path(tempfile.mkdtemp(prefix="mulu-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    out = directory.parent / f"{directory.name}-audit.json"
    try:
        existing = len(list(directory.glob("*/*.yaml")))
        if existing != args.n:
            shutil.rmtree(directory)
            directory.mkdir(parents=True)
            t0 = time.perf_counter()
            generate(directory, args.n)
            print(f"generated {args.n} records in {time.perf_counter() - t0:.1f}s under {directory}")
        schema = ROOT / "standards" / "core-metadata.schema.json"
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        audit_args = ["-m", "cli.entry", "audit", str(directory), "--format", "json", "--output", str(out)]
        tools: dict[str, list[str]] = {MULU: [sys.executable, *audit_args]}
        for python in args.python:  # the same code on other interpreters (another CPython build, say)
            tools[f"mulu audit on {python}"] = [python, *audit_args]
        tools["YAML parse floor (yaml.load, C, 1 core)"] = [sys.executable, "-c", PARSE_FLOOR, str(directory)]
        ajv = ajv_command()
        if ajv:
            tools["ajv-cli (core schema only)"] = [*ajv, "validate", "--spec=draft2020", "--strict=false", "-s",
                                                  str(schema), "-d", f"{directory}/*/*.yaml"]
        else:
            print("ajv-cli not found: run `npm install --prefix bench` (bench/package.json); measuring mulu only")
        walls: dict[str, list[float]] = {name: [] for name in tools}
        cpus: dict[str, list[float]] = {name: [] for name in tools}
        for _ in range(args.rounds):
            for name, command in tools.items():
                wall, cpu, rc, tail = timed(command, env)
                walls[name].append(wall)
                cpus[name].append(cpu)
                if rc != 0:
                    print(f"{name}: exit {rc}\n{tail}")
        print(f"{args.n} records, {args.rounds} rounds, {os.cpu_count()} cores, "
              f"load average {os.getloadavg()[0]:.1f}; mulu audit on {sys.executable} "
              f"(Python {platform.python_version()})")
        print(f"{'':42s} {'median s':>9s} {'best s':>8s} {'CPU s':>7s}")
        for name in tools:
            print(f"{name:42s} {statistics.median(walls[name]):9.2f} {min(walls[name]):8.2f} "
                  f"{statistics.median(cpus[name]):7.2f}")
        for mulu in [name for name in tools if name.startswith("mulu audit")]:
            for name in tools:
                if not name.startswith("mulu audit"):
                    print(f"ratio {name.split(' (')[0]} / {mulu.split(' (')[0]}: median "
                          f"{statistics.median(walls[name]) / statistics.median(walls[mulu]):.2f}x, best "
                          f"{min(walls[name]) / min(walls[mulu]):.2f}x  (above 1: mulu audit is faster)")
    finally:
        if args.keep is None:
            shutil.rmtree(directory, ignore_errors=True)
        out.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
