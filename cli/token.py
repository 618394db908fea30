"""`mulu token create --role ROLE [--department CODE] [--name NAME]`: issue a bearer token (shown once)."""
from __future__ import annotations

import typer

from catalog.auth import ROLES, create_token
from catalog.errors import CatalogError
from catalog.models import Department
from cli import output
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
    output.stderr().print(f"已创建令牌 {row.name}（{row.role}{'，' + department if department else ''}），"
                          "请妥善保存，只显示这一次：", highlight=False)
    print(secret)


def register(app: typer.Typer) -> None:
    app.add_typer(token_app, name="token")
