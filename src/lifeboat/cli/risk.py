"""``lifeboat risk``, ``lifeboat compare`` and ``lifeboat sweep``: the Monte Carlo risk engine."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import typer
from rich.console import Console
from rich.measure import Measurement
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from lifeboat.cli.common import JsonOption, console, emit, err_console, print_fields, user_errors

TrialsOption = typer.Option(1_000_000, "--trials", help="Monte Carlo trials per architecture.")
SeedOption = typer.Option(1, "--seed", help="Random seed (same seed, same numbers).")
WorkersOption = typer.Option(1, "--workers", help="Threads running chunks of trials in parallel.")
ArchitecturesArgument = typer.Argument(..., help="Built-in ids or TOML files to compare.")
PlotOption = typer.Option(None, "--plot", help="Also write a comparison plot (PNG).")
SweepFileArgument = typer.Argument(..., help="A sweep TOML file (grid or tornado).")
SchedulerOption = typer.Option(
    None, "--scheduler", help="Address of a running Dask scheduler (default: a local cluster of 2 worker processes)."
)
StoreOption = typer.Option(
    None, "--store", help="DuckDB file for results (default: lifeboat-sweep.duckdb next to FILE)."
)
SweepPlotOption = typer.Option(
    None, "--plot", help="Also write a plot (PNG): a tornado chart, or P(LOC) per grid point."
)
# Runs shorter than this many trials finish in well under a second: no progress bar.
PROGRESS_MIN_TRIALS = 2_000_000


@contextlib.contextmanager
def _progress(label: str, enabled: bool) -> Iterator:
    """A rich progress bar on stderr; yields a ``(done, total)`` callback, or None."""
    if not enabled:
        yield None
        return
    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    bar = Progress(*columns, console=err_console, transient=True)
    task = bar.add_task(label, total=None)

    def update(done: int, total: int) -> None:
        # Shown from the first report on, so an input error before any work prints no blank bar.
        if not bar.live.is_started:
            bar.start()
        bar.update(task, completed=done, total=total)

    try:
        yield update
    finally:
        if bar.live.is_started:
            bar.stop()


def _pct(p: float) -> str:
    return f"{100 * p:.3f} %"


def _render_result(r) -> None:
    lo, hi = r.p_loc_ci95
    rows = [
        ("trials / seed", f"{r.trials:,} / {r.seed}"),
        ("horizon", f"{r.horizon_days:.1f} d"),
        ("P(loss of crew)", f"{_pct(r.p_loc)}  (95 % {_pct(lo)} – {_pct(hi)})"),
        ("LOC per crewed flight",
         f"{r.loc_per_flight:.2e}" if r.crewed_launches_mean > 0 else "no crewed flight"),
        ("LOC causes", ", ".join(f"{k} {_pct(v)}" for k, v in r.loc_causes.items() if v > 0) or "none"),
        ("P(station decrewed at least once)", _pct(r.p_any_decrew)),
        ("expected decrewed days", f"{r.decrewed_days_mean:.1f} d"),
        ("expected crew-days without a usable seat", f"{r.seatless_crew_days_mean:.1f}"),
        ("expected launches (crewed)", f"{r.launches_mean:.2f} ({r.crewed_launches_mean:.2f})"),
        ("expected cost", f"{r.cost_musd_mean:,.0f} US$ M"),
        ("speed", f"{r.trials_per_s / 1e6:.2f} M trials/s on {r.workers} worker(s)"),
    ]
    print_fields(f"{r.title} ({r.architecture})", rows)


def _print_wide(table: Table) -> None:
    """Print a table at its natural width, even when that is wider than the terminal (numbers
    cut to "1.…" help nobody)."""
    natural = Measurement.get(console, console.options.update(max_width=10_000), table).maximum
    (console if natural <= console.width else Console(width=natural)).print(table)


def _comparison_table(results) -> Table:
    rows = [
        (
            r.architecture, f"{100 * r.p_loc:.2f}",
            f"{100 * r.p_loc_ci95[0]:.2f}–{100 * r.p_loc_ci95[1]:.2f}", f"{100 * r.p_any_decrew:.1f}",
            f"{r.decrewed_days_mean:.1f}", f"{r.seatless_crew_days_mean:.1f}",
            f"{r.launches_mean:.1f}", f"{r.cost_musd_mean:,.0f}",
        )
        for r in results
    ]
    table = Table(title="Architecture comparison")
    table.add_column("architecture", no_wrap=True)
    for header in ("P(LOC) %", "95 % CI", "P(decrew) %", "decrewed d", "no-seat crew-d", "launches", "US$ M"):
        table.add_column(header, justify="right", no_wrap=True)
    for row in rows:
        table.add_row(*row)
    return table


@user_errors
def risk(
    architecture: str = typer.Argument(..., help="A built-in architecture id or an architecture TOML file."),
    trials: int = TrialsOption,
    seed: int = SeedOption,
    workers: int = WorkersOption,
    as_json: bool = JsonOption,
) -> None:
    """P(loss of crew), decrewing and seatless crew-days over the horizon, by Monte Carlo."""
    from lifeboat.risk.engine import run_risk
    from lifeboat.risk.model import load_architecture

    arch = load_architecture(architecture)
    with _progress(f"risk {arch.id}", trials >= PROGRESS_MIN_TRIALS) as progress:
        result = run_risk(arch, trials=trials, seed=seed, workers=workers, progress=progress)
    emit(result, as_json, _render_result)


@user_errors
def compare(
    architectures: list[str] = ArchitecturesArgument,
    trials: int = TrialsOption,
    seed: int = SeedOption,
    workers: int = WorkersOption,
    plot: Path | None = PlotOption,
    as_json: bool = JsonOption,
) -> None:
    """Run several architectures with the same trials and seed and compare them."""
    from lifeboat.risk.engine import compare as compare_architectures
    from lifeboat.risk.model import load_architecture

    archs = [load_architecture(a) for a in architectures]
    long_run = trials * len(archs) >= PROGRESS_MIN_TRIALS
    with _progress("compare", long_run) as progress:
        results = compare_architectures(archs, trials=trials, seed=seed, workers=workers, progress=progress)
    if plot is not None:
        from lifeboat.report.risk_plot import plot_comparison

        plot_comparison(results, plot)
    emit(results, as_json, lambda rs: _print_wide(_comparison_table(rs)))
    if plot is not None and not as_json:
        console.print(f"plot written to {plot}")


@user_errors
def sweep(
    file: Path = SweepFileArgument,
    scheduler: str | None = SchedulerOption,
    store: Path | None = StoreOption,
    plot: Path | None = SweepPlotOption,
    as_json: bool = JsonOption,
) -> None:
    """Run a parameter sweep on Dask; points already in the store are not recomputed."""
    from lifeboat.risk.sweep import plan_sweep, run_sweep

    plan_sweep(file)  # bad files fail here, before a progress bar or a cluster is started
    with _progress(f"sweep {file.name}", True) as progress:
        result = run_sweep(file, scheduler=scheduler, store=store, progress=progress)
    if plot is not None:
        from lifeboat.report.risk_plot import plot_sweep

        plot_sweep(result, plot)
    emit(result, as_json, _render_sweep)
    if plot is not None and not as_json:
        console.print(f"plot written to {plot}")


def _render_sweep(s) -> None:
    table = Table(title=f"Sweep {s.sweep} ({s.kind}, base {s.architecture})")
    for column in ("#", "parameters", "P(LOC) %", "95 % CI", "decrewed d", "no-seat crew-d", "stored"):
        table.add_column(column, no_wrap=True, justify="left" if column in ("parameters", "stored") else "right")
    for p in s.points:
        r = p.result
        table.add_row(
            str(p.index), ", ".join(f"{k}={v}" for k, v in p.parameters.items()) or "(base)",
            f"{100 * r.p_loc:.3f}", f"{100 * r.p_loc_ci95[0]:.3f}–{100 * r.p_loc_ci95[1]:.3f}",
            f"{r.decrewed_days_mean:.1f}", f"{r.seatless_crew_days_mean:.1f}",
            "reused" if p.reused else "computed",
        )
    _print_wide(table)
    if s.tornado:
        bars = Table(title=f"Tornado: P(LOC) around the base value {_pct(s.base_p_loc)}")
        for column in ("parameter", "low", "P(LOC) at low", "high", "P(LOC) at high", "swing"):
            bars.add_column(column, no_wrap=True)
        for b in s.tornado:
            bars.add_row(b.parameter, str(b.low), _pct(b.p_loc_low), str(b.high), _pct(b.p_loc_high), _pct(b.swing))
        _print_wide(bars)
    console.print(f"{s.computed} point(s) computed, {s.reused} reused from {s.store}")


def register(app: typer.Typer) -> None:
    app.command("risk")(risk)
    app.command("compare")(compare)
    app.command("sweep")(sweep)
