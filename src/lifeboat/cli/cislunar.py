"""``lifeboat nrho`` (a CR3BP halo/NRHO member) and ``lifeboat gateway-access``."""

from __future__ import annotations

from pathlib import Path

import typer

from lifeboat.cli.common import JsonOption, console, emit, err_console, print_fields, user_errors
from lifeboat.errors import InputError
from lifeboat.timeutil import iso_z

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
    rows = [("reachable", "yes" if a.reachable else "NO")]
    rows += [("reason", r) for r in a.reasons]
    if a.reachable:
        rows += [
            ("launch", _when(a.launch_utc)),
            ("arrival at Gateway", f"{_when(a.arrival_utc)} (outbound {a.outbound_days:.2f} d, "
                                   f"insertion Δv {a.outbound_dv_km_s:.3f} km/s)"),
            ("Gateway phase at arrival", f"{a.gateway_phase_at_arrival:.3f} of the "
                                         f"{a.nrho_period_days:.3f} d period "
                                         f"({a.gateway_days_since_perilune_at_arrival:.2f} d after perilune)"),
            ("departure from Gateway", _when(a.return_departure_utc)),
            ("return to Earth", f"{_when(a.return_utc)} (return {a.return_days:.1f} d, "
                                f"departure Δv {a.return_dv_km_s:.3f} km/s)"),
            ("mission length", f"{a.mission_days:.1f} d"),
            ("return if docked at Gateway", _when(a.docked_return_utc)),
            ("surface crew: meets Gateway", _when(a.surface_rendezvous_utc)),
            ("surface crew: back on Earth", _when(a.surface_return_utc)),
        ]
    print_fields(f"Gateway access: {a.vehicle} after a decision at {iso_z(a.decision_utc)}", rows)


def _render_all(results) -> None:
    console.print("[bold]Who can reach the Gateway's NRHO[/]")
    for a in results:
        if a.reachable:
            console.print(f"[green]{a.vehicle}[/]: yes – arrives {_when(a.arrival_utc)}, crew home "
                          f"{_when(a.return_utc)}; {a.reasons[0]}")
        else:
            console.print(f"[red]{a.vehicle}[/]: no – " + "; ".join(a.reasons))


def register(app: typer.Typer) -> None:
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
        decision: str = typer.Option(..., "--decision", help="Decision time, ISO 8601 UTC."),
        readiness_days: float = typer.Option(
            None, "--readiness-days", help="Launch readiness delay after the decision (days)."),
        perilune_epoch: str = typer.Option(
            None, "--perilune-epoch",
            help="A Gateway perilune passage, ISO 8601 UTC (phase convention)."),
        as_json: bool = JsonOption,
    ) -> None:
        """Earliest arrival at the Gateway (9:2 NRHO) and earliest returns to Earth."""
        from lifeboat.cislunar import gateway as gw

        if readiness_days is not None and readiness_days < 0.0:
            raise InputError(f"expected a delay of 0 days or more, got {readiness_days}",
                             source="--readiness-days")
        options = dict(transfer=gw.with_readiness(None, readiness_days),
                       reference_perilune_utc=perilune_epoch or gw.DEFAULT_REFERENCE_PERILUNE_UTC)
        if vehicle == "all":
            emit(gw.gateway_access_all(decision, **options), as_json, _render_all)
        else:
            emit(gw.gateway_access(vehicle, decision, **options), as_json, _render_access)
