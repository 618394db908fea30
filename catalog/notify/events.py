"""`emit`: record an event, in the caller's transaction, with its inbox items and its deliveries.

    emit(session=session, event=Event(kind="share_request.created", title="...", body="...",
                                      parties={"provider": "330782101", "requester": "330782103"},
                                      subject=("share_request", 12), resource_code="...", link="/requests/12"))

Everything is written in `session`'s transaction: a change that is rolled back notifies nobody. Who
hears it follows `catalog.notify.kinds` and the preferences; sending happens after commit, elsewhere
(catalog.notify.dispatch). An event with a `dedupe_key` already recorded is skipped (returns None):
that is how reminders computed by two processes at once are written once.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, TypedDict

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog.models import core_table, utcnow
from catalog.notify.kinds import KINDS
from catalog.notify.models import Delivery, Notification, NotifyEvent, Webhook
from catalog.notify.preferences import Audience, audience, audiences

DUE_AT_ONCE = datetime(1970, 1, 1, tzinfo=UTC)  # a new delivery's first attempt: whenever a sender runs


class EventContext(TypedDict, total=False):
    """The fields of `Event` several events of one subject share (passed as `**context`)."""

    parties: dict[str, str]
    subject: tuple[str, Any] | None
    resource_code: str | None
    link: str | None
    data: dict[str, Any]
    at: datetime | None


@dataclass(frozen=True)
class Event:
    kind: str
    title: str
    body: str = ""
    parties: dict[str, str] = field(default_factory=dict)  # side -> department code
    subject: tuple[str, Any] | None = None  # ("share_request", 12)
    resource_code: str | None = None
    link: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    dedupe_key: str | None = None
    at: datetime | None = None


def _values(event: Event) -> dict[str, Any]:
    """The notify_events row of `event`."""
    if event.kind not in KINDS:
        raise ValueError(f"unknown notification kind {event.kind!r}: add it to catalog.notify.kinds.KINDS")
    sides = KINDS[event.kind].sides  # the departments that hear it (their webhooks too); the others are context
    return {"kind": event.kind, "dedupe_key": event.dedupe_key,
            "subject_type": event.subject[0] if event.subject else None,
            "subject_id": str(event.subject[1]) if event.subject else None,
            "resource_code": event.resource_code,
            "departments": sorted({code for side, code in event.parties.items() if side in sides and code}),
            "title": event.title[:300], "body": event.body, "link": event.link,
            "data": {**event.data, "parties": event.parties}, "created_at": event.at or utcnow()}


def emit(*, session: Session, event: Event) -> NotifyEvent | None:
    """Write `event`, its inbox items and its webhook / e-mail deliveries; None when already recorded."""
    row = NotifyEvent(**_values(event))
    if event.dedupe_key is not None:
        if session.execute(select(col(NotifyEvent.id)).where(col(NotifyEvent.dedupe_key) == event.dedupe_key)).first():
            return None
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:  # another process recorded it first
            return None
    else:
        session.add(row)
        session.flush()
    who = audience(session=session, kind=event.kind, parties=event.parties)
    inbox = _inbox_rows(row.id, _values_of(row), who)
    if inbox:  # one multi-row INSERT (SQLModel objects cost ~1 ms each to build)
        session.execute(insert(Notification), inbox)
    deliveries = _delivery_rows(row.id, _values_of(row), who, _webhooks(session))
    if deliveries:
        session.execute(insert(Delivery), deliveries)
    session.info["mulu_notify_pending"] = True
    return row


def emit_many(*, session: Session, events: list[Event]) -> None:
    """`emit` for many events without a dedupe key (a bulk publish): the events, their inbox items and
    their deliveries each in one INSERT; the audience worked out once per kind and parties."""
    if not events:
        return
    if any(e.dedupe_key is not None for e in events):
        raise ValueError("emit_many takes events without a dedupe_key; emit them one by one")
    values = [_values(e) for e in events]
    table = core_table(NotifyEvent)  # Core inserts: ORM bulk inserts cost more than the statements here
    ids = session.execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), values).scalars().all()
    hooks = _webhooks(session)
    distinct: dict[str, dict[tuple[tuple[str, str], ...], dict[str, str]]] = {}
    for event in events:
        distinct.setdefault(event.kind, {})[tuple(sorted(event.parties.items()))] = event.parties
    heard: dict[tuple[str, tuple[tuple[str, str], ...]], Audience] = {}
    for kind, by_parties in distinct.items():  # one read of people and choices per kind
        heard.update(((kind, key), who) for key, who in zip(
            by_parties, audiences(session=session, kind=kind, parties=list(by_parties.values()))))
    inbox: list[dict[str, Any]] = []
    deliveries: list[dict[str, Any]] = []
    for event, row, event_id in zip(events, values, ids):
        who = heard[(event.kind, tuple(sorted(event.parties.items())))]
        inbox += _inbox_rows(event_id, row, who)
        deliveries += _delivery_rows(event_id, row, who, hooks)
    if inbox:
        session.execute(insert(core_table(Notification)), inbox)
    if deliveries:
        session.execute(insert(core_table(Delivery)), deliveries)
    session.info["mulu_notify_pending"] = True


def _values_of(row: NotifyEvent) -> dict[str, Any]:
    return {k: getattr(row, k) for k in ("kind", "title", "body", "link", "created_at", "departments")}


def _webhooks(session: Session) -> list[Any]:
    return list(session.execute(select(col(Webhook.id), col(Webhook.department_code), col(Webhook.kinds))).all())


def _inbox_rows(event_id: int | None, row: dict[str, Any], who: Audience) -> list[dict[str, Any]]:
    return [{"event_id": event_id, "recipient": p.name, "department_code": p.department, "kind": row["kind"],
             "title": row["title"], "body": row["body"], "link": row["link"], "created_at": row["created_at"],
             "read_at": None} for p in who.inbox]


def _delivery_rows(event_id: int | None, row: dict[str, Any], who: Audience, hooks: list[Any]) -> list[dict[str, Any]]:
    departments = set(row["departments"])
    targets = [("email", address, None) for address in who.emails]
    for hook in hooks:
        if hook.department_code is not None and hook.department_code not in departments:
            continue
        if hook.kinds and row["kind"] not in hook.kinds:
            continue
        targets.append(("webhook", str(hook.id), hook.id))
    return [{"delivery_id": str(uuid.uuid4()), "event_id": event_id, "channel": channel, "target": target,
             "webhook_id": webhook_id, "status": "pending", "attempts": 0, "next_attempt_at": DUE_AT_ONCE,
             "created_at": row["created_at"], "log": []} for channel, target, webhook_id in targets]
