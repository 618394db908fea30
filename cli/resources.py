"""`mulu resources get CODE` / `mulu resources list`: read the catalogue database (local access = admin)."""
from __future__ import annotations

import typer

from catalog.auth import SYSTEM
from catalog.errors import CatalogError
from catalog.listing import ResourceFilter, list_resources, resource_dict, resource_summary
from catalog.registry import get_resource
from cli import output
from cli.context import open_db

resources_app = typer.Typer(help="资源 resources", no_args_is_help=True)


@resources_app.command("get")
def get(code: str = typer.Argument(..., help="资源代码，如 102001/000001")) -> None:
    """打印一条资源（JSON）。"""
    db = open_db()
    try:
        with db.session() as session:
            data = resource_dict(get_resource(session=session, actor=SYSTEM, code=code))
    except CatalogError as exc:
        output.fail_with(exc)
    print(output.to_json(data))


@resources_app.command("list")
def list_(provider_code: str = typer.Option(None, help="提供方代码"),
          classification: str = typer.Option(None, help="分类代码前缀"),
          state: str = typer.Option(None, help="draft | submitted | published | withdrawn"),
          q: str = typer.Option(None, help="名称包含"),
          limit: int = typer.Option(50, min=1, max=500), offset: int = typer.Option(0, min=0),
          as_json: bool = typer.Option(False, "--json", help="JSON 输出")) -> None:
    """列出资源。"""
    db = open_db()
    with db.session() as session:
        rows, count = list_resources(session=session, actor=SYSTEM, limit=limit, offset=offset,
                                     filters=ResourceFilter(provider_code=provider_code,
                                                            classification=classification, state=state, q=q))
        data = [resource_summary(r) for r in rows]
    if as_json:
        print(output.to_json({"data": data, "count": count}))
        return
    out = output.stdout()
    for r in data:
        out.print(f"{r['code']:<24} {r['state']:<10} v{r['version']:<3} {r['provider_code']} {r['name']}",
                  highlight=False)
    out.print(f"共 {count} 条 (showing {len(data)})", highlight=False)


def register(app: typer.Typer) -> None:
    app.add_typer(resources_app, name="resources")
