"""What every command shares: JSON output, rich printing, and user-error handling."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import typer
from rich.console import Console
from rich.markup import escape

from lifeboat.errors import InputError
from lifeboat.jsonable import dumps, to_jsonable

__all__ = ["JsonOption", "console", "dumps", "emit", "err_console", "option_name", "print_fields",
           "to_jsonable", "user_errors"]

console = Console()
err_console = Console(stderr=True)

JsonOption = typer.Option(False, "--json", help="Print the result as JSON on stdout.")


def emit(result: Any, as_json: bool, render: Callable[[Any], None]) -> None:
    """Print ``result`` as JSON when asked, otherwise through ``render`` (rich)."""
    if as_json:
        sys.stdout.write(dumps(result) + "\n")
    else:
        render(result)


def option_name(param: str) -> str:
    """The CLI option for a Python parameter name: ``hole_mm`` -> ``--hole-mm``."""
    return "--" + param.replace("_", "-")


# Modules of the optional extras (pyproject.toml) -> the extra that installs them.
EXTRAS = {"dask": "distributed", "distributed": "distributed", "fastapi": "web",
          "uvicorn": "web", "httpx": "web", "pandas": "pandas", "simpy": "dev"}


def _fail(message: str) -> None:
    err_console.print(f"[bold red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=2)


def user_errors(func: Callable) -> Callable:
    """Turn an :class:`InputError` (or a missing optional extra) into one message on stderr
    and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            _fail(exc.render(param_label=option_name))
        except ModuleNotFoundError as exc:
            extra = EXTRAS.get((exc.name or "").split(".")[0])
            if extra is None:
                raise
            _fail(f"this needs the optional '{extra}' dependencies ({exc.name} is not "
                  f"installed): pip install 'lifeboat[{extra}]'")

    return wrapper


def print_fields(title: str, rows: list[tuple[str, str]]) -> None:
    """Print label/value pairs as a two-column rich table with a title."""
    from rich.table import Table

    table = Table(title=title, show_header=False)
    for label, value in rows:
        table.add_row(label, value)
    console.print(table)
