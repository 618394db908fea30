"""One error body for every failure; 401/403 on every write route; no 500 on odd input."""
from __future__ import annotations

import pytest

from catalog.settings import Settings
from tests.api.conftest import OTHER, OWN, make_record

R = "/api/v1/resources"


def assert_error_body(response, status: int, error: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) >= {"error", "message", "findings"} and body["message"]
    if error:
        assert body["error"] == error
    return body


def test_invalid_record_is_422_with_pointers(client, auth):
    record = make_record(1)
    del record["abstract"]
    record["items"][0]["identifier"] = "Unified-Code"
    body = assert_error_body(client.post(R, json=record, headers=auth("steward", OWN)), 422, "invalid_record")
    paths = {f["path"] for f in body["findings"] if f["severity"] == "error"}
    assert "/abstract" in paths and "/items/0/identifier" in paths
    assert client.get(R, headers=auth("admin")).json()["count"] == 0


def test_code_on_create_is_refused(client, auth):
    body = assert_error_body(client.post(R, json=make_record(1, code="102001/000007"),
                                         headers=auth("steward", OWN)), 422)
    assert body["findings"][-1]["path"] == "/code"


@pytest.mark.parametrize("body, status, error", [
    (b"{not json", 400, "invalid_input"),
    (b"[1, 2]", 400, "invalid_input"),
    (b"", 400, "invalid_input"),
    (b'"text"', 400, "invalid_input"),
    (b"\xff\xfe\x00", 400, "invalid_input"),
    (b'{"name": 5}', 422, "invalid_record"),
])
def test_bad_bodies(client, auth, body, status, error):
    response = client.post(R, content=body, headers={**auth("steward", OWN), "Content-Type": "application/json"})
    assert_error_body(response, status, error)


def test_yaml_body_is_accepted(client, auth):
    import yaml

    text = yaml.safe_dump(make_record(9), allow_unicode=True).encode()
    response = client.post(R, content=text, headers={**auth("steward", OWN), "Content-Type": "application/yaml"})
    assert response.status_code == 201, response.text


def test_validate_dry_run_saves_nothing(client, auth):
    record = make_record(1)
    record["format"]["category"] = "光盘"
    report = client.post("/api/v1/validate", json=record).json()
    assert report["valid"] is False and report["findings"][0]["path"].startswith("/format")
    assert client.post("/api/v1/validate", json=make_record(2)).json()["valid"] is True
    assert client.get(R, headers=auth("admin")).json()["count"] == 0


def test_payload_too_large(tmp_path, auth):
    from fastapi.testclient import TestClient

    from api.app import create_app

    app = create_app(Settings(data_dir=tmp_path / "d", max_body_bytes=1000))
    with TestClient(app) as small:
        assert_error_body(small.post(R, content=b"{" + b" " * 2000 + b"}"), 413, "payload_too_large")


@pytest.mark.parametrize("method, path, status, error", [
    ("GET", "/api/v1/nowhere", 404, "not_found"),
    ("DELETE", "/api/v1/health", 405, "method_not_allowed"),
    ("GET", R + "?limit=0", 401, "unauthenticated"),
    ("GET", "/api/v1/standards/no-such-standard", 404, "not_found"),
])
def test_http_errors_share_the_body(client, method, path, status, error):
    assert_error_body(client.request(method, path), status, error)


def test_query_validation_is_422_with_pointer(client, auth):
    body = assert_error_body(client.get(R, params={"limit": "many"}, headers=auth("admin")), 422)
    assert body["findings"][0]["path"] == "/query/limit"


def test_unknown_token_is_401(client):
    assert_error_body(client.get(R, headers={"Authorization": "Bearer mulu_nope"}), 401, "unauthenticated")
    assert_error_body(client.get(R, headers={"Authorization": "Basic abc"}), 401, "unauthenticated")


WRITE_ROUTES = [
    ("PUT", "{code}", True),
    ("POST", "{code}/submit", False),
    ("POST", "{code}/withdraw", False),
    ("POST", "{code}/publish", False),
    ("POST", "{code}/reject", False),
]


@pytest.mark.parametrize("method, suffix, with_record", WRITE_ROUTES)
@pytest.mark.parametrize("state", ["draft", "submitted", "published"])
def test_steward_cannot_touch_another_department(client, auth, method, suffix, with_record, state):
    owner, intruder, coordinator = auth("steward", OTHER), auth("steward", OWN), auth("coordinator")
    created = client.post(R, json=make_record(1, provider_code=OTHER), headers=owner).json()
    code = created["code"]
    if state != "draft":
        client.post(f"{R}/{code}/submit", headers=owner)
    if state == "published":
        client.post(f"{R}/{code}/publish", headers=coordinator)
    current = client.get(f"{R}/{code}", headers=owner)
    kwargs = {"json": current.json()["record"]} if with_record else {"json": {"reason": "x"}}
    response = client.request(method, f"{R}/{suffix.format(code=code)}",
                              headers={**intruder, "If-Match": current.headers["etag"]}, **kwargs)
    assert response.status_code in (403, 404), response.text
    assert_error_body(response, response.status_code)
    after = client.get(f"{R}/{code}", headers=owner)
    assert after.headers["etag"] == current.headers["etag"]


def test_steward_cannot_create_for_another_department(client, auth):
    intruder = auth("steward", OWN)
    assert_error_body(client.post(R, json=make_record(1, provider_code=OTHER), headers=intruder), 403, "forbidden")
    bulk = client.post(f"{R}/bulk", json=[make_record(1, provider_code=OTHER), make_record(2)], headers=intruder)
    assert [r["ok"] for r in bulk.json()["data"]] == [False, True]
    assert bulk.json()["data"][0]["error"] == "forbidden"


@pytest.mark.parametrize("role", ["developer", "auditor"])
def test_readers_cannot_write(client, auth, role):
    assert_error_body(client.post(R, json=make_record(1), headers=auth(role)), 403, "forbidden")
    body = {"code": "330782199", "name": "义乌市数据资源管理局"}
    assert_error_body(client.post("/api/v1/departments", json=body, headers=auth(role)), 403)


def test_coordinator_manages_departments(client, auth):
    body = {"code": "330782199", "name": "义乌市数据资源管理局", "sector": "19"}
    assert client.post("/api/v1/departments", json=body, headers=auth("coordinator")).status_code == 201
    assert_error_body(client.post("/api/v1/departments", json=body, headers=auth("coordinator")), 409)
    bad = client.post("/api/v1/departments", json={"code": "12", "name": ""}, headers=auth("admin"))
    assert {f["path"] for f in assert_error_body(bad, 422)["findings"]} == {"/code", "/name"}
    assert "330782199" in {d["code"] for d in client.get("/api/v1/departments").json()["data"]}


def test_openapi_has_chinese_examples(client):
    spec = client.get("/openapi.json").json()
    create = spec["paths"]["/api/v1/resources"]["post"]
    example = create["requestBody"]["content"]["application/json"]["examples"]["企业登记基本信息"]["value"]
    assert example["provider"] == "义乌市市场监督管理局"


def test_a_department_created_by_the_coordinator_is_a_valid_provider(client, auth):
    """The validator's department registry includes the database's departments, at every door."""
    body = {"code": "330782199", "name": "义乌市新设局", "sector": "99"}
    record = {**make_record(7), "provider": "义乌市新设局", "provider_code": "330782199"}
    before = client.post("/api/v1/resources", json=record, headers=auth("admin"))
    assert before.status_code == 422
    assert "provider.unknown" in {f["rule"] for f in before.json()["findings"]}
    assert client.post("/api/v1/departments", json=body, headers=auth("coordinator")).status_code == 201
    steward = auth("steward", "330782199")
    created = client.post("/api/v1/resources", json=record, headers=steward)
    assert created.status_code == 201, created.json()
    code = created.json()["code"]
    etag = client.get(f"/api/v1/resources/{code}", headers=steward).headers["ETag"]
    changed = {**record, "abstract": record["abstract"] + "（修订）"}
    updated = client.put(f"/api/v1/resources/{code}", json=changed, headers={**steward, "If-Match": etag})
    assert updated.status_code == 200, updated.json()


def test_a_name_is_unique_within_its_provider_across_the_catalogue(client, auth):
    """信息资源名称 is unique per provider up to punctuation and spaces: at create, in bulk and on update."""
    steward = auth("steward", OWN)
    first = client.post("/api/v1/resources", json=make_record(1, name="企业 年报（简易）"), headers=steward)
    assert first.status_code == 201, first.json()
    again = client.post("/api/v1/resources", json=make_record(2, name="企业年报简易"), headers=steward)
    body = assert_error_body(again, 422)
    assert [(f["rule"], f["path"]) for f in body["findings"] if f["severity"] == "error"] == [
        ("cross.duplicate-name", "/name")]
    other = client.post("/api/v1/resources", json=make_record(3, provider_code=OTHER, name="企业年报简易"),
                        headers=auth("steward", OTHER))
    assert other.status_code == 201  # another provider may use the same name

    bulk = client.post("/api/v1/resources/bulk", headers=steward,
                       json=[make_record(4, name="批量同名"), make_record(5, name="批量 同名")]).json()
    assert [r["ok"] for r in bulk["data"]] == [True, False]

    code = client.post("/api/v1/resources", json=make_record(6, name="另一资源"), headers=steward).json()["code"]
    etag = client.get(f"/api/v1/resources/{code}", headers=steward).headers["ETag"]
    clash = client.put(f"/api/v1/resources/{code}", json=make_record(6, name="企业年报(简易)"),
                       headers={**steward, "If-Match": etag})
    assert "cross.duplicate-name" in {f["rule"] for f in assert_error_body(clash, 422)["findings"]}
    same = client.put(f"/api/v1/resources/{code}", json=make_record(6, name="另一资源", abstract="改摘要"),
                      headers={**steward, "If-Match": etag})
    assert same.status_code == 200, same.json()
