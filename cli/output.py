"""Shared CLI rendering: rich tables, JSON and JUnit XML for reports; errors to stderr with exit codes."""
from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import Enum
from typing import Any, NoReturn
from xml.etree import ElementTree as ET

import orjson
import typer
from rich.console import Console
from rich.table import Table

from catalog.findings import Finding, Report

# The one exit-code table of every `mulu` command (README "Exit codes" shows it).
EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_UNAVAILABLE = 0, 1, 2, 3
EXIT_CODES: tuple[tuple[int, str], ...] = (
    (EXIT_OK, "成功 success"),
    (EXIT_FINDINGS, "已执行，但有不合格记录或被拒绝的操作：校验错误、无权、不存在、冲突、审计链断裂 "
                    "(ran; findings, or the catalogue refused: invalid, forbidden, not found, conflict)"),
    (EXIT_USAGE, "用法错误或输入无法读取：参数、文件、标准目录、令牌 (usage error or unreadable input)"),
    (EXIT_UNAVAILABLE, "数据库或检索服务不可用 (database or search service unavailable)"),
)


def exit_code_for(exc: Exception) -> int:
    """The exit code of a catalogue error: the same error exits the same way in every command."""
    from catalog.errors import InvalidInput, SearchRejected, StorageUnavailable, Unauthenticated
    from catalog.search.base import SearchUnavailable

    if isinstance(exc, (StorageUnavailable, SearchRejected, SearchUnavailable)):
        return EXIT_UNAVAILABLE
    if isinstance(exc, (InvalidInput, Unauthenticated)):
        return EXIT_USAGE
    return EXIT_FINDINGS


class Format(str, Enum):
    table = "table"
    json = "json"
    junit = "junit"


def stdout() -> Console:
    """The terminal, or a wide console when output goes to a pipe or file (no folded rule ids)."""
    return Console(soft_wrap=False, width=None if sys.stdout.isatty() else 200)


def stderr() -> Console:
    return Console(stderr=True)


def fail(message: str, code: int = EXIT_USAGE) -> NoReturn:
    """Print one clear message to stderr and exit (2 = usage or unreadable input)."""
    stderr().print(f"[bold red]错误[/] {message}", highlight=False, markup=True, soft_wrap=True)
    raise typer.Exit(code)


def fail_with(exc: Exception) -> NoReturn:
    """A catalogue error: its message, each of its findings, and its code from the exit-code table."""
    err = stderr()
    err.print(f"[bold red]错误[/] {getattr(exc, 'message', str(exc))}", highlight=False, soft_wrap=True)
    for f in getattr(exc, "findings", []):
        err.print(f"  {f.path or '/'}: {f.message}", highlight=False, markup=False)
    raise typer.Exit(exit_code_for(exc))


def findings_table(findings: list[Finding], *, title: str | None = None) -> Table:
    table = Table(title=title, show_lines=False, expand=False)
    for column in ("来源 source", "级别", "规则 rule", "位置 pointer", "说明 message", "建议 suggestion"):
        table.add_column(column, overflow="fold")
    for f in findings:
        level = "[red]错误[/]" if f.severity == "error" else "[yellow]警告[/]"
        table.add_row(f.source or "", level, f.rule, f.path or "/", f.message, f.suggestion or "")
    return table


def summary_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(title="按提供方汇总 summary per provider")
    for column in ("提供方代码", "提供方", "资源数", "不合格", "错误", "警告"):
        table.add_column(column)
    for row in rows:
        table.add_row(row["provider_code"], row["provider"], str(row["records"]), str(row["invalid"]),
                      str(row["errors"]), str(row["warnings"]))
    return table


def totals_line(reports: list[Report], *, unreadable: int = 0) -> str:
    """One line of totals; an unreadable file is an error, so it is never "all valid"."""
    invalid = sum(not r.valid for r in reports)
    errors = sum(len(r.errors) for r in reports) + unreadable
    warnings = sum(len(r.warnings) for r in reports)
    verdicts = ([f"[red]{invalid} 条不合格 invalid[/]"] if invalid else []) + \
        ([f"[red]{unreadable} 个文件无法读取 unreadable[/]"] if unreadable else [])
    verdict = "，".join(verdicts) or "[green]全部合格 all valid[/]"
    return f"共 {len(reports)} 条记录：{verdict}，错误 {errors}，警告 {warnings}"


def to_json(data: Any) -> str:
    """`data` as indented JSON, non-ASCII kept. orjson writes it ~8x faster (an audit of 10,000 records:
    0.3 s → 0.04 s), the same text as `json.dumps(indent=2)` for text, integers, booleans, lists and mappings;
    a float may be spelled differently (1e16 for 1e+16) and NaN becomes null. The standard library takes what
    orjson refuses (an integer past 64 bits)."""
    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS).decode()
    except TypeError:
        return json.dumps(data, ensure_ascii=False, indent=2)


def to_junit(reports: list[Report], *, name: str, unreadable: Sequence[tuple[str, str]] = ()) -> str:
    """JUnit XML: one testcase per record, one <failure> per error, warnings in system-out; an unreadable
    file is a testcase with one <error> (it could not be checked at all)."""
    suite = ET.Element("testsuite", name=name, tests=str(len(reports) + len(unreadable)),
                       failures=str(sum(not r.valid for r in reports)), errors=str(len(unreadable)))
    for source, message in unreadable:
        case = ET.SubElement(suite, "testcase", classname="mulu.audit", name=source)
        ET.SubElement(case, "error", type="unreadable", message=message)
    for report in reports:
        case = ET.SubElement(suite, "testcase", classname="mulu.audit", name=report.source or "record")
        for f in report.errors:
            failure = ET.SubElement(case, "failure", type=f.rule, message=f"{f.path or '/'}: {f.message}")
            failure.text = f.suggestion or ""
        if report.warnings:
            out = ET.SubElement(case, "system-out")
            out.text = "\n".join(f"[{f.rule}] {f.path or '/'}: {f.message}" for f in report.warnings)
    ET.indent(suite)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"


def progress_wanted(count: int) -> bool:
    """A progress bar only for large trees and only on an interactive stderr."""
    return count >= 200 and sys.stderr.isatty()


@contextmanager
def file_progress(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """`advance(n)`: n more of `total` files done. A transient bar on stderr when `progress_wanted`; else
    nothing, not even rich's progress module (~60 ms of every start of `mulu audit`)."""
    if not progress_wanted(total):
        yield lambda n: None
        return
    from rich.progress import Progress

    with Progress(console=stderr(), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n: bar.advance(task, n)
