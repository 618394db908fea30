"""Notification settings from the environment (`MULU_SMTP_*`, `MULU_NOTIFY_*`): one table, read by the doors."""
from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from catalog.notify.webhook_targets import Network, parse_networks

# name, default, help
NOTIFY_SETTINGS: list[tuple[str, str, str]] = [
    ("MULU_SMTP_HOST", "", "SMTP 服务器; empty = no e-mail is sent (deliveries wait)"),
    ("MULU_SMTP_PORT", "25", "SMTP port"),
    ("MULU_SMTP_USER", "", "SMTP login (optional)"),
    ("MULU_SMTP_PASSWORD", "", "SMTP password (optional)"),
    ("MULU_SMTP_FROM", "mulu@localhost", "sender address of notification e-mail"),
    ("MULU_SMTP_TLS", "", "starttls | ssl | empty (plain)"),
    ("MULU_NOTIFY_REMIND_DAYS", "2", "remind this many working days before a deadline"),
    ("MULU_NOTIFY_INTERVAL", "60", "seconds between scheduler rounds in `mulu serve` (0 = off)"),
    ("MULU_NOTIFY_RETRY_BASE", "30", "seconds before the first retry; doubles each time"),
    ("MULU_NOTIFY_RETRY_CAP", "3600", "longest wait between retries, seconds"),
    ("MULU_NOTIFY_FAILURE_LIMIT", "10", "failures in a row after which a webhook is disabled"),
    ("MULU_PUBLIC_URL", "", "the catalogue's address, for links in e-mail"),
    ("MULU_NOTIFY_WEBHOOK_ALLOW", "", "networks webhooks may reach although loopback/link-local (e.g. 127.0.0.1/32)"),
]


@dataclass(frozen=True)
class NotifySettings:
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_from: str = "mulu@localhost"
    smtp_tls: str = ""
    remind_days: int = 2
    interval: float = 60.0
    retry_base: float = 30.0
    retry_cap: float = 3600.0
    failure_limit: int = 10
    public_url: str = ""
    http_timeout: float = 10.0
    webhook_allow: tuple[Network, ...] = ()  # see catalog.notify.webhook_targets


def notify_settings(env: Mapping[str, str] | None = None) -> NotifySettings:
    env = os.environ if env is None else env

    def get(name: str) -> str:
        return env.get(name, "").strip() or next(d for n, d, _ in NOTIFY_SETTINGS if n == name)

    return NotifySettings(
        smtp_host=get("MULU_SMTP_HOST"), smtp_port=int(get("MULU_SMTP_PORT")), smtp_user=get("MULU_SMTP_USER"),
        smtp_password=get("MULU_SMTP_PASSWORD"), smtp_from=get("MULU_SMTP_FROM"), smtp_tls=get("MULU_SMTP_TLS"),
        remind_days=int(get("MULU_NOTIFY_REMIND_DAYS")), interval=float(get("MULU_NOTIFY_INTERVAL")),
        retry_base=float(get("MULU_NOTIFY_RETRY_BASE")), retry_cap=float(get("MULU_NOTIFY_RETRY_CAP")),
        failure_limit=int(get("MULU_NOTIFY_FAILURE_LIMIT")), public_url=get("MULU_PUBLIC_URL").rstrip("/"),
        webhook_allow=parse_networks(env.get("MULU_NOTIFY_WEBHOOK_ALLOW", "")),
    )
