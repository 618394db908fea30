"""POST /lifecycle/{action}: submit, publish, reject or withdraw many resources (codes or a filter).

Not under /resources/…: `POST /resources/{code}/submit` would take "bulk" for a code.
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from api.deps import ActorDep, DbDep
from api.examples import ERRORS
from api.routing import TypedRouter
from api.schemas.imports import LifecycleBulkOut
from catalog.lifecycle_bulk import bulk_change_state

router = TypedRouter(prefix="/lifecycle", tags=["资源 resources"], responses=ERRORS)


class BulkFilter(BaseModel):
    provider_code: str | None = None
    state: str | None = None
    classification: str | None = None
    source_system: str | None = Field(None, description="导入来源系统")
    run_id: int | None = Field(None, ge=1, le=2**63 - 1, description="导入批次")


class BulkAction(BaseModel):
    codes: list[str] | None = Field(None, examples=[["102001000001", "102001000002"]])
    filter: BulkFilter | None = None
    reason: str | None = Field(None, description="reject 时必填")


@router.post("/{action}", summary="批量提交 / 发布 / 退回 / 撤回（按代码列表或筛选条件，逐条返回结果）",
             response_model=LifecycleBulkOut)
def bulk_action(db: DbDep, actor: ActorDep, action: Literal["submit", "publish", "reject", "withdraw"],
                body: BulkAction) -> dict[str, Any]:
    filter_ = body.filter.model_dump(exclude_none=True) if body.filter is not None else None
    return bulk_change_state(db=db, actor=actor, action=action, codes=body.codes, filter=filter_,
                             reason=body.reason).to_dict()
