"""Speed of the risk engine, measured in the same run against named baselines.

* textbook architecture (the contract of docs/risk-model.md): the fast numba engine on one
  worker, 4 M trials (median of 3 runs), against the plain SimPy reference with a ~3 s budget
  (the named baseline); both must agree within Monte Carlo error, so a fast wrong engine cannot
  pass. Goals: >= 5 M trials/s, >= 1000x SimPy, >= 1.7x on two workers.
* two-provider architectures (iss-mixed, and the equal-crew pairs with every v2 rule on):
  trials per second on one worker, by wall clock and per CPU-second (the machine may be shared),
  against the single-provider textbook rate. Goal: >= 2 M trials per CPU-second.
* the Gateway trio (a 30-day visit a year, the visit fast forward): trials per CPU-second.
* two-level run: 1,000 input draws x 100,000 trials of iss-7-dragon-soyuz on two workers.
  Goal: <= 60 s.

With ``BENCH_RISK_BEFORE=REV`` (a git revision), the kernel of that revision is loaded from git
and timed on the same inputs in the same run, alternating with the current kernel, for a
before/after ratio per architecture; the two must give the same tallies (to rounding).
"""

from __future__ import annotations

import importlib.util
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from lifeboat.risk import kernel
from lifeboat.risk.engine import kernel_input, run_risk
from lifeboat.risk.model import load_architecture
from lifeboat.risk.reference import run_reference

FAST_TRIALS = 4_000_000
SIMPY_BUDGET_S = 3.0
RUNS = 3
TWO_LEVEL = (1_000, 100_000)
PAIRS = ("iss-mixed", "iss-7-dragon-soyuz", "iss-6-soyuz-dragon", "iss-7-dragon")
GATEWAY = ("gateway-orion", "gateway-orion-partner-reserve", "gateway-orion-partner-on-need")
KERNEL_CHUNK = 20_000


def kernel_at(rev: str):
    """The risk kernel module as it was at git revision ``rev``."""
    root = Path(__file__).resolve().parents[1]
    source = subprocess.run(["git", "show", f"{rev}:src/lifeboat/risk/kernel.py"], cwd=root,
                            check=True, capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp(prefix="bench-risk-")) / "kernel_before.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("kernel_before", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["kernel_before"] = module
    spec.loader.exec_module(module)
    return module


def kernel_rate(module, inp, trials: int) -> tuple[float, np.ndarray]:
    """Trials per CPU-second of ``module.simulate_trials`` alone, and the summed tallies."""
    out = np.zeros((KERNEL_CHUNK, kernel.N_COLUMNS))
    total = np.zeros(kernel.N_COLUMNS)
    cpu = time.process_time()
    for chunk in range(trials // KERNEL_CHUNK):
        out[:] = 0.0
        module.simulate_trials(np.uint64(chunk), inp.slots, inp.prov, inp.station, out)
        total += out.sum(axis=0)
    return trials / max(time.process_time() - cpu, 1e-9), total


def before_after(rev: str, names, trials: int = 1_000_000) -> None:
    """Kernel at ``rev`` against the current one, alternating, best of three each."""
    old = kernel_at(rev)
    for name in names:
        inp = kernel_input(load_architecture(name))
        kernel_rate(old, inp, KERNEL_CHUNK)
        kernel_rate(kernel, inp, KERNEL_CHUNK)
        before, after, sums = [], [], []
        for _ in range(RUNS):
            rate, a = kernel_rate(old, inp, trials)
            before.append(rate)
            rate, b = kernel_rate(kernel, inp, trials)
            after.append(rate)
            sums = (a, b)
        same = np.allclose(sums[0], sums[1], rtol=1e-9, atol=1e-6)
        print(f"{name}: kernel at {rev} {max(before) / 1e6:.2f} M, now {max(after) / 1e6:.2f} M "
              f"trials per CPU-second ({max(after) / max(before):.2f}x); tallies "
              f"{'identical' if same else 'DIFFER'}")
        if not same:
            raise SystemExit(f"{name}: the kernel at {rev} and the current one disagree")


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

    for name in PAIRS + GATEWAY:
        wall, cpu, _ = fast_rate(load_architecture(name), workers=1, trials=2_000_000)
        goal = "goal >= 2; " if name in PAIRS else ""
        print(f"{name}: {wall / 1e6:.2f} M trials/s wall, {cpu / 1e6:.2f} M per CPU-second "
              f"({goal}{cpu / one_cpu:.2f}x the textbook rate)")
    if os.environ.get("BENCH_RISK_BEFORE"):
        before_after(os.environ["BENCH_RISK_BEFORE"], ("textbook",) + PAIRS + GATEWAY)

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
