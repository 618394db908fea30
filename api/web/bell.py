"""The bell in every page's header: the signed-in viewer's unread notifications (catalog.notify.inbox)."""
from __future__ import annotations

import logging

from fastapi import Request

from api.web.context import database
from catalog.notify import inbox

log = logging.getLogger(__name__)


def unread_for(request: Request) -> int | None:
    """The unread count, or None when signed out (or when it cannot be read: the bell never breaks a page)."""
    actor = getattr(request.state, "viewer", None)
    if actor is None:
        return None
    try:
        with database(request).session() as s:
            return inbox.unread_count(session=s, actor=actor)
    except Exception:
        log.exception("unread count failed")
        return None
