"""What every page needs from the app: the database and the signed-in actor (from the session cookie)."""
from __future__ import annotations

from fastapi import Request

from api.deps import get_db as database
from api.web import session as web_session
from catalog.auth import Actor, actor_for_token
from catalog.errors import CatalogError, Unauthenticated


def optional_viewer(request: Request) -> Actor | None:
    """The signed-in actor, or None; a stale or revoked token counts as signed out."""
    if hasattr(request.state, "viewer"):
        return request.state.viewer
    viewer: Actor | None = None
    token = web_session.session_token(request)
    if token:
        try:
            with database(request).session() as s:
                viewer = actor_for_token(session=s, token=token)
        except CatalogError:
            viewer = None
    request.state.viewer = viewer
    return viewer


def viewer(request: Request) -> Actor:
    """The signed-in actor; pages that need one send the browser to the sign-in page (401)."""
    actor = optional_viewer(request)
    if actor is None:
        raise Unauthenticated("请先登录 (sign in first)")
    return actor
