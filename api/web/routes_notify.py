"""The inbox page: notifications, marking read (the bell in the header: api.web.bell)."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from api.deps import RowId
from api.web import session as web_session
from api.web.context import database, viewer
from api.web.render import WebRoute, redirect, render
from api.web.sharing import sharing_tools
from catalog.notify import inbox

router = APIRouter(route_class=WebRoute)


@router.get("/notifications")
def inbox_page(request: Request, unread: bool = False) -> Response:
    actor = viewer(request)
    with database(request).session() as s:
        rows, total = inbox.list_notifications(session=s, actor=actor, unread=True if unread else None, limit=200)
        items = [inbox.notification_dict(r) for r in rows]
    return render(request, "notifications.html", items=items, total=total, only_unread=unread)


@router.post("/act/notification-read", dependencies=[Depends(web_session.check_csrf)])
def mark_read(request: Request, notification_id: Annotated[RowId, Form()]) -> Response:
    actor = viewer(request)
    with database(request).transaction() as s:
        inbox.mark_read(session=s, actor=actor, notification_id=notification_id,
                        now=sharing_tools(request).clock.now())
    return redirect(request, f"/notifications#n-{notification_id}")


@router.post("/act/notifications-read-all", dependencies=[Depends(web_session.check_csrf)])
def mark_all_read(request: Request) -> Response:
    actor = viewer(request)
    with database(request).transaction() as s:
        count = inbox.mark_all_read(session=s, actor=actor, now=sharing_tools(request).clock.now())
    return redirect(request, "/notifications", f"已将 {count} 条通知标为已读")
