"""Dependencies named once: the Catalog (and its database, settings, standards, clock), the current actor,
a parsed record body, If-Match."""
from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import Depends, Header, Path, Query, Request
from starlette.concurrency import run_in_threadpool

from api.body_hints import with_yaml_hint
from catalog import time_budget
from catalog.auth import Actor, actor_for_bearer
from catalog.core import Catalog
from catalog.db import Database
from catalog.errors import InvalidInput
from catalog.input_shape import check_shape
from catalog.oidc.access_tokens import actor_for_access_token, looks_like_jwt
from catalog.oidc.provider import IdentityProvider
from catalog.records import parse_record_text
from catalog.settings import Settings
from catalog.sharing.calendar import WorkingCalendar
from catalog.sharing.clock import Clock

MAX_BULK_RECORDS = 1000  # one request; each record is validated in the request (bounded time)


def get_catalog(request: Request) -> Catalog:
    """The one Catalog `create_app` built for this app."""
    catalog: Catalog = request.app.state.catalog
    return catalog


def get_db(request: Request) -> Database:
    return get_catalog(request).db


def get_calendar(request: Request) -> WorkingCalendar:
    return get_catalog(request).calendar


def get_clock(request: Request) -> Clock:
    """The Catalog's clock (a test may also set `app.state.clock`, as before the Catalog)."""
    return getattr(request.app.state, "clock", None) or get_catalog(request).clock


def get_identity_provider(request: Request) -> IdentityProvider | None:
    """统一身份认证 (catalog.oidc), or None when OIDC is not configured."""
    idp: IdentityProvider | None = getattr(request.app.state, "identity_provider", None)
    return idp


# The dependencies below are `async` only so that FastAPI answers them on the event loop: a plain `def`
# dependency is run in the thread pool, one thread hop (~0.2 ms of CPU) per dependency per request.
async def _catalog_dep(request: Request) -> Catalog:
    return get_catalog(request)


async def _db_dep(request: Request) -> Database:
    return get_db(request)


async def _settings_dep(request: Request) -> Settings:
    return get_catalog(request).settings


async def _calendar_dep(request: Request) -> WorkingCalendar:
    return get_calendar(request)


async def _clock_dep(request: Request) -> Clock:
    return get_clock(request)


def current_actor(request: Request, db: Annotated[Database, Depends(_db_dep)]) -> Actor:
    """The actor of the Bearer token: a local token (`mulu_…`, looked up in the database) or, when OIDC is
    configured, an access token (JWT) of the identity provider, verified against its keys."""
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    token = token.strip() if scheme.lower() == "bearer" else ""
    idp = get_identity_provider(request)
    if idp is not None and looks_like_jwt(token):
        return actor_for_access_token(idp=idp, token=token)
    return actor_for_bearer(db=db, token=token or None)


def optional_actor(request: Request, db: Annotated[Database, Depends(_db_dep)]) -> Actor | None:
    """The actor of the bearer token when the request has an Authorization header, else None."""
    if not request.headers.get("authorization"):
        return None
    return current_actor(request, db)


async def record_body(request: Request) -> dict[str, Any]:
    """A resource record from the body: JSON, or YAML when the Content-Type says so."""
    data = await request.body()
    if not data.strip():
        raise InvalidInput("请求体为空，应为一条资源记录 (empty body)")
    ctype = request.headers.get("content-type", "").lower()
    suffix = ".yaml" if "yaml" in ctype else ".json"
    try:
        return await run_in_threadpool(parse_record_text, data, source="请求体", suffix=suffix)  # off the event loop
    except InvalidInput as exc:
        raise (with_yaml_hint(exc, data, ctype) if suffix == ".json" else exc) from None


async def records_body(request: Request) -> list[Any]:
    """A JSON array of records (bulk registration)."""
    return await run_in_threadpool(_parse_records, await request.body())  # off the event loop


def _parse_records(data: bytes) -> list[Any]:
    try:
        with time_budget.within(time_budget.PARSE_SECONDS, "请求体"):
            value = json.loads(data)
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
    with time_budget.within(time_budget.PARSE_SECONDS, "请求体"):
        check_shape(value, "请求体")
    return value


CatalogDep = Annotated[Catalog, Depends(_catalog_dep)]
DbDep = Annotated[Database, Depends(_db_dep)]
SettingsDep = Annotated[Settings, Depends(_settings_dep)]
CalendarDep = Annotated[WorkingCalendar, Depends(_calendar_dep)]
ClockDep = Annotated[Clock, Depends(_clock_dep)]
ActorDep = Annotated[Actor, Depends(current_actor)]
OptionalActorDep = Annotated[Actor | None, Depends(optional_actor)]
RecordBody = Annotated[dict[str, Any], Depends(record_body)]
RecordsBody = Annotated[list[Any], Depends(records_body)]
# Row ids in paths: a database integer is 64-bit; a larger number is a 422 naming the parameter, not a 500.
MAX_DB_INT = 2**63 - 1
RowId = Annotated[int, Path(ge=1, le=MAX_DB_INT, description="编号 (id)")]
# Numbers in queries, bounded the same way (offset=9223372036854775808 is a 422, not an overflow 500).
Offset = Annotated[int, Query(ge=0, le=MAX_DB_INT, description="跳过的条数")]
VersionFrom = Annotated[int, Query(alias="from", ge=1, le=MAX_DB_INT, description="旧版本号")]
VersionTo = Annotated[int, Query(ge=1, le=MAX_DB_INT, description="新版本号")]
IfMatch = Annotated[str | None, Header(alias="If-Match", description="读取资源时得到的 ETag")]
