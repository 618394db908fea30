"""The `mulu` command: a Typer app; every command module is listed here and registers its commands."""
from __future__ import annotations

from cli import (
    audit, audit_log, cascade, demands, departments, feedback, grants, interop, notify, reindex, report, requests,
    resources, search, seed,
    serve, sources, staged,
    standards, token,
    validate,
)
from cli.entry import new_app

app = new_app()  # `mulu` itself is `cli.entry:main`: it runs `validate` and `audit` without the other commands

# One entry per command module; each defines `register(app: typer.Typer) -> None`.
COMMAND_MODULES = (validate, audit, standards, serve, seed, token, resources, audit_log, interop, search, reindex,
                   requests, sources, demands, cascade, notify, departments, staged, grants, feedback, report)

for _module in COMMAND_MODULES:
    _module.register(app)

if __name__ == "__main__":
    app()
