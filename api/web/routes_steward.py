"""Steward pages: register a resource (form or YAML upload, findings next to the fields), the
department's own resources and drafts, incoming and outgoing share requests with approve / reject."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.web import session as web_session
from api.web.context import database, viewer
from api.web.labels import department_name, standards
from api.web.record_form import findings_by_field, form_from_record, record_from_form
from api.web.render import WebRoute, redirect, render
from api.web.sharing import sharing_tools
from catalog import registry
from catalog.auth import Actor
from catalog.display_time import today
from catalog.errors import Forbidden, InvalidInput, InvalidRecord
from catalog.listing import ResourceFilter, list_resources
from catalog.records import parse_record_text
from catalog.sharing import requests as share_requests

router = APIRouter(route_class=WebRoute)
MAX_UPLOAD_BYTES = 1_000_000


def _steward(request: Request) -> Actor:
    actor = viewer(request)
    if not actor.department_code:
        raise Forbidden("此页面供部门数据管理员使用：您的令牌没有所属部门 (steward token with a department needed)")
    return actor


def _choices(request: Request) -> dict[str, Any]:
    std = standards(request.app.state.catalog)
    codes = std.documents["code-lists"]
    return {
        "format_categories": [(c["name"], list(c["types"])) for c in codes["format_categories"]],
        "share_types": [c["name"] for c in codes["share_types"]],
        "method_categories": [c["name"] for c in codes["share_method_categories"]],
        "method_types": [c["name"] for c in codes["share_method_types"]],
        "update_cycles": [c["name"] for c in codes["update_cycles"]],
    }


def _form_page(request: Request, form: dict[str, str], findings: list[Any], *, refused: int | None = None,
               message: str | None = None, yaml_text: str = "", tab: str = "form",
               edit: dict[str, Any] | None = None, staged: dict[str, Any] | None = None) -> Response:
    """The form again, with findings next to the fields. Answered 200 (a page to correct, not a failed
    load: a 4xx here would be a console error in the browser); `data-refused` carries the catalogue status."""
    placed, rest = findings_by_field(findings)
    return render(request, "steward_new.html", refused=refused, form=form, placed=placed, rest=rest,
                  message=message, yaml_text=yaml_text, tab=tab, edit=edit, staged=staged, **_choices(request))


@router.get("/steward/new")
def new_resource_page(request: Request) -> Response:
    actor = _steward(request)
    std = standards(request.app.state.catalog)
    form = form_from_record({"provider_code": actor.department_code,
                             "provider": department_name(actor.department_code, std),
                             "published_on": today(tz=request.app.state.settings.timezone), "update_cycle": "每日"})
    return _form_page(request, form, [])


@router.post("/steward/new", dependencies=[Depends(web_session.check_csrf)])
async def register_by_form(request: Request) -> Response:
    fields = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    return await run_in_threadpool(_register_form, request, fields)  # validation + database: off the event loop


def _register_form(request: Request, fields: dict[str, str]) -> Response:
    actor = _steward(request)
    record = record_from_form(fields)
    try:
        with database(request).transaction() as s:
            row = registry.create_resource(session=s, actor=actor, record=record,
                                           standards=request.app.state.catalog.files)
            code = row.code
    except InvalidRecord as exc:
        return _form_page(request, form_from_record(record) | {"items": fields.get("items", "")},
                          exc.findings, refused=422, message=exc.message)
    return redirect(request, f"/r/{code}", f"已保存为草稿，资源代码 {code}；核对后请提交审核。")


@router.post("/steward/upload", dependencies=[Depends(web_session.check_csrf)])
async def register_by_upload(request: Request, file: UploadFile | None = File(None),
                             yaml_text: str = Form("")) -> Response:
    if file is not None and file.filename:
        data = await file.read(MAX_UPLOAD_BYTES + 1)
        source = file.filename
    else:
        data, source = yaml_text.encode("utf-8"), "粘贴的 YAML"
    return await run_in_threadpool(_register_upload, request, data, source)  # parsing: off the event loop


def _register_upload(request: Request, data: bytes, source: str) -> Response:
    actor = _steward(request)
    text = data.decode("utf-8", errors="replace")
    empty = form_from_record({})
    if len(data) > MAX_UPLOAD_BYTES:
        return _form_page(request, empty, [], refused=413, tab="yaml",
                          message=f"文件过大：不超过 {MAX_UPLOAD_BYTES // 1000} KB")
    suffix = ".json" if source.lower().endswith(".json") else ".yaml"
    try:
        record = parse_record_text(data, source=source, suffix=suffix)
        with database(request).transaction() as s:
            row = registry.create_resource(session=s, actor=actor, record=record,
                                           standards=request.app.state.catalog.files)
            code = row.code
    except (InvalidRecord, InvalidInput) as exc:
        return _form_page(request, empty, exc.findings, refused=exc.status, message=exc.message,
                          yaml_text=text, tab="yaml")
    return redirect(request, f"/r/{code}", f"已从 {source} 登记为草稿，资源代码 {code}。")


@router.get("/steward/drafts")
def own_resources(request: Request) -> Response:
    actor = _steward(request)
    with database(request).session() as s:
        rows, total = list_resources(session=s, actor=actor, limit=500,
                                     filters=ResourceFilter(provider_code=actor.department_code))
    groups = {state: [r for r in rows if r.state == state] for state in registry.STATES}
    std = standards(request.app.state.catalog)
    return render(request, "steward_drafts.html", groups=groups, total=total,
                  department=department_name(actor.department_code, std))


@router.get("/steward/requests")
def share_requests_page(request: Request) -> Response:
    actor = _steward(request)
    tools = sharing_tools(request)
    std = standards(request.app.state.catalog)
    with database(request).session() as s:
        incoming, _ = share_requests.list_requests(session=s, actor=actor, calendar=tools.calendar,
                                                   clock=tools.clock, provider_code=actor.department_code)
        outgoing, _ = share_requests.list_requests(session=s, actor=actor, calendar=tools.calendar,
                                                   clock=tools.clock, requester_code=actor.department_code)
        as_dict = [[share_requests.request_dict(r, calendar=tools.calendar, clock=tools.clock) for r in rows]
                   for rows in (incoming, outgoing)]
    return render(request, "steward_requests.html", incoming=as_dict[0], outgoing=as_dict[1],
                  dept_name=lambda c: department_name(c, std))
