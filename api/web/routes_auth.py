"""Sign in with a token (kept in an HttpOnly cookie) and sign out."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from api.web import session as web_session
from api.web.context import database, optional_viewer
from api.web.render import WebRoute, redirect, render, safe_path
from catalog.auth import actor_for_token
from catalog.errors import Unauthenticated

router = APIRouter(route_class=WebRoute)


@router.get("/signin")
def signin_page(request: Request, next: str = "/") -> Response:
    optional_viewer(request)
    return render(request, "signin.html", next=safe_path(next), error=None)


@router.post("/signin", dependencies=[Depends(web_session.check_csrf)])
def signin(request: Request, token: str = Form(""), next: str = Form("/")) -> Response:
    token = token.strip()
    try:
        with database(request).session() as s:
            actor_for_token(session=s, token=token)
    except Unauthenticated:
        request.state.viewer = None
        return render(request, "signin.html", next=safe_path(next),
                      error="令牌无效或已吊销，请检查后重试。")
    response = RedirectResponse(safe_path(next), status_code=303)
    web_session.start_session(request, response, token)
    return response


@router.post("/signout", dependencies=[Depends(web_session.check_csrf)])
def signout(request: Request) -> Response:
    response = redirect(request, "/", "已退出登录")
    web_session.end_session(request, response)
    return response
