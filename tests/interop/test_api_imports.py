"""POST /api/v1/imports through the real app: multipart upload, summary with findings, our error body."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from catalog.auth import create_token
from catalog.interop.xlsx_writer import write_xlsx
from catalog.settings import Settings
from tests.interop.conftest import SAMPLES, records


@pytest.fixture
def api(tmp_settings: Settings) -> Iterator[tuple[TestClient, Any]]:
    app = create_app(tmp_settings)
    with TestClient(app) as client:
        def headers(role: str, department: str | None = None) -> dict[str, str]:
            with app.state.db.transaction() as session:
                secret, _ = create_token(session=session, role=role, department_code=department)
            return {"Authorization": f"Bearer {secret}"}
        yield client, headers
    app.state.db.dispose()


def test_upload_a_dcat_us_catalogue(api):
    client, headers = api
    data = (SAMPLES / "usda.gov.data-2-datasets.json").read_bytes()
    r = client.post("/api/v1/imports", headers=headers("admin"),
                    files={"file": ("data.json", data, "application/json")})
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["read"], body["stored"], body["skipped"]) == (2, 1, 1)
    assert body["findings_by_rule"]["items.required"] == 1


def test_upload_an_xlsx_dry_run_stores_nothing(api, tmp_path):
    client, headers = api
    path = tmp_path / "t.xlsx"
    write_xlsx(records(), path)
    h = headers("steward", "330782101")
    r = client.post("/api/v1/imports", headers=h, data={"dry_run": "true"},
                    files={"file": ("t.xlsx", path.read_bytes(), "application/octet-stream")})
    assert r.status_code == 200, r.text
    assert (r.json()["valid"], r.json()["stored"]) == (2, 0)
    assert client.get("/api/v1/resources", headers=h).json()["count"] == 0


def test_a_steward_cannot_import_another_departments_records(api, tmp_path):
    client, headers = api
    path = tmp_path / "t.xlsx"
    write_xlsx(records(), path)
    r = client.post("/api/v1/imports", headers=headers("steward", "330782102"),
                    files={"file": ("t.xlsx", path.read_bytes(), "application/octet-stream")})
    assert r.status_code == 200 and r.json()["stored"] == 0


def test_garbage_upload_is_a_400_with_our_error_body(api):
    client, headers = api
    r = client.post("/api/v1/imports", headers=headers("admin"),
                    files={"file": ("t.xlsx", "名称,分类".encode("gbk"), "application/octet-stream")})
    assert r.status_code == 400
    assert r.json()["error"] == "invalid_input" and "Excel" in r.json()["message"]
