"""`mulu standards list|show ID`: the standards mulu checks against, as loaded and meta-checked."""
from __future__ import annotations

from enum import Enum

import typer
import yaml
from rich.table import Table

from cli import output
from cli.context import standards_or_exit


class ListFormat(str, Enum):
    table = "table"
    json = "json"


class ShowFormat(str, Enum):  # a standard is a document: YAML or JSON, never a table or JUnit
    yaml = "yaml"
    json = "json"


standards_app = typer.Typer(help="查看标准 (the standards as data)", no_args_is_help=True)


@standards_app.command("list")
def list_standards(
    fmt: ListFormat = typer.Option(ListFormat.table, "--format", "-f", help="table | json"),
) -> None:
    """列出标准 (list standards: id, version, title, file)."""
    rows = standards_or_exit().list()
    if fmt is ListFormat.json:
        print(output.to_json(rows))
        return
    table = Table(title="mulu 标准 standards")
    for column in ("id", "version", "title", "file"):
        table.add_column(column)
    for row in rows:
        table.add_row(row["id"], row["version"], row["title"], row["file"])
    output.stdout().print(table)


@standards_app.command("show")
def show_standard(
    std_id: str = typer.Argument(..., metavar="ID", help="标准 id，见 mulu standards list"),
    fmt: ShowFormat = typer.Option(ShowFormat.yaml, "--format", "-f", help="yaml | json"),
) -> None:
    """显示一个标准的内容 (show one standard)."""
    standards = standards_or_exit()
    try:
        document = standards.get(std_id)
    except KeyError:
        known = ", ".join(row["id"] for row in standards.list())
        output.fail(f"没有标准 '{std_id}' (unknown standard); 可用: {known}")
    if fmt is ShowFormat.json:
        print(output.to_json(document))
    else:
        print(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), end="")


def register(app: typer.Typer) -> None:
    app.add_typer(standards_app, name="standards")
