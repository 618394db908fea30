"""OIDC fixtures: a real OpenID provider (the npm package oidc-provider, run by node from tests/oidc/) on
a free loopback port, signing with an RSA key generated here, and a mulu configured to trust it.

The provider's test accounts and clients are in provider.js; the claims map below maps them:
zhangsan (department ORG-TAX, role mulu-steward) → steward of 税务局 330782103; lisi maps to nothing.
Without node or `npm ci` in tests/oidc the tests are skipped locally and fail in CI.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from joserfc.jwk import RSAKey

from tests.net import free_port, stop_process

HERE = Path(__file__).resolve().parent
TAX = "330782103"
AUDIENCE = "urn:mulu:api"
CLAIMS_MAP = f"""\
role_claim: roles
roles:
  mulu-admin: admin
  mulu-coordinator: coordinator
  mulu-steward: steward
department_claim: department_code
departments:
  ORG-TAX: "{TAX}"
"""


@dataclass
class Provider:
    issuer: str
    process: subprocess.Popen[bytes]

    def client_credentials(self, client_id: str, resource: str = AUDIENCE) -> str:
        """A JWT access token from the token endpoint (grant client_credentials, RFC 8707 resource)."""
        answer = httpx.post(f"{self.issuer}/token", auth=(client_id, f"{client_id}-secret"),
                            data={"grant_type": "client_credentials", "resource": resource}, timeout=10)
        assert answer.status_code == 200, answer.text
        token: str = answer.json()["access_token"]
        assert token.count(".") == 2, "the provider issued an opaque token, not a JWT"
        return token


def provider_command() -> list[str]:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is absent: the OpenID provider (tests/oidc/provider.js) needs Node.js 20+")
    if not (HERE / "node_modules" / "oidc-provider").is_dir():
        pytest.skip("the OpenID provider package is not installed: run `npm ci` in tests/oidc")
    return [node, str(HERE / "provider.js")]


@pytest.fixture(scope="session")
def signing_keys() -> dict[str, Any]:
    """The provider's private JWK set (one RSA key), shared by every provider a test starts."""
    key = RSAKey.generate_key(2048, parameters={"kid": "mulu-test-1", "use": "sig", "alg": "RS256"}, private=True)
    return {"keys": [key.as_dict(private=True)]}


@contextmanager
def run_provider(keys: dict[str, Any], redirect_uris: list[str], *, port: int | None = None) -> Iterator[Provider]:
    """oidc-provider on `port` (default: a free loopback port) until the block ends."""
    command, port = provider_command(), port or free_port()
    uris = redirect_uris or ["http://127.0.0.1:9/unused/callback"]  # the web client needs one
    env = {**os.environ, "OIDC_JWKS": json.dumps(keys), "OIDC_REDIRECT_URIS": ",".join(uris)}
    process = subprocess.Popen([*command, str(port)], cwd=HERE, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT)
    issuer = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if process.poll() is not None:
                out = process.stdout.read().decode(errors="replace") if process.stdout else ""
                pytest.fail(f"the OpenID provider exited: {out[-2000:]}")
            try:
                if httpx.get(f"{issuer}/.well-known/openid-configuration", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the OpenID provider did not start within 30 s"
            time.sleep(0.2)
        yield Provider(issuer=issuer, process=process)
    finally:
        stop_process(process, wait=10)
        if process.stdout:
            process.stdout.close()


@pytest.fixture(scope="session")
def claims_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("oidc") / "claims-map.yaml"
    path.write_text(CLAIMS_MAP, encoding="utf-8")
    return path


def oidc_settings(issuer: str, claims_map: Path, **more: Any) -> dict[str, Any]:
    """The Settings fields that point mulu at the test provider."""
    return {"oidc_issuer": issuer, "oidc_client_id": "mulu-web", "oidc_client_secret": "mulu-web-secret",
            "oidc_scopes": "openid profile mulu", "oidc_audience": AUDIENCE, "oidc_claims_map": claims_map,
            "oidc_leeway": 0, **more}


@pytest.fixture(scope="session")
def provider(signing_keys: dict[str, Any]) -> Iterator[Provider]:
    """A provider for the API tests (no web client redirect needed)."""
    with run_provider(signing_keys, []) as running:
        yield running
