"""Dependencies named once: the database, the current actor, a parsed record body, If-Match."""
from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import Depends, Header, Path, Request

from api.body_hints import with_yaml_hint
from catalog.auth import Actor, actor_for_token
from catalog.db import Database
from catalog.errors import InvalidInput
from catalog.records import check_depth, parse_record_text

MAX_BULK_RECORDS = 1000  # one request; each record is validated in the request (bounded time)
from catalog.settings import Settings


def get_db(request: Request) -> Database:
    return request.app.state.db


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def current_actor(request: Request, db: Annotated[Database, Depends(get_db)]) -> Actor:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    with db.session() as session:
        return actor_for_token(session=session, token=token.strip() if scheme.lower() == "bearer" else None)


async def record_body(request: Request) -> dict[str, Any]:
    """A resource record from the body: JSON, or YAML when the Content-Type says so."""
    data = await request.body()
    if not data.strip():
        raise InvalidInput("请求体为空，应为一条资源记录 (empty body)")
    ctype = request.headers.get("content-type", "").lower()
    suffix = ".yaml" if "yaml" in ctype else ".json"
    try:
        return parse_record_text(data, source="请求体", suffix=suffix)
    except InvalidInput as exc:
        raise (with_yaml_hint(exc, data, ctype) if suffix == ".json" else exc) from None


async def records_body(request: Request) -> list[Any]:
    """A JSON array of records (bulk registration)."""
    try:
        value = json.loads(await request.body())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"请求体不是合法的 JSON：{exc} (malformed JSON)") from None
    except RecursionError:
        raise InvalidInput("请求体嵌套过深，拒绝读取 (nesting too deep)") from None
    if isinstance(value, dict) and isinstance(value.get("records"), list):
        value = value["records"]
    if not isinstance(value, list):
        raise InvalidInput("批量登记的请求体应为资源记录数组 (expected a JSON array of records)")
    if len(value) > MAX_BULK_RECORDS:
        raise InvalidInput(f"一次最多批量登记 {MAX_BULK_RECORDS} 条，收到 {len(value)} 条，请分批提交 "
                           "(too many records in one bulk request)")
    check_depth(value, "请求体")
    return value


DbDep = Annotated[Database, Depends(get_db)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
ActorDep = Annotated[Actor, Depends(current_actor)]
RecordBody = Annotated[dict[str, Any], Depends(record_body)]
RecordsBody = Annotated[list[Any], Depends(records_body)]
# Row ids in paths: a database integer is 64-bit; a larger number is a 422 naming the parameter, not a 500.
RowId = Annotated[int, Path(ge=1, le=2**63 - 1, description="编号 (id)")]
IfMatch = Annotated[str | None, Header(alias="If-Match", description="读取资源时得到的 ETag")]
