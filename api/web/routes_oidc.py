"""Sign in through 统一身份认证 (OpenID Connect): leave for the provider, come back signed in.

    GET /auth/oidc/start?next=/    → 303 to the provider (PKCE, state, nonce kept in a short-lived cookie)
    GET /auth/oidc/callback        → checks (catalog.oidc.sign_in), claims → role and department, then the
                                     same server-side web session the token sign-in opens

A refused sign-in (provider error, state mismatch, unmapped claims) shows the sign-in page with the reason.
"""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from api.deps import get_identity_provider
from api.web import session as web_session
from api.web.context import database
from api.web.render import WebRoute, render, safe_path
from catalog import web_sessions
from catalog.errors import CatalogError, NotFound
from catalog.oidc import sign_in
from catalog.oidc.provider import IdentityProvider

router = APIRouter(route_class=WebRoute)
FLOW_COOKIE = "mulu_oidc_flow"
FLOW_PATH = "/auth/oidc"


def _idp(request: Request) -> IdentityProvider:
    idp = get_identity_provider(request)
    if idp is None:
        raise NotFound("本目录未配置统一身份认证登录 (OIDC is not configured)")
    return idp


def _redirect_uri(request: Request, idp: IdentityProvider) -> str:
    return idp.config.redirect_uri or str(request.url_for("oidc_callback"))


@router.get("/auth/oidc/start")
def oidc_start(request: Request, next: str = "/") -> Response:
    idp = _idp(request)
    url, flow = sign_in.begin(idp=idp, redirect_uri=_redirect_uri(request, idp), next_path=safe_path(next))
    response = RedirectResponse(url, status_code=303)
    response.set_cookie(FLOW_COOKIE, flow.dumps(), max_age=sign_in.FLOW_SECONDS, path=FLOW_PATH, httponly=True,
                        samesite="lax", secure=web_session.cookie_secure(request))
    return response


@router.get("/auth/oidc/callback", name="oidc_callback")
def oidc_callback(request: Request) -> Response:
    idp = _idp(request)
    try:
        flow = sign_in.Flow.loads(request.cookies.get(FLOW_COOKIE))
        claims = sign_in.finish(idp=idp, flow=flow, params=dict(request.query_params),
                                redirect_uri=_redirect_uri(request, idp))
        actor = idp.config.claims_map.actor_for(claims)
        with database(request).transaction() as s:
            session_id = web_sessions.start_provider_session(session=s, actor=actor, subject=str(claims["sub"]))
    except CatalogError as exc:
        request.state.viewer = None
        response: Response = render(request, "signin.html", status_code=exc.status, next="/", error=exc.message,
                                    oidc_button=idp.config.button)
    else:
        response = RedirectResponse(safe_path(flow.next_path), status_code=303)
        web_session.start_session(request, response, session_id)
    response.delete_cookie(FLOW_COOKIE, path=FLOW_PATH, httponly=True, samesite="lax",
                           secure=web_session.cookie_secure(request))
    return response
