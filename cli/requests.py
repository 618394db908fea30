"""`mulu requests|grants|feedback ...` and `mulu report`: sharing and performance evaluation from the terminal.

Acts as the user of `--token` (or MULU_TOKEN); without one, local access acts as admin (`system`), which
must name the requesting department with `--department`.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Any, NoReturn

import typer
from rich.table import Table

from catalog import stats
from catalog.auth import SYSTEM, Actor, actor_for_token
from catalog.errors import CatalogError
from catalog.sharing import feedback, grants, requests
from catalog.sharing.calendar import WorkingCalendar
from catalog.sharing.clock import Clock
from cli import output
from cli.context import open_catalog

requests_app = typer.Typer(help="共享申请 share requests", no_args_is_help=True)
grants_app = typer.Typer(help="共享授权 grants", no_args_is_help=True)
feedback_app = typer.Typer(help="数据纠错反馈 (校核) feedback", no_args_is_help=True)
TOKEN = typer.Option(None, "--token", envvar="MULU_TOKEN", help="以该令牌的用户身份操作; 省略 = 本地管理员")
AS_JSON = typer.Option(False, "--json", help="JSON 输出")


class ReportFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


def _fail(exc: CatalogError) -> NoReturn:
    """The message, then each finding (pointer: message); the exit code from the one table."""
    output.fail_with(exc)


@contextmanager
def _context(token: str | None, *, write: bool) -> Iterator[tuple[Any, Actor, WorkingCalendar, Clock]]:
    """A session (a transaction when writing), the actor, the calendar and the clock; errors → exit."""
    catalog = open_catalog()
    try:
        with (catalog.db.transaction() if write else catalog.db.session()) as session:
            actor = actor_for_token(session=session, token=token) if token else SYSTEM
            yield session, actor, catalog.calendar, catalog.clock
    except CatalogError as exc:
        _fail(exc)
    finally:
        catalog.close()


def _print_request(data: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(output.to_json(data))
        return
    out = output.stdout()
    late = " [red]逾期[/]" if data["overdue"] else ""
    out.print(f"申请 {data['id']}  {data['status_label']} ({data['status']}){late}", highlight=False)
    for label, key in (("资源", "resource_code"), ("名称", "resource_name"), ("提供方", "provider_code"),
                       ("申请方", "requester_code"), ("共享类型", "share_type"), ("用途", "purpose"),
                       ("依据", "basis"), ("信息项", "items"), ("期限(天)", "period_days"), ("答复期限", "due_on"),
                       ("理由/说明", "reason"), ("批准信息项", "approved_items"), ("授权", "grant_id"),
                       ("裁决", "arbitration_outcome")):
        if data.get(key) not in (None, [], ""):
            value = ", ".join(data[key]) if isinstance(data[key], list) else data[key]
            out.print(f"  {label:<8} {value}", highlight=False, markup=False)


def _step(call: Callable[..., Any], request_id: int, token: str | None, as_json: bool, **fields: Any) -> None:
    with _context(token, write=True) as (session, actor, calendar, clock):
        req = call(session=session, actor=actor, calendar=calendar, clock=clock, request_id=request_id, **fields)
        data = requests.request_dict(req, calendar=calendar, clock=clock)
    _print_request(data, as_json)


@requests_app.command("list")
def list_requests(status: str = typer.Option(None, help="pending approved rejected refused escalated arbitrated "
                                                        "withdrawn"),
                  overdue: bool = typer.Option(False, "--overdue", help="只看逾期未答复的"),
                  provider: str = typer.Option(None, help="提供方部门代码"),
                  requester: str = typer.Option(None, help="申请方部门代码"),
                  resource: str = typer.Option(None, help="资源代码"),
                  limit: int = typer.Option(50, min=1, max=500), token: str = TOKEN, as_json: bool = AS_JSON) -> None:
    """列出共享申请。"""
    with _context(token, write=False) as (session, actor, calendar, clock):
        rows, count = requests.list_requests(
            session=session, actor=actor, calendar=calendar, clock=clock, status=status,
            overdue=True if overdue else None, provider_code=provider, requester_code=requester,
            resource_code=resource, limit=limit)
        data = [requests.request_dict(r, calendar=calendar, clock=clock) for r in rows]
    if as_json:
        print(output.to_json({"data": data, "count": count}))
        return
    table = Table(title=f"共享申请 share requests ({count})")
    for column in ("编号", "状态", "资源", "提供方", "申请方", "答复期限", "逾期"):
        table.add_column(column)
    for r in data:
        table.add_row(str(r["id"]), r["status_label"], f"{r['resource_code']} {r['resource_name']}", r["provider_code"],
                      r["requester_code"], r["due_on"] or "", "[red]是[/]" if r["overdue"] else "")
    output.stdout().print(table)


@requests_app.command("show")
def show(request_id: int, token: str = TOKEN, as_json: bool = AS_JSON) -> None:
    """显示一个共享申请。"""
    with _context(token, write=False) as (session, actor, calendar, clock):
        data = requests.request_dict(requests.get_request(session=session, actor=actor, request_id=request_id),
                                     calendar=calendar, clock=clock)
    _print_request(data, as_json)


@requests_app.command("create")
def create(resource_code: str = typer.Argument(..., help="资源代码, 如 301001330782101/000001"),
           purpose: str = typer.Option(..., help="申请用途"), basis: str = typer.Option(..., help="申请依据"),
           item: list[str] = typer.Option([], "--item", help="信息项标识符 (可重复; 省略 = 全部)"),
           period_days: int = typer.Option(..., "--period-days", help="使用期限 (天)"),
           department: str = typer.Option(None, help="申请部门代码 (省略 = 令牌所属部门)"),
           token: str = TOKEN, as_json: bool = AS_JSON) -> None:
    """提出共享申请 (无条件 → 立即授权; 有条件 → 待答复; 不予共享 → 不予共享)。"""
    with _context(token, write=True) as (session, actor, calendar, clock):
        req = requests.create_request(session=session, actor=actor, calendar=calendar, clock=clock,
                                      resource_code=resource_code, purpose=purpose, basis=basis,
                                      items=item or None, period_days=period_days, requester_code=department)
        data = requests.request_dict(req, calendar=calendar, clock=clock)
    _print_request(data, as_json)


@requests_app.command("approve")
def approve(request_id: int, item: list[str] = typer.Option([], "--item", help="批准的信息项 (省略 = 申请的全部)"),
            period_days: int = typer.Option(None, "--period-days", help="批准期限 (天)"),
            note: str = typer.Option(None, help="说明"), token: str = TOKEN, as_json: bool = AS_JSON) -> None:
    """批准 (提供方数据管理员)。"""
    _step(requests.approve_request, request_id, token, as_json, items=item or None, period_days=period_days,
          note=note)


@requests_app.command("reject")
def reject(request_id: int, reason: str = typer.Option(..., help="拒绝理由"), token: str = TOKEN,
           as_json: bool = AS_JSON) -> None:
    """拒绝 (提供方数据管理员, 须说明理由)。"""
    _step(requests.reject_request, request_id, token, as_json, reason=reason)


@requests_app.command("withdraw")
def withdraw(request_id: int, reason: str = typer.Option(None, help="撤回理由"), token: str = TOKEN,
             as_json: bool = AS_JSON) -> None:
    """撤回 (申请部门)。"""
    _step(requests.withdraw_request, request_id, token, as_json, reason=reason)


@requests_app.command("escalate")
def escalate(request_id: int, reason: str = typer.Option(..., help="申请协调的理由"), token: str = TOKEN,
             as_json: bool = AS_JSON) -> None:
    """申请争议协调 (被拒绝或逾期未答复后)。"""
    _step(requests.escalate_request, request_id, token, as_json, reason=reason)


@requests_app.command("arbitrate")
def arbitrate(request_id: int, outcome: str = typer.Option(..., help="grant (予以共享) | uphold (维持不共享)"),
              reason: str = typer.Option(..., help="裁决理由"),
              item: list[str] = typer.Option([], "--item", help="予以共享的信息项 (省略 = 申请的全部)"),
              period_days: int = typer.Option(None, "--period-days"), token: str = TOKEN,
              as_json: bool = AS_JSON) -> None:
    """裁决 (共享协调机构; 终局)。"""
    _step(requests.arbitrate_request, request_id, token, as_json, outcome=outcome, reason=reason,
          items=item or None, period_days=period_days)


@grants_app.command("list")
def list_grants(department: str = typer.Option(None, help="部门代码"),
                side: str = typer.Option(None, help="provider | requester"),
                status: str = typer.Option(None, help="active | expired | revoked"),
                needs_review: bool = typer.Option(False, "--needs-review", help="只看待复核的"),
                token: str = TOKEN, as_json: bool = AS_JSON) -> None:
    """列出授权 (按部门)。"""
    with _context(token, write=False) as (session, actor, calendar, clock):
        rows, count = grants.list_grants(session=session, actor=actor, calendar=calendar, clock=clock,
                                         department_code=department, side=side, status=status,
                                         needs_review=True if needs_review else None, limit=500)
        data = [grants.grant_dict(g, calendar=calendar, clock=clock) for g in rows]
    if as_json:
        print(output.to_json({"data": data, "count": count}))
        return
    table = Table(title=f"授权 grants ({count})")
    for column in ("编号", "状态", "资源", "提供方", "使用方", "信息项", "有效期至", "待复核"):
        table.add_column(column, overflow="fold")
    for g in data:
        table.add_row(str(g["id"]), g["status"], g["resource_code"], g["provider_code"], g["requester_code"],
                      ", ".join(g["items"]), g["valid_until"], g["review_reason"] or "")
    output.stdout().print(table)


@grants_app.command("show")
def show_grant(grant_id: int, token: str = TOKEN) -> None:
    """显示一个授权 (JSON)。"""
    with _context(token, write=False) as (session, actor, calendar, clock):
        data = grants.grant_dict(grants.get_grant(session=session, actor=actor, grant_id=grant_id),
                                 calendar=calendar, clock=clock)
    print(output.to_json(data))


@grants_app.command("revoke")
def revoke(grant_id: int, reason: str = typer.Option(..., help="撤销理由"), token: str = TOKEN) -> None:
    """撤销授权 (提供方或协调机构)。"""
    with _context(token, write=True) as (session, actor, calendar, clock):
        data = grants.grant_dict(grants.revoke_grant(session=session, actor=actor, calendar=calendar, clock=clock,
                                                     grant_id=grant_id, reason=reason), calendar=calendar, clock=clock)
    print(output.to_json(data))


@grants_app.command("expire")
def expire(token: str = TOKEN) -> None:
    """把超过有效期的授权标记为已过期 (可定时运行)。"""
    with _context(token, write=True) as (session, actor, calendar, clock):
        ids = grants.expire_grants(session=session, actor=actor, calendar=calendar, clock=clock)
    output.stdout().print(f"已过期 {len(ids)} 个授权 (expired): {', '.join(map(str, ids)) or '-'}", highlight=False)


@feedback_app.command("list")
def list_feedback(status: str = typer.Option(None, help="open | corrected | not_an_error"),
                  overdue: bool = typer.Option(False, "--overdue"), token: str = TOKEN) -> None:
    """列出纠错反馈 (JSON)。"""
    with _context(token, write=False) as (session, actor, calendar, clock):
        rows, count = feedback.list_reports(session=session, actor=actor, calendar=calendar, clock=clock,
                                            status=status, overdue=True if overdue else None, limit=500)
        data = [feedback.report_dict(r, calendar=calendar, clock=clock) for r in rows]
    print(output.to_json({"data": data, "count": count}))


@feedback_app.command("create")
def create_feedback(resource_code: str, description: str = typer.Option(..., help="错误描述"),
                    item: str = typer.Option(None, help="有误的信息项标识符"),
                    department: str = typer.Option(None, help="报告部门代码 (省略 = 令牌所属部门)"),
                    token: str = TOKEN) -> None:
    """报告共享数据中的错误。"""
    with _context(token, write=True) as (session, actor, calendar, clock):
        rep = feedback.create_report(session=session, actor=actor, calendar=calendar, clock=clock,
                                     resource_code=resource_code, description=description, item=item,
                                     reporter_code=department)
        data = feedback.report_dict(rep, calendar=calendar, clock=clock)
    print(output.to_json(data))


@feedback_app.command("answer")
def answer_feedback(report_id: int, outcome: str = typer.Option(..., help="corrected | not_an_error"),
                    answer: str = typer.Option(..., help="答复说明"), token: str = TOKEN) -> None:
    """答复纠错反馈 (提供方数据管理员)。"""
    with _context(token, write=True) as (session, actor, calendar, clock):
        rep = feedback.answer_report(session=session, actor=actor, calendar=calendar, clock=clock,
                                     report_id=report_id, outcome=outcome, answer=answer)
        data = feedback.report_dict(rep, calendar=calendar, clock=clock)
    print(output.to_json(data))


def report(fmt: ReportFormat = typer.Option(ReportFormat.table, "--format", "-f", help="table | json | csv"),
           department: str = typer.Option(None, help="只看一个部门"),
           destination: Path = typer.Option(None, "--output", "-o", help="写入文件而不是标准输出"),
           token: str = TOKEN) -> None:
    """绩效评估报告: 各部门资源、合规率、共享申请答复与纠错。"""
    with _context(token, write=False) as (session, _actor, calendar, clock):  # any valid token may read it
        data = stats.performance_report(session=session, calendar=calendar, clock=clock,
                                        department_code=department)
    if fmt is ReportFormat.json:
        text = output.to_json(data) + "\n"
    elif fmt is ReportFormat.csv:
        rows = stats.flat_rows(data)
        buffer = io.StringIO()
        fields = list(dict.fromkeys(key for row in rows for key in row))
        writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        text = buffer.getvalue()
    else:
        table = Table(title=f"绩效评估 performance report ({data['as_of']})")
        for _, label in stats.COLUMNS:
            table.add_column(label, overflow="fold")
        for row in stats.flat_rows(data):
            table.add_row(*[_cell(row.get(key)) for key, _ in stats.COLUMNS])
        if destination is None:
            output.stdout().print(table)
            return
        from rich.console import Console
        console = Console(record=True, width=200, file=io.StringIO())
        console.print(table)
        text = console.export_text()
    if destination is None:
        print(text, end="")
        return
    try:
        destination.write_text(text, encoding="utf-8")
    except OSError as exc:
        output.fail(f"{destination}: 无法写入 (cannot write): {exc.strerror}")


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))
    return str(value)


def register(app: typer.Typer) -> None:
    app.add_typer(requests_app, name="requests")
    app.add_typer(grants_app, name="grants")
    app.add_typer(feedback_app, name="feedback")
    app.command("report")(report)
