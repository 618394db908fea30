"""Harvest tests: the real samples from ../shared/samples (MULU_SHARED_DIR, or the shared/ folder beside
the repository, as in CI), the interop tests' database and the API fixtures."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.api.conftest import auth, client  # noqa: F401
from tests.interop.conftest import db  # noqa: F401  (a fresh SQLite database with the seed departments)

ROOT = Path(__file__).resolve().parents[2]
MAPPINGS = ROOT / "examples" / "mappings"


def shared_dir() -> Path:
    configured = os.environ.get("MULU_SHARED_DIR")
    for candidate in ([Path(configured)] if configured else []) + [ROOT.parent / "shared", Path("/work/shared")]:
        if (candidate / "samples").is_dir():
            return candidate
    pytest.skip("the real samples (../shared/samples) are not beside the repository")


@pytest.fixture
def samples() -> Path:
    return shared_dir() / "samples"
