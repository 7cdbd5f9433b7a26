"""What every command shares: JSON output, rich printing, and user-error handling."""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import sys
from collections.abc import Callable
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

import numpy as np
import typer
from pydantic import BaseModel
from rich.console import Console
from rich.markup import escape

from lifeboat.errors import InputError
from lifeboat.timeutil import iso_z

console = Console()
err_console = Console(stderr=True)

JsonOption = typer.Option(False, "--json", help="Print the result as JSON on stdout.")


def to_jsonable(value: Any) -> Any:
    """Turn results (dataclasses, pydantic models, numpy values, datetimes) into JSON types."""
    if isinstance(value, BaseModel):
        return to_jsonable(value.model_dump(mode="python"))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, datetime):
        return iso_z(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, np.ndarray):
        return to_jsonable(value.tolist())
    if isinstance(value, np.generic):
        return to_jsonable(value.item())
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def dumps(value: Any) -> str:
    """JSON text for any result object."""
    return json.dumps(to_jsonable(value), indent=2, ensure_ascii=False)


def emit(result: Any, as_json: bool, render: Callable[[Any], None]) -> None:
    """Print ``result`` as JSON when asked, otherwise through ``render`` (rich)."""
    if as_json:
        sys.stdout.write(dumps(result) + "\n")
    else:
        render(result)


def option_name(param: str) -> str:
    """The CLI option for a Python parameter name: ``hole_mm`` -> ``--hole-mm``."""
    return "--" + param.replace("_", "-")


def user_errors(func: Callable) -> Callable:
    """Turn an :class:`InputError` into one message on stderr and exit code 2."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            message = escape(exc.render(param_label=option_name))
            err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
            raise typer.Exit(code=2) from None

    return wrapper


def print_fields(title: str, rows: list[tuple[str, str]]) -> None:
    """Print label/value pairs as a two-column rich table with a title."""
    from rich.table import Table

    table = Table(title=title, show_header=False)
    for label, value in rows:
        table.add_row(label, value)
    console.print(table)
