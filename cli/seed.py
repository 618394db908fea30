"""`mulu seed [DIR]`: load a seed catalogue (published, by `system`); codes already present are skipped."""
from __future__ import annotations

from pathlib import Path

import typer

from catalog.errors import CatalogError
from catalog.settings import get_settings
from cli import output
from cli.serve import open_db


def seed(directory: Path = typer.Argument(None, help="种子目录（默认：随 mulu 发布的 seed/）")) -> None:
    """载入种子目录（已发布状态，system 登记）。"""
    from catalog.seeding import default_seed_dir, seed_catalogue

    settings = get_settings()
    directory = directory or default_seed_dir(settings)
    if not directory.is_dir():
        output.fail(f"{directory}: 目录不存在 (no such directory)")
    db = open_db(settings)
    try:
        result = seed_catalogue(db=db, directory=directory)
    except CatalogError as exc:
        output.fail(exc.message)
    out = output.stdout()
    out.print(f"载入 loaded {len(result.loaded)}，已存在 skipped {len(result.skipped)}，"
              f"失败 failed {len(result.failed)}，新增部门 departments {result.departments_added}", highlight=False)
    for path, message in result.failed:
        output.stderr().print(f"[red]失败[/] {path}: {message}", highlight=False)
    raise typer.Exit(1 if result.failed else 0)


def register(app: typer.Typer) -> None:
    app.command("seed")(seed)
