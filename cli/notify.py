"""`mulu notify ...`: one round of reminders and sending (for cron), the inbox, subscriptions, webhooks.

Acts as the user of `--token` (or MULU_TOKEN), like `mulu requests`; `mulu notify run` needs no token.
"""
from __future__ import annotations

import json
from datetime import UTC, datetime

import typer
from rich.table import Table

from catalog.errors import CatalogError
from catalog.notify import inbox, preferences, webhooks
from catalog.notify.kinds import kinds_list
from catalog.notify import Notifier, notify_settings
from catalog.settings import get_settings
from catalog.sharing.calendar import calendar_for
from catalog.sharing.clock import FixedClock, SystemClock
from cli import output
from cli.requests import AS_JSON, TOKEN, _context, _fail
from cli.serve import open_db

notify_app = typer.Typer(help="通知 notifications: 提醒、收件箱、订阅、Webhook", no_args_is_help=True)
hooks_app = typer.Typer(help="Webhook", no_args_is_help=True)


@notify_app.command("run")
def run(at: str = typer.Option(None, "--at", help="按此时刻计算提醒 (ISO 8601, 测试/补发用); 省略 = 现在"),
        as_json: bool = AS_JSON) -> None:
    """写入到期的提醒并发送所有待发通知 (供 cron 定时调用; 多进程同时运行也不会重复发送)。"""
    settings = get_settings()
    db = open_db(settings)
    try:
        clock = FixedClock(datetime.fromisoformat(at).astimezone(UTC)) if at else SystemClock()
        notifier = Notifier(db=db, settings=notify_settings(), calendar=calendar_for(settings), clock=clock)
        result = notifier.run_once()  # no background thread: one round, then exit
    except CatalogError as exc:
        _fail(exc)
    except ValueError as exc:
        output.fail(f"--at 应为 ISO 8601 时刻, 如 2025-10-09T09:00:00+08:00 ({exc})")
    finally:
        db.dispose()
    data = {"reminders": result.reminders, "delivered": result.delivered, "failed": result.failed}
    if as_json:
        print(output.to_json(data))
    else:
        output.stdout().print(f"提醒 reminders: {data['reminders']}  已发送 delivered: {data['delivered']}  "
                              f"失败待重试 failed: {data['failed']}", highlight=False)


@notify_app.command("list")
def list_inbox(unread: bool = typer.Option(False, "--unread", help="仅未读"), limit: int = typer.Option(50, min=1),
               token: str = TOKEN, as_json: bool = AS_JSON) -> None:
    """我的通知。"""
    with _context(token, write=False) as (session, actor, _cal, _clock):
        rows, count = inbox.list_notifications(session=session, actor=actor, unread=True if unread else None,
                                               limit=limit)
        data = [inbox.notification_dict(r) for r in rows]
        left = inbox.unread_count(session=session, actor=actor)
    if as_json:
        print(output.to_json({"data": data, "count": count, "unread": left}))
        return
    table = Table(title=f"通知 ({count}, 未读 {left})")
    for column in ("编号", "", "类型", "标题", "时间"):
        table.add_column(column)
    for n in data:
        table.add_row(str(n["id"]), "" if n["read"] else "●", n["label"], n["title"], n["created_at"])
    output.stdout().print(table)


@notify_app.command("read")
def read(notification_id: int = typer.Argument(None, help="通知编号; 省略并加 --all = 全部"),
         all_: bool = typer.Option(False, "--all", help="全部标为已读"), token: str = TOKEN) -> None:
    """标为已读。"""
    if notification_id is None and not all_:
        output.fail("请给出通知编号, 或用 --all")
    with _context(token, write=True) as (session, actor, _cal, clock):
        if all_:
            count = inbox.mark_all_read(session=session, actor=actor, now=clock.now())
        else:
            inbox.mark_read(session=session, actor=actor, notification_id=notification_id, now=clock.now())
            count = 1
    output.stdout().print(f"已读 marked read: {count}", highlight=False)


@notify_app.command("kinds")
def kinds(as_json: bool = AS_JSON) -> None:
    """通知类型及默认接收方。"""
    data = kinds_list()
    if as_json:
        print(output.to_json(data))
        return
    for k in data:
        sides = "; ".join(f"{s}: {'/'.join(r)}" for s, r in k["sides"].items())  # type: ignore[union-attr]
        extra = f"; {'/'.join(k['everywhere'])}" if k["everywhere"] else ""  # type: ignore[arg-type]
        output.stdout().print(f"{k['kind']:<28} {k['label']}  ({sides}{extra})", highlight=False, markup=False)


@notify_app.command("subscribe")
def subscribe(rule: list[str] = typer.Option([], "--rule", help="kind:channel:on|off, 如 share_request.created:email:off"),
              email: str = typer.Option(None, help="接收邮件的地址 (空字符串 = 删除)"),
              department: str = typer.Option(None, help="修改部门的设置 (本部门数据管理员)"),
              token: str = TOKEN, as_json: bool = AS_JSON) -> None:
    """修改通知设置 (替换现有规则)。"""
    rules = []
    for text in rule:
        parts = text.split(":")
        if len(parts) != 3 or parts[2] not in ("on", "off"):
            output.fail(f"--rule 应为 kind:channel:on|off, 收到 {text!r}")
        rules.append({"kind": parts[0], "channel": parts[1], "enabled": parts[2] == "on"})
    with _context(token, write=True) as (session, actor, _cal, _clock):
        data = preferences.set_preferences(session=session, actor=actor, rules=rules, email=email,
                                           department_code=department)
    print(output.to_json(data) if as_json else json.dumps(data, ensure_ascii=False, indent=2))


@hooks_app.command("add")
def hook_add(url: str, kind: list[str] = typer.Option([], "--kind", help="只接收这些类型 (可重复)"),
             department: str = typer.Option(None, help="部门代码 (省略 = 令牌所属部门)"), token: str = TOKEN,
             as_json: bool = AS_JSON) -> None:
    """登记 Webhook; 签名密钥只显示这一次。"""
    with _context(token, write=True) as (session, actor, _cal, _clock):
        hook, secret = webhooks.create_webhook(session=session, actor=actor, url=url, kinds=kind or None,
                                               department_code=department, allowed=notify_settings().webhook_allow)
        data = {**webhooks.webhook_dict(hook), "secret": secret}
    print(output.to_json(data) if as_json else f"Webhook {data['id']}  密钥 secret: {secret}")


@hooks_app.command("list")
def hook_list(token: str = TOKEN, as_json: bool = AS_JSON) -> None:
    with _context(token, write=False) as (session, actor, _cal, _clock):
        data = [webhooks.webhook_dict(h) for h in webhooks.list_webhooks(session=session, actor=actor)]
    if as_json:
        print(output.to_json(data))
        return
    for h in data:
        state = "启用" if h["enabled"] else f"已停用: {h['disabled_reason']}"
        output.stdout().print(f"{h['id']}  {h['department_code'] or '(全部)'}  {h['url']}  {state}",
                              highlight=False, markup=False)


@hooks_app.command("enable")
def hook_enable(webhook_id: int, token: str = TOKEN) -> None:
    """重新启用自动停用的 Webhook; 积压的通知随即发送。"""
    with _context(token, write=True) as (session, actor, _cal, clock):
        webhooks.enable_webhook(session=session, actor=actor, webhook_id=webhook_id, now=clock.now())
    output.stdout().print(f"Webhook {webhook_id} 已启用", highlight=False)


@hooks_app.command("deliveries")
def hook_deliveries(webhook_id: int, limit: int = typer.Option(50, min=1), token: str = TOKEN,
                    as_json: bool = AS_JSON) -> None:
    """投递记录。"""
    with _context(token, write=False) as (session, actor, _cal, _clock):
        rows, count = webhooks.deliveries(session=session, actor=actor, webhook_id=webhook_id, limit=limit)
        data = [webhooks.delivery_dict(r) for r in rows]
    if as_json:
        print(output.to_json({"data": data, "count": count}))
        return
    for d in data:
        output.stdout().print(f"{d['delivery_id']}  {d['status']}  尝试 {d['attempts']} 次  "
                              f"{d['last_status_code'] or ''} {d['last_error'] or ''}", highlight=False, markup=False)


def register(app: typer.Typer) -> None:
    notify_app.add_typer(hooks_app, name="webhooks")
    app.add_typer(notify_app, name="notify")
