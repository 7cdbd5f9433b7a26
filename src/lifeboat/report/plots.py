"""Figures of the assessment report as plotly JSON specs (plain dicts, no network, no plotly import).

Each function takes result data and returns ``{"data": [...], "layout": {...}}`` for
``Plotly.newPlot``. Times go to the browser as ISO strings (UTC).
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import cache
from importlib import resources

from lifeboat.timeutil import iso_z

PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf"]
KIND_COLOURS = {"evacuate": "#d62728", "isolate": "#2ca02c", "reassign": "#9467bd",
                "replacement": "#1f77b4", "crewed-rescue": "#ff7f0e"}


def _layout(title: str, **extra) -> dict:
    layout = {"title": {"text": title}, "margin": {"l": 70, "r": 20, "t": 50, "b": 50},
              "height": 380, "template": None, "paper_bgcolor": "white", "plot_bgcolor": "#fafafa"}
    layout.update(extra)
    return layout


def pressure_figure(times_h: list[float], pressure_mmhg: list[float], linear_mmhg: list[float],
                    limit_mmhg: float, title: str) -> dict:
    """Cabin pressure against time since the leak began: physical decay, the crew's straight-line
    extrapolation and the evacuation limit."""
    return {
        "data": [
            {"type": "scatter", "mode": "lines", "x": times_h, "y": pressure_mmhg,
             "name": "pressure (blowdown model)", "line": {"color": PALETTE[0]}},
            {"type": "scatter", "mode": "lines", "x": times_h, "y": linear_mmhg,
             "name": "crew-chart straight line", "line": {"color": PALETTE[3], "dash": "dash"}},
            {"type": "scatter", "mode": "lines", "x": [times_h[0], times_h[-1]],
             "y": [limit_mmhg, limit_mmhg], "name": f"evacuation limit {limit_mmhg:g} mmHg",
             "line": {"color": PALETTE[1], "dash": "dot"}},
        ],
        "layout": _layout(title, xaxis={"title": {"text": "hours since onset"}},
                          yaxis={"title": {"text": "cabin pressure (mmHg)"}}),
    }


# Phases of a rescue timeline, recognised from the planner's step labels (first match wins).
PHASES = [
    ("waiting and readiness", ("readiness", "wait", "grounded", "measure"), "#9e9e9e"),
    ("on the station", ("hatch", "watch", "isolate", "reassign", "seat", "transfer the crew",
                        "prepare", "board", "search"), "#2ca02c"),
    ("undocking, entry and landing", ("undock", "deorbit", "entry", "land", "return", "splash"), "#d62728"),
    ("launch and rendezvous", ("launch", "dock", "rendezvous", "transfer", "arriv", "cruise"), "#1f77b4"),
]
OTHER_PHASE = ("other", "#8c564b")


def phase_of(step_label: str) -> tuple[str, str]:
    """(phase name, colour) of a timeline step."""
    text = step_label.lower()
    for name, words, colour in PHASES:
        if any(w in text for w in words):
            return name, colour
    return OTHER_PHASE


def gantt_figure(rows: list[tuple[str, str, datetime, datetime, str]], title: str,
                 marker_utc: datetime | None = None, marker_label: str = "") -> dict:
    """A timeline chart: one bar per (row label, step label, start, end, option kind), coloured by
    phase (waiting, on the station, launch and rendezvous, undocking to landing) and labelled with
    the step where the label fits; the legend names the phases."""
    labels = []
    traces = []
    shown: set[str] = set()
    for row, step, start, end, _key in rows:
        if row not in labels:
            labels.append(row)
        phase, colour = phase_of(step)
        duration_ms = max((end - start).total_seconds() * 1000.0, 60_000.0)
        traces.append({
            "type": "bar", "orientation": "h", "y": [row], "x": [duration_ms], "base": [iso_z(start)],
            "name": phase, "legendgroup": phase, "showlegend": phase not in shown,
            "text": [step], "textposition": "inside", "insidetextanchor": "start",
            "textfont": {"color": "white"},
            "hovertext": [f"{step}<br>{iso_z(start)} → {iso_z(end)}"],
            "hoverinfo": "text", "marker": {"color": colour, "line": {"color": "white", "width": 1}},
        })
        shown.add(phase)
    shapes = []
    annotations = []
    if marker_utc is not None:
        shapes.append({"type": "line", "x0": iso_z(marker_utc), "x1": iso_z(marker_utc), "yref": "paper",
                       "y0": 0, "y1": 1, "line": {"color": "#d62728", "dash": "dot"}})
        annotations.append({"x": iso_z(marker_utc), "yref": "paper", "y": 1.02, "text": marker_label,
                            "showarrow": False, "font": {"color": "#d62728"}})
    return {
        "data": traces,
        "layout": _layout(title, barmode="overlay", height=max(300, 110 + 45 * len(labels)),
                          xaxis={"type": "date", "title": {"text": "UTC"}},
                          yaxis={"categoryorder": "array", "categoryarray": list(reversed(labels)),
                                 "automargin": True},
                          uniformtext={"minsize": 9, "mode": "hide"},
                          legend={"orientation": "h", "y": 1.0, "yanchor": "bottom", "x": 0,
                                  "title": {"text": "phase: "}},
                          shapes=shapes, annotations=annotations,
                          margin={"l": 260, "r": 20, "t": 90, "b": 50}),
    }


def lunar_orbit_figure(points_km: list[tuple[float, float, float]], title: str,
                       moon_radius_km: float, station_km: tuple[float, float, float] | None = None,
                       station_label: str = "station at the onset") -> dict:
    """Two views (x–z and x–y, Moon-centred, km, Earth–Moon rotating frame with x away from the
    Earth) of a station's lunar orbit, with the Moon to scale."""
    xs = [p[0] for p in points_km]
    ys = [p[1] for p in points_km]
    zs = [p[2] for p in points_km]
    data = [
        {"type": "scatter", "mode": "lines", "x": xs, "y": zs, "xaxis": "x", "yaxis": "y",
         "name": "orbit", "legendgroup": "orbit", "line": {"color": PALETTE[0]}},
        {"type": "scatter", "mode": "lines", "x": xs, "y": ys, "xaxis": "x2", "yaxis": "y2",
         "name": "orbit", "legendgroup": "orbit", "showlegend": False, "line": {"color": PALETTE[0]}},
    ]
    if station_km is not None:
        for axes, (i, j) in ((("x", "y"), (0, 2)), (("x2", "y2"), (0, 1))):
            data.append({"type": "scatter", "mode": "markers", "x": [station_km[i]], "y": [station_km[j]],
                         "xaxis": axes[0], "yaxis": axes[1], "name": station_label,
                         "legendgroup": "station", "showlegend": axes[0] == "x",
                         "marker": {"color": PALETTE[1], "size": 9}})
    r = moon_radius_km
    shapes = [{"type": "circle", "xref": xr, "yref": yr, "x0": -r, "x1": r, "y0": -r, "y1": r,
               "fillcolor": "#9e9e9e", "line": {"color": "#757575"}}
              for xr, yr in (("x", "y"), ("x2", "y2"))]
    return {"data": data, "layout": _layout(
        title, height=460, shapes=shapes,
        xaxis={"domain": [0, 0.46], "title": {"text": "x from the Moon (km)"}},
        yaxis={"title": {"text": "z (km)"}, "scaleanchor": "x"},
        xaxis2={"domain": [0.54, 1], "title": {"text": "x from the Moon (km)"}},
        yaxis2={"title": {"text": "y (km)"}, "scaleanchor": "x2", "anchor": "x2"},
        legend={"orientation": "h", "y": -0.2})}


@cache
def coastline() -> list[list[list[float]]]:
    """Coarse world coastline polylines [[lon, lat], ...] shipped with the package (Natural Earth)."""
    text = resources.files("lifeboat.report").joinpath("assets", "coastline-110m.json").read_text("utf-8")
    return json.loads(text)["lines"]


def _split_dateline(lons: list[float], lats: list[float]) -> tuple[list, list]:
    """Insert gaps where a track wraps across ±180° so lines do not streak across the map."""
    out_lon, out_lat = [], []
    for i, (lon, lat) in enumerate(zip(lons, lats, strict=True)):
        if i and abs(lon - lons[i - 1]) > 180.0:
            out_lon.append(None)
            out_lat.append(None)
        out_lon.append(lon)
        out_lat.append(lat)
    return out_lon, out_lat


def map_figure(sites: list[dict], zones: list[dict], landings: list[dict],
               track: list[tuple[float, float]] | None, title: str) -> dict:
    """Equirectangular world map: coastline, launch sites, recovery zones, landings, ground track.

    ``sites``: dicts with name, latitude_deg, longitude_deg; ``zones``: name and polygon
    [(lat, lon)]; ``landings``: label, latitude_deg, longitude_deg; ``track``: [(lat, lon)].
    """
    coast_x: list = []
    coast_y: list = []
    for line in coastline():
        coast_x.extend([p[0] for p in line] + [None])
        coast_y.extend([p[1] for p in line] + [None])
    data = [{"type": "scatter", "mode": "lines", "x": coast_x, "y": coast_y, "name": "coastline",
             "line": {"color": "#888", "width": 0.8}, "hoverinfo": "skip", "showlegend": False}]
    if track:
        lon, lat = _split_dateline([p[1] for p in track], [p[0] for p in track])
        data.append({"type": "scatter", "mode": "lines", "x": lon, "y": lat, "name": "station ground track",
                     "line": {"color": PALETTE[4], "width": 1.2}})
    for i, z in enumerate(zones):
        ring = list(z["polygon"]) + [z["polygon"][0]]
        data.append({"type": "scatter", "mode": "lines", "fill": "toself", "x": [p[1] for p in ring],
                     "y": [p[0] for p in ring], "name": z["name"], "legendgroup": "zones",
                     "showlegend": i == 0, "line": {"color": PALETTE[2]}, "opacity": 0.6,
                     "hovertext": z["name"], "hoverinfo": "text"})
    if zones:
        data[-len(zones)]["name"] = "recovery zones"
    if sites:
        data.append({"type": "scatter", "mode": "markers", "name": "launch sites",
                     "x": [s["longitude_deg"] for s in sites], "y": [s["latitude_deg"] for s in sites],
                     "hovertext": [s["name"] for s in sites], "hoverinfo": "text",
                     "marker": {"symbol": "triangle-up", "size": 10, "color": PALETTE[1]}})
    if landings:
        data.append({"type": "scatter", "mode": "markers", "name": "landing opportunities",
                     "x": [p["longitude_deg"] for p in landings], "y": [p["latitude_deg"] for p in landings],
                     "hovertext": [p["label"] for p in landings], "hoverinfo": "text",
                     "marker": {"symbol": "x", "size": 9, "color": PALETTE[3]}})
    return {"data": data, "layout": _layout(
        title, height=480,
        xaxis={"range": [-180, 180], "title": {"text": "longitude (deg)"}, "dtick": 30, "zeroline": False},
        yaxis={"range": [-75, 80], "title": {"text": "latitude (deg)"}, "scaleanchor": "x", "dtick": 30,
               "zeroline": False})}


def risk_figure(names: list[str], p_loc: list[float], ci_low: list[float], ci_high: list[float],
                title: str) -> dict:
    """Probability of loss of crew per architecture with its 95 % interval."""
    err_plus = [h - p for p, h in zip(p_loc, ci_high, strict=True)]
    err_minus = [p - lo for p, lo in zip(p_loc, ci_low, strict=True)]
    return {"data": [{"type": "bar", "x": names, "y": p_loc, "name": "P(loss of crew)",
                      "marker": {"color": PALETTE[0]},
                      "error_y": {"type": "data", "symmetric": False, "array": err_plus,
                                  "arrayminus": err_minus}}],
            "layout": _layout(title, yaxis={"title": {"text": "probability over the horizon"},
                                            "rangemode": "tozero"})}
