"""``lifeboat history list|replay``: real incidents recomputed beside what happened."""

from __future__ import annotations

from datetime import datetime

import typer
from rich.table import Table

from lifeboat.cli.common import JsonOption, console, emit, user_errors
from lifeboat.timeutil import iso_z


def _show(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, datetime):
        return iso_z(value)[:16].replace("T", " ")
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _render_list(items) -> None:
    table = Table(title="Incident replays")
    for col in ("id", "title", "period"):
        table.add_column(col, no_wrap=col == "id")
    table.add_column("reconstruction compares", overflow="fold")
    table.add_column("prediction")
    for i in items:
        table.add_row(i.id, i.title, i.period, "\n".join(i.keys), "yes" if i.predicted else "–")
    console.print(table)


def _render_replay(r) -> None:
    console.rule(f"[bold]{r.title}[/] ({r.period})")
    console.print(r.summary)
    console.print("[bold]Reconstruction[/] (computed from the recorded events):")
    table = Table()
    table.add_column("quantity", no_wrap=True)
    for col in ("computed", "recorded", "delta", "unit", "agrees"):
        table.add_column(col)
    for key, d in r.differences.items():
        agrees = "[green]yes" if d.within_tolerance else "[red]no"
        rule = f"≥ recorded{f' - {d.tolerance:g}' if d.tolerance else ''}" \
            if d.comparison == "at-least" else f"±{d.tolerance:g}"
        table.add_row(key, _show(d.computed), _show(d.recorded), _show(d.delta),
                      "days" if d.unit == "utc" else d.unit, f"{agrees}[/] ({rule})")
    console.print(table)
    for key, d in r.differences.items():
        console.print(f"[bold]{key}[/]: {d.explanation}")
    p = r.prediction
    if p is not None:
        console.print(f"[bold]Prediction[/] (the planner on {p.scenario_id}, what was known at "
                      f"{p.onset_utc:%Y-%m-%d %H:%M} UTC):")
        console.print(f"  recommends: {p.recommendation} — done: {p.recorded_action} "
                      f"({'[green]matches' if p.action_matches else '[red]differs'}[/])")
        for key, rec in p.recorded.items():
            pred = p.predicted.get(key)
            err = p.errors_days.get(key)
            console.print(f"  {key}: predicted {_show(pred)}, recorded {_show(rec)}, error "
                          f"{'–' if err is None else f'{err:+.1f} d'}")
        for line in p.partners:
            console.print(f"  partner {line}")
    else:
        console.print("No prediction yet for this incident (no onset scenario).")
    console.print(f"{len(r.sources)} sources; timeline of {len(r.timeline)} steps (see --json).")


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Replays of real incidents: computed beside what happened.",
                        no_args_is_help=True)

    @group.command("list")
    @user_errors
    def list_command(as_json: bool = JsonOption) -> None:
        """List the incident replays."""
        from lifeboat.rescue.history import list_incidents

        emit(list_incidents(), as_json, _render_list)

    @group.command("replay")
    @user_errors
    def replay_command(
        incident: str = typer.Argument(..., metavar="ID", help="Incident id (see `lifeboat history list`)."),
        as_json: bool = JsonOption,
    ) -> None:
        """Recompute one incident and compare it with the record."""
        from lifeboat.rescue.history import replay

        emit(replay(incident), as_json, _render_replay)

    app.add_typer(group, name="history")
