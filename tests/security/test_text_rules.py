"""Names with bidirectional controls are refused (text layer, rule text.bidi-control), on both databases;
LIKE wildcards in the listing's classification filter are literal."""
from __future__ import annotations

import pytest

from tests.security.conftest import Site
from tests.security.payloads import record


@pytest.mark.parametrize("char", ["\u202e", "\u202d", "\u2066", "\u200f", "\u061c"])
def test_bidi_controls_in_names_are_refused(site: Site, char: str) -> None:
    name = f"企业{char}登记信息"
    res = site.client.post("/api/v1/resources", json=record(name=name), headers=site.headers["market"])
    assert res.status_code == 422, res.text
    assert {(f["rule"], f["path"]) for f in res.json()["findings"]} >= {("text.bidi-control", "/name")}
    item = record()
    item["items"][0]["name"] = f"统一社会{char}信用代码"
    found = site.client.post("/api/v1/validate", json=item).json()["findings"]
    assert ("text.bidi-control", "/items/0/name") in {(f["rule"], f["path"]) for f in found}


@pytest.mark.parametrize("pattern", ["%", "_", "1%", "_0"])
def test_classification_wildcards_are_literal_in_listings(site: Site, pattern: str) -> None:
    res = site.client.get("/api/v1/resources", params={"classification": pattern}, headers=site.headers["admin"])
    assert res.status_code == 200 and res.json()["count"] == 0, res.json()
    assert site.client.get("/api/v1/resources", params={"classification": "1"},
                           headers=site.headers["admin"]).json()["count"] == 1


@pytest.mark.parametrize("pattern", ["%", "_"])
def test_classification_wildcards_are_literal_in_search(site: Site, pattern: str) -> None:
    res = site.client.get("/api/v1/search", params={"classification": pattern}, headers=site.headers["admin"])
    assert res.status_code == 200 and res.json()["count"] == 0, res.json()
    every = site.client.get("/api/v1/search", params={"classification": "1"}, headers=site.headers["admin"])
    assert every.json()["count"] == 1
