"""Editing a draft or withdrawn resource by form or by YAML; the ETag read with the page travels in a
hidden field and goes to `catalog.registry.update_resource` as If-Match, so a stale edit is refused."""
from __future__ import annotations

from typing import Any

import yaml
from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.web import session as web_session
from api.web.context import database, viewer
from api.web.record_form import FIELD_POINTERS, form_from_record, record_from_form
from api.web.render import WebRoute, redirect
from api.web.routes_steward import MAX_UPLOAD_BYTES, _form_page
from catalog import registry
from catalog.auth import authorize
from catalog.errors import Conflict, InvalidInput, InvalidRecord, PreconditionFailed, PreconditionRequired
from catalog.models import Resource
from catalog.records import parse_record_text

router = APIRouter(route_class=WebRoute)

STALE = "已被他人修改，请刷新后再改（您看到的版本已不是最新版本）"
# The record keys the form edits; every other key of the stored record (interface, ...) is kept as is.
FORM_KEYS = frozenset(p.split("/")[1] for ps in FIELD_POINTERS.values() for p in ps) | {"format", "share", "open"}


def _edit_info(row: Resource, etag: str | None = None) -> dict[str, Any]:
    return {"code": row.code, "etag": etag if etag is not None else row.etag, "version": row.version,
            "state": row.state}


def _yaml(record: dict[str, Any]) -> str:
    return yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=120)


def _refusal(exc: Exception) -> tuple[int, str, list[Any]]:
    """(status, message, findings) for a refused save; a stale ETag gets the plain-language message."""
    if isinstance(exc, PreconditionFailed):
        return 412, STALE, []
    if isinstance(exc, PreconditionRequired):
        return 428, "缺少版本信息（ETag），请刷新页面后再改", []
    status = getattr(exc, "status", 400)
    return status, getattr(exc, "message", str(exc)), list(getattr(exc, "findings", []) or [])


@router.get("/steward/edit/{code:path}")
def edit_page(request: Request, code: str) -> Response:
    actor = viewer(request)
    with database(request).session() as s:
        row = registry.get_resource(session=s, actor=actor, code=code)
        authorize(actor, "update", provider_code=row.provider_code, code=code)
        if row.state not in registry.EDITABLE:
            raise Conflict(f"资源 {code} 处于「{row.state}」状态，只有草稿或已撤回的资源可以修改；"
                           "已发布的资源请先撤回 (only draft or withdrawn resources can be edited)")
        record, edit = dict(row.record or {}), _edit_info(row)
    return _form_page(request, form_from_record(record), [], yaml_text=_yaml(record), edit=edit)


def _save(request: Request, code: str, etag: str, record: Any) -> int:
    """The new version number, or the catalogue's refusal (412 stale, 422 findings, 409 state, 403)."""
    actor = viewer(request)
    with database(request).transaction() as s:
        row = registry.update_resource(session=s, actor=actor, code=code, record=record, if_match=etag or None,
                                       standards=request.app.state.catalog.files)
        return row.version


def _current(request: Request, code: str) -> tuple[dict[str, Any], Resource]:
    with database(request).session() as s:
        row = registry.get_resource(session=s, actor=viewer(request), code=code)
        return dict(row.record or {}), row


@router.post("/steward/edit", dependencies=[Depends(web_session.check_csrf)])
async def edit_by_form(request: Request) -> Response:
    fields = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    return await run_in_threadpool(_edit_form, request, fields)  # validation + database: off the event loop


def _edit_form(request: Request, fields: dict[str, str]) -> Response:
    code, etag = fields.get("code", ""), fields.get("etag", "")
    stored, row = _current(request, code)
    # the form's fields replace theirs; what the form does not show (interface, ...) is kept
    record = {k: v for k, v in stored.items() if k not in FORM_KEYS} | record_from_form(fields)
    try:
        saved = _save(request, code, etag, record)
    except (InvalidRecord, InvalidInput, Conflict, PreconditionFailed, PreconditionRequired) as exc:
        status, message, findings = _refusal(exc)
        return _form_page(request, form_from_record(record) | {"items": fields.get("items", "")}, findings,
                          refused=status, message=message, yaml_text=_yaml(stored),
                          edit=_edit_info(row, etag))
    return redirect(request, f"/r/{code}", f"已保存为第 {saved} 版（草稿）；核对后请提交审核。")


@router.post("/steward/edit-yaml", dependencies=[Depends(web_session.check_csrf)])
async def edit_by_yaml(request: Request, code: str = Form(...), etag: str = Form(""),
                       file: UploadFile | None = File(None), yaml_text: str = Form("")) -> Response:
    if file is not None and file.filename:
        data, source = await file.read(MAX_UPLOAD_BYTES + 1), file.filename
    else:
        data, source = yaml_text.encode("utf-8"), "粘贴的 YAML"
    return await run_in_threadpool(_edit_yaml, request, code, etag, data, source)  # off the event loop


def _edit_yaml(request: Request, code: str, etag: str, data: bytes, source: str) -> Response:
    stored, row = _current(request, code)
    text = data.decode("utf-8", errors="replace")
    try:
        if len(data) > MAX_UPLOAD_BYTES:
            raise InvalidInput(f"文件过大：不超过 {MAX_UPLOAD_BYTES // 1000} KB")
        record = parse_record_text(data, source=source,
                                   suffix=".json" if source.lower().endswith(".json") else ".yaml")
        saved = _save(request, code, etag, record)
    except (InvalidRecord, InvalidInput, Conflict, PreconditionFailed, PreconditionRequired) as exc:
        status, message, findings = _refusal(exc)
        return _form_page(request, form_from_record(stored), findings, refused=status, message=message,
                          yaml_text=text, tab="yaml", edit=_edit_info(row, etag))
    return redirect(request, f"/r/{code}", f"已从 {source} 保存为第 {saved} 版（草稿）。")
