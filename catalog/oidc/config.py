"""The OpenID Connect settings, checked once: issuer, client, scopes, audience, algorithms, claims map."""
from __future__ import annotations

from dataclasses import dataclass

from catalog.errors import InvalidInput
from catalog.oidc.claims_map import ClaimsMap, load_claims_map
from catalog.settings import Settings

# Signature algorithms a provider may use: asymmetric only. `none` and HMAC (HS*) are never accepted, so a
# token "signed" with the provider's public key as an HMAC secret is refused before any key is looked at.
ASYMMETRIC = frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"})


@dataclass(frozen=True)
class OidcConfig:
    issuer: str
    client_id: str
    client_secret: str
    scopes: str
    audience: str  # the `aud` the API requires in access tokens
    claims_map: ClaimsMap
    button: str
    redirect_uri: str  # empty = derived from the request
    algorithms: tuple[str, ...]
    leeway: int

    @classmethod
    def from_settings(cls, settings: Settings) -> OidcConfig | None:
        """None when no issuer is set; an InvalidInput naming what is missing or wrong otherwise."""
        if not settings.oidc_issuer:
            return None
        missing = [name for name, value in (("MULU_OIDC_CLIENT_ID", settings.oidc_client_id),
                                            ("MULU_OIDC_CLAIMS_MAP", settings.oidc_claims_map)) if not value]
        if missing:
            raise InvalidInput(f"已设置 MULU_OIDC_ISSUER，但缺少 {', '.join(missing)} (OIDC settings incomplete)")
        bad = [a for a in settings.oidc_algorithms if a not in ASYMMETRIC]
        if bad or not settings.oidc_algorithms:
            raise InvalidInput(f"MULU_OIDC_ALGORITHMS 只能是非对称签名算法（{', '.join(sorted(ASYMMETRIC))}），"
                               f"不接受 {', '.join(bad) or '空值'} (asymmetric algorithms only)")
        if "openid" not in settings.oidc_scopes.split():
            raise InvalidInput("MULU_OIDC_SCOPES 必须包含 openid (the openid scope is required)")
        assert settings.oidc_claims_map is not None
        return cls(issuer=settings.oidc_issuer, client_id=settings.oidc_client_id,
                   client_secret=settings.oidc_client_secret, scopes=settings.oidc_scopes,
                   audience=settings.oidc_audience or settings.oidc_client_id,
                   claims_map=load_claims_map(settings.oidc_claims_map), button=settings.oidc_button,
                   redirect_uri=settings.oidc_redirect_uri, algorithms=settings.oidc_algorithms,
                   leeway=settings.oidc_leeway)
