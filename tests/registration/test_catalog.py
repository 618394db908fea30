"""The Catalog is built from the app's settings, not the environment: a department known to the settings'
standards folder or created through the API is a valid provider at every door, and `POST /validate`
agrees with `POST /resources`."""
from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import standards as shipped
from api.app import create_app
from api.examples import RECORD
from catalog import registry
from catalog.auth import SYSTEM, create_token
from catalog.core import Catalog
from catalog.db import open_database
from catalog.departments import registry_standards
from catalog.errors import InvalidRecord
from catalog.settings import Settings
from cli.main import app as cli_app

NEW = "330782188"


def _record(provider_code: str, provider: str) -> dict[str, Any]:
    return copy.deepcopy(RECORD) | {"name": "新部门登记信息", "provider_code": provider_code, "provider": provider}


def _token(app: Any, role: str, department: str | None = None) -> dict[str, str]:
    with app.state.catalog.db.transaction() as session:
        secret, _ = create_token(session=session, role=role, department_code=department)
    return {"Authorization": f"Bearer {secret}"}


def _folder_with_a_new_department(tmp_path: Path) -> Path:
    folder = tmp_path / "standards"
    shutil.copytree(Path(shipped.__file__).parent, folder)
    with (folder / "departments.yaml").open("a", encoding="utf-8") as f:
        f.write(f'  - code: "{NEW}"\n    name: 义乌市新设局\n    sector: "01"\n')
    return folder


def test_a_department_of_the_settings_folder_is_a_provider(tmp_path: Path, monkeypatch: Any) -> None:
    folder = _folder_with_a_new_department(tmp_path)
    monkeypatch.delenv("MULU_STANDARDS_DIR", raising=False)
    app = create_app(Settings(data_dir=tmp_path / "data", standards_dir=folder))
    client = TestClient(app)
    listed = client.get("/api/v1/standards/departments").json()["departments"]
    assert NEW in {d["code"] for d in listed}
    record = _record(NEW, "义乌市新设局")
    admin = _token(app, "admin")
    assert client.post("/api/v1/validate", json=record).json()["valid"] is True
    created = client.post("/api/v1/resources", json=record, headers=admin)
    assert created.status_code == 201, created.text
    app.state.catalog.close()


def test_validate_agrees_with_resources_for_a_department_made_through_the_api(tmp_settings: Settings) -> None:
    catalog = Catalog.from_settings(tmp_settings)
    app = create_app(catalog=catalog)
    client = TestClient(app)
    made = client.post("/api/v1/departments", json={"code": NEW, "name": "义乌市新设局", "sector": "01"},
                       headers=_token(app, "coordinator"))
    assert made.status_code == 201, made.text
    record = _record(NEW, "义乌市新设局")
    steward = _token(app, "steward", NEW)
    verdict = client.post("/api/v1/validate", json=record, headers=steward).json()
    assert verdict["valid"] is True, verdict["findings"]
    assert client.post("/api/v1/resources", json=record, headers=steward).status_code == 201
    # the same record again: both doors now report the duplicate name
    again = client.post("/api/v1/validate", json=record, headers=steward).json()
    refused = client.post("/api/v1/resources", json=record, headers=steward)
    assert refused.status_code == 422 and not again["valid"]
    assert [f["rule"] for f in again["findings"] if f["severity"] == "error"] == ["cross.duplicate-name"]
    assert again["findings"] == refused.json()["findings"]
    catalog.close()


def test_a_steward_learns_nothing_about_another_departments_drafts(tmp_settings: Settings) -> None:
    app = create_app(tmp_settings)
    client = TestClient(app)
    other = _record("330782102", "义乌市公安局")
    draft = client.post("/api/v1/resources", json=other, headers=_token(app, "steward", "330782102"))
    assert draft.status_code == 201
    own_steward = _token(app, "steward", "330782101")
    for path in ("/api/v1/resources", "/api/v1/validate"):
        answer = client.post(path, json=other, headers=own_steward)
        assert answer.status_code == 403, (path, answer.text)
        assert answer.json()["findings"] == [] and draft.json()["code"] not in answer.text
    # and a relation to that draft is a relation to nothing, for this steward
    own = _record("330782101", "义乌市市场监督管理局") | {"related": [draft.json()["code"]]}
    answer = client.post("/api/v1/resources", json=own, headers=own_steward)
    assert answer.status_code == 422
    assert [f["rule"] for f in answer.json()["findings"]] == ["cross.dangling-related"]
    app.state.catalog.close()


def test_closing_the_catalogue_closes_its_search_backend(tmp_settings: Settings) -> None:
    catalog = Catalog.from_settings(tmp_settings)
    backend = catalog.search
    assert catalog.search is backend  # one backend per catalogue
    catalog.close()
    assert catalog.search is not backend  # a closed catalogue holds no backend; a new one is made on use
    catalog.close()


def test_doors_that_pass_no_standards_still_use_the_settings_folder(tmp_path: Path, monkeypatch: Any) -> None:
    """The web form, `mulu resources create`, the staged fix, imports and 目录级联 call the registry without the
    Catalog's files: the database opened from the settings carries its standards folder to every session."""
    folder = _folder_with_a_new_department(tmp_path)
    record = _record(NEW, "义乌市新设局")
    own = open_database(Settings(data_dir=tmp_path / "own", standards_dir=folder))
    with own.transaction() as session:
        assert NEW in registry_standards(session=session).departments
        made = registry.create_resource(session=session, actor=SYSTEM, record=record)
    assert made.provider_code == NEW
    own.dispose()
    shipped_only = open_database(Settings(data_dir=tmp_path / "shipped"))  # the control: the department is unknown
    with shipped_only.transaction() as session, pytest.raises(InvalidRecord) as refused:
        registry.create_resource(session=session, actor=SYSTEM, record=record)
    assert "/provider_code" in {f.path for f in refused.value.findings}
    shipped_only.dispose()

    monkeypatch.setenv("MULU_DATA_DIR", str(tmp_path / "cli"))
    monkeypatch.setenv("MULU_STANDARDS_DIR", str(folder))
    for name in ("MULU_DATABASE_URL", "MULU_TOKEN", "MULU_SERVER", "MULU_ELASTICSEARCH_URL"):
        monkeypatch.delenv(name, raising=False)
    path = tmp_path / "new.yaml"
    path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(cli_app, ["resources", "create", str(path)])
    assert result.exit_code == 0, result.output
