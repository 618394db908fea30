"""`mulu token create|list|revoke`: issue a bearer token (shown once), list tokens, revoke one by name or id."""
from __future__ import annotations

import typer

from catalog.auth import ROLES, SYSTEM, create_token, find_token, list_tokens, revoke_token, token_dict
from catalog.db import is_empty
from catalog.display_time import display_time
from catalog.errors import CatalogError
from catalog.models import Department
from catalog.settings import get_settings
from cli import output
from cli.catalogue import database_label
from cli.serve import open_db

token_app = typer.Typer(help="令牌 tokens", no_args_is_help=True)


@token_app.command("create")
def create(role: str = typer.Option(..., help=f"角色：{' | '.join(ROLES)}"),
           department: str = typer.Option(None, help="部门代码（steward 必填），如 330782101"),
           name: str = typer.Option(None, help="令牌名称（审计日志中的操作人）")) -> None:
    """创建令牌并打印（只显示一次，库中只存哈希）。"""
    from catalog.seeding import load_departments

    db = open_db()
    load_departments(db=db)
    try:
        with db.transaction() as session:
            if department and session.get(Department, department) is None:
                output.fail(f"部门代码 {department} 不在部门注册表中 (unknown department)")
            secret, row = create_token(session=session, role=role, department_code=department, name=name)
    except CatalogError as exc:
        output.fail(exc.message)
    err = output.stderr()
    err.print(f"令牌存于数据库 {database_label(get_settings())}：只有使用这个数据库的服务认得它 "
              "(valid only for servers using this database)", highlight=False, soft_wrap=True)
    if is_empty(db.engine):
        err.print("[yellow]注意[/] 这个数据库中还没有资源：运行中的服务可能用的是另一个数据库，"
                  "请设置与服务相同的 MULU_DATA_DIR / MULU_DATABASE_URL", highlight=False, soft_wrap=True)
    err.print(f"已创建令牌 {row.name}（{row.role}{'，' + department if department else ''}），"
              "请妥善保存，只显示这一次：", highlight=False, soft_wrap=True)
    print(secret)


@token_app.command("list")
def list_(as_json: bool = typer.Option(False, "--json", help="输出 JSON")) -> None:
    """列出令牌：名称、角色、部门、创建时间、是否吊销（不显示令牌本身；最近使用时间不记录）。"""
    import json

    from rich.table import Table

    db = open_db()
    with db.session() as session:
        rows = [token_dict(t) for t in list_tokens(session=session, actor=SYSTEM)]
    if as_json:
        print(json.dumps({"data": rows, "count": len(rows)}, ensure_ascii=False, indent=2))
        return
    tz = get_settings().timezone
    table = Table(title=f"令牌 tokens（{len(rows)}）")
    for column in ("编号 id", "名称 name", "角色 role", "部门 department", "创建 created", "吊销 revoked"):
        table.add_column(column)
    for r in rows:
        table.add_row(str(r["id"]), r["name"], r["role"], r["department_code"] or "", display_time(r["created_at"], tz=tz),
                      f"[red]{display_time(r['revoked_at'], tz=tz)}[/]" if r["revoked"] else "")
    output.stdout().print(table)


@token_app.command("revoke")
def revoke(name_or_id: str = typer.Argument(..., help="令牌编号或名称（见 mulu token list）")) -> None:
    """吊销令牌（立即生效，记入审计日志）。"""
    db = open_db()
    try:
        with db.transaction() as session:
            row = find_token(session=session, name_or_id=name_or_id)
            info = token_dict(revoke_token(session=session, actor=SYSTEM, token_id=row.id))
    except CatalogError as exc:
        output.fail_with(exc)
    output.stderr().print(f"已吊销令牌 {info['id']}（{info['name']}，{info['role']}）revoked", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(token_app, name="token")
