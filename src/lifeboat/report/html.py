"""The self-contained HTML report of an assessment (no network needed to view it).

plotly.js is read from the installed ``plotly`` package and inlined once; the figures are plotly
JSON specs from :mod:`lifeboat.report.plots`; the map uses the coastline shipped in
``report/assets``. The report opens with an executive summary and the run's metadata, and has a
print stylesheet (no plot toolbars, no split tables) for a clean PDF.
"""

from __future__ import annotations

import hashlib
import json
import math
from datetime import UTC, datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path

from lifeboat import __version__
from lifeboat.fileio import write_atomic
from lifeboat.jsonable import to_jsonable
from lifeboat.report import plots
from lifeboat.timeutil import iso_z

ORBIT_SAMPLES = 600


@cache
def plotly_js() -> str:
    """The minified plotly.js bundled with the installed plotly package."""
    return resources.files("plotly").joinpath("package_data", "plotly.min.js").read_text("utf-8")


@cache
def catalog_digest() -> str:
    """SHA-256 (first 16 hex digits) of the shipped catalog files: the catalog's version."""
    folder = resources.files("lifeboat.catalog").joinpath("data")
    digest = hashlib.sha256()
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if entry.name.endswith((".toml", ".json")):
            digest.update(entry.name.encode() + b"\0" + entry.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _script_json(value) -> str:
    """JSON safe to inline in a <script> element."""
    return json.dumps(to_jsonable(value), separators=(",", ":")).replace("</", "<\\/")


def _value(metric):
    """A metric's central value, whether a number or ``{mean, mc_se, p05, p50, p95}``."""
    return metric.get("mean") if isinstance(metric, dict) else metric


def _hours(h: float | None) -> str:
    if h is None or not math.isfinite(h):
        return "no end in view"
    return f"{h:.1f} h ({h / 24:.1f} d)" if h >= 48 else f"{h:.1f} h"


def _lunar_orbit(a) -> dict | None:
    """The figure of the scenario station's own lunar orbit, with the station at the onset, the
    lifeboat's trans-Earth departure and the first relief arrival marked (when its phase is known)."""
    if a.lunar is None:
        return None
    from lifeboat.cislunar import physics as phy
    from lifeboat.cislunar.service import station_orbit_points
    from lifeboat.report.cislunar_plot import station_orbit_figure

    onset = a.rescue.onset_utc if a.rescue is not None else a.situation.epoch_utc
    marks = {}
    if a.lunar.phase_known:
        def short(t):
            return iso_z(t)[:16].replace("T", " ")

        marks[f"station at the onset ({short(onset)} UTC)"] = onset
        evacuate = next((o for o in a.rescue.options if o.kind == "evacuate"), None) \
            if a.rescue is not None else None
        for landing in (evacuate.landings if evacuate is not None else []):
            marks[f"{landing.vehicle_id} departs for Earth ({short(landing.undock_utc)} UTC)"] = \
                landing.undock_utc
        arrivals = [c for c in a.cislunar_access if c.arrival_utc is not None]
        if arrivals:
            first = min(arrivals, key=lambda c: c.arrival_utc)
            marks[f"{first.vehicle} arrives ({short(first.arrival_utc)} UTC)"] = first.arrival_utc
    points = station_orbit_points(a.situation.station, n=ORBIT_SAMPLES,
                                  orbit=a.lunar.orbit_model,
                                  perilune_utc=a.lunar.perilune_utc, marks=marks)
    phase = ("" if a.lunar.phase_known
             else " (phase unknown: times not marked)")
    return station_orbit_figure(
        points, f"{a.situation.station_name}: {points['orbit']}, period "
        f"{points['period_days']:.2f} d{phase}", phy.MOON_RADIUS_KM)


def assessment_figures(a) -> dict[str, dict]:
    """The report's figures, keyed by the id of the element they are drawn in."""
    figures: dict[str, dict] = {}
    e = a.emergency
    if e is not None and e.pressure_curve is not None:
        c = e.pressure_curve
        figures["fig-pressure"] = plots.pressure_figure(
            c["times_h"], c["pressure_mmhg"], c["linear_mmhg"], c["limit_mmhg"],
            f"Cabin pressure after the leak in {e.leak.module}")
    landings = [{"label": f"{row['docked']}: {iso_z(o.landing_utc)} ({o.zone})",
                 "latitude_deg": o.latitude_deg, "longitude_deg": o.longitude_deg}
                for row in a.landing_opportunities for o in row["opportunities"]]
    what = "Launch sites, recovery zones, landings" + (" and the station's ground track" if a.ground_track else "")
    figures["fig-map"] = plots.map_figure(a.map_sites, a.map_zones, landings, a.ground_track, what)
    orbit = _lunar_orbit(a)
    if orbit is not None:
        figures["fig-orbit"] = orbit
    if a.rescue is not None:
        rows = []
        for i, o in enumerate(a.rescue.options, start=1):
            label = f"{i}. {o.name}" + ("" if o.feasible else " (not feasible)")
            for step in o.steps:
                rows.append((label, step.label, step.start_utc, step.end_utc, o.kind))
            if not o.steps and o.crew_safe_utc is not None:
                rows.append((label, "immediate", o.crew_safe_utc, o.crew_safe_utc, o.kind))
        if rows:
            available_h = a.rescue.time_available_h
            end = None if available_h is None else a.rescue.onset_utc + timedelta(hours=available_h)
            figures["fig-gantt"] = plots.gantt_figure(
                rows, "Rescue options: phases from the onset", marker_utc=end,
                marker_label="time available runs out")
    if a.risk:
        lpm = [r.metrics["loc_per_person_mission"] for r in a.risk]
        low = [m.get("p05", m["mean"] - 1.96 * m["mc_se"]) for m in lpm]
        high = [m.get("p95", m["mean"] + 1.96 * m["mc_se"]) for m in lpm]
        band = "90 % over the inputs" if "p05" in lpm[0] else "95 % Monte Carlo interval"
        figures["fig-risk"] = plots.risk_figure(
            [f"{r.title} ({crew_size(r) or '?'} crew)" for r in a.risk], [m["mean"] for m in lpm],
            low, high, f"Loss of crew per person-mission ({band})")
    return figures


def crew_size(result) -> int | None:
    """The station crew an architecture flies: the risk result's, else its built-in file's."""
    size = getattr(result, "crew_size", None)
    if size is not None:
        return size
    from lifeboat.risk.model import list_architectures, load_architecture

    if result.architecture in list_architectures():
        return load_architecture(result.architecture).station.crew_size
    return None


def _band_text(d: dict, fmt: str) -> str:
    """``+1.2e-03 (90 % over inputs -3e-4 to +2e-3)`` or ``+1.2e-03 ± 4e-4 (95 %, Monte Carlo)``."""
    mean = d.get("mean")
    if mean is None:
        return "–"
    if d.get("p05") is not None:
        return f"{mean:{fmt}} (90 % over the inputs {d['p05']:{fmt}} to {d['p95']:{fmt}})"
    se = d.get("mc_se")
    return f"{mean:{fmt}}" + (f" ± {1.96 * se:{fmt.lstrip('+')}} (95 %, Monte Carlo)" if se else "")


def _partner_line(a) -> str | None:
    """What a second, independent crew transport changes: each other architecture of the
    scenario against the first, per person flown and per crew-year first, from the paired
    differences (common random numbers)."""
    diffs = getattr(a, "risk_differences", None) or {}
    if len(a.risk) < 2 or not diffs:
        return None
    base = next((r for r in a.risk if r.architecture == a.risk_baseline), a.risk[0])
    parts = []
    for other in a.risk:
        d = diffs.get(other.architecture)
        if other is base or not d:
            continue
        crews = (crew_size(base), crew_size(other))
        crew_text = f" ({crews[1]} crew)" if crews[1] is not None else ""
        loc = d["loc_per_person_mission"]
        chance = loc.get("p_improvement")
        chance_text = f", probability that it is safer per person flown {chance:.2f}" if chance is not None else ""
        parts.append(
            f"{other.title}{crew_text}: loss of crew per person-mission "
            f"{_band_text(loc, '+.1e')}{chance_text}; per crew-year "
            f"{_band_text(d['loc_per_crew_year'], '+.1e')}; decrewed days "
            f"{_band_text(d['decrewed_days'], '+.1f')}; crew-days without a usable seat "
            f"{_band_text(d['seatless_crew_days'], '+.1f')}")
    return f"Against {base.title} ({crew_size(base) or '?'} crew): " + "; ".join(parts) + "."


def executive_summary(a) -> dict:
    """The summary a manager reads first: situation, recommendation, time, seats, partner."""
    s = a.situation
    e = a.emergency
    first = (f"{s.station_name} at {iso_z(s.epoch_utc)[:16].replace('T', ' ')} UTC: {len(s.crew)} crew "
             f"with {s.seats_total} lifeboat seats (margin {s.seat_margin}).")
    if e is None:
        second = "No emergency is given; the options below are a medical-evacuation what-if."
    else:
        second = f"{'What-if' if e.what_if else 'Emergency'} ({e.kind}): {e.description.strip()}"
        if e.leak is not None:
            second += (f" The leak takes {e.leak.initial_rate_mmhg_per_h:.2f} mmHg/h at first; the crew chart "
                       f"gives {_hours(e.leak.reserve_time_linear_h)} to {e.leak.limit_mmhg:g} mmHg.")
    plan = a.rescue
    out = {"situation": f"{first} {second}", "recommendation": None, "reason": None,
           "time_available": None, "seats": None, "partner": _partner_line(a)}
    if plan is not None:
        out["time_available"] = _hours(plan.time_available_h) if plan.time_available_h is not None \
            else "no limit computed"
        best = next((o for o in plan.options if o.name == plan.recommendation), None)
        out["recommendation"] = plan.recommendation or "no option makes the crew safe in time"
        # The planner's first reason restates the time available, shown on its own line.
        reasons = [r for r in plan.reasons if not r.startswith("time available")]
        out["reason"] = "; ".join(reasons[:3]) or None
        if best is not None:
            staying = getattr(best, "crew_staying", None)
            returning = getattr(best, "crew_returning", None)
            seatless = -s.seat_margin if s.seat_margin < 0 else 0
            hours = best.hours_without_lifeboat
            if hours is None or hours == 0:
                seats = "Every crew member keeps a usable seat home throughout."
                if seatless:
                    seats = f"{seatless} crew member(s) have no seat home at the onset."
            else:
                seats = (f"With this option the crew is without a usable seat home for {_hours(hours)} "
                         f"from the onset" + (f" ({seatless} crew member(s) have none at the onset)." if seatless else "."))
            if staying is not None or returning is not None:
                def count(x):
                    return len(x) if isinstance(x, list | tuple) else x
                seats += f" Crew returning: {count(returning)}; staying aboard: {count(staying)}."
            out["seats"] = seats
    return out


def run_metadata(a, scenario_sha256: str | None = None) -> list[tuple[str, str]]:
    engines = sorted({getattr(r, "engine_version", "") for r in a.risk} - {""})
    rows = [
        ("lifeboat version", __version__),
        ("catalog version (SHA-256 of the shipped catalog)", catalog_digest()),
        ("scenario", a.scenario_id),
        ("scenario file SHA-256", scenario_sha256 or "not recorded (report written without the file text)"),
        ("risk trials per architecture, seed", f"{a.risk_settings['trials']:,}, seed {a.risk_settings['seed']}"),
        ("risk engine version", ", ".join(engines) or "–"),
        ("generated (UTC)", iso_z(datetime.now(UTC).replace(microsecond=0))),
    ]
    return rows


def risk_rows(a) -> list[dict]:
    """Rows of the risk table: per-exposure measures first, each ``{mean, mc_se[, p05, p95]}``,
    and each architecture's paired difference from the baseline."""
    diffs = getattr(a, "risk_differences", None) or {}
    rows = []
    for r in a.risk:
        m = r.metrics
        d = diffs.get(r.architecture, {})
        rows.append({
            "r": r, "crew": crew_size(r), "baseline": r.architecture == getattr(a, "risk_baseline", None),
            "per_person": _band_text(m["loc_per_person_mission"], ".2e"),
            "per_person_diff": _band_text(d["loc_per_person_mission"], "+.1e") if d else "",
            "p_improvement": d["loc_per_person_mission"].get("p_improvement") if d else None,
            "per_crew_year": _band_text(m["loc_per_crew_year"], ".2e"),
            "people_lost": _band_text(m["people_lost"], ".3f"),
            "decrewed": _band_text(m["decrewed_days"], ".1f"),
            "decrewed_diff": _band_text(d["decrewed_days"], "+.1f") if d else "",
            "seatless": _band_text(m["seatless_crew_days"], ".1f"),
            "p_loc": _band_text(m["p_loc"], ".4f"),
            "cost": m["cost_musd"]["mean"],
        })
    return rows


def render_assessment(a, *, scenario_sha256: str | None = None) -> str:
    """The report HTML of an :class:`~lifeboat.rescue.assess.Assessment`; ``scenario_sha256`` is
    the SHA-256 of the scenario file's text, shown in the run metadata."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("lifeboat.report", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"]),
        undefined=jinja2.StrictUndefined,
    )
    template = env.get_template("assessment.html.j2")
    return template.render(
        a=a, version=__version__, plotly_js=plotly_js(),
        figures_json=_script_json(assessment_figures(a)),
        summary=executive_summary(a), metadata=run_metadata(a, scenario_sha256),
        risk_rows=risk_rows(a),
        iso=lambda t: iso_z(t) if isinstance(t, datetime) else "–",
        hours=_hours,
    )


def write_assessment_report(a, path: str | Path, *, scenario_sha256: str | None = None) -> Path:
    """Write the report atomically; returns the path written."""
    return write_atomic(path, render_assessment(a, scenario_sha256=scenario_sha256))
