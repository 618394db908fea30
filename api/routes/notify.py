"""/notifications (the inbox, subscriptions) and /webhooks: thin doors onto catalog.notify."""
from __future__ import annotations

from typing import Any

from datetime import datetime

from fastapi import FastAPI, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from api.deps import ActorDep, CatalogDep, DbDep, RowId
from api.examples import ERRORS
from api.routing import TypedRouter
from api.schemas.notify import (DeliveryPage, InboxPage, KindPage, MarkedOut, NotificationOut, PreferencesOut,
                                 UnreadOut, WebhookCreated, WebhookOut, WebhookPage)
from api.routes.sharing import ClockDep
from catalog.notify import inbox, notify_settings, preferences, webhooks
from catalog.notify.kinds import kinds_list
from catalog.sharing.clock import SystemClock

router = TypedRouter(responses=ERRORS)


class AppClock:
    """The app's clock for the background notifier: `app.state.clock` when a test sets one, else the system's."""

    def __init__(self, app: FastAPI) -> None:
        self.app = app

    def now(self) -> datetime:
        return (getattr(self.app.state, "clock", None) or SystemClock()).now()
INBOX, HOOKS = ["通知 notifications"], ["Webhook 订阅 webhooks"]


class Rule(BaseModel):
    kind: str = Field("*", description="通知类型, * = 全部")
    channel: str = Field("inbox", description="inbox 站内 / email 邮件")
    enabled: bool


class Subscriptions(BaseModel):
    rules: list[Rule] = Field(default_factory=list, description="替换现有设置")
    email: str | None = Field(None, description="接收邮件的地址; 空字符串 = 删除; 省略 = 不变")
    department_code: str | None = Field(None, description="修改部门的设置 (本部门数据管理员)")


class WebhookCreate(BaseModel):
    url: str = Field(description="接收地址 http(s)://…")
    kinds: list[str] | None = Field(None, description="只接收这些类型; 省略 = 本部门收到的全部")
    department_code: str | None = Field(None, description="省略 = 令牌所属部门; 协调机构可省略 = 全部事件")


@router.get("/notifications", tags=INBOX, summary="我的通知 (收件箱)", response_model=InboxPage)
def list_notifications(db: DbDep, actor: ActorDep, unread: bool | None = Query(None, description="true = 仅未读"),
                       limit: int = Query(50, ge=1, le=500), offset: int = Query(0, ge=0)) -> dict[str, Any]:
    with db.session() as session:
        rows, count = inbox.list_notifications(session=session, actor=actor, unread=unread, limit=limit,
                                               offset=offset)
        return {"data": [inbox.notification_dict(r) for r in rows], "count": count,
                "unread": inbox.unread_count(session=session, actor=actor)}


@router.get("/notifications/unread-count", tags=INBOX, summary="未读通知数", response_model=UnreadOut)
def unread(db: DbDep, actor: ActorDep) -> dict[str, int]:
    with db.session() as session:
        return {"unread": inbox.unread_count(session=session, actor=actor)}


@router.get("/notifications/kinds", tags=INBOX, summary="通知类型及默认接收方", response_model=KindPage)
def kinds() -> dict[str, Any]:
    data = kinds_list()
    return {"data": data, "count": len(data)}


@router.post("/notifications/read-all", tags=INBOX, summary="全部标为已读", response_model=MarkedOut)
def read_all(db: DbDep, actor: ActorDep, clock: ClockDep) -> dict[str, int]:
    with db.transaction() as session:
        return {"marked": inbox.mark_all_read(session=session, actor=actor, now=clock.now())}


@router.post("/notifications/{notification_id}/read", tags=INBOX, summary="标为已读", response_model=NotificationOut)
def read_one(db: DbDep, actor: ActorDep, clock: ClockDep, notification_id: RowId) -> dict[str, Any]:
    with db.transaction() as session:
        row = inbox.mark_read(session=session, actor=actor, notification_id=notification_id, now=clock.now())
        return inbox.notification_dict(row)


@router.get("/notifications/subscriptions", tags=INBOX, summary="通知设置 (本人或部门)", response_model=PreferencesOut)
def get_subscriptions(db: DbDep, actor: ActorDep, department_code: str | None = None) -> dict[str, Any]:
    with db.session() as session:
        return preferences.get_preferences(session=session, actor=actor, department_code=department_code)


@router.put("/notifications/subscriptions", tags=INBOX, summary="修改通知设置 (本人或部门)", response_model=PreferencesOut)
def put_subscriptions(db: DbDep, actor: ActorDep, body: Subscriptions) -> dict[str, Any]:
    with db.transaction() as session:
        return preferences.set_preferences(session=session, actor=actor, rules=[r.model_dump() for r in body.rules],
                                           email=body.email, department_code=body.department_code)


@router.post("/webhooks", status_code=201, tags=HOOKS, summary="登记 Webhook (返回一次签名密钥 secret)",
             response_model=WebhookCreated)
def create_webhook(db: DbDep, actor: ActorDep, catalog: CatalogDep, body: WebhookCreate) -> JSONResponse:
    allowed = (catalog.notifier.settings if catalog.notifier is not None else notify_settings()).webhook_allow
    with db.transaction() as session:
        hook, secret = webhooks.create_webhook(session=session, actor=actor, allowed=allowed, **body.model_dump())
        data = {**webhooks.webhook_dict(hook), "secret": secret}
    return JSONResponse(data, status_code=201, headers={"Location": f"/api/v1/webhooks/{data['id']}"})


@router.get("/webhooks", tags=HOOKS, summary="Webhook 列表", response_model=WebhookPage)
def list_webhooks(db: DbDep, actor: ActorDep) -> dict[str, Any]:
    with db.session() as session:
        rows = [webhooks.webhook_dict(h) for h in webhooks.list_webhooks(session=session, actor=actor)]
    return {"data": rows, "count": len(rows)}


@router.get("/webhooks/{webhook_id}", tags=HOOKS, summary="读取 Webhook", response_model=WebhookOut)
def get_webhook(db: DbDep, actor: ActorDep, webhook_id: RowId) -> dict[str, Any]:
    with db.session() as session:
        return webhooks.webhook_dict(webhooks.get_webhook(session=session, actor=actor, webhook_id=webhook_id))


@router.delete("/webhooks/{webhook_id}", status_code=204, tags=HOOKS, summary="删除 Webhook")
def delete_webhook(db: DbDep, actor: ActorDep, webhook_id: RowId) -> None:
    with db.transaction() as session:
        webhooks.delete_webhook(session=session, actor=actor, webhook_id=webhook_id)


@router.post("/webhooks/{webhook_id}/enable", tags=HOOKS, summary="重新启用 (自动停用后); 积压的通知随即发送",
             response_model=WebhookOut)
def enable_webhook(db: DbDep, actor: ActorDep, clock: ClockDep, webhook_id: RowId) -> dict[str, Any]:
    with db.transaction() as session:
        hook = webhooks.enable_webhook(session=session, actor=actor, webhook_id=webhook_id, now=clock.now())
        return webhooks.webhook_dict(hook)


@router.get("/webhooks/{webhook_id}/deliveries", tags=HOOKS, summary="投递记录", response_model=DeliveryPage)
def deliveries(db: DbDep, actor: ActorDep, webhook_id: RowId, limit: int = Query(50, ge=1, le=500),
               offset: int = Query(0, ge=0)) -> dict[str, Any]:
    with db.session() as session:
        rows, count = webhooks.deliveries(session=session, actor=actor, webhook_id=webhook_id, limit=limit,
                                          offset=offset)
        return {"data": [webhooks.delivery_dict(r) for r in rows], "count": count}
