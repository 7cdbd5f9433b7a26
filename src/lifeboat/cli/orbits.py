"""Orbital-access commands: ``windows`` and ``reach`` (and ``landings``, ``abort`` below)."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.table import Table

from lifeboat.cli.common import JsonOption, console, emit, print_fields, user_errors
from lifeboat.errors import InputError
from lifeboat.timeutil import iso_z, parse_utc

# --- windows and reach -------------------------------------------------------------------------


def _two_lines(value: datetime) -> str:
    """An ISO 8601 UTC time split after the date, so table columns stay narrow."""
    return iso_z(value).replace("T", "\n")


def _check_max_age(max_age_days: float) -> None:
    if not (max_age_days > 0 and math.isfinite(max_age_days)):
        raise InputError(f"expected a positive, finite number of days, got {max_age_days:g}",
                         param="max_tle_age_days")


def _check_days(days: float) -> None:
    from lifeboat.orbits.windows import check_search_days

    check_search_days(days)


TleFileOption = typer.Option(
    None, "--tle-file",
    help="Elements file: TLE (2/3-line, one or many satellites) or CCSDS OMM JSON/XML/CSV (as CelesTrak serves).",
)
SatelliteOption = typer.Option(None, "--satellite", help="Name or catalog number of the satellite in --tle-file.")


def _time_arg(time: str | None, old: str | None, old_name: str, *, required: bool) -> tuple[datetime | None, str]:
    """The UTC time given as ``--time`` (ISO 8601 or ``now``) or its hidden old name; with the
    option name to quote in errors."""
    if time is not None and old is not None:
        raise InputError(f"give --time only ({old_name} is its old name)", param="time")
    text, name = (time, "--time") if time is not None else (old, old_name)
    if text is None:
        if required:
            raise InputError("missing: give a time, ISO 8601 UTC or 'now'", param="time")
        return None, name
    if text.strip().lower() == "now":
        return datetime.now(UTC), name
    return parse_utc(text, source=name), name


def _station_orbit(station: str | None, tle_file: Path | None, start: datetime | None, max_age_days: float,
                   satellite: str | None = None):
    from lifeboat.orbits.elements import station_or_file_orbit

    return station_or_file_orbit(station, tle_file, satellite=satellite, reference_utc=start,
                                 max_age_days=max_age_days)


def _render_windows(result) -> None:
    title = f"Launch opportunities {result.site} → {result.station}"
    if result.vehicle:
        title += f" ({result.vehicle} on {result.launcher})" if result.launcher else f" ({result.vehicle})"
    if result.unreachable_reason:
        console.print(f"[bold]{title}[/]: [red]unreachable[/] — {result.unreachable_reason}")
        return
    if not result.opportunities:
        console.print(f"[bold]{title}[/]: no launch opportunity in the {result.days:g} days from "
                      f"{iso_z(result.start_utc)}")
    else:
        table = Table(title=title)
        for col in ("launch (UTC)", "dir", "azimuth °", "phase °"):
            table.add_column(col, no_wrap=True)
        table.add_column("schemes: duration, docking (UTC)", overflow="fold")
        for o in result.opportunities:
            schemes = "\n".join(f"{s.name}: {s.duration_h:.2f} h, {iso_z(s.dock_utc)}" for s in o.schemes)
            table.add_row(_two_lines(o.launch_utc), o.direction, f"{o.azimuth_deg:.2f}",
                          f"{o.phase_angle_deg:.1f}", schemes or "none feasible")
        console.print(table)
    for note in result.notes:
        console.print(f"note: {note}")


@user_errors
def windows(
    site: str = typer.Option(..., "--site", help="Launch site id (see `lifeboat catalog`)."),
    station: str = typer.Option(None, "--station", help="Catalog station id."),
    tle_file: Path = TleFileOption,
    satellite: str = SatelliteOption,
    time: str = typer.Option(None, "--time", help="Start of the search, ISO 8601 UTC or 'now'."),
    start: str = typer.Option(None, "--start", hidden=True),
    days: float = typer.Option(3.0, "--days", help="Length of the search in days."),
    vehicle: str = typer.Option(None, "--vehicle", help="Crew vehicle id (default: first flying from the site)."),
    launcher: str = typer.Option(None, "--launcher", help="Launcher id (default: the vehicle's at this site)."),
    max_tle_age_days: float = typer.Option(14.0, "--max-tle-age-days", help="Refuse older elements."),
    as_json: bool = JsonOption,
) -> None:
    """Launch opportunities from a site into a station's plane, with rendezvous schemes."""
    from lifeboat.catalog import load_catalog
    from lifeboat.orbits import lookup
    from lifeboat.orbits.windows import launch_opportunities

    start_utc, _ = _time_arg(time, start, "--start", required=True)
    _check_days(days)
    _check_max_age(max_tle_age_days)
    lookup(load_catalog(), "sites", site, "site")  # name a bad id before any TLE problem
    orbit = _station_orbit(station, tle_file, start_utc, max_tle_age_days, satellite)
    result = launch_opportunities(site, orbit, start_utc, days, vehicle_id=vehicle, launcher_id=launcher)
    emit(result, as_json, _render_windows)


def _render_reach(matrix) -> None:
    console.print(
        f"[bold]Reachability of {matrix.station}[/] (i = {matrix.inclination_deg:.2f}°, "
        f"h = {matrix.altitude_km:.0f} km), {matrix.days:g} days from {iso_z(matrix.start_utc)}"
    )
    reasons: list[str] = []

    def note(reason: str | None) -> str:
        if not reason:
            return ""
        if reason not in reasons:
            reasons.append(reason)
        return f"[{reasons.index(reason) + 1}]"

    sites = Table(title="Sites (plane geometry and range safety)")
    for col in ("site", "lat °", "reachable", "allowed crossings/day", "Δv m/s", "why not"):
        sites.add_column(col)
    for s in matrix.sites:
        dv = f"{s.plane_change_delta_v_m_s:.0f}" if s.plane_change_delta_v_m_s is not None else ""
        sites.add_row(s.site, f"{s.latitude_deg:.2f}", "yes" if s.reachable else "no",
                      f"{s.allowed_crossings_per_day:.2f}", dv, note(s.reason))
    console.print(sites)
    cells = Table(title="Crew vehicles at the sites they fly from")
    for col in ("site", "vehicle", "launcher", "reachable", "opp./day", "with scheme /day", "why not"):
        cells.add_column(col, overflow="fold")
    for c in matrix.cells:
        if c.reason and c.reason.endswith("is not flown from this site"):
            continue
        cells.add_row(c.site, c.vehicle, c.launcher or "", "yes" if c.reachable else "no",
                      f"{c.opportunities_per_day:.2f}", f"{c.opportunities_with_scheme_per_day:.2f}",
                      note(c.reason))
    console.print(cells)
    for k, reason in enumerate(reasons, 1):
        console.print(f"[{k}] {reason}", highlight=False, markup=False)


@user_errors
def reach(
    station: str = typer.Option(None, "--station", help="Catalog station id."),
    tle_file: Path = TleFileOption,
    satellite: str = SatelliteOption,
    inclination: float = typer.Option(None, "--inclination", help="Hypothetical station inclination, deg."),
    altitude: float = typer.Option(None, "--altitude", help="Hypothetical station altitude, km."),
    time: str = typer.Option(None, "--time", help="Start, ISO 8601 UTC or 'now' (default: TLE epoch, else now)."),
    start: str = typer.Option(None, "--start", hidden=True),
    days: float = typer.Option(30.0, "--days", help="Length of the search in days."),
    max_tle_age_days: float = typer.Option(14.0, "--max-tle-age-days", help="Refuse older elements."),
    as_json: bool = JsonOption,
) -> None:
    """Which sites and crew vehicles can reach a station's orbit, how often, and why not."""
    from lifeboat.orbits.reach import reachability
    from lifeboat.orbits.station import StationOrbit

    _check_days(days)
    _check_max_age(max_tle_age_days)
    start_utc, _ = _time_arg(time, start, "--start", required=False)
    hypothetical = inclination is not None or altitude is not None
    if hypothetical:
        if station is not None or tle_file is not None or satellite is not None:
            raise InputError("give `station`, `tle_file`, or `inclination` with `altitude`", param="station")
        if inclination is None or altitude is None:
            raise InputError("a hypothetical station needs both --inclination and --altitude",
                             param="inclination" if inclination is None else "altitude")
        if not 0.0 <= inclination <= 180.0:
            raise InputError(f"must be in [0, 180] degrees, got {inclination:g}", param="inclination")
        if not 150.0 <= altitude <= 2000.0:
            raise InputError(f"must be a low-Earth-orbit altitude, 150-2000 km, got {altitude:g}",
                             param="altitude")
        start_utc = start_utc or datetime.now(UTC)
        orbit = StationOrbit.hypothetical(inclination, altitude, start_utc)
    else:
        # Without --time the search starts at the elements' epoch (no age to check).
        orbit = _station_orbit(station, tle_file, start_utc, max_tle_age_days, satellite)
        start_utc = start_utc or orbit.epoch_utc
    emit(reachability(orbit, start_utc=start_utc, days=days), as_json, _render_reach)


def register(app: typer.Typer) -> None:
    app.command("windows")(windows)
    app.command("reach")(reach)
    _register_landing_commands(app)


# --- landings and abort ------------------------------------------------------------------------


def _register_landing_commands(app: typer.Typer) -> None:
    """Add ``lifeboat landings`` and ``lifeboat abort``."""

    def render_landings(result) -> None:
        table = Table(
            title=f"Landing opportunities: {result.vehicle} from {result.station or 'orbit'} "
            f"(undock from {iso_z(result.earliest_undock_utc)}, {result.days:g} d; times UTC)"
        )
        for column in ("orbit", "undock", "burn", "landing"):
            table.add_column(column, no_wrap=True)
        for column in ("zone", "lat, lon °", "Sun"):
            table.add_column(column, overflow="fold")
        for o in result.opportunities:
            table.add_row(
                str(o.orbit_number), _two_lines(o.undock_utc), _two_lines(o.burn_utc),
                _two_lines(o.landing_utc), o.zone, f"{o.latitude_deg:.2f}, {o.longitude_deg:.2f}",
                f"{o.sun_elevation_deg:.1f}° {'day' if o.daylight else 'night'}",
            )
        if result.opportunities:
            console.print(table)
        else:
            console.print(f"no deorbit opportunity lands in {', '.join(result.zones)} in the "
                          f"{result.days:g} days searched")
        console.print(
            f"deorbit: undock→burn {result.undock_to_burn_s / 60:.1f} min, burn→landing "
            f"{result.burn_to_landing_s / 60:.1f} min, Δv {result.delta_v_m_s:g} m/s; entry model: "
            f"{result.entry_model} (simulated burn→touchdown {result.entry_flight_s / 60:.1f} min)"
        )

    zone_option = typer.Option([], "--zone", help="Restrict to this zone id; repeatable.")

    @app.command("landings")
    @user_errors
    def landings(
        vehicle: str = typer.Option(..., "--vehicle", help="Catalog crew vehicle id (soyuz-ms)."),
        station: str = typer.Option(None, "--station", help="Catalog station id (iss)."),
        tle_file: Path = TleFileOption,
        satellite: str = SatelliteOption,
        time: str = typer.Option(None, "--time", help="Earliest undocking time, ISO 8601 UTC or 'now'."),
        undock: str = typer.Option(None, "--undock", hidden=True),
        days: float = typer.Option(2.0, "--days", help="Undocking period searched (days)."),
        daylight: bool = typer.Option(False, "--daylight", help="Keep daylight landings only."),
        zone: list[str] = zone_option,
        max_tle_age_days: float = typer.Option(
            14.0, "--max-tle-age-days", help="Refuse older elements."
        ),
        as_json: bool = JsonOption,
    ) -> None:
        """Deorbit opportunities landing in the vehicle's recovery zones after an undocking time."""
        from lifeboat.catalog import load_catalog
        from lifeboat.orbits import lookup
        from lifeboat.orbits.landings import landing_opportunities

        lookup(load_catalog(), "vehicles", vehicle, "vehicle")
        start, _ = _time_arg(time, undock, "--undock", required=True)
        _check_max_age(max_tle_age_days)
        orbit = _station_orbit(station, tle_file, start, max_tle_age_days, satellite)
        result = landing_opportunities(
            vehicle, orbit, start, days=days, daylight_only=daylight, zone_ids=zone or None,
            station_id=station or orbit.name,
        )
        emit(result, as_json, render_landings)

    def render_abort(r) -> None:
        s = r.abort_state
        rows = [
            ("state at abort", f"{s.altitude_km:.1f} km, {s.speed_m_s:.0f} m/s, γ {s.flight_path_deg:.1f}°, "
                               f"{s.downrange_km:.0f} km downrange"),
            ("capsule", f"{r.vehicle} ({r.capsule_model}), azimuth {r.azimuth_deg:.1f}°"),
            ("apogee", f"{r.apogee_km:.1f} km at T+{r.apogee_time_s:.0f} s"),
            ("peak deceleration (entry)", f"{r.peak_deceleration_g:.1f} g at T+{r.peak_deceleration_time_s:.0f} s"),
            ("parachute", f"T+{r.chute_deploy_time_s:.0f} s"),
            ("touchdown", f"T+{r.liftoff_to_touchdown_s:.0f} s ({r.liftoff_to_touchdown_s / 60:.1f} min) at "
                          f"{r.landing_latitude_deg:.2f}, {r.landing_longitude_deg:.2f}"),
            ("downrange", f"{r.downrange_km:.0f} km"),
            ("landing terrain", f"{r.landing_elevation_m:.0f} m"),
        ]
        print_fields(f"Ascent abort: {r.launcher} from {r.site}, failure at T+{r.failure_time_s:g} s", rows)

    @app.command("abort")
    @user_errors
    def abort(
        launcher: str = typer.Option(..., "--launcher", help="Catalog launcher id (soyuz-fg)."),
        failure_time: float = typer.Option(..., "--failure-time", help="Failure time after liftoff (s)."),
        site: str = typer.Option(None, "--site", help="Launch site id (default: its crewed pad)."),
        azimuth: float = typer.Option(None, "--azimuth", help="Launch azimuth (deg from north)."),
        vehicle: str = typer.Option(None, "--vehicle", help="Crew vehicle id (default: the launcher's)."),
        landing_elevation: float = typer.Option(
            None, "--landing-elevation", help="Terrain height where the capsule lands (m; default: the launch site's)."),
        as_json: bool = JsonOption,
    ) -> None:
        """Ballistic descent of the capsule after a launcher failure: apogee, g, landing point, time."""
        from lifeboat.orbits.abort import ascent_abort

        if failure_time < 0:
            raise InputError(f"expected a time after liftoff (s), got {failure_time:g}",
                             param="failure_time")
        result = ascent_abort(launcher, failure_time, site_id=site, azimuth_deg=azimuth,
                              vehicle_id=vehicle, landing_elevation_m=landing_elevation)
        emit(result, as_json, render_abort)
