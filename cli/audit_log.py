"""`mulu audit-log verify` (exit 1 naming the first broken entry) and `mulu audit-log list`."""
from __future__ import annotations

import typer

from catalog import audit_log
from cli import output
from cli.context import open_db

audit_log_app = typer.Typer(help="审计日志 audit log", no_args_is_help=True)


@audit_log_app.command("verify")
def verify() -> None:
    """重新计算哈希链；发现被修改或删除的条目时退出码 1。"""
    db = open_db()
    with db.session() as session:
        check = audit_log.verify_chain(session=session)
    if check.ok:
        output.stdout().print(f"审计日志完好 chain ok：{check.checked} 条", highlight=False)
        return
    output.fail(f"审计日志第 {check.broken_id} 条被破坏：{check.reason}（已核对 {check.checked} 条）", code=output.EXIT_FINDINGS)


@audit_log_app.command("list")
def list_(resource_code: str = typer.Option(None, help="只看某资源"),
          limit: int = typer.Option(50, min=1, max=1000)) -> None:
    """最近的审计条目（JSON）。"""
    db = open_db()
    with db.session() as session:
        rows, count = audit_log.list_entries(session=session, resource_code=resource_code, limit=limit)
        print(output.to_json({"data": [audit_log.entry_dict(e) for e in rows], "count": count}))


def register(app: typer.Typer) -> None:
    app.add_typer(audit_log_app, name="audit-log")
