"""`mulu search QUERY [--filter k=v]`: search the catalogue (local index or a server) and print a table or JSON."""
from __future__ import annotations

import re
from typing import Any

import typer
from rich.table import Table

from catalog.db import is_empty
from catalog.errors import CatalogError
from catalog.settings import get_settings
from cli import output
from cli.catalogue import SERVER, TOKEN, connect, database_label, errors_exit, local_db

_TAGS = re.compile(r"</?em>")


def search(query: str = typer.Argument("", help="查询词（支持旧名称、同义词、拼音首字母、一个错别字）"),
           filter_: list[str] = typer.Option([], "--filter", "-f", help="筛选 k=v，如 provider_code=330782101"),
           page: int = typer.Option(1, help="页码"), size: int = typer.Option(20, help="每页条数"),
           sort: str = typer.Option("relevance", help="relevance | date"),
           drafts: bool = typer.Option(False, "--all", help="也检索草稿等未发布资源（本地数据库）"),
           server: str = SERVER, token: str = TOKEN,
           as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """检索目录资源。"""
    filters: dict[str, list[str]] = {}
    for item in filter_:
        key, sep, value = item.partition("=")
        if not sep:
            output.fail(f"--filter {item}: 应为 k=v (expected key=value)")
        filters.setdefault(key.strip(), []).append(value.strip())
    remote = connect(server, token)
    if remote is not None:
        if drafts:
            output.fail("--all 只用于本地数据库；服务按令牌的角色决定能看到哪些资源 (--all is local only)")
        with errors_exit():
            result = remote.call("GET", "/search", params={"q": query, "page": page, "size": size, "sort": sort,
                                                           **filters})
    else:
        result = _local(query, filters, page, size, sort, drafts)
    if as_json:
        print(output.to_json(result))
        return
    _print(query, result)


def _local(query: str, filters: dict[str, list[str]], page: int, size: int, sort: str,
           drafts: bool) -> dict[str, Any]:
    from catalog.search import Visibility, backend_for
    from catalog.search.outbox import apply_outbox
    from catalog.search.service import make_query

    settings = get_settings()
    with local_db(settings) as db:
        try:
            backend = backend_for(settings)  # this command's own backend, closed when it is done
            try:
                apply_outbox(db=db, backend=backend)
                vis = Visibility.everything() if drafts else Visibility()
                result = backend.search(make_query(q=query, filters=filters, page=page, size=size, sort=sort,
                                                   visibility=vis)).to_dict()
            finally:
                backend.close()
        except CatalogError as exc:
            output.fail_with(exc)
        if not result["count"] and is_empty(db.engine):
            output.stderr().print(
                f"[yellow]提示[/] 本地数据库 {database_label(settings)} 中没有资源。运行中的服务若用另一个数据库，"
                "请设置同样的 MULU_DATA_DIR / MULU_DATABASE_URL，或用 --server URL 检索该服务。", highlight=False,
                soft_wrap=True)
    return result


def _print(query: str, result: dict[str, Any]) -> None:
    output.stdout().print(_table(f"检索「{query}」共 {result['count']} 条" + ("（降级：嵌入式索引）" if result["degraded"] else ""),
                                 result["data"]))
    if result.get("nearby"):  # a short first page: partial matches after the hits (a server without them: none)
        output.stdout().print(_table("相近的资源（与查询部分匹配）", result["nearby"]))


def _table(title: str, hits: list[dict[str, Any]]) -> Table:
    table = Table(title=title)
    for col in ("代码", "名称", "提供方", "共享类型", "格式", "状态", "匹配"):
        table.add_column(col)
    for hit in hits:
        marks = "; ".join(_TAGS.sub("", f) for fs in list((hit.get("highlight") or {}).values())[:2] for f in fs[:1])
        table.add_row(hit["code"], hit["name"], hit["provider"], hit["share_type"], hit["format_category"],
                      hit["state"], marks[:60])
    return table


def register(app: typer.Typer) -> None:
    app.command("search")(search)
