"""A real uvicorn server in its own process for the catalogue of an app object (SQLite or PostgreSQL)."""
from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tests.net import free_port, stop_process


@contextmanager
def serve_in_subprocess(app: Any) -> Iterator[str]:
    """Yield the base URL while `python -m uvicorn` serves the catalogue of `app` (same data dir and database)
    in its own process, so the test's clients never compete with the server for one interpreter lock."""
    import os
    import subprocess
    import sys

    import httpx

    from tests.hardening.support import ROOT

    port = free_port()
    settings, engine = app.state.settings, app.state.db.engine
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MULU_DATA_DIR": str(settings.data_dir)}
    env.pop("MULU_ELASTICSEARCH_URL", None)
    if engine.dialect.name == "postgresql":
        env["MULU_DATABASE_URL"] = engine.url.render_as_string(hide_password=False).replace(
            "postgresql+psycopg://", "postgresql://")
    else:
        env.pop("MULU_DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app", "--host",
                             "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 40
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"uvicorn exited: {proc.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
            try:
                if httpx.get(f"{url}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not answer")
            time.sleep(0.2)
        yield url
    finally:
        stop_process(proc)
