"""The lifecycle of a registered resource: read, update (If-Match), submit, publish, reject, withdraw.

Every change runs inside the caller's write transaction (`Database.transaction()`) and writes, together:
the resource row (current state), a `resource_versions` row when the record changes, one hash-chained
audit entry and one `outbox` row (op "upsert") for the search index. Search is not called here: the
app registers an after-commit hook on the Database (see `catalog.db`) that applies the outbox.

States: draft → submitted → published → withdrawn; a coordinator rejects submitted → draft with a reason.
Records are edited in draft (or withdrawn, which returns them to draft). The code and provider_code of
a resource never change; neither does its classification (the code is built from it). New records come
in through `catalog.registration`. State changes, of one record or of many, run through
`catalog.state_changes` (the batched pipeline the bulk lifecycle uses too).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog import audit_log
from catalog.cascade.origins import guard_local
from catalog.auth import Actor, authorize
from catalog.departments import registry_standards
from catalog.errors import CatalogError, Conflict, InvalidInput, NotFound
from catalog.findings import pointer
from catalog.live_checks import LiveCatalogue
from catalog.models import OutboxEvent, Resource, ResourceVersion, make_etag, utcnow
from catalog.registration import invalid, race_findings, validate
from catalog.standards import Standards
from catalog.state_changes import TRANSITIONS as TRANSITIONS  # also named here (catalog.registry re-exports them)
from catalog.state_changes import change_state_many as change_state_many
from catalog.state_changes import check_if_match as check_if_match
from catalog.validation.rules import finding

STATES = ("draft", "submitted", "published", "withdrawn")
EDITABLE = frozenset({"draft", "withdrawn"})
IMMUTABLE_FIELDS = ("code", "provider_code", "classification")


def load_row(session: Session, code: str, *, lock: bool) -> Resource:
    """The row of `code` (locked for update when `lock`); NotFound when there is none."""
    if "\x00" in code:  # no code holds NUL, and PostgreSQL refuses it in a query (a 500 otherwise)
        raise NotFound(f"资源 {code!r} 不存在 (resource not found)")
    query = select(Resource).where(col(Resource.code) == code)
    if lock:
        query = query.with_for_update()
    row = session.execute(query).scalar_one_or_none()
    if row is None:
        raise NotFound(f"资源 {code} 不存在 (resource not found)")
    return row


def get_resource(*, session: Session, actor: Actor, code: str) -> Resource:
    """The resource `code` as `actor` may see it (an invisible draft looks like a missing resource)."""
    row = load_row(session, code, lock=False)
    authorize(actor, "read", provider_code=row.provider_code, state=row.state, code=code)
    return row


def _touch(session: Session, row: Resource, actor: Actor) -> None:
    row.updated_by, row.updated_at = actor.name, utcnow()
    row.etag = make_etag(row.code, row.version, row.state)
    session.add(OutboxEvent(resource_code=row.code, op="upsert", created_at=row.updated_at))


def update_resource(*, session: Session, actor: Actor, code: str, record: Any,
                    if_match: str | None, standards: Standards | None = None) -> Resource:
    """Save a new version of `code`'s record (full replacement); needs the current ETag."""
    row = load_row(session, code, lock=True)
    authorize(actor, "read", provider_code=row.provider_code, state=row.state, code=code)
    authorize(actor, "update", provider_code=row.provider_code, code=code)
    guard_local(session=session, code=code)  # a record of another level (目录级联) is read-only here
    check_if_match(row, if_match, required=True)
    if row.state not in EDITABLE:
        raise Conflict(f"资源 {code} 处于 {row.state} 状态，不能修改；草稿或已撤回的资源才能修改 "
                       "(only draft or withdrawn resources can be edited)", state=row.state)
    if not isinstance(record, dict):
        raise InvalidInput("资源记录应为 JSON 对象 (record must be an object)")
    fixed = [finding("field.immutable", pointer(k), field=k, expected=repr(getattr(row, k)), value=repr(record[k]))
             for k in IMMUTABLE_FIELDS if k in record and record[k] != getattr(row, k)]
    stored = {"code": row.code, **{k: v for k, v in record.items() if k != "code"}}
    stored.setdefault("provider_code", row.provider_code)
    stored.setdefault("classification", row.classification)
    report = validate(stored, standards=registry_standards(session=session, standards=standards))
    report.extend(fixed)
    report.extend(LiveCatalogue(session=session, actor=actor).findings(stored, own_code=row.code, check_code=False))
    if not report.valid:
        raise invalid(report)
    before = row.version
    row.version, row.state, row.record = before + 1, "draft", stored
    row.name, row.share_type = stored["name"], (stored.get("share") or {}).get("type")
    try:
        session.flush()  # the unique name index (a parallel write may have taken the name since the check)
    except IntegrityError:
        session.rollback()
        report.extend(race_findings(session, actor, {"code": row.code, "provider_code": row.provider_code,
                                                     "name": stored["name"]}, new=False))
        raise invalid(report) from None
    row.warnings = [f.to_dict() for f in report.warnings]
    _touch(session, row, actor)
    session.add(ResourceVersion(resource_code=code, version=row.version, state=row.state, record=stored,
                                author=actor.name, created_at=row.updated_at))
    audit_log.append(session=session, actor=actor,
                     changes=[audit_log.Change("update", code, before, row.version)])
    _review_grants(session, actor, row)  # sharing: flag live grants when withdrawn / share type tightens
    session.flush()
    return row


def change_state(*, session: Session, actor: Actor, code: str, action: str, reason: str | None = None,
                 if_match: str | None = None) -> Resource:
    """submit / publish / reject (needs a reason) / withdraw; If-Match is checked when given.

    One record through the one pipeline of state changes (`catalog.state_changes.change_state_many`)."""
    outcome = change_state_many(session=session, actor=actor, codes=[code], action=action, reason=reason,
                                if_match=if_match)[code]
    if isinstance(outcome, CatalogError):
        raise outcome
    return outcome


def _review_grants(session: Session, actor: Actor, row: Resource) -> None:
    """Hook into catalog.sharing: live grants of a withdrawn / tightened resource are flagged for review."""
    from catalog.sharing.grants import review_live_grants

    review_live_grants(session=session, actor=actor, resource=row)
