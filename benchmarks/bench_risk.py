"""Speed of the risk engine on the textbook architecture (perf-anchors.md §5 contract).

Measures in the same run, on this machine:
* the fast numba engine, one worker, 4 M trials after a warm-up (median of 3 runs);
* the plain SimPy reference with a ~3 s budget (the named baseline);
* the fast engine on two workers (threads, one random stream per chunk) against one.
Also checks that both engines agree within Monte Carlo error, so a fast wrong engine cannot pass.
Goals: >= 1000x the SimPy reference, >= 5 M trials/s, >= 1.7x on two workers.
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


def fast_rate(arch, workers: int) -> tuple[float, object]:
    """Median trials/s over RUNS runs of FAST_TRIALS trials (wall time around run_risk)."""
    rates = []
    result = None
    for _ in range(RUNS):
        start = time.perf_counter()
        result = run_risk(arch, trials=FAST_TRIALS, seed=2026, workers=workers)
        rates.append(FAST_TRIALS / (time.perf_counter() - start))
    return statistics.median(rates), result


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
    one, fast = fast_rate(arch, workers=1)
    two, _ = fast_rate(arch, workers=2)
    slow, ref = simpy_rate(arch)
    se = math.hypot(fast.standard_errors["p_loc"], ref.standard_errors["p_loc"])
    agree = abs(fast.p_loc - ref.p_loc) <= 4 * se
    print(f"textbook P(LOC): fast {fast.p_loc:.5f} ({fast.trials:,} trials), SimPy {ref.p_loc:.5f} "
          f"({ref.trials:,} trials): {'agree' if agree else 'DISAGREE'} within 4 SE ({se:.5f})")
    print(f"SimPy reference: {slow / 1e3:.2f} k trials/s")
    print(f"fast engine: {one / 1e6:.2f} M trials/s (goal >= 5)")
    print(f"fast engine, two workers: {two / 1e6:.2f} M trials/s")
    print(f"ratio: {one / slow:.0f}x vs SimPy reference (goal >= 1000x)")
    print(f"ratio: {two / one:.2f}x two workers vs one (goal >= 1.7x)")
    if not agree:
        raise SystemExit("the fast engine and the SimPy reference disagree")


if __name__ == "__main__":
    main()
