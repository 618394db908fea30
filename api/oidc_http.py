"""The HTTP client catalog/oidc is given to reach the identity provider (discovery, JWKS, token, userinfo).

httpx with short timeouts; a provider that cannot be reached, answers 5xx or answers something other than
a JSON object is an IdentityProviderUnavailable (502), never a 500.
"""
from __future__ import annotations

from typing import Any
from urllib.parse import quote

import httpx

from catalog.errors import IdentityProviderUnavailable

TIMEOUT = httpx.Timeout(10.0, connect=5.0)


class HttpxProviderHttp:
    def __init__(self, *, timeout: httpx.Timeout = TIMEOUT) -> None:
        self._client = httpx.Client(timeout=timeout, follow_redirects=False,
                                    headers={"Accept": "application/json"})

    def get_json(self, url: str, *, bearer: str | None = None) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
        return self._send("GET", url, headers=headers)

    def post_form(self, url: str, data: dict[str, str], *, client_id: str, client_secret: str) -> dict[str, Any]:
        # client_secret_basic: RFC 6749 §2.3.1 form-encodes both parts before the Basic scheme
        auth = (quote(client_id, safe=""), quote(client_secret, safe=""))
        return self._send("POST", url, data=data, auth=auth)

    def _send(self, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = self._client.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            raise IdentityProviderUnavailable(f"无法连接统一身份认证：{exc} (identity provider unreachable)") from None
        if response.status_code >= 500:
            raise IdentityProviderUnavailable(f"统一身份认证返回 {response.status_code} (identity provider error)")
        try:
            body = response.json()
        except ValueError:
            body = None
        if not isinstance(body, dict):
            if response.status_code >= 400:
                return {"error": f"http_{response.status_code}"}
            raise IdentityProviderUnavailable("统一身份认证的应答不是 JSON 对象 (unexpected answer)")
        return body

    def close(self) -> None:
        self._client.close()
