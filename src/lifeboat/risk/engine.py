"""The risk service: Monte Carlo of loss of crew and decrewing over years of station operations.

Trials are cut into chunks of a fixed size (``CHUNK_TRIALS``), whatever the number of workers.
Chunk ``c`` draws from its own stream ``PCG64(SeedSequence(seed, spawn_key=(c,)))`` and the
chunk sums are added in chunk order, so a seed gives the same numbers on 1, 2 or 16 workers.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from lifeboat.errors import InputError
from lifeboat.risk import kernel
from lifeboat.risk.model import DAYS_PER_YEAR, Architecture, load_architecture

ENGINE_VERSION = "1"  # bump when the semantics or the random streams change
CHUNK_TRIALS = 1 << 16
MAX_TRIALS = 10**10

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class RiskResult:
    """Monte Carlo estimates for one architecture (per trial = one horizon of operations)."""

    architecture: str
    title: str
    trials: int
    seed: int
    horizon_days: float
    p_loc: float
    p_loc_ci95: tuple[float, float]
    loc_per_flight: float
    decrewed_days_mean: float
    p_any_decrew: float
    seatless_crew_days_mean: float
    launches_mean: float
    crewed_launches_mean: float
    cost_musd_mean: float
    evacuations_mean: float
    loc_causes: dict[str, float]
    standard_errors: dict[str, float]
    trials_per_s: float
    workers: int
    chunk_trials: int = CHUNK_TRIALS
    engine_version: str = ENGINE_VERSION


def wilson_interval(successes: float, n: float, z: float = 1.959963984540054) -> tuple[float, float]:
    """Wilson score interval for a binomial proportion (95 % for the default z)."""
    if n <= 0:
        return (0.0, 1.0)
    p = successes / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def provider_array(architecture: Architecture) -> np.ndarray:
    """The kernel's provider parameter array (days, per-day rates) for ``architecture``."""
    rows = []
    for p in architecture.providers.values():
        row = np.zeros(kernel.N_PROVIDER_COLUMNS)
        row[kernel.CREW] = p.crew_per_flight
        row[kernel.SEATS] = p.seats
        row[kernel.INTERVAL_D] = p.rotation_interval_days
        row[kernel.PHASE_D] = p.phase_days
        row[kernel.DOCKED_LIFE_D] = p.docked_life_days
        row[kernel.P_ASCENT_FAIL] = p.ascent_failure
        row[kernel.P_ABORT_OK] = p.abort_success
        row[kernel.P_NOMINAL_RETURN_FAIL] = p.nominal_return_failure
        row[kernel.P_EMERGENCY_RETURN_FAIL] = p.emergency_return_failure
        row[kernel.DAMAGE_RATE_PER_D] = p.damage_rate_per_year / DAYS_PER_YEAR
        row[kernel.GROUNDING_LN_MEDIAN] = (
            math.log(p.grounding_median_days) if p.grounding_median_days > 0 else -math.inf
        )
        row[kernel.GROUNDING_SIGMA] = p.grounding_sigma
        row[kernel.READINESS_D] = p.replacement_readiness_days
        row[kernel.COST_MUSD] = p.cost_per_launch_musd
        rows.append(row)
    return np.array(rows)


def chunk_generator(seed: int, chunk: int) -> np.random.Generator:
    """The random stream of chunk ``chunk`` of a run seeded with ``seed``."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(chunk,))))


def chunk_sizes(trials: int, chunk_trials: int = CHUNK_TRIALS) -> list[int]:
    """Trials in each chunk: full chunks and one shorter last chunk."""
    full, rest = divmod(trials, chunk_trials)
    return [chunk_trials] * full + ([rest] if rest else [])


def simulate_chunks(
    architecture: Architecture, seed: int, chunks: Iterable[tuple[int, int]]
) -> np.ndarray:
    """Statistics (rows of ``kernel.STATS``) for the given (chunk index, trials) pairs."""
    prov = provider_array(architecture)
    rate = architecture.evacuation_rate_per_year / DAYS_PER_YEAR
    horizon = architecture.station.horizon_days
    sharing = architecture.policies.seat_sharing
    mixed = architecture.policies.mixed_crews
    rows = []
    for index, n in chunks:
        out = np.zeros(kernel.N_STATS)
        kernel.simulate_chunk(chunk_generator(seed, index), n, prov, rate, horizon, sharing, mixed, out)
        rows.append(out)
    return np.array(rows).reshape(-1, kernel.N_STATS)


def _check_run_args(trials: int, seed: int, workers: int) -> None:
    if not 1 <= trials <= MAX_TRIALS:
        raise InputError(f"expected 1 to {MAX_TRIALS} trials, got {trials}", source="--trials")
    if seed < 0:
        raise InputError(f"expected a seed >= 0, got {seed}", source="--seed")
    if not 1 <= workers <= 256:
        raise InputError(f"expected 1 to 256 workers, got {workers}", source="--workers")


def run_risk(
    architecture: Architecture | str | Path,
    *,
    trials: int = 1_000_000,
    seed: int = 1,
    workers: int = 1,
    progress: ProgressCallback | None = None,
) -> RiskResult:
    """Estimate loss-of-crew and decrewing statistics for ``architecture``.

    ``architecture`` is an :class:`Architecture`, a built-in id or a TOML path; ``workers``
    threads run chunks in parallel (the kernel releases the GIL); ``progress(done, total)`` is
    called with trial counts as chunks finish.
    """
    arch = architecture if isinstance(architecture, Architecture) else load_architecture(architecture)
    _check_run_args(trials, seed, workers)
    sizes = chunk_sizes(trials)
    jobs = list(enumerate(sizes))
    rows = np.zeros((len(jobs), kernel.N_STATS))
    done = 0
    start = time.perf_counter()
    if workers == 1:
        for index, n in jobs:
            rows[index] = simulate_chunks(arch, seed, [(index, n)])[0]
            done += n
            if progress:
                progress(done, trials)
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(simulate_chunks, arch, seed, [job]) for job in jobs]
            for (index, n), future in zip(jobs, futures, strict=True):
                rows[index] = future.result()[0]
                done += n
                if progress:
                    progress(done, trials)
    elapsed = time.perf_counter() - start
    return summarize(arch, seed, rows, trials_per_s=trials / elapsed if elapsed > 0 else math.inf, workers=workers)


def summarize(
    arch: Architecture, seed: int, rows: np.ndarray, *, trials_per_s: float, workers: int
) -> RiskResult:
    """Reduce per-chunk statistics (in chunk order) to a :class:`RiskResult`."""
    total = np.zeros(kernel.N_STATS)
    for row in rows:  # explicit chunk order: the sum does not depend on how chunks were run
        total += row
    s = dict(zip(kernel.STATS, (float(v) for v in total), strict=True))
    n = s["trials"]

    def mean_se(key: str) -> tuple[float, float]:
        mean = s[key] / n
        var = max(s[key + "_sq"] / n - mean * mean, 0.0)
        return mean, math.sqrt(var / n)

    p_loc = s["loc"] / n
    decrewed, decrewed_se = mean_se("decrewed_days")
    seatless, seatless_se = mean_se("seatless_crew_days")
    launches, launches_se = mean_se("launches")
    cost, cost_se = mean_se("cost_musd")
    p_decrew = s["any_decrew"] / n
    return RiskResult(
        architecture=arch.id,
        title=arch.title,
        trials=int(n),
        seed=seed,
        horizon_days=arch.station.horizon_days,
        p_loc=p_loc,
        p_loc_ci95=wilson_interval(s["loc"], n),
        loc_per_flight=s["loc"] / s["crewed_launches"] if s["crewed_launches"] else math.nan,
        decrewed_days_mean=decrewed,
        p_any_decrew=p_decrew,
        seatless_crew_days_mean=seatless,
        launches_mean=launches,
        crewed_launches_mean=s["crewed_launches"] / n,
        cost_musd_mean=cost,
        evacuations_mean=s["evacuations"] / n,
        loc_causes={c: s[f"loc_{c}"] / n for c in kernel.CAUSES},
        standard_errors={
            "p_loc": math.sqrt(p_loc * (1 - p_loc) / n),
            "decrewed_days_mean": decrewed_se,
            "p_any_decrew": math.sqrt(p_decrew * (1 - p_decrew) / n),
            "seatless_crew_days_mean": seatless_se,
            "launches_mean": launches_se,
            "cost_musd_mean": cost_se,
        },
        trials_per_s=trials_per_s,
        workers=workers,
    )


def compare(
    architectures: Sequence[Architecture | str | Path],
    *,
    trials: int = 1_000_000,
    seed: int = 1,
    workers: int = 1,
    progress: ProgressCallback | None = None,
) -> list[RiskResult]:
    """Run every architecture with the same trials and seed (common random-number seeds)."""
    archs = [a if isinstance(a, Architecture) else load_architecture(a) for a in architectures]
    if not archs:
        raise InputError("expected at least one architecture to compare", source="ARCH")
    total = trials * len(archs)
    results = []
    for i, arch in enumerate(archs):
        offset = i * trials
        step = (lambda d, _t, o=offset: progress(o + d, total)) if progress else None
        results.append(run_risk(arch, trials=trials, seed=seed, workers=workers, progress=step))
    return results
