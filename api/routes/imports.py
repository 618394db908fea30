"""POST /imports: upload an Excel template or a DCAT-US data.json; validate every record, store the valid ones."""
from __future__ import annotations

from typing import Any, Literal

from fastapi import File, Form, UploadFile

from api.deps import ActorDep, CatalogDep
from api.examples import ERRORS
from api.routing import TypedRouter
from api.schemas.imports import ImportOut
from catalog.interop.service import guess_format, import_input

router = TypedRouter(prefix="/imports", tags=["导入 imports"], responses=ERRORS)


@router.post("", summary="导入目录（Excel 模板或 DCAT-US data.json），返回逐条问题与汇总",
             response_model=ImportOut)
def create_import(
    catalog: CatalogDep, actor: ActorDep,
    file: UploadFile = File(..., description=".xlsx 模板或 data.json"),
    format: Literal["xlsx", "dcat-us"] | None = Form(None, description="默认按文件名判断"),
    dry_run: bool = Form(False, description="只校验，不保存"),
    atomic: bool = Form(False, description="全部合格才保存"),
) -> dict[str, Any]:
    name = file.filename or "upload"
    data = file.file.read()  # a plain `def` route: FastAPI runs it in the thread pool, off the event loop
    fmt = format or guess_format(name)
    summary = import_input(db=catalog.db, actor=actor, fmt=fmt, name=name, data=data, dry_run=dry_run,
                           atomic=atomic, standards=catalog.files)
    return summary.to_dict()
