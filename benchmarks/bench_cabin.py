"""Benchmark: cabin leak simulation and hole fit, ours vs plain scipy ``solve_ivp`` references.

1. A 48-hour simulation of the full ISS module network (catalog ISS, newest configuration, with a
   Soyuz docked; the stand-in network of the tests if the catalog has no ISS yet): a 2 mm hole
   (Cd 0.6) in the Soyuz orbital module, two hatches closed from the start, the leaking segment
   cut off at 6.05 h and reopened at 30.05 h, crew O2 use. Ours: the lumped closed-form solution
   (``simulate``). Reference: the full stiff network (every hatch an orifice) integrated with
   ``solve_ivp`` (Radau) on the same problem (``simulate_full_network``).
2. A fit of a 10,000-sample pressure series (916 m³, Cd·A 1 mm² from hour 16 of 72, a 0.05 mm²
   background leak, 0.1 mmHg noise). Ours: ``fit_leak``. Reference: nonlinear least squares
   (``scipy.optimize.least_squares``) of onset, level and both leak areas, the model evaluated by
   ``solve_ivp`` (LSODA) of the one-volume ODE at every residual call.

Run:  .venv/bin/python benchmarks/bench_cabin.py
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import least_squares
from timing import best_of

from lifeboat.cabin import physics
from lifeboat.cabin.fit import fit_leak
from lifeboat.cabin.network import (
    HatchEvent,
    Leak,
    crew_o2_use,
    simulate,
    simulate_full_network,
    station_network,
)


def iss_network():
    from lifeboat.catalog import load_catalog

    soyuz = [("soyuz", "soyuz-ms", "rassvet")]
    config = load_catalog().station("iss").configurations[-1].id
    return station_network("iss", config, soyuz), f"catalog iss {config}"


def bench_network() -> None:
    net, label = iss_network()
    open_hatches = [h for h in net.hatches if h.open]
    rassvet_side = next(h for h in open_hatches if "rassvet" in (h.a, h.b) and "soyuz-om" not in
                        (h.a, h.b))
    # Close two hatches far from the leak so the run has several separate volumes.
    far = [h for h in open_hatches if "rassvet" not in (h.a, h.b) and "soyuz" not in h.a + h.b]
    net = net.with_hatches(closed=[(h.a, h.b) for h in far[-2:]])
    problem = dict(
        leaks=[Leak("soyuz-om", 0.6 * math.pi * (2e-3) ** 2 / 4)],
        hatch_events=[HatchEvent(6.05 * 3600, rassvet_side.a, rassvet_side.b, False),
                      HatchEvent(30.05 * 3600, rassvet_side.a, rassvet_side.b, True)],
        sources=[crew_o2_use(net.module_ids[0], 3)],
        n_points=481,
    )
    duration = 48 * 3600.0
    t_ours, ours = best_of(lambda: simulate(net, duration, **problem), 20)
    t_ref, ref = best_of(lambda: simulate_full_network(net, duration, **problem), 1)
    diff = np.abs(ours.pressure_mmhg - ref.pressure_mmhg).max()
    closed = ", ".join(f"{h.a}/{h.b}" for h in net.hatches if not h.open)
    print(f"48-h leak simulation, {len(net.modules)} modules ({label}); closed: {closed}; "
          f"{rassvet_side.a}/{rassvet_side.b} closed 6.05–30.05 h")
    print(f"  ours (lumped closed form)   : {t_ours * 1e3:9.3f} ms")
    print(f"  solve_ivp Radau full network: {t_ref * 1e3:9.3f} ms")
    print(f"  max pressure difference     : {diff:.2e} mmHg")
    print(f"  ratio: {t_ref / t_ours:.0f}x vs solve_ivp (goal >= 10x)")


def synthetic_series(n=10_000, seed=20180829):
    rng = np.random.default_rng(seed)
    volume, span_h, onset_h = 916.0, 72.0, 16.0
    t = np.sort(rng.uniform(0.0, span_h * 3600.0, n))
    coef_b = float(physics.leak_coefficient_kg_per_s_pa(0.05e-6, 295.15))
    coef_l = float(physics.leak_coefficient_kg_per_s_pa(1.0e-6, 295.15))
    capacity = volume / (physics.R_AIR_J_PER_KG_K * 295.15)
    rate_b, rate_l = coef_b / capacity, coef_l / capacity
    p = 101325.0 * np.exp(-rate_b * t - rate_l * np.maximum(t - onset_h * 3600, 0.0))
    p_mmhg = p / physics.PA_PER_MMHG + rng.normal(0.0, 0.1, n)
    start = datetime(2018, 8, 29, tzinfo=UTC)
    return {"utc": [start + timedelta(seconds=float(x)) for x in t],
            "pressure_mmhg": p_mmhg.tolist()}, t, p_mmhg, capacity


def reference_fit(t, p_mmhg, capacity):
    """least_squares over (onset h, p0 mmHg, background mm², leak mm²), model by solve_ivp."""

    def model(theta):
        onset_s, p0, area_b, area_l = theta[0] * 3600, theta[1], theta[2] * 1e-6, theta[3] * 1e-6
        coef_b = float(physics.leak_coefficient_kg_per_s_pa(area_b, 295.15))
        coef_l = float(physics.leak_coefficient_kg_per_s_pa(area_l, 295.15))

        def rhs(time_s, y):
            return [-(coef_b + (coef_l if time_s >= onset_s else 0.0)) * y[0] / capacity]

        sol = solve_ivp(rhs, (0.0, t[-1]), [p0], t_eval=t, method="LSODA", rtol=1e-8,
                        atol=1e-8, max_step=1800.0)
        return sol.y[0]

    result = least_squares(lambda th: model(th) - p_mmhg, x0=[20.0, 760.0, 0.1, 0.8],
                           bounds=([0.0, 700.0, 0.0, 0.0], [t[-1] / 3600, 800.0, 5.0, 5.0]),
                           x_scale=[1.0, 1.0, 0.01, 0.1], diff_step=1e-4)
    return result.x, model(result.x)


def bench_fit() -> None:
    data, t, p_mmhg, capacity = synthetic_series()
    t_ours, fit = best_of(lambda: fit_leak(data, 916.0, 0.6), 3)
    t_ref, (theta, curve) = best_of(lambda: reference_fit(t, p_mmhg, capacity), 1)
    onset_h = (fit.onset_utc - data["utc"][0]).total_seconds() / 3600
    ours_curve = np.where(
        t / 3600 < onset_h,
        fit.pressure_at_onset_mmhg * np.exp(fit.background_rate_mmhg_per_h / fit.pressure_at_onset_mmhg
                                            * (t / 3600 - onset_h)),
        fit.pressure_at_onset_mmhg * np.exp(-(fit.leak_rate_at_onset_mmhg_per_h
                                              - fit.background_rate_mmhg_per_h)
                                            / fit.pressure_at_onset_mmhg * (t / 3600 - onset_h)))
    print("fit of a 10,000-sample series (true Cd·A 1.0 mm², onset 16.0 h)")
    print(f"  ours (hinge + HAC)          : {t_ours * 1e3:9.3f} ms  Cd·A {fit.effective_area_mm2:.4f} "
          f"mm² (95 % {fit.effective_area_ci95_mm2[0]:.4f}–{fit.effective_area_ci95_mm2[1]:.4f}),"
          f" onset {onset_h:.2f} h")
    print(f"  least_squares + solve_ivp   : {t_ref * 1e3:9.3f} ms  Cd·A {theta[3]:.4f} mm², "
          f"onset {theta[0]:.2f} h")
    print(f"  max pressure difference     : {np.abs(ours_curve - curve).max():.2e} mmHg")
    print(f"  ratio: {t_ref / t_ours:.0f}x vs solve_ivp (goal >= 10x)")


if __name__ == "__main__":
    bench_network()
    bench_fit()
