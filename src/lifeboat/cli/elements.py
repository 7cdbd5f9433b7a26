"""``lifeboat elements fetch``: the opt-in download of current element sets (CelesTrak GP API)."""

from __future__ import annotations

from pathlib import Path

import typer

from lifeboat.cli.common import JsonOption, emit, print_fields, user_errors
from lifeboat.timeutil import iso_z

OutOption = typer.Option(..., "--out", help="File to write (replaced atomically).")
elements_app = typer.Typer(help="Element sets: download current ones into a local file (opt-in network access).")


def _render(result) -> None:
    print_fields(
        f"Element sets written to {result.path}",
        [("source", result.url), ("format", result.format), ("fetched", iso_z(result.fetched_utc)),
         ("element sets", str(result.count)),
         ("satellites", ", ".join(result.satellites) + (" ..." if result.count > len(result.satellites) else ""))],
    )


@elements_app.command("fetch")
@user_errors
def fetch(
    group: str = typer.Option(None, "--group", help="CelesTrak group, e.g. stations."),
    catnr: int = typer.Option(None, "--catnr", help="NORAD catalog number, e.g. 25544."),
    name: str = typer.Option(None, "--name", help="Satellite name (or part of it)."),
    fmt: str = typer.Option("tle", "--format", help="tle, json, xml or csv (CCSDS OMM for the last three)."),
    out: Path = OutOption,
    base_url: str = typer.Option(
        "https://celestrak.org/NORAD/elements/gp.php", "--base-url", help="GP API address (a mirror)."
    ),
    timeout_s: float = typer.Option(30.0, "--timeout-s", help="Network timeout, s."),
    as_json: bool = JsonOption,
) -> None:
    """Download current element sets from CelesTrak into a local file (the only network access)."""
    from lifeboat.orbits.fetch import fetch_elements

    result = fetch_elements(out, group=group, catnr=catnr, name=name, fmt=fmt, base_url=base_url,
                            timeout_s=timeout_s)
    emit(result, as_json, _render)


def register(app: typer.Typer) -> None:
    app.add_typer(elements_app, name="elements")
