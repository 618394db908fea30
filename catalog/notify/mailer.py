"""E-mail over SMTP (stdlib smtplib): a Chinese message, plain text and HTML, one per delivery."""
from __future__ import annotations

import html
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid

from catalog.notify.config import NotifySettings
from catalog.notify.kinds import kind_label
from catalog.notify.models import Delivery, NotifyEvent


def message(*, settings: NotifySettings, delivery: Delivery, event: NotifyEvent) -> EmailMessage:
    link = f"{settings.public_url}{event.link}" if event.link and settings.public_url else (event.link or "")
    msg = EmailMessage()
    msg["Subject"] = f"【政务信息资源目录】{event.title}"
    msg["From"] = settings.smtp_from
    msg["To"] = delivery.target
    msg["Message-ID"] = make_msgid(idstring=delivery.delivery_id, domain="mulu")
    msg["X-Mulu-Delivery"] = delivery.delivery_id
    msg["X-Mulu-Event"] = event.kind
    lines = [f"{kind_label(event.kind)}: {event.title}", "", event.body]
    if link:
        lines += ["", f"查看详情: {link}"]
    lines += ["", "—— 本邮件由政务信息资源目录 (mulu) 自动发送, 可在「通知设置」中退订。"]
    msg.set_content("\n".join(lines))
    body = "".join(f"<p>{html.escape(p)}</p>" for p in event.body.split("\n") if p)
    more = f'<p><a href="{html.escape(link)}">查看详情</a></p>' if link else ""
    msg.add_alternative(
        f'<html><body><h2>{html.escape(event.title)}</h2><p><strong>{html.escape(kind_label(event.kind))}</strong>'
        f"</p>{body}{more}<hr><p><small>本邮件由政务信息资源目录 (mulu) 自动发送。</small></p></body></html>",
        subtype="html")
    return msg


def send(*, settings: NotifySettings, msg: EmailMessage) -> None:
    """Send one message; raises OSError / smtplib.SMTPException on failure."""
    cls = smtplib.SMTP_SSL if settings.smtp_tls == "ssl" else smtplib.SMTP
    with cls(settings.smtp_host, settings.smtp_port, timeout=settings.http_timeout) as smtp:
        if settings.smtp_tls == "starttls":
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(msg)
