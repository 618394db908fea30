"""Sign in with a token (a server-side session, its id in an HttpOnly cookie; throttled) and sign out."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from api.deps import get_identity_provider
from api.web import session as web_session
from api.web.context import database, optional_viewer
from api.web.render import WebRoute, redirect, render, safe_path
from catalog import sign_in_throttle, web_sessions
from catalog.errors import Unauthenticated

router = APIRouter(route_class=WebRoute)
TOKEN_ACCOUNT = "token"  # token sign-ins share one throttle key per client address (no account name)


@router.get("/signin")
def signin_page(request: Request, next: str = "/") -> Response:
    optional_viewer(request)
    return render(request, "signin.html", next=safe_path(next), error=None, oidc_button=oidc_button(request))


def oidc_button(request: Request) -> str | None:
    """The label of the "sign in with 统一身份认证" button, or None when OIDC is not configured."""
    idp = get_identity_provider(request)
    return idp.config.button if idp is not None else None


@router.post("/signin", dependencies=[Depends(web_session.check_csrf)])
def signin(request: Request, token: str = Form(""), next: str = Form("/")) -> Response:
    token, client_ip = token.strip(), request.client.host if request.client else "?"
    failed = False
    with database(request).transaction() as s:  # the failure is recorded (committed) even when refused
        sign_in_throttle.check(session=s, account=TOKEN_ACCOUNT, client_ip=client_ip)
        try:
            session_id, _ = web_sessions.start_session(session=s, token=token)
            sign_in_throttle.clear(session=s, account=TOKEN_ACCOUNT, client_ip=client_ip)
        except Unauthenticated:
            sign_in_throttle.record_failure(session=s, account=TOKEN_ACCOUNT, client_ip=client_ip)
            failed = True
    if failed:
        request.state.viewer = None
        return render(request, "signin.html", next=safe_path(next),
                      error="令牌无效或已吊销，请检查后重试。", oidc_button=oidc_button(request))
    response = RedirectResponse(safe_path(next), status_code=303)
    web_session.start_session(request, response, session_id)
    return response


@router.post("/signout", dependencies=[Depends(web_session.check_csrf)])
def signout(request: Request) -> Response:
    with database(request).transaction() as s:
        web_sessions.end_session(session=s, session_id=web_session.session_id(request))
    response = redirect(request, "/", "已退出登录")
    web_session.end_session(request, response)
    return response
