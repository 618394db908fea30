"""`mulu staged list|show|fix|submit`: records an import staged with findings (待整改), fixed from the terminal."""
from __future__ import annotations

import json
from pathlib import Path

import typer

from catalog.auth import SYSTEM
from catalog.errors import CatalogError
from catalog.findings import Finding
from cli import output
from cli.serve import open_db

staged_app = typer.Typer(help="待整改记录：列出、查看、修改、提交 (staged import records)", no_args_is_help=True)


def _findings(rows: list[dict]) -> list[Finding]:
    keys = ("rule", "severity", "path", "message", "suggestion", "source")
    return [Finding(**{k: f.get(k) for k in keys}) for f in rows]  # type: ignore[arg-type]


@staged_app.command("list")
def list_(provider: str = typer.Option(None, "--provider", help="只列出此部门的"),
          limit: int = typer.Option(50, "--limit")) -> None:
    """列出待整改记录及其错误数。"""
    from rich.table import Table

    from catalog.interop.staged import list_staged

    with open_db().session() as session:
        rows, total = list_staged(session=session, actor=SYSTEM, provider_code=provider, limit=limit)
        table = Table(title=f"待整改记录 staged（共 {total}）")
        for column in ("#", "名称", "提供方代码", "来源", "错误"):
            table.add_column(column)
        for r in rows:
            errors = [f for f in r.findings if f.get("severity") == "error"]
            table.add_row(str(r.id), r.name or "", r.provider_code or "", r.source or "",
                          "；".join(f"{f['path']} {f['message']}" for f in errors[:3]))
    output.stdout().print(table)


@staged_app.command("show")
def show(staged_id: int = typer.Argument(...)) -> None:
    """打印一条待整改记录（JSON，可改后用 fix 写回）和它的问题。"""
    from catalog.interop.staged import get_staged, staged_dict

    try:
        with open_db().session() as session:
            body = staged_dict(get_staged(session=session, actor=SYSTEM, staged_id=staged_id))
    except CatalogError as exc:
        output.fail(exc.message)
    output.stdout().print_json(json.dumps(body["record"], ensure_ascii=False))
    if body["findings"]:
        output.stderr().print(output.findings_table(_findings(body["findings"]), title="问题 findings"))


@staged_app.command("fix")
def fix(staged_id: int = typer.Argument(...), file: Path = typer.Argument(..., help="改正后的记录（YAML / JSON）"),
        submit: bool = typer.Option(False, "--submit", help="没有错误时登记为资源并提交审核")) -> None:
    """用文件中的记录替换待整改记录，重新校验；--submit 时无错误即提交审核。"""
    from catalog.interop.staged import fix_staged, submit_staged
    from catalog.records import read_record_file

    db = open_db()
    try:
        record = read_record_file(file)
        with db.transaction() as session:
            row = fix_staged(session=session, actor=SYSTEM, staged_id=staged_id, record=record)
            findings = _findings(row.findings)
        errors = [f for f in findings if f.severity == "error"]
        if findings:
            output.stdout().print(output.findings_table(findings, title="剩余问题 findings"))
        if errors:
            output.stdout().print(f"已保存；还有 {len(errors)} 处错误", highlight=False)
            raise typer.Exit(output.EXIT_FINDINGS)
        if submit:
            with db.transaction() as session:
                code = submit_staged(session=session, actor=SYSTEM, staged_id=staged_id).resource_code
            output.stdout().print(f"已登记为 {code} 并提交审核", highlight=False)
        else:
            output.stdout().print("已保存，没有错误：可用 --submit 提交审核", highlight=False)
    except CatalogError as exc:
        output.fail(exc.message, code=output.EXIT_FINDINGS if exc.findings else output.EXIT_USAGE)


def register(app: typer.Typer) -> None:
    app.add_typer(staged_app, name="staged")
