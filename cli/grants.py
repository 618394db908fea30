"""`mulu grants list|show|revoke|expire`: share grants (共享授权), on the local database or a server."""
from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from catalog.sharing import grants
from cli import output
from cli.catalogue import SERVER, TOKEN
from cli.requests import params
from cli.sharing_context import AS_JSON, sharing, through

grants_app = typer.Typer(help="共享授权 grants", no_args_is_help=True)


@grants_app.command("list")
def list_grants(department: str = typer.Option(None, help="部门代码"),
                side: str = typer.Option(None, help="provider | requester"),
                status: str = typer.Option(None, help="active | expired | revoked"),
                needs_review: bool = typer.Option(False, "--needs-review", help="只看待复核的"),
                server: str = SERVER, token: str = TOKEN, as_json: bool = AS_JSON) -> None:
    """列出授权 (按部门)。"""
    query = params(department_code=department, side=side, status=status,
                   needs_review=True if needs_review else None, limit=500)

    def local_call(session: Any, actor: Any, calendar: Any, clock: Any) -> dict[str, Any]:
        rows, count = grants.list_grants(session=session, actor=actor, calendar=calendar, clock=clock, **query)
        return {"data": [grants.grant_dict(g, calendar=calendar, clock=clock) for g in rows], "count": count}

    body = through(server, token, write=False, method="GET", path="/grants", params=query, local_call=local_call)
    if as_json:
        print(output.to_json(body))
        return
    table = Table(title=f"授权 grants ({body['count']})")
    for column in ("编号", "状态", "资源", "提供方", "使用方", "信息项", "有效期至", "待复核"):
        table.add_column(column, overflow="fold")
    for g in body["data"]:
        table.add_row(str(g["id"]), g["status"], g["resource_code"], g["provider_code"], g["requester_code"],
                      ", ".join(g["items"]), g["valid_until"], g["review_reason"] or "")
    output.stdout().print(table)


@grants_app.command("show")
def show_grant(grant_id: int, server: str = SERVER, token: str = TOKEN) -> None:
    """显示一个授权 (JSON)。"""
    print(output.to_json(through(
        server, token, write=False, method="GET", path=f"/grants/{grant_id}",
        local_call=lambda session, actor, calendar, clock: grants.grant_dict(
            grants.get_grant(session=session, actor=actor, grant_id=grant_id), calendar=calendar, clock=clock))))


@grants_app.command("revoke")
def revoke(grant_id: int, reason: str = typer.Option(..., help="撤销理由"), server: str = SERVER,
           token: str = TOKEN) -> None:
    """撤销授权 (提供方或协调机构)。"""
    print(output.to_json(through(
        server, token, write=True, method="POST", path=f"/grants/{grant_id}/revoke", json={"reason": reason},
        local_call=lambda session, actor, calendar, clock: grants.grant_dict(grants.revoke_grant(
            session=session, actor=actor, calendar=calendar, clock=clock, grant_id=grant_id, reason=reason),
            calendar=calendar, clock=clock))))


@grants_app.command("expire")
def expire(token: str = TOKEN) -> None:
    """把超过有效期的授权标记为已过期 (可定时运行; 只对本地数据库)。"""
    with sharing(token, write=True) as (session, actor, calendar, clock):
        ids = grants.expire_grants(session=session, actor=actor, calendar=calendar, clock=clock)
    output.stdout().print(f"已过期 {len(ids)} 个授权 (expired): {', '.join(map(str, ids)) or '-'}", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(grants_app, name="grants")
