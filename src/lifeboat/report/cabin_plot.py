"""Pressure-versus-time plot of a cabin leak (PNG, matplotlib Agg)."""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from lifeboat.fileio import write_atomic  # noqa: E402


def plot_leak(history, summary, path: str | Path) -> Path:
    """Write a PNG of every leaking-segment module's pressure (mmHg) against time (h), with the
    evacuation limit and the crew's straight-line reserve-time extrapolation."""
    hours = history.times_s / 3600.0
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=120)
    many = len(summary.segment) > 8
    for i, module in enumerate(summary.segment):
        label = module if not many else (f"{len(summary.segment)} connected modules" if i == 0
                                         else None)
        ax.plot(hours, history.module_pressure_mmhg(module), lw=1.5, label=label)
    p0 = summary.initial_pressure_mmhg
    ax.plot([0.0, summary.reserve_time_linear_h], [p0, summary.limit_mmhg], "k--", lw=1,
            label=f"linear reserve {summary.reserve_time_linear_h:.1f} h")
    ax.axhline(summary.limit_mmhg, color="tab:red", lw=1,
               label=f"limit {summary.limit_mmhg:g} mmHg")
    ax.set_xlabel("time since leak onset (h)")
    ax.set_ylabel("cabin pressure (mmHg)")
    ax.set_title(f"{summary.network}: {summary.hole_diameter_mm:.2f} mm hole (Cd {summary.cd:g}) "
                 f"in {summary.module}")
    ax.set_xlim(0.0, hours[-1])
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return write_atomic(path, buffer.getvalue())
