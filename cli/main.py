"""The `mulu` command: a Typer app; each command module registers itself through COMMAND_MODULES."""
from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="mulu",
    help="mulu 目录：政务信息资源目录 (government information-resource directory)",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)

# One line per command module; each module defines `register(app: typer.Typer) -> None`.
COMMAND_MODULES = [
    "cli.validate",
    "cli.audit",
    "cli.standards",
    "cli.serve",
    "cli.seed",
    "cli.token",
    "cli.resources",
    "cli.audit_log",
    "cli.interop",
    "cli.search",
    "cli.reindex",
    "cli.requests",
    "cli.sources",
    "cli.demands",
    "cli.grants",
    "cli.feedback",
    "cli.report",
]

for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)

if __name__ == "__main__":
    app()
