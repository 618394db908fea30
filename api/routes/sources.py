"""/sources (一数一源), /elements/redundancy and /scenarios (联办): thin doors onto catalog.sources.

Reading needs any valid token; a coordinator sets an element's authoritative source; a department's
steward (or a coordinator) records or removes an exemption. Every write is audit-logged by the domain.
"""
from __future__ import annotations

from typing import Any

from fastapi import Query
from pydantic import BaseModel, Field

from api.deps import ActorDep, DbDep, RowId
from api.examples import ERRORS
from api.routing import TypedRouter
from api.schemas.sources import (ExemptionOut, RedundancyOut, ScenarioOut, ScenarioPage, SourceOut,
                                 SourceResetOut, SourcesOut)
from api.routes.sharing import CalendarDep, ClockDep
from catalog.departments import registry_standards
from catalog.sources import authority, redundancy, scenarios
from catalog.sources.index import source_index

router = TypedRouter(responses=ERRORS)
TAG_SOURCES, TAG_SCENARIOS = "一数一源 sources", "联办场景 scenarios"


# Request bodies: what a door accepts; catalog.sources checks the meaning.
class SourceIn(BaseModel):
    department_code: str = Field(description="权威（牵头采集）部门代码", examples=["330782102"])
    resource_code: str | None = Field(None, description="权威资源代码（已登记时）", examples=["101001/000001"])
    note: str | None = Field(None, description="说明，如依据的法规")


class ExemptionIn(BaseModel):
    department_code: str = Field(description="自行采集的部门代码", examples=["330782103"])
    element: str = Field(description="数据元标识", examples=["DE0031"])
    basis: str = Field(description="自行采集的法律依据", examples=["《中华人民共和国税收征收管理法》第十五条"])


@router.get("/sources", tags=[TAG_SOURCES], summary="数据元权威来源与采集豁免", response_model=SourcesOut)
def sources(db: DbDep, actor: ActorDep,
            department_code: str | None = Query(None, description="只看一个部门")) -> dict[str, Any]:
    with db.session() as session:
        standards = registry_standards(session=session)
    return authority.sources_listing(index=source_index(standards), standards=standards,
                                     department_code=department_code)


@router.put("/sources/{element}", tags=[TAG_SOURCES], summary="设置数据元的权威来源（协调员）",
            response_model=SourceOut)
def set_source(db: DbDep, actor: ActorDep, element: str, body: SourceIn) -> dict[str, Any]:
    with db.transaction() as session:
        source = authority.set_source(session=session, actor=actor, standards=registry_standards(session=session),
                                      element=element, **body.model_dump())
    return source.to_dict()


@router.delete("/sources/{element}", tags=[TAG_SOURCES], summary="撤销数据库中的设置，恢复标准文件的默认值",
               response_model=SourceResetOut)
def reset_source(db: DbDep, actor: ActorDep, element: str) -> dict[str, Any]:
    with db.transaction() as session:
        source = authority.reset_source(session=session, actor=actor,
                                        standards=registry_standards(session=session), element=element)
    return {"element": element, "default": source.to_dict() if source else None}


@router.post("/sources/exemptions", tags=[TAG_SOURCES], status_code=201, summary="登记采集依据（豁免）",
             response_model=ExemptionOut)
def add_exemption(db: DbDep, actor: ActorDep, body: ExemptionIn) -> dict[str, Any]:
    with db.transaction() as session:
        row = authority.add_exemption(session=session, actor=actor, standards=registry_standards(session=session),
                                      **body.model_dump())
    return row.to_dict()


@router.delete("/sources/exemptions/{exemption_id}", tags=[TAG_SOURCES], status_code=204,
               summary="撤销采集依据（豁免）")
def remove_exemption(db: DbDep, actor: ActorDep, exemption_id: RowId) -> None:
    with db.transaction() as session:
        authority.remove_exemption(session=session, actor=actor, exemption_id=exemption_id)


@router.get("/elements/redundancy", tags=[TAG_SOURCES], summary="冗余采集图：数据元 × 部门",
            response_model=RedundancyOut)
def redundancy_map(db: DbDep, actor: ActorDep,
                   element: str | None = Query(None, description="数据元标识、名称或英文标识符"),
                   department_code: str | None = Query(None, description="只看涉及此部门的数据元"),
                   only_duplicates: bool = Query(False, description="只看有重复采集的数据元"),
                   sort: str = Query("departments", description="departments | duplicates | element")
                   ) -> dict[str, Any]:
    with db.session() as session:
        standards = registry_standards(session=session)
        rows = redundancy.visible_resources(session=session, actor=actor)
        return redundancy.redundancy_map(resources=rows, standards=standards, element=element,
                                         department=department_code, only_duplicates=only_duplicates, sort=sort)


@router.get("/scenarios", tags=[TAG_SCENARIOS], summary="联办场景列表", response_model=ScenarioPage)
def scenario_list(db: DbDep, actor: ActorDep) -> dict[str, Any]:
    with db.session() as session:
        items = scenarios.scenario_list(standards=registry_standards(session=session))
    return {"data": items, "count": len(items)}


@router.get("/scenarios/{name}", tags=[TAG_SCENARIOS], summary="联办场景：各环节共享覆盖、手工录入与材料精简",
            response_model=ScenarioOut)
def scenario_show(db: DbDep, actor: ActorDep, calendar: CalendarDep, clock: ClockDep, name: str) -> dict[str, Any]:
    with db.session() as session:
        return scenarios.scenario_report(session=session, standards=registry_standards(session=session),
                                         today=calendar.local_date(clock.now()), name=name)
