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
