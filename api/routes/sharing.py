"""/share-requests, /grants, /feedback (校核) and /stats (绩效评估): thin doors onto catalog.sharing.

The working-day calendar and the clock are the Catalog's (`api.deps.CalendarDep`, `ClockDep`).
"""
from __future__ import annotations

from typing import Any, Literal

from fastapi import Body, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from api.deps import ActorDep, CalendarDep, ClockDep, DbDep, Offset, RowId
from api.examples import ERRORS
from api.routing import TypedRouter
from api.schemas.sharing import (FeedbackOut, FeedbackPage, GrantOut, GrantPage, ShareRequestOut,
                                  ShareRequestPage, StatsOut)
from catalog import stats
from catalog.auth import authorize
from catalog.sharing import feedback, grants, requests

router = TypedRouter(responses=ERRORS)


# Request bodies: what a door accepts; the domain functions check the meaning.
class ShareRequestCreate(BaseModel):
    resource_code: str = Field(description="资源代码, 如 102001/000001")
    purpose: str = Field(description="申请用途")
    basis: str = Field(description="申请依据: 法律法规或业务需要")
    items: list[str] | None = Field(None, description="信息项英文标识符; 省略 = 全部信息项")
    period_days: int = Field(ge=1, le=36500, description="使用期限 (天)")
    requester_code: str | None = Field(None, description="申请部门代码; 省略 = 令牌所属部门")


class ApproveBody(BaseModel):
    items: list[str] | None = Field(None, description="批准的信息项 (申请范围内, 可少于申请)")
    period_days: int | None = Field(None, ge=1, le=36500, description="批准期限 (天, 不超过申请)")
    note: str | None = None


class ReasonBody(BaseModel):
    reason: str | None = None


class ArbitrateBody(BaseModel):
    outcome: Literal["grant", "uphold"] = Field(description="grant 予以共享 / uphold 维持不共享")
    reason: str
    items: list[str] | None = None
    period_days: int | None = Field(None, ge=1, le=36500)


class FeedbackCreate(BaseModel):
    resource_code: str
    description: str = Field(description="错误描述")
    item: str | None = Field(None, description="有误的信息项标识符")
    reporter_code: str | None = None


class FeedbackAnswer(BaseModel):
    outcome: Literal["corrected", "not_an_error"]
    answer: str


def _created(data: dict[str, Any], location: str) -> JSONResponse:
    return JSONResponse(data, status_code=201, headers={"Location": location})


# ---- share requests ---------------------------------------------------------------------------------
@router.post("/share-requests", status_code=201, tags=["共享申请 share-requests"], summary="提出共享申请",
             response_model=ShareRequestOut)
def create_request(db: DbDep, actor: ActorDep, calendar: CalendarDep, clock: ClockDep,
                   body: ShareRequestCreate) -> JSONResponse:
    with db.transaction() as session:
        req = requests.create_request(session=session, actor=actor, calendar=calendar, clock=clock,
                                      **body.model_dump())
        data = requests.request_dict(req, calendar=calendar, clock=clock)
    return _created(data, f"/api/v1/share-requests/{data['id']}")


@router.get("/share-requests", tags=["共享申请 share-requests"], summary="共享申请列表 (可筛选逾期)",
            response_model=ShareRequestPage)
def list_requests(db: DbDep, actor: ActorDep, calendar: CalendarDep, clock: ClockDep,
                  status: str | None = Query(None, description="pending approved rejected refused escalated "
                                                              "arbitrated withdrawn"),
                  overdue: bool | None = Query(None, description="true = 逾期未答复"),
                  resource_code: str | None = None, provider_code: str | None = None,
                  requester_code: str | None = None,
                  limit: int = Query(50, ge=1, le=500), offset: Offset = 0) -> dict[str, Any]:
    with db.session() as session:
        rows, count = requests.list_requests(
            session=session, actor=actor, calendar=calendar, clock=clock, status=status, overdue=overdue,
            resource_code=resource_code, provider_code=provider_code, requester_code=requester_code,
            limit=limit, offset=offset)
        return {"data": [requests.request_dict(r, calendar=calendar, clock=clock) for r in rows], "count": count}


@router.get("/share-requests/{request_id}", tags=["共享申请 share-requests"], summary="读取共享申请", response_model=ShareRequestOut)
def get_request(db: DbDep, actor: ActorDep, calendar: CalendarDep, clock: ClockDep,
                request_id: RowId) -> dict[str, Any]:
    with db.session() as session:
        req = requests.get_request(session=session, actor=actor, request_id=request_id)
        return requests.request_dict(req, calendar=calendar, clock=clock)


def _step(action: str, summary: str, body_model: type[BaseModel], call: Any) -> None:
    # A body with a required field (arbitrate's outcome) is itself required; otherwise it may be omitted
    # or null, and the domain function gets every field as None and names what is missing.
    required = any(f.is_required() for f in body_model.model_fields.values())

    def handler(db: DbDep, actor: ActorDep, calendar: CalendarDep, clock: ClockDep, request_id: RowId,
                body: body_model | None = Body(... if required else None)  # type: ignore[valid-type]
                ) -> dict[str, Any]:
        fields = body.model_dump() if body is not None else dict.fromkeys(body_model.model_fields)
        with db.transaction() as session:
            req = call(session=session, actor=actor, calendar=calendar, clock=clock, request_id=request_id,
                       **fields)
            return requests.request_dict(req, calendar=calendar, clock=clock)

    handler.__name__ = f"{action}_request"
    handler.__annotations__["body"] = body_model | None  # a real type, not the postponed string
    router.add_api_route(f"/share-requests/{{request_id}}/{action}", handler, methods=["POST"],
                         summary=summary, tags=["共享申请 share-requests"],
                         response_model=ShareRequestOut)


_step("approve", "批准 (提供方数据管理员; 可减少信息项或缩短期限)", ApproveBody, requests.approve_request)
_step("reject", "拒绝 (提供方数据管理员; 须说明理由)", ReasonBody, requests.reject_request)
_step("withdraw", "撤回 (申请部门)", ReasonBody, requests.withdraw_request)
_step("escalate", "申请争议协调 (被拒绝或逾期未答复后)", ReasonBody, requests.escalate_request)
_step("arbitrate", "裁决 (共享协调机构; 终局)", ArbitrateBody, requests.arbitrate_request)


# ---- grants ----------------------------------------------------------------------------------------
@router.get("/grants", tags=["授权 grants"], summary="授权列表 (按部门)", response_model=GrantPage)
def list_grants(db: DbDep, actor: ActorDep, calendar: CalendarDep, clock: ClockDep,
                department_code: str | None = None,
                side: Literal["provider", "requester"] | None = Query(None, description="部门是提供方还是申请方"),
                status: Literal["active", "expired", "revoked"] | None = None,
                resource_code: str | None = None, needs_review: bool | None = None,
                limit: int = Query(50, ge=1, le=500), offset: Offset = 0) -> dict[str, Any]:
    with db.session() as session:
        rows, count = grants.list_grants(
            session=session, actor=actor, calendar=calendar, clock=clock, department_code=department_code,
            side=side, status=status, resource_code=resource_code, needs_review=needs_review,
            limit=limit, offset=offset)
        return {"data": [grants.grant_dict(g, calendar=calendar, clock=clock) for g in rows], "count": count}


@router.get("/grants/{grant_id}", tags=["授权 grants"], summary="读取授权", response_model=GrantOut)
def get_grant(db: DbDep, actor: ActorDep, calendar: CalendarDep, clock: ClockDep, grant_id: RowId) -> dict[str, Any]:
    with db.session() as session:
        return grants.grant_dict(grants.get_grant(session=session, actor=actor, grant_id=grant_id),
                                 calendar=calendar, clock=clock)


@router.post("/grants/{grant_id}/revoke", tags=["授权 grants"], summary="撤销授权 (提供方或协调机构)",
             response_model=GrantOut)
def revoke_grant(db: DbDep, actor: ActorDep, calendar: CalendarDep, clock: ClockDep, grant_id: RowId,
                 body: ReasonBody | None = Body(None)) -> dict[str, Any]:
    with db.transaction() as session:
        grant = grants.revoke_grant(session=session, actor=actor, calendar=calendar, clock=clock,
                                    grant_id=grant_id, reason=body.reason if body else None)
        return grants.grant_dict(grant, calendar=calendar, clock=clock)


# ---- feedback (校核) -------------------------------------------------------------------------------
@router.post("/feedback", status_code=201, tags=["纠错反馈 feedback"], summary="报告共享数据错误",
             response_model=FeedbackOut)
def create_feedback(db: DbDep, actor: ActorDep, calendar: CalendarDep, clock: ClockDep,
                    body: FeedbackCreate) -> JSONResponse:
    with db.transaction() as session:
        rep = feedback.create_report(session=session, actor=actor, calendar=calendar, clock=clock,
                                     **body.model_dump())
        data = feedback.report_dict(rep, calendar=calendar, clock=clock)
    return _created(data, f"/api/v1/feedback/{data['id']}")


@router.get("/feedback", tags=["纠错反馈 feedback"], summary="纠错反馈列表", response_model=FeedbackPage)
def list_feedback(db: DbDep, actor: ActorDep, calendar: CalendarDep, clock: ClockDep,
                  status: str | None = Query(None, description="open corrected not_an_error"),
                  overdue: bool | None = None, resource_code: str | None = None,
                  provider_code: str | None = None, reporter_code: str | None = None,
                  limit: int = Query(50, ge=1, le=500), offset: Offset = 0) -> dict[str, Any]:
    with db.session() as session:
        rows, count = feedback.list_reports(
            session=session, actor=actor, calendar=calendar, clock=clock, status=status, overdue=overdue,
            resource_code=resource_code, provider_code=provider_code, reporter_code=reporter_code,
            limit=limit, offset=offset)
        return {"data": [feedback.report_dict(r, calendar=calendar, clock=clock) for r in rows], "count": count}


@router.get("/feedback/{report_id}", tags=["纠错反馈 feedback"], summary="读取纠错反馈", response_model=FeedbackOut)
def get_feedback(db: DbDep, actor: ActorDep, calendar: CalendarDep, clock: ClockDep,
                 report_id: RowId) -> dict[str, Any]:
    with db.session() as session:
        return feedback.report_dict(feedback.get_report(session=session, actor=actor, report_id=report_id),
                                    calendar=calendar, clock=clock)


@router.post("/feedback/{report_id}/answer", tags=["纠错反馈 feedback"], summary="答复纠错反馈 (提供方)",
             response_model=FeedbackOut)
def answer_feedback(db: DbDep, actor: ActorDep, calendar: CalendarDep, clock: ClockDep, report_id: RowId,
                    body: FeedbackAnswer) -> dict[str, Any]:
    with db.transaction() as session:
        rep = feedback.answer_report(session=session, actor=actor, calendar=calendar, clock=clock,
                                     report_id=report_id, outcome=body.outcome, answer=body.answer)
        return feedback.report_dict(rep, calendar=calendar, clock=clock)


# ---- stats (绩效评估) ------------------------------------------------------------------------------
@router.get("/stats", tags=["绩效评估 stats"], summary="绩效评估: 各部门资源、合规率、共享答复与纠错",
            response_model=StatsOut)
def get_stats(db: DbDep, actor: ActorDep, calendar: CalendarDep, clock: ClockDep,
              department_code: str | None = Query(None, description="只看一个部门")) -> dict[str, Any]:
    authorize(actor, "read_audit_log")  # the same rule as the web report: coordinators, auditors, admins
    with db.session() as session:
        return stats.performance_report(session=session, calendar=calendar, clock=clock,
                                        department_code=department_code)
