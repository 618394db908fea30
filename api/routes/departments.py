"""/departments: the department registry — list (JSON, or a YAML/CSV/xlsx file), create one, bulk import."""
from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from pydantic import BaseModel, Field

from api.deps import ActorDep, DbDep
from api.examples import ERRORS
from api.routing import TypedRouter
from api.schemas.departments import DepartmentImportOut, DepartmentOut, DepartmentPage
from catalog.department_files import MEDIA_TYPES, export_department_file, guess_format, import_department_file
from catalog.departments import create_department, department_dict, division_map, list_departments
from catalog.errors import InvalidInput

router = TypedRouter(responses=ERRORS, tags=["部门 departments"])


class DepartmentIn(BaseModel):
    code: str = Field(examples=["330782199"])
    name: str = Field(examples=["义乌市数据资源管理局"])
    short_name: str | None = Field(None, examples=["数据局"])
    sector: str | None = Field(None, examples=["19"])
    level: str | None = Field(None, examples=["county"])
    parent_code: str | None = Field(None, examples=["330700199"])
    former_names: list[str] | None = None
    aliases: list[str] | None = None
    division_name: str | None = Field(None, examples=["义乌市"])


@router.get("/departments", summary="部门列表（JSON；format=yaml|csv|xlsx 时下载文件）",
            response_model=DepartmentPage,
            responses={200: {"content": {media: {} for media in MEDIA_TYPES.values()}}})
def departments(db: DbDep, format: str | None = None, division: str | None = None,
                level: str | None = None, parent: str | None = None) -> Any:
    with db.session() as session:
        if format and format != "json":
            if format not in MEDIA_TYPES:
                raise InvalidInput(f"format 应为 json / yaml / csv / xlsx，收到 {format!r} (unknown format)")
            body = export_department_file(session=session, fmt=format, division=division,  # type: ignore[arg-type]
                                          level=level)
            return Response(body, media_type=MEDIA_TYPES[format], headers={
                "Content-Disposition": f'attachment; filename="departments.{format}"'})
        divisions = division_map(session=session)
        rows = [department_dict(d, divisions=divisions)
                for d in list_departments(session=session, division=division, level=level, parent=parent)]
    return {"data": rows, "count": len(rows)}


@router.post("/departments", status_code=201, summary="新增部门（协调员）", response_model=DepartmentOut)
def add_department(db: DbDep, actor: ActorDep, body: DepartmentIn) -> dict[str, Any]:
    with db.transaction() as session:
        row = create_department(session=session, actor=actor, **body.model_dump())
        return department_dict(row, divisions=division_map(session=session))


@router.post("/departments/bulk", summary="批量导入部门（YAML / CSV / xlsx 文件或 JSON 数组；逐行返回结果）",
             response_model=DepartmentImportOut)
async def bulk_departments(db: DbDep, actor: ActorDep, request: Request, format: str | None = None,
                           name: str = "departments") -> dict[str, Any]:
    data = await request.body()
    ctype = request.headers.get("content-type", "").lower()
    fmt = format or ("csv" if "csv" in ctype else "xlsx" if "spreadsheet" in ctype
                     else "yaml" if "yaml" in ctype or "json" in ctype else guess_format(name))
    if fmt not in MEDIA_TYPES:
        raise InvalidInput(f"format 应为 yaml / csv / xlsx，收到 {fmt!r} (unknown format)")
    with db.transaction() as session:
        return import_department_file(session=session, actor=actor, data=data, fmt=fmt, name=name)  # type: ignore[arg-type]
