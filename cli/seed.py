"""`mulu seed [DIR]`: load a seed catalogue (published, by `system`); codes already present are skipped."""
from __future__ import annotations

from pathlib import Path

import typer

from catalog.errors import CatalogError
from cli import output
from cli.context import cli_settings, open_catalog


def seed(directory: Path = typer.Argument(None, help="种子目录（默认：随 mulu 发布的 seed/）")) -> None:
    """载入种子目录（已发布状态，system 登记）。"""
    from catalog.seeding import default_seed_dir, seed_catalogue

    settings = cli_settings()
    directory = directory or default_seed_dir(settings)
    if not directory.is_dir():
        output.fail(f"{directory}: 目录不存在 (no such directory)")
    catalog = open_catalog(settings)
    try:
        result = seed_catalogue(db=catalog.db, directory=directory, standards=catalog.files)
    except CatalogError as exc:
        output.fail_with(exc)
    out = output.stdout()
    out.print(f"载入 loaded {len(result.loaded)}，已存在 skipped {len(result.skipped)}，"
              f"失败 failed {len(result.failed)}，新增部门 departments {result.departments_added}", highlight=False)
    for path, message in result.failed:
        output.stderr().print(f"[red]失败[/] {path}: {message}", highlight=False)
    raise typer.Exit(output.EXIT_FINDINGS if result.failed else output.EXIT_OK)


def register(app: typer.Typer) -> None:
    app.command("seed")(seed)
