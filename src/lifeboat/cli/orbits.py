"""Orbital-access commands: ``windows`` and ``reach`` (and ``landings``, ``abort`` below)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.table import Table

from lifeboat.cli.common import JsonOption, console, emit, user_errors
from lifeboat.errors import InputError
from lifeboat.timeutil import iso_z, parse_utc

# --- windows and reach -------------------------------------------------------------------------

TleFileOption = typer.Option(None, "--tle-file", help="File with a two- or three-line TLE.")


def read_tle_file(path: Path, *, reference_utc: datetime | None, max_age_days: float):
    """A station orbit from a file with a two-line (or three-line, name first) element set."""
    from lifeboat.orbits.station import StationOrbit

    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot read the TLE file ({exc.strerror or exc})", source=source) from None
    lines = [line.rstrip() for line in text.splitlines() if line.strip()]
    if len(lines) == 3:
        name, line1, line2 = lines[0].removeprefix("0 ").strip(), lines[1], lines[2]
    elif len(lines) == 2:
        name, line1, line2 = path.stem, lines[0], lines[1]
    else:
        raise InputError(
            f"expected 2 TLE lines (optionally after a name line), found {len(lines)} non-empty lines",
            source=source,
        )
    try:
        return StationOrbit.from_tle(
            line1, line2, name=name, reference_utc=reference_utc, max_age_days=max_age_days
        )
    except InputError as exc:
        raise InputError(exc.message, source=source, where=exc.where) from None


def _station_orbit(station: str | None, tle_file: Path | None, start: datetime | None, max_age_days: float):
    from lifeboat.orbits.station import StationOrbit

    if (station is None) == (tle_file is None):
        raise InputError("give exactly one of --station ID and --tle-file PATH", source="--station")
    if tle_file is not None:
        return read_tle_file(tle_file, reference_utc=start, max_age_days=max_age_days)
    return StationOrbit.from_catalog(station, reference_utc=start, max_age_days=max_age_days)


def _render_windows(result) -> None:
    title = f"Launch opportunities {result.site} → {result.station}"
    if result.vehicle:
        title += f" ({result.vehicle} on {result.launcher})"
    if result.unreachable_reason:
        console.print(f"[bold]{title}[/]: [red]unreachable[/] — {result.unreachable_reason}")
        return
    table = Table(title=title)
    for col in ("launch (UTC)", "dir", "azimuth °", "phase °", "schemes (dock UTC, h)"):
        table.add_column(col)
    for o in result.opportunities:
        schemes = "; ".join(f"{s.name}: {iso_z(s.dock_utc)} ({s.duration_h:.2f} h)" for s in o.schemes)
        table.add_row(iso_z(o.launch_utc), o.direction, f"{o.azimuth_deg:.2f}", f"{o.phase_angle_deg:.1f}",
                      schemes or "—")
    console.print(table)
    for note in result.notes:
        console.print(f"note: {note}")


@user_errors
def windows(
    site: str = typer.Option(..., "--site", help="Launch site id (see `lifeboat catalog`)."),
    station: str = typer.Option(None, "--station", help="Catalog station id."),
    tle_file: Path = TleFileOption,
    start: str = typer.Option(..., "--start", help="Start of the search, ISO 8601 UTC."),
    days: float = typer.Option(3.0, "--days", help="Length of the search in days."),
    vehicle: str = typer.Option(None, "--vehicle", help="Crew vehicle id (default: first flying from the site)."),
    launcher: str = typer.Option(None, "--launcher", help="Launcher id (default: the vehicle's at this site)."),
    max_tle_age_days: float = typer.Option(14.0, "--max-tle-age-days", help="Refuse older elements."),
    as_json: bool = JsonOption,
) -> None:
    """Launch opportunities from a site into a station's plane, with rendezvous schemes."""
    from lifeboat.orbits.windows import launch_opportunities

    start_utc = parse_utc(start, source="--start")
    if not days > 0:
        raise InputError(f"must be positive, got {days:g}", source="--days")
    orbit = _station_orbit(station, tle_file, start_utc, max_tle_age_days)
    result = launch_opportunities(site, orbit, start_utc, days, vehicle_id=vehicle, launcher_id=launcher)
    emit(result, as_json, _render_windows)


def _render_reach(matrix) -> None:
    console.print(
        f"[bold]Reachability of {matrix.station}[/] (i = {matrix.inclination_deg:.2f}°, "
        f"h = {matrix.altitude_km:.0f} km), {matrix.days:g} days from {iso_z(matrix.start_utc)}"
    )
    sites = Table(title="Sites")
    for col in ("site", "lat °", "reachable", "allowed crossings/day", "Δv m/s", "why not"):
        sites.add_column(col)
    for s in matrix.sites:
        dv = f"{s.plane_change_delta_v_m_s:.0f}" if s.plane_change_delta_v_m_s is not None else ""
        sites.add_row(s.site, f"{s.latitude_deg:.2f}", "yes" if s.reachable else "no",
                      f"{s.allowed_crossings_per_day:.2f}", dv, s.reason or "")
    console.print(sites)
    cells = Table(title="Crew vehicles (cells where the vehicle flies from the site)")
    for col in ("site", "vehicle", "launcher", "reachable", "opp./day", "with scheme/day", "why not"):
        cells.add_column(col)
    for c in matrix.cells:
        if c.reason and c.reason.endswith("is not flown from this site"):
            continue
        cells.add_row(c.site, c.vehicle, c.launcher or "", "yes" if c.reachable else "no",
                      f"{c.opportunities_per_day:.2f}", f"{c.opportunities_with_scheme_per_day:.2f}",
                      c.reason or "")
    console.print(cells)


@user_errors
def reach(
    station: str = typer.Option(None, "--station", help="Catalog station id."),
    tle_file: Path = TleFileOption,
    inclination: float = typer.Option(None, "--inclination", help="Hypothetical station inclination, deg."),
    altitude: float = typer.Option(None, "--altitude", help="Hypothetical station altitude, km."),
    start: str = typer.Option(None, "--start", help="Start, ISO 8601 UTC (default: TLE epoch, else now)."),
    days: float = typer.Option(30.0, "--days", help="Length of the search in days."),
    max_tle_age_days: float = typer.Option(14.0, "--max-tle-age-days", help="Refuse older elements."),
    as_json: bool = JsonOption,
) -> None:
    """Which sites and crew vehicles can reach a station's orbit, how often, and why not."""
    from lifeboat.orbits.reach import reachability
    from lifeboat.orbits.station import StationOrbit

    if not days > 0:
        raise InputError(f"must be positive, got {days:g}", source="--days")
    start_utc = parse_utc(start, source="--start") if start else None
    hypothetical = inclination is not None or altitude is not None
    if hypothetical:
        if station is not None or tle_file is not None:
            raise InputError("give --station, --tle-file, or --inclination with --altitude", source="--station")
        if inclination is None or altitude is None:
            raise InputError("a hypothetical station needs both --inclination and --altitude",
                             source="--inclination" if inclination is None else "--altitude")
        if not 0.0 <= inclination <= 180.0:
            raise InputError(f"must be in [0, 180] degrees, got {inclination:g}", source="--inclination")
        if not 150.0 <= altitude <= 2000.0:
            raise InputError(f"must be a low-Earth-orbit altitude, 150-2000 km, got {altitude:g}",
                             source="--altitude")
        start_utc = start_utc or datetime.now(UTC)
        orbit = StationOrbit.hypothetical(inclination, altitude, start_utc)
    else:
        # Without --start the search starts at the elements' epoch (no age to check).
        orbit = _station_orbit(station, tle_file, start_utc, max_tle_age_days)
        start_utc = start_utc or orbit.epoch_utc
    emit(reachability(orbit, start_utc=start_utc, days=days), as_json, _render_reach)


def register(app: typer.Typer) -> None:
    app.command("windows")(windows)
    app.command("reach")(reach)
    # Landings and ascent-abort commands are registered in the section below.


# --- landings and abort ------------------------------------------------------------------------
