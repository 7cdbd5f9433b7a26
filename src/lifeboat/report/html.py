"""The self-contained HTML report of an assessment (no network needed to view it).

plotly.js is read from the installed ``plotly`` package and inlined once; the figures are plotly
JSON specs from :mod:`lifeboat.report.plots`; the map uses the coastline shipped in
``report/assets``.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from functools import cache
from importlib import resources
from pathlib import Path

from lifeboat import __version__
from lifeboat.cli.common import to_jsonable
from lifeboat.fileio import write_atomic
from lifeboat.report import plots
from lifeboat.timeutil import iso_z


@cache
def plotly_js() -> str:
    """The minified plotly.js bundled with the installed plotly package."""
    return resources.files("plotly").joinpath("package_data", "plotly.min.js").read_text("utf-8")


def _script_json(value) -> str:
    """JSON safe to inline in a <script> element."""
    return json.dumps(to_jsonable(value), separators=(",", ":")).replace("</", "<\\/")


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
    figures["fig-map"] = plots.map_figure(a.map_sites, a.map_zones, landings, a.ground_track,
                                          "Launch sites, recovery zones, landings and the station's ground track")
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
                rows, "Rescue options: timelines from the onset", marker_utc=end,
                marker_label="time available runs out")
    if a.risk:
        figures["fig-risk"] = plots.risk_figure(
            [r.title for r in a.risk], [r.p_loc for r in a.risk],
            [r.p_loc_ci95[0] for r in a.risk], [r.p_loc_ci95[1] for r in a.risk],
            "Probability of loss of crew over the horizon (95 % interval)")
    return figures


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
        iso=lambda t: iso_z(t) if isinstance(t, datetime) else "–",
    )


def write_assessment_report(a, path: str | Path) -> Path:
    """Write the report atomically; returns the path written."""
    return write_atomic(path, render_assessment(a))
