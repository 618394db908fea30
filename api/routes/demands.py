"""/demands (供需对接): the demand register and the responsibility list; thin doors onto catalog.demands.

    POST /demands                          register a need; the answer carries the proposals
    GET  /demands, /demands/{id}           list (status, requester, responsible department) / one with its timeline
    POST /demands/{id}/accept|unmet|rematch|withdraw      the requester's steps
    POST /demands/{id}/assign              the coordinator's step
    GET  /demands/duties, /demands/duties/{id}            the responsibility list (overdue=true for the late ones)
    POST /demands/duties/{id}/will-provide|cannot|not-ours|escalate|arbitrate
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from fastapi import Body, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from api.deps import ActorDep, CatalogDep, DbDep, RowId
from api.examples import ERRORS
from api.routing import TypedRouter
from api.schemas.demands import DemandAccepted, DemandOut, DemandPage, DutyOut, DutyPage
from api.routes.sharing import CalendarDep, ClockDep
from catalog.demands import duties, register
from catalog.sharing import requests as share_requests

router = TypedRouter(prefix="/demands", responses=ERRORS)
DEMANDS, DUTIES = ["供需对接 demands"], ["责任清单 duties"]
MAX_OFFSET = 10**9  # a database integer is 64-bit: a huge offset is a 422, never an overflow


# Request bodies: what a door accepts; the domain functions check the meaning and name the field.
class DemandCreate(BaseModel):
    title: str = Field(description="需求名称")
    description: str = Field(description="需求描述")
    needs: list[str] = Field(description="所需数据: 数据元编号 (DE0001) 或信息项名称")
    purpose: str = Field(description="用途")
    basis: str = Field(description="法律依据")
    scenario: str | None = Field(None, description="应用场景 (可选)")
    wanted_by: str | None = Field(None, description="期望获得日期 YYYY-MM-DD")
    requester_code: str | None = Field(None, description="需求部门代码; 省略 = 令牌所属部门")


class AcceptBody(BaseModel):
    resources: list[str] = Field(description="转为共享申请的资源代码 (须在匹配结果中), 每个资源一个申请")
    period_days: int = Field(ge=1, le=36500, description="使用期限 (天)")


class ReasonBody(BaseModel):
    reason: str | None = None


class AssignBody(BaseModel):
    departments: list[str] = Field(description="责任部门代码")
    working_days: int | None = Field(None, ge=1, le=365, description="答复时限 (工作日); 省略 = 共享申请答复时限")
    note: str | None = None


class WillProvideBody(BaseModel):
    target_date: str = Field(description="计划提供日期 YYYY-MM-DD")
    note: str | None = None


class ArbitrateBody(BaseModel):
    outcome: Literal["provide", "uphold"] = Field(description="provide 应予提供 / uphold 维持无法提供")
    reason: str
    target_date: str | None = Field(None, description="应予提供时的限定日期 YYYY-MM-DD")


def _demand(db: Any, demand_id: int, actor: Any, calendar: Any, clock: Any) -> dict[str, Any]:
    with db.session() as session:
        row = register.get_demand(session=session, actor=actor, demand_id=demand_id)
        return register.demand_dict(row, session=session, calendar=calendar, clock=clock, with_events=True)


def _duty(session: Any, duty: Any, calendar: Any, clock: Any) -> dict[str, Any]:
    demand = register.get_demand_row(session=session, demand_id=duty.demand_id)
    return duties.duty_dict(duty, demand=demand, calendar=calendar, clock=clock)


@router.post("", status_code=201, tags=DEMANDS, summary="登记数据需求 (返回目录匹配结果及覆盖率)",
             response_model=DemandOut)
def create_demand(db: DbDep, catalog: CatalogDep, actor: ActorDep, calendar: CalendarDep, clock: ClockDep,
                  body: DemandCreate) -> JSONResponse:
    with db.transaction() as session:
        row = register.create_demand(session=session, actor=actor, calendar=calendar, clock=clock,
                                     standards=catalog.files, backend=catalog.search, **body.model_dump())
        data = register.demand_dict(row, session=session, calendar=calendar, clock=clock, with_events=True)
    return JSONResponse(data, status_code=201, headers={"Location": f"/api/v1/demands/{data['id']}"})


@router.get("", tags=DEMANDS, summary="需求清单 (本部门提出的和承担责任的; 协调机构看全部)",
            response_model=DemandPage)
def list_demands(db: DbDep, actor: ActorDep, calendar: CalendarDep, clock: ClockDep,
                 status: str | None = Query(None, description="open matched unmet assigned fulfilled withdrawn"),
                 requester_code: str | None = None,
                 department_code: str | None = Query(None, description="责任部门代码"),
                 limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> dict[str, Any]:
    with db.session() as session:
        rows, count = register.list_demands(session=session, actor=actor, status=status,
                                            requester_code=requester_code, department_code=department_code,
                                            limit=limit, offset=offset)
        return {"data": [register.demand_dict(r, session=session, calendar=calendar, clock=clock) for r in rows],
                "count": count}


@router.get("/duties", tags=DUTIES, summary="责任清单 (overdue=true 看逾期的)", response_model=DutyPage)
def list_duties(db: DbDep, actor: ActorDep, calendar: CalendarDep, clock: ClockDep,
                department_code: str | None = None,
                status: str | None = Query(None, description="assigned promised refused escalated fulfilled "
                                                              "returned upheld closed"),
                overdue: bool | None = None, demand_id: int | None = Query(None, ge=1, le=2**63 - 1),
                limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0, le=MAX_OFFSET)) -> dict[str, Any]:
    with db.session() as session:
        rows, count = duties.list_duties(session=session, actor=actor, calendar=calendar, clock=clock,
                                         department_code=department_code, status=status, overdue=overdue,
                                         demand_id=demand_id, limit=limit, offset=offset)
        return {"data": [_duty(session, d, calendar, clock) for d in rows], "count": count}


@router.get("/duties/{duty_id}", tags=DUTIES, summary="读取一项责任", response_model=DutyOut)
def get_duty(db: DbDep, actor: ActorDep, calendar: CalendarDep, clock: ClockDep, duty_id: RowId) -> dict[str, Any]:
    with db.session() as session:
        return _duty(session, duties.get_duty(session=session, actor=actor, duty_id=duty_id), calendar, clock)


@router.get("/{demand_id}", tags=DEMANDS, summary="读取需求 (含责任与办理过程)", response_model=DemandOut)
def get_demand(db: DbDep, actor: ActorDep, calendar: CalendarDep, clock: ClockDep, demand_id: RowId) -> dict[str, Any]:
    return _demand(db, demand_id, actor, calendar, clock)


@router.post("/{demand_id}/accept", tags=DEMANDS, summary="把匹配结果转为共享申请 (每个资源一个, 信息项预填)",
             response_model=DemandAccepted)
def accept(db: DbDep, actor: ActorDep, calendar: CalendarDep, clock: ClockDep, demand_id: RowId,
           body: AcceptBody) -> dict[str, Any]:
    with db.transaction() as session:
        row, made = register.accept_proposals(session=session, actor=actor, calendar=calendar, clock=clock,
                                              demand_id=demand_id, **body.model_dump())
        data = register.demand_dict(row, session=session, calendar=calendar, clock=clock)
        data["share_requests"] = [share_requests.request_dict(r, calendar=calendar, clock=clock) for r in made]
    return data


@router.post("/{demand_id}/rematch", tags=DEMANDS, summary="按目录现状重新匹配", response_model=DemandOut)
def rematch(db: DbDep, catalog: CatalogDep, actor: ActorDep, calendar: CalendarDep, clock: ClockDep,
            demand_id: RowId) -> dict[str, Any]:
    with db.transaction() as session:
        register.rematch_demand(session=session, actor=actor, calendar=calendar, clock=clock, demand_id=demand_id,
                                standards=catalog.files, backend=catalog.search)
    return _demand(db, demand_id, actor, calendar, clock)


@router.post("/{demand_id}/assign", tags=DEMANDS, summary="分派责任部门 (共享协调机构)", response_model=DemandOut)
def assign(db: DbDep, actor: ActorDep, calendar: CalendarDep, clock: ClockDep, demand_id: RowId,
           body: AssignBody) -> dict[str, Any]:
    with db.transaction() as session:
        duties.assign_demand(session=session, actor=actor, calendar=calendar, clock=clock, demand_id=demand_id,
                             **body.model_dump())
    return _demand(db, demand_id, actor, calendar, clock)


def _demand_step(path: str, summary: str, call: Callable[..., Any]) -> None:
    def handler(db: DbDep, actor: ActorDep, calendar: CalendarDep, clock: ClockDep, demand_id: RowId,
                body: ReasonBody | None = Body(None)) -> dict[str, Any]:
        with db.transaction() as session:
            call(session=session, actor=actor, calendar=calendar, clock=clock, demand_id=demand_id,
                 reason=body.reason if body else None)
        return _demand(db, demand_id, actor, calendar, clock)

    handler.__name__ = path.replace("-", "_") + "_demand"
    router.add_api_route(f"/{{demand_id}}/{path}", handler, methods=["POST"], summary=summary, tags=DEMANDS,
                         response_model=DemandOut)


_demand_step("unmet", "确认目录无法满足 (转协调机构分派)", register.declare_unmet)
_demand_step("withdraw", "撤回需求 (需求部门)", register.withdraw_demand)


def _duty_step(path: str, summary: str, body_model: type[BaseModel], call: Callable[..., Any]) -> None:
    required = any(f.is_required() for f in body_model.model_fields.values())

    def handler(db: DbDep, actor: ActorDep, calendar: CalendarDep, clock: ClockDep, duty_id: RowId,
                body: body_model | None = Body(... if required else None)  # type: ignore[valid-type]
                ) -> dict[str, Any]:
        fields = body.model_dump() if body is not None else dict.fromkeys(body_model.model_fields)
        with db.transaction() as session:
            duty = call(session=session, actor=actor, calendar=calendar, clock=clock, duty_id=duty_id, **fields)
            return _duty(session, duty, calendar, clock)

    handler.__name__ = path.replace("-", "_") + "_duty"
    handler.__annotations__["body"] = body_model | None
    router.add_api_route(f"/duties/{{duty_id}}/{path}", handler, methods=["POST"], summary=summary, tags=DUTIES,
                         response_model=DutyOut)


_duty_step("will-provide", "答复: 承诺提供 (责任部门; 发布覆盖所需数据的资源即满足)", WillProvideBody, duties.will_provide)
_duty_step("cannot", "答复: 无法提供 (责任部门; 须说明理由)", ReasonBody, duties.cannot_provide)
_duty_step("not-ours", "答复: 非本部门职责 (退回协调机构)", ReasonBody, duties.not_ours)
_duty_step("escalate", "对“无法提供”申请争议协调 (需求部门)", ReasonBody, duties.escalate_duty)
_duty_step("arbitrate", "裁决 (共享协调机构; 终局)", ArbitrateBody, duties.arbitrate_duty)
