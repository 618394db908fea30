"""One entry point for every door: read an input (xlsx, DCAT-US data.json, YAML tree) and run the import."""
from __future__ import annotations

import io
from pathlib import Path
from typing import Literal

from catalog.auth import Actor
from catalog.db import Database
from catalog.errors import InvalidInput
from catalog.interop.dcat_us import load_dcat_document, parse_dcat_us
from catalog.interop.imports import ImportSummary, Progress, known_departments, run_import
from catalog.interop.parsed import ParsedRecord
from catalog.interop.crosswalk import DEFAULT_REGION
from catalog.interop.publishers import DepartmentDirectory, load_publisher_map
from catalog.interop.xlsx_reader import read_xlsx
from catalog.interop.yaml_tree import read_yaml_tree
from catalog.standards import Standards

ImportFormat = Literal["xlsx", "dcat-us", "yaml"]
FORMATS: tuple[str, ...] = ("xlsx", "dcat-us", "yaml")


def guess_format(name: str, *, is_dir: bool = False) -> ImportFormat:
    if is_dir or name.endswith((".yaml", ".yml")):
        return "yaml"
    if name.lower().endswith((".xlsx", ".xlsm")):
        return "xlsx"
    if name.lower().endswith(".json"):
        return "dcat-us"
    raise InvalidInput(f"{name}: 无法从文件名判断格式，请用 --format xlsx|dcat-us|yaml 指定 (cannot guess format)")


def parse_input(*, db: Database, fmt: ImportFormat, name: str, data: bytes | None = None,
                path: Path | None = None, publisher_map: Path | None = None, region: str | None = None,
                standards: Standards | None = None) -> tuple[list[ParsedRecord], DepartmentDirectory | None]:
    """Candidates from bytes (an upload) or a path; DCAT-US also yields the department directory it used."""
    if fmt == "xlsx":
        return read_xlsx(io.BytesIO(data) if data is not None else path, name=name), None  # type: ignore[arg-type]
    if fmt == "yaml":
        if path is None:
            raise InvalidInput("YAML 目录只能从命令行导入 (yaml tree import needs a path)")
        return read_yaml_tree([path]), None
    if fmt != "dcat-us":
        raise InvalidInput(f"未知格式 {fmt!r}，应为 {' / '.join(FORMATS)} (unknown format)")
    if data is None:
        assert path is not None
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InvalidInput(f"{name}: 无法读取文件：{exc.strerror} (cannot read file)") from None
    mapping, map_region = load_publisher_map(publisher_map) if publisher_map else ({}, None)
    directory = DepartmentDirectory(known=known_departments(db=db, standards=standards), publisher_map=mapping,
                                    region=region or map_region or DEFAULT_REGION)
    return parse_dcat_us(load_dcat_document(data, source=name), departments=directory), directory


def import_input(*, db: Database, actor: Actor, fmt: ImportFormat, name: str, data: bytes | None = None,
                 path: Path | None = None, dry_run: bool = False, atomic: bool = False,
                 publisher_map: Path | None = None, region: str | None = None,
                 progress: Progress | None = None, standards: Standards | None = None) -> ImportSummary:
    """Parse, validate with the shared engine, store the valid records (or none, if atomic and any fail).
    `standards`: the catalogue's standards files (default: the shipped ones)."""
    parsed, directory = parse_input(db=db, fmt=fmt, name=name, data=data, path=path,
                                    publisher_map=publisher_map, region=region, standards=standards)
    return run_import(db=db, actor=actor, parsed=parsed, fmt=fmt, departments=directory, dry_run=dry_run,
                      atomic=atomic, progress=progress, standards=standards)
