"""Speed of the risk engine, measured in the same run against named baselines.

* textbook architecture (the contract of docs/risk-model.md): the fast numba engine on one
  worker, 4 M trials (median of 3 runs), against the plain SimPy reference with a ~3 s budget
  (the named baseline); both must agree within Monte Carlo error, so a fast wrong engine cannot
  pass. Goals: >= 5 M trials/s, >= 1000x SimPy, >= 1.7x on two workers.
* two-provider architectures (iss-mixed, and the equal-crew pairs with every v2 rule on):
  trials per second on one worker, by wall clock and per CPU-second (the machine may be shared),
  against the single-provider textbook rate. Goal: >= 2 M trials per CPU-second.
* two-level run: 1,000 input draws x 100,000 trials of iss-7-dragon-soyuz on two workers.
  Goal: <= 60 s.
"""

from __future__ import annotations

import math
import statistics
import time

from lifeboat.risk.engine import run_risk
from lifeboat.risk.model import load_architecture
from lifeboat.risk.reference import run_reference

FAST_TRIALS = 4_000_000
SIMPY_BUDGET_S = 3.0
RUNS = 3
TWO_LEVEL = (1_000, 100_000)


def fast_rate(arch, workers: int, trials: int = FAST_TRIALS) -> tuple[float, float, object]:
    """Median wall-clock and CPU-time trials/s over RUNS runs (CPU time counts every thread)."""
    walls, cpus = [], []
    result = None
    for _ in range(RUNS):
        start, cpu = time.perf_counter(), time.process_time()
        result = run_risk(arch, trials=trials, seed=2026, workers=workers)
        walls.append(trials / (time.perf_counter() - start))
        cpus.append(trials / max(time.process_time() - cpu, 1e-9))
    return statistics.median(walls), statistics.median(cpus), result


def simpy_rate(arch) -> tuple[float, object]:
    """Trials/s of the SimPy reference: a short calibration, then a run sized to the budget."""
    start = time.perf_counter()
    run_reference(arch, trials=300, seed=1)
    per_trial = (time.perf_counter() - start) / 300
    trials = max(300, int(SIMPY_BUDGET_S / per_trial))
    start = time.perf_counter()
    result = run_reference(arch, trials=trials, seed=2)
    return trials / (time.perf_counter() - start), result


def main() -> None:
    arch = load_architecture("textbook")
    run_risk(arch, trials=100_000, seed=1, workers=2)  # compile or load the numba cache
    one, one_cpu, fast = fast_rate(arch, workers=1)
    two, _, _ = fast_rate(arch, workers=2)
    slow, ref = simpy_rate(arch)
    a, b = fast.metrics["p_loc"], ref.metrics["p_loc"]
    se = math.hypot(a["mc_se"], b["mc_se"])
    agree = abs(a["mean"] - b["mean"]) <= 4 * se
    print(f"textbook P(LOC): fast {a['mean']:.5f} ({fast.trials:,} trials), SimPy {b['mean']:.5f} "
          f"({ref.trials:,} trials): {'agree' if agree else 'DISAGREE'} within 4 SE ({se:.5f})")
    print(f"SimPy reference: {slow / 1e3:.2f} k trials/s")
    print(f"fast engine: {one / 1e6:.2f} M trials/s wall, {one_cpu / 1e6:.2f} M per CPU-second (goal >= 5)")
    print(f"fast engine, two workers: {two / 1e6:.2f} M trials/s")
    print(f"ratio: {one / slow:.0f}x vs SimPy reference (goal >= 1000x)")
    print(f"ratio: {two / one:.2f}x two workers vs one (goal >= 1.7x)")

    for name in ("iss-mixed", "iss-7-dragon-soyuz", "iss-6-soyuz-dragon", "iss-7-dragon"):
        wall, cpu, _ = fast_rate(load_architecture(name), workers=1, trials=2_000_000)
        print(f"{name}: {wall / 1e6:.2f} M trials/s wall, {cpu / 1e6:.2f} M per CPU-second "
              f"(goal >= 2; {cpu / one_cpu:.2f}x the textbook rate)")

    draws, trials = TWO_LEVEL
    pair = load_architecture("iss-7-dragon-soyuz")
    start, cpu = time.perf_counter(), time.process_time()
    r = run_risk(pair, trials=trials, seed=5, workers=2, uncertainty=draws)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    m = r.metrics["loc_per_person_mission"]
    print(f"two-level {draws:,} draws x {trials:,} trials of {pair.id} on 2 workers: {elapsed:.1f} s wall, "
          f"{cpu:.1f} CPU-s (goal <= 60 s on two free cores, i.e. <= 120 CPU-s); "
          f"LOC per person-mission {m['mean']:.2e} [{m['p05']:.2e} - {m['p95']:.2e}]")
    if not agree:
        raise SystemExit("the fast engine and the SimPy reference disagree")


if __name__ == "__main__":
    main()
