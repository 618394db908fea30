"""`mulu resources create|update|submit|publish|reject|withdraw`: the resource lifecycle from the terminal.

    mulu resources create my-resource.yaml          → prints the new code (a draft) on stdout
    mulu resources update CODE my-resource.yaml     a new version (draft or withdrawn resources only)
    mulu resources submit CODE...                    草稿 → 待审核   (steward of the provider)
    mulu resources publish CODE...                   待审核 → 已发布 (coordinator)
    mulu resources reject CODE... --reason TEXT      待审核 → 草稿   (coordinator)
    mulu resources withdraw CODE...                  已发布 → 已撤回
    mulu resources publish --filter provider_code=330782101 --filter state=submitted
                                                     every record the filter selects (bulk, chunked)

Each code is one step of its own (one transaction locally, one request to a server): the others go on
when one fails, each outcome is printed, and the exit code is the worst (0 ok, 1 refused, 2 input).
With --filter (KEY=VALUE, repeatable; keys provider_code, state, classification, source_system, run_id)
the records are chosen and changed by the bulk lifecycle (`catalog.lifecycle_bulk`, `POST /lifecycle/…`):
chunked transactions, one line per record, then a summary.
"""
from __future__ import annotations

from contextlib import ExitStack
from pathlib import Path
from typing import Any

import typer

from catalog import registry
from catalog.db import Database
from catalog.errors import CatalogError, InvalidInput
from catalog.lifecycle_bulk import FILTER_KEYS, bulk_change_state
from catalog.listing import resource_dict
from catalog.records import read_record_file
from cli import output
from cli.catalogue import SERVER, TOKEN, Remote, acting, connect, errors_exit, exit_code, fail, local, local_db

CODES = typer.Argument(None, help="资源代码（可多个），如 102001/000001；或用 --filter 选择")
FILTER = typer.Option(None, "--filter", metavar="KEY=VALUE",
                      help=f"按条件批量选择（可重复）：{', '.join(FILTER_KEYS)}，如 state=submitted")
STATE_LABELS = {"draft": "草稿", "submitted": "待审核", "published": "已发布", "withdrawn": "已撤回"}


def _record(path: Path) -> dict[str, Any]:
    try:
        return read_record_file(path)
    except InvalidInput as exc:
        fail(exc)


def _label(state: str) -> str:
    return f"{STATE_LABELS.get(state, state)} {state}"


def create(path: Path = typer.Argument(..., help="资源记录文件（YAML / JSON）"), server: str = SERVER,
           token: str = TOKEN) -> None:
    """登记资源（草稿）；校验不通过时列出问题，不保存。"""
    record = _record(path)
    remote = connect(server, token)
    if remote is not None:
        with errors_exit():
            data = remote.call("POST", "/resources", json=record)
    else:
        with local(token, write=True) as (session, actor):
            data = resource_dict(registry.create_resource(session=session, actor=actor, record=record))
    output.stderr().print(f"已登记 {data['code']}（{_label(data['state'])}，第 {data['version']} 版）{data['name']}",
                          highlight=False, soft_wrap=True)
    print(data["code"])


def update(code: str = typer.Argument(..., help="资源代码"),
           path: Path = typer.Argument(..., help="修改后的完整资源记录（YAML / JSON）"),
           if_match: str = typer.Option(None, "--if-match", help="读取时得到的 ETag；省略 = 修改当前版本"),
           server: str = SERVER, token: str = TOKEN) -> None:
    """修改资源（整条替换，保存为新版本；草稿或已撤回的资源才能修改）。"""
    record = _record(path)
    remote = connect(server, token)
    if remote is not None:
        with errors_exit():
            etag = if_match or remote.response("GET", f"/resources/{code}").headers["ETag"]
            data = remote.call("PUT", f"/resources/{code}", json=record, headers={"If-Match": etag})
    else:
        with local(token, write=True) as (session, actor):
            current = if_match or registry.get_resource(session=session, actor=actor, code=code).etag
            data = resource_dict(registry.update_resource(session=session, actor=actor, code=code, record=record,
                                                          if_match=current))
    output.stdout().print(f"{data['code']} 已保存第 {data['version']} 版（{_label(data['state'])}）",
                          highlight=False)


def _parse_filter(pairs: list[str]) -> dict[str, Any]:
    chosen: dict[str, Any] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or key.strip() not in FILTER_KEYS or not value.strip():
            fail(InvalidInput(f"--filter {pair!r}: 应为 KEY=VALUE，KEY 为 {' / '.join(FILTER_KEYS)} (bad filter)"))
        chosen[key.strip()] = int(value) if key.strip() == "run_id" and value.strip().isdigit() else value.strip()
    return chosen


def _bulk(action: str, chosen: dict[str, Any], reason: str | None, server: str | None, token: str | None) -> None:
    """`action` on every record `chosen` selects, through the bulk lifecycle; one line per record."""
    remote = connect(server, token)
    body = {"filter": chosen, **({"reason": reason} if reason else {})}
    if remote is not None:
        with errors_exit():
            data = remote.call("POST", f"/lifecycle/{action}", json=body)
    else:
        with local_db() as db, errors_exit():
            with acting(db, token, write=False) as (_, actor):
                pass
            data = bulk_change_state(db=db, actor=actor, action=action, filter=chosen, reason=reason).to_dict()
    for r in data["results"]:
        if r["ok"]:
            output.stdout().print(f"{r['code']}  → {_label(r['state'])}", highlight=False)
        else:
            output.stderr().print(f"[bold red]错误[/] {r['code']}: {r['message']}", highlight=False, soft_wrap=True)
    output.stderr().print(f"{action}: 选中 {data['total']} 条，完成 {data['done']} 条，未完成 {data['failed']} 条",
                          highlight=False)
    raise typer.Exit(output.EXIT_FINDINGS if data["failed"] else output.EXIT_OK)


def _change(action: str, codes: list[str] | None, reason: str | None, server: str | None, token: str | None,
            filters: list[str] | None = None) -> None:
    """`action` on each code in turn (or on what --filter selects); one line per code, the worst exit code."""
    if filters:
        if codes:
            fail(InvalidInput("请给出资源代码或 --filter 之一 (give codes or --filter, not both)"))
        _bulk(action, _parse_filter(filters), reason, server, token)
    if not codes:
        fail(InvalidInput("请给出资源代码，或用 --filter 选择 (give codes or --filter)"))
    remote = connect(server, token)
    with ExitStack() as stack:
        db = stack.enter_context(local_db()) if remote is None else None
        worst = output.EXIT_OK
        for code in codes:
            try:
                before, data = _step(action, code, reason, remote, db, token)
            except CatalogError as exc:
                worst = max(worst, exit_code(exc))
                output.stderr().print(f"[bold red]错误[/] {code}: {exc.message}", highlight=False, soft_wrap=True)
                continue
            output.stdout().print(f"{code}  {_label(before)} → {_label(data['state'])}", highlight=False)
    raise typer.Exit(worst)


def _step(action: str, code: str, reason: str | None, remote: Remote | None, db: Database | None,
          token: str | None) -> tuple[str, dict[str, Any]]:
    if remote is not None:
        before = remote.call("GET", f"/resources/{code}")["state"]
        return before, remote.call("POST", f"/resources/{code}/{action}", json={"reason": reason} if reason else None)
    assert db is not None
    with acting(db, token, write=True) as (session, actor):
        before = registry.get_resource(session=session, actor=actor, code=code).state
        row = registry.change_state(session=session, actor=actor, code=code, action=action, reason=reason)
        return before, resource_dict(row)


def submit(codes: list[str] = CODES, filters: list[str] = FILTER, server: str = SERVER, token: str = TOKEN) -> None:
    """提交审核（草稿 → 待审核）。"""
    _change("submit", codes, None, server, token, filters)


def publish(codes: list[str] = CODES, filters: list[str] = FILTER, server: str = SERVER, token: str = TOKEN) -> None:
    """发布（协调员；待审核 → 已发布）。"""
    _change("publish", codes, None, server, token, filters)


def reject(codes: list[str] = CODES, reason: str = typer.Option(..., help="退回理由"), filters: list[str] = FILTER,
           server: str = SERVER, token: str = TOKEN) -> None:
    """退回（协调员；待审核 → 草稿，须填写理由）。"""
    _change("reject", codes, reason, server, token, filters)


def withdraw(codes: list[str] = CODES, reason: str = typer.Option(None, help="撤回理由"), filters: list[str] = FILTER,
             server: str = SERVER, token: str = TOKEN) -> None:
    """撤回（已发布 → 已撤回）。"""
    _change("withdraw", codes, reason, server, token, filters)


def register_on(group: typer.Typer) -> None:
    for name, command in (("create", create), ("update", update), ("submit", submit), ("publish", publish),
                          ("reject", reject), ("withdraw", withdraw)):
        group.command(name)(command)
