"""The Excel catalogue template (目录编制模板): its sheets and columns, and writing it (openpyxl).

Sheets: 信息资源 (one row per resource), 信息项 (one row per information item, keyed by 资源序号),
接口 (optional: the interface contract as JSON text), 代码表 (the code lists), 填写说明 (instructions).
Row 1 holds the Chinese headers, row 2 the field paths (`share.type`) the reader maps columns by.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from catalog.standards import Standards, load_standards

RESOURCES, ITEMS, INTERFACES, CODES, HELP = "信息资源", "信息项", "接口", "代码表", "填写说明"
ROW_KEY = "_row"  # 资源序号: links 信息项 and 接口 rows to their resource
FIRST_DATA_ROW = 3
MAX_VALIDATED_ROW = 2000


@dataclass(frozen=True, slots=True)
class Column:
    path: str  # field path in the record (dotted), or ROW_KEY / _name
    header: str
    kind: str = "text"  # text | int | bool | list | date | json
    choices: str | None = None  # code-list key for a drop-down


RESOURCE_COLUMNS: tuple[Column, ...] = (
    Column(ROW_KEY, "资源序号", "int"),
    Column("code", "信息资源代码"),
    Column("name", "信息资源名称*"),
    Column("classification", "信息资源分类代码*"),
    Column("provider", "信息资源提供方*"),
    Column("provider_code", "提供方代码*"),
    Column("abstract", "信息资源摘要*"),
    Column("keywords", "关键字（；分隔）", "list"),
    Column("format.category", "格式分类*", choices="format_categories"),
    Column("format.type", "格式类型*"),
    Column("share.type", "共享类型*", choices="share_types"),
    Column("share.condition", "共享条件/不予共享依据"),
    Column("share.method.category", "共享方式分类*", choices="share_method_categories"),
    Column("share.method.type", "共享方式类型*", choices="share_method_types"),
    Column("open.to_public", "是否向社会开放*", "bool", choices="yes_no"),
    Column("open.condition", "开放条件"),
    Column("update_cycle", "更新周期*", choices="update_cycles"),
    Column("published_on", "发布日期（YYYY-MM-DD）", "date"),
    Column("related", "关联资源代码（；分隔）", "list"),
    Column("charset", "字符集"),
)
ITEM_COLUMNS: tuple[Column, ...] = (
    Column(ROW_KEY, "资源序号*", "int"),
    Column("_name", "信息资源名称（参考）"),
    Column("name", "信息项名称*"),
    Column("identifier", "英文标识符*"),
    Column("data_type", "数据类型*", choices="item_data_types"),
    Column("length", "数据长度（字节）", "int"),
    Column("precision", "精度", "int"),
    Column("element", "数据元标识"),
    Column("description", "说明"),
)
INTERFACE_COLUMNS: tuple[Column, ...] = (
    Column(ROW_KEY, "资源序号*", "int"),
    Column("_name", "信息资源名称（参考）"),
    Column("interface", "接口契约（JSON）", "json"),
)
SHEETS: dict[str, tuple[Column, ...]] = {RESOURCES: RESOURCE_COLUMNS, ITEMS: ITEM_COLUMNS, INTERFACES: INTERFACE_COLUMNS}
YES, NO = "是", "否"
LIST_SEPARATOR = "；"
CR = "_x000D_"  # Excel's escape for a carriage return, which XML would otherwise turn into a line feed

HELP_LINES = (
    "政务信息资源目录编制模板（mulu）",
    "",
    "1. 「信息资源」每行一个资源；第 1 行为中文表头，第 2 行为字段路径（请勿修改），从第 3 行起填写。",
    "2. 带 * 的列为必填；信息资源代码由 mulu 分配，新建时留空。",
    "3. 「资源序号」是本文件内的行号（1、2、3……），「信息项」「接口」两表用它关联资源。",
    "4. 格式分类为数据库或电子表格时，须在「信息项」表中填写信息项（名称、英文标识符、数据类型、长度）。",
    "5. 共享类型为有条件共享时须填写共享条件；不予共享时须在同一列写明法律、行政法规或国务院政策依据。",
    "6. 是否向社会开放填 是/否；填 是 时须填写开放条件。",
    "7. 共享方式类型为接口时，须在「接口」表中以 JSON 填写服务接口契约（base_url、authentication、operations）。",
    "8. 关键字、关联资源代码可填多个，用全角分号「；」分隔。日期格式 YYYY-MM-DD。",
    "9. 下拉选项取自「代码表」；格式类型须属于所选格式分类（见代码表）。",
    "10. 导入：mulu import 文件.xlsx [--dry-run] [--atomic]；问题按 表!单元格 报告（如 信息资源!K5）。",
)


def code_list_choices(standards: Standards) -> dict[str, list[str]]:
    lists = standards.documents["code-lists"]
    out = {key: [c["name"] for c in lists[key]] for key in
           ("share_types", "share_method_categories", "share_method_types", "format_categories", "update_cycles")}
    out["item_data_types"] = [c["code"] for c in lists["item_data_types"]]
    out["yes_no"] = [YES, NO]
    return out


def _header(ws: Worksheet, columns: tuple[Column, ...], choices: dict[str, list[str]]) -> None:
    bold, grey = Font(bold=True), Font(color="808080", size=9)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for col, column in enumerate(columns, start=1):
        top = ws.cell(row=1, column=col, value=column.header)
        top.font, top.fill = bold, fill
        ws.cell(row=2, column=col, value=column.path).font = grey
        letter = top.column_letter
        ws.column_dimensions[letter].width = max(12, min(40, len(column.header) * 2 + 4))
        if column.choices:
            validation = DataValidation(type="list", formula1='"' + ",".join(choices[column.choices]) + '"',
                                        allow_blank=True, showErrorMessage=True,
                                        errorTitle="取值不在代码表中", error="请从下拉列表中选择")
            validation.add(f"{letter}{FIRST_DATA_ROW}:{letter}{MAX_VALIDATED_ROW}")
            ws.add_data_validation(validation)
    ws.freeze_panes = ws.cell(row=FIRST_DATA_ROW, column=1).coordinate


def _code_sheet(ws: Worksheet, standards: Standards) -> None:
    lists = standards.documents["code-lists"]
    tables = [
        ("共享类型", [c["name"] for c in lists["share_types"]]),
        ("共享方式分类", [c["name"] for c in lists["share_method_categories"]]),
        ("共享方式类型", [c["name"] for c in lists["share_method_types"]]),
        ("更新周期", [c["name"] for c in lists["update_cycles"]]),
        ("数据类型", [f"{c['code']} {c['name']}" for c in lists["item_data_types"]]),
        ("格式分类", [c["name"] for c in lists["format_categories"]]),
        ("格式类型", [", ".join(c["types"]) for c in lists["format_categories"]]),
        ("允许的共享方式类型", [", ".join(c["method_types"]) for c in lists["format_categories"]]),
    ]
    for col, (title, values) in enumerate(tables, start=1):
        ws.cell(row=1, column=col, value=title).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(col)].width = 22
        for row, value in enumerate(values, start=2):
            ws.cell(row=row, column=col, value=value)


def build_workbook(*, standards: Standards | None = None) -> Workbook:
    """An empty template workbook: every sheet, headers, drop-downs, code lists and instructions."""
    standards = standards or load_standards()
    choices = code_list_choices(standards)
    wb = Workbook()
    first = wb.active
    assert isinstance(first, Worksheet)  # a new workbook has one worksheet
    first.title = RESOURCES
    for name, columns in SHEETS.items():
        ws = first if name == RESOURCES else wb.create_sheet(name)
        _header(ws, columns, choices)
    _code_sheet(wb.create_sheet(CODES), standards)
    help_ws = wb.create_sheet(HELP)
    help_ws.column_dimensions["A"].width = 110
    for row, line in enumerate(HELP_LINES, start=1):
        cell = help_ws.cell(row=row, column=1, value=line)
        cell.alignment = Alignment(wrap_text=True)
        if row == 1:
            cell.font = Font(bold=True, size=14)
    return wb


def write_template(path: Path, *, standards: Standards | None = None) -> Path:
    """Write the empty template to `path` (.xlsx)."""
    build_workbook(standards=standards).save(path)
    return path
