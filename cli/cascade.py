"""`mulu cascade push|pull|status|reports|register|reject`: 目录级联 from the terminal (local access = admin).

push and pull talk to the upstream named by MULU_UPSTREAM_URL with MULU_UPSTREAM_TOKEN; the others read
or decide on this level's own database.
"""
from __future__ import annotations

import typer

from catalog.auth import SYSTEM
from catalog.cascade import intake
from catalog.cascade.rounds import push_round, return_round, verdict_round
from catalog.cascade.status import cascade_status
from catalog.cascade.upstream import Upstream
from catalog.errors import CatalogError
from catalog.settings import Settings, get_settings
from cli import output
from cli.serve import open_db

cascade_app = typer.Typer(help="目录级联 cascade: 上报 (push up) 与回流 (return down)", no_args_is_help=True)


def _upstream(settings: Settings) -> Upstream:
    if not settings.upstream_url:
        output.fail("未配置上级目录：请设置 MULU_UPSTREAM_URL 和 MULU_UPSTREAM_TOKEN (no upstream configured)")
    if not settings.upstream_token:
        output.fail("未配置上级令牌 MULU_UPSTREAM_TOKEN（由上级用 mulu token create --role downstream 签发）")
    return Upstream(settings.upstream_url, settings.upstream_token)


@cascade_app.command("push")
def push(batch: int = typer.Option(200, min=1, max=1000, help="每批条数")) -> None:
    """把上次确认之后的发布、更新、撤回推送到上级（可重复执行：已送达的不会重复）。"""
    settings = get_settings()
    db, up = open_db(settings), _upstream(settings)
    err = output.stderr()
    err.print(f"本级 {settings.level} {settings.region} → 上级 {up.url}", highlight=False)
    try:
        summary = push_round(db=db, upstream=up, level=settings.level, region=settings.region, batch=batch)
        verdicts = verdict_round(db=db, upstream=up)
    except CatalogError as exc:
        output.fail(exc.message, code=3)
    finally:
        up.close()
    print(f"已推送 pushed {summary.sent} 条（{summary.batches} 批；上级新处理 {summary.applied}，"
          f"已处理过 {summary.skipped}）；游标 cursor {summary.cursor}；更新审核结论 {verdicts} 条")


@cascade_app.command("pull")
def pull() -> None:
    """回流：按 MULU_RETURN_CLASSIFICATIONS 订阅的分类，拉取上级目录的记录（只读），并更新审核结论。"""
    settings = get_settings()
    db, up = open_db(settings), _upstream(settings)
    try:
        verdicts = verdict_round(db=db, upstream=up)
        result = return_round(db=db, upstream=up, classifications=settings.return_classifications) \
            if settings.return_classifications else None
    except CatalogError as exc:
        output.fail(exc.message, code=3)
    finally:
        up.close()
    if result is None:
        print(f"未订阅回流分类（MULU_RETURN_CLASSIFICATIONS 为空）；更新审核结论 {verdicts} 条")
        return
    print(f"回流 returned: 新增或更新 {result.applied} 条，撤回 {result.withdrawn} 条，"
          f"不符合本级标准 {len(result.refused)} 条；更新审核结论 {verdicts} 条")
    for refused in result.refused[:20]:
        print(f"  未接收 {refused['code']}: " + "; ".join(f["message"] for f in refused["findings"][:3]))


@cascade_app.command("status")
def status(state: str = typer.Option(None, help="reported | registered | rejected | withdrawn"),
           as_json: bool = typer.Option(False, "--json", help="JSON 输出")) -> None:
    """本级上报记录在上级的结论，和级联游标。"""
    settings = get_settings()
    db = open_db(settings)
    with db.session() as session:
        data = cascade_status(session=session, actor=SYSTEM, level=settings.level, region=settings.region,
                              upstream=settings.upstream_url, state=state, limit=500)
    if as_json:
        print(output.to_json(data))
        return
    print(f"本级 {data['level']} {data['region']}；上级 {data['upstream'] or '（未配置）'}")
    print("结论 verdicts: " + ("，".join(f"{k} {v}" for k, v in sorted(data["counts"].items())) or "无"))
    for v in data["data"]:
        print(f"  {v['code']}  {v['state']:<10}  上级代码 {v['upstream_code'] or '-'}  {v['reason'] or ''}")


@cascade_app.command("reports")
def reports(state: str = typer.Option("reported", help="reported | registered | rejected | withdrawn"),
            as_json: bool = typer.Option(False, "--json", help="JSON 输出")) -> None:
    """下级上报到本级、待注册（或其他状态）的记录。"""
    db = open_db()
    with db.session() as session:
        rows, count = intake.list_reports(session=session, actor=SYSTEM, state=state, limit=500)
        data = [intake.report_dict(r) for r in rows]
    if as_json:
        print(output.to_json({"data": data, "count": count}))
        return
    print(f"共 {count} 条（{state}）")
    for r in data:
        print(f"  #{r['id']}  {r['origin']}  {r['origin_code']} v{r['origin_version']}  {r['name']}")


@cascade_app.command("register")
def register_reports(report_ids: list[int] = typer.Argument(..., help="上报记录编号"),
             all_reported: bool = typer.Option(False, "--all", help="注册全部待注册记录（忽略编号）")) -> None:
    """注册下级上报的记录：成为本级已发布资源，保留来源。"""
    db = open_db()
    ids = list(report_ids)
    if all_reported:
        with db.session() as session:
            ids = [r.id for r in intake.list_reports(session=session, actor=SYSTEM, state="reported",
                                                     limit=500)[0] if r.id is not None]
    failed = 0
    for report_id in ids:
        try:
            with db.transaction() as session:
                report = intake.register_report(session=session, actor=SYSTEM, report_id=report_id)
                print(f"已注册 #{report_id} → {report.local_code}")
        except CatalogError as exc:
            failed += 1
            output.stderr().print(f"未注册 #{report_id}：{exc.message}", highlight=False)
    raise typer.Exit(1 if failed else 0)


@cascade_app.command("reject")
def reject(report_id: int = typer.Argument(...), reason: str = typer.Option(..., help="退回理由")) -> None:
    """退回下级上报的记录（下级会看到理由）。"""
    db = open_db()
    try:
        with db.transaction() as session:
            intake.reject_report(session=session, actor=SYSTEM, report_id=report_id, reason=reason)
    except CatalogError as exc:
        output.fail(exc.message, code=1)
    print(f"已退回 #{report_id}")


def register(app: typer.Typer) -> None:
    app.add_typer(cascade_app, name="cascade")
