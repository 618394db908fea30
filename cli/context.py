"""What a command starts from: the settings of the environment and the one `Catalog` built from them.

    catalog = open_catalog()          # database (upgraded), standards, calendar, clock; exits 2 when it cannot
    standards = standards_or_exit()   # only the standards files (commands that need no database)

Only the doors (`api/`, `cli/`) read the environment; everything below receives the Catalog's parts.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from catalog.errors import CatalogError
from catalog.settings import Settings, get_settings
from catalog.standards import Standards, load_standards, standards_dir
from cli import output

if TYPE_CHECKING:  # the database layer is imported by the commands that open one, not by `validate`/`audit`
    from catalog.core import Catalog
    from catalog.db import Database


def cli_settings() -> Settings:
    """The settings of the environment (`MULU_*`)."""
    return get_settings()


def open_catalog(settings: Settings | None = None) -> Catalog:
    """The Catalog of `settings` (default: the environment's); a clear message and exit 2 when it cannot open."""
    from catalog.core import Catalog
    from cli.catalogue import announce, database_label

    settings = settings or get_settings()
    announce(f"本地数据库 database {database_label(settings)}")  # which catalogue this command uses
    try:
        return Catalog.from_settings(settings)
    except CatalogError as exc:
        output.fail_with(exc)
    except Exception as exc:  # unreachable server, bad URL: a clear message, not a traceback
        output.fail(f"无法打开数据库 {settings.effective_database_url.split('@')[-1]}：{exc.__class__.__name__}: "
                    f"{str(exc).splitlines()[0] if str(exc) else ''} (cannot open database)",
                    code=output.EXIT_UNAVAILABLE)


def open_db(settings: Settings | None = None) -> Database:
    """The database of the environment's Catalog (for commands that need only the database)."""
    return open_catalog(settings).db


def standards_or_exit(settings: Settings | None = None) -> Standards:
    """The standards files of the settings' folder (MULU_STANDARDS_DIR, else the shipped ones); exit 2 if broken."""
    try:
        return load_standards(standards_dir(settings or get_settings()))
    except CatalogError as exc:
        output.fail_with(exc)
