"""Coordinator and auditor pages: the review queue, overdue share requests, the performance report
with a bar chart per department, and the audit log with its hash-chain verification."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import Response

from api.web.context import database, viewer
from api.web.labels import department_name, standards
from api.web import session as web_session
from api.web.render import WebRoute, redirect, render
from api.web.sharing import sharing_tools
from api.web.svg import bar_chart
from catalog import audit_log, stats
from catalog.auth import authorize
from catalog.lifecycle_bulk import bulk_change_state
from catalog.listing import ResourceFilter, list_resources
from catalog.sharing import requests as share_requests

router = APIRouter(route_class=WebRoute)


@router.get("/review")
def review_queue(request: Request) -> Response:
    actor = viewer(request)
    authorize(actor, "publish")
    std = standards(request.app.state.catalog)
    with database(request).session() as s:
        rows, total = list_resources(session=s, actor=actor, filters=ResourceFilter(state="submitted"), limit=200)
    return render(request, "review.html", rows=rows, total=total, dept_name=lambda c: department_name(c, std))


@router.post("/review/bulk", dependencies=[Depends(web_session.check_csrf)])
def review_selection(request: Request, action: str = Form(...), codes: list[str] = Form(default=[]),
                     reason: str = Form("")) -> Response:
    """Publish or reject the selected submissions at once (catalog.lifecycle_bulk), a result per record."""
    actor = viewer(request)
    authorize(actor, "publish")
    if action not in ("publish", "reject"):
        return redirect(request, "/review", "未知操作")
    if not codes:
        return redirect(request, "/review", "请先勾选要处理的资源")
    result = bulk_change_state(db=database(request), actor=actor, action=action, codes=codes,
                               reason=reason or None)
    verb = "发布" if action == "publish" else "退回"
    failed = [r for r in result.results if not r["ok"]]
    note = f"已{verb} {result.done} 条" + (f"；{len(failed)} 条未处理：{failed[0]['message']}" if failed else "")
    return redirect(request, "/review", note)


@router.get("/overdue")
def overdue_requests(request: Request) -> Response:
    actor = viewer(request)
    authorize(actor, "read_sharing")  # coordinators and auditors see every department; stewards their own
    tools = sharing_tools(request)
    std = standards(request.app.state.catalog)
    with database(request).session() as s:
        rows, total = share_requests.list_requests(session=s, actor=actor, calendar=tools.calendar,
                                                   clock=tools.clock, overdue=True, limit=500)
        data = [share_requests.request_dict(r, calendar=tools.calendar, clock=tools.clock) for r in rows]
    return render(request, "overdue.html", rows=data, total=total, dept_name=lambda c: department_name(c, std),
                  answer_days=tools.calendar.rules.share_request_answer)


@router.get("/report")
def performance_report(request: Request) -> Response:
    actor = viewer(request)
    authorize(actor, "read_audit_log")  # the evaluation is for coordinators and auditors
    tools = sharing_tools(request)
    std = standards(request.app.state.catalog)
    with database(request).session() as s:
        report = stats.performance_report(session=s, calendar=tools.calendar, clock=tools.clock, standards=std)
    depts = [d for d in report["departments"] if d["resources"]["total"] or d["requests"]["received"]]
    label = lambda d: d["department"] or d["department_code"]  # noqa: E731
    resources_chart = bar_chart([(label(d), d["resources"]["total"], str(d["resources"]["total"])) for d in depts])
    ontime = [d for d in depts if d["requests"]["answered"]]
    ontime_chart = bar_chart([(label(d), round(100 * d["requests"]["on_time_rate"], 1),
                               f"{100 * d['requests']['on_time_rate']:.0f}%") for d in ontime], maximum=100)
    compliance = [d for d in depts if d["compliance"]["audited"]]
    compliance_chart = bar_chart([(label(d), round(100 * (d["compliance"]["rate"] or 0), 1),
                                   f"{100 * (d['compliance']['rate'] or 0):.0f}%") for d in compliance], maximum=100)
    return render(request, "report.html", report=report, depts=depts, resources_chart=resources_chart,
                  ontime_chart=ontime_chart, compliance_chart=compliance_chart)


@router.get("/audit")
def audit_page(request: Request, page: int = Query(1, ge=1, le=100_000)) -> Response:
    actor = viewer(request)
    authorize(actor, "read_audit_log")
    size = 50
    with database(request).session() as s:
        check = audit_log.verify_chain(session=s)
        entries, total = audit_log.list_entries(session=s, limit=size, offset=(page - 1) * size)
    return render(request, "audit.html", check=check, entries=entries, total=total, page=page,
                  last=max(1, -(-total // size)))
