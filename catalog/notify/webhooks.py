"""Webhooks: a department's HTTP receiver for its events — register, list, re-enable, read the delivery log.

The body is JSON: {"delivery_id", "event": {"id", "kind", "label", "title", "body", "departments",
"subject", "resource_code", "link", "data", "created_at"}}. Headers: `X-Mulu-Delivery` (the delivery id,
the same on every retry: deduplicate on it), `X-Mulu-Event` (the kind), `X-Mulu-Timestamp` and
`X-Mulu-Signature-256: sha256=<hex>` = HMAC-SHA256(secret, timestamp + "." + body). `verify` checks one.

Stewards manage their own department's webhooks; coordinators and admins also catalogue-wide ones
(no department: every event).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import urllib.error
import urllib.request
from datetime import datetime
from typing import Any, Iterable
from urllib.parse import urlsplit

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from catalog.auth import Actor
from catalog.errors import Conflict, Forbidden, InvalidInput, NotFound
from catalog.findings import Finding
from catalog.models import utcnow
from catalog.notify.kinds import KINDS, kind_label
from catalog.notify.models import Delivery, NotifyEvent, Webhook
from catalog.notify.webhook_targets import Network, refused_at_registration, refused_target
from catalog.sharing.common import iso

SIGNATURE_HEADER = "X-Mulu-Signature-256"


def signature(*, secret: str, timestamp: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def verify(*, secret: str, timestamp: str, body: bytes, header: str) -> bool:
    """What a receiver does: recompute the signature and compare in constant time."""
    return hmac.compare_digest(signature(secret=secret, timestamp=timestamp, body=body), header or "")


def payload(*, delivery: Delivery, event: NotifyEvent) -> bytes:
    data = {"delivery_id": delivery.delivery_id, "event": {
        "id": event.id, "kind": event.kind, "label": kind_label(event.kind), "title": event.title,
        "body": event.body, "departments": event.departments,
        "subject": {"type": event.subject_type, "id": event.subject_id} if event.subject_type else None,
        "resource_code": event.resource_code, "link": event.link, "data": event.data,
        "created_at": iso(event.created_at)}}
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A 3xx answer is a failed delivery, not a hop to another address (which could be inside)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def post(*, hook: Webhook, delivery: Delivery, event: NotifyEvent, now: datetime,
         timeout: float, allowed: Iterable[Network] = ()) -> tuple[int | None, str | None]:
    """POST one delivery: (HTTP status, None) on 2xx, else (status or None, error text). The receiver's
    addresses are checked first (`webhook_targets.refused_target`); redirects are not followed."""
    refused = refused_target(hook.url, allowed=allowed)
    if refused:
        return None, refused
    body = payload(delivery=delivery, event=event)
    stamp = str(int(now.timestamp()))
    req = urllib.request.Request(hook.url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8", "User-Agent": "mulu-webhook/1",
        "X-Mulu-Delivery": delivery.delivery_id, "X-Mulu-Event": event.kind, "X-Mulu-Timestamp": stamp,
        SIGNATURE_HEADER: signature(secret=hook.secret, timestamp=stamp, body=body)})
    try:
        with _OPENER.open(req, timeout=timeout) as resp:  # http/https checked at creation, addresses above
            return resp.status, None
    except urllib.error.HTTPError as exc:
        return exc.code, f"HTTP {exc.code}"
    except (OSError, ValueError) as exc:
        return None, f"{exc.__class__.__name__}: {exc}"[:500]


def _may_manage(actor: Actor, department_code: str | None) -> bool:
    if actor.role in ("admin", "coordinator"):
        return True
    return actor.role == "steward" and department_code is not None and department_code == actor.department_code


def _bad(field: str, message: str) -> InvalidInput:
    return InvalidInput(message, findings=[Finding("notify.invalid", "error", f"/{field}", message)])


def create_webhook(*, session: Session, actor: Actor, url: Any, kinds: Any = None,
                   department_code: str | None = None, allowed: Iterable[Network] = ()) -> tuple[Webhook, str]:
    """Register a receiver; returns it and its secret (shown once: the receiver verifies signatures with it).
    `allowed`: the operator's MULU_NOTIFY_WEBHOOK_ALLOW networks (`NotifySettings.webhook_allow`)."""
    department = department_code if department_code is not None else (
        actor.department_code if actor.role == "steward" else None)
    if not _may_manage(actor, department):
        raise Forbidden("只有本部门的数据管理员或协调机构可以登记 Webhook (forbidden)", role=actor.role)
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc or len(url) > 1000:
        raise _bad("url", f"Webhook 地址应为 http(s):// 开头的网址, 收到 {url!r}")
    refused = refused_at_registration(url, allowed=allowed)
    if refused:
        raise _bad("url", refused)
    if kinds is not None and (not isinstance(kinds, list) or any(k not in KINDS for k in kinds)):
        raise _bad("kinds", f"通知类型应取自: {', '.join(KINDS)}")
    secret = "whsec_" + secrets.token_urlsafe(24)
    hook = Webhook(department_code=department, url=url, secret=secret, kinds=kinds or None, enabled=True,
                   consecutive_failures=0, created_by=actor.name, created_at=utcnow())
    session.add(hook)
    session.flush()
    return hook, secret


def get_webhook(*, session: Session, actor: Actor, webhook_id: int) -> Webhook:
    hook = session.get(Webhook, webhook_id)
    if hook is None or not _may_manage(actor, hook.department_code):
        raise NotFound(f"Webhook {webhook_id} 不存在 (not found)")
    return hook


def list_webhooks(*, session: Session, actor: Actor) -> list[Webhook]:
    rows = session.execute(select(Webhook).order_by(col(Webhook.id))).scalars().all()
    return [h for h in rows if _may_manage(actor, h.department_code)]


def enable_webhook(*, session: Session, actor: Actor, webhook_id: int, now: datetime) -> Webhook:
    """Re-enable a disabled receiver: its waiting deliveries are due at once."""
    hook = get_webhook(session=session, actor=actor, webhook_id=webhook_id)
    if hook.enabled:
        raise Conflict(f"Webhook {webhook_id} 已启用 (already enabled)")
    hook.enabled, hook.consecutive_failures, hook.disabled_at, hook.disabled_reason = True, 0, None, None
    session.execute(update(Delivery).where(col(Delivery.webhook_id) == hook.id, col(Delivery.status) == "pending")
                    .values(next_attempt_at=now))
    session.flush()
    return hook


def delete_webhook(*, session: Session, actor: Actor, webhook_id: int) -> None:
    hook = get_webhook(session=session, actor=actor, webhook_id=webhook_id)
    session.execute(update(Delivery).where(col(Delivery.webhook_id) == hook.id, col(Delivery.status) == "pending")
                    .values(status="cancelled"))
    session.delete(hook)
    session.flush()


def deliveries(*, session: Session, actor: Actor, webhook_id: int, limit: int = 100,
               offset: int = 0) -> tuple[list[Delivery], int]:
    """The delivery log of one webhook, newest first."""
    hook = get_webhook(session=session, actor=actor, webhook_id=webhook_id)
    query = select(Delivery).where(col(Delivery.webhook_id) == hook.id)
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    rows = session.execute(query.order_by(col(Delivery.id).desc()).limit(limit).offset(offset)).scalars().all()
    return list(rows), int(total)


def webhook_dict(hook: Webhook) -> dict[str, Any]:
    return {"id": hook.id, "department_code": hook.department_code, "url": hook.url, "kinds": hook.kinds,
            "enabled": hook.enabled, "consecutive_failures": hook.consecutive_failures,
            "disabled_at": iso(hook.disabled_at), "disabled_reason": hook.disabled_reason,
            "created_by": hook.created_by, "created_at": iso(hook.created_at)}


def delivery_dict(row: Delivery) -> dict[str, Any]:
    return {"delivery_id": row.delivery_id, "event_id": row.event_id, "channel": row.channel,
            "target": row.target, "status": row.status, "attempts": row.attempts,
            "next_attempt_at": iso(row.next_attempt_at), "last_status_code": row.last_status_code,
            "last_error": row.last_error, "delivered_at": iso(row.delivered_at), "created_at": iso(row.created_at),
            "log": row.log or []}
