"""Closed forms for special cases of the risk model (docs/risk-model.md, "Checks").

Each case builds a one-provider architecture in which the quantity has an exact expression and
checks the fast engine against it within 4 standard errors (or, for AC-12(b), that the engine's
own 95 % Wilson interval contains the analytic value, as facts.md §11 asks).
"""

from __future__ import annotations

import math

import pytest

from lifeboat.risk.engine import run_risk
from lifeboat.risk.model import DAYS_PER_YEAR, architecture_from_dict


def one_provider(*, p_fail=0.0, p_abort=0.0, interval=180.0, horizon_years=10.0,
                 evac_rate_per_year=0.0, p_emergency_return=0.0):
    """A single provider whose launches fall on a fixed calendar: the grounding after a failure
    lasts exactly one rotation interval (sigma 0), so a retry comes when the next rotation would
    have, and the number of flights is fixed. The docked life is longer than the horizon, so
    vehicles never expire; returns carry no risk."""
    return architecture_from_dict(
        {
            "id": "closed-form",
            "title": "closed form",
            "station": {"name": "S", "crew_size": 3, "horizon_years": horizon_years},
            "providers": {
                "only": {
                    "name": "P", "crew_per_flight": 3, "seats": 3,
                    "rotation_interval_days": interval, "docked_life_days": 1e6,
                    "ascent_failure": p_fail, "abort_success": p_abort,
                    "emergency_return_failure": p_emergency_return,
                    "grounding_median_days": interval, "grounding_sigma": 0.0,
                    "replacement_readiness_days": 0.0, "cost_per_launch_musd": 1.0,
                }
            },
            "hazards": {"any": {"rate_per_year": evac_rate_per_year, "evacuation_probability": 1.0}},
        },
        source="test",
    )


def within(value, expected, se, k=4.0):
    assert abs(value - expected) <= k * se, f"{value} vs {expected} (SE {se})"


def test_only_ascent_failures():
    """n = 20 flights (at 180 d, 360 d, ... 3600 d < 3652.5 d); LOC per flight q = p_f (1 - p_a):
    P(LOC) = 1 - (1 - q)^n and E[launches] = sum_{k<n} (1 - q)^k = (1 - (1 - q)^n) / q."""
    p_f, p_a, n = 0.05, 0.5, 20
    q = p_f * (1 - p_a)
    r = run_risk(one_provider(p_fail=p_f, p_abort=p_a), trials=400_000, seed=21)
    within(r.p_loc, 1 - (1 - q) ** n, r.standard_errors["p_loc"])
    within(r.launches_mean, (1 - (1 - q) ** n) / q, r.standard_errors["launches_mean"])
    assert r.cost_musd_mean == pytest.approx(r.launches_mean, rel=1e-12)  # 1 US$ M per launch
    assert r.loc_causes["ascent"] == r.p_loc
    assert r.p_any_decrew == 0.0 and r.decrewed_days_mean == 0.0


@pytest.mark.parametrize(("n", "expected"), [(10, 0.036), (30, 0.105), (50, 0.169)])
def test_ac12b_per_mission_loc_1_in_270(n, expected):
    """facts.md §11 AC-12(b): per-mission LOC 1/270 over N missions, 1 - (1 - p)^N; the
    estimator's 95 % interval must contain the analytic value."""
    p = 1 / 270
    analytic = 1 - (1 - p) ** n
    assert analytic == pytest.approx(expected, abs=0.001)
    arch = one_provider(p_fail=p, p_abort=0.0, horizon_years=(n + 0.5) * 180.0 / DAYS_PER_YEAR)
    r = run_risk(arch, trials=1_000_000, seed=270 + n)
    assert r.crewed_launches_mean <= n and r.launches_mean == pytest.approx(
        (1 - (1 - p) ** n) / p, rel=1e-2)
    lo, hi = r.p_loc_ci95
    assert lo <= analytic <= hi


def test_only_poisson_emergencies_loss_of_crew():
    """Evacuations at rate lambda, each return failing with p_r; after an evacuation the station
    stays decrewed until the next rotation (every I days, never failing), and emergencies then
    have no effect. So each rotation interval loses the crew with p_r (1 - exp(-lambda I)):
    P(LOC) = 1 - [1 - p_r (1 - e^{-lambda I})]^n [1 - p_r (1 - e^{-lambda r})], with n full
    intervals and a last partial one of r days. (1 - exp(-lambda T p_r) is only the limit of
    rare emergencies.)"""
    lam_per_year, p_r, interval = 2.0, 0.1, 180.0
    horizon = 10 * DAYS_PER_YEAR
    n, rest = 20, horizon - 20 * interval
    lam = lam_per_year / DAYS_PER_YEAR
    survive = (1 - p_r * (1 - math.exp(-lam * interval))) ** n * (1 - p_r * (1 - math.exp(-lam * rest)))
    r = run_risk(one_provider(evac_rate_per_year=lam_per_year, p_emergency_return=p_r), trials=400_000, seed=5)
    within(r.p_loc, 1 - survive, r.standard_errors["p_loc"])
    assert r.loc_causes["emergency_return"] == r.p_loc
    # The naive rare-event formula is visibly off here (the decrewed gaps shelter the crew).
    assert abs((1 - math.exp(-lam * horizon * p_r)) - (1 - survive)) > 10 * r.standard_errors["p_loc"]


def test_only_poisson_emergencies_decrewing():
    """With safe returns (p_r = 0): per interval of length L the decrewed time is L - min(tau, L)
    with tau ~ Exp(lambda), mean L - (1 - e^{-lambda L}) / lambda; the station is decrewed at
    least once iff any emergency happens, P = 1 - e^{-lambda T}; evacuations per trial
    sum 1 - e^{-lambda L} over the intervals."""
    lam_per_year, interval = 0.1, 180.0
    horizon = 10 * DAYS_PER_YEAR
    lam = lam_per_year / DAYS_PER_YEAR
    lengths = [interval] * 20 + [horizon - 20 * interval]
    decrewed = sum(length - (1 - math.exp(-lam * length)) / lam for length in lengths)
    evacuations = sum(1 - math.exp(-lam * length) for length in lengths)
    r = run_risk(one_provider(evac_rate_per_year=lam_per_year), trials=400_000, seed=8)
    assert r.p_loc == 0.0
    within(r.decrewed_days_mean, decrewed, r.standard_errors["decrewed_days_mean"])
    within(r.p_any_decrew, 1 - math.exp(-lam * horizon), r.standard_errors["p_any_decrew"])
    assert r.evacuations_mean == pytest.approx(evacuations, rel=0.01)
