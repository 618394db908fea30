"""`mulu validate FILE_OR_DIR...`: check record files against the standards (exit 0 valid, 1 errors, 2 input)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from catalog.errors import InvalidInput, InvalidRecord
from catalog.records import read_record_file, record_file_names
from catalog.validation import validate_record
from cli import output
from cli.context import standards_or_exit


Unreadable = list[tuple[str, str]]  # (file, message) of files that could not be read


def record_files(paths: list[Path]) -> list[Path]:
    """The record files under `paths`; exit 2 when a path is missing or holds none."""
    return [Path(name) for name in record_names(paths)]


def record_names(paths: list[Path]) -> list[str]:
    """The names of the record files under `paths` (see `record_files`)."""
    try:
        names = record_file_names(paths)
    except InvalidInput as exc:
        output.fail_with(exc)
    if not names:
        output.fail(f"{', '.join(map(str, paths))}: 没有找到资源记录文件（.yaml / .yml / .json） (no record files)")
    return names


def collect_records(paths: list[Path]) -> tuple[list[tuple[str, dict[str, Any]]], Unreadable]:
    """Read every record file under `paths`: (source, record) pairs and the unreadable files."""
    files = record_files(paths)
    records: list[tuple[str, dict[str, Any]]] = []
    problems: Unreadable = []
    with output.file_progress("读取记录 reading", len(files)) as advance:
        for path in files:
            try:
                records.append((str(path), read_record_file(path)))
            except (InvalidInput, InvalidRecord) as exc:  # InvalidRecord: a value past the shape guard's bounds
                problems.append((str(path), exc.message))
            advance(1)
    return records, problems


def report_problems(problems: Unreadable) -> None:
    console = output.stderr()
    for _, message in problems:
        console.print(f"[bold red]无法读取[/] {message}", highlight=False, soft_wrap=True)


def validate(
    paths: list[Path] = typer.Argument(..., help="资源记录文件或目录 (YAML / JSON)"),
    fmt: output.Format = typer.Option(output.Format.table, "--format", "-f", help="table | json | junit"),
) -> None:
    """校验资源记录文件 (validate record files)."""
    standards = standards_or_exit()
    records, problems = collect_records(paths)
    reports = [validate_record(record, standards=standards, source=source) for source, record in records]
    if fmt is output.Format.json:
        print(output.to_json({"valid": all(r.valid for r in reports) and not problems,
                              "unreadable": [message for _, message in problems], "reports": [r.to_dict() for r in reports]}))
    elif fmt is output.Format.junit:
        print(output.to_junit(reports, name="mulu validate", unreadable=problems), end="")
    else:
        console = output.stdout()
        findings = [f for r in reports for f in r.findings]
        if findings:
            console.print(output.findings_table(findings))
        console.print(output.totals_line(reports, unreadable=len(problems)), highlight=False)
    report_problems(problems)
    if problems:
        raise typer.Exit(output.EXIT_USAGE)
    raise typer.Exit(output.EXIT_OK if all(r.valid for r in reports) else output.EXIT_FINDINGS)


def register(app: typer.Typer) -> None:
    app.command("validate")(validate)
