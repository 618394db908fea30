"""One display time zone (MULU_TIMEZONE, default Asia/Shanghai), labelled wherever a time is shown."""
from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from fastapi.testclient import TestClient

from catalog.display_time import display_date, display_time, zone
from catalog.errors import InvalidInput
from tests.web.conftest import Site

STAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(?! \(UTC)")  # a time without its zone label


@pytest.mark.parametrize(("value", "tz", "shown"), [
    ("2026-11-30T21:59:00Z", "Asia/Shanghai", "2026-12-01 05:59 (UTC+8)"),
    (datetime(2026, 11, 30, 21, 59), "Asia/Shanghai", "2026-12-01 05:59 (UTC+8)"),  # naive = UTC (SQLite)
    ("2026-11-30T21:59:00+00:00", "UTC", "2026-11-30 21:59 (UTC+0)"),
    ("2026-07-01T12:00:00Z", "Asia/Kolkata", "2026-07-01 17:30 (UTC+5:30)"),
    ("2026-11-30", "Asia/Shanghai", "2026-11-30"),  # a bare date stays a date
    (None, "Asia/Shanghai", ""),
])
def test_display_time(value: object, tz: str, shown: str) -> None:
    assert display_time(value, tz=tz) == shown  # type: ignore[arg-type]


def test_the_date_is_the_date_in_the_display_zone() -> None:
    late = datetime(2026, 11, 30, 21, 59, tzinfo=timezone.utc)
    assert display_date(late, tz="Asia/Shanghai") == "2026-12-01"
    assert display_date(late, tz="UTC") == "2026-11-30"


def test_unknown_zone_names_the_setting() -> None:
    with pytest.raises(InvalidInput, match="MULU_TIMEZONE"):
        zone("Mars/Olympus")


def _signed_in(site: Site, persona: str) -> TestClient:
    client = TestClient(site.app, base_url="http://127.0.0.1", follow_redirects=False)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/signin").text).group(1)
    client.post("/signin", data={"csrf_token": csrf, "token": site.tokens[persona], "next": "/"})
    return client


def test_pages_show_times_in_the_display_zone_with_a_label(site: Site) -> None:
    client = _signed_in(site, "auditor")
    entries = client.get("/api/v1/audit-log", headers={"Authorization": f"Bearer {site.tokens['auditor']}"}).json()
    newest = entries["data"][0]["at"]
    audit = client.get("/audit").text
    assert display_time(newest, tz="Asia/Shanghai") in audit
    assert "(UTC+8)" in audit
    for page in ("/audit", "/r/102001/000001"):
        text = client.get(page).text
        assert "(UTC+8)" in text and not STAMP.search(text), (page, STAMP.search(text))
