"""The in-app inbox: a person's notifications, the unread count, marking read."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog.auth import Actor
from catalog.errors import NotFound
from catalog.notify.kinds import kind_label
from catalog.notify.models import Notification
from catalog.sharing.common import iso


def list_notifications(*, session: Session, actor: Actor, unread: bool | None = None, limit: int = 50,
                       offset: int = 0) -> tuple[list[Notification], int]:
    query = select(Notification).where(col(Notification.recipient) == actor.name)
    if unread is True:
        query = query.where(col(Notification.read_at).is_(None))
    elif unread is False:
        query = query.where(col(Notification.read_at).is_not(None))
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = session.execute(query.order_by(col(Notification.id).desc()).limit(limit).offset(offset)).scalars().all()
    return list(rows), int(total)


def unread_count(*, session: Session, actor: Actor) -> int:
    return int(session.execute(select(func.count()).select_from(Notification).where(
        col(Notification.recipient) == actor.name, col(Notification.read_at).is_(None))).scalar_one())


def mark_read(*, session: Session, actor: Actor, notification_id: int, now: datetime) -> Notification:
    row = session.get(Notification, notification_id)
    if row is None or row.recipient != actor.name:
        raise NotFound(f"通知 {notification_id} 不存在 (not found)")
    if row.read_at is None:
        row.read_at = now
        session.flush()
    return row


def mark_all_read(*, session: Session, actor: Actor, now: datetime) -> int:
    result = session.execute(update(Notification).where(col(Notification.recipient) == actor.name,
                                                        col(Notification.read_at).is_(None)).values(read_at=now))
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


def notification_dict(row: Notification) -> dict[str, Any]:
    return {"id": row.id, "event_id": row.event_id, "kind": row.kind, "label": kind_label(row.kind),
            "title": row.title, "body": row.body, "link": row.link, "department_code": row.department_code,
            "created_at": iso(row.created_at), "read_at": iso(row.read_at), "read": row.read_at is not None}
