"""The fast kernel against the independent SimPy reference (same rules, different code and draws).

Each statistic must agree within 4 combined standard errors; the reference runs a few thousand
trials (seconds), the kernel a million.
"""

from __future__ import annotations

import math

import pytest

from lifeboat.risk.engine import run_risk
from lifeboat.risk.model import load_architecture, with_overrides
from lifeboat.risk.reference import run_reference

STATISTICS = ("p_loc", "decrewed_days_mean", "p_any_decrew", "seatless_crew_days_mean", "launches_mean", "cost_musd_mean")


def stress_two_providers():
    """iss-mixed with damage, groundings and emergencies turned up so every rule fires often."""
    base = load_architecture("iss-mixed")
    return with_overrides(
        base,
        {
            "providers.soyuz.damage_rate_per_year": 1.5,
            "providers.dragon.damage_rate_per_year": 1.0,
            "providers.soyuz.ascent_failure": 0.1,
            "providers.dragon.ascent_failure": 0.08,
            "providers.soyuz.grounding_median_days": 120.0,
            "providers.dragon.seats": 6,
            "providers.soyuz.nominal_return_failure": 0.01,
            "hazards.fire.evacuation_probability": 1.0,
            "hazards.fire.rate_per_year": 0.3,
            "station.horizon_years": 4.0,
        },
        source="test",
    )


def assert_agree(fast, ref):
    for key in STATISTICS:
        a, b = getattr(fast, key), getattr(ref, key)
        se = math.hypot(fast.standard_errors[key], ref.standard_errors[key])
        assert abs(a - b) <= 4 * se + 1e-12, f"{key}: fast {a} vs SimPy {b} (combined SE {se})"
    for cause, p in fast.loc_causes.items():
        q = ref.loc_causes[cause]
        se = math.sqrt(p * (1 - p) / fast.trials + q * (1 - q) / ref.trials)
        assert abs(p - q) <= 4 * se + 1e-12, f"LOC cause {cause}: fast {p} vs SimPy {q}"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("make", "ref_trials"),
    [
        (lambda: load_architecture("textbook"), 6000),
        (stress_two_providers, 3000),
        (lambda: load_architecture("iss-2003-columbia"), 6000),
        (lambda: with_overrides(load_architecture("gateway-orion-partner-reserve"),
                                {"providers.orion.damage_rate_per_year": 2.0}, source="test"), 3000),
    ],
    ids=["textbook", "two-providers-damage-sharing", "iss-2003-columbia", "gateway-reserve"],
)
def test_fast_engine_agrees_with_simpy_reference(make, ref_trials):
    arch = make()
    fast = run_risk(arch, trials=400_000, seed=11)
    ref = run_reference(arch, trials=ref_trials, seed=12)
    assert_agree(fast, ref)


def test_stress_architecture_exercises_every_rule():
    """Guard for the comparison above: the stress case must produce each kind of event."""
    arch = stress_two_providers()
    fast = run_risk(arch, trials=100_000, seed=3)
    assert fast.seatless_crew_days_mean > 1.0
    assert fast.p_any_decrew > 0.05
    assert all(fast.loc_causes[c] > 0 for c in ("ascent", "emergency_return", "no_seat", "nominal_return"))
    # Both policies change the outcome, so both rules are compared with the reference.
    for policy in ("seat_sharing", "mixed_crews"):
        off = run_risk(with_overrides(arch, {f"policies.{policy}": False}, source="test"), trials=100_000, seed=3)
        assert abs(off.decrewed_days_mean - fast.decrewed_days_mean) + abs(
            off.seatless_crew_days_mean - fast.seatless_crew_days_mean) > 1.0, policy
