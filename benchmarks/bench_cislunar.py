"""Benchmark: CR3BP propagation of the 9:2 NRHO, our compiled DOP853 vs scipy solve_ivp DOP853.

One period, then a batch of 1,000 periods from states perturbed by N(0, 1e-6²) (nondimensional)
on all six components, both at rtol = atol = 1e-12. The scipy batch is a Python loop with the numpy
right-hand side, timed on a subset and scaled to 1,000 (printed). Run:

    .venv/bin/python benchmarks/bench_cislunar.py
"""

from __future__ import annotations

import time

import numpy as np
from scipy.integrate import solve_ivp
from timing import best_of

from lifeboat.cislunar import physics as phy
from lifeboat.cislunar.halo import solve_nrho

N_BATCH = 1000
N_SCIPY = 50
TOL = 1e-12


def main() -> None:
    orbit = solve_nrho("l2-south", resonance="9:2")
    s0, period = orbit.state0, orbit.period_tu
    rng = np.random.default_rng(np.random.SeedSequence(20261125))
    batch = s0 + rng.normal(0.0, 1e-6, (N_BATCH, 6))

    phy.propagate(s0, period)  # compile (or load from numba's cache) before timing
    phy.propagate_batch(batch[:4], period)

    def scipy_one(state):
        sol = solve_ivp(phy.eom_numpy, (0.0, period), state, method="DOP853", rtol=TOL, atol=TOL)
        return sol.y[:, -1]

    t_one_ours, end_ours = best_of(lambda: phy.propagate(s0, period), 20)
    t_one_scipy, end_scipy = best_of(lambda: scipy_one(s0), 5)
    print(f"9:2 NRHO, one period ({orbit.period_days:.4f} d), rtol = atol = {TOL:g}")
    print(f"  ours (numba DOP853)    : {t_one_ours * 1e3:8.3f} ms")
    print(f"  scipy solve_ivp DOP853 : {t_one_scipy * 1e3:8.3f} ms")
    print(f"  ratio: {t_one_scipy / t_one_ours:.0f}x (one period); |Δr| = "
          f"{np.linalg.norm(end_ours[:3] - end_scipy[:3]) * phy.LENGTH_UNIT_KM:.2e} km")

    t_batch_ours, ends = best_of(lambda: phy.propagate_batch(batch, period), 5)
    t0 = time.perf_counter()
    ends_scipy = np.array([scipy_one(s) for s in batch[:N_SCIPY]])
    t_scipy_subset = time.perf_counter() - t0
    t_batch_scipy = t_scipy_subset * N_BATCH / N_SCIPY
    diff = np.abs(ends[:N_SCIPY] - ends_scipy).max()
    jac_drift = np.abs(phy.jacobi(ends) - phy.jacobi(batch)).max()
    print(f"batch of {N_BATCH} perturbed periods (sigma = 1e-6 nondim, all six components)")
    print(f"  ours (numba, parallel prange over {N_BATCH}) : {t_batch_ours * 1e3:8.1f} ms")
    print(f"  scipy solve_ivp DOP853 loop            : {t_batch_scipy:8.2f} s "
          f"(timed on {N_SCIPY}, scaled x{N_BATCH // N_SCIPY})")
    print(f"  max final-state difference vs scipy (first {N_SCIPY}): {diff:.2e} nondim = "
          f"{diff * phy.LENGTH_UNIT_KM:.2e} km; max Jacobi drift (ours): {jac_drift:.1e}")
    print(f"ratio: {t_batch_scipy / t_batch_ours:.0f}x vs solve_ivp DOP853 (goal >= 100x)")


if __name__ == "__main__":
    main()
