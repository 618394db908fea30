"""What a newcomer meets in the first hour: YAML bodies, the OpenAPI document, offline docs pages and
raw UTF-8 in a URL as curl sends it."""
from __future__ import annotations

import re
import socket
from pathlib import Path
from typing import Any

import pytest
import yaml
from fastapi.testclient import TestClient

from api.examples import RECORD, RECORD_YAML
from api.http_protocol import encode_request_line
from tests.api.conftest import OWN, make_record
from tests.hardening.support import live_server

YAML_BODY = yaml.safe_dump(make_record(7), allow_unicode=True).encode()


@pytest.mark.parametrize("headers", [{}, {"Content-Type": "application/x-www-form-urlencoded"}])
def test_yaml_without_content_type_gets_a_hint(client: TestClient, auth: Any, headers: dict[str, str]) -> None:
    response = client.post("/api/v1/resources", content=YAML_BODY, headers={**auth("steward", OWN), **headers})
    assert response.status_code == 400
    assert "Content-Type: application/yaml" in response.json()["message"]


def test_broken_json_declared_as_json_gets_no_yaml_hint(client: TestClient, auth: Any) -> None:
    response = client.post("/api/v1/resources", content=YAML_BODY,
                           headers={**auth("steward", OWN), "Content-Type": "application/json"})
    assert response.status_code == 400 and "YAML" not in response.json()["message"]


def test_yaml_with_content_type_is_registered(client: TestClient, auth: Any) -> None:
    response = client.post("/api/v1/resources", content=YAML_BODY,
                           headers={**auth("steward", OWN), "Content-Type": "application/yaml"})
    assert response.status_code == 201, response.text


def test_openapi_documents_yaml_bodies_with_an_example(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path, method in (("/api/v1/resources", "post"), ("/api/v1/resources/{code}", "put"),
                         ("/api/v1/validate", "post")):
        content = spec["paths"][path][method]["requestBody"]["content"]
        assert yaml.safe_load(content["application/yaml"]["example"]) == RECORD, path
    assert yaml.safe_load(RECORD_YAML)["name"] == RECORD["name"]


def test_each_error_status_has_its_own_example(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    responses = spec["paths"]["/api/v1/resources"]["post"]["responses"]
    examples = {status: responses[status]["content"]["application/json"]["example"]
                for status in ("400", "401", "403", "404", "409", "412", "413", "422", "428", "503")}
    messages = [e["message"] for e in examples.values()]
    assert len(set(messages)) == len(messages), "two statuses share an example message"
    assert sum(bool(e["findings"]) for e in examples.values()) == 1  # only 422 carries findings
    assert examples["422"]["findings"]


def test_error_examples_match_real_answers(client: TestClient, auth: Any) -> None:
    """The example of a status names the error code the API really answers with that status."""
    spec = client.get("/openapi.json").json()
    documented = spec["paths"]["/api/v1/resources/{code}"]["get"]["responses"]
    real = {
        "401": client.get("/api/v1/resources/102001/000001"),
        "404": client.get("/api/v1/resources/102001/999999", headers=auth("admin")),
        "403": client.post("/api/v1/resources", json=make_record(1), headers=auth("developer")),
        "413": client.post("/api/v1/resources", content=b"x" * 3_000_000, headers=auth("admin")),
        "422": client.post("/api/v1/resources", json={"name": "x"}, headers=auth("admin")),
    }
    for status, response in real.items():
        assert str(response.status_code) == status, (status, response.text)
        assert documented[status]["content"]["application/json"]["example"]["error"] == response.json()["error"]


def test_docs_pages_load_nothing_from_other_hosts(client: TestClient) -> None:
    for page in ("/docs", "/redoc"):
        response = client.get(page)
        assert response.status_code == 200
        urls = re.findall(r'(?:src|href)="([^"]+)"', response.text)
        assert urls and all(u.startswith("/") for u in urls), urls
        for url in urls:
            assert client.get(url).status_code == 200, url
        assert "<script>" not in response.text  # no inline script: the CSP allows 'self' only


@pytest.mark.parametrize(("raw", "expected"), [
    ("GET /api/v1/search?q=统一 HTTP/1.1\r\nHost: x\r\n\r\n".encode(),
     b"GET /api/v1/search?q=%E7%BB%9F%E4%B8%80 HTTP/1.1\r\nHost: x\r\n\r\n"),
    (b"GET /api/v1/search?q=%E7 HTTP/1.1\r\n\r\n", b"GET /api/v1/search?q=%E7 HTTP/1.1\r\n\r\n"),
    ("POST /x HTTP/1.1\r\nX: 统\r\n\r\n".encode(), "POST /x HTTP/1.1\r\nX: 统\r\n\r\n".encode()),
    ("统一".encode(), "统一".encode()),  # not a request line: a body chunk passes unchanged
])
def test_only_the_request_line_is_encoded(raw: bytes, expected: bytes) -> None:
    assert encode_request_line(raw) == expected


def _raw_get(port: int, target: str) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(f"GET {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while data := s.recv(65536):
            chunks.append(data)
    return b"".join(chunks)


def test_mulu_serve_accepts_raw_utf8_as_curl_sends_it(tmp_path: Path) -> None:
    with live_server(tmp_path) as server:
        port = int(server.url.rsplit(":", 1)[1])
        answer = _raw_get(port, "/api/v1/resources?q=企业登记")  # sent as raw UTF-8 bytes
        assert answer.startswith(b"HTTP/1.1 401"), answer[:200]  # reached the app (needs a token), not a 400
        assert "需要令牌".encode() in answer
