"""The Excel template → candidate records, each finding placed by sheet, row and column (信息资源!K5).

Columns are found by the field-path row (row 2) when present, else by the Chinese header. Cell values are
normalised (numbers typed as text, dates typed as dates, 是/否); what cannot be read stays as typed so
that the shared validation engine reports it with the record's JSON pointer and the cell.
"""
from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path
from typing import Any, BinaryIO

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from catalog import time_budget
from catalog.errors import InvalidInput
from catalog.findings import pointer
from catalog.interop.parsed import ParsedRecord
from catalog.interop.xlsx_template import (
    CR, FIRST_DATA_ROW, INTERFACES, ITEMS, LIST_SEPARATOR, NO, RESOURCES, ROW_KEY, SHEETS, YES, Column,
)

_TRUE = {YES, "true", "1", "y", "yes", "t", "开放"}
_FALSE = {NO, "false", "0", "n", "no", "f", "不开放"}
INT_FIELDS = {ROW_KEY, "length", "precision"}
CODE_FIELDS = {"code", "classification", "provider_code", "format.type", "identifier", "data_type", "element"}


MAX_XLSX_PART_BYTES = 32 * 1024 * 1024  # one sheet or the shared-strings table, unpacked
MAX_XLSX_UNPACKED_BYTES = 64 * 1024 * 1024  # the whole workbook, unpacked (a zip bomb is refused unopened)
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell


def _check_unpacked_size(path: Path | BinaryIO, name: str) -> None:
    """Refuse a workbook whose parts unpack to more than the bounds above, before openpyxl reads them
    (read-only mode streams the sheets but loads the shared-strings table whole)."""
    with zipfile.ZipFile(path) as archive:
        parts = archive.infolist()
    if hasattr(path, "seek"):
        path.seek(0)
    biggest = max(parts, key=lambda p: p.file_size, default=None)
    total = sum(p.file_size for p in parts)
    if total > MAX_XLSX_UNPACKED_BYTES or (biggest is not None and biggest.file_size > MAX_XLSX_PART_BYTES):
        raise InvalidInput(f"{name}: Excel 文件解压后过大（{total // (1024 * 1024)} MB，上限 "
                           f"{MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)} MB，单个部件上限 "
                           f"{MAX_XLSX_PART_BYTES // (1024 * 1024)} MB），拒绝读取 (xlsx too large when unpacked)")


def _open(path: Path | BinaryIO, name: str) -> Any:
    try:
        _check_unpacked_size(path, name)
        return load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InvalidInput(
            f"{name}: 不是有效的 Excel .xlsx 文件（可能是 CSV/GBK 文本、.xls 旧格式或文件已损坏），"
            f"请用 mulu template 生成的模板另存为 .xlsx (not a readable .xlsx: {type(exc).__name__})"
        ) from None


def _columns(ws: Worksheet, columns: tuple[Column, ...], rows: list[tuple[Any, ...]],
             findings: list[tuple[str, str]]) -> tuple[dict[int, Column], int]:
    """Map sheet column index → Column using row 2 (paths) or row 1 (headers); returns the first data row."""
    by_path = {c.path: c for c in columns}
    by_header = {c.header.rstrip("*"): c for c in columns}
    paths = rows[1] if len(rows) > 1 else ()
    use_paths = sum(1 for v in paths if isinstance(v, str) and v.strip() in by_path) >= 2
    header_row = paths if use_paths else (rows[0] if rows else ())
    mapping: dict[int, Column] = {}
    for index, value in enumerate(header_row):
        if value is None or str(value).strip() == "":
            continue
        key = str(value).strip()
        column = by_path.get(key) if use_paths else by_header.get(key.rstrip("*"))
        if column is None:
            findings.append((f"{ws.title}!{get_column_letter(index + 1)}{2 if use_paths else 1}",
                             f"未知列 {key!r}，已忽略 (unknown column)"))
        else:
            mapping[index] = column
    return mapping, (FIRST_DATA_ROW if use_paths else 2)


def _clean(column: Column, value: Any) -> Any:
    """A cell value as the record wants it; unreadable values are returned as typed (the validator reports)."""
    if isinstance(value, str):
        if value.strip() == "":
            return None
        value = value.replace(CR, "\r")
        if column.kind != "text" or column.choices or column.path in CODE_FIELDS:
            value = value.strip()
    if value is None:
        return None
    if column.kind == "list":
        text = str(value).replace(";", LIST_SEPARATOR)
        return [v.strip() for v in text.split(LIST_SEPARATOR) if v.strip()]
    if column.kind == "bool":
        key = str(value).strip().lower() if not isinstance(value, bool) else ("true" if value else "false")
        return True if key in _TRUE else False if key in _FALSE else str(value)
    if column.kind == "date":
        if isinstance(value, (dt.datetime, dt.date)):
            return (value.date() if isinstance(value, dt.datetime) else value).isoformat()
        return str(value)
    if column.kind == "int" or column.path in INT_FIELDS:
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and value.lstrip("-").isdigit():
            return int(value)
        return value
    if column.kind == "json":
        try:
            return json.loads(value) if isinstance(value, str) else value
        except json.JSONDecodeError as exc:
            return _BadJson(str(value), exc.msg)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class _BadJson(str):
    msg: str

    def __new__(cls, text: str, msg: str) -> "_BadJson":
        obj = super().__new__(cls, text)
        obj.msg = msg
        return obj


def _set(record: dict[str, Any], path: str, value: Any) -> None:
    parts = path.split(".")
    target = record
    for part in parts[:-1]:
        target = target.setdefault(part, {})
    target[parts[-1]] = value


def _rows(ws: Worksheet) -> list[tuple[Any, ...]]:
    """The sheet's rows, streamed; a cell longer than Excel allows is refused naming the cell."""
    out = []
    for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if number % 256 == 0:
            time_budget.check()
        for index, value in enumerate(row):
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                raise InvalidInput(f"{ws.title}!{get_column_letter(index + 1)}{number}: 单元格内容过长（超过 "
                                   f"{MAX_CELL_CHARS} 个字符），拒绝读取 (cell too long)")
        out.append(tuple(row))
    return out


def read_xlsx(path: Path | BinaryIO, *, name: str | None = None) -> list[ParsedRecord]:
    """Read a filled-in template: one candidate per 信息资源 row, with items and contracts attached."""
    name = name or (path.name if isinstance(path, Path) else "上传文件")
    wb = _open(path, name)
    try:
        if RESOURCES not in wb.sheetnames:
            raise InvalidInput(f"{name}: 缺少工作表「{RESOURCES}」，请使用 mulu template 生成的模板 "
                               f"(sheet {RESOURCES} missing)")
        sheet_notes: list[tuple[str, str]] = []
        parsed, by_key, by_name = _read_resources(wb[RESOURCES], sheet_notes)
        for sheet, attach in ((ITEMS, _attach_item), (INTERFACES, _attach_interface)):
            if sheet in wb.sheetnames:
                _read_children(wb[sheet], SHEETS[sheet], by_key, by_name, attach, sheet_notes)
    finally:
        wb.close()
    if parsed and sheet_notes:
        for where, message in sheet_notes:
            parsed[0].add("xlsx.sheet", "warning", "", message, source=where)
    return parsed


def _read_resources(ws: Worksheet, notes: list[tuple[str, str]]) -> tuple[
        list[ParsedRecord], dict[Any, ParsedRecord], dict[str, ParsedRecord]]:
    rows = _rows(ws)
    mapping, first = _columns(ws, SHEETS[RESOURCES], rows, notes)
    parsed: list[ParsedRecord] = []
    by_key: dict[Any, ParsedRecord] = {}
    by_name: dict[str, ParsedRecord] = {}
    for number, row in enumerate(rows[first - 1:], start=first):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue
        item = ParsedRecord(source=f"{ws.title}!R{number}", record={})
        record: dict[str, Any] = {}
        key = None
        for index, column in mapping.items():
            value = _clean(column, row[index] if index < len(row) else None)
            cell = f"{ws.title}!{get_column_letter(index + 1)}{number}"
            if column.path == ROW_KEY:
                key = value
                continue
            item.cells[pointer(*column.path.split("."))] = cell
            if value is not None:
                _set(record, column.path, value)
        item.record = record
        key = key if key is not None else len(parsed) + 1
        if key in by_key:
            item.add("xlsx.row-key-duplicate", "error", "",
                     f"资源序号 {key} 重复（另见 {by_key[key].source}） (duplicate row id)")
        else:
            by_key[key] = item
        if isinstance(record.get("name"), str):
            by_name.setdefault(record["name"], item)
        parsed.append(item)
    return parsed, by_key, by_name


def _read_children(ws: Worksheet, columns: tuple[Column, ...], by_key: dict[Any, ParsedRecord],
                   by_name: dict[str, ParsedRecord], attach: Any, notes: list[tuple[str, str]]) -> None:
    rows = _rows(ws)
    mapping, first = _columns(ws, columns, rows, notes)
    for number, row in enumerate(rows[first - 1:], start=first):
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in row):
            continue
        values: dict[str, Any] = {}
        cells: dict[str, str] = {}
        for index, column in mapping.items():
            values[column.path] = _clean(column, row[index] if index < len(row) else None)
            cells[column.path] = f"{ws.title}!{get_column_letter(index + 1)}{number}"
        owner = by_key.get(values.get(ROW_KEY)) if values.get(ROW_KEY) is not None else by_name.get(
            values.get("_name") or "")
        if owner is None:
            target = next(iter(by_key.values()), None)
            if target is not None:
                target.add("xlsx.row-orphan", "error", "",
                           f"找不到资源序号 {values.get(ROW_KEY)!r} 对应的信息资源行，本行未导入 (no such resource row)",
                           source=f"{ws.title}!R{number}")
            continue
        attach(owner, values, cells, f"{ws.title}!R{number}")


def _attach_item(owner: ParsedRecord, values: dict[str, Any], cells: dict[str, str], source: str) -> None:
    assert owner.record is not None
    items = owner.record.setdefault("items", [])
    at = len(items)
    item = {k: v for k, v in values.items() if not k.startswith("_") and v is not None}
    items.append(item)
    owner.cells[pointer("items", at)] = source
    for field_name, cell in cells.items():
        if not field_name.startswith("_"):
            owner.cells[pointer("items", at, field_name)] = cell


def _attach_interface(owner: ParsedRecord, values: dict[str, Any], cells: dict[str, str], source: str) -> None:
    assert owner.record is not None
    contract = values.get("interface")
    owner.cells[pointer("interface")] = cells.get("interface", source)
    if isinstance(contract, _BadJson):
        owner.add("xlsx.json", "error", "/interface", f"接口契约不是合法 JSON：{contract.msg} (invalid JSON)",
                  source=cells.get("interface", source))
        return
    if contract is not None:
        owner.record["interface"] = contract
