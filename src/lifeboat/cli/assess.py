"""``lifeboat assess [SCENARIO] [--out PATH] [--json]``: the whole answer for one scenario.

The readable run writes the HTML report (default ``reports/<scenario-id>.html``) and says where;
``--json`` prints the assessment and writes a report only when ``--out`` is given. ``--report`` is
a hidden alias of ``--out``."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from lifeboat.cli.common import JsonOption, console, emit, user_errors
from lifeboat.errors import InputError
from lifeboat.timeutil import iso_z


def _fmt_h(hours: float | None) -> str:
    return "–" if hours is None else f"{hours:.1f} h ({hours / 24:.1f} d)"


def render(result: dict) -> None:
    """Print the readable summary of an assessment."""
    a = result["assessment"]
    s = a.situation
    console.rule(f"[bold]{a.title}")
    console.print(f"{s.station_name} at {iso_z(s.epoch_utc)}: {len(s.crew)} crew, "
                  f"{s.seats_total} lifeboat seats (margin {s.seat_margin})")
    for d in s.docked:
        life = "" if d.docked_life_left_days is None else f", {d.docked_life_left_days:.0f} d docked life left"
        console.print(f"  docked {d.id} ({d.vehicle_name}, {d.health}): "
                      f"{', '.join(d.crew) or 'no crew'}{life}")
    for f in s.fleet:
        state = "crew-certified" if f.crew_certified else "not crew-certified"
        ready = f", ready {iso_z(f.next_ready_utc)}" if f.next_ready_utc else ""
        console.print(f"  fleet {f.provider}: {f.vehicle_name} ({state}{ready})")
    e = a.emergency
    if e is not None:
        console.print(f"\n[bold]Emergency[/]: {e.kind}{' (what-if)' if e.what_if else ''} at "
                      f"{iso_z(e.onset_utc)}. {e.description}")
        if e.leak is not None:
            L = e.leak
            console.print(f"  leak in {L.module}: {L.initial_rate_mmhg_per_h:.2f} mmHg/h; reserve time "
                          f"to {L.limit_mmhg:g} mmHg {_fmt_h(L.reserve_time_linear_h)} linear, "
                          f"{_fmt_h(L.time_to_limit_h)} physical; evacuate now: "
                          f"{'yes' if L.evacuate_now else 'no'}")
    for row in a.launch_opportunities:
        first = row.opportunities[0] if row.opportunities else None
        if first is None:
            console.print(f"  launch {row.provider} from {row.site}: none "
                          f"({row.unreachable_reason or 'no opportunity in the search window'})")
        else:
            schemes = ", ".join(f"{x.name} docks {iso_z(x.dock_utc)}" for x in first.schemes) or "no scheme"
            console.print(f"  next launch {row.provider} from {row.site}: "
                          f"{iso_z(first.launch_utc)} ({schemes})")
    for row in a.landing_opportunities:
        if row.opportunities:
            o = row.opportunities[0]
            console.print(f"  next landing {row.docked}: {iso_z(o.landing_utc)} in {o.zone} "
                          f"({'day' if o.daylight else 'night'})")
    if a.reachability is not None:
        reach = [c for c in a.reachability.cells if c.reachable]
        console.print(f"  reachable from {len({c.site for c in reach})} sites by "
                      f"{len({c.vehicle for c in reach})} crew vehicles: "
                      + ", ".join(sorted({f'{c.vehicle}@{c.site}' for c in reach})))
    for c in a.cislunar_access:
        verdict = "reach and return" if c.reachable else "return its crew" if c.can_return_crew else "no"
        when = f", arrives {iso_z(c.arrival_utc)}" if c.arrival_utc else ""
        why = f": {'; '.join(c.reasons)}" if c.reasons else ""
        console.print(f"  lunar {c.vehicle} ({c.role}): {verdict}{when}{why}")
    plan = a.rescue
    if plan is not None:
        console.print(f"\n[bold]Rescue options[/] (time available {_fmt_h(plan.time_available_h)})")
        table = Table(show_lines=False)
        for col in ("#", "option", "feasible", "crew safe (UTC)", "h without lifeboat", "depends on"):
            table.add_column(col, no_wrap=col == "crew safe (UTC)")
        for i, o in enumerate(plan.options, start=1):
            ok = ("yes" if o.within_time else "too late") if o.feasible else "no"
            safe = iso_z(o.crew_safe_utc)[:16].replace("T", " ") if o.crew_safe_utc else "–"
            table.add_row(str(i), o.name, ok, safe,
                          "–" if o.hours_without_lifeboat is None else f"{o.hours_without_lifeboat:.1f}",
                          ", ".join(o.depends_on) or "–")
        console.print(table)
        for p in plan.partners:
            state = "can serve" if p.feasible else "; ".join(p.reasons)
            console.print(f"  partner {p.provider} {p.vehicle_name}: {state}")
        if plan.recommendation:
            console.print(f"[bold green]Recommended: {plan.recommendation}[/]")
        for r in plan.reasons:
            console.print(f"  - {r}")
        best = plan.options[0]
        if best.crew_returning:
            console.print(f"  returning: {', '.join(best.crew_returning)} (lands in {best.landing_zone})")
        if best.crew_staying:
            console.print(f"  staying: {', '.join(best.crew_staying)}")
    if a.risk:
        table = Table(title=f"Risk comparison ({a.risk_settings.trials} trials, seed {a.risk_settings.seed}, "
                            f"paired against {a.risk_baseline})")
        for col in ("architecture", "crew", "LOC/person", "Δ ± 95 %", "decrewed", "Δ"):
            table.add_column(col, no_wrap=True, min_width=18 if col == "architecture" else None)
        for r in a.risk:
            m, d = r.metrics, a.risk_differences.get(r.architecture, {})
            lpm, dd = d.get("loc_per_person_mission", {}), d.get("decrewed_days", {})
            table.add_row(
                r.architecture, str(r.crew_size), f"{m['loc_per_person_mission']['mean']:.2e}",
                f"{lpm['mean']:+.1e}±{1.96 * lpm['mc_se']:.0e}" if lpm else "baseline",
                f"{m['decrewed_days']['mean']:.1f}",
                f"{dd['mean']:+.1f}" if dd else "–")
        console.print(table)
        for arch, d in a.risk_differences.items():
            chance = d["loc_per_person_mission"].get("p_improvement")
            if chance is not None:
                console.print(f"  P({arch} safer per person flown than {a.risk_baseline}) = {chance:.2f}")
    console.print(f"\n{len(a.sources)} sources cited. Report written to [bold]{result['report_path']}[/]")


OutOption = typer.Option(
    None, "--out", help="Where to write the HTML report (default reports/<scenario-id>.html; "
    "with --json, a report is written only when --out is given).")
ReportAlias = typer.Option(None, "--report", hidden=True, help="Old name of --out.")
TrialsOption = typer.Option(200_000, "--trials", min=1, help="Risk Monte Carlo trials per architecture.")
SeedOption = typer.Option(2018, "--seed", min=0, help="Risk Monte Carlo seed.")


def register(app: typer.Typer) -> None:
    @app.command("assess")
    @user_errors
    def assess_command(
        scenario: str = typer.Argument("iss-2018-12", help="A built-in scenario id or a scenario TOML file."),
        out: Path | None = OutOption,
        report: Path | None = ReportAlias,
        trials: int = TrialsOption,
        seed: int = SeedOption,
        as_json: bool = JsonOption,
    ) -> None:
        """Assess a scenario: situation, emergency, opportunities, rescue plan, risk; write the report."""
        from lifeboat.report.html import write_assessment_report
        from lifeboat.rescue.assess import assess

        if out is not None and report is not None and out != report:
            raise InputError("give --out once (--report is its old name)", source="--out")
        out = out if out is not None else report
        if out is not None:
            _check_report_path(out)
        result = assess(scenario, risk_trials=trials, risk_seed=seed)
        written = None
        if out is not None or not as_json:
            path = out if out is not None else Path("reports") / f"{result.scenario_id}.html"
            try:
                written = write_assessment_report(result, path)
            except OSError as exc:
                raise InputError(f"cannot write the report to {path}: {exc.strerror or exc}",
                                 source="--out") from exc
        if as_json:
            emit({"report_path": None if written is None else str(written), **_fields(result)},
                 True, render)
        else:
            render({"assessment": result, "report_path": str(written)})


def _check_report_path(report: Path) -> None:
    """Refuse, before the analysis runs, a report path that can never be written."""
    if report.is_dir():
        raise InputError(f"{report} is a directory; expected the path of the HTML file to write",
                         source="--out")
    existing = next((p for p in report.parents if p.exists()), None)
    if existing is not None and not existing.is_dir():
        raise InputError(f"cannot write the report to {report}: {existing} is not a directory",
                         source="--out")


def _fields(result) -> dict:
    import dataclasses

    return {f.name: getattr(result, f.name) for f in dataclasses.fields(result)}
