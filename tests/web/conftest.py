"""Web fixtures: the real app on a temp SQLite catalogue seeded from seed/, served by uvicorn on a free
loopback port, tokens made with the catalogue's token function, and Debian's Chromium via Playwright."""
from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from catalog.auth import create_token
from catalog.seeding import seed_catalogue
from catalog.settings import Settings
from tests.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: F401  (the browser fixture is there)
from tests.net import free_port

ROOT = Path(__file__).resolve().parents[2]
MARKET, TAX = "330782101", "330782103"


@dataclass
class Site:
    """A running mulu: its base URL, the app, and a token per persona."""
    url: str
    app: Any
    tokens: dict[str, str] = field(default_factory=dict)


def build_site_app(data_dir: Path, **settings: Any) -> tuple[Any, dict[str, str]]:
    """create_app on a fresh SQLite file (and any other `settings`), the seed catalogue loaded, one token
    per persona."""
    from api.app import create_app

    app = create_app(Settings(data_dir=data_dir, **settings))
    db = app.state.db
    result = seed_catalogue(db=db, directory=ROOT / "seed")
    assert not result.failed, result.failed[:3]
    personas = {"tax": ("steward", TAX, "税务局数据管理员"), "market": ("steward", MARKET, "市场监管局数据管理员"),
                "coordinator": ("coordinator", None, "数据资源管理局协调员"), "auditor": ("auditor", None, "审计员")}
    tokens = {}
    with db.transaction() as s:
        for key, (role, dept, name) in personas.items():
            tokens[key], _ = create_token(session=s, role=role, department_code=dept, name=name)
    return app, tokens


@contextmanager
def serve(app: Any) -> Iterator[str]:
    """`app` served by uvicorn on a free loopback port (in a thread) while the block runs: its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    app, tokens = build_site_app(tmp_path_factory.mktemp("web") / "data")
    with serve(app) as url:
        yield Site(url=url, app=app, tokens=tokens)


class ConsoleWatch:
    """Collects console errors and uncaught page errors of one page."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        page.on("console", lambda m: self.errors.append(f"console.{m.type}: {m.text} @ {page.url}")
                if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(f"pageerror: {e} @ {page.url}"))


@pytest.fixture
def page(browser: Any, site: Site) -> Iterator[Any]:
    """A fresh browser context (no cookies) and page; fails the test on any console error."""
    context = browser.new_context(base_url=site.url, locale="zh-CN", viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    watch = ConsoleWatch(pg)
    pg.console_watch = watch
    yield pg
    context.close()
    assert watch.errors == [], "browser console errors:\n" + "\n".join(watch.errors)


def sign_in(page: Any, token: str) -> None:
    page.goto("/signin")
    page.fill("#token", token)
    page.click("form[action='/signin'] button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))
