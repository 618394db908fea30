"""Helpers shared by the sharing services: input checks with findings, resource lookup, party checks."""
from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog.auth import Actor, allowed, authorize
from catalog.errors import InvalidInput, NotFound
from catalog.findings import Finding, pointer
from catalog.models import Resource

SHARE_TYPES = ("无条件共享", "有条件共享", "不予共享")
STRICTNESS = {t: i for i, t in enumerate(SHARE_TYPES)}


def bad(field: str, rule: str, message: str) -> InvalidInput:
    """400 with one finding naming the field (JSON pointer), the rule and what was expected."""
    path = pointer(*field.split("/")) if field else ""
    return InvalidInput(f"{message} ({path or '/'})", findings=[Finding(rule, "error", path, message)])


def need_text(value: Any, field: str, what: str, *, max_length: int = 2000) -> str:
    if not isinstance(value, str) or not value.strip():
        raise bad(field, "required", f"请填写{what} ({field} is required, a non-empty string)")
    if len(value) > max_length:
        raise bad(field, "too-long", f"{what}不得超过 {max_length} 个字符")
    return value.strip()


def need_int(value: Any, field: str, what: str, *, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise bad(field, "out-of-range", f"{what}应为 {low}–{high} 之间的整数, 收到 {value!r}")
    return value


def published_resource(session: Session, code: Any) -> Resource:
    """The published resource `code`; 404 otherwise — the same answer for a missing, draft or withdrawn
    resource, so a request does not tell which codes exist behind the published catalogue."""
    if not isinstance(code, str) or not code.strip():
        raise bad("resource_code", "required", "请填写资源代码 resource_code, 例如 102001/000001")
    row = None if "\x00" in code else session.execute(  # PostgreSQL refuses NUL in a query
        select(Resource).where(col(Resource.code) == code.strip())).scalar_one_or_none()
    if row is None or row.state != "published":
        raise NotFound(f"资源 {code} 不存在或未发布 (resource not found)")
    return row


def item_identifiers(resource: Resource) -> list[str]:
    return [str(i.get("identifier")) for i in (resource.record or {}).get("items") or [] if i.get("identifier")]


def check_items(resource: Resource, items: Any, field: str = "items") -> list[str]:
    """Requested identifiers, all of them checked against the resource; empty/None = every item."""
    known = item_identifiers(resource)
    if items is None or items == []:
        return known
    if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
        raise bad(field, "type", "信息项应为标识符 (identifier) 字符串的列表")
    for i, ident in enumerate(items):
        if ident not in known:
            raise bad(f"{field}/{i}", "unknown-item",
                      f"资源 {resource.code} 没有信息项 {ident!r}; 可选: {', '.join(known) or '(无信息项)'}")
    return list(dict.fromkeys(items))


def acting_department(actor: Actor, department_code: str | None, action: str) -> str:
    """The department on whose behalf `actor` acts (its own; an admin must name one)."""
    code = department_code or actor.department_code
    if not code:
        raise bad("department_code", "required", "请指定代表的部门代码 department_code (9 位数字)")
    authorize(actor, action, provider_code=code)  # type: ignore[arg-type]
    return code


def can_see(actor: Actor, *codes: str) -> bool:
    return any(allowed(actor, "read_sharing", provider_code=c) for c in codes)


def not_found(what: str, ident: int) -> NotFound:
    return NotFound(f"{what} {ident} 不存在 (not found)")


def iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        from catalog.sharing.clock import as_utc
        return as_utc(value).isoformat().replace("+00:00", "Z")
    return value.isoformat()
