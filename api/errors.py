"""One error body for every error: `{"error", "message", "findings"}`, from catalog.errors.

CatalogError subclasses carry their status; FastAPI's request-validation errors become 422 (or 400 for
malformed JSON) with findings pointing into the request; 404/405 and the like keep their status; an
unexpected exception is logged and answered with the same shape (a last resort, not a strategy).
"""
from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from catalog.errors import CatalogError
from catalog.findings import Finding, pointer

log = logging.getLogger("mulu.api")

_HTTP_CODES = {400: "bad_request", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
               405: "method_not_allowed", 406: "not_acceptable", 413: "payload_too_large",
               415: "unsupported_media_type"}
_HTTP_MESSAGES = {404: "没有这个地址 (not found)", 405: "此地址不支持该请求方法 (method not allowed)"}


def error_response(status: int, code: str, message: str, findings: list[dict[str, Any]] | None = None,
                   headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    body = {"error": code, "message": message, "findings": findings or [], **extra}
    return JSONResponse(body, status_code=status, headers=headers)


async def _catalog_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, CatalogError)
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    if "etag" in exc.extra:
        headers = {**(headers or {}), "ETag": f'"{exc.extra["etag"]}"'}
    return JSONResponse(exc.to_body(), status_code=exc.status, headers=headers)


def _request_pointer(loc: tuple[Any, ...]) -> str:
    parts = list(loc)
    if parts and parts[0] in ("body", "query", "path", "header"):
        where = parts.pop(0)
        return (f"/{where}" if where != "body" else "") + pointer(*parts) if parts else f"/{where}"
    return pointer(*parts)


async def _validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        e = next(e for e in errors if e.get("type") == "json_invalid")
        return error_response(400, "invalid_input", f"请求体不是合法的 JSON：{e.get('ctx', {}).get('error', '')} "
                              "(malformed JSON)")
    findings = [Finding(rule=f"request-{e.get('type', 'invalid')}", severity="error",
                        path=_request_pointer(tuple(e.get("loc", ()))), message=str(e.get("msg", ""))).to_dict()
                for e in errors]
    return error_response(422, "invalid_request", f"请求参数有 {len(findings)} 处错误 (invalid request)", findings)


async def _http_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = _HTTP_CODES.get(exc.status_code, "http_error")
    message = _HTTP_MESSAGES.get(exc.status_code) or str(exc.detail)
    return error_response(exc.status_code, code, message, headers=getattr(exc, "headers", None))


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_response(500, "internal_error", "服务器内部错误，已记录日志 (internal error)")


def install_error_handlers(app: FastAPI) -> None:
    app.add_exception_handler(CatalogError, _catalog_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
