"""Rendering pages: one Jinja2 environment (autoescape always on) and the route class that turns
catalogue errors into an error page in Chinese instead of a JSON body or a traceback."""
from __future__ import annotations

import logging
from collections.abc import Callable, Coroutine
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlencode

from fastapi import Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from jinja2 import Environment, FileSystemLoader, pass_context

from api.web import session as web_session
from api.web.labels import highlight_html
from api.web.bell import unread_for
from catalog.display_time import DEFAULT_TIMEZONE, display_date, display_time
from catalog.errors import CatalogError

log = logging.getLogger(__name__)

FLASH_COOKIE = "mulu_flash"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

ROLE_LABELS = {"steward": "资源管理员", "coordinator": "共享协调员", "auditor": "审计员", "admin": "系统管理员",
               "reader": "访客"}
STATE_LABELS = {"draft": "草稿", "submitted": "待审核", "published": "已发布", "withdrawn": "已撤回",
                "rejected": "已退回", "pending": "待答复", "approved": "已同意", "granted": "已授权",
                "revoked": "已撤销", "expired": "已过期", "cancelled": "已取消", "active": "有效"}


def _query(params: dict[str, Any], **changes: Any) -> str:
    """The query string of the current search with some parameters changed (None removes one)."""
    merged = {**params, **changes}
    pairs: list[tuple[str, str]] = []
    for key, value in merged.items():
        if value is None or value == "" or value == []:
            continue
        for v in value if isinstance(value, (list, tuple)) else [value]:
            pairs.append((key, str(v)))
    return urlencode(pairs)


@lru_cache(maxsize=1)
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,  # every page, every value: catalogue text is never markup
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(role_labels=ROLE_LABELS, state_labels=STATE_LABELS, query=_query)
    env.filters["highlight"] = highlight_html
    env.filters["when"] = _when  # a date-time in the display zone, labelled: 2026-12-01 05:59 (UTC+8)
    env.filters["day"] = _day  # the date in the display zone
    return env


def _zone(context: Any) -> str:
    request = context.get("request")
    settings = getattr(getattr(request, "app", None), "state", None)
    return getattr(getattr(settings, "settings", None), "timezone", None) or DEFAULT_TIMEZONE


@pass_context
def _when(context: Any, value: Any) -> str:
    return display_time(value, tz=_zone(context))


@pass_context
def _day(context: Any, value: Any) -> str:
    return display_date(value, tz=_zone(context))


def render(request: Request, template: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render `template` with the viewer, the CSRF token and the page context."""
    context.setdefault("viewer", getattr(request.state, "viewer", None))
    context.setdefault("unread", unread_for(request))  # the bell in the header (api.web.bell)
    flash = request.cookies.get(FLASH_COOKIE)
    context.setdefault("flash", unquote(flash) if flash else None)
    html = environment().get_template(template).render(
        request=request, csrf_token=web_session.csrf_token(request), path=request.url.path, **context
    )
    response = HTMLResponse(html, status_code=status_code)
    web_session.csrf_cookie(request, response)
    if flash:
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


def safe_path(target: str | None, default: str = "/") -> str:
    """Only same-site paths: never an open redirect to another host."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return default


def redirect(request: Request, url: str, message: str | None = None) -> RedirectResponse:
    """303 to `url` (a same-site path), carrying a one-time notice for the next page."""
    response = RedirectResponse(url, status_code=303)
    if message:
        web_session.set_cookie(request, response, FLASH_COOKIE, quote(message), max_age=60)
    return response


def error_page(request: Request, *, status_code: int, title: str, message: str,
               findings: list[Any] | None = None) -> HTMLResponse:
    return render(request, "error.html", status_code=status_code, title=title, message=message,
                  findings=findings or [])


ERROR_TITLES = {400: "请求有误", 401: "请先登录", 403: "无权操作", 404: "未找到", 409: "状态冲突",
                412: "内容已被他人修改", 413: "内容过大", 422: "校验未通过", 428: "缺少版本信息",
                429: "尝试次数过多"}


class WebRoute(APIRoute):
    """A page route: CatalogError and form errors become an HTML error page with the right status."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def page_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except CatalogError as exc:
                if exc.status == 401:
                    return web_redirect_to_signin(request)
                return error_page(request, status_code=exc.status,
                                  title=ERROR_TITLES.get(exc.status, "出错了"), message=exc.message,
                                  findings=exc.findings)
            except RequestValidationError as exc:
                fields = ", ".join(".".join(str(p) for p in e.get("loc", ())[1:]) for e in exc.errors())
                return error_page(request, status_code=400, title="请求有误",
                                  message=f"表单或参数不完整或格式不对：{fields}")

        return page_handler


def web_redirect_to_signin(request: Request) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse("/signin?" + urlencode({"next": target}), status_code=303)
