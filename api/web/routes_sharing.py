"""Sharing pages: a request's own page (timeline and the steps its viewer may take), the coordinator's
arbitration queue, grants per department with revoke, and data-error feedback (校核).

Every step calls the catalogue function the API calls (`catalog.sharing.*`); which buttons a page shows
is read from the one policy (`catalog.auth.allowed`) and the state table (`catalog.sharing.states`), and
the catalogue still decides when the form arrives.
"""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from api.deps import RowId
from api.web import session as web_session
from api.web.context import database, viewer
from api.web.labels import department_name, standards
from api.web.render import WebRoute, redirect, render, safe_path
from api.web.sharing import sharing_tools
from api.web.timeline import OUTCOME_LABELS, request_timeline
from catalog import registry
from catalog.auth import Actor, allowed, authorize
from catalog.errors import CatalogError, InvalidInput
from catalog.sharing import feedback as share_feedback
from catalog.sharing import grants as share_grants
from catalog.sharing import requests as share_requests
from catalog.sharing.states import TRANSITIONS

router = APIRouter(route_class=WebRoute)
# Ids from forms: a database integer is 64-bit; a larger number is a 400 page naming the field, not a 500.
FormId = Annotated[int, Form(ge=1, le=2**63 - 1)]


def _dept_name(request: Request) -> Any:
    std = standards(request.app.state.catalog)
    return lambda c: department_name(c, std)


def request_actions(actor: Actor, req: dict[str, Any]) -> set[str]:
    """The steps `actor` may take on `req` now: the state table says which exist, the policy who takes them."""
    party_action = {"provider": ("decide_share", req["provider_code"]),
                    "requester": ("withdraw_share", req["requester_code"]),
                    "coordinator": ("arbitrate_share", None)}
    out = set()
    for (state, action), (_, party) in TRANSITIONS.items():
        policy, code = party_action[party]
        if state == req["status"] and allowed(actor, policy, provider_code=code):  # type: ignore[arg-type]
            out.add(action)
    if req["status"] == "pending" and not req["overdue"]:
        out.discard("escalate")  # a pending request may be escalated only once overdue
    return out


@router.get("/requests/{request_id}")
def request_page(request: Request, request_id: RowId) -> Response:
    actor = viewer(request)
    tools = sharing_tools(request)
    with database(request).session() as s:
        row = share_requests.get_request(session=s, actor=actor, request_id=request_id)
        req = share_requests.request_dict(row, calendar=tools.calendar, clock=tools.clock)
        steps = request_timeline(session=s, req=req, calendar=tools.calendar)
        grant = None
        if req["grant_id"]:
            grant = share_grants.grant_dict(share_grants.get_grant(session=s, actor=actor, grant_id=req["grant_id"]),
                                            calendar=tools.calendar, clock=tools.clock)
    return render(request, "request.html", r=req, steps=steps, grant=grant, actions=request_actions(actor, req),
                  outcome_labels=OUTCOME_LABELS, dept_name=_dept_name(request),
                  answer_days=tools.calendar.rules.share_request_answer)


def _days(text: str) -> Any:
    text = text.strip()
    return int(text) if text.isdigit() else (text or None)


@router.post("/act/share-request", dependencies=[Depends(web_session.check_csrf)])
def act_on_request(request: Request, request_id: FormId, action: str = Form(...),
                   reason: str = Form(""), outcome: str = Form(""), items: list[str] = Form(default=[]),
                   period_days: str = Form(""), back: str = Form("")) -> Response:
    """approve / reject (provider), withdraw / escalate (requester), arbitrate (coordinator)."""
    actor = viewer(request)
    tools = sharing_tools(request)
    common = {"session": None, "actor": actor, "calendar": tools.calendar, "clock": tools.clock,
              "request_id": request_id}
    with database(request).transaction() as s:
        common["session"] = s
        if action == "approve":
            share_requests.approve_request(**common, items=items or None, period_days=_days(period_days),
                                           note=reason or None)
            message = f"已同意共享申请 {request_id}，授权已生效"
        elif action == "reject":
            share_requests.reject_request(**common, reason=reason)
            message = f"已拒绝共享申请 {request_id}"
        elif action == "withdraw":
            share_requests.withdraw_request(**common, reason=reason or None)
            message = f"已撤回共享申请 {request_id}"
        elif action == "escalate":
            share_requests.escalate_request(**common, reason=reason)
            message = f"已就共享申请 {request_id} 申请争议协调，等待共享协调机构裁决"
        elif action == "arbitrate":
            share_requests.arbitrate_request(**common, outcome=outcome or None, reason=reason,
                                             items=items or None, period_days=_days(period_days))
            message = f"已裁决共享申请 {request_id}：{OUTCOME_LABELS.get('granted' if outcome == 'grant' else 'upheld')}"
        else:
            raise InvalidInput(f"未知操作 {action!r}，应为 approve、reject、withdraw、escalate 或 arbitrate "
                               "(unknown action)")
    return redirect(request, safe_path(back, f"/requests/{request_id}"), message)


@router.get("/arbitration")
def arbitration_queue(request: Request) -> Response:
    actor = viewer(request)
    authorize(actor, "arbitrate_share")
    tools = sharing_tools(request)
    with database(request).session() as s:
        waiting, _ = share_requests.list_requests(session=s, actor=actor, calendar=tools.calendar,
                                                  clock=tools.clock, status="escalated", limit=500)
        decided, _ = share_requests.list_requests(session=s, actor=actor, calendar=tools.calendar,
                                                  clock=tools.clock, status="arbitrated", limit=50)
        as_dict = [[share_requests.request_dict(r, calendar=tools.calendar, clock=tools.clock) for r in rows]
                   for rows in (waiting, decided)]
    return render(request, "arbitration.html", waiting=as_dict[0], decided=as_dict[1],
                  outcome_labels=OUTCOME_LABELS, dept_name=_dept_name(request))


@router.get("/grants")
def grants_page(request: Request, department_code: str | None = None, review: bool = False) -> Response:
    """A department's grants, given (as provider) and received (as requester); flagged ones first."""
    actor = viewer(request)
    dept = department_code or actor.department_code
    authorize(actor, "read_sharing", provider_code=dept)
    tools = sharing_tools(request)
    sides: dict[str, list[dict[str, Any]]] = {}
    with database(request).session() as s:
        for side in ("provider", "requester"):
            rows, _ = share_grants.list_grants(session=s, actor=actor, calendar=tools.calendar, clock=tools.clock,
                                               department_code=dept, side=side if dept else None,
                                               needs_review=True if review else None, limit=500)
            data = [share_grants.grant_dict(g, calendar=tools.calendar, clock=tools.clock) for g in rows]
            sides[side] = sorted(data, key=lambda g: (not (g["needs_review"] and g["status"] == "active"), -g["id"]))
            if not dept:
                break  # coordinator / auditor without a department: every grant once
        names = {g["resource_code"]: "" for rows in sides.values() for g in rows}
        for code in names:
            try:
                names[code] = registry.get_resource(session=s, actor=actor, code=code).name
            except CatalogError:  # a resource the viewer cannot read shows by its code only
                names[code] = ""
    for rows in sides.values():
        for g in rows:
            g["can_revoke"] = g["status"] == "active" and allowed(actor, "revoke_grant", provider_code=g["provider_code"])
    return render(request, "grants.html", given=sides.get("provider", []), received=sides.get("requester", []),
                  department=dept, resource_names=names, review=review, dept_name=_dept_name(request))


@router.post("/act/grant-revoke", dependencies=[Depends(web_session.check_csrf)])
def revoke(request: Request, grant_id: FormId, reason: str = Form(""), back: str = Form("")) -> Response:
    actor = viewer(request)
    tools = sharing_tools(request)
    with database(request).transaction() as s:
        share_grants.revoke_grant(session=s, actor=actor, calendar=tools.calendar, clock=tools.clock,
                                  grant_id=grant_id, reason=reason)
    return redirect(request, safe_path(back, "/grants"), f"已撤销授权 {grant_id}")


@router.get("/feedback")
def feedback_page(request: Request) -> Response:
    """Incoming reports (the department is the provider) with answer forms; outgoing ones; all for overseers."""
    actor = viewer(request)
    authorize(actor, "read_sharing", provider_code=actor.department_code)
    tools = sharing_tools(request)
    dept = actor.department_code
    with database(request).session() as s:
        def listed(**where: Any) -> list[dict[str, Any]]:
            rows, _ = share_feedback.list_reports(session=s, actor=actor, calendar=tools.calendar,
                                                  clock=tools.clock, limit=500, **where)
            return [share_feedback.report_dict(r, calendar=tools.calendar, clock=tools.clock) for r in rows]
        incoming = listed(provider_code=dept) if dept else listed()
        outgoing = listed(reporter_code=dept) if dept else []
    for rep in incoming:
        rep["can_answer"] = rep["status"] == "open" and allowed(actor, "answer_error", provider_code=rep["provider_code"])
    return render(request, "feedback.html", incoming=incoming, outgoing=outgoing, department=dept,
                  answer_days=tools.calendar.rules.feedback_answer, dept_name=_dept_name(request))


@router.post("/act/feedback", dependencies=[Depends(web_session.check_csrf)])
def report_error(request: Request, code: str = Form(...), item: str = Form(""),
                 description: str = Form("")) -> Response:
    actor = viewer(request)
    tools = sharing_tools(request)
    with database(request).transaction() as s:
        rep = share_feedback.create_report(session=s, actor=actor, calendar=tools.calendar, clock=tools.clock,
                                           resource_code=code, item=item or None, description=description)
        due = rep.due_on
    return redirect(request, f"/r/{code}#feedback", f"纠错反馈已提交，提供方应在 {due} 前答复")


@router.post("/act/feedback-answer", dependencies=[Depends(web_session.check_csrf)])
def answer_error(request: Request, report_id: FormId, outcome: str = Form(""), answer: str = Form(""),
                 back: str = Form("")) -> Response:
    actor = viewer(request)
    tools = sharing_tools(request)
    with database(request).transaction() as s:
        share_feedback.answer_report(session=s, actor=actor, calendar=tools.calendar, clock=tools.clock,
                                     report_id=report_id, outcome=outcome or None, answer=answer)
    label = share_feedback.STATUS_LABELS.get(outcome, outcome)
    return redirect(request, safe_path(back, "/feedback"), f"已答复纠错反馈 {report_id}：{label}")
