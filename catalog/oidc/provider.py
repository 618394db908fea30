"""The identity provider as mulu sees it: its discovery document, its signing keys, and JWT verification.

    idp = IdentityProvider(config=config, http=client)      # client: a ProviderHttp the door injects
    idp.metadata()                                           # discovery, fetched once (issuer must match)
    claims = idp.verify_jwt(token, audience=config.audience) # Unauthenticated (401) unless all checks pass

Checks, in order: the header's `alg` is on the allow-list (asymmetric only: never `none`, never HS*);
the key named by `kid` is in the provider's JWKS (refetched once when the kid is unknown — keys rotate —
but at most every REFRESH_SECONDS, so random kids cannot make mulu hammer the provider); the signature;
then `iss` equals the configured issuer, `aud` contains the audience, `exp` is required and not past, and
`nbf` / `iat` not in the future, each with `leeway` seconds of clock skew.
"""
from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import ClaimsOption

from catalog.errors import IdentityProviderUnavailable, Unauthenticated
from catalog.oidc.config import OidcConfig

REFRESH_SECONDS = 30.0  # the least time between two JWKS fetches caused by unknown kids
PUBLIC_KEY_TYPES = ("RSA", "EC", "OKP")  # symmetric ("oct") keys in a JWKS are ignored


class ProviderHttp(Protocol):
    """The only way catalog/oidc reaches the provider. Both raise IdentityProviderUnavailable when the
    provider cannot be reached or answers 5xx; a 4xx answer's JSON body is returned (it carries `error`)."""

    def get_json(self, url: str, *, bearer: str | None = None) -> dict[str, Any]: ...

    def post_form(self, url: str, data: dict[str, str], *, client_id: str,
                  client_secret: str) -> dict[str, Any]: ...


@dataclass(eq=False)
class IdentityProvider:
    config: OidcConfig
    http: ProviderHttp
    clock: Callable[[], float] = time.time
    _metadata: dict[str, Any] | None = field(default=None, repr=False)
    _keys: KeySet | None = field(default=None, repr=False)
    _keys_at: float = field(default=float("-inf"), repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    jwks_fetches: int = 0  # how often the keys were fetched (the tests and the bench read it)

    def metadata(self) -> dict[str, Any]:
        """The provider's discovery document (fetched once); its issuer must equal the configured one."""
        with self._lock:
            if self._metadata is None:
                url = self.config.issuer.rstrip("/") + "/.well-known/openid-configuration"
                data = self.http.get_json(url)
                if data.get("issuer") != self.config.issuer or not data.get("jwks_uri"):
                    raise IdentityProviderUnavailable(
                        f"统一身份认证的发现文档不符：issuer 为 {data.get('issuer')!r}，应为 {self.config.issuer!r} "
                        "(discovery document does not match the configured issuer)")
                self._metadata = data
            return self._metadata

    def endpoint(self, name: str) -> str:
        url = self.metadata().get(name)
        if not isinstance(url, str) or not url:
            raise IdentityProviderUnavailable(f"统一身份认证的发现文档缺少 {name} (discovery lacks {name})")
        return url

    def _fetch_keys(self, jwks_uri: str) -> KeySet:
        data = self.http.get_json(jwks_uri)
        public = [k for k in data.get("keys", []) if isinstance(k, dict) and k.get("kty") in PUBLIC_KEY_TYPES
                  and "d" not in k]
        try:
            keys = KeySet.import_key_set({"keys": public})
        except (JoseError, ValueError, TypeError) as exc:
            raise IdentityProviderUnavailable(f"统一身份认证的签名公钥（JWKS）无法读取：{exc} (bad JWKS)") from None
        self.jwks_fetches += 1
        return keys

    def keys(self, *, kid: str | None) -> KeySet:
        """The provider's public keys; fetched again when `kid` is not among them (rate-limited)."""
        jwks_uri = self.endpoint("jwks_uri")
        with self._lock:
            stale = self._keys is None or (kid is not None and _missing(self._keys, kid)
                                           and self.clock() - self._keys_at >= REFRESH_SECONDS)
            if stale:
                self._keys, self._keys_at = self._fetch_keys(jwks_uri), self.clock()
            assert self._keys is not None
            return self._keys

    def verify_jwt(self, token: str, *, audience: str, nonce: str | None = None) -> dict[str, Any]:
        """The claims of a JWT the provider signed for `audience`; Unauthenticated when any check fails."""
        try:
            header = jws.extract_compact(token.encode("ascii")).headers()
        except (JoseError, ValueError, UnicodeError):
            raise Unauthenticated("令牌不是有效的 JWT (malformed token)") from None
        alg, kid = header.get("alg"), header.get("kid")
        if alg not in self.config.algorithms:
            raise Unauthenticated(f"不接受签名算法 {alg!r} 的令牌 (algorithm not allowed)")
        keys = self.keys(kid=kid if isinstance(kid, str) else None)
        if isinstance(kid, str) and _missing(keys, kid):
            raise Unauthenticated("令牌的签名密钥（kid）不属于统一身份认证 (unknown signing key)")
        try:
            claims = jwt.decode(token, keys, algorithms=list(self.config.algorithms)).claims
            options: dict[str, ClaimsOption] = {
                "iss": {"essential": True, "value": self.config.issuer},
                "aud": {"essential": True, "value": audience}, "exp": {"essential": True}}
            if nonce is not None:
                options["nonce"] = {"essential": True, "value": nonce}
            jwt.JWTClaimsRegistry(now=lambda: int(self.clock()), leeway=self.config.leeway, **options).validate(claims)
        except JoseError as exc:
            raise Unauthenticated(f"令牌未通过校验：{_reason(exc)} (token rejected: {exc.error})") from None
        return dict(claims)


def _missing(keys: KeySet, kid: str) -> bool:
    try:
        keys.get_by_kid(kid)
        return False
    except (JoseError, ValueError, KeyError):
        return True


_REASONS = {"expired_token": "已过期", "invalid_claim": "声明不符（iss、aud、nonce、nbf 或 iat）",
            "missing_claim": "缺少必需的声明", "bad_signature": "签名无效", "decode_error": "格式错误"}


def _reason(exc: JoseError) -> str:
    return _REASONS.get(exc.error, exc.error)
