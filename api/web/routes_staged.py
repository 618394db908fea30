"""Steward pages for staged records (待整改): the department's list, and the form to fix one with each
finding next to its field, then save or submit. The work is catalog.interop.staged's."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from api.web import session as web_session
from api.web.context import database, viewer
from api.web.labels import department_name, standards
from api.web.record_form import form_from_record, record_from_form
from api.web.render import WebRoute, redirect, render
from api.web.routes_edit import FORM_KEYS
from api.web.routes_steward import _form_page
from catalog.errors import InvalidInput, InvalidRecord
from catalog.findings import Finding
from catalog.interop.staged import fix_staged, get_staged, list_staged, submit_staged
from catalog.models import StagedRecord

router = APIRouter(route_class=WebRoute)


def _findings(row: StagedRecord) -> list[Finding]:
    keys = ("rule", "severity", "path", "message", "suggestion", "source")
    return [Finding(**{k: f.get(k) for k in keys}) for f in row.findings or []]  # type: ignore[arg-type]


def _info(row: StagedRecord) -> dict[str, Any]:
    return {"id": row.id, "source_system": row.source_system, "source": row.source,
            "errors": sum(1 for f in row.findings or [] if f.get("severity") == "error")}


@router.get("/steward/staged")
def staged_list(request: Request) -> Response:
    actor = viewer(request)
    std = standards(request.app.state.catalog)
    with database(request).session() as s:
        rows, total = list_staged(session=s, actor=actor, limit=500)
    return render(request, "steward_staged.html", rows=rows, total=total, dept_name=lambda c: department_name(c, std))


@router.get("/steward/staged/{staged_id}")
def staged_page(request: Request, staged_id: int) -> Response:
    with database(request).session() as s:
        row = get_staged(session=s, actor=viewer(request), staged_id=staged_id)
        return _form_page(request, form_from_record(row.record or {}), _findings(row), staged=_info(row))


@router.post("/steward/staged/{staged_id}", dependencies=[Depends(web_session.check_csrf)])
async def staged_fix(request: Request, staged_id: int) -> Response:
    fields = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    actor = viewer(request)
    db = database(request)
    with db.transaction() as s:
        stored = dict(get_staged(session=s, actor=actor, staged_id=staged_id).record or {})
        record = {k: v for k, v in stored.items() if k not in FORM_KEYS} | record_from_form(fields)
        row = fix_staged(session=s, actor=actor, staged_id=staged_id, record=record)
        errors = [f for f in row.findings if f.get("severity") == "error"]
        info, findings = _info(row), _findings(row)
    if fields.get("then") == "submit" and not errors:
        try:
            with db.transaction() as s:
                code = submit_staged(session=s, actor=actor, staged_id=staged_id).resource_code
        except (InvalidRecord, InvalidInput) as exc:
            return _form_page(request, form_from_record(record), list(exc.findings), staged=info,
                              refused=exc.status, message=exc.message)
        return redirect(request, f"/r/{code}", "整改完成，已登记并提交审核。")
    message = (f"已保存；还有 {len(errors)} 处错误，改正后才能提交审核。" if errors
               else "已保存，没有错误了：可以提交审核。")
    return _form_page(request, form_from_record(record), findings, staged=info, message=message)
