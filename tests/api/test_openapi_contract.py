"""The OpenAPI document is the contract: every success response names a model, and real answers fit it.

The real answers are checked against a *closed* copy of the documented schemas: wherever a model declares
its properties, a key the route returns that the model does not declare fails the test (so a model that
loses a field, or a route that grows one the model does not name, is caught). Open objects with no declared
properties (a resource's `record`, which follows the core-metadata standard) stay open.
"""
from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator

from api.app import create_app
from catalog.auth import create_token
from catalog.search.outbox import apply_outbox
from catalog.seeding import load_departments
from catalog.settings import Settings
from tests.sharing.conftest import CONDITIONAL, MARKET, TAX, UNCONDITIONAL, publish

API = "/api/v1"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return create_app(Settings(data_dir=Path(tmp_path_factory.mktemp("contract")) / "data"))


@pytest.fixture(scope="module")
def document(app: Any) -> dict[str, Any]:
    return app.openapi()  # type: ignore[no-any-return]


def _closed(schema: Any) -> Any:
    """The schema with `additionalProperties: false` wherever properties are declared."""
    if isinstance(schema, dict):
        out = {k: _closed(v) for k, v in schema.items()}
        if "properties" in out:
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [_closed(v) for v in schema]
    return schema


def _validator(document: dict[str, Any], method: str, path: str, status: int) -> Draft202012Validator:
    response = document["paths"][path][method]["responses"][str(status)]
    schema = copy.deepcopy(response["content"]["application/json"]["schema"])
    root = {**_closed(schema), "components": _closed(document["components"])}
    return Draft202012Validator(root)


def assert_fits(document: dict[str, Any], method: str, path: str, status: int, body: Any) -> None:
    errors = sorted(_validator(document, method, path, status).iter_errors(body), key=lambda e: list(e.path))
    assert not errors, [f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors[:10]]


def test_every_success_response_names_a_model(document: dict[str, Any]) -> None:
    missing = []
    for path, operations in document["paths"].items():
        for method, op in operations.items():
            for status, response in op["responses"].items():
                if not status.startswith("2") or status == "204":
                    continue
                schema = response.get("content", {}).get("application/json", {}).get("schema", {})
                if "$ref" not in schema:
                    missing.append(f"{method.upper()} {path} {status}: {schema}")
    assert not missing, missing


def test_every_documented_model_names_its_fields(document: dict[str, Any]) -> None:
    """A component with no declared properties documents nothing (the `Page` data and `record` aside)."""
    empty = [name for name, s in document["components"]["schemas"].items()
             if s.get("type") == "object" and not s.get("properties")]
    assert not empty, empty


def test_closed_schema_rejects_an_undeclared_field(document: dict[str, Any]) -> None:
    """The check below can fail: a share request with a field the model does not declare does not fit."""
    validator = _validator(document, "get", f"{API}/share-requests/{{request_id}}", 200)
    assert not validator.is_valid({"id": 1, "undeclared": True})
    assert not validator.is_valid({})


@pytest.fixture(scope="module")
def api(app: Any) -> Any:
    db = app.state.db
    load_departments(db=db)
    codes = publish(db, [UNCONDITIONAL, CONDITIONAL])
    heads: dict[str, dict[str, str]] = {}
    with db.transaction() as session:
        for short, role, dept in (("MS", "steward", MARKET), ("TS", "steward", TAX), ("TD", "developer", TAX)):
            secret, _ = create_token(session=session, role=role, department_code=dept, name=f"{short} 用户")
            heads[short] = {"Authorization": f"Bearer {secret}"}
    apply_outbox(db=db, backend=app.state.catalog.search)
    with TestClient(app) as client:
        yield client, heads, codes
    db.dispose()


def test_real_answers_fit_the_documented_schemas(api: Any, document: dict[str, Any]) -> None:
    client, heads, codes = api
    listed = client.get(f"{API}/resources", headers=heads["MS"])
    assert listed.status_code == 200 and listed.json()["count"] >= 2
    assert_fits(document, "get", f"{API}/resources", 200, listed.json())

    one = client.get(f"{API}/resources/{codes[0]}", headers=heads["MS"])
    assert one.status_code == 200 and one.json()["record"]["name"]
    assert_fits(document, "get", f"{API}/resources/{{code}}", 200, one.json())

    asked = client.post(f"{API}/share-requests", headers=heads["TS"], json={
        "resource_code": codes[1], "purpose": "税务登记核验", "basis": "业务需要", "period_days": 30})
    assert asked.status_code == 201, asked.text
    assert_fits(document, "post", f"{API}/share-requests", 201, asked.json())
    # the 201 is the domain's dict as built; a read goes through the model and keeps exactly its keys
    read = client.get(f"{API}/share-requests/{asked.json()['id']}", headers=heads["TS"]).json()
    assert read == asked.json()

    checked = client.post(f"{API}/validate", headers=heads["MS"], json={"name": "缺少必填字段的记录"})
    assert checked.status_code == 200 and checked.json()["findings"], checked.text
    assert all(None not in f.values() for f in checked.json()["findings"])  # no key added as null
    assert_fits(document, "post", f"{API}/validate", 200, checked.json())

    found = client.get(f"{API}/search", params={"q": "企业"}, headers=heads["TD"])
    assert found.status_code == 200 and found.json()["data"], found.text
    assert_fits(document, "get", f"{API}/search", 200, found.json())

    inbox = client.get(f"{API}/notifications", headers=heads["MS"])
    assert inbox.status_code == 200 and inbox.json()["data"], inbox.text
    assert_fits(document, "get", f"{API}/notifications", 200, inbox.json())
