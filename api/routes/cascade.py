"""目录级联 routes: the change feed, the intake of a lower level's push, and registration of reports."""
from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import Body, Depends, Query
from pydantic import BaseModel, Field

from api.deps import ActorDep, DbDep, RowId, SettingsDep
from api.examples import ERRORS
from api.routing import TypedRouter
from api.schemas.cascade import CascadeReportOut, CascadeStatusOut
from api.schemas.common import Page
from catalog.auth import Actor, authorize, read_scope
from catalog.cascade import intake
from catalog.cascade.feed import MAX_PAGE, read_feed
from catalog.cascade.status import cascade_status
from catalog.errors import InvalidInput

router = TypedRouter(tags=["级联 cascade"], responses=ERRORS)
BIG = 2**63 - 1


class FeedPageOut(BaseModel):
    data: list[dict[str, Any]] = Field(description="变更：cursor, action (published|withdrawn), code, version, record")
    departments: list[dict[str, Any]] = Field(description="这些资源的提供方部门，按代码合并")
    count: int
    next: int = Field(description="下一页从此游标继续 (resume from this cursor)")
    more: bool
    instance: dict[str, Any] = Field(description="本级：level, region")


class IntakeIn(BaseModel):
    origin: dict[str, Any] = Field(default_factory=dict, description="下级的 level、region（来源以令牌为准）")
    entries: list[Any] = Field(description="GET /feed 的 data")
    departments: list[Any] = Field(default_factory=list)


class IntakeOut(BaseModel):
    applied: int
    skipped: int = Field(description="已处理过的条目（重复推送）")
    departments_added: int
    cursor: int
    verdicts: list[dict[str, Any]]


ReportsOut = Page[CascadeReportOut]


@router.get("/feed", summary="目录变更流（发布、更新、撤回，按提交顺序，可从任一游标续读）", response_model=FeedPageOut)
def feed(db: DbDep, actor: ActorDep, settings: SettingsDep,
         since: int = Query(0, ge=0, le=BIG, description="游标：上一页的 next"),
         limit: int = Query(500, ge=1, le=MAX_PAGE),
         classification: str | None = Query(None, max_length=500,
                                            description="分类代码前缀，逗号分隔（回流订阅）")) -> dict[str, Any]:
    read_scope(actor)  # any role that may read published resources
    prefixes = tuple(p.strip() for p in (classification or "").split(",") if p.strip())
    if any(not p.isdigit() for p in prefixes):
        raise InvalidInput("classification 应为数字分类代码前缀，逗号分隔 (expected digit prefixes)")
    with db.session() as session:
        page = read_feed(session=session, since=since, limit=limit, classifications=prefixes,
                         exclude_origin=actor.name if actor.role == "downstream" else None,
                         include_returned=True)
    return {"data": page.entries, "departments": page.departments, "count": len(page.entries),
            "next": page.next, "more": page.more, "instance": {"level": settings.level, "region": settings.region}}


def downstream_actor(actor: ActorDep) -> Actor:
    """Authorize the push before its body is read: a caller who may not push learns nothing from a 422."""
    authorize(actor, "cascade_intake")
    return actor


@router.post("/cascade/intake", summary="接收下级上报的目录变更（幂等：重复推送不改变任何数据）",
             response_model=IntakeOut)
def receive(db: DbDep, actor: Annotated[Actor, Depends(downstream_actor)], body: IntakeIn) -> dict[str, Any]:
    with db.transaction() as session:
        result = intake.receive(session=session, actor=actor, entries=body.entries,
                                departments=body.departments, origin_info=body.origin)
    return result.to_dict()


@router.get("/cascade/reports", summary="下级上报的记录（协调员）；下级令牌只看到自己的（即上级的审核结论）",
            response_model=ReportsOut)
def reports(db: DbDep, actor: ActorDep,
            state: Literal["reported", "registered", "rejected", "withdrawn"] | None = None,
            origin: str | None = Query(None, max_length=200),
            decided_after: str | None = Query(None, max_length=40, description="ISO 8601：只看此后的审核结论"),
            limit: int = Query(100, ge=1, le=500), offset: int = Query(0, ge=0, le=BIG)) -> dict[str, Any]:
    with db.session() as session:
        rows, count = intake.list_reports(session=session, actor=actor, state=state, origin=origin,
                                          decided_after=decided_after, limit=limit, offset=offset)
        return {"data": [intake.report_dict(r) for r in rows], "count": count}


@router.post("/cascade/reports/{report_id}/register", summary="注册下级上报的记录（成为本级已发布资源，保留来源）",
             response_model=CascadeReportOut)
def register(db: DbDep, actor: ActorDep, report_id: RowId) -> dict[str, Any]:
    with db.transaction() as session:
        return intake.report_dict(intake.register_report(session=session, actor=actor, report_id=report_id))


@router.post("/cascade/reports/{report_id}/reject", summary="退回下级上报的记录（须填写理由）",
             response_model=CascadeReportOut)
def reject(db: DbDep, actor: ActorDep, report_id: RowId,
           reason: str = Body("", embed=True, max_length=2000)) -> dict[str, Any]:
    with db.transaction() as session:
        return intake.report_dict(intake.reject_report(session=session, actor=actor, report_id=report_id,
                                                       reason=reason))


@router.get("/cascade/status", summary="本级的级联状态：游标、上级结论（已上报 / 已注册 / 已退回）",
            response_model=CascadeStatusOut)
def status(db: DbDep, actor: ActorDep, settings: SettingsDep,
           state: Literal["reported", "registered", "rejected", "withdrawn"] | None = None,
           limit: int = Query(100, ge=1, le=500), offset: int = Query(0, ge=0, le=BIG)) -> dict[str, Any]:
    read_scope(actor)
    with db.session() as session:
        return cascade_status(session=session, actor=actor, level=settings.level, region=settings.region,
                              upstream=settings.upstream_url, state=state, limit=limit, offset=offset)
