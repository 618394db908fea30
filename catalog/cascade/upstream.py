"""The HTTP client of the next level up: the one place where mulu talks to another instance.

Any failure to reach it, or an answer other than 2xx, is an `UpstreamUnavailable` naming the cause;
the caller keeps its cursor and retries later.
"""
from __future__ import annotations

from typing import Any

import httpx

from catalog.errors import UpstreamUnavailable

TIMEOUT_S = 60.0


class Upstream:
    def __init__(self, url: str, token: str, *, transport: httpx.BaseTransport | None = None) -> None:
        self.url = url.rstrip("/")
        self.client = httpx.Client(base_url=self.url + "/api/v1", timeout=TIMEOUT_S, transport=transport,
                                   headers={"Authorization": f"Bearer {token}"})

    def close(self) -> None:
        self.client.close()

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = self.client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise UpstreamUnavailable(f"上级目录 {self.url} 无法连接：{exc.__class__.__name__} (upstream unreachable)",
                                      cause=str(exc)[:200]) from None
        if response.status_code >= 300:
            try:
                body = response.json()
                message = body.get("message") or response.text[:200]
            except ValueError:
                body, message = {}, response.text[:200]
            raise UpstreamUnavailable(f"上级目录 {self.url} 答复 {response.status_code}：{message}",
                                      status_code=response.status_code,
                                      findings=[], upstream_error=body.get("error") if isinstance(body, dict) else None)
        result: dict[str, Any] = response.json()
        return result

    def push(self, *, entries: list[dict[str, Any]], departments: list[dict[str, Any]],
             origin: dict[str, Any]) -> dict[str, Any]:
        return self._call("POST", "/cascade/intake",
                          json={"origin": origin, "entries": entries, "departments": departments})

    def verdicts(self, *, decided_after: str | None, offset: int) -> dict[str, Any]:
        params: dict[str, Any] = {"limit": 500, "offset": offset}
        if decided_after:
            params["decided_after"] = decided_after
        return self._call("GET", "/cascade/reports", params=params)

    def feed(self, *, since: int, classifications: tuple[str, ...], limit: int = 500) -> dict[str, Any]:
        params: dict[str, Any] = {"since": since, "limit": limit}
        if classifications:
            params["classification"] = ",".join(classifications)
        return self._call("GET", "/feed", params=params)
