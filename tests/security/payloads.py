"""The worst request of each kind found by the probe, built here (too big for git); shared by the event-loop
test and the hostile corpus."""
from __future__ import annotations

import copy
import io
import json
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

from api.examples import RECORD

SELF_REFERENCE_YAML = b"a: &a [*a]\n"  # 12 bytes that hung the server


def record(**changes: Any) -> dict[str, Any]:
    return {**copy.deepcopy(RECORD), **changes}


@cache
def unknown_keys_json(n: int = 3000) -> bytes:
    """~100 kB: a record with `n` unknown keys (validation used to cost n² here)."""
    return json.dumps(record(**{f"unknown_field_{i:05d}": "x" * 10 for i in range(n)}),
                      ensure_ascii=False).encode()


@cache
def big_yaml_one_anchor() -> bytes:
    """1.9 MB of YAML with one `&`: the slow pure-Python alias path used to take 15 s."""
    return b"name: &n x\nabstract: '" + b"y" * 1_900_000 + b"'\n"


@cache
def bulk_records(n: int = 1000) -> bytes:
    return json.dumps([record(name=f"批量登记压力测试{i}") for i in range(n)], ensure_ascii=False).encode()


@cache
def xlsx_rows(n: int = 3000) -> bytes:
    """A filled-in template of `n` resource rows (a dry-run import of it used to freeze /health)."""
    from catalog.interop.xlsx_writer import write_xlsx

    path = Path(f"/tmp/mulu-security-{n}.xlsx")
    if not path.exists():
        write_xlsx([record(name=f"导入压力测试{i}", code=None) for i in range(n)], path)
    return path.read_bytes()


@cache
def xlsx_huge_cell(unpacked_mb: float = 40) -> bytes:
    """A small .xlsx whose first text cell unpacks to `unpacked_mb` MB (the probe's held 150 MB of text)."""
    template = io.BytesIO(xlsx_rows(1))
    out = io.BytesIO()
    with zipfile.ZipFile(template) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<t>", b"<t>" + b"x" * int(unpacked_mb * 1024 * 1024), 1)
            dst.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()
