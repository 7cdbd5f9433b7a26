"""``lifeboat nrho`` (a CR3BP halo/NRHO member), ``lifeboat gateway-access`` and ``lifeboat lunar``
(``return``: from the station's orbit to the entry interface; ``transfer``: launch site → station;
``abort``: a surface crew's ways off the Moon)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import typer

from lifeboat.cli.common import JsonOption, console, emit, err_console, print_fields, user_errors
from lifeboat.errors import InputError
from lifeboat.timeutil import iso_z, parse_utc

PlotOption = typer.Option(None, "--plot", help="Write a PNG of the orbit here.")


def _render_orbit(o) -> None:
    rows = [
        ("period", f"{o.period_days:.4f} d ({o.period_tu:.6f} TU)"),
        ("perilune radius", f"{o.perilune_radius_km:,.0f} km (altitude {o.perilune_altitude_km:,.0f} km)"),
        ("apolune radius", f"{o.apolune_radius_km:,.0f} km"),
        ("Jacobi constant", f"{o.jacobi:.6f}"),
        ("stability index", f"{o.stability_index:.4f} (nontrivial ½(λ+1/λ): "
                            f"{o.stability_indices[0]:.4f}, {o.stability_indices[1]:.4f})"),
        ("state0 (nondim)", ", ".join(f"{v:.10f}" for v in o.state0)),
        ("closure after one period", f"{o.closure_km:.2e} km"),
    ]
    rows += [("note", note) for note in o.notes]
    print_fields(f"{o.family} periodic orbit (Earth–Moon CR3BP)", rows)


def _when(value) -> str:
    return "–" if value is None else iso_z(value)


def _render_access(a) -> None:
    rows = [("reachable", "yes" if a.reachable else "NO"),
            ("can return a crew if docked", "yes" if a.can_return_crew else "no"),
            ("planned to serve (policy)", "yes" if a.planned_to_serve else "no")]
    rows += [("reason", r) for r in a.reasons]
    if a.reachable:
        rows += [
            ("launch", f"{_when(a.launch_utc)} from {a.launch_site}"),
            ("arrival at Gateway", f"{_when(a.arrival_utc)} (outbound {a.outbound_days:.2f} d, "
                                   f"insertion Δv {a.insertion_dv_km_s:.3f} km/s)"),
            ("departure from Gateway", _when(a.return_departure_utc)),
            ("return to Earth", "–" if a.return_utc is None else
             f"{_when(a.return_utc)} (flight {a.return_days:.2f} d, "
             f"departure Δv {a.return_dv_km_s:.3f} km/s)"),
            ("mission length", "–" if a.mission_days is None else f"{a.mission_days:.1f} d"),
        ]
    if a.can_return_crew:
        rows += [("docked: departure", _when(a.docked_departure_utc)),
                 ("docked: entry interface", _when(a.docked_return_utc))]
    rows += [("note", n) for n in a.notes]
    print_fields(f"Gateway access: {a.vehicle} after a decision at {iso_z(a.decision_utc)}", rows)


def _render_all(results) -> None:
    console.print("[bold]Who can reach the Gateway's NRHO[/]")
    for a in results:
        policy = "planned" if a.planned_to_serve else "not planned"
        if a.reachable:
            console.print(f"[green]{a.vehicle}[/]: yes ({policy}) – arrives {_when(a.arrival_utc)}, "
                          f"docked crew home {_when(a.docked_return_utc)}; {a.reasons[0]}")
        else:
            console.print(f"[red]{a.vehicle}[/]: no ({policy}) – " + "; ".join(a.reasons))


def register(app: typer.Typer) -> None:
    register_lunar(app)

    @app.command("nrho")
    @user_errors
    def nrho(
        family: str = typer.Option("l2-south", "--family",
                                   help="Halo family: l1-north, l1-south, l2-north, l2-south."),
        period_days: float = typer.Option(None, "--period-days", help="Orbit period (days)."),
        resonance: str = typer.Option(None, "--resonance",
                                      help="Synodic resonance N:M (e.g. 9:2, the Gateway's)."),
        perilune_km: float = typer.Option(None, "--perilune-km",
                                          help="Perilune radius from the Moon's centre (km)."),
        plot: Path = PlotOption,
        as_json: bool = JsonOption,
    ) -> None:
        """A halo / near-rectilinear halo orbit of the Earth–Moon CR3BP (default: 9:2 L2 south)."""
        from lifeboat.cislunar.halo import solve_nrho

        if period_days is not None and not period_days > 0.0:
            raise InputError(f"expected a positive period in days, got {period_days}",
                             source="--period-days")
        if perilune_km is not None and not perilune_km > 0.0:
            raise InputError(f"expected a positive radius in km, got {perilune_km}",
                             source="--perilune-km")
        orbit = solve_nrho(family, period_days=period_days, resonance=resonance,
                           perilune_radius_km=perilune_km)
        if plot is not None:
            from lifeboat.report.cislunar_plot import plot_orbit

            try:
                written = plot_orbit(orbit, plot)
            except OSError as exc:
                raise InputError(f"cannot write the plot ({exc.strerror or exc})",
                                 source="--plot") from None
            err_console.print(f"plot written to {written}", highlight=False)
        emit(orbit, as_json, _render_orbit)

    @app.command("gateway-access")
    @user_errors
    def gateway_access_cmd(
        vehicle: str = typer.Option(
            ..., "--vehicle", help="Catalog crew-vehicle id, or 'all' for every vehicle."),
        time: str = typer.Option(None, "--time", help="Decision time, ISO 8601 UTC or 'now'."),
        decision: str = typer.Option(None, "--decision", hidden=True),
        readiness_days: float = typer.Option(
            None, "--readiness-days", help="Launch readiness delay after the decision (days)."),
        perilune_epoch: str = typer.Option(
            None, "--perilune-epoch",
            help="A Gateway perilune passage, ISO 8601 UTC (phase convention)."),
        as_json: bool = JsonOption,
    ) -> None:
        """Earliest computed arrival at the Gateway (9:2 NRHO) and returns to Earth."""
        from lifeboat.cislunar import gateway as gw

        when = time or decision
        if when is None:
            raise InputError("give the decision time", source="--time")
        if when.strip().lower() == "now":
            when = iso_z(datetime.now(UTC))
        src = "--time" if time is not None else "--decision"
        try:
            when = iso_z(parse_utc(when))
        except InputError as exc:
            raise InputError(exc.message, source=src) from None
        if readiness_days is not None and not (0.0 <= readiness_days <= 3650.0):
            raise InputError(f"expected a delay from 0 to 3650 days, got {readiness_days}",
                             param="readiness_days")
        options = dict(readiness_days=readiness_days or 0.0,
                       reference_perilune_utc=perilune_epoch or gw.DEFAULT_REFERENCE_PERILUNE_UTC)
        if vehicle == "all":
            emit(gw.gateway_access_all(when, **options), as_json, _render_all)
        else:
            emit(gw.gateway_access(vehicle, when, **options), as_json, _render_access)


def _render_return(r) -> None:
    rows = [
        ("orbit", f"{r.orbit}, period {r.orbit_period_days:.3f} d"),
        ("departure", f"{_when(r.departure_utc)} at phase {r.phase_deg:.1f}° (0 perilune, 180 apolune)"),
        ("departure Δv", f"{r.departure_dv_km_s:.3f} km/s"),
        ("time of flight", f"{r.time_of_flight_days:.2f} d"),
        ("entry interface", f"{_when(r.entry_utc)} at {r.entry_speed_km_s:.2f} km/s, "
                            f"γ {r.entry_fpa_deg:.2f}°"),
        ("landing", "–" if r.landing_lat_deg is None else
         f"{r.landing_lat_deg:.2f}°, {r.landing_lon_deg:.2f}° ({r.landing_model})"),
    ]
    e = r.ephemeris
    if e is not None:
        rows.append(("ephemeris check (DE421)",
                     f"Δv {e.departure_dv_km_s:.3f} km/s ({e.dv_difference_km_s:+.3f}), flight "
                     f"{e.time_of_flight_days:.2f} d ({e.time_of_flight_difference_days:+.2f})"))
    f = r.flyby
    if f is not None:
        rows.append(("powered lunar flyby", f"{f.departure_dv_km_s:.3f} + {f.flyby_dv_km_s:.3f} = "
                     f"{f.total_dv_km_s:.3f} km/s, flyby {_when(f.flyby_utc)} at "
                     f"{f.flyby_altitude_km:,.0f} km, entry {_when(f.entry_utc)} "
                     f"({f.time_of_flight_days:.2f} d)"))
    cheapest = min(r.trade, key=lambda t: t.departure_dv_km_s)
    rows.append(("cheapest in the next period",
                 f"{cheapest.departure_dv_km_s:.3f} km/s after waiting {cheapest.wait_days:.2f} d "
                 f"(entry {_when(cheapest.entry_utc)})"))
    rows += [("note", n) for n in r.notes]
    print_fields(f"Return to Earth from {r.station}", rows)


def _render_transfer(t) -> None:
    rows = [("orbit", t.orbit)]
    if t.launch_utc is not None:
        rows += [
            ("launch", f"{_when(t.launch_utc)} from {t.site}"),
            ("trans-lunar injection", f"{t.tli_dv_km_s:.3f} km/s"),
            ("arrival", f"{_when(t.arrival_utc)} (insertion Δv {t.insertion_dv_km_s:.3f} km/s, "
                        f"{t.time_of_flight_days:.2f} d after launch)"),
        ]
        if t.flyby_utc is not None:
            rows.append(("powered lunar flyby", _when(t.flyby_utc)))
    rows.append(("can reach and return", "yes" if t.capability.can_reach_and_return else "NO"))
    rows += [("reason", x) for x in t.capability.reasons]
    rows += [("opportunity", f"launch {_when(o.launch_utc)}, arrive {_when(o.arrival_utc)}, "
                             f"insertion {o.insertion_dv_km_s:.3f} km/s"
                             + ("" if o.flyby_utc is None else
                                f" (powered flyby {_when(o.flyby_utc)})"))
             for o in t.opportunities[:10]]
    rows += [("note", n) for n in t.notes]
    print_fields(f"{t.vehicle} to {t.station}", rows)


def register_lunar(app: typer.Typer) -> None:
    lunar = typer.Typer(help="Lunar stations: returns to Earth, transfers from Earth, surface "
                        "aborts.",
                        no_args_is_help=True)
    app.add_typer(lunar, name="lunar")
    register_abort(lunar)

    @lunar.command("return")
    @user_errors
    def lunar_return_cmd(
        station: str = typer.Option("gateway", "--station", help="Catalog station id."),
        phase_deg: float = typer.Option(
            None, "--phase-deg", help="Depart at this phase (0 perilune, 180 apolune)."),
        time: str = typer.Option(None, "--time", help="Departure (or scan start) time, ISO 8601."),
        depart: str = typer.Option(None, "--depart", hidden=True),
        best: bool = typer.Option(False, "--best", help="Cheapest departure in the next period."),
        perilune_epoch: str = typer.Option(
            None, "--perilune-epoch", help="A perilune passage of the station, ISO 8601 UTC."),
        vehicle: str = typer.Option("orion", "--vehicle", help="Capsule for the landing point."),
        flyby: bool = typer.Option(False, "--flyby",
                                   help="Also the powered-lunar-flyby return (slower)."),
        as_json: bool = JsonOption,
    ) -> None:
        """Return to the entry interface from any point of the station's lunar orbit."""
        from lifeboat.cislunar.service import lunar_return

        emit(lunar_return(station, phase_deg=phase_deg, time=time or depart, best=best,
                          perilune_epoch=perilune_epoch, vehicle_id=vehicle, flyby=flyby),
             as_json, _render_return)

    @lunar.command("transfer")
    @user_errors
    def lunar_transfer_cmd(
        station: str = typer.Option("gateway", "--station", help="Catalog station id."),
        site: str = typer.Option(..., "--site", help="Catalog launch site id."),
        vehicle: str = typer.Option(..., "--vehicle", help="Catalog crew vehicle id."),
        time: str = typer.Option(None, "--time", help="Earliest launch, ISO 8601 UTC."),
        date: str = typer.Option(None, "--date", hidden=True),
        perilune_epoch: str = typer.Option(
            None, "--perilune-epoch", help="A perilune passage of the station, ISO 8601 UTC."),
        as_json: bool = JsonOption,
    ) -> None:
        """Direct transfer from a launch site to the station's orbit at its phase."""
        from lifeboat.cislunar.service import lunar_transfer

        when = time or date
        if when is None:
            raise InputError("give the earliest launch time", source="--time")
        emit(lunar_transfer(station, site, vehicle, when, perilune_epoch=perilune_epoch),
             as_json, _render_transfer)


def _render_abort(r) -> None:
    rows = [("station orbit", r.orbit), ("crew", str(r.crew)),
            ("crew's time on the surface ends", _when(r.deadline_utc)),
            ("ascent", f"{r.ascent.dv_km_s:.3f} km/s, {r.ascent.burn_s / 60.0:.1f} min to LLO "
                       "insertion")]
    rows += [("window", f"liftoff {_when(w.liftoff_utc)}, arrive {_when(w.arrival_utc)}, "
                        f"Δv {w.total_dv_km_s:.3f} km/s (plane offset {w.plane_offset_deg:.2f}°)"
                        + ("" if w.fits else " – exceeds the lander's Δv"))
             for w in r.windows[:6]]
    for b in r.branches:
        rows.append((b.branch, ("YES" if b.feasible else "no") + (
            "" if b.dv_needed_km_s is None else
            f" – Δv {b.dv_needed_km_s:.3f} of {b.dv_available_km_s:.3f} km/s")))
        rows += [(f"  {k}", _when(v)) for k, v in b.timeline.items()]
        rows += [("  reason", x) for x in b.reasons]
    rows.append(("recommended", r.recommended or "none: no branch brings the crew to safety"))
    rows += [("note", n) for n in r.notes]
    print_fields(f"Surface abort from {r.site} with {r.lander} to {r.station}", rows)


def register_abort(lunar: typer.Typer) -> None:
    @lunar.command("abort")
    @user_errors
    def lunar_abort_cmd(
        site: str = typer.Option(None, "--site", help="Catalog lunar surface site id."),
        lander: str = typer.Option(None, "--lander", help="Catalog lander id."),
        station: str = typer.Option("gateway", "--station", help="Catalog station id."),
        time: str = typer.Option(None, "--time", help="When the abort is decided, ISO 8601 or "
                                 "now (default with --scenario: its onset)."),
        perilune_epoch: str = typer.Option(
            None, "--perilune-epoch", help="A perilune passage of the station, ISO 8601 UTC."),
        habitat_reserve_h: float = typer.Option(
            None, "--habitat-reserve-h", help="Hours the surface habitat keeps the crew."),
        scenario: str = typer.Option(
            None, "--scenario", help="A scenario (id or TOML file) with a [surface] block."),
        as_json: bool = JsonOption,
    ) -> None:
        """Surface abort tree: to the station, to low lunar orbit and wait, or home."""
        from lifeboat.cislunar.surface import lunar_abort

        emit(lunar_abort(site=site, lander=lander, station=station, time=time,
                         perilune_epoch=perilune_epoch, habitat_reserve_h=habitat_reserve_h,
                         scenario=scenario), as_json, _render_abort)
