"""`mulu requests ...`: share requests (共享申请) from the terminal, on the local database or a server.

Acts as the user of `--token` (or MULU_TOKEN); locally without one, as the local admin (`system`),
which must name the requesting department with `--department`. With `--server` (MULU_SERVER) every
command goes through the server's API instead.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import NoReturn

from catalog.auth import SYSTEM, Actor, actor_for_token
from catalog.errors import CatalogError
from catalog.sharing.calendar import WorkingCalendar
from catalog.sharing.clock import Clock
from cli.context import open_catalog

from collections.abc import Callable
from typing import Any

import typer
from rich.table import Table

from catalog.sharing import requests
from cli import output
from cli.catalogue import SERVER, TOKEN
from cli.sharing_context import AS_JSON, print_request, through

requests_app = typer.Typer(help="共享申请 share requests", no_args_is_help=True)


def params(**values: Any) -> dict[str, Any]:
    """Query parameters without the ones left out."""
    return {k: v for k, v in values.items() if v is not None}


def _answer(req: Any, calendar: Any, clock: Any) -> dict[str, Any]:
    return requests.request_dict(req, calendar=calendar, clock=clock)


def _step(action: str, call: Callable[..., Any], request_id: int, server: str | None, token: str | None,
          as_json: bool, **fields: Any) -> None:
    """One decision on a request: the same fields go to the domain function or to the API."""
    print_request(through(
        server, token, write=True, method="POST", path=f"/share-requests/{request_id}/{action}", json=fields,
        local_call=lambda session, actor, calendar, clock: _answer(call(
            session=session, actor=actor, calendar=calendar, clock=clock, request_id=request_id, **fields),
            calendar, clock)), as_json)


@requests_app.command("list")
def list_requests(status: str = typer.Option(None, help="pending approved rejected refused escalated arbitrated "
                                                        "withdrawn"),
                  overdue: bool = typer.Option(False, "--overdue", help="只看逾期未答复的"),
                  provider: str = typer.Option(None, help="提供方部门代码"),
                  requester: str = typer.Option(None, help="申请方部门代码"),
                  resource: str = typer.Option(None, help="资源代码"),
                  limit: int = typer.Option(50, min=1, max=500), server: str = SERVER, token: str = TOKEN,
                  as_json: bool = AS_JSON) -> None:
    """列出共享申请。"""
    query = params(status=status, overdue=True if overdue else None, provider_code=provider,
                   requester_code=requester, resource_code=resource, limit=limit)

    def local_call(session: Any, actor: Any, calendar: Any, clock: Any) -> dict[str, Any]:
        rows, count = requests.list_requests(session=session, actor=actor, calendar=calendar, clock=clock, **query)
        return {"data": [_answer(r, calendar, clock) for r in rows], "count": count}

    body = through(server, token, write=False, method="GET", path="/share-requests", params=query,
                   local_call=local_call)
    if as_json:
        print(output.to_json(body))
        return
    table = Table(title=f"共享申请 share requests ({body['count']})")
    for column in ("编号", "状态", "资源", "提供方", "申请方", "答复期限", "逾期"):
        table.add_column(column)
    for r in body["data"]:
        table.add_row(str(r["id"]), r["status_label"], f"{r['resource_code']} {r['resource_name']}", r["provider_code"],
                      r["requester_code"], r["due_on"] or "", "[red]是[/]" if r["overdue"] else "")
    output.stdout().print(table)


@requests_app.command("show")
def show(request_id: int, server: str = SERVER, token: str = TOKEN, as_json: bool = AS_JSON) -> None:
    """显示一个共享申请。"""
    print_request(through(
        server, token, write=False, method="GET", path=f"/share-requests/{request_id}",
        local_call=lambda session, actor, calendar, clock: _answer(
            requests.get_request(session=session, actor=actor, request_id=request_id), calendar, clock)), as_json)


@requests_app.command("create")
def create(resource_code: str = typer.Argument(..., help="资源代码, 如 301001330782101/000001"),
           purpose: str = typer.Option(..., help="申请用途"), basis: str = typer.Option(..., help="申请依据"),
           item: list[str] = typer.Option([], "--item", help="信息项标识符 (可重复; 省略 = 全部)"),
           period_days: int = typer.Option(..., "--period-days", help="使用期限 (天)"),
           department: str = typer.Option(None, help="申请部门代码 (省略 = 令牌所属部门)"),
           server: str = SERVER, token: str = TOKEN, as_json: bool = AS_JSON) -> None:
    """提出共享申请 (无条件 → 立即授权; 有条件 → 待答复; 不予共享 → 不予共享)。"""
    fields = {"resource_code": resource_code, "purpose": purpose, "basis": basis, "items": item or None,
              "period_days": period_days, "requester_code": department}
    print_request(through(
        server, token, write=True, method="POST", path="/share-requests", json=fields,
        local_call=lambda session, actor, calendar, clock: _answer(requests.create_request(
            session=session, actor=actor, calendar=calendar, clock=clock, **fields), calendar, clock)), as_json)


@requests_app.command("approve")
def approve(request_id: int, item: list[str] = typer.Option([], "--item", help="批准的信息项 (省略 = 申请的全部)"),
            period_days: int = typer.Option(None, "--period-days", help="批准期限 (天)"),
            note: str = typer.Option(None, help="说明"), server: str = SERVER, token: str = TOKEN,
            as_json: bool = AS_JSON) -> None:
    """批准 (提供方数据管理员)。"""
    _step("approve", requests.approve_request, request_id, server, token, as_json, items=item or None,
          period_days=period_days, note=note)


@requests_app.command("reject")
def reject(request_id: int, reason: str = typer.Option(..., help="拒绝理由"), server: str = SERVER,
           token: str = TOKEN, as_json: bool = AS_JSON) -> None:
    """拒绝 (提供方数据管理员, 须说明理由)。"""
    _step("reject", requests.reject_request, request_id, server, token, as_json, reason=reason)


@requests_app.command("withdraw")
def withdraw(request_id: int, reason: str = typer.Option(None, help="撤回理由"), server: str = SERVER,
             token: str = TOKEN, as_json: bool = AS_JSON) -> None:
    """撤回 (申请部门)。"""
    _step("withdraw", requests.withdraw_request, request_id, server, token, as_json, reason=reason)


@requests_app.command("escalate")
def escalate(request_id: int, reason: str = typer.Option(..., help="申请协调的理由"), server: str = SERVER,
             token: str = TOKEN, as_json: bool = AS_JSON) -> None:
    """申请争议协调 (被拒绝或逾期未答复后)。"""
    _step("escalate", requests.escalate_request, request_id, server, token, as_json, reason=reason)


@requests_app.command("arbitrate")
def arbitrate(request_id: int, outcome: str = typer.Option(..., help="grant (予以共享) | uphold (维持不共享)"),
              reason: str = typer.Option(..., help="裁决理由"),
              item: list[str] = typer.Option([], "--item", help="予以共享的信息项 (省略 = 申请的全部)"),
              period_days: int = typer.Option(None, "--period-days"), server: str = SERVER, token: str = TOKEN,
              as_json: bool = AS_JSON) -> None:
    """裁决 (共享协调机构; 终局)。"""
    _step("arbitrate", requests.arbitrate_request, request_id, server, token, as_json, outcome=outcome,
          reason=reason, items=item or None, period_days=period_days)


def register(app: typer.Typer) -> None:
    app.add_typer(requests_app, name="requests")


def _fail(exc: CatalogError) -> NoReturn:
    """The message, then each finding (pointer: message); the exit code from the one table."""
    output.fail_with(exc)


@contextmanager
def _context(token: str | None, *, write: bool) -> Iterator[tuple[Any, Actor, WorkingCalendar, Clock]]:
    """A session (a transaction when writing), the actor, the calendar and the clock; errors → exit.
    (Used by the commands that work on the local database only: notify, sources.)"""
    catalog = open_catalog()
    try:
        with (catalog.db.transaction() if write else catalog.db.session()) as session:
            actor = actor_for_token(session=session, token=token) if token else SYSTEM
            yield session, actor, catalog.calendar, catalog.clock
    except CatalogError as exc:
        _fail(exc)
    finally:
        catalog.close()
