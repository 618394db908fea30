"""What every page needs from the app: the database and the signed-in actor (from the server-side session its cookie names)."""
from __future__ import annotations

from fastapi import Request

from api.deps import get_db as database
from api.web import session as web_session
from catalog.auth import Actor
from catalog.errors import CatalogError, Unauthenticated
from catalog.web_sessions import actor_for_session


def optional_viewer(request: Request) -> Actor | None:
    """The signed-in actor, or None; a stale or revoked token counts as signed out."""
    if hasattr(request.state, "viewer"):
        return request.state.viewer
    viewer: Actor | None = None
    session_id = web_session.session_id(request)
    if session_id:
        try:
            with database(request).session() as s:
                viewer = actor_for_session(session=s, session_id=session_id)
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
