"""The risk service: Monte Carlo of loss of crew, decrewing and cost over years of operations.

Trials are cut into chunks of a fixed size (``CHUNK_TRIALS``), whatever the number of workers.
Chunk ``c`` derives its streams from ``SeedSequence(seed, spawn_key=(c,))``; within it every
trial has its own streams per hazard, slot and rescuer (see ``kernel``), so every architecture of
a comparison sees the same random numbers for the same slot in the same trial (common random
numbers), and chunk results are reduced in chunk order: a seed gives the same numbers on 1, 2 or
16 workers.

Every metric is a ratio of sums over trials (``people_lost / person_missions``, or a per-trial
mean when the denominator is the trial count). Its Monte Carlo standard error comes from batch
sums (batches of trials, aligned across architectures) by the delta method; the standard error
of a difference between architectures is the paired one, from the same batches.

With ``uncertainty = N`` the run is two-level (``lifeboat.risk.uncertainty``): N draws of the
uncertain inputs, each run for ``trials`` trials, and every metric gets its 5/50/95 % over draws.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from lifeboat.errors import InputError
from lifeboat.risk import kernel
from lifeboat.risk.metrics import METRICS, PROVIDER_METRICS, MetricDef
from lifeboat.risk.model import DAYS_PER_YEAR, Architecture, load_architecture

ENGINE_VERSION = "3"  # bump when the semantics or the random streams change
CHUNK_TRIALS = 1 << 14
MAX_TRIALS = 10**10
MAX_EVENTS_PER_TRIAL = 100_000
EXPECTED_EVENTS_LIMIT = 20_000  # refuse architectures whose trials would average more events

ProgressCallback = Callable[[int, int], None]
_TRIALS = kernel.N_COLUMNS  # batch-sum column holding the number of trials


@dataclass(frozen=True)
class RiskResult:
    """Estimates for one architecture over ``horizon_days`` of operations.

    ``metrics[name]`` is ``{mean, mc_se}`` (plus ``p05, p50, p95`` over input draws when
    ``uncertainty_draws > 0``; then ``mean`` is the mean over draws and ``mc_se`` its Monte Carlo
    error); ``providers[key][name]`` the same per provider; ``loc_causes`` the people lost per
    trial by cause and ``fussell_vesely`` each cause's share of them.
    """

    architecture: str
    title: str
    crew_size: int
    horizon_days: float
    trials: int
    seed: int
    uncertainty_draws: int
    metrics: dict[str, dict[str, float]]
    providers: dict[str, dict[str, dict[str, float]]]
    loc_causes: dict[str, dict[str, float]]
    fussell_vesely: dict[str, float | None]
    trials_per_s: float
    workers: int
    chunk_trials: int = CHUNK_TRIALS
    engine_version: str = ENGINE_VERSION
    derived: dict[str, str] = field(default_factory=dict)  # computed or checked at load time
    # A sweep point on a difference: {"baseline": id, "metrics": {name: {mean, mc_se,
    # p_improvement}}}, this architecture minus the baseline on common random numbers.
    difference: dict | None = None

    # Scalar accessors (point means), for callers written against engine version 1.
    @property
    def p_loc(self) -> float:
        return self.metrics["p_loc"]["mean"]

    @property
    def p_loc_ci95(self) -> tuple[float, float]:
        m = self.metrics["p_loc"]
        if "p05" in m:
            return (m["p05"], m["p95"])
        return wilson_interval(m["mean"] * self.trials, self.trials)

    @property
    def loc_per_flight(self) -> float:
        return self.metrics["loc_per_person_mission"]["mean"]

    @property
    def decrewed_days_mean(self) -> float:
        return self.metrics["decrewed_days"]["mean"]

    @property
    def p_any_decrew(self) -> float:
        return self.metrics["p_any_decrew"]["mean"]

    @property
    def seatless_crew_days_mean(self) -> float:
        return self.metrics["seatless_crew_days"]["mean"]

    @property
    def launches_mean(self) -> float:
        return self.metrics["launches"]["mean"]

    @property
    def crewed_launches_mean(self) -> float:
        return self.metrics["crewed_launches"]["mean"]

    @property
    def cost_musd_mean(self) -> float:
        return self.metrics["cost_musd"]["mean"]

    @property
    def evacuations_mean(self) -> float:
        return self.metrics["evacuations"]["mean"]

    @property
    def standard_errors(self) -> dict[str, float]:
        return {name: m["mc_se"] for name, m in self.metrics.items()}


@dataclass(frozen=True)
class Comparison:
    """Several architectures run on common random numbers.

    ``differences[arch][metric]`` (with a baseline) is arch minus baseline, ``{mean, mc_se}``
    with the paired Monte Carlo error, plus 5/50/95 % over input draws when uncertain, and
    ``p_improvement``: over input draws, the share in which ``arch`` is better than the
    baseline; with point inputs, the probability that the sign of the Monte Carlo estimate is
    an improvement (normal approximation; ``p_improvement_basis`` says which).
    """

    baseline: str | None
    trials: int
    seed: int
    uncertainty_draws: int
    results: list[RiskResult]
    differences: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)
    p_improvement_basis: str | None = None
    drivers: dict[str, list[dict[str, Any]]] = field(default_factory=dict)


def wilson_interval(successes: float, n: float, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion (95 % for the default z)."""
    if n <= 0:
        return (0.0, 1.0)
    p = successes / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(max(p * (1 - p) / n + z * z / (4 * n * n), 0.0)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


# --- architecture -> kernel arrays -------------------------------------------------------------

@dataclass(frozen=True)
class KernelInput:
    """The kernel's arrays for one architecture (possibly with drawn input values)."""

    slots: np.ndarray
    prov: np.ndarray
    station: np.ndarray
    provider_keys: tuple[str, ...]


def kernel_input(arch: Architecture, values: dict[str, float] | None = None) -> KernelInput:
    """Arrays for ``arch``; ``values`` replaces fields by dotted path (an input draw)."""
    data = arch.model_dump(mode="python")
    for path, value in (values or {}).items():
        node = data
        keys = path.split(".")
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = value
    station = data["station"]
    designs: dict[str, int] = {}
    launchers: dict[str, int] = {}
    slots, prov = [], []
    for index, (key, p) in enumerate(data["providers"].items()):
        row = np.zeros(kernel.N_PROVIDER_COLUMNS)
        row[kernel.P_ASCENT_FAIL] = _prob(p["ascent_failure"])
        row[kernel.P_ABORT_OK] = _prob(p["abort_success"])
        row[kernel.P_NOMINAL_RETURN_FAIL] = _prob(p["nominal_return_failure"])
        row[kernel.P_EMERGENCY_RETURN_FAIL] = _prob(p["emergency_return_failure"])
        row[kernel.DAMAGE_RATE_PER_D] = max(p["damage_rate_per_year"], 0.0) / DAYS_PER_YEAR
        row[kernel.UNDETECTED_FRACTION] = _prob(p["undetected_damage_fraction"])
        row[kernel.CCF_BETA] = _prob(p["common_cause_beta"])
        row[kernel.DESIGN] = designs.setdefault(p["design"] or key, len(designs))
        row[kernel.LAUNCHER] = launchers.setdefault(p["launcher"] or key, len(launchers))
        g = p["grounding_median_days"]
        row[kernel.GROUNDING_LN_MEDIAN] = math.log(g) if g > 0 else -math.inf
        row[kernel.GROUNDING_SIGMA] = p["grounding_sigma"]
        transit = p["transit_days"] or 0.0
        row[kernel.READINESS_D] = p["replacement_readiness_days"] + transit
        row[kernel.COST_MUSD] = p["cost_per_launch_musd"]
        row[kernel.STAND_DOWN_D] = p["stand_down_days"]
        row[kernel.RESCUE] = 1.0 if p["launch_on_need"] else 0.0
        row[kernel.RESCUE_READINESS_D] = p["rescue_readiness_days"] + transit
        row[kernel.RESCUE_SEATS] = p["rescue_seats"]
        prov.append(row)
        interval = p["rotation_interval_days"]
        for k in range(p["vehicles"]):
            slot = np.zeros(kernel.N_SLOT_COLUMNS)
            slot[kernel.S_PROVIDER] = index
            slot[kernel.S_CREW] = p["crew_per_flight"]
            slot[kernel.S_SEATS] = p["seats"]
            slot[kernel.S_INTERVAL_D] = interval
            slot[kernel.S_PHASE_D] = (p["phase_days"] + k * interval / p["vehicles"]) % interval
            slot[kernel.S_DOCKED_LIFE_D] = p["docked_life_days"]
            slots.append(slot)
    evacuation = math.fsum(h["rate_per_year"] * _prob(h["evacuation_probability"])
                           for h in data["hazards"].values())
    st = np.zeros(kernel.N_STATION)
    st[kernel.EVACUATION_RATE_PER_D] = evacuation / DAYS_PER_YEAR
    st[kernel.MEDICAL_RATE_PER_PERSON_D] = station["medical_evacuation_rate_per_person_year"] / DAYS_PER_YEAR
    limit = station["seatless_limit_days"]
    st[kernel.SEATLESS_LIMIT_D] = math.inf if limit is None else limit
    st[kernel.HORIZON_D] = station["horizon_years"] * DAYS_PER_YEAR
    st[kernel.SEAT_SHARING] = float(data["policies"]["seat_sharing"])
    st[kernel.MIXED_CREWS] = float(data["policies"]["mixed_crews"])
    st[kernel.END_AT_LOSS] = float(station["after_loss"] == "end")
    st[kernel.MAX_EVENTS] = MAX_EVENTS_PER_TRIAL
    return KernelInput(
        np.array(slots).reshape(-1, kernel.N_SLOT_COLUMNS), np.array(prov), st,
        tuple(data["providers"]),
    )


def _prob(value: float) -> float:
    return min(max(float(value), 0.0), 1.0)


def check_bounded(arch: Architecture, *, source: str) -> None:
    """Refuse an architecture whose trials would need an unreasonable number of events (a
    runaway rate, or launches failing every time with a tiny grounding)."""
    horizon = arch.station.horizon_days
    worst, where = 0.0, "station"
    for key, p in arch.providers.items():
        launches = horizon / p.rotation_interval_days
        if p.ascent_failure > 0.5:
            launches += horizon * p.ascent_failure / max(p.grounding_median_days, 1e-9)
        per_vehicle = launches + p.damage_rate_per_year * horizon / DAYS_PER_YEAR
        events = max(p.vehicles, 1) * per_vehicle
        if events > worst:
            worst, where = events, f"providers.{key}"
    hazard_events = sum(h.rate_per_year for h in arch.hazards.values()) * horizon / DAYS_PER_YEAR
    medical = arch.station.medical_evacuation_rate_per_person_year * arch.crew_size * horizon / DAYS_PER_YEAR
    for events, field_path in ((hazard_events, "hazards"), (medical, "station.medical_evacuation_rate_per_person_year")):
        if events > worst:
            worst, where = events, field_path
    if worst > EXPECTED_EVENTS_LIMIT:
        raise InputError(
            f"a trial would take about {worst:,.0f} events (limit {EXPECTED_EVENTS_LIMIT:,}): "
            "check the rates, intervals and groundings", source=source, where=where)


# --- running chunks -----------------------------------------------------------------------------

def chunk_seed(seed: int, chunk: int) -> np.uint64:
    """The 64-bit word from which the streams of chunk ``chunk`` of a run seeded with ``seed``
    derive: ``SeedSequence(seed, spawn_key=(chunk,))``."""
    return np.random.SeedSequence(seed, spawn_key=(chunk,)).generate_state(1, dtype=np.uint64)[0]


def chunk_sizes(trials: int, chunk_trials: int = CHUNK_TRIALS) -> list[int]:
    """Trials in each chunk: full chunks and one shorter last chunk."""
    full, rest = divmod(trials, chunk_trials)
    return [chunk_trials] * full + ([rest] if rest else [])


def batch_trials(trials: int) -> int:
    """Trials per batch for standard errors: a power of two giving at least ~500 batches."""
    size = 1
    while size < 1024 and size * 2 * 512 <= trials:
        size *= 2
    return size


def simulate_trials(inp: KernelInput, seed_word: np.uint64, n: int) -> np.ndarray:
    """Per-trial tallies (n × ``kernel.N_COLUMNS``) for ``n`` trials of a chunk."""
    out = np.zeros((n, kernel.N_COLUMNS))
    kernel.simulate_trials(np.uint64(seed_word), inp.slots, inp.prov, inp.station, out)
    return out


def batch_sums(rows: np.ndarray, size: int) -> np.ndarray:
    """Sums over consecutive batches of ``size`` trials, with the trial count appended."""
    n = rows.shape[0]
    starts = np.arange(0, n, size)
    sums = np.add.reduceat(rows, starts, axis=0)
    counts = np.diff(np.append(starts, n)).astype(float)
    return np.column_stack([sums, counts])


def simulate_chunk_batches(inputs: Sequence[KernelInput], seed: int, chunk: int, n: int,
                           size: int) -> list[np.ndarray]:
    """Batch sums of chunk ``chunk`` for each architecture, all on the chunk's streams."""
    out = []
    word = chunk_seed(seed, chunk)
    for inp in inputs:
        rows = simulate_trials(inp, word, n)
        out.append(batch_sums(rows, size))
    return out


def run_batches(inputs: Sequence[KernelInput], trials: int, seed: int, workers: int,
                progress: ProgressCallback | None = None, total: int | None = None,
                done_before: int = 0) -> list[np.ndarray]:
    """Batch sums (in chunk order) of ``trials`` trials for each architecture."""
    size = batch_trials(trials)
    jobs = list(enumerate(chunk_sizes(trials)))
    parts: list[list[np.ndarray]] = [[] for _ in inputs]
    done = 0
    total = total or trials

    def collect(result):
        for k, b in enumerate(result):
            parts[k].append(b)

    def step(result, job) -> None:
        nonlocal done
        collect(result)
        done += job[1]
        if progress:
            progress(done_before + done, total)

    ordered_map(lambda job: simulate_chunk_batches(inputs, seed, job[0], job[1], size), jobs, workers, step)
    return [np.concatenate(p) for p in parts]


def ordered_map(fn: Callable, items: Sequence, workers: int, on_result: Callable) -> None:
    """Call ``on_result(fn(item), item)`` for every item, in order, with ``workers`` threads.

    At most 2 x workers items are in flight, so a huge run holds little memory and an interrupt
    (Ctrl-C) stops it after the items already running."""
    if workers == 1:
        for item in items:
            on_result(fn(item), item)
        return
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        queue: deque = deque()
        it = iter(items)
        for item in it:
            queue.append((item, pool.submit(fn, item)))
            if len(queue) >= 2 * workers:
                break
        while queue:
            item, future = queue.popleft()
            on_result(future.result(), item)
            nxt = next(it, _END)
            if nxt is not _END:
                queue.append((nxt, pool.submit(fn, nxt)))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


_END = object()


# --- reducing batches ---------------------------------------------------------------------------

def _column(batches: np.ndarray, name: str) -> np.ndarray:
    return batches[:, _TRIALS] if name == "trials" else batches[:, kernel.COL[name]]


def ratio_terms(batches: np.ndarray, d: MetricDef, provider: int | None = None):
    """(estimate, per-batch linearised terms) of a ratio metric; estimate None if undefined."""
    num = d.numerator.format(p=provider)
    den = d.denominator.format(p=provider)
    x, y = _column(batches, num), _column(batches, den)
    sy = y.sum()
    if sy <= 0:
        return None, None
    r = x.sum() / sy
    return r * d.scale, (x - r * y) / sy * d.scale


def _se(terms: np.ndarray) -> float:
    n = terms.shape[0]
    if n < 2:
        return 0.0
    return float(math.sqrt(n / (n - 1) * float(np.dot(terms, terms))))


def point_metrics(batches: np.ndarray, defs: dict[str, MetricDef], provider: int | None = None
                  ) -> dict[str, dict[str, float]]:
    out = {}
    for name, d in defs.items():
        est, terms = ratio_terms(batches, d, provider)
        out[name] = {"mean": est, "mc_se": None if terms is None else _se(terms)}
    return out


def point_difference(a: np.ndarray, b: np.ndarray, d: MetricDef) -> dict[str, float] | None:
    """b minus a, with the paired standard error (common batches)."""
    ea, ta = ratio_terms(a, d)
    eb, tb = ratio_terms(b, d)
    if ea is None or eb is None:
        return {"mean": None, "mc_se": None, "p_improvement": None}
    diff = eb - ea
    se = _se(tb - ta)
    out = {"mean": diff, "mc_se": se, "p_improvement": None}
    if d.lower_is_better is not None:
        better = -diff if d.lower_is_better else diff
        out["p_improvement"] = 0.5 if se == 0 and better == 0 else (
            1.0 if se == 0 and better > 0 else 0.0 if se == 0 else _normal_cdf(better / se))
    return out


def _normal_cdf(x: float) -> float:
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def summarize(arch: Architecture, inp: KernelInput, batches: np.ndarray, *, seed: int,
              trials_per_s: float, workers: int) -> RiskResult:
    """Reduce batch sums (in chunk order) to a :class:`RiskResult`."""
    if _column(batches, "truncated").sum() > 0:
        raise InputError(
            f"a trial needed more than {MAX_EVENTS_PER_TRIAL:,} events: check the rates, "
            "intervals and groundings", source=arch.id)
    metrics = point_metrics(batches, METRICS)
    providers = {key: point_metrics(batches, PROVIDER_METRICS, i) for i, key in enumerate(inp.provider_keys)}
    causes = point_metrics(batches, {c: MetricDef(f"lost_{c}", "trials") for c in kernel.CAUSES})
    lost = metrics["people_lost"]["mean"]
    fv = {c: (causes[c]["mean"] / lost if lost else None) for c in kernel.CAUSES}
    return RiskResult(
        architecture=arch.id, title=arch.title, crew_size=arch.crew_size,
        horizon_days=arch.station.horizon_days, trials=int(_column(batches, "trials").sum()),
        seed=seed, uncertainty_draws=0, metrics=metrics, providers=providers, loc_causes=causes,
        fussell_vesely=fv, trials_per_s=trials_per_s, workers=workers, derived=dict(arch.derived),
    )


def _check_run_args(trials: int, seed: int, workers: int) -> None:
    if not 1 <= trials <= MAX_TRIALS:
        raise InputError(f"expected 1 to {MAX_TRIALS} trials, got {trials}", param="trials")
    if seed < 0:
        raise InputError(f"expected a seed >= 0, got {seed}", param="seed")
    if not 1 <= workers <= 256:
        raise InputError(f"expected 1 to 256 workers, got {workers}", param="workers")


def _load(a: Architecture | str | Path) -> Architecture:
    arch = a if isinstance(a, Architecture) else load_architecture(a)
    check_bounded(arch, source=arch.id)
    return arch


def run_risk(
    architecture: Architecture | str | Path,
    *,
    trials: int = 1_000_000,
    seed: int = 1,
    workers: int = 1,
    uncertainty: int = 0,
    progress: ProgressCallback | None = None,
) -> RiskResult:
    """Estimate loss-of-crew, exposure, decrewing and cost metrics for ``architecture``.

    ``architecture`` is an :class:`Architecture`, a built-in id or a TOML path; ``workers``
    threads run chunks in parallel (the kernel releases the GIL); ``uncertainty = N`` runs N
    input draws of ``trials`` trials each; ``progress(done, total)`` counts trials.
    """
    if uncertainty:
        return compare_paired([architecture], trials=trials, seed=seed, workers=workers,
                              uncertainty=uncertainty, progress=progress).results[0]
    arch = _load(architecture)
    _check_run_args(trials, seed, workers)
    inp = kernel_input(arch)
    start = time.perf_counter()
    (batches,) = run_batches([inp], trials, seed, workers, progress)
    elapsed = time.perf_counter() - start
    return summarize(arch, inp, batches, seed=seed,
                     trials_per_s=trials / elapsed if elapsed > 0 else 0.0, workers=workers)


def compare_paired(
    architectures: Sequence[Architecture | str | Path],
    *,
    baseline: str | None = None,
    trials: int = 1_000_000,
    seed: int = 1,
    workers: int = 1,
    uncertainty: int = 0,
    scheduler: str | None = None,
    store: str | Path | None = None,
    progress: ProgressCallback | None = None,
) -> Comparison:
    """Run every architecture on common random numbers; with ``baseline`` (an id among them)
    add each other architecture's differences from it. ``uncertainty = N`` makes it a
    two-level run (see :mod:`lifeboat.risk.uncertainty`)."""
    archs = [_load(a) for a in architectures]
    if not archs:
        raise InputError("expected at least one architecture to compare", param="architectures")
    ids = [a.id for a in archs]
    if len(set(ids)) != len(ids):
        raise InputError(f"an architecture is named twice ({', '.join(ids)})", param="architectures")
    if baseline is not None and baseline not in ids:
        raise InputError(f"the baseline {baseline!r} is not among the architectures ({', '.join(ids)})",
                         param="baseline")
    _check_run_args(trials, seed, workers)
    if uncertainty:
        from lifeboat.risk.uncertainty import run_two_level

        return run_two_level(archs, baseline=baseline, trials=trials, seed=seed, workers=workers,
                             draws=uncertainty, scheduler=scheduler, store=store, progress=progress)
    inputs = [kernel_input(a) for a in archs]
    start = time.perf_counter()
    batches = run_batches(inputs, trials, seed, workers, progress, total=trials)
    elapsed = time.perf_counter() - start
    rate = trials * len(archs) / elapsed if elapsed > 0 else 0.0
    results = [summarize(a, i, b, seed=seed, trials_per_s=rate, workers=workers)
               for a, i, b in zip(archs, inputs, batches, strict=True)]
    differences = {}
    if baseline is not None:
        base = batches[ids.index(baseline)]
        for arch, b in zip(archs, batches, strict=True):
            if arch.id != baseline:
                differences[arch.id] = {name: point_difference(base, b, d) for name, d in METRICS.items()}
                _add_cost_per_loc_averted(differences[arch.id])
    return Comparison(baseline=baseline, trials=trials, seed=seed, uncertainty_draws=0,
                      results=results, differences=differences,
                      p_improvement_basis="monte_carlo_error" if baseline else None)


def _add_cost_per_loc_averted(diff: dict[str, dict]) -> None:
    """Extra cost per loss of crew averted (US$ M), when losses are averted."""
    dl, dc = diff["loss_events"]["mean"], diff["cost_musd"]["mean"]
    value = dc / -dl if dl is not None and dc is not None and dl < 0 else None
    diff["cost_per_loc_averted_musd"] = {"mean": value, "mc_se": None, "p_improvement": None}


def compare(
    architectures: Sequence[Architecture | str | Path],
    *,
    trials: int = 1_000_000,
    seed: int = 1,
    workers: int = 1,
    progress: ProgressCallback | None = None,
) -> list[RiskResult]:
    """Run every architecture on common random numbers; the results, in order."""
    return compare_paired(architectures, trials=trials, seed=seed, workers=workers,
                          progress=progress).results
