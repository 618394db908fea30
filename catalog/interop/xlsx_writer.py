"""Catalogue → the Excel template (the same workbook `mulu template` writes), losslessly readable back."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

from catalog.interop.xlsx_template import (
    CR, FIRST_DATA_ROW, INTERFACE_COLUMNS, INTERFACES, ITEM_COLUMNS, ITEMS, LIST_SEPARATOR, NO, RESOURCE_COLUMNS,
    RESOURCES, ROW_KEY, YES, Column, build_workbook,
)
from catalog.standards import Standards


def _get(record: dict[str, Any], path: str) -> Any:
    value: Any = record
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def cell_value(column: Column, value: Any) -> Any:
    """The cell content of a record value: lists joined, booleans 是/否, JSON as text, the rest as is."""
    if value is None:
        return None
    if column.kind == "list" and isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if column.kind == "bool" and isinstance(value, bool):
        return YES if value else NO
    if column.kind == "json":
        return json.dumps(value, ensure_ascii=False, indent=1)
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value.replace("\r", CR) if isinstance(value, str) else value


def write_xlsx(records: Iterable[dict[str, Any]], path: Path, *, standards: Standards | None = None) -> int:
    """Write the records into a new template workbook at `path`; returns how many resources were written."""
    wb = build_workbook(standards=standards)
    ws, items_ws, iface_ws = wb[RESOURCES], wb[ITEMS], wb[INTERFACES]
    item_row = iface_row = FIRST_DATA_ROW
    count = 0
    for count, record in enumerate(records, start=1):
        row = FIRST_DATA_ROW + count - 1
        for col, column in enumerate(RESOURCE_COLUMNS, start=1):
            value = count if column.path == ROW_KEY else _get(record, column.path)
            cell = ws.cell(row=row, column=col, value=cell_value(column, value))
            if isinstance(cell.value, str):
                cell.number_format = "@"  # text: codes and dates stay as typed
        for item in record.get("items") or []:
            for col, column in enumerate(ITEM_COLUMNS, start=1):
                value = {ROW_KEY: count, "_name": record.get("name")}.get(column.path, item.get(column.path))
                items_ws.cell(row=item_row, column=col, value=cell_value(column, value))
            item_row += 1
        if record.get("interface") is not None:
            for col, column in enumerate(INTERFACE_COLUMNS, start=1):
                value = {ROW_KEY: count, "_name": record.get("name")}.get(column.path, record.get("interface"))
                iface_ws.cell(row=iface_row, column=col, value=cell_value(column, value))
            iface_row += 1
    wb.save(path)
    return count
