"""目录级联 under faults: kill -9 of the upstream, and of the pusher, in the middle of a push.

The county pushes its 237 seed records to the city in batches of 10 with `mulu cascade push` (the
worker is off, so the test decides when pushes happen). Nothing may be lost and nothing doubled.
"""
from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from tests.cascade.levels import ROOT, Level, _env


@pytest.fixture()
def pair(tmp_path):
    empty = tmp_path / "empty-seed"
    empty.mkdir()
    city = Level("city-330700", "city", "330700", tmp_path / "city", seed_dir=empty, interval="0")
    county = Level("county-330782", "county", "330782", tmp_path / "county", upstream=city, interval="0")
    city.prepare()
    county.prepare()
    city.issue_downstream(county)
    try:
        city.start()
        county.start()
        yield county, city
    finally:
        county.stop()
        city.stop()


def _count(city: Level) -> int:
    return city.get("/cascade/reports", limit=1)["count"]


def _push(county: Level) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "cli.main", "cascade", "push", "--batch", "10"], cwd=ROOT,
                            env=_env(county.data_dir, county.env()), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _kill_when(proc: subprocess.Popen[str], city: Level, victim: Level | subprocess.Popen[str]) -> int:
    """Kill -9 `victim` as soon as the city holds some but not all of the records; returns that count."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        n = _count(city)
        if n > 0:
            if isinstance(victim, Level):
                victim.kill()
            else:
                victim.send_signal(signal.SIGKILL)
            proc.wait(timeout=60)
            proc.stderr_text = proc.stderr.read() if proc.stderr else ""  # type: ignore[attr-defined]
            return n
        time.sleep(0.05)
    raise AssertionError("the push never started")


def test_upstream_killed_mid_push_loses_and_doubles_nothing(pair):
    county, city = pair
    published = county.get("/resources", state="published", limit=1)["count"]
    proc = _push(county)
    seen = _kill_when(proc, city, city)
    assert seen < published, "the push finished before the kill; the test proves nothing"
    assert proc.returncode == 3, proc.stderr_text[-1000:]  # the push said the upstream is unavailable
    assert "上级目录" in proc.stderr_text
    city.start()  # same database, same port
    county.cli("cascade", "push")
    assert _count(city) == published
    origin_codes = [r["origin_code"] for r in city.get("/cascade/reports", limit=500)["data"]]
    assert len(origin_codes) == len(set(origin_codes)) == published
    # a second push sends nothing new and changes nothing
    again = county.cli("cascade", "push").stdout
    assert "已推送 pushed 0 条" in again
    assert _count(city) == published


def test_pusher_killed_mid_push_then_resumed(pair):
    county, city = pair
    published = county.get("/resources", state="published", limit=1)["count"]
    proc = _push(county)
    seen = _kill_when(proc, city, proc)
    assert seen < published
    out = county.cli("cascade", "push").stdout
    assert _count(city) == published
    origin_codes = [r["origin_code"] for r in city.get("/cascade/reports", limit=500)["data"]]
    assert len(set(origin_codes)) == len(origin_codes) == published
    assert "已推送" in out
    status = county.get("/cascade/status", token=county.admin)
    assert status["counts"].get("reported") == published

