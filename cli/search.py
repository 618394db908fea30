"""`mulu search QUERY [--filter k=v]`: search the catalogue and print a rich table (or JSON)."""
from __future__ import annotations

import json
import re

import typer
from rich.table import Table

from catalog.errors import CatalogError
from cli import output
from cli.context import open_catalog

_TAGS = re.compile(r"</?em>")


def search(query: str = typer.Argument("", help="查询词（支持旧名称、同义词、拼音首字母、一个错别字）"),
           filter_: list[str] = typer.Option([], "--filter", "-f", help="筛选 k=v，如 provider_code=330782101"),
           page: int = typer.Option(1, help="页码"), size: int = typer.Option(20, help="每页条数"),
           sort: str = typer.Option("relevance", help="relevance | date"),
           drafts: bool = typer.Option(False, "--all", help="也检索草稿等未发布资源"),
           as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """检索目录资源。"""
    from catalog.search import Visibility
    from catalog.search.outbox import apply_outbox
    from catalog.search.service import make_query

    filters: dict[str, list[str]] = {}
    for item in filter_:
        key, sep, value = item.partition("=")
        if not sep:
            output.fail(f"--filter {item}: 应为 k=v (expected key=value)")
        filters.setdefault(key.strip(), []).append(value.strip())
    catalog = open_catalog()
    try:
        apply_outbox(db=catalog.db, backend=catalog.search)
        vis = Visibility.everything() if drafts else Visibility()
        result = catalog.search.search(make_query(q=query, filters=filters, page=page, size=size, sort=sort,
                                                  visibility=vis))
    except CatalogError as exc:
        output.fail_with(exc)
    finally:
        catalog.close()
    if as_json:
        typer.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    out = output.stdout()
    table = Table(title=f"检索「{query}」共 {result.count} 条" + ("（降级：嵌入式索引）" if result.degraded else ""))
    for col in ("代码", "名称", "提供方", "共享类型", "格式", "状态", "匹配"):
        table.add_column(col)
    for hit in result.hits:
        marks = "; ".join(_TAGS.sub("", f) for fs in list(hit.highlight.values())[:2] for f in fs[:1])
        table.add_row(hit.code, hit.name, hit.provider, hit.share_type, hit.format_category, hit.state, marks[:60])
    out.print(table)


def register(app: typer.Typer) -> None:
    app.command("search")(search)
