"""Real `mulu serve` processes on loopback, one per level, each with its own database (目录级联 tests)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.net import free_port

ROOT = Path(__file__).resolve().parents[2]


def mulu(data_dir: Path, *args: str, env: dict[str, str] | None = None, check: bool = True,
         timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """Run the `mulu` CLI against `data_dir` (as a user would, in a subprocess)."""
    result = subprocess.run([sys.executable, "-m", "cli.main", *args], cwd=ROOT, capture_output=True, text=True,
                            env=_env(data_dir, env), timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"mulu {' '.join(args)} exited {result.returncode}: {result.stderr[-2000:]}")
    return result


def _env(data_dir: Path, extra: dict[str, str] | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MULU_")}
    env.update({"MULU_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)})
    env.update(extra or {})
    return env


@dataclass
class Level:
    """One instance: its data dir, settings, a coordinator token and (once started) its server."""
    name: str
    level: str
    region: str
    data_dir: Path
    seed_dir: Path | None = None
    upstream: Level | None = None
    returns: str = ""
    interval: str = "0.3"
    port: int = field(default_factory=free_port)
    proc: subprocess.Popen[bytes] | None = None
    coordinator: str = ""
    admin: str = ""
    downstream_tokens: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        env = {"MULU_LEVEL": self.level, "MULU_REGION": self.region, "MULU_CASCADE_INTERVAL": self.interval}
        if self.seed_dir is not None:
            env["MULU_SEED_DIR"] = str(self.seed_dir)
        if self.upstream is not None and self.name in self.upstream.downstream_tokens:
            env["MULU_UPSTREAM_URL"] = self.upstream.url
            env["MULU_UPSTREAM_TOKEN"] = self.upstream.downstream_tokens[self.name]
        if self.returns:
            env["MULU_RETURN_CLASSIFICATIONS"] = self.returns
        return env

    def cli(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return mulu(self.data_dir, *args, env=self.env(), check=check)

    def token(self, role: str, name: str, department: str | None = None) -> str:
        """Issue a token in this level's database (in process: as `mulu token create` does)."""
        from catalog.auth import create_token
        from catalog.db import open_database
        from catalog.settings import Settings

        db = open_database(Settings(data_dir=self.data_dir))
        try:
            with db.transaction() as session:
                secret, _ = create_token(session=session, role=role, department_code=department, name=name)
        finally:
            db.dispose()
        return secret

    def prepare(self) -> None:
        self.coordinator = self.token("coordinator", f"{self.name}-协调员")
        self.admin = self.token("admin", f"{self.name}-管理员")

    def issue_downstream(self, lower: Level) -> None:
        self.downstream_tokens[lower.name] = self.token("downstream", lower.name)

    def start(self) -> None:
        log = open(self.data_dir / f"serve-{self.port}.log", "ab")
        self.proc = subprocess.Popen([sys.executable, "-m", "cli.main", "serve", "--port", str(self.port)],
                                     cwd=ROOT, env=_env(self.data_dir, self.env()), stdout=log, stderr=log)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"{self.name} exited: {(self.data_dir / f'serve-{self.port}.log').read_text()[-3000:]}")
            try:
                if httpx.get(self.url + "/api/v1/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"{self.name} did not start")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()

    def get(self, path: str, token: str | None = None, **params: Any) -> Any:
        r = httpx.get(self.url + "/api/v1" + path, params=params, timeout=30,
                      headers={"Authorization": f"Bearer {token or self.coordinator}"})
        assert r.status_code == 200, (path, r.status_code, r.text[:500])
        return r.json()

    def post(self, path: str, body: Any = None, token: str | None = None, expect: int = 200,
             headers: dict[str, str] | None = None) -> Any:
        r = httpx.post(self.url + "/api/v1" + path, json=body, timeout=60,
                       headers={"Authorization": f"Bearer {token or self.coordinator}", **(headers or {})})
        assert r.status_code == expect, (path, r.status_code, r.text[:800])
        return r.json()

    def put(self, path: str, body: Any, etag: str, token: str | None = None) -> Any:
        r = httpx.put(self.url + "/api/v1" + path, json=body, timeout=60,
                      headers={"Authorization": f"Bearer {token or self.admin}", "If-Match": etag})
        assert r.status_code == 200, (path, r.status_code, r.text[:800])
        return r.json()


def wait_for(check: Any, *, timeout: float = 60, what: str = "") -> Any:
    """Poll `check()` until it returns a truthy value."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}: last {last!r}")
