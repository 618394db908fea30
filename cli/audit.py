"""`mulu audit DIR`: every record plus the cross-record rules, summed per provider; table, JSON or JUnit."""
from __future__ import annotations

from pathlib import Path

import typer

from catalog.validation.audit_files import audit_files
from cli import output
from cli.context import standards_or_exit
from cli.validate import record_names, report_problems


def audit(
    directory: list[Path] = typer.Argument(..., help="资源记录目录（或文件）"),
    fmt: output.Format = typer.Option(output.Format.table, "--format", "-f", help="table | json | junit"),
    destination: Path | None = typer.Option(None, "--output", "-o", help="写入文件而不是标准输出"),
    known_code: list[str] = typer.Option([], "--known-code", help="已存在的资源代码（关联资源检查）"),
    workers: int = typer.Option(0, "--workers", "-j", min=0, help="并行进程数（默认每核一个）"),
) -> None:
    """审核资源目录：逐条校验并检查跨记录规则 (audit a catalogue tree)."""
    standards = standards_or_exit()
    files = record_names(directory)
    with output.file_progress("审核 auditing", len(files)) as advance:
        result, problems = audit_files(files, standards=standards, known_codes=frozenset(known_code),
                                       workers=workers, on_progress=advance)
    reports = list(result.reports.values())
    if fmt is output.Format.json:
        text = output.to_json({**result.to_dict(), "unreadable": [message for _, message in problems]})
    elif fmt is output.Format.junit:
        text = output.to_junit(reports, name="mulu audit", unreadable=problems)
    else:
        text = ""
    if destination is not None:
        try:
            destination.write_text(text if text else _table_text(result, reports, len(problems)), encoding="utf-8")
        except OSError as exc:
            output.fail(f"{destination}: 无法写入 (cannot write): {exc.strerror}")
        output.stderr().print(output.totals_line(reports, unreadable=len(problems)), highlight=False)
    elif text:
        print(text, end="" if text.endswith("\n") else "\n")
    else:
        _print_table(output.stdout(), result, reports, len(problems))
    report_problems(problems)
    if problems:
        raise typer.Exit(output.EXIT_USAGE)
    raise typer.Exit(output.EXIT_OK if result.valid else output.EXIT_FINDINGS)


def _print_table(console, result, reports, unreadable: int) -> None:  # type: ignore[no-untyped-def]
    findings = [f for f in result.findings if f.severity == "error"] + \
        [f for f in result.findings if f.severity == "warning"]
    if findings:
        console.print(output.findings_table(findings, title="审核发现 findings"))
    console.print(output.summary_table(list(result.summary().values())))
    console.print(output.totals_line(reports, unreadable=unreadable), highlight=False)


def _table_text(result, reports, unreadable: int) -> str:  # type: ignore[no-untyped-def]
    import io

    from rich.console import Console

    console = Console(record=True, width=160, file=io.StringIO())
    _print_table(console, result, reports, unreadable)
    return console.export_text()


def register(app: typer.Typer) -> None:
    app.command("audit")(audit)
