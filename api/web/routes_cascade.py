"""目录级联 pages: the coordinator's queue of records reported from below (register / reject), and the
upstream's verdicts on this level's own records."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from api.web import session as web_session
from api.web.context import database, viewer
from api.web.labels import department_name, standards
from api.web.render import WebRoute, redirect, render
from catalog.cascade import intake, states
from catalog.cascade.status import cascade_status

router = APIRouter(route_class=WebRoute)


@router.get("/cascade")
def cascade_page(request: Request, state: str = "reported") -> Response:
    actor = viewer(request)
    settings = request.app.state.settings
    std = standards(request.app.state.catalog)
    state = state if state in states.STATES else "reported"
    with database(request).session() as s:
        rows, total = intake.list_reports(session=s, actor=actor, state=state, limit=200)
        reports = [intake.report_dict(r) for r in rows]
        mine = cascade_status(session=s, actor=actor, level=settings.level, region=settings.region,
                              upstream=settings.upstream_url, limit=200)
    return render(request, "cascade.html", reports=reports, total=total, state=state, labels=states.LABELS,
                  mine=mine, dept_name=lambda c: department_name(c, std))


@router.post("/act/cascade", dependencies=[Depends(web_session.check_csrf)])
def decide(request: Request, report_id: int = Form(..., ge=1, le=2**63 - 1), action: str = Form(...),
           reason: str = Form("")) -> Response:
    actor = viewer(request)
    with database(request).transaction() as s:
        if action == "register":
            report = intake.register_report(session=s, actor=actor, report_id=report_id)
            done = f"已注册，本级代码 {report.local_code}"
        else:
            intake.reject_report(session=s, actor=actor, report_id=report_id, reason=reason)
            done = "已退回，下级将看到理由"
    return redirect(request, "/cascade", done)
