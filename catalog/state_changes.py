"""State changes — submit, publish, reject, withdraw — for one record or many: the one pipeline.

`change_state_many` takes a list of codes and returns, per code, the changed row or the refusal
(the CatalogError the single-record call would have raised). `catalog.lifecycle.change_state` is this
function with one code, so a record gets the same verdict (same checks in the same order: missing,
not visible, not allowed, read-only copy, stale If-Match, wrong state, missing reason) whichever door
it came through. A refused record writes nothing; the others proceed.

The writes of the accepted records are batched, in the caller's transaction: the rows are read and
locked in one `SELECT … FOR UPDATE` (in code order, so overlapping batches cannot deadlock), the
outbox rows go in one INSERT, the audit entries in one chained append (one lock of the chain head),
live grants are reviewed with one query, notifications written together and demands looked up once.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, defer
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col

from catalog import audit_log
from catalog.auth import Actor, authorize
from catalog.errors import (
    CatalogError,
    Conflict,
    InvalidInput,
    NotFound,
    PreconditionFailed,
    PreconditionRequired,
)
from catalog.models import OutboxEvent, Resource, core_table, make_etag, utcnow
from catalog.validation.rules import finding

# action -> (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "submit": (frozenset({"draft"}), "submitted"),
    "publish": (frozenset({"submitted"}), "published"),
    "reject": (frozenset({"submitted"}), "draft"),
    "withdraw": (frozenset({"published"}), "withdrawn"),
}
LOCK_BATCH = 500  # codes per SELECT … IN (…)


def check_if_match(row: Resource, if_match: str | None, *, required: bool) -> None:
    """428 when a required If-Match is missing; 412 when it names another version."""
    if if_match is None or not if_match.strip():
        if required:
            raise PreconditionRequired(
                "修改资源需要 If-Match 请求头，值为读取时得到的 ETag (If-Match required)", etag=row.etag)
        return
    tags = {t.strip().removeprefix("W/").strip('"') for t in if_match.split(",")}
    if row.etag not in tags:
        raise PreconditionFailed(
            f"资源 {row.code} 已被修改（当前版本 {row.version}，状态 {row.state}），请重新读取后再提交 "
            "(stale If-Match)", etag=row.etag, version=row.version)


def missing(code: str) -> NotFound:
    return NotFound(f"资源 {code!r} 不存在 (resource not found)" if "\x00" in code
                    else f"资源 {code} 不存在 (resource not found)")


def _lock_rows(session: Session, codes: list[str], *, records: bool) -> dict[str, Resource]:
    """The rows of `codes` (those that exist), locked for update, read in code order; without `records`,
    the record and warnings columns are loaded only if something reads them (a bulk change seldom does)."""
    wanted = sorted({c for c in codes if "\x00" not in c})  # PostgreSQL refuses NUL in a query; no code has it
    rows: dict[str, Resource] = {}
    for start in range(0, len(wanted), LOCK_BATCH):
        part = wanted[start:start + LOCK_BATCH]
        query = select(Resource).where(col(Resource.code).in_(part)).order_by(col(Resource.code)).with_for_update()
        if not records:
            query = query.options(defer(Resource.record), defer(Resource.warnings))  # type: ignore[arg-type]
        rows.update((r.code, r) for r in session.execute(query).scalars())
    return rows


def _read_only(session: Session, codes: list[str]) -> dict[str, Any]:
    """The copies of another level (目录级联) among `codes`: code → its ResourceOrigin."""
    from catalog.cascade.models import ResourceOrigin

    found: dict[str, Any] = {}
    for start in range(0, len(codes), LOCK_BATCH):
        part = codes[start:start + LOCK_BATCH]
        found.update((o.code, o) for o in session.execute(
            select(ResourceOrigin).where(col(ResourceOrigin.code).in_(part))).scalars())
    return found


def _verdict(actor: Actor, action: str, code: str, row: Resource | None, origin: Any,
             if_match: str | None, reason: str | None) -> None:
    """Raise the refusal of `action` on `row`, in the order the single-record call has always checked."""
    from catalog.cascade.origins import read_only_conflict

    if row is None:
        raise missing(code)
    authorize(actor, "read", provider_code=row.provider_code, state=row.state, code=code)
    authorize(actor, action, provider_code=row.provider_code, code=code)  # type: ignore[arg-type]
    if origin is not None:
        raise read_only_conflict(code, origin)
    check_if_match(row, if_match, required=False)
    sources, _ = TRANSITIONS[action]
    if row.state not in sources:
        raise Conflict(f"资源 {code} 处于 {row.state} 状态，不能执行 {action}（需处于 {'/'.join(sorted(sources))}）"
                       " (wrong state)", state=row.state)
    if action == "reject" and not (reason and reason.strip()):
        raise InvalidInput("退回需要填写理由 reason (a reason is required)",
                           findings=[finding("reason.required", "/reason")])


def change_state_many(*, session: Session, actor: Actor, codes: list[str], action: str,
                      reason: str | None = None, if_match: str | None = None,
                      records: bool = True) -> dict[str, Resource | CatalogError]:
    """Take `action` on each of `codes` in the session's transaction: code → changed row, or its refusal.
    `records=False` (bulk callers that only report state and version) leaves the records unread."""
    if action not in TRANSITIONS:
        raise InvalidInput(f"未知操作 {action!r} (unknown action)")
    codes = list(dict.fromkeys(codes))
    rows = _lock_rows(session, codes, records=records)
    origins = _read_only(session, list(rows))
    outcome: dict[str, Resource | CatalogError] = {}
    changed: list[Resource] = []
    for code in codes:
        row = rows.get(code)
        try:
            _verdict(actor, action, code, row, origins.get(code), if_match, reason)
        except CatalogError as exc:
            outcome[code] = exc
            continue
        assert row is not None
        outcome[code] = row
        changed.append(row)
    if changed:
        _write(session, actor, action, reason, changed)
    return outcome


def _write(session: Session, actor: Actor, action: str, reason: str | None, rows: list[Resource]) -> None:
    from catalog.sharing.grants import flag_changes, flag_live_grants

    _, target = TRANSITIONS[action]
    now = utcnow()
    note = reason.strip() if reason else None
    changes: list[audit_log.Change] = []
    values: list[dict[str, Any]] = []
    for row in rows:
        detail: dict[str, Any] = {"from": row.state, "to": target}
        if reason:
            detail["reason"] = note
        changes.append(audit_log.Change(action, row.code, row.version, row.version, detail))
        values.append({"id": row.id, "state": target, "reject_reason": note if action == "reject" else None,
                       "updated_by": actor.name, "updated_at": now, "etag": make_etag(row.code, row.version, target)})
    session.execute(update(Resource), values)  # one executemany by primary key (the rows are locked)
    for row, new in zip(rows, values):  # the loaded rows show what was written, without a second UPDATE
        for key in ("state", "reject_reason", "updated_by", "updated_at", "etag"):
            set_committed_value(row, key, new[key])
    session.execute(insert(core_table(OutboxEvent)), [{"resource_code": r.code, "op": "upsert", "created_at": now} for r in rows])
    flagged = flag_live_grants(session=session, resources=rows)  # sharing: withdrawn / share type tightened
    if flagged:  # each record's grant flags follow its own entry, as one record at a time would log them
        by_code: dict[str | None, list[audit_log.Change]] = {}
        for change in flag_changes(flagged):
            by_code.setdefault(change.resource_code, []).append(change)
        changes = [c for change in changes for c in (change, *by_code.get(change.resource_code, ()))]
    audit_log.append(session=session, actor=actor, changes=changes)
    if action == "publish":
        _fulfil_demands(session, actor, rows)
    _notify(session, rows, action)
    session.flush()


def _fulfil_demands(session: Session, actor: Actor, rows: list[Resource]) -> None:
    """Hook into catalog.demands: publishing a resource that covers a demand fulfils the provider's duty."""
    from catalog.demands.fulfilment import on_publish, providers_with_duties

    waiting = providers_with_duties(session=session, provider_codes={r.provider_code for r in rows})
    for row in rows:
        if row.provider_code in waiting:
            on_publish(session=session, actor=actor, resource=row)


def _notify(session: Session, rows: list[Resource], action: str) -> None:
    """Hook into catalog.notify: the provider hears of its submission's fate, grant holders of changes."""
    from catalog.notify.sharing_events import on_resources

    on_resources(session=session, resources=rows, action=action)
