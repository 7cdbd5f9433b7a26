"""``lifeboat scenario``: validate scenario files, list the built-ins, print the JSON Schema."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from lifeboat.cli.common import JsonOption, console, emit, user_errors
from lifeboat.model.scenario import builtin_scenarios, load_scenario, scenario_json_schema

scenario_app = typer.Typer(help="Scenario files: a station, crew, seats, fleet and an emergency.",
                           no_args_is_help=True)


@scenario_app.command("validate")
@user_errors
def validate(
    scenario: str = typer.Argument(..., help="A scenario TOML file or a built-in scenario id."),
    as_json: bool = JsonOption,
) -> None:
    """Check a scenario file as ``assess`` does: schema, catalog references, the station's orbit
    at the onset, the leak network, the architectures (exit code 2 if it is invalid)."""
    from lifeboat.rescue.assess import preflight

    loaded = load_scenario(scenario)
    checked = preflight(loaded)
    summary = {
        "valid": True,
        "checked": checked,
        "id": loaded.id,
        "title": loaded.title,
        "epoch_utc": loaded.epoch_utc,
        "station": loaded.station.id,
        "crew": len(loaded.crew),
        "docked": [d.id for d in loaded.docked],
        "emergency": loaded.emergency.kind if loaded.emergency else None,
    }

    def render(s: dict) -> None:
        console.print(f"[green]valid[/]: {s['id']} — {s['title']} ({s['crew']} crew, "
                      f"{len(s['docked'])} docked vehicle(s), emergency: {s['emergency'] or 'none'})")

    emit(summary, as_json, render)


@scenario_app.command("list")
@user_errors
def list_builtin(as_json: bool = JsonOption) -> None:
    """List the built-in scenarios."""
    rows = [load_scenario(i) for i in builtin_scenarios()]
    result = [{"id": s.id, "title": s.title, "epoch_utc": s.epoch_utc} for s in rows]

    def render(items: list[dict]) -> None:
        table = Table("id", "epoch (UTC)", "title")
        for s in rows:
            table.add_row(s.id, s.epoch_utc.strftime("%Y-%m-%d %H:%M"), s.title)
        console.print(table)

    emit(result, as_json, render)


@scenario_app.command("show")
@user_errors
def show(
    scenario: str = typer.Argument(..., help="A scenario TOML file or a built-in scenario id."),
) -> None:
    """Print a scenario, validated, as JSON."""
    from lifeboat.cli.common import dumps

    typer.echo(dumps(load_scenario(scenario)))


@scenario_app.command("schema")
def schema() -> None:
    """Print the JSON Schema of scenario files."""
    typer.echo(json.dumps(scenario_json_schema(), indent=2))


def register(app: typer.Typer) -> None:
    app.add_typer(scenario_app, name="scenario")
