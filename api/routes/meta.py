"""/health, /standards and /validate (dry run); departments are in api/routes/departments.py."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import text

from api.deps import DbDep, RecordBody, SettingsDep
from api.examples import ERRORS, record_request_body
from catalog import registry
from catalog.departments import registry_standards
from catalog.errors import NotFound

router = APIRouter(responses=ERRORS)


@router.get("/health", tags=["运行 health"], summary="健康检查")
def health(db: DbDep) -> dict[str, Any]:
    with db.session() as session:
        session.execute(text("SELECT 1"))
    return {"status": "ok", "database": db.dialect}


def _standards(settings: Any) -> Any:
    from catalog.standards import load_standards

    return load_standards(settings.standards_dir)


@router.get("/standards", tags=["标准 standards"], summary="标准列表")
def standards_list(settings: SettingsDep) -> dict[str, Any]:
    items = _standards(settings).list()
    return {"data": items, "count": len(items)}


@router.get("/standards/{std_id}", tags=["标准 standards"], summary="一项标准的全文")
def standards_get(settings: SettingsDep, std_id: str) -> dict[str, Any]:
    try:
        return _standards(settings).get(std_id)
    except KeyError:
        raise NotFound(f"没有标准 {std_id!r} (unknown standard)") from None


@router.post("/validate", tags=["校验 validate"], summary="校验一条记录（不保存）",
             openapi_extra=record_request_body("待校验的资源记录"))
def validate(record: RecordBody, db: DbDep) -> dict[str, Any]:
    """The registry's validation with the stored departments (and their sectors) and sources, as
    `POST /resources` runs it."""
    with db.session() as session:
        standards = registry_standards(session=session)
    return registry.validate(record, standards=standards).to_dict()
