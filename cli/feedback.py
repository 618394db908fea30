"""`mulu feedback list|create|answer`: data-error feedback (校核), on the local database or a server."""
from __future__ import annotations

from typing import Any

import typer

from catalog.sharing import feedback
from cli import output
from cli.catalogue import SERVER, TOKEN
from cli.requests import params
from cli.sharing_context import through

feedback_app = typer.Typer(help="数据纠错反馈 (校核) feedback", no_args_is_help=True)


@feedback_app.command("list")
def list_feedback(status: str = typer.Option(None, help="open | corrected | not_an_error"),
                  overdue: bool = typer.Option(False, "--overdue"), server: str = SERVER,
                  token: str = TOKEN) -> None:
    """列出纠错反馈 (JSON)。"""
    query = params(status=status, overdue=True if overdue else None, limit=500)

    def local_call(session: Any, actor: Any, calendar: Any, clock: Any) -> dict[str, Any]:
        rows, count = feedback.list_reports(session=session, actor=actor, calendar=calendar, clock=clock, **query)
        return {"data": [feedback.report_dict(r, calendar=calendar, clock=clock) for r in rows], "count": count}

    print(output.to_json(through(server, token, write=False, method="GET", path="/feedback", params=query,
                                 local_call=local_call)))


@feedback_app.command("create")
def create_feedback(resource_code: str, description: str = typer.Option(..., help="错误描述"),
                    item: str = typer.Option(None, help="有误的信息项标识符"),
                    department: str = typer.Option(None, help="报告部门代码 (省略 = 令牌所属部门)"),
                    server: str = SERVER, token: str = TOKEN) -> None:
    """报告共享数据中的错误。"""
    fields = {"resource_code": resource_code, "description": description, "item": item,
              "reporter_code": department}
    print(output.to_json(through(
        server, token, write=True, method="POST", path="/feedback", json=fields,
        local_call=lambda session, actor, calendar, clock: feedback.report_dict(feedback.create_report(
            session=session, actor=actor, calendar=calendar, clock=clock, **fields), calendar=calendar, clock=clock))))


@feedback_app.command("answer")
def answer_feedback(report_id: int, outcome: str = typer.Option(..., help="corrected | not_an_error"),
                    answer: str = typer.Option(..., help="答复说明"), server: str = SERVER,
                    token: str = TOKEN) -> None:
    """答复纠错反馈 (提供方数据管理员)。"""
    fields = {"outcome": outcome, "answer": answer}
    print(output.to_json(through(
        server, token, write=True, method="POST", path=f"/feedback/{report_id}/answer", json=fields,
        local_call=lambda session, actor, calendar, clock: feedback.report_dict(feedback.answer_report(
            session=session, actor=actor, calendar=calendar, clock=clock, report_id=report_id, **fields),
            calendar=calendar, clock=clock))))


def register(app: typer.Typer) -> None:
    app.add_typer(feedback_app, name="feedback")
