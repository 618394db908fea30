"""/health, /standards and /validate (dry run); departments are in api/routes/departments.py."""
from __future__ import annotations

from typing import Any

from sqlalchemy import text

from api.deps import CatalogDep, DbDep, OptionalActorDep, RecordBody
from api.examples import ERRORS, record_request_body
from api.routing import TypedRouter
from api.schemas.common import ReportOut
from api.schemas.meta import HealthOut, StandardDocument, StandardPage
from catalog import registry
from catalog.errors import NotFound

router = TypedRouter(responses=ERRORS)


@router.get("/health", tags=["运行 health"], summary="健康检查", response_model=HealthOut)
def health(db: DbDep) -> dict[str, Any]:
    with db.session() as session:
        session.execute(text("SELECT 1"))
    return {"status": "ok", "database": db.dialect}


@router.get("/standards", tags=["标准 standards"], summary="标准列表", response_model=StandardPage)
def standards_list(catalog: CatalogDep) -> dict[str, Any]:
    items = catalog.standards().list()
    return {"data": items, "count": len(items)}


@router.get("/standards/{std_id}", tags=["标准 standards"], summary="一项标准的全文",
            response_model=StandardDocument)
def standards_get(catalog: CatalogDep, std_id: str) -> dict[str, Any]:
    try:
        return catalog.standards().get(std_id)
    except KeyError:
        raise NotFound(f"没有标准 {std_id!r} (unknown standard)") from None


@router.post("/validate", tags=["校验 validate"], summary="校验一条记录（不保存）", response_model=ReportOut,
             openapi_extra=record_request_body("待校验的资源记录"))
def validate(catalog: CatalogDep, actor: OptionalActorDep, record: RecordBody) -> dict[str, Any]:
    """The registration pipeline without the write: the same verdict and findings as `POST /resources`.
    With a token, a record of a department the caller may not register for is refused (403) first."""
    with catalog.db.session() as session:
        return registry.dry_run(session=session, actor=actor, record=record, standards=catalog.files).to_dict()
