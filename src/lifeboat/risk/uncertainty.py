"""Two-level Monte Carlo: epistemic uncertainty on the inputs, aleatory trials inside.

The outer loop draws every uncertain input once per draw (``[uncertain.NAME]`` tables); inputs
with the same name share the draw, across the vehicles of one architecture and across the
architectures of a comparison. Each draw then runs ``trials`` trials of every architecture on
common random numbers. Draw ``d`` depends only on ``(seed, d)``: its input values come from
``SeedSequence([seed, d, hash(NAME)])`` and its trials from a seed derived from
``SeedSequence([seed, d])``, so the result is the same on 1 thread, 2 threads or a Dask cluster.

For every metric the summary over draws is ``mean`` (over draws), ``mc_se`` (the Monte Carlo
standard error of that mean: the spread over draws / sqrt(draws), which includes the inner
trials' noise), and ``p05, p50, p95`` (the input-uncertainty band; with few trials per draw it
is widened by the inner Monte Carlo noise). A difference gets the same, plus ``p_improvement``,
the share of draws in which the architecture beats the baseline.
"""

from __future__ import annotations

import hashlib
import json
import math
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from lifeboat.errors import InputError
from lifeboat.risk import kernel
from lifeboat.risk.engine import (
    ENGINE_VERSION,
    METRICS,
    PROVIDER_METRICS,
    Comparison,
    MetricDef,
    RiskResult,
    kernel_input,
    ordered_map,
    ratio_terms,
    run_batches,
)
from lifeboat.risk.model import PROBABILITY_FIELDS, Architecture, Uncertain

MAX_DRAWS = 100_000
_CAUSES = {c: MetricDef(f"lost_{c}", "trials") for c in kernel.CAUSES}


def shared_inputs(archs: Sequence[Architecture]) -> dict[str, Uncertain]:
    """Every uncertain input of the architectures; one name must mean one distribution."""
    out: dict[str, Uncertain] = {}
    owner: dict[str, str] = {}
    for arch in archs:
        for name in set(arch.uses.values()):
            dist = arch.uncertain[name]
            if name in out and out[name] != dist:
                raise InputError(
                    f"the uncertain input {name!r} differs between {owner[name]} and {arch.id}; "
                    "one name must mean one distribution in a comparison", source=arch.id,
                    where=f"uncertain.{name}")
            out.setdefault(name, dist)
            owner.setdefault(name, arch.id)
    return dict(sorted(out.items()))


def _name_key(name: str) -> int:
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "little")


def draw_inputs(inputs: dict[str, Uncertain], seed: int, draw: int) -> dict[str, float]:
    """The value of every uncertain input in draw ``draw`` (independent of the others' names)."""
    values = {}
    for name, dist in inputs.items():
        rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, draw, _name_key(name)])))
        if dist.distribution == "beta":
            values[name] = float(rng.beta(dist.alpha, dist.beta))
        else:
            values[name] = float(dist.median * math.exp(dist.sigma * rng.standard_normal()))
    return values


def inner_seed(seed: int, draw: int) -> int:
    return int(np.random.SeedSequence([seed, draw]).generate_state(2, dtype=np.uint64)[0])


def _metric_keys(archs: Sequence[Architecture]) -> list[list[tuple[str, str | None, str, MetricDef, int | None]]]:
    """Per architecture, the (group, provider, metric, definition, provider index) it reports."""
    out = []
    for arch in archs:
        keys = [("metrics", None, n, d, None) for n, d in METRICS.items()]
        keys += [("loc_causes", None, c, d, None) for c, d in _CAUSES.items()]
        for i, key in enumerate(arch.providers):
            keys += [("providers", key, n, d, i) for n, d in PROVIDER_METRICS.items()]
        out.append(keys)
    return out


def run_draw(arch_data: list[dict[str, Any]], inputs_data: dict[str, dict[str, Any]], seed: int,
             draw: int, trials: int) -> tuple[dict[str, float], list[np.ndarray]]:
    """One outer draw (a Dask task: plain data in, arrays out): the input values, and for each
    architecture the value of every metric of ``_metric_keys`` (NaN where undefined)."""
    archs = [Architecture.model_validate(a) for a in arch_data]
    inputs = {k: Uncertain.model_validate(v) for k, v in inputs_data.items()}
    values = draw_inputs(inputs, seed, draw)
    kernel_inputs = []
    for arch in archs:
        by_path = {}
        for path, name in arch.uses.items():
            v = values[name]
            by_path[path] = min(max(v, 0.0), 1.0) if path.rsplit(".", 1)[-1] in PROBABILITY_FIELDS else max(v, 0.0)
        kernel_inputs.append(kernel_input(arch, by_path))
    batches = run_batches(kernel_inputs, trials, inner_seed(seed, draw), workers=1)
    out = []
    for keys, b in zip(_metric_keys(archs), batches, strict=True):
        if b[:, kernel.COL["truncated"]].sum() > 0:
            raise InputError(f"draw {draw}: a trial needed too many events; check the uncertain "
                             "inputs' upper tails", source=archs[0].id)
        row = np.full(len(keys), np.nan)
        for j, (_, _, _, d, p) in enumerate(keys):
            est, _ = ratio_terms(b, d, p)
            if est is not None:
                row[j] = est
        out.append(row)
    return values, out


def _summary(v: np.ndarray) -> dict[str, float | None]:
    v = v[np.isfinite(v)]
    if v.size == 0:
        return {"mean": None, "mc_se": None, "p05": None, "p50": None, "p95": None}
    p05, p50, p95 = np.percentile(v, [5, 50, 95])
    se = float(v.std(ddof=1) / math.sqrt(v.size)) if v.size > 1 else None
    return {"mean": float(v.mean()), "mc_se": se, "p05": float(p05), "p50": float(p50), "p95": float(p95)}


def _run_key(archs: Sequence[Architecture], trials: int, seed: int) -> str:
    text = json.dumps([[a.digest() for a in archs], trials, seed, ENGINE_VERSION])
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def run_two_level(
    archs: Sequence[Architecture],
    *,
    baseline: str | None,
    trials: int,
    seed: int,
    workers: int,
    draws: int,
    scheduler: str | None = None,
    store: str | Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Comparison:
    """``draws`` outer draws of ``trials`` trials each; see the module docstring."""
    if not 1 <= draws <= MAX_DRAWS:
        raise InputError(f"expected 1 to {MAX_DRAWS} input draws, got {draws}", param="uncertainty")
    inputs = shared_inputs(archs)
    if not inputs:
        raise InputError("no uncertain inputs in " + ", ".join(a.id for a in archs) +
                         " (name a number \"@NAME\" and define [uncertain.NAME])", param="uncertainty")
    arch_data = [a.model_dump(mode="python") for a in archs]
    inputs_data = {k: v.model_dump(mode="python") for k, v in inputs.items()}
    results: dict[int, tuple[dict[str, float], list[np.ndarray]]] = {}
    key = _run_key(archs, trials, seed)
    db = None
    if store is not None:
        from lifeboat.risk.store import UncertaintyStore

        db = UncertaintyStore(store)
        results.update(db.draws(key, archs, _metric_keys(archs)))
    missing = [d for d in range(draws) if d not in results]
    start = time.perf_counter()

    def done(value, draw: int) -> None:
        results[draw] = value
        if db is not None:
            db.put(key, draw, value[0], archs, _metric_keys(archs), value[1])
        if progress:
            progress(len(results) * trials, draws * trials)

    try:
        if scheduler:
            _on_dask(scheduler, arch_data, inputs_data, seed, trials, missing, done)
        else:
            ordered_map(lambda d: run_draw(arch_data, inputs_data, seed, d, trials), missing, workers, done)
    finally:
        if db is not None:
            db.close()
    elapsed = time.perf_counter() - start
    rate = len(missing) * trials * len(archs) / elapsed if missing and elapsed > 0 else 0.0
    return _summarize(archs, baseline, inputs, results, draws, trials, seed, workers, rate)


def _on_dask(scheduler, arch_data, inputs_data, seed, trials, missing, done) -> None:
    from dask.distributed import as_completed

    from lifeboat.risk.sweep import _client

    client, cluster = _client(scheduler)
    try:
        futures = {client.submit(run_draw, arch_data, inputs_data, seed, d, trials,
                                 key=f"lifeboat-uq-{seed}-{trials}-{d}", pure=False): d for d in missing}
        for future in as_completed(futures):
            done(future.result(), futures[future])
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _summarize(archs, baseline, inputs, results, draws, trials, seed, workers, rate) -> Comparison:
    order = list(range(draws))
    keys = _metric_keys(archs)
    per_arch = [np.array([results[d][1][i] for d in order]) for i in range(len(archs))]
    out = []
    for arch, ks, values in zip(archs, keys, per_arch, strict=True):
        groups: dict[str, Any] = {"metrics": {}, "loc_causes": {}, "providers": {k: {} for k in arch.providers}}
        for j, (group, prov, name, _, _) in enumerate(ks):
            target = groups[group][prov] if group == "providers" else groups[group]
            target[name] = _summary(values[:, j])
        lost = groups["metrics"]["people_lost"]["mean"]
        fv = {c: (groups["loc_causes"][c]["mean"] / lost if lost else None) for c in kernel.CAUSES}
        out.append(RiskResult(
            architecture=arch.id, title=arch.title, crew_size=arch.crew_size,
            horizon_days=arch.station.horizon_days, trials=trials, seed=seed, uncertainty_draws=draws,
            metrics=groups["metrics"], providers=groups["providers"], loc_causes=groups["loc_causes"],
            fussell_vesely=fv, trials_per_s=rate, workers=workers, derived=dict(arch.derived),
        ))
    differences, drivers = {}, {}
    if baseline is not None:
        ids = [a.id for a in archs]
        b = ids.index(baseline)
        drawn = {name: np.array([results[d][0][name] for d in order]) for name in inputs}
        for i, arch in enumerate(archs):
            if i == b:
                continue
            diff = {}
            for j, (name, d) in enumerate(METRICS.items()):
                delta = per_arch[i][:, j] - per_arch[b][:, j]
                s = _summary(delta)
                s["p_improvement"] = _p_improvement(delta, d.lower_is_better)
                diff[name] = s
            lost = per_arch[i][:, list(METRICS).index("loss_events")] - per_arch[b][:, list(METRICS).index("loss_events")]
            cost = per_arch[i][:, list(METRICS).index("cost_musd")] - per_arch[b][:, list(METRICS).index("cost_musd")]
            averted = -np.nanmean(lost)
            diff["cost_per_loc_averted_musd"] = {
                "mean": float(np.nanmean(cost) / averted) if averted > 0 else None,
                "mc_se": None, "p_improvement": None}
            differences[arch.id] = diff
            j = list(METRICS).index("loc_per_person_mission")
            drivers[arch.id] = _drivers(drawn, per_arch[i][:, j] - per_arch[b][:, j])
    return Comparison(baseline=baseline, trials=trials, seed=seed, uncertainty_draws=draws,
                      results=out, differences=differences,
                      p_improvement_basis="input_draws" if baseline else None, drivers=drivers)


def _p_improvement(delta: np.ndarray, lower_is_better: bool | None) -> float | None:
    delta = delta[np.isfinite(delta)]
    if lower_is_better is None or delta.size == 0:
        return None
    better = -delta if lower_is_better else delta
    return float(np.mean(better > 0) + 0.5 * np.mean(better == 0))


def _drivers(drawn: dict[str, np.ndarray], delta: np.ndarray) -> list[dict[str, Any]]:
    """Inputs ranked by |Spearman rank correlation| with the difference across draws."""
    from scipy.stats import spearmanr

    ok = np.isfinite(delta)
    rows = []
    for name, values in drawn.items():
        if ok.sum() < 3 or np.ptp(values[ok]) == 0 or np.ptp(delta[ok]) == 0:
            continue
        rho = float(spearmanr(values[ok], delta[ok]).statistic)
        if math.isfinite(rho):
            rows.append({"input": name, "rank_correlation": rho})
    return sorted(rows, key=lambda r: -abs(r["rank_correlation"]))
