"""The API accepts the identity provider's access tokens (JWT, checked against its JWKS) next to local
tokens, on SQLite and PostgreSQL; every token that fails a check is a 401, unmapped claims a 403.

Tokens come from the real provider (client_credentials with a resource indicator → JWT access token).
"""
from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import OctKey

from api.app import create_app
from catalog.seeding import load_departments
from catalog.settings import Settings
from tests.databases import any_database
from tests.hardening.support import tokens_for
from tests.oidc.conftest import TAX, Provider, oidc_settings, run_provider
from tests.sharing.conftest import CONDITIONAL, publish

ASK = {"purpose": "税务登记核验", "basis": "《中华人民共和国税收征收管理法》第十五条", "period_days": 30}
SR = "/api/v1/share-requests"


class Api:
    def __init__(self, client: TestClient, code: str, local: dict[str, dict[str, str]]) -> None:
        self.client, self.code, self.local = client, code, local

    def ask(self, token: str) -> httpx.Response:
        """A share request as the token's holder: a steward of 税务局 may make it."""
        return self.client.post(SR, json={"resource_code": self.code, **ASK},
                                headers={"Authorization": f"Bearer {token}"})


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def api(request: pytest.FixtureRequest, tmp_path: Path, provider: Provider, claims_map: Path) -> Iterator[Api]:
    with any_database(request.param, tmp_path, prefix="mulu_oidc") as db:
        load_departments(db=db)
        [code] = publish(db, [CONDITIONAL])
        app = create_app(Settings(data_dir=tmp_path / "data", **oidc_settings(provider.issuer, claims_map)), db=db)
        with TestClient(app, raise_server_exceptions=False) as client:
            yield Api(client, code, tokens_for(db, {"tax": ("steward", TAX)}))


def test_a_provider_access_token_acts_as_the_mapped_steward(api: Api, provider: Provider) -> None:
    res = api.ask(provider.client_credentials("svc-tax"))
    assert res.status_code == 201, res.text
    assert res.json()["requester_code"] == TAX
    again = api.client.get(f"{SR}/{res.json()['id']}",
                           headers={"Authorization": f"Bearer {provider.client_credentials('svc-tax')}"})
    assert again.status_code == 200, again.text  # a second token of the same machine reads it back


def test_local_tokens_keep_working_next_to_provider_tokens(api: Api) -> None:
    res = api.client.post(SR, json={"resource_code": api.code, **ASK}, headers=api.local["tax"])
    assert res.status_code == 201, res.text


def test_claims_that_map_to_nothing_are_refused_with_a_clear_message(api: Api, provider: Provider) -> None:
    res = api.ask(provider.client_credentials("svc-nobody"))
    assert res.status_code == 403
    assert "映射表中没有对应的目录角色" in res.json()["message"]


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


def _parts(token: str) -> tuple[dict[str, Any], dict[str, Any], str]:
    head, body, sig = token.split(".")

    def pad(s: str) -> str:
        return s + "=" * (-len(s) % 4)

    return (json.loads(base64.urlsafe_b64decode(pad(head))), json.loads(base64.urlsafe_b64decode(pad(body))), sig)


def tampered(token: str) -> str:
    """The same signature over claims that now say admin."""
    _head, claims, sig = _parts(token)
    return f"{token.split('.')[0]}.{_b64({**claims, 'roles': ['mulu-admin']})}.{sig}"


def unsigned(token: str) -> str:
    head, claims, _ = _parts(token)
    return f"{_b64({**head, 'alg': 'none'})}.{_b64(claims)}."


def hmac_with_public_key(token: str, provider: Provider) -> str:
    """Algorithm confusion: HS256 keyed with the provider's published key material."""
    head, claims, _ = _parts(token)
    jwks = httpx.get(f"{provider.issuer}/jwks").json()
    secret = json.dumps(jwks["keys"][0]).encode()
    return jwt.encode({"alg": "HS256", "kid": head["kid"]}, claims, OctKey.import_key(secret))


@pytest.mark.parametrize("forge", ["tampered", "alg none", "HS256 with the public key", "not a JWT"])
def test_forged_tokens_are_refused_401(api: Api, provider: Provider, forge: str) -> None:
    token = provider.client_credentials("svc-tax")
    bad = {"tampered": lambda: tampered(token), "alg none": lambda: unsigned(token),
           "HS256 with the public key": lambda: hmac_with_public_key(token, provider),
           "not a JWT": lambda: "a.b.c"}[forge]()
    res = api.ask(bad)
    assert res.status_code == 401, res.text
    assert res.json()["error"] == "unauthenticated"


def test_a_token_for_another_audience_is_refused_401(api: Api, provider: Provider) -> None:
    res = api.ask(provider.client_credentials("svc-tax", resource="urn:other:api"))
    assert res.status_code == 401
    assert "aud" in res.json()["message"]


def test_an_expired_token_is_refused_401(api: Api, provider: Provider) -> None:
    token = provider.client_credentials("svc-tax", resource="urn:mulu:api:short-lived")  # lives 1 s
    time.sleep(2.2)
    res = api.ask(token)
    assert res.status_code == 401
    assert "已过期" in res.json()["message"]  # refused for its expiry, not its audience (this API's) or signature


def test_a_token_of_another_issuer_with_the_same_keys_is_refused_401(api: Api, signing_keys: dict[str, Any]) -> None:
    with run_provider(signing_keys, []) as impostor:  # same signing key, different issuer URL
        res = api.ask(impostor.client_credentials("svc-tax"))
    assert res.status_code == 401
    assert "iss" in res.json()["message"]


def test_a_key_the_provider_never_published_is_refused_401(api: Api, provider: Provider) -> None:
    from joserfc.jwk import RSAKey

    _head, claims, _ = _parts(provider.client_credentials("svc-tax"))
    own = RSAKey.generate_key(2048, parameters={"kid": "attacker"}, private=True)
    res = api.ask(jwt.encode({"alg": "RS256", "kid": "attacker"}, claims, own))
    assert res.status_code == 401
    assert "kid" in res.json()["message"]
