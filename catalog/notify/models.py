"""Notification tables (SQLModel): events, inbox items, deliveries, webhooks, preferences, contacts.

    NotifyEvent     one thing that happened (or a reminder that fell due); `dedupe_key` is unique, so a
                    reminder computed by two processes at once is written once
    Notification    one inbox item: an event for one person (token name), read or not
    Delivery        one message to send: an event to one webhook or one e-mail address (the outbox);
                    `delivery_id` is what a receiver sees and deduplicates on
    Webhook         a department's (or, without one, the whole catalogue's) HTTP receiver
    Preference      a person's or a department's choice: hear (or not) a kind of event on a channel
    Contact         the e-mail address of a person or of a department's mailbox
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def _json(nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(JSON, nullable=nullable))


def _ts(nullable: bool = True) -> Any:
    return Field(default=None, sa_column=Column(DateTime(timezone=True), nullable=nullable))


# Events: written by `emit` in the caller's transaction.
class NotifyEvent(SQLModel, table=True):
    __tablename__ = "notify_events"
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=60)
    dedupe_key: str | None = Field(default=None, max_length=200, unique=True)
    subject_type: str | None = Field(default=None, max_length=40)
    subject_id: str | None = Field(default=None, max_length=60)
    resource_code: str | None = Field(default=None, max_length=40)
    departments: list[str] = _json(nullable=False)
    title: str = Field(max_length=300)
    body: str = Field(default="", sa_column=Column(Text, nullable=False))
    link: str | None = Field(default=None, max_length=300)
    data: dict[str, Any] | None = _json()
    created_at: datetime = _ts(nullable=False)


# Inbox: one row per person and event.
class Notification(SQLModel, table=True):
    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_recipient_read", "recipient", "read_at"),)
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(index=True)
    recipient: str = Field(max_length=200)
    department_code: str | None = Field(default=None, max_length=9)
    kind: str = Field(max_length=60)
    title: str = Field(max_length=300)
    body: str = Field(default="", sa_column=Column(Text, nullable=False))
    link: str | None = Field(default=None, max_length=300)
    created_at: datetime = _ts(nullable=False)
    read_at: datetime | None = _ts()


# Deliveries: the outbox of webhooks and e-mail; states in catalog.notify.states.
class Delivery(SQLModel, table=True):
    __tablename__ = "notify_deliveries"
    __table_args__ = (
        UniqueConstraint("event_id", "channel", "target", name="uq_notify_deliveries_event_target"),
        Index("ix_notify_deliveries_due", "status", "next_attempt_at"),
        Index("ix_notify_deliveries_webhook", "webhook_id", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    delivery_id: str = Field(max_length=40, unique=True)
    event_id: int
    channel: str = Field(max_length=10)  # webhook | email
    target: str = Field(max_length=320)  # webhook id or e-mail address
    webhook_id: int | None = None
    status: str = Field(max_length=12)
    attempts: int = 0
    next_attempt_at: datetime = _ts(nullable=False)
    claimed_until: datetime | None = _ts()
    claim: str | None = Field(default=None, max_length=40)
    last_error: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    last_status_code: int | None = None
    log: list[dict[str, Any]] | None = _json()
    created_at: datetime = _ts(nullable=False)
    delivered_at: datetime | None = _ts()


# Webhooks: where a department's events are POSTed, signed with its secret.
class Webhook(SQLModel, table=True):
    __tablename__ = "notify_webhooks"
    id: int | None = Field(default=None, primary_key=True)
    department_code: str | None = Field(default=None, max_length=9, index=True)
    url: str = Field(max_length=1000)
    secret: str = Field(max_length=100)
    kinds: list[str] | None = _json()
    enabled: bool = True
    consecutive_failures: int = 0
    disabled_at: datetime | None = _ts()
    disabled_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    created_by: str = Field(max_length=200)
    created_at: datetime = _ts(nullable=False)


# Preferences: scope "user" (token name) or "department" (code); kind "*" = every kind.
class Preference(SQLModel, table=True):
    __tablename__ = "notify_preferences"
    __table_args__ = (UniqueConstraint("scope", "subject", "kind", "channel", name="uq_notify_preferences"),)
    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=12)
    subject: str = Field(max_length=200)
    kind: str = Field(max_length=60)
    channel: str = Field(max_length=10)  # inbox | email
    enabled: bool


# Contacts: e-mail addresses of people and department mailboxes.
class Contact(SQLModel, table=True):
    __tablename__ = "notify_contacts"
    __table_args__ = (UniqueConstraint("scope", "subject", name="uq_notify_contacts"),)
    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=12)
    subject: str = Field(max_length=200)
    email: str = Field(max_length=320)
