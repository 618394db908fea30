"""/staged: records an import staged with findings (待整改) — list, read, fix, submit; /import-runs."""
from __future__ import annotations

from typing import Any

from fastapi import File, Form, UploadFile

from api.deps import ActorDep, DbDep, RecordBody, RowId
from api.examples import ERRORS
from api.routing import TypedRouter
from api.schemas.imports import HarvestOut, ImportRunOut, ImportRunPage, StagedOut, StagedPage
from catalog.errors import InvalidInput
from catalog.interop.harvest_sources import harvest_input
from catalog.interop.mapping import mapping_from_dict
from catalog.interop.runs import get_run, list_runs
from catalog.interop.staged import fix_staged, get_staged, list_staged, staged_dict, submit_staged

router = TypedRouter(responses=ERRORS)


@router.get("/staged", tags=["待整改 staged"], summary="待整改记录（管理员看本部门的）",
            response_model=StagedPage)
def staged_list(db: DbDep, actor: ActorDep, provider_code: str | None = None, state: str = "staged",
                limit: int = 50, offset: int = 0) -> dict[str, Any]:
    with db.session() as session:
        rows, total = list_staged(session=session, actor=actor, provider_code=provider_code, state=state,
                                  limit=max(1, min(limit, 500)), offset=max(0, offset))
        return {"data": [staged_dict(r) for r in rows], "count": total}


@router.get("/staged/{staged_id}", tags=["待整改 staged"], summary="一条待整改记录及其问题",
            response_model=StagedOut)
def staged_get(db: DbDep, actor: ActorDep, staged_id: RowId) -> dict[str, Any]:
    with db.session() as session:
        return staged_dict(get_staged(session=session, actor=actor, staged_id=staged_id))


@router.put("/staged/{staged_id}", tags=["待整改 staged"], summary="修改待整改记录（重新校验，返回剩余问题）",
            response_model=StagedOut)
def staged_fix(db: DbDep, actor: ActorDep, staged_id: RowId, record: RecordBody) -> dict[str, Any]:
    with db.transaction() as session:
        return staged_dict(fix_staged(session=session, actor=actor, staged_id=staged_id, record=record))


@router.post("/staged/{staged_id}/submit", tags=["待整改 staged"], summary="整改完成：登记为资源并提交审核",
             response_model=StagedOut)
def staged_submit(db: DbDep, actor: ActorDep, staged_id: RowId) -> dict[str, Any]:
    with db.transaction() as session:
        return staged_dict(submit_staged(session=session, actor=actor, staged_id=staged_id))


@router.get("/import-runs", tags=["导入 imports"], summary="导入批次列表", response_model=ImportRunPage)
def runs(db: DbDep, actor: ActorDep, source_system: str | None = None, limit: int = 50) -> dict[str, Any]:
    from catalog.auth import authorize

    authorize(actor, "read_audit_log")
    data = list_runs(db=db, source_system=source_system, limit=limit)
    return {"data": data, "count": len(data)}


@router.get("/import-runs/{run_id}", tags=["导入 imports"], summary="一次导入的计数与报告",
            response_model=ImportRunOut)
def run(db: DbDep, actor: ActorDep, run_id: RowId) -> dict[str, Any]:
    from catalog.auth import authorize

    authorize(actor, "read_audit_log")
    return get_run(db=db, run_id=run_id)


@router.post("/import-runs", tags=["导入 imports"], summary="无损导入（mapped / dcat-us）：新建、更新、待整改或重复",
             response_model=HarvestOut)
async def start_run(
    db: DbDep, actor: ActorDep,
    file: UploadFile = File(..., description="来源文件：CSV / JSON（mapped）或 data.json（dcat-us）"),
    format: str = Form(..., description="mapped | dcat-us"),
    mapping: UploadFile | None = File(None, description="映射文件（YAML），format=mapped 时必填"),
    region: str | None = Form(None, description="新建部门所在的 6 位行政区划代码"),
    missing: str = Form("flag", description="来源中已消失的记录：flag | withdraw"),
    source_system: str | None = Form(None, description="来源系统标识"),
) -> dict[str, Any]:
    import yaml

    from catalog.auth import authorize

    authorize(actor, "manage_departments")  # an import may create departments: coordinators and admins
    if missing not in ("flag", "withdraw"):
        raise InvalidInput("missing 应为 flag 或 withdraw (missing must be flag or withdraw)")
    parsed_mapping = None
    if mapping is not None:
        try:
            parsed_mapping = mapping_from_dict(yaml.safe_load(await mapping.read()), name=mapping.filename or "mapping")
        except yaml.YAMLError as exc:
            raise InvalidInput(f"映射文件无法读取 (cannot read mapping): {exc}") from None
    elif format == "mapped":
        raise InvalidInput("format=mapped 需要映射文件 mapping (a mapping file is required)")
    report = harvest_input(db=db, actor=actor, fmt=format, name=file.filename or "upload", data=await file.read(),
                           mapping=parsed_mapping, region=region, missing=missing,  # type: ignore[arg-type]
                           source_system=source_system)
    return report.to_dict()
