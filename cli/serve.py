"""`mulu serve`: create/upgrade the database, seed an empty catalogue, then serve the API with uvicorn."""
from __future__ import annotations

import typer

from catalog.db import Database, is_empty, open_database
from catalog.errors import CatalogError
from catalog.settings import Settings, get_settings
from cli import output

TOKEN_HINT = "创建令牌 create a token:  mulu token create --role steward --department 330782101"


def open_db(settings: Settings | None = None) -> Database:
    """The database of the environment's settings (MULU_DATA_DIR / MULU_DATABASE_URL), upgraded."""
    from cli.catalogue import announce, database_label

    settings = settings or get_settings()
    announce(f"本地数据库 database {database_label(settings)}")
    try:
        return open_database(settings)
    except CatalogError as exc:
        output.fail(exc.message)
    except Exception as exc:  # unreachable server, bad URL: a clear message, not a traceback
        output.fail(f"无法打开数据库 {settings.effective_database_url.split('@')[-1]}：{exc.__class__.__name__}: "
                    f"{str(exc).splitlines()[0] if str(exc) else ''} (cannot open database)")


def serve(host: str = typer.Option("127.0.0.1", help="监听地址"),
          port: int = typer.Option(8000, help="端口"),
          no_seed: bool = typer.Option(False, "--no-seed", help="空库时不载入种子目录（MULU_SEED_DIR 或自带的 seed/）")
          ) -> None:
    """启动 API 服务（空库时自动载入种子目录，除非 --no-seed）。"""
    import uvicorn

    from api.app import create_app
    from api.http_protocol import CurlFriendlyH11Protocol
    from api.operations import LOG_CONFIG
    from catalog.seeding import default_seed_dir, load_departments, seed_catalogue

    settings = get_settings()
    db = open_db(settings)
    err = output.stderr()
    if is_empty(db.engine) and not no_seed:
        result = seed_catalogue(db=db, directory=default_seed_dir(settings))
        err.print(f"已载入种子目录 seeded: {len(result.loaded)} 条资源，{len(result.failed)} 条失败", highlight=False, soft_wrap=True)
        for path, message in result.failed[:10]:
            err.print(f"  [yellow]跳过[/] {path}: {message}", highlight=False, soft_wrap=True)
    else:
        load_departments(db=db)
    err.print(TOKEN_HINT, highlight=False, soft_wrap=True)
    err.print(f"API: http://{host}:{port}/api/v1  文档 docs: http://{host}:{port}/docs", highlight=False, soft_wrap=True)
    uvicorn.run(create_app(settings, db=db), host=host, port=port, log_level="info",
                log_config=LOG_CONFIG, access_log=False,  # JSON lines; mulu.access logs each request
                http=CurlFriendlyH11Protocol)  # raw UTF-8 in a URL, as curl sends it, is accepted


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
