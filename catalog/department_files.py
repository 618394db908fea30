"""Department registry files: read and write a whole region's departments as YAML, CSV or xlsx.

One row per department, the columns of `catalog.departments.FIELDS` plus `division_name`. In CSV and
xlsx the name lists (former_names, aliases) are one cell separated by `;` or `；`. YAML is either a list
of departments or a mapping with a `departments` list (the shape of standards/departments.yaml).
"""
from __future__ import annotations

import csv
import io
from typing import Any, Literal

import yaml

from catalog.errors import InvalidInput

DepartmentFormat = Literal["yaml", "csv", "xlsx"]
FORMATS = ("yaml", "csv", "xlsx")
COLUMNS = ("code", "name", "short_name", "sector", "level", "division_code", "division_name", "parent_code",
           "former_names", "aliases")
LIST_COLUMNS = ("former_names", "aliases")
CODE_COLUMNS = ("code", "sector", "division_code", "parent_code")


def guess_format(name: str) -> DepartmentFormat:
    lower = name.lower()
    for suffix, fmt in ((".yaml", "yaml"), (".yml", "yaml"), (".csv", "csv"), (".xlsx", "xlsx")):
        if lower.endswith(suffix):
            return fmt  # type: ignore[return-value]
    raise InvalidInput(f"{name}: 无法从文件名判断格式，请指定 yaml / csv / xlsx (cannot guess format)")


def read_departments(data: bytes, *, fmt: DepartmentFormat, name: str) -> list[tuple[str, Any]]:
    """(source, row) for every department in the file; a row is a dict or whatever the file held."""
    if fmt == "yaml":
        return _read_yaml(data, name)
    if fmt == "csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInput(f"{name}: 文件不是 UTF-8 编码（可能是 GBK），请另存为 UTF-8 (not UTF-8)") from None
        rows = list(csv.reader(io.StringIO(text)))
        return _from_table(rows, name)
    if fmt == "xlsx":
        return _read_xlsx(data, name)
    raise InvalidInput(f"未知格式 {fmt!r}，应为 {' / '.join(FORMATS)} (unknown format)")


def _read_yaml(data: bytes, name: str) -> list[tuple[str, Any]]:
    try:
        doc = yaml.safe_load(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InvalidInput(f"{name}: 无法读取 YAML (cannot read YAML): {exc}") from None
    if isinstance(doc, dict):
        doc = doc.get("departments")
    if not isinstance(doc, list):
        raise InvalidInput(f"{name}: 应为部门列表，或含 departments 列表的对象 (expected a list of departments)")
    out = []
    for i, row in enumerate(doc):
        if isinstance(row, dict):
            row = {k: (str(v) if k in CODE_COLUMNS and isinstance(v, int) else v) for k, v in row.items()}
        out.append((f"{name}#{i + 1}", row))
    return out


def _read_xlsx(data: bytes, name: str) -> list[tuple[str, Any]]:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise InvalidInput(f"{name}: 不是有效的 Excel .xlsx 文件 (not a readable .xlsx)") from None
    sheet = book.worksheets[0]
    rows = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    book.close()
    return _from_table(rows, name)


def _from_table(rows: list[list[str]], name: str) -> list[tuple[str, Any]]:
    if not rows:
        return []
    header = [h.strip() for h in rows[0]]
    if "code" not in header or "name" not in header:
        raise InvalidInput(f"{name}: 第 1 行应为列名，至少含 code 和 name (header row needs code, name)")
    out = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        row: dict[str, Any] = {}
        for key, cell in zip(header, cells):
            value = cell.strip()
            if key not in COLUMNS or not value:
                continue
            if key in LIST_COLUMNS:
                row[key] = [n.strip() for n in value.replace("；", ";").split(";") if n.strip()]
            else:
                row[key] = value
        out.append((f"{name}:{number}", row))
    return out


def write_departments(rows: list[dict[str, Any]], *, fmt: DepartmentFormat) -> bytes:
    """The departments as a file of `fmt` that `read_departments` reads back unchanged."""
    if fmt == "yaml":
        clean = [{k: row.get(k) for k in COLUMNS if row.get(k) not in (None, [])} for row in rows]
        return yaml.safe_dump({"departments": clean}, allow_unicode=True, sort_keys=False).encode()
    table = [list(COLUMNS)] + [[_cell(row.get(k)) for k in COLUMNS] for row in rows]
    if fmt == "csv":
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(table)
        return buffer.getvalue().encode("utf-8-sig")
    if fmt == "xlsx":
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("部门")
        for line in table:
            sheet.append(line)
        buffer_b = io.BytesIO()
        book.save(buffer_b)
        return buffer_b.getvalue()
    raise InvalidInput(f"未知格式 {fmt!r}，应为 {' / '.join(FORMATS)} (unknown format)")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


MEDIA_TYPES = {"yaml": "application/yaml; charset=utf-8", "csv": "text/csv; charset=utf-8",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def import_department_file(*, session: Any, actor: Any, data: bytes, fmt: DepartmentFormat,
                           name: str) -> dict[str, Any]:
    """Create or update every department of a file; the report counts each status and lists findings."""
    from catalog.auth import authorize
    from catalog.departments import upsert_departments

    authorize(actor, "manage_departments")  # before reading: a refused caller learns nothing of the file
    read = read_departments(data, fmt=fmt, name=name)
    outcomes = upsert_departments(session=session, actor=actor, rows=[r for _, r in read],
                                  sources=[s for s, _ in read])
    counts = {status: sum(1 for o in outcomes if o.status == status)
              for status in ("created", "updated", "unchanged", "invalid")}
    return {"read": len(read), **counts, "results": [o.to_dict() for o in outcomes]}


def export_department_file(*, session: Any, fmt: DepartmentFormat, division: str | None = None,
                           level: str | None = None) -> bytes:
    from catalog.departments import department_dict, division_map, list_departments

    divisions = division_map(session=session)
    rows = [department_dict(d, divisions=divisions)
            for d in list_departments(session=session, division=division, level=level)]
    return write_departments(rows, fmt=fmt)
