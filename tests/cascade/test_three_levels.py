"""目录级联 end to end: three real `mulu serve` processes (county → city → province), each its own database.

The county serves the seed (义乌市, 237 published resources). Its worker reports them to the city,
whose coordinator registers them; the city's worker reports what it registered to the province.
An update and a withdrawal at the county follow the same path; a provincial record flows back down
(回流) through the city to the county, read-only; and a withdrawal upstairs removes it downstairs.
"""
from __future__ import annotations

import copy

import pytest

from api.examples import RECORD
from tests.cascade.levels import Level, wait_for

PROVINCE_DEPT = {"code": "330000101", "name": "浙江省大数据发展管理局"}


@pytest.fixture()
def levels(tmp_path):
    empty = tmp_path / "empty-seed"
    empty.mkdir()
    province = Level("province-330000", "province", "330000", tmp_path / "province", seed_dir=empty)
    city = Level("city-330700", "city", "330700", tmp_path / "city", seed_dir=empty, upstream=province,
                 returns="102001")
    county = Level("county-330782", "county", "330782", tmp_path / "county", upstream=city, returns="102001")
    for lv in (province, city, county):
        lv.prepare()
    province.issue_downstream(city)
    city.issue_downstream(county)
    try:
        for lv in (province, city, county):
            lv.start()
        yield county, city, province
    finally:
        for lv in (county, city, province):
            lv.stop()


def reports(level: Level, state: str | None = None, limit: int = 500) -> dict:
    params = {"limit": limit} | ({"state": state} if state else {})
    return level.get("/cascade/reports", **params)


def count(level: Level, state: str | None = None) -> int:
    return reports(level, state, limit=1)["count"]


def register_all(level: Level) -> int:
    done = 0
    for row in reports(level, "reported")["data"]:
        level.post(f"/cascade/reports/{row['id']}/register")
        done += 1
    return done


def test_push_register_update_withdraw_and_return_down(levels):
    county, city, province = levels
    published = county.get("/resources", state="published", limit=1)["count"]
    assert published >= 200

    # 1. The county's worker reports every published resource to the city, once each.
    wait_for(lambda: count(city) == published, what="county's records reported to the city")
    first = reports(city)["data"]
    assert len({r["origin_code"] for r in first}) == published
    assert {r["origin"] for r in first} == {county.name}  # the origin is the credential, not the body
    assert all(r["state"] == "reported" for r in first)

    # 2. Registration at the city: published resources of the county's departments, with provenance.
    assert register_all(city) == published
    assert city.get("/resources", state="published", limit=1)["count"] == published
    sample = reports(city, "registered")["data"][0]
    local = city.get(f"/resources/{sample['local_code']}")
    assert local["record"]["name"] == sample["name"]
    assert local["provider_code"] == sample["provider_code"]
    # the county sees the city's verdict on its records
    wait_for(lambda: county.get("/cascade/status")["counts"].get("registered") == published,
             what="the city's verdicts back at the county")

    # 3. The city reports what it registered to the province; registration there too.
    wait_for(lambda: count(province) == published, what="city's records reported to the province")
    row = reports(province)["data"][0]
    assert row["origin"] == city.name and row["origin_level"] == "city"
    province.post(f"/cascade/reports/{row['id']}/register")

    # 4. An update at the county: withdraw, edit, submit, publish → a new version reported and registered.
    code = sample["origin_code"]
    county.post(f"/resources/{code}/withdraw", token=county.admin)
    current = county.get(f"/resources/{code}", token=county.admin)
    changed = {k: v for k, v in current["record"].items() if k != "code"}
    changed["abstract"] = changed["abstract"] + "（2026 年修订）"
    etag = _etag(county, code)
    county.put(f"/resources/{code}", changed, etag)
    county.post(f"/resources/{code}/submit", token=county.admin)
    county.post(f"/resources/{code}/publish", token=county.admin)
    wait_for(lambda: _report_of(city, code)["state"] == "reported" and _report_of(city, code)["origin_version"] == 2,
             what="the new version reported to the city")
    # while it was withdrawn at the county, the city's copy was withdrawn too
    report = _report_of(city, code)
    city.post(f"/cascade/reports/{report['id']}/register")
    copy_now = city.get(f"/resources/{report['local_code']}")
    assert copy_now["record"]["abstract"].endswith("（2026 年修订）")
    assert copy_now["state"] == "published" and copy_now["version"] > local["version"] or \
        copy_now["code"] != local["code"]

    # 5. Upstream records are read-only except for registration.
    r = city.post(f"/resources/{report['local_code']}/withdraw", token=city.admin, expect=409)
    assert "只读" in r["message"]

    # 6. A withdrawal at the county propagates to the city and on to the province.
    gone = reports(city, "registered")["data"][1]
    county.post(f"/resources/{gone['origin_code']}/withdraw", token=county.admin)
    wait_for(lambda: city.get(f"/resources/{gone['local_code']}")["state"] == "withdrawn",
             what="the withdrawal at the city")
    wait_for(lambda: any(x["state"] == "withdrawn" for x in reports(province)["data"]
                         if x["origin_code"] == gone["local_code"]), what="the withdrawal reported to the province")

    # 7. 回流: a provincial record of a subscribed classification flows down through the city to the county.
    province.post("/departments", PROVINCE_DEPT, token=province.admin, expect=201)
    record = copy.deepcopy(RECORD) | {"name": "全省企业登记基本信息", "provider": PROVINCE_DEPT["name"],
                                      "provider_code": PROVINCE_DEPT["code"]}
    made = province.post("/resources", record, token=province.admin, expect=201)
    province.post(f"/resources/{made['code']}/submit", token=province.admin)
    province.post(f"/resources/{made['code']}/publish", token=province.admin)
    down = wait_for(lambda: _find_by_name(county, "全省企业登记基本信息"), what="回流 to the county")
    assert down["state"] == "published" and down["provider_code"] == PROVINCE_DEPT["code"]
    assert county.post(f"/resources/{down['code']}/withdraw", token=county.admin, expect=409)
    # a withdrawal upstairs removes it downstairs
    province.post(f"/resources/{made['code']}/withdraw", token=province.admin)
    wait_for(lambda: county.get(f"/resources/{down['code']}", token=county.admin)["state"] == "withdrawn",
             what="the provincial withdrawal at the county")
    # the county never reports 回流 data back up: the city holds no report of it from the county
    assert all(x["name"] != "全省企业登记基本信息" for x in reports(city)["data"])


def _etag(level: Level, code: str) -> str:
    import httpx

    r = httpx.get(f"{level.url}/api/v1/resources/{code}", headers={"Authorization": f"Bearer {level.admin}"})
    return r.headers["ETag"]


def _report_of(level: Level, origin_code: str) -> dict:
    return next(r for r in reports(level)["data"] if r["origin_code"] == origin_code)


def _find_by_name(level: Level, name: str) -> dict | None:
    rows = level.get("/resources", token=level.admin, q=name)["data"]
    return rows[0] if rows else None
