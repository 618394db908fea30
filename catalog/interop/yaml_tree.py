"""YAML tree: one file per resource in the seed layout `<provider_code>/<slug>.yaml`, and reading it back."""
from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable

import yaml

from catalog.errors import CatalogError
from catalog.interop.parsed import ParsedRecord
from catalog.records import iter_record_files, read_record_file


def slug_of(record: dict[str, Any]) -> str:
    """File name stem of a resource: its code with '/' → '-' (e.g. 102001-000001)."""
    return str(record["code"]).replace("/", "-")


FIELD_ORDER = ("code", "name", "classification", "provider", "provider_code", "abstract", "keywords", "format",
               "items", "share", "open", "update_cycle", "published_on", "related", "charset", "interface")


def dump_record(record: dict[str, Any]) -> str:
    """YAML text of a record, fields in the order of the design contract (stable, diff-friendly)."""
    ordered = {k: record[k] for k in FIELD_ORDER if k in record}
    ordered.update({k: v for k, v in record.items() if k not in ordered})
    return yaml.safe_dump(ordered, allow_unicode=True, sort_keys=False, width=100)


def write_yaml_tree(records: Iterable[dict[str, Any]], out_dir: Path) -> list[Path]:
    """Write every record to `out_dir/<provider_code>/<slug>.yaml`; returns the files written."""
    written = []
    for record in records:
        path = out_dir / str(record["provider_code"]) / f"{slug_of(record)}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(dump_record(record), encoding="utf-8")
        written.append(path)
    return written


def read_yaml_tree(paths: list[Path]) -> list[ParsedRecord]:
    """Candidates from YAML/JSON record files (folders searched); an unreadable file is a finding."""
    parsed = []
    for path in iter_record_files(paths):
        try:
            parsed.append(ParsedRecord(source=str(path), record=read_record_file(path)))
        except CatalogError as exc:
            item = ParsedRecord(source=str(path), record=None)
            item.add("import.unreadable", "error", "", exc.message)
            parsed.append(item)
    return parsed
