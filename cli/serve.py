"""`mulu serve`: create/upgrade the database, seed an empty catalogue, then serve the API with uvicorn
(`--workers N`: N processes, each building its Catalog from the environment, see `api.asgi`)."""
from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from catalog.db import Database, is_empty
from catalog.settings import Settings, get_settings
from cli import output
from cli.context import open_catalog, open_db

__all__ = ["open_db", "register", "serve"]  # open_db: kept here for older imports (see cli.context)

if TYPE_CHECKING:
    from catalog.cascade.rounds import CascadeWorker

TOKEN_HINT = "创建令牌 create a token:  mulu token create --role steward --department 330782101"


def serve(host: str = typer.Option("127.0.0.1", help="监听地址"),
          port: int = typer.Option(8000, help="端口"),
          workers: int = typer.Option(1, min=1, help="API 进程数 (worker processes; use PostgreSQL for more than 1)"),
          no_seed: bool = typer.Option(False, "--no-seed", help="空库时不载入种子目录（MULU_SEED_DIR 或自带的 seed/）")
          ) -> None:
    """启动 API 服务（空库时自动载入种子目录，除非 --no-seed）。--workers N：N 个进程，各自从环境变量建立目录对象。"""
    import uvicorn

    from api.app import create_app
    from api.http_protocol import CurlFriendlyH11Protocol
    from api.operations import LOG_CONFIG
    from catalog.seeding import default_seed_dir, load_departments, seed_catalogue

    settings = get_settings()
    catalog = open_catalog(settings)
    db = catalog.db
    err = output.stderr()
    if is_empty(db.engine) and not no_seed:
        result = seed_catalogue(db=db, directory=default_seed_dir(settings), standards=catalog.files)
        err.print(f"已载入种子目录 seeded: {len(result.loaded)} 条资源，{len(result.failed)} 条失败", highlight=False, soft_wrap=True)
        for path, message in result.failed[:10]:
            err.print(f"  [yellow]跳过[/] {path}: {message}", highlight=False, soft_wrap=True)
    else:
        load_departments(db=db, standards=catalog.files)
    err.print(f"数据库 database: {settings.effective_database_url.split('@')[-1]}", highlight=False, soft_wrap=True)
    err.print(TOKEN_HINT, highlight=False, soft_wrap=True)
    err.print(f"API: http://{host}:{port}/api/v1  文档 docs: http://{host}:{port}/docs", highlight=False, soft_wrap=True)
    worker = _cascade_worker(settings, catalog.db)  # 目录级联: one per deployment, in this process
    try:
        if workers == 1:
            uvicorn.run(create_app(catalog=catalog, warm_search=True), host=host, port=port, log_level="info",
                        log_config=LOG_CONFIG, access_log=False,  # JSON lines; mulu.access logs each request
                        http=CurlFriendlyH11Protocol)  # raw UTF-8 in a URL, as curl sends it, is accepted
            return
        if db.dialect == "sqlite":
            err.print("[yellow]注意[/] SQLite 只有一个写入者：多进程时写入排队，生产环境请用 PostgreSQL "
                      "(several workers on SQLite queue their writes; use PostgreSQL)", highlight=False,
                      soft_wrap=True)
        if worker is None:
            catalog.close()  # each worker opens its own (api.asgi builds the Catalog from the same environment)
        uvicorn.run("api.asgi:app_from_environment", factory=True, workers=workers, host=host, port=port,
                    log_level="info", log_config=LOG_CONFIG, access_log=False,
                    http="api.http_protocol:CurlFriendlyH11Protocol",
                    timeout_worker_healthcheck=60)  # a worker building its Catalog on a busy host is not dead
    finally:
        if worker is not None:
            worker.stop()


def _cascade_worker(settings: Settings, db: Database) -> "CascadeWorker | None":
    """目录级联: with an upstream configured, push up / fetch verdicts / 回流 every MULU_CASCADE_INTERVAL s."""
    if not (settings.upstream_url and settings.upstream_token and settings.cascade_interval > 0):
        return None
    from catalog.cascade.rounds import CascadeWorker
    from catalog.cascade.upstream import Upstream

    worker = CascadeWorker(db=db, upstream=Upstream(settings.upstream_url, settings.upstream_token),
                           level=settings.level, region=settings.region,
                           classifications=settings.return_classifications, interval=settings.cascade_interval)
    worker.start()
    output.stderr().print(f"目录级联 cascade: 本级 {settings.level} {settings.region} → 上级 {settings.upstream_url}"
                          f"（每 {settings.cascade_interval:g} 秒）", highlight=False, soft_wrap=True)
    return worker


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)
