"""The API's Bearer check for the provider's access tokens (JWT): verified, then mapped to an Actor.

Local tokens (`mulu_…`) never reach here: they are looked up in the database (`catalog.auth`), so
machines and the CLI keep working whether or not OIDC is configured.
"""
from __future__ import annotations

from catalog.auth import Actor
from catalog.oidc.provider import IdentityProvider


def looks_like_jwt(token: str) -> bool:
    return token.count(".") == 2 and not token.startswith("mulu_")


def actor_for_access_token(*, idp: IdentityProvider, token: str) -> Actor:
    """401 unless the token is a JWT the provider signed for this API (iss, aud, exp, nbf, alg);
    403 when its claims map to no role or department."""
    claims = idp.verify_jwt(token, audience=idp.config.audience)
    return idp.config.claims_map.actor_for(claims)
