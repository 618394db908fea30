"""`mulu demands ...`: the demand register (需求清单) and the responsibility list (责任清单) from the terminal.

Acts as the user of `--token` (or MULU_TOKEN); without one, local access acts as admin (`system`), which must
name the requesting department with `--department` when registering a need. Every command calls the
catalog.demands function the API calls; `--json` prints what the API answers.
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import typer
from rich.table import Table

from catalog.demands import duties
from catalog.demands import register as demand_register
from catalog.search import backend_for
from catalog.settings import get_settings
from catalog.standards import load_standards
from cli import output
from cli.catalogue import TOKEN
from cli.sharing_context import AS_JSON, sharing as _context

demands_app = typer.Typer(help="供需对接: 数据需求与责任清单 demands and duties", no_args_is_help=True)


def _tools() -> dict[str, Any]:
    settings = get_settings()
    return {"standards": load_standards(settings.standards_dir), "backend": backend_for(settings)}


def _print_demand(data: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print(output.to_json(data))
        return
    out = output.stdout()
    late = " [red]有逾期责任[/]" if data["overdue"] else ""
    out.print(f"需求 {data['id']}  {data['title']}  {data['status_label']} ({data['status']}){late}", highlight=False)
    for label, value in (("需求部门", data["requester_code"]), ("所需数据", ", ".join(n["name"] for n in data["needs"])),
                         ("用途", data["purpose"]), ("法律依据", data["basis"]), ("应用场景", data["scenario"]),
                         ("期望日期", data["wanted_by"]), ("共享申请", ", ".join(map(str, data["request_ids"]))),
                         ("满足资源", data["fulfilled_resource"])):
        if value:
            out.print(f"  {label:<8} {value}", highlight=False, markup=False)
    if data["status"] == "open" and data["proposals"]:
        table = Table(title="目录匹配结果 proposals")
        for column in ("资源代码", "名称", "提供方", "覆盖", "匹配方式", "未覆盖"):
            table.add_column(column, overflow="fold")
        for p in data["proposals"]:
            table.add_row(p["resource_code"], p["resource_name"], p["provider_code"], p["coverage"], p["matched_by"],
                          ", ".join(p["missing"]))
        out.print(table)
    if data["search_note"]:
        out.print(f"  [yellow]{data['search_note']}[/]", highlight=False)
    for d in data["duties"]:
        flag = " [red]逾期[/]" if d["overdue"] else ""
        out.print(f"  责任 {d['id']}  {d['department_code']}  {d['status_label']}  答复期限 {d['due_on']}"
                  f"{'  计划提供 ' + d['target_date'] if d['target_date'] else ''}{flag}", highlight=False)


def _demand_step(call: Callable[..., Any], demand_id: int, token: str | None, as_json: bool, **fields: Any) -> None:
    with _context(token, write=True) as (session, actor, calendar, clock):
        call(session=session, actor=actor, calendar=calendar, clock=clock, demand_id=demand_id, **fields)
        row = demand_register.get_demand_row(session=session, demand_id=demand_id)
        data = demand_register.demand_dict(row, session=session, calendar=calendar, clock=clock)
    _print_demand(data, as_json)


def _duty_step(call: Callable[..., Any], duty_id: int, token: str | None, as_json: bool, **fields: Any) -> None:
    with _context(token, write=True) as (session, actor, calendar, clock):
        duty = call(session=session, actor=actor, calendar=calendar, clock=clock, duty_id=duty_id, **fields)
        data = duties.duty_dict(duty, demand=demand_register.get_demand_row(session=session, demand_id=duty.demand_id),
                                calendar=calendar, clock=clock)
    if as_json:
        print(output.to_json(data))
        return
    output.stdout().print(f"责任 {data['id']} (需求 {data['demand_id']}): {data['status_label']} ({data['status']})",
                          highlight=False)


@demands_app.command("create")
def create(title: str = typer.Option(..., help="需求名称"), description: str = typer.Option(..., help="需求描述"),
           need: list[str] = typer.Option(..., "--need", help="所需数据: 数据元编号或信息项名称 (可重复)"),
           purpose: str = typer.Option(..., help="用途"), basis: str = typer.Option(..., help="法律依据"),
           scenario: str = typer.Option(None, help="应用场景"),
           wanted_by: str = typer.Option(None, "--wanted-by", help="期望获得日期 YYYY-MM-DD"),
           department: str = typer.Option(None, help="需求部门代码 (省略 = 令牌所属部门)"),
           token: str = TOKEN, as_json: bool = AS_JSON) -> None:
    """登记数据需求, 并显示目录中覆盖它的资源。"""
    tools = _tools()
    with _context(token, write=True) as (session, actor, calendar, clock):
        row = demand_register.create_demand(session=session, actor=actor, calendar=calendar, clock=clock, title=title,
                                     description=description, needs=need, purpose=purpose, basis=basis,
                                     scenario=scenario, wanted_by=wanted_by, requester_code=department, **tools)
        data = demand_register.demand_dict(row, session=session, calendar=calendar, clock=clock)
    _print_demand(data, as_json)


@demands_app.command("list")
def list_demands(status: str = typer.Option(None, help="open matched unmet assigned fulfilled withdrawn"),
                 requester: str = typer.Option(None, help="需求部门代码"),
                 department: str = typer.Option(None, help="责任部门代码"),
                 limit: int = typer.Option(50, min=1, max=500), token: str = TOKEN, as_json: bool = AS_JSON) -> None:
    """列出需求。"""
    with _context(token, write=False) as (session, actor, calendar, clock):
        rows, count = demand_register.list_demands(session=session, actor=actor, status=status, requester_code=requester,
                                            department_code=department, limit=limit)
        data = [demand_register.demand_dict(r, session=session, calendar=calendar, clock=clock) for r in rows]
    if as_json:
        print(output.to_json({"data": data, "count": count}))
        return
    table = Table(title=f"需求清单 demands ({count})")
    for column in ("编号", "名称", "需求部门", "状态", "所需数据", "逾期"):
        table.add_column(column, overflow="fold")
    for d in data:
        table.add_row(str(d["id"]), d["title"], d["requester_code"], d["status_label"],
                      ", ".join(n["name"] for n in d["needs"]), "[red]是[/]" if d["overdue"] else "")
    output.stdout().print(table)


@demands_app.command("show")
def show(demand_id: int, token: str = TOKEN, as_json: bool = AS_JSON) -> None:
    """显示一个需求 (匹配结果、责任)。"""
    with _context(token, write=False) as (session, actor, calendar, clock):
        row = demand_register.get_demand(session=session, actor=actor, demand_id=demand_id)
        data = demand_register.demand_dict(row, session=session, calendar=calendar, clock=clock, with_events=True)
    _print_demand(data, as_json)


@demands_app.command("accept")
def accept(demand_id: int, resource: list[str] = typer.Option(..., "--resource", help="资源代码 (可重复)"),
           period_days: int = typer.Option(..., "--period-days", help="使用期限 (天)"),
           token: str = TOKEN, as_json: bool = AS_JSON) -> None:
    """把匹配结果转为共享申请 (每个资源一个, 信息项预填)。"""
    _demand_step(demand_register.accept_proposals, demand_id, token, as_json, resources=resource, period_days=period_days)


@demands_app.command("unmet")
def unmet(demand_id: int, reason: str = typer.Option(None, help="说明"), token: str = TOKEN,
          as_json: bool = AS_JSON) -> None:
    """确认目录无法满足, 交共享协调机构分派责任部门。"""
    _demand_step(demand_register.declare_unmet, demand_id, token, as_json, reason=reason)


@demands_app.command("rematch")
def rematch(demand_id: int, token: str = TOKEN, as_json: bool = AS_JSON) -> None:
    """按目录现状重新匹配。"""
    _demand_step(demand_register.rematch_demand, demand_id, token, as_json, **_tools())


@demands_app.command("withdraw")
def withdraw(demand_id: int, reason: str = typer.Option(None, help="撤回理由"), token: str = TOKEN,
             as_json: bool = AS_JSON) -> None:
    """撤回需求 (办理中的责任随之关闭)。"""
    _demand_step(demand_register.withdraw_demand, demand_id, token, as_json, reason=reason)


@demands_app.command("assign")
def assign(demand_id: int, department: list[str] = typer.Option(..., "--department", help="责任部门代码 (可重复)"),
           working_days: int = typer.Option(None, "--working-days", help="答复时限 (工作日)"),
           note: str = typer.Option(None, help="分派说明"), token: str = TOKEN, as_json: bool = AS_JSON) -> None:
    """分派责任部门 (共享协调机构)。"""
    _demand_step(duties.assign_demand, demand_id, token, as_json, departments=department, working_days=working_days,
                 note=note)


@demands_app.command("duties")
def list_duties(department: str = typer.Option(None, help="责任部门代码"),
                status: str = typer.Option(None, help="assigned promised refused escalated fulfilled returned upheld "
                                                      "closed"),
                overdue: bool = typer.Option(False, "--overdue", help="只看逾期的"),
                token: str = TOKEN, as_json: bool = AS_JSON) -> None:
    """责任清单。"""
    with _context(token, write=False) as (session, actor, calendar, clock):
        rows, count = duties.list_duties(session=session, actor=actor, calendar=calendar, clock=clock,
                                         department_code=department, status=status,
                                         overdue=True if overdue else None, limit=500)
        data = [duties.duty_dict(d, demand=demand_register.get_demand_row(session=session, demand_id=d.demand_id),
                                 calendar=calendar, clock=clock) for d in rows]
    if as_json:
        print(output.to_json({"data": data, "count": count}))
        return
    table = Table(title=f"责任清单 duties ({count})")
    for column in ("编号", "需求", "责任部门", "状态", "答复期限", "计划提供", "逾期"):
        table.add_column(column, overflow="fold")
    for d in data:
        table.add_row(str(d["id"]), f"{d['demand_id']} {d['demand_title']}", d["department_code"], d["status_label"],
                      d["due_on"], d["target_date"] or "", "[red]是[/]" if d["overdue"] else "")
    output.stdout().print(table)


@demands_app.command("will-provide")
def will_provide(duty_id: int, target_date: str = typer.Option(..., "--target-date", help="计划提供日期 YYYY-MM-DD"),
                 note: str = typer.Option(None, help="说明"), token: str = TOKEN, as_json: bool = AS_JSON) -> None:
    """答复: 承诺提供 (发布覆盖所需数据的资源即满足)。"""
    _duty_step(duties.will_provide, duty_id, token, as_json, target_date=target_date, note=note)


@demands_app.command("cannot")
def cannot(duty_id: int, reason: str = typer.Option(..., help="无法提供的理由"), token: str = TOKEN,
           as_json: bool = AS_JSON) -> None:
    """答复: 无法提供。"""
    _duty_step(duties.cannot_provide, duty_id, token, as_json, reason=reason)


@demands_app.command("not-ours")
def not_ours(duty_id: int, reason: str = typer.Option(..., help="理由 (应由哪个部门提供)"), token: str = TOKEN,
             as_json: bool = AS_JSON) -> None:
    """答复: 非本部门职责 (退回协调机构)。"""
    _duty_step(duties.not_ours, duty_id, token, as_json, reason=reason)


@demands_app.command("escalate")
def escalate(duty_id: int, reason: str = typer.Option(..., help="申请协调的理由"), token: str = TOKEN,
             as_json: bool = AS_JSON) -> None:
    """对“无法提供”申请争议协调 (需求部门)。"""
    _duty_step(duties.escalate_duty, duty_id, token, as_json, reason=reason)


@demands_app.command("arbitrate")
def arbitrate(duty_id: int, outcome: str = typer.Option(..., help="provide (应予提供) | uphold (维持无法提供)"),
              reason: str = typer.Option(..., help="裁决理由"),
              target_date: str = typer.Option(None, "--target-date", help="应予提供时的限定日期"),
              token: str = TOKEN, as_json: bool = AS_JSON) -> None:
    """裁决 (共享协调机构; 终局)。"""
    _duty_step(duties.arbitrate_duty, duty_id, token, as_json, outcome=outcome, reason=reason,
               target_date=target_date)


def register(app: typer.Typer) -> None:
    app.add_typer(demands_app, name="demands")
