"""`mulu departments list|import|export`: the department registry of a whole region, as YAML, CSV or xlsx."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from catalog.auth import SYSTEM
from catalog.errors import CatalogError
from cli import output
from cli.serve import open_db

departments_app = typer.Typer(help="部门注册表：列出、导入、导出 (departments)", no_args_is_help=True)


@departments_app.command("list")
def list_(
    division: str = typer.Option(None, "--division", help="只列出此行政区划（6 位代码，如 330700）下的部门"),
    level: str = typer.Option(None, "--level", help="province | city | county | district"),
    as_json: bool = typer.Option(False, "--json", help="输出 JSON"),
) -> None:
    """列出部门：代码、名称、级别、区划、上级部门、行业。"""
    from rich.table import Table

    from catalog.departments import department_dict, division_map, list_departments

    with open_db().session() as session:
        divisions = division_map(session=session)
        rows = [department_dict(d, divisions=divisions)
                for d in list_departments(session=session, division=division, level=level)]
    if as_json:
        output.stdout().print_json(json.dumps({"data": rows, "count": len(rows)}, ensure_ascii=False))
        return
    table = Table(title=f"部门 departments（{len(rows)}）")
    for column in ("代码", "名称", "级别", "区划", "上级部门", "行业"):
        table.add_column(column)
    for r in rows:
        table.add_row(r["code"], r["name"], r["level"] or "", r.get("division_name") or r["division_code"],
                      r["parent_code"] or "", r["sector"] or "")
    output.stdout().print(table)


@departments_app.command("import")
def import_(
    file: Path = typer.Argument(..., help="部门文件：.yaml / .csv / .xlsx"),
    fmt: str = typer.Option(None, "--format", help="yaml | csv | xlsx（默认按文件名判断）"),
    report: Path = typer.Option(None, "--output", help="把导入报告（JSON）写入此文件"),
) -> None:
    """批量新建或更新部门（按代码）；有问题的行逐行报告，其余保存。"""
    from catalog.department_files import guess_format, import_department_file

    try:
        data = file.read_bytes()
    except OSError as exc:
        output.fail(f"{file}: 无法读取：{exc.strerror} (cannot read)")
    try:
        kind = fmt or guess_format(file.name)
        with open_db().transaction() as session:
            result = import_department_file(session=session, actor=SYSTEM, data=data, fmt=kind,  # type: ignore[arg-type]
                                            name=file.name)
    except CatalogError as exc:
        output.fail(exc.message)
    if report:
        report.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    findings = [f for r in result["results"] for f in r["findings"]]
    for f in findings[:200]:
        output.stderr().print(f"{f.get('source', '')} {f['path']}: {f['message']}", highlight=False)
    output.stdout().print(f"读取 read {result['read']}，新建 created {result['created']}，更新 updated "
                          f"{result['updated']}，未变 unchanged {result['unchanged']}，有误 invalid {result['invalid']}",
                          highlight=False)
    raise typer.Exit(output.EXIT_FINDINGS if result["invalid"] else output.EXIT_OK)


@departments_app.command("export")
def export(
    out: Path = typer.Argument(None, help="输出文件（.yaml / .csv / .xlsx）；省略则 YAML 打印到标准输出"),
    fmt: str = typer.Option(None, "--format", help="yaml | csv | xlsx（默认按文件名判断）"),
    division: str = typer.Option(None, "--division", help="只导出此行政区划下的部门"),
) -> None:
    """导出部门注册表，可再用 `mulu departments import` 读回。"""
    from catalog.department_files import export_department_file, guess_format

    try:
        kind = fmt or (guess_format(out.name) if out else "yaml")
        with open_db().session() as session:
            data = export_department_file(session=session, fmt=kind, division=division)  # type: ignore[arg-type]
    except CatalogError as exc:
        output.fail(exc.message)
    if out is None:
        sys.stdout.buffer.write(data)
        return
    try:
        out.write_bytes(data)
    except OSError as exc:
        output.fail(f"{out}: 无法写入：{exc.strerror} (cannot write)")
    output.stdout().print(f"已导出部门到 {out}（{kind}）", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(departments_app, name="departments")
