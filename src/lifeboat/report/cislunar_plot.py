"""Plot of a CR3BP periodic orbit in the Earth–Moon rotating frame (PNG, matplotlib Agg)."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib
import numpy as np

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from lifeboat.cislunar import physics as phy  # noqa: E402
from lifeboat.fileio import write_atomic  # noqa: E402


def plot_orbit(orbit, path: str | Path, *, samples: int = 1500) -> Path:
    """Write a PNG with three views (x–z, y–z, x–y, Moon-centred, km) of one period of
    ``orbit`` (a :class:`lifeboat.cislunar.halo.PeriodicOrbit`), the Moon drawn to scale."""
    times = np.linspace(0.0, orbit.period_tu, samples)
    path_nd = np.vstack([orbit.state0, phy.sample(orbit.state0, times[1:])])
    moon_x = 1.0 - phy.MU
    km = (path_nd[:, :3] - np.array([moon_x, 0.0, 0.0])) * phy.LENGTH_UNIT_KM
    fig, axes = plt.subplots(1, 3, figsize=(12, 4.4), dpi=110)
    views = [(0, 2, "x"), (1, 2, "y"), (0, 1, "x")]
    names = {0: "x", 1: "y", 2: "z"}
    for ax, (i, j, _) in zip(axes, views, strict=True):
        ax.plot(km[:, i], km[:, j], lw=1.2, color="tab:blue")
        ax.add_patch(plt.Circle((0.0, 0.0), phy.MOON_RADIUS_KM, color="0.5"))
        ax.plot(km[0, i], km[0, j], "o", color="tab:red", ms=4, label="state0 (t = 0)")
        ax.set_xlabel(f"{names[i]} from Moon (km)")
        ax.set_ylabel(f"{names[j]} from Moon (km)")
        ax.set_aspect("equal", adjustable="datalim")
        ax.grid(alpha=0.3)
    axes[0].legend(fontsize=8, loc="best")
    fig.suptitle(
        f"{orbit.family}: P = {orbit.period_days:.3f} d, perilune {orbit.perilune_radius_km:,.0f} km, "
        f"apolune {orbit.apolune_radius_km:,.0f} km, C = {orbit.jacobi:.4f} (Earth–Moon rotating "
        "frame, x towards the Moon from Earth)",
        fontsize=9,
    )
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return write_atomic(path, buffer.getvalue())


def station_orbit_figure(points: dict, title: str, moon_radius_km: float) -> dict:
    """Plotly spec of a lunar station's orbit from
    :func:`lifeboat.cislunar.service.station_orbit_points` (Moon-centred km, Earth–Moon rotating
    axes): two views (x–z, then x–y), the Moon to scale, perilune and apolune, and every marked
    time (``marks_km``: the station at the onset, the lifeboat's departure, an arrival)."""
    from lifeboat.report.plots import PALETTE, _layout

    pts = points["points_km"]
    xs, ys, zs = ([p[k] for p in pts] for k in range(3))
    views = ((("x", "y"), (0, 2)), (("x2", "y2"), (0, 1)))
    data = [{"type": "scatter", "mode": "lines", "x": xs, "y": zs if axes[0] == "x" else ys,
             "xaxis": axes[0], "yaxis": axes[1], "name": f"orbit ({points['orbit']})",
             "legendgroup": "orbit", "showlegend": axes[0] == "x", "line": {"color": PALETTE[0]}}
            for axes, _ in views]
    marks = {"perilune": points["perilune_km"], "apolune": points["apolune_km"],
             **points.get("marks_km", {})}
    symbols = ["triangle-down", "triangle-up", "circle", "diamond", "square", "star", "x"]
    for k, (label, p) in enumerate(marks.items()):
        for axes, (i, j) in views:
            data.append({"type": "scatter", "mode": "markers", "x": [p[i]], "y": [p[j]],
                         "xaxis": axes[0], "yaxis": axes[1], "name": label, "legendgroup": label,
                         "showlegend": axes[0] == "x",
                         "marker": {"color": PALETTE[(k + 1) % len(PALETTE)], "size": 9,
                                    "symbol": symbols[k % len(symbols)]}})
    r = moon_radius_km
    shapes = [{"type": "circle", "xref": xr, "yref": yr, "x0": -r, "x1": r, "y0": -r, "y1": r,
               "fillcolor": "#9e9e9e", "line": {"color": "#757575"}}
              for xr, yr in (("x", "y"), ("x2", "y2"))]
    return {"data": data, "layout": _layout(
        title, height=480, shapes=shapes,
        xaxis={"domain": [0, 0.46], "title": {"text": "x from the Moon (km)"}},
        yaxis={"title": {"text": "z (km)"}, "scaleanchor": "x"},
        xaxis2={"domain": [0.54, 1], "title": {"text": "x from the Moon (km)"}},
        yaxis2={"title": {"text": "y (km)"}, "scaleanchor": "x2", "anchor": "x2"},
        legend={"orientation": "h", "y": -0.2})}
