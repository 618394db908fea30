"""API fuzzing: schemathesis generates requests for every operation of the live OpenAPI document.

Each example is sent with the token of one persona (steward of 330782101 or of another department,
developer, auditor, coordinator, admin, or none), against the real app on a seeded SQLite copy.
Every answer must be non-5xx, use a documented status code and content type, and match the documented
response schema (the shared error body for every error). The number of requests is counted and
asserted (>= 1,000 per run).
"""
from __future__ import annotations

import atexit
import itertools
import shutil
import os
from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="schemathesis is needed for the API fuzzing")
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis import checks  # noqa: E402

from api.app import create_app  # noqa: E402
from tests.hardening.support import PERSONAS, copy_catalogue, seed_into, tokens_for  # noqa: E402

EXAMPLES = int(os.environ.get("MULU_FUZZ_EXAMPLES", "40"))
MIN_REQUESTS = 1000
CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_schema_conformance, checks.response_headers_conformance]


def _build():  # type: ignore[no-untyped-def]
    import tempfile

    base = Path(tempfile.mkdtemp(prefix="mulu-fuzz-"))
    atexit.register(shutil.rmtree, base, True)
    seed_into(base / "template")
    app = create_app(copy_catalogue(base / "template", base / "data"))
    return app, tokens_for(app.state.db)


APP, TOKENS = _build()
APP.openapi()  # built once here (seconds on a busy machine), not inside the loader's 10 s read timeout
# Bugs found by this fuzzing in files the hardening work does not own (reported to their owners). Each is
# excluded from the generated run and pinned by a strict xfail below: when it is fixed, the xfail passes,
# fails the run, and the entry must be deleted here (so the operation is fuzzed again).
KNOWN_BUGS: dict[str, str] = {}
FULL = schemathesis.openapi.from_asgi("/openapi.json", APP)
schema = FULL.exclude(path=list(KNOWN_BUGS)) if KNOWN_BUGS else FULL
SENT: list[tuple[str, int]] = []
ROTATION = itertools.cycle([*PERSONAS, "anonymous"])


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_answers_every_generated_request_as_documented(case):  # type: ignore[no-untyped-def]
    persona = next(ROTATION)  # round-robin over the personas, so every operation meets every role
    headers = dict(TOKENS.get(persona, {}))
    if case.headers and "Authorization" in case.headers:
        case.headers.pop("Authorization")
    response = case.call_and_validate(headers=headers, checks=CHECKS)
    SENT.append((case.operation.label, response.status_code))


def test_fuzzing_sent_enough_requests():
    """Runs after the parametrized test (file order): the run must have fuzzed >= 1,000 requests."""
    if not SENT:
        pytest.skip("the fuzz test did not run in this session (deselected)")
    operations = {label for label, _ in SENT}
    print(f"\nfuzzed {len(SENT)} requests over {len(operations)} operations; "
          f"5xx: {sum(1 for _, s in SENT if s >= 500)}")
    assert len(operations) == len(list(FULL.get_all_operations())) - len(KNOWN_BUGS)
    assert len(SENT) >= MIN_REQUESTS


@pytest.mark.parametrize("action", ["approve", "reject", "withdraw", "escalate", "arbitrate"])
def test_a_null_body_on_a_request_step_is_a_clear_4xx(action: str) -> None:
    """Regression: a JSON `null` body once reached the domain function without its arguments (a 500)."""
    from fastapi.testclient import TestClient

    with TestClient(APP, raise_server_exceptions=False) as client:
        response = client.post(f"/api/v1/share-requests/1/{action}", content=b"null", headers={
            **TOKENS["coordinator"], "Content-Type": "application/json"})
    assert 400 <= response.status_code < 500, response.text
    assert set(response.json()) >= {"error", "message", "findings"}
