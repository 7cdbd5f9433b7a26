"""``lifeboat leak``: leak summary, hole size from telemetry (``fit``), isolation (``isolate``)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from lifeboat.cli.common import JsonOption, console, emit, print_fields, user_errors
from lifeboat.errors import InputError
from lifeboat.timeutil import iso_z

leak_app = typer.Typer(
    help="Cabin leaks: drop rate and reserve time; hole size from telemetry; hatch isolation.",
    invoke_without_command=True,
    no_args_is_help=False,
)

DockedOption = typer.Option(
    [], "--docked",
    help="Docked vehicle as NAME=VEHICLE@PORT (e.g. soyuz-ms-09=soyuz-ms@rassvet); repeatable.")

OutOption = typer.Option(None, "--out", help="Write a pressure-vs-time PNG here.")
PlotOption = typer.Option(None, "--plot", hidden=True, help="Old name of --out.")
TelemetryArgument = typer.Argument(
    ..., help="CSV with utc, pressure_mmhg or pressure_kpa[, module].")


def _render_summary(s) -> None:
    rows = [
        ("hole", f"{s.hole_diameter_mm:.3g} mm, Cd {s.cd:g} (Cd·A {s.effective_area_mm2:.3g} mm²)"),
        ("connected volume", f"{s.volume_m3:.1f} m³ ({len(s.segment)} modules)"),
        ("mass flow", f"{s.mass_flow_kg_per_day:.3g} kg/day"),
        ("initial drop rate", f"{s.initial_rate_mmhg_per_h:.3g} mmHg/h"),
        (f"time to {s.limit_mmhg:g} mmHg (physical)", f"{s.time_to_limit_h:.3g} h"),
        ("reserve time (linear, crew charts)", f"{s.reserve_time_linear_h:.3g} h"),
        ("evacuate now (reserve < 10 min)", "YES" if s.evacuate_now else "no"),
    ]
    print_fields(f"Leak in {s.module} ({s.network})", rows)


@leak_app.callback(invoke_without_command=True)
@user_errors
def leak(
    ctx: typer.Context,
    station: str = typer.Option(None, "--station", help="Catalog station id (e.g. iss)."),
    hole_mm: float = typer.Option(None, "--hole-mm", help="Hole diameter (mm)."),
    cd: float = typer.Option(None, "--cd", help="Discharge coefficient (default 0.6)."),
    module: str = typer.Option(None, "--module", help="Leaking module (default: largest segment)."),
    configuration: str = typer.Option(None, "--configuration", help="Station configuration id."),
    docked: list[str] = DockedOption,
    scenario: str = typer.Option(None, "--scenario", help="Scenario file or built-in id."),
    limit_mmhg: float = typer.Option(490.0, "--limit-mmhg", help="Evacuation limit (mmHg)."),
    isolated: bool = typer.Option(False, "--isolated", help="Close the leaking module's hatches."),
    adiabatic: bool = typer.Option(False, "--adiabatic", help="Adiabatic instead of isothermal."),
    out: Path = OutOption,
    plot: Path = PlotOption,
    as_json: bool = JsonOption,
) -> None:
    """Drop rate, time to the evacuation limit and the crew's reserve time for a hole."""
    if ctx.invoked_subcommand is not None:
        return
    from lifeboat import api

    out = out or plot
    if out is not None:
        _check_out(out)
    summary = api.leak(station=station, hole_mm=hole_mm, cd=cd, module=module,
                       configuration=configuration, docked=docked, scenario=scenario,
                       limit_mmhg=limit_mmhg, isolated=isolated, adiabatic=adiabatic)
    if out is not None:
        from lifeboat.cabin.leak import leak_history
        from lifeboat.report.cabin_plot import plot_leak

        network = api._network(station, configuration, docked, scenario)
        try:
            plot_leak(leak_history(network, summary), summary, out)
        except OSError as exc:
            raise InputError(f"cannot write the plot to {out} ({exc.strerror or exc})",
                             param="out") from None
    emit(summary, as_json, _render_summary)
    if out is not None and not as_json:
        console.print(f"plot written to {out}")


def _check_out(path: Path) -> None:
    """Refuse an output path that can never be written before any work is done."""
    if path.is_dir():
        raise InputError(f"{path} is a directory; expected the path of the PNG file to write",
                         param="out")
    existing = next((p for p in path.parents if p.exists()), None)
    if existing is not None and not existing.is_dir():
        raise InputError(f"cannot write to {path}: {existing} is not a directory", param="out")


def _render_fit(f) -> None:
    table = Table(title=f"Hole size from {f.source}", show_header=False)
    lo, hi = f.effective_area_ci95_mm2
    dlo, dhi = f.hole_diameter_ci95_mm
    if not f.leak_detected:
        onset = "no leak detected (upper bound below)"
    else:
        onset = iso_z(f.onset_utc) if f.onset_detected else "at or before the first sample"
    for key, value in (
        ("samples", str(f.samples)),
        ("leak onset", onset),
        ("effective area Cd·A", f"{f.effective_area_mm2:.3g} mm² (95 %: {lo:.3g} – {hi:.3g})"),
        (f"hole diameter (Cd {f.cd:g})", f"{f.hole_diameter_mm:.3g} mm (95 %: {dlo:.3g} – {dhi:.3g})"),
        ("drop rate at onset", f"{f.leak_rate_at_onset_mmhg_per_h:.3g} mmHg/h"),
        ("background rate", f"{f.background_rate_mmhg_per_h:.3g} mmHg/h"),
        ("volume", f"{f.volume_m3:.1f} m³"),
        ("residual rms", f"{f.residual_rms_mmhg:.3g} mmHg"),
    ):
        table.add_row(key, value)
    console.print(table)
    for d in f.dropped:
        console.print(f"dropped as an outlier: {iso_z(d.utc)} {d.pressure_mmhg:.6g} mmHg "
                      f"({d.departure_mmhg:+.3g} mmHg from its neighbours)", highlight=False)


@leak_app.command("fit")
@user_errors
def fit(
    file: Path = TelemetryArgument,
    station: str = typer.Option(None, "--station", help="Catalog station id (gives the volume)."),
    cd: float = typer.Option(0.6, "--cd", help="Discharge coefficient for the diameter."),
    module: str = typer.Option(None, "--module", help="Module whose series to fit."),
    configuration: str = typer.Option(None, "--configuration", help="Station configuration id."),
    docked: list[str] = DockedOption,
    volume_m3: float = typer.Option(None, "--volume-m3", help="Volume instead of the station's."),
    as_json: bool = JsonOption,
) -> None:
    """Leak onset and hole size (with a 95 % interval) from a pressure time series."""
    from lifeboat import api

    result = api.fit(file, station=station, cd=cd, module=module, configuration=configuration,
                     docked=docked, volume_m3=volume_m3)
    emit(result, as_json, _render_fit)


def _render_isolation(r) -> None:
    plan = r.plan
    console.print(f"[bold]Isolation plan ({plan.method})[/] for {plan.network}: expected "
                  f"{plan.expected_time_h:.2f} h, worst {plan.worst_time_h:.2f} h after wake-up")
    table = Table(title=f"Simulated with the leak in {r.run.true_module}")
    for col in ("start h", "end h", "action", "losing part"):
        table.add_column(col)
    for s in r.run.steps:
        table.add_row(f"{s.start_h:.2f}", f"{s.end_h:.2f}", s.action, ", ".join(s.losing_part))
    console.print(table)
    console.print(f"located {r.run.located_module} after {r.time_to_locate_h:.2f} h")
    if r.shelter:
        console.print(f"[bold red]shelter in the lifeboat:[/] {r.shelter_reason}")


@leak_app.command("isolate")
@user_errors
def isolate(
    station: str = typer.Option(None, "--station", help="Catalog station id."),
    leak_in: str = typer.Option(..., "--leak-in", help="Module that really leaks (simulated)."),
    hole_mm: float = typer.Option(2.0, "--hole-mm", help="Hole diameter (mm)."),
    cd: float = typer.Option(0.6, "--cd", help="Discharge coefficient."),
    configuration: str = typer.Option(None, "--configuration", help="Station configuration id."),
    docked: list[str] = DockedOption,
    scenario: str = typer.Option(None, "--scenario", help="Scenario file or built-in id."),
    prior: str = typer.Option("volume", "--prior", help="Prior leak location: volume | uniform."),
    resolution_mmhg: float = typer.Option(1.0, "--resolution-mmhg", help="Sensor step (mmHg)."),
    wake_delay_h: float = typer.Option(0.0, "--wake-delay-h", help="Crew asleep this long (h)."),
    hatch_h: float = typer.Option(0.25, "--hatch-h", help="Time to close one hatch (h)."),
    pinpoint_h: float = typer.Option(2.0, "--pinpoint-h", help="Search time in the module (h)."),
    limit_mmhg: float = typer.Option(490.0, "--limit-mmhg", help="Evacuation limit (mmHg)."),
    as_json: bool = JsonOption,
) -> None:
    """Plan hatch closures to find a leak and simulate them; says when to shelter instead."""
    from lifeboat import api

    result = api.isolate(leak_in, station=station, hole_mm=hole_mm, cd=cd,
                         configuration=configuration, docked=docked, scenario=scenario,
                         prior=prior, resolution_mmhg=resolution_mmhg, wake_delay_h=wake_delay_h,
                         hatch_h=hatch_h, pinpoint_h=pinpoint_h, limit_mmhg=limit_mmhg)
    emit(result, as_json, _render_isolation)


def register(app: typer.Typer) -> None:
    app.add_typer(leak_app, name="leak")
