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

PlotOption = typer.Option(None, "--plot", help="Write a pressure-vs-time PNG here.")
TelemetryArgument = typer.Argument(
    ..., help="CSV with utc, pressure_mmhg or pressure_kpa[, module].")


def _parse_docked(values: list[str]) -> list[tuple[str, str, str | None]]:
    out = []
    for text in values:
        name, _, rest = text.partition("=")
        vehicle, _, port = (rest or name).partition("@")
        if not name or not vehicle:
            raise InputError(f"expected NAME=VEHICLE@PORT, got {text!r}", source="--docked")
        out.append((name, vehicle, port or None))
    return out


def _network(station: str | None, configuration: str | None, docked: list[str],
             scenario: str | None = None):
    from lifeboat.cabin.network import add_docked, scenario_network, station_network

    if scenario is not None:
        from lifeboat.model.scenario import load_scenario

        network = scenario_network(load_scenario(scenario))
        return add_docked(network, _parse_docked(docked)) if docked else network
    if station is None:
        raise InputError("give --station ID (or --scenario FILE)", source="--station")
    try:
        return station_network(station, configuration, _parse_docked(docked))
    except InputError as exc:
        if exc.source != "docked":
            raise
        raise InputError(exc.message, source="--docked", where=exc.where) from None


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
    plot: Path = PlotOption,
    as_json: bool = JsonOption,
) -> None:
    """Drop rate, time to the evacuation limit and the crew's reserve time for a hole."""
    if ctx.invoked_subcommand is not None:
        return
    from lifeboat.cabin.leak import analyse_leak, leak_history

    network = _network(station, configuration, docked, scenario)
    if scenario is not None and (hole_mm is None or module is None):
        from lifeboat.model.scenario import load_scenario

        emergency = load_scenario(scenario).emergency
        if emergency is None or emergency.kind != "leak":
            raise InputError("the scenario has no leak emergency; give --hole-mm", source=scenario)
        hole_mm = hole_mm if hole_mm is not None else emergency.hole_mm
        module = module or emergency.module
        cd = cd if cd is not None else emergency.cd
    if hole_mm is None:
        raise InputError("give the hole diameter (--hole-mm D)", source="--hole-mm")
    summary = analyse_leak(network, hole_diameter_mm=hole_mm, cd=0.6 if cd is None else cd,
                           module=module, limit_mmhg=limit_mmhg, isolated=isolated,
                           thermal="adiabatic" if adiabatic else "isothermal")
    if plot is not None:
        from lifeboat.report.cabin_plot import plot_leak

        plot_leak(leak_history(network, summary), summary, plot)
    emit(summary, as_json, _render_summary)
    if plot is not None and not as_json:
        console.print(f"plot written to {plot}")


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
    from lifeboat.cabin.fit import fit_leak, read_telemetry
    from lifeboat.cabin.leak import resolve_module
    from lifeboat.cabin.network import DEFAULT_TEMPERATURE_K

    series = read_telemetry(file, module=module)
    temperature_k = DEFAULT_TEMPERATURE_K
    if volume_m3 is None:
        if station is None:
            raise InputError("give --station ID (or --volume-m3 V) for the leaking volume",
                             source="--station")
        network = _network(station, configuration, docked)
        if series.module is not None:
            where = resolve_module(network, series.module, source=f"{file}: column module")
        else:
            where = network.largest_segment_module()
        segment = network.segment(where)
        volume_m3 = network.volume_m3(segment)
        temperature_k = network.pooled_gas(segment)[2]
    emit(fit_leak(series, volume_m3, cd, temperature_k=temperature_k), as_json, _render_fit)


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
    from lifeboat.cabin.isolate import default_prior, isolate_leak
    from lifeboat.cabin.leak import hole_area_m2, resolve_module

    network = _network(station, configuration, docked, scenario)
    true_module = resolve_module(network, leak_in, source="--leak-in")
    start = network.largest_segment_module()
    if true_module not in network.segment(start):
        start = true_module
    if not 0 < cd <= 1 or not hole_mm > 0:
        raise InputError("expected --hole-mm > 0 and 0 < --cd <= 1", source="--hole-mm/--cd")
    result = isolate_leak(
        network, true_module, cd * hole_area_m2(hole_mm),
        prior=default_prior(network, network.segment(start), prior),
        wake_delay_h=wake_delay_h, limit_mmhg=limit_mmhg, sensor_resolution_mmhg=resolution_mmhg,
        hatch_operation_h=hatch_h, pinpoint_h=pinpoint_h)
    emit(result, as_json, _render_isolation)


def register(app: typer.Typer) -> None:
    app.add_typer(leak_app, name="leak")
