"""`mulu resources get|list|history|diff`: read the catalogue, on the local database or a server.

The writing commands (create, update, submit, publish, reject, withdraw) are in `cli.lifecycle` and
register on the same `mulu resources` group. Locally without `--token` the commands act as the local
admin; with `--server` (MULU_SERVER) they go through the server's API as the user of `--token`.
"""
from __future__ import annotations

import json
from typing import Any

import typer
from rich.table import Table

from catalog.display_time import display_time
from catalog.listing import ResourceFilter, list_resources, resource_dict, resource_summary
from catalog.registry import get_resource
from catalog.settings import get_settings
from catalog.versions import diff_versions, list_versions, version_dict
from cli import output
from cli.catalogue import SERVER, TOKEN, connect, errors_exit, local

resources_app = typer.Typer(help="资源 resources：读取、登记、提交、发布、退回、撤回、版本", no_args_is_help=True)
AS_JSON = typer.Option(False, "--json", help="JSON 输出")
CODE = typer.Argument(..., help="资源代码，如 102001/000001")


def fetch(code: str, server: str | None, token: str | None) -> dict[str, Any]:
    """One resource as the API shows it (with its etag)."""
    remote = connect(server, token)
    if remote is not None:
        with errors_exit():
            return remote.call("GET", f"/resources/{code}")  # type: ignore[no-any-return]
    with local(token, write=False) as (session, actor):
        return resource_dict(get_resource(session=session, actor=actor, code=code))


@resources_app.command("get")
def get(code: str = CODE, server: str = SERVER, token: str = TOKEN) -> None:
    """打印一条资源（JSON）。"""
    print(output.to_json(fetch(code, server, token)))


@resources_app.command("list")
def list_(provider_code: str = typer.Option(None, help="提供方代码"),
          classification: str = typer.Option(None, help="分类代码前缀"),
          state: str = typer.Option(None, help="draft | submitted | published | withdrawn"),
          q: str = typer.Option(None, help="名称包含"),
          limit: int = typer.Option(50, min=1, max=500), offset: int = typer.Option(0, min=0),
          server: str = SERVER, token: str = TOKEN, as_json: bool = AS_JSON) -> None:
    """列出资源。"""
    filters = {"provider_code": provider_code, "classification": classification, "state": state, "q": q}
    remote = connect(server, token)
    if remote is not None:
        with errors_exit():
            body = remote.call("GET", "/resources", params={**{k: v for k, v in filters.items() if v},
                                                            "limit": limit, "offset": offset})
        data, count = body["data"], body["count"]
    else:
        with local(token, write=False) as (session, actor):
            rows, count = list_resources(session=session, actor=actor, limit=limit, offset=offset,
                                         filters=ResourceFilter(**filters))
            data = [resource_summary(r) for r in rows]
    if as_json:
        print(output.to_json({"data": data, "count": count}))
        return
    out = output.stdout()
    for r in data:
        out.print(f"{r['code']:<24} {r['state']:<10} v{r['version']:<3} {r['provider_code']} {r['name']}",
                  highlight=False)
    out.print(f"共 {count} 条 (showing {len(data)})", highlight=False)


@resources_app.command("history")
def history(code: str = CODE, server: str = SERVER, token: str = TOKEN, as_json: bool = AS_JSON) -> None:
    """版本历史：每一版的状态、作者、时间。"""
    remote = connect(server, token)
    if remote is not None:
        with errors_exit():
            data = remote.call("GET", f"/resources/{code}/versions")["data"]
    else:
        with local(token, write=False) as (session, actor):
            data = [version_dict(v, with_record=False)
                    for v in list_versions(session=session, actor=actor, code=code)]
    if as_json:
        print(output.to_json({"data": data, "count": len(data)}))
        return
    tz = get_settings().timezone
    table = Table(title=f"{code} 版本历史 versions ({len(data)})")
    for column in ("版本", "状态", "作者", "时间"):
        table.add_column(column)
    for v in data:
        table.add_row(str(v["version"]), v["state"], v["author"] or "", display_time(v["created_at"], tz=tz))
    output.stdout().print(table)


@resources_app.command("diff")
def diff(code: str = CODE, from_: int = typer.Option(None, "--from", min=1, help="旧版本（省略 = 新版本的前一版）"),
         to: int = typer.Option(None, "--to", min=1, help="新版本（省略 = 当前版本）"),
         server: str = SERVER, token: str = TOKEN, as_json: bool = AS_JSON) -> None:
    """两个版本之间的字段级差异（JSON Pointer）。"""
    if to is None:
        to = int(fetch(code, server, token)["version"])
    old = from_ if from_ is not None else max(to - 1, 1)
    remote = connect(server, token)
    if remote is not None:
        with errors_exit():
            data = remote.call("GET", f"/resources/{code}/diff", params={"from": old, "to": to})
    else:
        with local(token, write=False) as (session, actor):
            data = diff_versions(session=session, actor=actor, code=code, old=old, new=to)
    if as_json:
        print(output.to_json(data))
        return
    out = output.stdout()
    out.print(f"{code}: 第 {old} 版 → 第 {to} 版，{len(data['changes'])} 处差异", highlight=False)
    for change in data["changes"]:
        before, after = change.get("old"), change.get("new")
        shown = {"add": f"+ {_value(after)}", "remove": f"- {_value(before)}"}.get(
            change["op"], f"{_value(before)} → {_value(after)}")
        out.print(f"  {change['op']:<8} {change['path']}: {shown}", highlight=False, markup=False)


def _value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def register(app: typer.Typer) -> None:
    from cli import lifecycle

    lifecycle.register_on(resources_app)
    app.add_typer(resources_app, name="resources")
