"""Parameter sweeps of the risk engine on Dask, with a resumable DuckDB store.

A sweep file names a base architecture and either a grid (every combination of the listed
values) or one-at-a-time ranges (a tornado: the base point, then each parameter at its low and
high value with the others at base). Point ``i`` runs with a seed derived from the sweep seed
and ``i`` (``SeedSequence(seed, spawn_key=(i,))``; with ``common_seed = true`` every point uses
the seed of point 0), so a point's numbers do not depend on which worker ran it or when. Points
already in the store (same key) are not computed again.

With a ``baseline`` architecture, every point also runs the (unchanged) baseline with the point's
seed, paired on common random numbers, and carries each metric's difference (point minus
baseline) in ``RiskResult.difference``; ``metric = "difference:NAME"`` ranks a tornado by it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import itertools
import json
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from lifeboat.errors import InputError
from lifeboat.risk.engine import ENGINE_VERSION, RiskResult, compare_paired, run_risk
from lifeboat.risk.model import (
    DIFFERENCE_PREFIX,
    Architecture,
    SweepFile,
    load_architecture,
    load_sweep,
    with_overrides,
)
from lifeboat.risk.store import SweepStore

DEFAULT_STORE_NAME = "lifeboat-sweep.duckdb"
LOCAL_WORKERS = 2
MAX_SWEEP_POINTS = 100_000  # points per sweep; a bigger grid is split by the user, not expanded in memory
MAX_SWEEP_TRIALS = 1e11  # trials over all points


@dataclass(frozen=True)
class SweepPoint:
    """One point of a sweep: its overrides, its architecture and what fixes its numbers."""

    index: int
    parameters: dict[str, Any]
    architecture: Architecture
    trials: int
    seed: int
    key: str
    baseline: Architecture | None = None


@dataclass(frozen=True)
class PointResult:
    index: int
    parameters: dict[str, Any]
    key: str
    reused: bool
    result: RiskResult


@dataclass(frozen=True)
class TornadoBar:
    """The sweep's metric (and P(LOC)) with one parameter at its low and at its high value, the
    others at base; bars are ranked by the swing of the metric."""

    parameter: str
    low: Any
    high: Any
    p_loc_low: float
    p_loc_high: float
    swing: float  # of the metric
    metric: str = "p_loc"
    value_low: float | None = None
    value_high: float | None = None


@dataclass(frozen=True)
class SweepResult:
    sweep: str
    kind: str
    architecture: str
    store: str
    computed: int
    reused: int
    points: list[PointResult]
    base_p_loc: float | None
    tornado: list[TornadoBar]
    metric: str = "p_loc"
    base_value: float | None = None
    baseline: str | None = None


def point_seed(sweep_seed: int, index: int) -> int:
    """The seed of point ``index``: 63 bits from ``SeedSequence(sweep_seed, spawn_key=(index,))``."""
    state = np.random.SeedSequence(sweep_seed, spawn_key=(index,)).generate_state(1, np.uint64)[0]
    return int(state >> np.uint64(1))


def point_key(architecture: Architecture, parameters: dict[str, Any], trials: int, seed: int,
              baseline: Architecture | None = None) -> str:
    """Hash of everything that fixes a point's numbers."""
    text = json.dumps(
        {
            "architecture": architecture.digest(),
            **({"baseline": [baseline.id, baseline.digest()]} if baseline is not None else {}),
            "parameters": parameters,
            "trials": trials,
            "seed": seed,
            "engine_version": ENGINE_VERSION,
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _resolve(name: str, path: Path) -> Architecture:
    """A built-in id, or a path relative to the sweep file (else to the working folder)."""
    candidate = path.parent / name
    if name.endswith(".toml") or "/" in name:
        return load_architecture(candidate if candidate.is_file() else name)
    return load_architecture(name)


def metric_value(result: RiskResult, metric: str) -> float | None:
    """A point's value of the sweep metric (a ``difference:`` metric from its paired difference)."""
    if metric.startswith(DIFFERENCE_PREFIX):
        diff = (result.difference or {}).get("metrics", {}).get(metric.removeprefix(DIFFERENCE_PREFIX))
        return None if diff is None else diff["mean"]
    return result.metrics[metric]["mean"]


def _overrides(sweep: SweepFile) -> list[dict[str, Any]]:
    names = list(sweep.parameters)
    if sweep.kind == "grid":
        return [dict(zip(names, combo, strict=True)) for combo in itertools.product(*sweep.parameters.values())]
    points: list[dict[str, Any]] = [{}]
    for name in names:
        low, high = sweep.parameters[name]
        points += [{name: low}, {name: high}]
    return points


def plan_sweep(path: str | Path) -> tuple[SweepFile, Architecture, list[SweepPoint]]:
    """Read a sweep file and list its points (validating every point's architecture); a sweep
    larger than :data:`MAX_SWEEP_POINTS` points or :data:`MAX_SWEEP_TRIALS` trials in all is
    refused before any point is built."""
    path = Path(path)
    sweep = load_sweep(path)
    points = math.prod(len(v) for v in sweep.parameters.values()) if sweep.kind == "grid" \
        else 1 + 2 * len(sweep.parameters)
    if points > MAX_SWEEP_POINTS or points * sweep.trials > MAX_SWEEP_TRIALS:
        raise InputError(f"{points:,} points × {sweep.trials:,} trials: more than "
                         f"{MAX_SWEEP_POINTS:,} points or {MAX_SWEEP_TRIALS:.0e} trials in all; "
                         "split the sweep", source=str(path), where="parameters")
    base = _resolve(sweep.architecture, path)
    baseline = None if sweep.baseline is None else _resolve(sweep.baseline, path)
    if baseline is not None and baseline.id == base.id:  # compared on one run, so ids must differ
        baseline = baseline.model_copy(update={"id": f"{baseline.id}-baseline"})
    points = []
    for index, params in enumerate(_overrides(sweep)):
        arch = with_overrides(base, params, source=str(path))
        seed = point_seed(sweep.seed, 0 if sweep.common_seed else index)
        key = point_key(arch, params, sweep.trials, seed, baseline)
        points.append(SweepPoint(index, params, arch, sweep.trials, seed, key, baseline))
    return sweep, base, points


def compute_point(architecture: dict[str, Any], trials: int, seed: int,
                  baseline: dict[str, Any] | None = None) -> RiskResult:
    """Run one point (the Dask task; takes plain data so it pickles cheaply); with a baseline,
    both run on the point's seed and the point carries its paired differences."""
    arch = Architecture.model_validate(architecture)
    if baseline is None:
        return run_risk(arch, trials=trials, seed=seed, workers=1)
    base = Architecture.model_validate(baseline)
    comparison = compare_paired([base, arch], baseline=base.id, trials=trials, seed=seed, workers=1)
    return dataclasses.replace(comparison.results[1], difference={
        "baseline": base.id, "metrics": comparison.differences[arch.id]})


def _client(scheduler: str | None):
    from dask.distributed import Client, LocalCluster

    if scheduler:
        try:
            return Client(scheduler, timeout="10s"), None
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(f"cannot reach the Dask scheduler ({exc})", source="--scheduler") from None
    cluster = LocalCluster(
        n_workers=LOCAL_WORKERS, threads_per_worker=1, processes=True,
        dashboard_address=":0", silence_logs=logging.ERROR,
    )
    return Client(cluster), cluster


def run_sweep(
    path: str | Path,
    *,
    scheduler: str | None = None,
    store: str | Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    on_stored: Callable[[PointResult], None] | None = None,
) -> SweepResult:
    """Run the missing points of a sweep on Dask and return all its points, in index order.

    ``scheduler`` is the address of a running Dask scheduler (default: a local cluster of
    ``LOCAL_WORKERS`` processes); ``store`` the DuckDB file (default ``lifeboat-sweep.duckdb``
    next to the sweep file); ``progress(done, total)`` counts points; ``on_stored`` sees each
    point as soon as it is stored.
    """
    path = Path(path)
    sweep, base, points = plan_sweep(path)
    store_path = Path(store) if store else path.parent / DEFAULT_STORE_NAME
    results: dict[int, PointResult] = {}
    with SweepStore(store_path) as db:
        stored = db.results(p.key for p in points)
        for p in points:
            if p.key in stored:
                results[p.index] = PointResult(p.index, p.parameters, p.key, True, stored[p.key])
        missing = [p for p in points if p.index not in results]
        if progress:
            progress(len(results), len(points))
        if missing:
            _compute_missing(missing, scheduler, db, path, results, len(points), progress, on_stored)
    ordered = [results[i] for i in range(len(points))]
    return SweepResult(
        sweep=str(path),
        kind=sweep.kind,
        architecture=base.id,
        store=str(store_path),
        computed=sum(not r.reused for r in ordered),
        reused=sum(r.reused for r in ordered),
        points=ordered,
        base_p_loc=ordered[0].result.p_loc if sweep.kind == "tornado" else None,
        tornado=_tornado(sweep, ordered) if sweep.kind == "tornado" else [],
        metric=sweep.metric,
        base_value=metric_value(ordered[0].result, sweep.metric) if sweep.kind == "tornado" else None,
        baseline=None if sweep.baseline is None else points[0].baseline.id,
    )


def _compute_missing(missing, scheduler, db, path, results, total, progress, on_stored) -> None:
    from dask.distributed import as_completed

    client, cluster = _client(scheduler)
    try:
        futures = {
            client.submit(
                compute_point, p.architecture.model_dump(mode="python"), p.trials, p.seed,
                None if p.baseline is None else p.baseline.model_dump(mode="python"),
                key=f"lifeboat-risk-point-{p.key}", pure=False,
            ): p
            for p in missing
        }
        for future in as_completed(futures):
            p = futures[future]
            result = future.result()
            db.put(key=p.key, sweep=path.name, index=p.index, parameters=p.parameters, result=result)
            point = PointResult(p.index, p.parameters, p.key, False, result)
            results[p.index] = point
            if progress:
                progress(len(results), total)
            if on_stored:
                on_stored(point)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _tornado(sweep: SweepFile, points: list[PointResult]) -> list[TornadoBar]:
    bars = []
    for i, name in enumerate(sweep.parameters):
        low, high = points[2 * i + 1], points[2 * i + 2]
        v_low = metric_value(low.result, sweep.metric)
        v_high = metric_value(high.result, sweep.metric)
        bars.append(
            TornadoBar(
                parameter=name,
                low=low.parameters[name],
                high=high.parameters[name],
                p_loc_low=low.result.p_loc,
                p_loc_high=high.result.p_loc,
                swing=abs(v_high - v_low) if v_low is not None and v_high is not None else 0.0,
                metric=sweep.metric,
                value_low=v_low,
                value_high=v_high,
            )
        )
    return sorted(bars, key=lambda b: b.swing, reverse=True)
