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


def gantt_figure(rows: list[tuple[str, str, datetime, datetime, str]], title: str,
                 marker_utc: datetime | None = None, marker_label: str = "") -> dict:
    """A timeline chart: one bar per (row label, step label, start, end, colour key)."""
    labels = []
    traces = []
    for row, step, start, end, key in rows:
        if row not in labels:
            labels.append(row)
        duration_ms = max((end - start).total_seconds() * 1000.0, 60_000.0)
        traces.append({
            "type": "bar", "orientation": "h", "y": [row], "x": [duration_ms], "base": [iso_z(start)],
            "name": step, "showlegend": False, "hovertext": [f"{step}<br>{iso_z(start)} → {iso_z(end)}"],
            "hoverinfo": "text", "marker": {"color": KIND_COLOURS.get(key, PALETTE[len(traces) % 8])},
        })
    shapes = []
    annotations = []
    if marker_utc is not None:
        shapes.append({"type": "line", "x0": iso_z(marker_utc), "x1": iso_z(marker_utc), "yref": "paper",
                       "y0": 0, "y1": 1, "line": {"color": "#d62728", "dash": "dot"}})
        annotations.append({"x": iso_z(marker_utc), "yref": "paper", "y": 1.02, "text": marker_label,
                            "showarrow": False, "font": {"color": "#d62728"}})
    return {
        "data": traces,
        "layout": _layout(title, barmode="overlay", height=max(260, 60 + 45 * len(labels)),
                          xaxis={"type": "date", "title": {"text": "UTC"}},
                          yaxis={"categoryorder": "array", "categoryarray": list(reversed(labels)),
                                 "automargin": True},
                          shapes=shapes, annotations=annotations, margin={"l": 260, "r": 20, "t": 50, "b": 50}),
    }


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
