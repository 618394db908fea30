"""Search answers with orjson (`api.responses.FastJSONResponse`): the bytes are exactly Starlette's JSONResponse
bytes for real search results (hits, highlights, facets, Chinese text, scores) and the awkward plain values. The one
difference is the spelling of a float below 1e-4 (orjson `1e-7` or `0.000032`, json `1e-07`, `3.2e-05`): the same
number to any parser."""
from __future__ import annotations

import json
from typing import Any

import pytest
from fastapi.responses import JSONResponse
from fastapi.testclient import TestClient

from api.responses import FastJSONResponse
from tests.api.conftest import OWN, make_record

AWKWARD: list[Any] = [
    {"a": "统一社会信用代码 <em>税</em>", "b": [1, 2.5, -0.0, 0.1 + 0.2, 1e16, 123456789.125, True, None]},
    {"控制": "\u0000\u001f\"\\/\u2028\u2029", "emoji": "😀", "big": 2**53 + 1, "neg": -17},
    [], {}, "", 0, 3.14159, {"nested": [[{"x": [{}]}]]},
]


@pytest.mark.parametrize("content", AWKWARD)
def test_the_bytes_are_starlettes(content: Any) -> None:
    assert FastJSONResponse(content).body == JSONResponse(content).body


def test_a_tiny_float_is_the_same_number() -> None:
    content = {"score": 3.2e-05, "scores": [1e-7, 5e-324]}
    assert json.loads(FastJSONResponse(content).body) == json.loads(JSONResponse(content).body) == content


def test_a_search_response_is_byte_for_byte_what_json_response_gives(client: TestClient, auth: Any) -> None:
    headers = auth("steward", OWN)
    for i in range(3):
        assert client.post("/api/v1/resources", json=make_record(i), headers=headers).status_code == 201
    for q in ("", "企业登记", "统一社会信用代码", "zzzz"):
        response = client.get("/api/v1/search", params={"q": q}, headers=headers)
        assert response.status_code == 200, response.text
        assert response.headers["content-type"] == "application/json"
        assert response.content == JSONResponse(response.json()).body
    assert client.get("/api/v1/search", params={"q": "企业登记"}, headers=headers).json()["count"] >= 1
