"""/resources: register, read, update (If-Match), lifecycle actions, versions and diff.

Codes contain "/" (`102001/000001`), so routes take `{code:path}`; the routes with a suffix
(`/versions`, `/diff`, `/submit`...) are declared before the bare `{code:path}` ones.
"""
from __future__ import annotations

from typing import Any, Literal

from fastapi import Body, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from api.deps import ActorDep, CatalogDep, DbDep, IfMatch, Offset, RecordBody, RecordsBody, RowId, VersionFrom, VersionTo
from api.examples import ERRORS, REASON_BODY, record_request_body
from api.routing import TypedRouter
from api.schemas.resources import BulkOut, DiffOut, ResourceOut, ResourcePage, VersionOut, VersionPage
from catalog import registry, versions
from catalog.listing import ResourceFilter, list_resources, resource_dict, resource_summary
from catalog.models import Resource

router = TypedRouter(prefix="/resources", tags=["资源 resources"], responses=ERRORS)
BULK_CHUNK = 500


class ReasonBody(BaseModel):
    reason: str | None = None


def _resource_response(row: Resource, status: int = 200) -> JSONResponse:
    headers = {"ETag": f'"{row.etag}"'}
    if status == 201:
        headers["Location"] = f"/api/v1/resources/{row.code}"
    return JSONResponse(resource_dict(row), status_code=status, headers=headers)


@router.get("", summary="资源列表（筛选、分页）", response_model=ResourcePage)
def list_(db: DbDep, actor: ActorDep,
          provider_code: str | None = Query(None, description="提供方代码，如 330782101"),
          classification: str | None = Query(None, description="分类代码前缀，如 1、102、102001"),
          state: Literal["draft", "submitted", "published", "withdrawn"] | None = None,
          share_type: Literal["无条件共享", "有条件共享", "不予共享"] | None = None,
          q: str | None = Query(None, max_length=200, description="名称包含"),
          limit: int = Query(50, ge=1, le=500), offset: Offset = 0) -> dict[str, Any]:
    filters = ResourceFilter(provider_code=provider_code, classification=classification, state=state,
                             share_type=share_type, q=q)
    with db.session() as session:
        rows, count = list_resources(session=session, actor=actor, filters=filters, limit=limit, offset=offset)
        return {"data": [resource_summary(r) for r in rows], "count": count}


@router.post("", status_code=201, summary="登记资源（草稿）", response_model=ResourceOut,
             openapi_extra=record_request_body("一条资源记录"))
def create(catalog: CatalogDep, actor: ActorDep, record: RecordBody) -> JSONResponse:
    with catalog.db.transaction() as session:
        row = registry.create_resource(session=session, actor=actor, record=record, standards=catalog.files)
    return _resource_response(row, 201)


@router.post("/bulk", summary="批量登记（每 500 条一个事务，逐条返回结果）", response_model=BulkOut)
def bulk(catalog: CatalogDep, actor: ActorDep, records: RecordsBody) -> dict[str, Any]:
    results: list[dict[str, Any]] = []
    for start in range(0, len(records), BULK_CHUNK):
        chunk = records[start:start + BULK_CHUNK]
        with catalog.db.transaction() as session:
            outcomes = registry.register_records(session=session, actor=actor, records=chunk, allow_code=True,
                                                 standards=catalog.files)
        for o in outcomes:
            o.index += start
            results.append(o.to_dict())
    created = sum(1 for r in results if r["ok"])
    return {"data": results, "count": len(results), "created": created}


@router.get("/{code:path}/versions/{version}", summary="某一版本", response_model=VersionOut)
def get_version(db: DbDep, actor: ActorDep, code: str, version: RowId) -> dict[str, Any]:
    with db.session() as session:
        return versions.version_dict(versions.get_version(session=session, actor=actor, code=code, version=version))


@router.get("/{code:path}/versions", summary="版本历史", response_model=VersionPage)
def list_versions(db: DbDep, actor: ActorDep, code: str) -> dict[str, Any]:
    with db.session() as session:
        rows = versions.list_versions(session=session, actor=actor, code=code)
        return {"data": [versions.version_dict(v, with_record=False) for v in rows], "count": len(rows)}


@router.get("/{code:path}/diff", summary="两个版本之间的字段级差异（JSON Pointer）", response_model=DiffOut)
def diff(db: DbDep, actor: ActorDep, code: str,
         from_: VersionFrom, to: VersionTo) -> dict[str, Any]:
    with db.session() as session:
        return versions.diff_versions(session=session, actor=actor, code=code, old=from_, new=to)


def _transition(action: str, summary: str) -> None:
    def handler(db: DbDep, actor: ActorDep, code: str, if_match: IfMatch = None,
                body: ReasonBody | None = Body(None)) -> JSONResponse:
        with db.transaction() as session:
            row = registry.change_state(session=session, actor=actor, code=code, action=action,
                                        reason=body.reason if body else None, if_match=if_match)
        return _resource_response(row)

    handler.__name__ = action
    router.add_api_route(f"/{{code:path}}/{action}", handler, methods=["POST"], summary=summary, response_model=ResourceOut,
                         openapi_extra=REASON_BODY if action == "reject" else None)


_transition("submit", "提交审核（草稿 → 待审核）")
_transition("publish", "发布（协调员；待审核 → 已发布）")
_transition("reject", "退回（协调员；待审核 → 草稿，须填写理由）")
_transition("withdraw", "撤回（已发布 → 已撤回）")


@router.get("/{code:path}", summary="读取资源（响应头带 ETag）", response_model=ResourceOut)
def get(db: DbDep, actor: ActorDep, code: str) -> JSONResponse:
    with db.session() as session:
        return _resource_response(registry.get_resource(session=session, actor=actor, code=code))


@router.put("/{code:path}", summary="修改资源（整条替换，须带 If-Match）", response_model=ResourceOut,
            openapi_extra=record_request_body("修改后的完整资源记录"))
def update(catalog: CatalogDep, actor: ActorDep, code: str, record: RecordBody,
           if_match: IfMatch = None) -> JSONResponse:
    with catalog.db.transaction() as session:
        row = registry.update_resource(session=session, actor=actor, code=code, record=record, if_match=if_match,
                                       standards=catalog.files)
    return _resource_response(row)
