"""The resource page: core metadata, items with their data elements, interface contract, versions and
diffs, related resources as a graph, grants, and the "request access" form."""
from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from api.web import session as web_session
from api.web.context import database, optional_viewer, viewer
from api.web.labels import classification_path, department_name, standards
from api.web.related import neighbourhood
from api.web.render import WebRoute, redirect, render, safe_path
from api.web.sharing import sharing_tools
from api.web.svg import related_graph
from catalog import registry, versions
from catalog.auth import Actor, allowed
from catalog.cascade.models import UpstreamVerdict
from catalog.cascade.origins import origin_of
from catalog.cascade.states import LABELS as CASCADE_LABELS
from api.deps import MAX_DB_INT
from catalog.errors import InvalidInput, InvalidParameter
from catalog.findings import Finding
from catalog.sharing import feedback as share_feedback
from catalog.sharing import grants as share_grants
from catalog.sharing import requests as share_requests

router = APIRouter(route_class=WebRoute)

# A visitor who has not signed in reads as a developer would: published resources only.
ANONYMOUS = Actor(name="访客", role="developer")


def _pretty(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False)


def _diff_spec(text: str | None, latest: int) -> tuple[int, int] | None:
    if not text:
        return None
    old, _, new = text.partition("..")
    try:
        a, b = int(old), int(new or latest)
    except ValueError:
        raise InvalidInput(f"diff 参数应为 旧版本..新版本，如 1..2，收到 {text!r}") from None
    if not (1 <= a <= MAX_DB_INT and 1 <= b <= MAX_DB_INT):
        raise InvalidParameter(f"diff 参数的版本号应在 1–{MAX_DB_INT} 之间，收到 {text!r} (diff out of range)",
                               findings=[Finding("request-less_than_equal", "error", "/query/diff",
                                                 f"版本号超出范围：{text}")])
    return a, b


@router.get("/r/{code:path}")
def resource_page(request: Request, code: str, diff: str | None = None) -> Response:
    actor = optional_viewer(request) or ANONYMOUS
    std = standards(request.app.state.catalog)
    db = database(request)
    with db.session() as s:
        row = registry.get_resource(session=s, actor=actor, code=code)
        record = dict(row.record or {})
        history = versions.list_versions(session=s, actor=actor, code=code)
        spec = _diff_spec(diff, row.version)
        changes = versions.diff_versions(session=s, actor=actor, code=code, old=spec[0], new=spec[1]) \
            if spec else None
        near = neighbourhood(session=s, actor=actor, code=code)
        origin = origin_of(session=s, code=code)  # 目录级联: a record of another level (read-only here)
        verdict = s.get(UpstreamVerdict, code)
        tools = sharing_tools(request)
        grants_shown: list[dict[str, Any]] = []
        my_requests: list[dict[str, Any]] = []
        reports: list[dict[str, Any]] = []
        if actor is not ANONYMOUS:
            found, _ = share_feedback.list_reports(session=s, actor=actor, calendar=tools.calendar,
                                                   clock=tools.clock, resource_code=code, limit=50)
            reports = [share_feedback.report_dict(r, calendar=tools.calendar, clock=tools.clock) for r in found]
            rows, _ = share_grants.list_grants(session=s, actor=actor, calendar=tools.calendar,
                                               clock=tools.clock, resource_code=code, limit=50)
            grants_shown = [share_grants.grant_dict(g, calendar=tools.calendar, clock=tools.clock) for g in rows]
            if actor.department_code:
                reqs, _ = share_requests.list_requests(
                    session=s, actor=actor, calendar=tools.calendar, clock=tools.clock, resource_code=code,
                    requester_code=actor.department_code, limit=20)
                my_requests = [share_requests.request_dict(r, calendar=tools.calendar, clock=tools.clock)
                               for r in reqs]
    items = []
    for item in record.get("items") or []:
        if not isinstance(item, dict):
            continue
        element = std.elements.get(str(item.get("element") or ""))
        dtype = std.data_types.get(str(item.get("data_type") or ""), {})
        items.append({**item, "element_name": element["name"] if element else None,
                      "element_known": element is not None, "type_name": dtype.get("name", "")})
    interface = record.get("interface") if isinstance(record.get("interface"), dict) else None
    operations = []
    for op in (interface or {}).get("operations") or []:
        if isinstance(op, dict):
            operations.append({**op, "request_json": _pretty(op.get("request")) if op.get("request") else "",
                               "response_json": _pretty(op.get("response")) if op.get("response") else ""})
    open_request = any(r["status"] in share_requests.OPEN for r in my_requests)
    can_request = (actor.role == "steward" and actor.department_code not in (None, row.provider_code)
                   and row.state == "published" and not open_request)
    can_submit = row.state == "draft" and allowed(actor, "submit", provider_code=row.provider_code)
    can_review = row.state == "submitted" and allowed(actor, "publish", provider_code=row.provider_code)
    can_withdraw = (row.state == "published" and allowed(actor, "withdraw", provider_code=row.provider_code)
                    and origin is None)
    can_edit = (row.state in registry.EDITABLE and allowed(actor, "update", provider_code=row.provider_code)
                and origin is None)
    can_report = (row.state == "published" and actor.department_code not in (None, row.provider_code)
                  and allowed(actor, "report_error", provider_code=actor.department_code))
    return render(
        request, "resource.html", row=row, record=record, items=items, interface=interface,
        operations=operations, history=history, changes=changes, diff_spec=spec,
        classification=classification_path(row.classification, std),
        provider_name=department_name(row.provider_code, std),
        graph=related_graph(code, near) if len(near) > 1 else None, related_nodes=near,
        grants=grants_shown, my_requests=my_requests, can_request=can_request, can_submit=can_submit,
        can_review=can_review, can_withdraw=can_withdraw, can_edit=can_edit, can_report=can_report,
        reports=reports, feedback_days=tools.calendar.rules.feedback_answer,
        item_identifiers=[i.get("identifier") for i in items if i.get("identifier")],
        max_period_days=tools.calendar.rules.max_period_days, dept_name=lambda c: department_name(c, std),
        pretty=_pretty, origin=origin, verdict=verdict,
        verdict_label=CASCADE_LABELS.get(verdict.state, verdict.state) if verdict else "",
    )


@router.post("/act/resource", dependencies=[Depends(web_session.check_csrf)])
def change_state(request: Request, code: str = Form(...), action: str = Form(...), reason: str = Form(""),
                 etag: str = Form(""), back: str = Form("")) -> Response:
    """submit / publish / reject / withdraw from a page: the registry's one lifecycle function."""
    actor = viewer(request)
    with database(request).transaction() as s:
        registry.change_state(session=s, actor=actor, code=code, action=action, reason=reason or None,
                              if_match=etag or None)
    done = {"submit": "已提交审核", "publish": "已发布", "reject": "已退回修改", "withdraw": "已撤回"}
    return redirect(request, safe_path(back, f"/r/{code}"), done.get(action, "已完成"))


@router.post("/act/request-access", dependencies=[Depends(web_session.check_csrf)])
def request_access(request: Request, code: str = Form(...), purpose: str = Form(""), basis: str = Form(""),
                   period_days: str = Form(""), items: list[str] = Form(default=[])) -> Response:
    """A steward's department asks for a published resource (catalog.sharing.requests.create_request)."""
    actor = viewer(request)
    tools = sharing_tools(request)
    days: Any = int(period_days) if period_days.strip().isdigit() else (period_days or None)
    with database(request).transaction() as s:
        req = share_requests.create_request(
            session=s, actor=actor, calendar=tools.calendar, clock=tools.clock, resource_code=code,
            purpose=purpose, basis=basis, items=items or None, period_days=days)
        status = req.status
    label = {"pending": "申请已提交，等待提供方答复", "approved": "无条件共享：已自动授权",
             "refused": "不予共享：申请未通过"}.get(status, "申请已提交")
    return redirect(request, f"/r/{code}#requests", label)

