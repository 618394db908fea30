"""The authorization-code flow with PKCE (S256), state and nonce, as the web sign-in runs it.

    url, flow = begin(idp=idp, redirect_uri=..., next_path="/")   # send the browser to `url`; keep `flow`
    claims = finish(idp=idp, flow=flow, params=query, redirect_uri=...)   # on the callback

`flow` (state, nonce, PKCE verifier, where to go after) is kept by the browser that started the flow, in a
short-lived HttpOnly cookie: a callback whose `state` differs from it is refused, the code is redeemed
with the verifier, the ID token must carry the nonce, and the userinfo answer must be about the same `sub`.
"""
from __future__ import annotations

import hmac
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from authlib.common.security import generate_token
from authlib.common.urls import add_params_to_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from catalog.errors import IdentityProviderUnavailable, Unauthenticated
from catalog.oidc.provider import IdentityProvider

FLOW_SECONDS = 600  # time allowed between leaving for the provider and coming back


@dataclass(frozen=True)
class Flow:
    state: str
    nonce: str
    code_verifier: str
    next_path: str

    def dumps(self) -> str:
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def loads(cls, text: str | None) -> Flow:
        try:
            data = json.loads(text or "")
            return cls(**{k: str(data[k]) for k in ("state", "nonce", "code_verifier", "next_path")})
        except (ValueError, TypeError, KeyError):
            raise Unauthenticated("登录流程已失效（可能超时或在其他窗口开始），请重新登录 (no sign-in in progress)") from None


def begin(*, idp: IdentityProvider, redirect_uri: str, next_path: str) -> tuple[str, Flow]:
    """The provider's authorization URL to send the browser to, and the flow to keep until it returns."""
    flow = Flow(state=generate_token(32), nonce=generate_token(32), code_verifier=generate_token(64),
                next_path=next_path)
    url = add_params_to_uri(idp.endpoint("authorization_endpoint"), {
        "response_type": "code", "client_id": idp.config.client_id, "redirect_uri": redirect_uri,
        "scope": idp.config.scopes, "state": flow.state, "nonce": flow.nonce,
        "code_challenge": create_s256_code_challenge(flow.code_verifier), "code_challenge_method": "S256",
    })
    return url, flow


def finish(*, idp: IdentityProvider, flow: Flow, params: Mapping[str, str], redirect_uri: str) -> dict[str, Any]:
    """The account's claims (ID token merged with userinfo) once every check of the callback passes."""
    if params.get("error"):
        detail = params.get("error_description") or params["error"]
        raise Unauthenticated(f"统一身份认证未完成登录：{detail} (the provider refused: {params['error']})")
    if not hmac.compare_digest(params.get("state", "").encode(), flow.state.encode()):
        raise Unauthenticated("登录回调的 state 与本浏览器发起的登录不符，请重新登录 (state mismatch)")
    if "iss" in params and params["iss"] != idp.config.issuer:  # RFC 9207: the answer is from our provider
        raise Unauthenticated("登录回调来自其他身份提供方 (issuer mismatch)")
    if not params.get("code"):
        raise Unauthenticated("登录回调缺少授权码 (no code)")
    answer = idp.http.post_form(idp.endpoint("token_endpoint"), {
        "grant_type": "authorization_code", "code": params["code"], "redirect_uri": redirect_uri,
        "code_verifier": flow.code_verifier,
    }, client_id=idp.config.client_id, client_secret=idp.config.client_secret)
    if answer.get("error") or not isinstance(answer.get("id_token"), str):
        raise Unauthenticated(f"统一身份认证拒绝了授权码：{answer.get('error_description') or answer.get('error')} "
                              "(code exchange failed)")
    claims = idp.verify_jwt(answer["id_token"], audience=idp.config.client_id, nonce=flow.nonce)
    userinfo_url = idp.metadata().get("userinfo_endpoint")
    if userinfo_url and isinstance(answer.get("access_token"), str):
        info = idp.http.get_json(userinfo_url, bearer=answer["access_token"])
        if info.get("error"):
            raise IdentityProviderUnavailable(f"统一身份认证的用户信息接口拒绝了请求：{info['error']} (userinfo failed)")
        if info.get("sub") != claims.get("sub"):
            raise Unauthenticated("用户信息与 ID 令牌不是同一账号 (userinfo sub mismatch)")
        claims = {**info, **claims}
    return claims
