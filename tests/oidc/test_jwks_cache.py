"""The provider's keys are fetched once and kept; an unknown `kid` fetches them again (the provider
rotated its key), but at most once per REFRESH_SECONDS, so tokens naming random kids cannot make mulu
hammer the provider. Against the real provider, restarted on the same address with a new signing key."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey

from api.oidc_http import HttpxProviderHttp
from catalog.errors import Unauthenticated
from catalog.oidc.config import OidcConfig
from catalog.oidc.provider import REFRESH_SECONDS, IdentityProvider
from catalog.settings import Settings
from tests.net import free_port
from tests.oidc.conftest import AUDIENCE, oidc_settings, run_provider


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def forged(claims: dict[str, Any], kid: str) -> str:
    key = RSAKey.generate_key(2048, parameters={"kid": kid}, private=True)
    return jwt.encode({"alg": "RS256", "kid": kid}, claims, key)


def test_keys_are_cached_and_refetched_for_a_rotated_key_at_most_every_refresh_interval(
        signing_keys: dict[str, Any], claims_map: Path) -> None:
    import time

    port = free_port()
    config = OidcConfig.from_settings(Settings(**oidc_settings(f"http://127.0.0.1:{port}", claims_map,
                                                               oidc_leeway=5)))
    assert config is not None
    clock = Clock(time.time())
    idp = IdentityProvider(config=config, http=HttpxProviderHttp(), clock=clock)

    with run_provider(signing_keys, [], port=port) as provider:
        first = provider.client_credentials("svc-tax")
        for _ in range(3):
            assert idp.verify_jwt(first, audience=AUDIENCE)["client_id"] == "svc-tax"
        assert idp.jwks_fetches == 1  # fetched once, then cached

        claims = idp.verify_jwt(first, audience=AUDIENCE)
        for i in range(5):  # unknown kids right after a fetch: refused without asking the provider again
            with pytest.raises(Unauthenticated, match="kid"):
                idp.verify_jwt(forged(claims, f"random-{i}"), audience=AUDIENCE)
        assert idp.jwks_fetches == 1

    rotated = RSAKey.generate_key(2048, parameters={"kid": "mulu-test-2", "use": "sig", "alg": "RS256"},
                                  private=True)
    keys = {"keys": [rotated.as_dict(private=True), *signing_keys["keys"]]}  # signs with the new key first
    with run_provider(keys, [], port=port) as provider:
        clock.now = time.time() + REFRESH_SECONDS  # the interval has passed since the last fetch
        token = provider.client_credentials("svc-tax")
        assert idp.verify_jwt(token, audience=AUDIENCE)["client_id"] == "svc-tax"
        assert idp.jwks_fetches == 2  # the unknown kid fetched the new key set once
        assert idp.verify_jwt(first, audience=AUDIENCE)  # the old key is still published and still works
        assert idp.jwks_fetches == 2
