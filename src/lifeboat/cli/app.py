"""The ``lifeboat`` Typer application: each command group lives in its own module."""

from __future__ import annotations

import importlib

import typer

from lifeboat import __version__

app = typer.Typer(
    name="lifeboat",
    help="Who can bring a station crew home, how soon, and what a second crew transport buys.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Each module defines ``register(app)``; the order is the order of ``lifeboat --help``.
COMMAND_MODULES = (
    "lifeboat.cli.assess",
    "lifeboat.cli.catalog",
    "lifeboat.cli.scenario",
    "lifeboat.cli.orbits",
    "lifeboat.cli.elements",
    "lifeboat.cli.cabin",
    "lifeboat.cli.cislunar",
    "lifeboat.cli.risk",
    "lifeboat.cli.history",
    "lifeboat.cli.web",
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"lifeboat {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Lifeboat: crew rescue and lifeboat analysis for crewed space stations."""


for _name in COMMAND_MODULES:
    importlib.import_module(_name).register(app)


def main() -> None:
    app()
