"""`mulu elements redundancy`, `mulu sources list|set|reset|exempt|unexempt`, `mulu scenarios list|show`.

一数一源 and 联办 scenarios from the terminal; the same domain functions as the API (catalog.sources).
Acts as the user of `--token` (or MULU_TOKEN); without one, local access acts as admin (`system`).
"""
from __future__ import annotations

from typing import Any

import typer
from rich.table import Table

from catalog.departments import registry_standards
from catalog.sources import authority, redundancy, scenarios
from catalog.sources.index import source_index
from cli import output
from cli.catalogue import TOKEN
from cli.sharing_context import AS_JSON, sharing as _context

elements_app = typer.Typer(help="数据元 data elements", no_args_is_help=True)
sources_app = typer.Typer(help="数据元权威来源（一数一源）authoritative sources", no_args_is_help=True)
scenarios_app = typer.Typer(help="联办场景（一件事一次办）joint-service scenarios", no_args_is_help=True)

STATUS = {"authoritative": "权威", "duplicate": "重复", "exempt": "豁免", "no-authority": "持有"}
NEED = {"own": "本部门权威", "shared": "共享获取", "available": "可申请共享", "manual": "手工录入"}


@elements_app.command("redundancy")
def redundancy_map(element: str = typer.Option(None, help="数据元标识、名称或英文标识符"),
                   department: str = typer.Option(None, help="只看涉及此部门的数据元"),
                   duplicates: bool = typer.Option(False, "--duplicates", help="只看有重复采集的数据元"),
                   sort: str = typer.Option("departments", help="departments | duplicates | element"),
                   token: str = TOKEN, as_json: bool = AS_JSON) -> None:
    """冗余采集图：每个数据元由哪些部门的资源持有，哪个部门是权威来源。"""
    with _context(token, write=False) as (session, actor, _calendar, _clock):
        standards = registry_standards(session=session)
        rows = redundancy.visible_resources(session=session, actor=actor)
        data = redundancy.redundancy_map(resources=rows, standards=standards, element=element,
                                         department=department, only_duplicates=duplicates, sort=sort)
    if as_json:
        print(output.to_json(data))
        return
    names = {d["code"]: d["name"] for d in data["departments"]}
    table = Table(title="冗余采集图 redundancy map")
    for column in ("数据元", "名称", "权威部门", "持有部门", "重复", "豁免", "部门（状态）"):
        table.add_column(column)
    for row in data["elements"]:
        auth = row["authority"]
        carriers = "、".join(f"{names.get(c['department_code'], c['department_code'])}（{STATUS[c['status']]}）"
                            for c in row["carriers"])
        table.add_row(row["element"], row["name"], names.get(auth["department_code"], auth["department_code"])
                      if auth else "—", str(row["departments"]), str(row["duplicates"]), str(row["exempt"]), carriers)
    out = output.stdout()
    out.print(table)
    t = data["totals"]
    out.print(f"数据元 {t['elements']}（有权威来源 {t['with_authority']}），重复采集 {t['duplicate_cells']} 处，"
              f"豁免 {t['exempt_cells']} 处", highlight=False)


@sources_app.command("list")
def list_sources(department: str = typer.Option(None, help="只看一个部门"), token: str = TOKEN,
                 as_json: bool = AS_JSON) -> None:
    """列出数据元的权威来源与各部门登记的采集依据（豁免）。"""
    with _context(token, write=False) as (session, _actor, _calendar, _clock):
        standards = registry_standards(session=session)
        data = authority.sources_listing(index=source_index(standards), standards=standards,
                                         department_code=department)
    if as_json:
        print(output.to_json(data))
        return
    table = Table(title="权威来源 authoritative sources")
    for column in ("数据元", "名称", "权威部门", "权威资源", "来源"):
        table.add_column(column)
    for s in data["sources"]:
        table.add_row(s["element"], s["element_name"] or "", s["department"],
                      f"{s['resource_code'] or '—'} {s['resource_name'] or ''}".strip(),
                      "标准文件" if s["origin"] == "standard" else "数据库设置")
    out = output.stdout()
    out.print(table)
    if data["exemptions"]:
        ex = Table(title="采集依据（豁免）exemptions")
        for column in ("编号", "部门", "数据元", "依据"):
            ex.add_column(column)
        for e in data["exemptions"]:
            ex.add_row(str(e["id"] or "—"), e["department"], f"{e['element']} {e['element_name'] or ''}", e["basis"])
        out.print(ex)


@sources_app.command("set")
def set_source(element: str = typer.Argument(..., help="数据元标识，如 DE0031"),
               department: str = typer.Argument(..., help="权威部门代码"),
               resource: str = typer.Option(None, help="权威资源代码（已登记时）"),
               note: str = typer.Option(None, help="说明"), token: str = TOKEN, as_json: bool = AS_JSON) -> None:
    """设置数据元的权威来源（协调员）。"""
    with _context(token, write=True) as (session, actor, _calendar, _clock):
        source = authority.set_source(session=session, actor=actor, standards=registry_standards(session=session),
                                      element=element, department_code=department, resource_code=resource, note=note)
        data = source.to_dict()
    if as_json:
        print(output.to_json(data))
    else:
        output.stdout().print(f"已设置 {element} 的权威来源：{department} {data['resource_code'] or ''}".strip(),
                              highlight=False)


@sources_app.command("reset")
def reset_source(element: str = typer.Argument(..., help="数据元标识"), token: str = TOKEN) -> None:
    """撤销数据库中的设置，恢复标准文件的默认值（协调员）。"""
    with _context(token, write=True) as (session, actor, _calendar, _clock):
        authority.reset_source(session=session, actor=actor, standards=registry_standards(session=session),
                               element=element)
    output.stdout().print(f"已恢复 {element} 的默认权威来源", highlight=False)


@sources_app.command("exempt")
def exempt(department: str = typer.Argument(..., help="自行采集的部门代码"),
           element: str = typer.Argument(..., help="数据元标识"),
           basis: str = typer.Option(..., help="自行采集的法律依据"), token: str = TOKEN,
           as_json: bool = AS_JSON) -> None:
    """登记采集依据（豁免）：该部门依法自行采集此数据元，不再提示重复采集。"""
    with _context(token, write=True) as (session, actor, _calendar, _clock):
        row = authority.add_exemption(session=session, actor=actor, standards=registry_standards(session=session),
                                      department_code=department, element=element, basis=basis)
    if as_json:
        print(output.to_json(row.to_dict()))
    else:
        output.stdout().print(f"已登记采集依据 {row.id}：{department} {element}", highlight=False)


@sources_app.command("unexempt")
def unexempt(exemption_id: int = typer.Argument(..., help="采集依据编号"), token: str = TOKEN) -> None:
    """撤销采集依据（豁免）。"""
    with _context(token, write=True) as (session, actor, _calendar, _clock):
        authority.remove_exemption(session=session, actor=actor, exemption_id=exemption_id)
    output.stdout().print(f"已撤销采集依据 {exemption_id}", highlight=False)


@scenarios_app.command("list")
def list_scenarios(token: str = TOKEN, as_json: bool = AS_JSON) -> None:
    """列出联办场景。"""
    with _context(token, write=False) as (session, _actor, _calendar, _clock):
        rows = scenarios.scenario_list(standards=registry_standards(session=session))
    if as_json:
        print(output.to_json(rows))
        return
    for row in rows:
        output.stdout().print(f"{row['name']}  {row['title']}（{row['steps']} 个环节）", highlight=False)


def _figures(label: str, t: dict[str, Any]) -> str:
    per_year = f"（每年 {t['fields_shared_per_year']:,} 项）" if t["fields_shared_per_year"] is not None else ""
    return (f"{label}：每件共享获取 {t['fields_shared']} 项{per_year}、手工录入 {t['fields_rekeyed']} 项；"
            f"材料 {t['documents_before']} → {t['documents_after']} 份；"
            f"时限 {t['working_days_before']} → {t['working_days_after']} 个工作日")


@scenarios_app.command("show")
def show_scenario(name: str = typer.Argument(..., help="场景名称，见 mulu scenarios list"), token: str = TOKEN,
                  as_json: bool = AS_JSON) -> None:
    """一个联办场景：各环节所需数据由谁提供、是否已有授权、哪些仍需手工录入、哪些材料不再提交。"""
    with _context(token, write=False) as (session, _actor, calendar, clock):
        data = scenarios.scenario_report(session=session, standards=registry_standards(session=session),
                                         today=calendar.local_date(clock.now()), name=name)
    if as_json:
        print(output.to_json(data))
        return
    out = output.stdout()
    out.print(f"[bold]{data['title']}[/]（{data['name']}，截至 {data['as_of']}）", highlight=False)
    for step in data["steps"]:
        table = Table(title=f"{step['number']}. {step['label']} {step['name']} — {step['department']}，"
                            f"{step['working_days']} 个工作日", title_justify="left")
        for column in ("数据元", "名称", "来源", "资源", "授权"):
            table.add_column(column)
        for n in step["needs"]:
            res = n["resource"] or {}
            table.add_row(n["element"], n["name"], NEED[n["status"]], f"{res.get('code', '')} {res.get('name', '')}".strip(),
                          str(n["grant_id"] or ""))
        out.print(table)
        docs = "；".join(f"{d['name']}{'（不再提交）' if d['no_longer_brought'] else ''}" for d in step["documents"])
        out.print(f"  材料：{docs}", highlight=False)
    out.print(_figures("当前", data["totals"]), highlight=False)
    out.print(_figures("全部授权后", data["potential"]), highlight=False)
    for r in data["share_requests_needed"]:
        out.print(f"  待申请共享：{r['requester_code']} → {r['resource_code']}", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(elements_app, name="elements")
    app.add_typer(sources_app, name="sources")
    app.add_typer(scenarios_app, name="scenarios")
