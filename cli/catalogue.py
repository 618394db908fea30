"""Which catalogue a command works on, said once on stderr: the local database or a running server.

    SERVER, TOKEN                         the --server / --token options (MULU_SERVER / MULU_TOKEN)
    with local(token, write=...) as (session, actor):    the local database (no token = local admin)
    with local_db() as db: ... acting(db, token, write=...)   the same, several transactions, errors raise
    remote = connect(server, token)       a running server over HTTP, or None for the local database
    remote.call("POST", "/resources", json=record)       the parsed JSON answer; errors raise CatalogError
    with errors_exit(): ...               a CatalogError (local or remote) → message, findings, exit code

Both ways go through the same doors' rules: locally the domain functions, remotely the API that calls
them. A remote error body is turned back into the CatalogError subclass of its code, so the terminal
shows the same message and exit code either way.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NoReturn

import httpx
import typer

from catalog import errors
from catalog.auth import SYSTEM, Actor, actor_for_token
from catalog.db import Database
from catalog.errors import CatalogError, InvalidInput, Unauthenticated
from catalog.findings import Finding
from catalog.settings import Settings, get_settings
from cli import output

SERVER = typer.Option(None, "--server", envvar="MULU_SERVER", show_envvar=True,
                      help="运行中的 mulu 服务地址，如 http://127.0.0.1:8000；省略 = 本地数据库")
TOKEN = typer.Option(None, "--token", envvar="MULU_TOKEN", show_envvar=True,
                     help="以该令牌的用户身份操作；本地省略 = 本地管理员")
_BY_CODE: dict[str, type[CatalogError]] = {
    cls.code: cls for cls in vars(errors).values()
    if isinstance(cls, type) and issubclass(cls, CatalogError)
}


def database_label(settings: Settings) -> str:
    """The database as a person would name it: the SQLite file, or the server URL without the password."""
    url = settings.effective_database_url
    if url.startswith("sqlite:///"):
        return url.removeprefix("sqlite:///")
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.rpartition('@')[2]}"


def announce(where: str) -> None:
    """Say on stderr which catalogue this command reads and writes (two shells, two databases)."""
    output.stderr().print(f"[dim]目录 catalogue: {where}[/]", highlight=False, soft_wrap=True)


def exit_code(exc: CatalogError) -> int:
    """2 for unreadable input and a missing or unknown token (usage), 1 for everything else."""
    return output.EXIT_USAGE if isinstance(exc, (InvalidInput, Unauthenticated)) else output.EXIT_FINDINGS


def fail(exc: CatalogError) -> NoReturn:
    """The message, then each finding (pointer: message), then exit."""
    err = output.stderr()
    err.print(f"[bold red]错误[/] {exc.message}", highlight=False, soft_wrap=True)
    for f in exc.findings:
        err.print(f"  {f.path or '/'}: {f.message}", highlight=False, markup=False, soft_wrap=True)
    raise typer.Exit(exit_code(exc))


@contextmanager
def errors_exit() -> Iterator[None]:
    try:
        yield
    except CatalogError as exc:
        fail(exc)


@contextmanager
def local_db(settings: Settings | None = None) -> Iterator[Database]:
    """The local database of the settings (said on stderr), disposed of at the end."""
    from cli.serve import open_db

    db = open_db(settings or get_settings())
    try:
        yield db
    finally:
        db.dispose()


@contextmanager
def acting(db: Database, token: str | None, *, write: bool) -> Iterator[tuple[Any, Actor]]:
    """A session (a transaction when writing) and the user of `token` (none = local admin); errors raise."""
    with (db.transaction() if write else db.session()) as session:
        yield session, actor_for_token(session=session, token=token) if token else SYSTEM


@contextmanager
def local(token: str | None, *, write: bool, settings: Settings | None = None) -> Iterator[tuple[Any, Actor]]:
    """A session on the local database and the acting user; a CatalogError ends the command."""
    with local_db(settings) as db, errors_exit(), acting(db, token, write=write) as (session, actor):
        yield session, actor


class Remote:
    """A running mulu server: `call()` answers the parsed JSON body or raises the CatalogError it names."""

    def __init__(self, url: str, token: str | None) -> None:
        self.url = url.rstrip("/")
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.client = httpx.Client(base_url=f"{self.url}/api/v1", headers=headers, timeout=30.0)

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        return self.response(method, path, **kwargs).json()

    def response(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self.client.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            output.fail(f"无法连接服务 {self.url}：{exc.__class__.__name__}: {exc} (cannot reach the server)")
        if response.status_code >= 400:
            raise remote_error(response)
        return response


def remote_error(response: httpx.Response) -> CatalogError:
    """The CatalogError of an error answer (`{"error", "message", "findings"}`), or a plain one."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict) or "message" not in body:
        return CatalogError(f"服务返回 HTTP {response.status_code}: {response.text[:200]}")
    findings = [Finding(rule=f.get("rule", ""), severity=f.get("severity", "error"), path=f.get("path", ""),
                        message=f.get("message", ""), suggestion=f.get("suggestion"))
                for f in body.get("findings") or [] if isinstance(f, dict)]
    cls = _BY_CODE.get(str(body.get("error")), CatalogError)
    return cls(str(body["message"]), findings=findings)


def connect(server: str | None, token: str | None) -> Remote | None:
    """A Remote when --server / MULU_SERVER is given (and says so on stderr), else None."""
    if not server:
        return None
    if not server.startswith(("http://", "https://")):
        output.fail(f"--server {server}: 应为 http:// 或 https:// 开头的地址 (expected a URL)")
    announce(f"服务 server {server.rstrip('/')}")
    return Remote(server, token)
