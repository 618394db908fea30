"""Shared test fixtures: the source tree on sys.path, and settings pointed at a temporary data dir."""
from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from catalog.settings import Settings  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def tmp_settings(tmp_path: Path) -> Settings:
    """Settings for the embedded mode with a fresh SQLite file under tmp_path."""
    return Settings(data_dir=tmp_path / "data")


SERVICE_WORDS = ("postgres", "elasticsearch", "opensearch", "search engine", "openid provider")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):  # type: ignore[no-untyped-def]
    """In CI (MULU_REQUIRE_SERVICES=1) a test skipped for a missing service is a failure, not a skip."""
    outcome = yield
    report = outcome.get_result()
    import os

    if report.skipped and os.environ.get("MULU_REQUIRE_SERVICES") == "1":
        reason = str(report.longrepr[-1] if isinstance(report.longrepr, tuple) else report.longrepr)
        if any(word in reason.lower() for word in SERVICE_WORDS):
            report.outcome = "failed"
            report.longrepr = f"required service missing in CI: {reason}"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium through Playwright, one per test session for every browser test (two sync
    Playwright instances cannot live in one thread)."""
    import shutil

    if shutil.which(CHROMIUM) is None and not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium (apt-get install -y chromium) "
                    "to run the browser tests")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
