"""The `mulu` command: a Typer app; every command module is listed here and registers its commands."""
from __future__ import annotations

import typer

from cli import (
    audit, audit_log, cascade, demands, departments, feedback, grants, interop, notify, reindex, report, requests,
    resources, search, seed,
    serve, sources, staged,
    standards, token,
    validate,
)

app = typer.Typer(
    name="mulu",
    help="mulu 目录：政务信息资源目录 (government information-resource directory)",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# One entry per command module; each defines `register(app: typer.Typer) -> None`.
COMMAND_MODULES = (validate, audit, standards, serve, seed, token, resources, audit_log, interop, search, reindex,
                   requests, sources, demands, cascade, notify, departments, staged, grants, feedback, report)

for _module in COMMAND_MODULES:
    _module.register(app)

if __name__ == "__main__":
    app()
