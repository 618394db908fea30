"""Sending the outbox: claim due deliveries in the database, send them, record the outcome.

    run = dispatch(db=db, settings=s, clock=c)   # until nothing is due; returns counts

Claiming is a write transaction that moves due rows from `pending` to `sending` with a claim token and a
lease (`SELECT ... FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite serialises writers with BEGIN IMMEDIATE),
and the UPDATE re-checks the state, so two processes never send the same delivery at once. Sending
happens outside any transaction; the outcome is written only while the claim is still ours. States and
retries: catalog.notify.states.
"""
from __future__ import annotations

import logging
import smtplib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import ColumnElement, and_, or_, select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog.db import Database
from catalog.notify import mailer, webhooks
from catalog.notify.config import NotifySettings
from catalog.notify.models import Delivery, NotifyEvent, Webhook
from catalog.sharing.clock import Clock, as_utc
from catalog.sharing.common import iso

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=5)
BATCH = 50
LOG_KEEP = 20


@dataclass(slots=True)
class DispatchRun:
    delivered: int = 0
    failed: int = 0


@contextmanager
def write(db: Database) -> Iterator[Session]:
    """A write transaction without the after-commit hooks (the dispatcher's own bookkeeping)."""
    with db.session() as session:
        session.connection(execution_options={"mulu_write": True})
        yield session
        session.commit()


def _due(now: datetime) -> ColumnElement[bool]:
    return or_(and_(col(Delivery.status) == "pending", col(Delivery.next_attempt_at) <= now),
               and_(col(Delivery.status) == "sending", col(Delivery.claimed_until) < now))


def claim(*, db: Database, now: datetime, email: bool, batch: int = BATCH) -> tuple[str, list[int]]:
    """Claim up to `batch` due deliveries (of enabled webhooks; e-mail only when SMTP is set up)."""
    token = uuid.uuid4().hex
    with write(db) as session:
        query = select(col(Delivery.id)).where(_due(now)).where(or_(
            col(Delivery.webhook_id).is_(None),
            col(Delivery.webhook_id).in_(select(col(Webhook.id)).where(col(Webhook.enabled).is_(True)))))
        if not email:
            query = query.where(col(Delivery.channel) != "email")
        query = query.order_by(col(Delivery.id)).limit(batch)
        if db.dialect == "postgresql":
            query = query.with_for_update(skip_locked=True, of=Delivery)
        ids = list(session.execute(query).scalars())
        if not ids:
            return token, []
        session.execute(update(Delivery).where(col(Delivery.id).in_(ids), _due(now)).values(
            status="sending", claim=token, claimed_until=now + LEASE, attempts=col(Delivery.attempts) + 1))
        mine = cast("list[int]",  # primary keys, never NULL
                    list(session.execute(select(col(Delivery.id)).where(col(Delivery.claim) == token)).scalars()))
    return token, mine


def _backoff(settings: NotifySettings, attempts: int) -> timedelta:
    return timedelta(seconds=min(settings.retry_base * 2 ** max(attempts - 1, 0), settings.retry_cap))


def _record(db: Database, settings: NotifySettings, *, delivery_pk: int, token: str, now: datetime,
            status_code: int | None, error: str | None) -> None:
    with write(db) as session:
        row = session.execute(select(Delivery).where(col(Delivery.id) == delivery_pk, col(Delivery.claim) == token)
                              .with_for_update()).scalar_one_or_none()
        if row is None:  # the lease ran out and someone else took it over
            return
        entry = {"at": iso(now), "attempt": row.attempts, "status_code": status_code, "error": error}
        row.log = ([*(row.log or []), entry])[-LOG_KEEP:]
        row.last_status_code, row.last_error, row.claim, row.claimed_until = status_code, error, None, None
        if error is None:
            row.status, row.delivered_at = "delivered", now
        else:
            row.status, row.next_attempt_at = "pending", now + _backoff(settings, row.attempts)
        if row.webhook_id is not None:
            _webhook_outcome(session, settings, row.webhook_id, ok=error is None, now=now, error=error)


def _webhook_outcome(session: Session, settings: NotifySettings, webhook_id: int, *, ok: bool,
                     now: datetime, error: str | None) -> None:
    if ok:
        session.execute(update(Webhook).where(col(Webhook.id) == webhook_id).values(consecutive_failures=0))
        return
    session.execute(update(Webhook).where(col(Webhook.id) == webhook_id)
                    .values(consecutive_failures=col(Webhook.consecutive_failures) + 1))
    session.execute(update(Webhook).where(col(Webhook.id) == webhook_id, col(Webhook.enabled).is_(True),
                                          col(Webhook.consecutive_failures) >= settings.failure_limit)
                    .values(enabled=False, disabled_at=now,
                            disabled_reason=f"连续 {settings.failure_limit} 次发送失败, 已自动停用; 最近一次: {error}"))


def _send_one(db: Database, settings: NotifySettings, pk: int, now: datetime) -> tuple[int | None, str | None]:
    with db.session() as session:
        row = session.get(Delivery, pk)
        event = session.get(NotifyEvent, row.event_id) if row else None
        hook = session.get(Webhook, row.webhook_id) if row and row.webhook_id else None
    if row is None or event is None:
        return None, "event missing"
    if row.channel == "webhook":
        if hook is None:
            return None, "webhook deleted"
        return webhooks.post(hook=hook, delivery=row, event=event, now=now, timeout=settings.http_timeout,
                             allowed=settings.webhook_allow)
    try:
        mailer.send(settings=settings, msg=mailer.message(settings=settings, delivery=row, event=event))
        return 250, None
    except (OSError, smtplib.SMTPException) as exc:
        return None, f"{exc.__class__.__name__}: {exc}"[:500]


def dispatch(*, db: Database, settings: NotifySettings, clock: Clock, max_rounds: int = 100) -> DispatchRun:
    """Send every due delivery (batch after batch); failures are scheduled again with backoff."""
    run = DispatchRun()
    for _ in range(max_rounds):
        now = as_utc(clock.now())
        token, ids = claim(db=db, now=now, email=bool(settings.smtp_host))
        if not ids:
            break
        for pk in ids:
            status_code, error = _send_one(db, settings, pk, now)
            _record(db, settings, delivery_pk=pk, token=token, now=as_utc(clock.now()),
                    status_code=status_code, error=error)
            if error is None:
                run.delivered += 1
            else:
                run.failed += 1
                log.info("delivery %s failed: %s", pk, error)
    return run
