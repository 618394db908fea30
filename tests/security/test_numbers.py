"""Huge numbers in queries are a 422 naming the parameter, never an overflow 500, on SQLite and PostgreSQL."""
from __future__ import annotations

import pytest

from tests.security.conftest import Site

HUGE = "9223372036854775808"  # 2**63: one past the largest database integer
LISTS = ["/api/v1/resources", "/api/v1/audit-log", "/api/v1/share-requests", "/api/v1/grants", "/api/v1/feedback",
         "/api/v1/demands", "/api/v1/demands/duties"]


@pytest.mark.parametrize("path", LISTS)
def test_huge_offset_on_every_list_route_is_a_422_naming_offset(site: Site, path: str) -> None:
    res = site.client.get(path, params={"offset": HUGE}, headers=site.headers["admin"])
    assert res.status_code == 422, res.text
    assert [f["path"] for f in res.json()["findings"]] == ["/query/offset"]
    assert site.client.get(path, params={"offset": "1000000"}, headers=site.headers["admin"]).status_code == 200


@pytest.mark.parametrize("params, name", [({"from": HUGE, "to": "1"}, "from"), ({"from": "1", "to": HUGE}, "to")])
def test_huge_version_numbers_on_diff_are_a_422_naming_them(site: Site, params: dict[str, str], name: str) -> None:
    code = site.codes["conditional"]
    res = site.client.get(f"/api/v1/resources/{code}/diff", params=params, headers=site.headers["admin"])
    assert res.status_code == 422, res.text
    assert [f["path"] for f in res.json()["findings"]] == [f"/query/{name}"]


def test_huge_diff_on_the_web_resource_page_is_a_422(site: Site) -> None:
    res = site.client.get(f"/r/{site.codes['conditional']}", params={"diff": f"1..{HUGE}"})
    assert res.status_code == 422, res.text[:500]
    assert "diff" in res.text
