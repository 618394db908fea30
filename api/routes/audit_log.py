"""/audit-log: the hash-chained change log (auditor, coordinator, admin) and its verification."""
from __future__ import annotations

from typing import Any

from fastapi import Query

from api.deps import ActorDep, DbDep, Offset
from api.examples import ERRORS
from api.routing import TypedRouter
from api.schemas.meta import AuditPage, ChainCheckOut
from catalog import audit_log
from catalog.auth import authorize

router = TypedRouter(prefix="/audit-log", tags=["审计 audit-log"], responses=ERRORS)


@router.get("", summary="审计日志（新→旧）", response_model=AuditPage)
def entries(db: DbDep, actor: ActorDep, resource_code: str | None = None,
            limit: int = Query(100, ge=1, le=1000), offset: Offset = 0) -> dict[str, Any]:
    authorize(actor, "read_audit_log")
    with db.session() as session:
        rows, count = audit_log.list_entries(session=session, resource_code=resource_code, limit=limit,
                                             offset=offset)
        return {"data": [audit_log.entry_dict(e) for e in rows], "count": count}


@router.get("/verify", summary="校验哈希链", response_model=ChainCheckOut)
def verify(db: DbDep, actor: ActorDep) -> dict[str, Any]:
    authorize(actor, "read_audit_log")
    with db.session() as session:
        check = audit_log.verify_chain(session=session)
    return {"ok": check.ok, "checked": check.checked, "broken_id": check.broken_id, "reason": check.reason}
