"""一数一源 pages: the redundancy map (elements × departments, sortable and filterable) and the 联办
scenarios in figures. The same domain functions as the API (catalog.sources)."""
from __future__ import annotations

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from api.web.context import database, optional_viewer, viewer
from api.web.render import WebRoute, render
from api.web.sharing import sharing_tools
from catalog.departments import registry_standards
from catalog.sources import authority, redundancy, scenarios
from catalog.sources.index import source_index

router = APIRouter(route_class=WebRoute)
CELL = {"authoritative": ("★", "权威来源"), "duplicate": ("●", "重复采集"), "exempt": ("◐", "已登记采集依据（豁免）"),
        "no-authority": ("○", "持有（未指定权威来源）")}
NEED = {"own": "本部门权威数据", "shared": "共享获取", "available": "可申请共享（尚无授权，仍手工录入）",
        "manual": "手工录入（目录中无其他部门提供）"}


@router.get("/elements/redundancy")
def redundancy_page(request: Request, q: str = Query("", max_length=100), department: str = Query("", max_length=9),
                    duplicates: bool = Query(False), sort: str = Query("departments", max_length=20)) -> Response:
    actor = optional_viewer(request)  # signed out: the published catalogue
    if sort not in redundancy.SORTS:
        sort = "departments"
    with database(request).session() as s:
        std = registry_standards(session=s, standards=request.app.state.catalog.files)
        rows = redundancy.visible_resources(session=s, actor=actor)
        data = redundancy.redundancy_map(resources=rows, standards=std, element=q.strip() or None,
                                         department=department or None, only_duplicates=duplicates, sort=sort)
    exemptions = authority.sources_listing(index=source_index(std), standards=std,
                                           department_code=department or None)["exemptions"]
    short = {code: (d.get("short_name") or d["name"]) for code, d in std.departments.items()}
    all_departments = sorted(std.departments.items())
    for row in data["elements"]:
        row["cells"] = {c["department_code"]: c for c in row["carriers"]}
    return render(request, "redundancy.html", data=data, short=short, cell=CELL, q=q, department=department,
                  duplicates=duplicates, sort=sort, all_departments=all_departments, exemptions=exemptions)


@router.get("/scenarios")
def scenarios_page(request: Request) -> Response:
    viewer(request)
    with database(request).session() as s:
        rows = scenarios.scenario_list(standards=registry_standards(session=s,
                                                                    standards=request.app.state.catalog.files))
    return render(request, "scenarios.html", rows=rows)


@router.get("/scenarios/{name}")
def scenario_page(request: Request, name: str) -> Response:
    viewer(request)
    tools = sharing_tools(request)
    with database(request).session() as s:
        std = registry_standards(session=s, standards=request.app.state.catalog.files)
        data = scenarios.scenario_report(session=s, standards=std, today=tools.calendar.local_date(tools.clock.now()),
                                         name=name)
    names = {code: d["name"] for code, d in std.departments.items()}
    return render(request, "scenario.html", s=data, need=NEED, dept_name=lambda c: names.get(c, c))
