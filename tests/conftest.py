"""Shared test fixtures: the source tree on sys.path, and settings pointed at a temporary data dir."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from catalog.settings import Settings  # noqa: E402


@pytest.fixture
def tmp_settings(tmp_path: Path) -> Settings:
    """Settings for the embedded mode with a fresh SQLite file under tmp_path."""
    return Settings(data_dir=tmp_path / "data")


SERVICE_WORDS = ("postgres", "elasticsearch", "opensearch", "search engine")


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
