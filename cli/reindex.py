"""`mulu reindex`: rebuild the search index from the database (progress bar; alias swap on Elasticsearch)."""
from __future__ import annotations

import time

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from cli import output
from cli.context import open_catalog


def reindex() -> None:
    """从数据库重建检索索引。"""
    from catalog.search import SearchUnavailable
    from catalog.search.outbox import reindex as rebuild, resource_count

    catalog = open_catalog()
    db, backend = catalog.db, catalog.search
    total = resource_count(db=db)
    started = time.perf_counter()
    with Progress(TextColumn("重建索引 reindex"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn()) as bar:
        task = bar.add_task("reindex", total=total)
        try:
            n = rebuild(db=db, backend=backend, progress=lambda done: bar.update(task, completed=done))
        except SearchUnavailable as exc:
            output.fail(f"检索服务不可用 (search unavailable): {exc}", code=output.EXIT_UNAVAILABLE)
        finally:
            catalog.close()
    output.stdout().print(f"已索引 indexed {n} 条，用时 {time.perf_counter() - started:.1f} s "
                          f"（{backend.name}）", highlight=False)


def register(app: typer.Typer) -> None:
    app.command("reindex")(reindex)
