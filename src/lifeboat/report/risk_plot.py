"""Static comparison plot of risk results (matplotlib, written as PNG)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from lifeboat.fileio import write_atomic


def _mean(metric) -> float:
    """A metric's mean, whether a number or ``{mean, mc_se, p05, p50, p95}``."""
    return metric["mean"] if isinstance(metric, dict) else metric


def plot_comparison(results: Sequence, path: str | Path) -> Path:
    """Bar charts of P(LOC) (with its 95 % interval), expected decrewed days and seatless
    crew-days for each :class:`lifeboat.risk.engine.RiskResult`; writes a PNG to ``path``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = [r.architecture for r in results]
    y = list(range(len(results)))
    fig, axes = plt.subplots(1, 3, figsize=(13, 1.2 + 0.55 * len(results)), sharey=True)
    p = [100 * _mean(r.p_loc) for r in results]
    err = [
        [100 * (_mean(r.p_loc) - r.p_loc_ci95[0]) for r in results],
        [100 * (r.p_loc_ci95[1] - _mean(r.p_loc)) for r in results],
    ]
    axes[0].barh(y, p, xerr=err, color="#b03a2e", capsize=3)
    axes[0].set_xlabel("P(loss of crew) over the horizon, % (95 % interval)")
    axes[1].barh(y, [_mean(r.decrewed_days_mean) for r in results], color="#2e86c1")
    axes[1].set_xlabel("expected decrewed days")
    axes[2].barh(y, [_mean(r.seatless_crew_days_mean) for r in results], color="#7d3c98")
    axes[2].set_xlabel("expected crew-days without a usable seat")
    axes[0].set_yticks(y, names)
    axes[0].invert_yaxis()
    for ax in axes:
        ax.grid(axis="x", alpha=0.3)
    trials = {r.trials for r in results}
    fig.suptitle(f"Architecture comparison ({', '.join(f'{t:,}' for t in sorted(trials))} trials each)")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return write_atomic(path, buffer.getvalue())


def plot_sweep(sweep, path: str | Path) -> Path:
    """A tornado chart (P(LOC) with each parameter at its low and high value, around the base)
    for a tornado sweep, or P(LOC) with its 95 % interval per point for a grid sweep
    (:class:`lifeboat.risk.sweep.SweepResult`); writes a PNG to ``path``."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    if sweep.tornado:
        bars = sweep.tornado
        fig, ax = plt.subplots(figsize=(9, 1.5 + 0.6 * len(bars)))
        base = 100 * sweep.base_p_loc
        for y, b in enumerate(bars):
            # Low and high side by side (not overlaid): both may fall on the same side of base.
            for offset, value, p_loc, color in ((-0.2, b.low, b.p_loc_low, "#2e86c1"),
                                                (0.2, b.high, b.p_loc_high, "#b03a2e")):
                x = 100 * p_loc
                ax.barh(y + offset, x - base, left=base, height=0.4, color=color)
                outward = "right" if x < base else "left"
                ax.text(x, y + offset, f" {value} ", ha=outward, va="center", fontsize=8)
        ax.axvline(base, color="black", lw=1)
        ax.margins(x=0.12)
        ax.set_yticks(range(len(bars)), [b.parameter for b in bars])
        ax.invert_yaxis()
        ax.set_xlabel(f"P(loss of crew), % (base {base:.3f} %; blue: low value, red: high value)")
    else:
        points = sweep.points
        fig, ax = plt.subplots(figsize=(9, 1.5 + 0.4 * len(points)))
        p = [100 * pt.result.p_loc for pt in points]
        err = [[100 * (pt.result.p_loc - pt.result.p_loc_ci95[0]) for pt in points],
               [100 * (pt.result.p_loc_ci95[1] - pt.result.p_loc) for pt in points]]
        ax.barh(range(len(points)), p, xerr=err, color="#b03a2e", capsize=3)
        labels = [", ".join(f"{k.split('.')[-1]}={v}" for k, v in pt.parameters.items()) for pt in points]
        ax.set_yticks(range(len(points)), labels, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel("P(loss of crew), % (95 % interval)")
    ax.grid(axis="x", alpha=0.3)
    ax.set_title(f"Sweep of {sweep.architecture} ({sweep.kind})")
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    plt.close(fig)
    return write_atomic(path, buffer.getvalue())
