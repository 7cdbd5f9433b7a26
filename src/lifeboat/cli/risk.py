"""``lifeboat risk``, ``compare``, ``sweep`` and ``rates``: the Monte Carlo risk engine."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from pathlib import Path

import typer
from rich.console import Console
from rich.measure import Measurement
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from lifeboat.cli.common import JsonOption, console, emit, err_console, user_errors

TrialsOption = typer.Option(1_000_000, "--trials", help="Monte Carlo trials per architecture.")
SeedOption = typer.Option(1, "--seed", help="Random seed (same seed, same numbers).")
WorkersOption = typer.Option(1, "--workers", help="Threads running chunks of trials in parallel.")
ArchitecturesArgument = typer.Argument(..., help="Built-in ids or TOML files to compare.")
OutOption = typer.Option(None, "--out", help="Also write a comparison plot (PNG).")
PlotOption = typer.Option(None, "--plot", hidden=True, help="Old name of --out.")
RatesOutOption = typer.Option(None, "--out", help="Write the [uncertain.NAME] tables to this file.")
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


# Rows of the result tables, exposure-normalised metrics first: (metric, label, format).
_ROWS = (
    ("loc_per_person_mission", "LOC per person-mission", "rate"),
    ("loc_per_crew_year", "people lost per crew-year", "rate"),
    ("people_lost", "people lost (expected)", "3f"),
    ("p_loc", "P(at least one loss of crew)", "pct"),
    ("person_missions", "person-missions", "1f"),
    ("crew_days", "crew-days aboard", "0f"),
    ("decrewed_days", "decrewed days", "1f"),
    ("p_any_decrew", "P(decrewed at least once)", "pct"),
    ("seatless_crew_days", "crew-days without a usable seat", "1f"),
    ("launches", "launches", "2f"),
    ("cost_musd", "launch cost, US$ M", "0f"),
    ("evacuations", "evacuations", "3f"),
    ("medical_evacuations", "medical returns", "3f"),
    ("rescue_flights", "launch-on-need rescue flights", "3f"),
)


def _fmt(value, kind: str) -> str:
    if value is None:
        return "–"
    if kind == "rate":
        return f"{value:.2e}" + (f" (1 in {1 / value:,.0f})" if value > 0 else "")
    if kind == "pct":
        return _pct(value)
    if kind == "sci":
        return f"{value:.2e}"
    return format(value, ",." + kind)


def _cell(m: dict, kind: str) -> str:
    text = _fmt(m["mean"], kind)
    if m.get("p05") is not None:
        return f"{text} [{_fmt(m['p05'], kind)} – {_fmt(m['p95'], kind)}]"
    return text


def _se(m: dict, kind: str) -> str:
    return "–" if m.get("mc_se") is None else _fmt(m["mc_se"], "sci" if kind == "rate" else kind)


def _render_result(r) -> None:
    uncertain = r.uncertainty_draws > 0
    table = Table(title=f"{r.title} ({r.architecture}): {r.crew_size} crew, {r.horizon_days:.0f} d")
    table.add_column("metric")
    table.add_column("mean [5 % – 95 % over input draws]" if uncertain else "mean", justify="right")
    table.add_column("Monte Carlo s.e.", justify="right")
    for name, label, kind in _ROWS:
        table.add_row(label, _cell(r.metrics[name], kind), _se(r.metrics[name], kind))
    _print_wide(table)
    if len(r.providers) > 1:
        prov = Table(title="Per provider")
        prov.add_column("provider")
        for header in ("LOC per person-mission", "people lost", "person-missions", "crew-days", "launches", "US$ M"):
            prov.add_column(header, justify="right")
        for key, m in r.providers.items():
            prov.add_row(key, _cell(m["loc_per_person_mission"], "rate"), _cell(m["people_lost"], "3f"),
                         _cell(m["person_missions"], "1f"), _cell(m["crew_days"], "0f"),
                         _cell(m["launches"], "2f"), _cell(m["cost_musd"], "0f"))
        _print_wide(prov)
    causes = [f"{c} {100 * fv:.0f} %" for c, fv in r.fussell_vesely.items() if fv]
    console.print("people lost by cause (Fussell–Vesely share): " + (", ".join(causes) or "none"))
    draws = f", {r.uncertainty_draws} input draws" if uncertain else ""
    console.print(f"{r.trials:,} trials{' per draw' if uncertain else ''}, seed {r.seed}{draws}; "
                  f"{r.trials_per_s / 1e6:.2f} M trials/s on {r.workers} worker(s)")
    for path, how in r.derived.items():
        console.print(f"{path}: {how}")


def _print_wide(table: Table) -> None:
    """Print a table at its natural width, even when that is wider than the terminal (numbers
    cut to "1.…" help nobody)."""
    natural = Measurement.get(console, console.options.update(max_width=10_000), table).maximum
    (console if natural <= console.width else Console(width=natural)).print(table)


def _render_comparison(c) -> None:
    uncertain = c.uncertainty_draws > 0
    if c.baseline is not None:
        table = Table(title=f"Against {c.baseline}: difference (other minus baseline)"
                      + (", 5 % – 95 % over input draws" if uncertain else ""))
        table.add_column("metric")
        for arch in c.differences:
            table.add_column(arch, justify="right")
            table.add_column("P(better)", justify="right")
        for name, label, kind in _ROWS:
            cells = []
            for diff in c.differences.values():
                d = diff[name]
                sign = "+" if d["mean"] is not None and d["mean"] > 0 else ""
                text = sign + _fmt(d["mean"], "sci" if kind == "rate" else kind)
                if d.get("p05") is not None:
                    text += f" [{_fmt(d['p05'], 'sci' if kind == 'rate' else kind)} – {_fmt(d['p95'], 'sci' if kind == 'rate' else kind)}]"
                elif d["mc_se"] is not None:
                    text += f" ± {_fmt(d['mc_se'], 'sci' if kind == 'rate' else kind)}"
                p = d.get("p_improvement")
                cells += [text, "–" if p is None else f"{100 * p:.0f} %"]
            table.add_row(label, *cells)
        _print_wide(table)
        for arch, diff in c.differences.items():
            cost = diff["cost_per_loc_averted_musd"]["mean"]
            if cost is not None:
                console.print(f"{arch}: US$ {cost:,.0f} M of launch cost per loss of crew averted")
        basis = ("share of input draws in which it is better" if uncertain
                 else "probability the Monte Carlo sign is right (point inputs: no input uncertainty); "
                 "± is the paired Monte Carlo standard error")
        console.print(f"P(better): {basis}.")
        for arch, drivers in c.drivers.items():
            if drivers:
                top = ", ".join(f"{d['input']} ({d['rank_correlation']:+.2f})" for d in drivers[:4])
                console.print(f"{arch}: inputs driving the LOC-per-person-mission difference: {top}")
    table = Table(title="Architectures" + (" (mean [5 % – 95 %] over input draws)" if uncertain else ""))
    table.add_column("metric")
    for r in c.results:
        table.add_column(f"{r.architecture} ({r.crew_size} crew)", justify="right")
    for name, label, kind in _ROWS:
        table.add_row(label, *(_cell(r.metrics[name], kind) for r in c.results))
    _print_wide(table)


UncertaintyOption = typer.Option(
    0, "--uncertainty", help="Input draws for a two-level run (0: point values); every metric gets its 5/50/95 %.")
BaselineOption = typer.Option(None, "--baseline", help="Report every other architecture's difference from this one.")
UqSchedulerOption = typer.Option(
    None, "--scheduler", help="Run the input draws on this Dask scheduler (default: local threads).")
UqStoreOption = typer.Option(None, "--store", help="DuckDB file for the per-draw results of a two-level run.")


@user_errors
def risk(
    architecture: str = typer.Argument(..., help="A built-in architecture id or an architecture TOML file."),
    trials: int = TrialsOption,
    seed: int = SeedOption,
    workers: int = WorkersOption,
    uncertainty: int = UncertaintyOption,
    as_json: bool = JsonOption,
) -> None:
    """Loss of crew per person-mission and per crew-year, people lost, decrewing, seatless
    crew-days and cost over the horizon, by Monte Carlo (two-level with --uncertainty)."""
    from lifeboat.risk.engine import run_risk
    from lifeboat.risk.model import load_architecture

    arch = load_architecture(architecture)
    long_run = trials * max(uncertainty, 1) >= PROGRESS_MIN_TRIALS
    with _progress(f"risk {arch.id}", long_run) as progress:
        result = run_risk(arch, trials=trials, seed=seed, workers=workers, uncertainty=uncertainty,
                          progress=progress)
    emit(result, as_json, _render_result)


@user_errors
def compare(
    architectures: list[str] = ArchitecturesArgument,
    baseline: str | None = BaselineOption,
    trials: int = TrialsOption,
    seed: int = SeedOption,
    workers: int = WorkersOption,
    uncertainty: int = UncertaintyOption,
    scheduler: str | None = UqSchedulerOption,
    store: Path | None = UqStoreOption,
    out: Path | None = OutOption,
    plot: Path | None = PlotOption,
    as_json: bool = JsonOption,
) -> None:
    """Run architectures on common random numbers; with --baseline, each metric's paired
    difference from the baseline and P(improvement)."""
    from lifeboat.risk.engine import compare_paired
    from lifeboat.risk.model import load_architecture

    archs = [load_architecture(a) for a in architectures]
    if baseline is not None and baseline not in {a.id for a in archs}:
        from lifeboat.errors import InputError

        raise InputError(f"the baseline {baseline!r} is not among the architectures "
                         f"({', '.join(a.id for a in archs)})", param="baseline")
    out = out or plot
    long_run = trials * len(archs) * max(uncertainty, 1) >= PROGRESS_MIN_TRIALS
    with _progress("compare", long_run) as progress:
        result = compare_paired(archs, baseline=baseline, trials=trials, seed=seed, workers=workers,
                                uncertainty=uncertainty, scheduler=scheduler, store=store,
                                progress=progress)
    if out is not None:
        from lifeboat.report.risk_plot import plot_comparison

        plot_comparison(result.results, out)
    emit(result, as_json, _render_comparison)
    if out is not None and not as_json:
        console.print(f"plot written to {out}")


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
        what = f"{s.metric} (point minus {s.baseline})" if s.baseline else s.metric
        bars = Table(title=f"Tornado: {what} around the base value {_fmt(s.base_value, 'sci')}")
        for column in ("parameter", "low", f"{s.metric} at low", "high", f"{s.metric} at high", "swing"):
            bars.add_column(column, no_wrap=True)
        for b in s.tornado:
            bars.add_row(b.parameter, str(b.low), _fmt(b.value_low, "sci"), str(b.high),
                         _fmt(b.value_high, "sci"), _fmt(b.swing, "sci"))
        _print_wide(bars)
    console.print(f"{s.computed} point(s) computed, {s.reused} reused from {s.store}")


@user_errors
def importance_command(
    architecture: str = typer.Argument(..., help="A built-in architecture id or an architecture TOML file."),
    metric: str = typer.Option("loc_per_person_mission", "--metric", help="The risk metric the factors refer to."),
    trials: int = typer.Option(200_000, "--trials", help="Monte Carlo trials per variant."),
    seed: int = SeedOption,
    workers: int = WorkersOption,
    as_json: bool = JsonOption,
) -> None:
    """RAW and RRW of every basic event (launch, abort, returns, unnoticed damage), with
    Fussell-Vesely shares by cause from `lifeboat risk`."""
    from lifeboat.risk.importance import importance

    result = importance(architecture, metric=metric, trials=trials, seed=seed, workers=workers)
    emit(result, as_json, _render_importance)


def _render_importance(r) -> None:
    table = Table(title=f"Importance for {r.metric} of {r.architecture} (base {_fmt(r.base, 'sci')})")
    for column in ("basic event", "probability", "RAW", "RRW"):
        table.add_column(column, justify="left" if column == "basic event" else "right")
    for e in r.events:
        table.add_row(e.event, f"{e.probability:.4g}",
                      "–" if e.raw is None else f"{e.raw:.3g} ± {e.raw_se:.2g}",
                      "–" if e.rrw is None else f"{e.rrw:.3g} ± {e.rrw_se:.2g}")
    _print_wide(table)
    console.print("RAW: the metric with the event certain / base; RRW: base / the metric with the event "
                  f"impossible; common random numbers, {r.trials:,} trials per variant, seed {r.seed}.")


@user_errors
def rates_command(
    until: str | None = typer.Option(None, "--until", help="Fit only on the record known on this date (YYYY-MM-DD)."),
    as_toml: bool = typer.Option(False, "--toml", help="Print the fitted Beta posteriors as [uncertain.NAME] tables of an architecture file."),
    out: Path | None = RatesOutOption,
    as_json: bool = JsonOption,
) -> None:
    """Bayesian (Jeffreys) failure probabilities per launch, entry and abort from the flight
    records, and a back-test: fit at each date, judge the record after it. --toml / --out give
    the posteriors in architecture-file syntax, to use with "@NAME"."""
    from lifeboat.fileio import write_atomic
    from lifeboat.risk.rates import parse_until, rates, uncertain_tables

    result = rates(parse_until(until))
    if out is not None:
        write_atomic(out, uncertain_tables(result))
    if as_toml:
        sys.stdout.write(uncertain_tables(result))
        return
    emit(result, as_json, _render_rates)
    if out is not None and not as_json:
        console.print(f"[uncertain.NAME] tables written to {out}")


def _render_rates(r) -> None:
    table = Table(title="Failure probability per occasion" + (f", as known on {r.until}" if r.until else ""))
    for column in ("system", "kind", "record through", "failures / occasions", "mean", "5 % – 95 %"):
        table.add_column(column, justify="left" if column in ("system", "kind") else "right")
    for x in r.rates:
        table.add_row(x.system, x.kind, str(x.as_of), f"{x.failures} / {x.occasions}",
                      f"{x.mean:.4f}", f"{x.p05:.4f} – {x.p95:.4f}")
    _print_wide(table)
    if r.backtest:
        bt = Table(title=f"Back-test: failures in the later record against the {100 * r.interval:.0f} % predictive interval")
        for column in ("system", "kind", "fit on", "judged on", "predicted (interval)", "observed", "inside"):
            bt.add_column(column, justify="left" if column in ("system", "kind") else "right")
        for b in r.backtest:
            bt.add_row(b.system, b.kind, f"{b.fit_failures}/{b.fit_occasions} to {b.fit_as_of}",
                       f"{b.judged_occasions} to {b.judged_through}",
                       f"{b.predicted_mean:.2f} ({b.predicted_low}–{b.predicted_high})",
                       str(b.observed_failures), "yes" if b.inside else "NO")
        _print_wide(bt)
        console.print(f"coverage: {sum(b.inside for b in r.backtest)} of {len(r.backtest)} inside")


def register(app: typer.Typer) -> None:
    app.command("risk")(risk)
    app.command("compare")(compare)
    app.command("sweep")(sweep)
    app.command("importance")(importance_command)
    app.command("rates")(rates_command)
