"""The inbox, notification settings, webhooks and their deliveries."""
from __future__ import annotations

from typing import Any

from pydantic import Field

from api.schemas.common import Out, Page


class NotificationOut(Out):
    id: int
    event_id: int | None
    kind: str
    label: str
    title: str
    body: str | None
    link: str | None
    department_code: str | None
    created_at: str | None
    read_at: str | None
    read: bool


class InboxPage(Page[NotificationOut]):
    unread: int = Field(description="未读总数")


class UnreadOut(Out):
    unread: int


class MarkedOut(Out):
    marked: int = Field(description="本次标为已读的条数")


class KindOut(Out):
    kind: str
    label: str
    sides: dict[str, list[str]] = Field(description="默认接收方：每一方的角色")
    everywhere: list[str]


class RuleOut(Out):
    kind: str
    channel: str
    enabled: bool


class PreferencesOut(Out):
    scope: str = Field(description="user | department")
    subject: str
    email: str | None
    rules: list[RuleOut]


class WebhookOut(Out):
    id: int
    department_code: str | None
    url: str
    kinds: list[str] | None
    enabled: bool
    consecutive_failures: int
    disabled_at: str | None
    disabled_reason: str | None
    created_by: str | None
    created_at: str | None


class WebhookCreated(WebhookOut):
    secret: str = Field(description="签名密钥，只在登记时返回一次")


class DeliveryOut(Out):
    delivery_id: str
    event_id: int | None
    channel: str
    target: str | None
    status: str
    attempts: int
    next_attempt_at: str | None
    last_status_code: int | None
    last_error: str | None
    delivered_at: str | None
    created_at: str | None
    log: list[Any]


KindPage = Page[KindOut]
WebhookPage = Page[WebhookOut]
DeliveryPage = Page[DeliveryOut]
