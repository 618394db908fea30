"""`mulu report`: the performance-evaluation report (绩效评估) as a table, JSON or CSV."""
from __future__ import annotations

import csv
import io
from enum import Enum
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Table

from catalog import stats
from cli import output
from cli.catalogue import SERVER, TOKEN
from cli.requests import params
from cli.sharing_context import through


class ReportFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def report(fmt: ReportFormat = typer.Option(ReportFormat.table, "--format", "-f", help="table | json | csv"),
           department: str = typer.Option(None, help="只看一个部门"),
           destination: Path = typer.Option(None, "--output", "-o", help="写入文件而不是标准输出"),
           server: str = SERVER, token: str = TOKEN) -> None:
    """绩效评估报告: 各部门资源、合规率、共享申请答复与纠错。"""
    data = through(server, token, write=False, method="GET", path="/stats",  # any valid token may read it
                   params=params(department_code=department),
                   local_call=lambda session, _actor, calendar, clock: stats.performance_report(
                       session=session, calendar=calendar, clock=clock, department_code=department))
    if fmt is ReportFormat.json:
        text = output.to_json(data) + "\n"
    elif fmt is ReportFormat.csv:
        text = _csv(stats.flat_rows(data))
    else:
        table = _table(data)
        if destination is None:
            output.stdout().print(table)
            return
        console = Console(record=True, width=200, file=io.StringIO())
        console.print(table)
        text = console.export_text()
    if destination is None:
        print(text, end="")
        return
    try:
        destination.write_text(text, encoding="utf-8")
    except OSError as exc:
        output.fail(f"{destination}: 无法写入 (cannot write): {exc.strerror}")


def _csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    fields = list(dict.fromkeys(key for row in rows for key in row))
    writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def _table(data: dict[str, Any]) -> Table:
    table = Table(title=f"绩效评估 performance report ({data['as_of']})")
    for _, label in stats.COLUMNS:
        table.add_column(label, overflow="fold")
    for row in stats.flat_rows(data):
        table.add_row(*[_cell(row.get(key)) for key, _ in stats.COLUMNS])
    return table


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return str(value)


def register(app: typer.Typer) -> None:
    app.command("report")(report)
