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

from catalog.models import utcnow
from catalog.notify.kinds import KINDS
from catalog.notify.models import Delivery, Notification, NotifyEvent, Webhook
from catalog.notify.preferences import Audience, audience

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


def emit(*, session: Session, event: Event) -> NotifyEvent | None:
    """Write `event`, its inbox items and its webhook / e-mail deliveries; None when already recorded."""
    if event.kind not in KINDS:
        raise ValueError(f"unknown notification kind {event.kind!r}: add it to catalog.notify.kinds.KINDS")
    now = event.at or utcnow()
    sides = KINDS[event.kind].sides  # the departments that hear it (their webhooks too); the others are context
    heard = sorted({code for side, code in event.parties.items() if side in sides and code})
    row = NotifyEvent(kind=event.kind, dedupe_key=event.dedupe_key,
                      subject_type=event.subject[0] if event.subject else None,
                      subject_id=str(event.subject[1]) if event.subject else None,
                      resource_code=event.resource_code, departments=heard,
                      title=event.title[:300], body=event.body, link=event.link,
                      data={**event.data, "parties": event.parties}, created_at=now)
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
    _write_inbox(session, row, who)
    _write_deliveries(session, row, who)
    session.info["mulu_notify_pending"] = True
    return row


def _write_inbox(session: Session, row: NotifyEvent, who: Audience) -> None:
    rows = [{"event_id": row.id, "recipient": p.name, "department_code": p.department, "kind": row.kind,
             "title": row.title, "body": row.body, "link": row.link, "created_at": row.created_at, "read_at": None}
            for p in who.inbox]
    if rows:  # one multi-row INSERT (SQLModel objects cost ~1 ms each to build)
        session.execute(insert(Notification), rows)


def _write_deliveries(session: Session, row: NotifyEvent, who: Audience) -> None:
    departments = set(row.departments)
    targets = [("email", address, None) for address in who.emails]
    for hook in session.execute(select(col(Webhook.id), col(Webhook.department_code), col(Webhook.kinds))).all():
        if hook.department_code is not None and hook.department_code not in departments:
            continue
        if hook.kinds and row.kind not in hook.kinds:
            continue
        targets.append(("webhook", str(hook.id), hook.id))
    if targets:
        session.execute(insert(Delivery), [
            {"delivery_id": str(uuid.uuid4()), "event_id": row.id, "channel": channel, "target": target,
             "webhook_id": webhook_id, "status": "pending", "attempts": 0, "next_attempt_at": DUE_AT_ONCE,
             "created_at": row.created_at, "log": []} for channel, target, webhook_id in targets])
