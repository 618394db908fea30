"""The `mulu` console script (`python -m cli.entry`).

`mulu validate` and `mulu audit` read record files and need no database, so they run from an app of their own
two modules: that skips importing every other command and the database layer, about 1.5 s of each start of
an audit. Any other command line, `mulu --help` included, runs the full app of `cli.main`, which lists every
command module. Both apps are built by `new_app`, so the two commands behave the same from either.
"""
from __future__ import annotations

import sys

import typer

from cli import audit, validate

RECORD_COMMANDS = {"validate": validate, "audit": audit}  # `cli/context.py` imports no database layer for these


def new_app() -> typer.Typer:
    """An empty `mulu` app; each command module's `register(app)` adds its commands."""
    return typer.Typer(
        name="mulu",
        help="mulu 目录：政务信息资源目录 (government information-resource directory)",
        no_args_is_help=True,
        pretty_exceptions_enable=False,
        add_completion=False,
    )


def records_app() -> typer.Typer:
    """The app of the record commands alone (`validate`, `audit`)."""
    app = new_app()
    for module in RECORD_COMMANDS.values():
        module.register(app)
    return app


def main() -> None:
    """Run `mulu` with the command line of this process."""
    if sys.argv[1:2] and sys.argv[1] in RECORD_COMMANDS:
        records_app()()
    else:
        from cli.main import app

        app()


if __name__ == "__main__":
    main()
