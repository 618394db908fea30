"""The README works as written: every shell example runs against a real `mulu serve`.

How the README is read (said in the README too):
- every ```bash / ```sh block is a shell example, run in order with `bash -e` in one working folder;
  variables set by one block (TOKEN, CODE...) carry over to the next;
- a block whose first line starts with `# (setup:` is what this test does itself (install, serve, CI);
- a ```yaml block whose first line is `# NAME: ...` is saved as NAME in the working folder;
- a line `# → text` means: the output (stdout + stderr) of the block so far contains `text`.

The server is a `mulu serve` subprocess on a free port with a temporary MULU_DATA_DIR; the examples
reach it through MULU_SERVER, and `mulu token create` writes to the same database.
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from catalog.settings import SETTINGS_TABLE
from tests.hardening.support import LiveServer
from tests.net import free_port

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
BLOCK = re.compile(r"^```(\w+)\n(.*?)^```", re.S | re.M)
EXPECT = re.compile(r"^# → (.+)$", re.M)


def blocks(kind: tuple[str, ...]) -> list[str]:
    return [body for lang, body in BLOCK.findall(README.read_text("utf-8")) if lang in kind]


def shell_examples() -> list[str]:
    return [b for b in blocks(("bash", "sh")) if not b.startswith("# (setup:")]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    live = LiveServer(data_dir=tmp_path_factory.mktemp("readme-data"), port=free_port()).start(timeout=90)
    try:
        yield live
    finally:
        live.stop()


def test_the_readme_has_the_examples_it_promises() -> None:
    assert len(shell_examples()) >= 5
    assert all(EXPECT.search(b) for b in shell_examples()[:1] + shell_examples()[-1:])
    assert any(b.startswith("# my-resource.yaml") for b in blocks(("yaml",)))


def test_every_shell_example_runs_and_prints_what_it_says(server: LiveServer, tmp_path: Path) -> None:
    for body in blocks(("yaml",)):
        name = re.match(r"# ([\w.-]+\.ya?ml)", body)
        if name:
            (tmp_path / name.group(1)).write_text(body, encoding="utf-8")
    env = {**os.environ, "MULU_DATA_DIR": str(server.data_dir), "MULU_SERVER": server.url,
           "PYTHONPATH": str(ROOT), "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
           "COLUMNS": "200"}
    for name in ("MULU_DATABASE_URL", "MULU_ELASTICSEARCH_URL", "MULU_TOKEN"):
        env.pop(name, None)
    state = tmp_path / ".state"
    state.write_text("", encoding="utf-8")
    for number, body in enumerate(shell_examples(), 1):
        script = f"set -ea\nsource {shlex.quote(str(state))}\n{body}\nexport -p > {shlex.quote(str(state))}\n"
        result = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True,
                                timeout=300)
        shown = result.stdout + result.stderr
        assert result.returncode == 0, f"README example {number} failed:\n{body}\n---\n{shown[-3000:]}"
        for expected in EXPECT.findall(body):
            assert expected in shown, f"README example {number}: {expected!r} not in the output:\n{shown[-3000:]}"


def test_every_setting_is_documented() -> None:
    text = README.read_text("utf-8")
    settings = text[text.index("## Settings"):]
    for name, _default, _help in SETTINGS_TABLE:
        assert f"`{name}`" in settings, f"{name} is missing from the README's settings table"
    for name in ("MULU_SERVER", "MULU_TOKEN"):
        assert f"`{name}`" in settings
