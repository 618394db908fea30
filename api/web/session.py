"""Browser sessions: a server-side session id in an HttpOnly cookie, and double-submit CSRF tokens for forms.

The session cookie holds a random session id (`catalog.web_sessions`), never the API token: sign-out
ends the session on the server, and revoking the token ends its sessions. The cookie is HttpOnly,
SameSite=Lax, Secure unless the page is served over plain http to a loopback address, as in tests. Every form carries a
`csrf_token` field equal to the `mulu_csrf` cookie; a POST without the pair, or with a mismatch, is
refused with 403 before the route runs.
"""
from __future__ import annotations

import hmac
import ipaddress
import secrets

from fastapi import Form, Request, Response

from catalog.errors import Forbidden

SESSION_COOKIE = "mulu_session"
CSRF_COOKIE = "mulu_csrf"
CSRF_FIELD = "csrf_token"
SESSION_MAX_AGE = 8 * 3600  # a working day


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def cookie_secure(request: Request) -> bool:
    """Secure cookies everywhere except plain http on a loopback address (local use and tests)."""
    return not (request.url.scheme == "http" and _is_loopback(request.url.hostname))


def set_cookie(request: Request, response: Response, name: str, value: str, *, max_age: int) -> None:
    response.set_cookie(
        name, value, max_age=max_age, path="/", httponly=True, samesite="lax",
        secure=cookie_secure(request),
    )


def session_id(request: Request) -> str | None:
    return request.cookies.get(SESSION_COOKIE) or None


def start_session(request: Request, response: Response, session_id: str) -> None:
    """Keep the session id in the cookie and rotate the CSRF token (no fixation across sign-in)."""
    set_cookie(request, response, SESSION_COOKIE, session_id, max_age=SESSION_MAX_AGE)
    set_cookie(request, response, CSRF_COOKIE, secrets.token_urlsafe(32), max_age=SESSION_MAX_AGE)


def end_session(request: Request, response: Response) -> None:
    for name in (SESSION_COOKIE, CSRF_COOKIE):
        response.delete_cookie(name, path="/", httponly=True, samesite="lax", secure=cookie_secure(request))


def csrf_token(request: Request) -> str:
    """The CSRF token for forms on this page; a new one is minted (and set by `csrf_cookie`) if absent."""
    token = request.cookies.get(CSRF_COOKIE)
    if not token:
        token = request.state.__dict__.setdefault("new_csrf", secrets.token_urlsafe(32))
    return token


def csrf_cookie(request: Request, response: Response) -> None:
    """Set the CSRF cookie when `csrf_token` had to mint one for this response."""
    new = request.state.__dict__.get("new_csrf")
    if new:
        set_cookie(request, response, CSRF_COOKIE, new, max_age=SESSION_MAX_AGE)


def check_csrf(request: Request, csrf_token: str = Form("", alias=CSRF_FIELD)) -> None:
    """FastAPI dependency for every POST form: the field must equal the cookie (constant-time)."""
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not cookie or not csrf_token or not hmac.compare_digest(cookie.encode(), csrf_token.encode()):
        raise Forbidden("表单校验失败（CSRF）：请刷新页面后重新提交。 CSRF token missing or invalid.")
