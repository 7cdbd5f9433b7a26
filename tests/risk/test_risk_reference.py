"""The fast kernel against the independent SimPy reference (same rules, different code and draws).

Each statistic must agree within 4 combined standard errors; the reference runs a few thousand
trials (seconds), the kernel 400,000.
"""

from __future__ import annotations

import math

import pytest

from lifeboat.risk.engine import run_risk
from lifeboat.risk.model import architecture_from_dict, load_architecture, with_overrides
from lifeboat.risk.reference import run_reference

STATISTICS = ("p_loc", "people_lost", "loss_events", "person_missions", "crew_days", "decrewed_days",
              "p_any_decrew", "seatless_crew_days", "launches", "cost_musd", "evacuations",
              "medical_evacuations", "rescue_flights")


def every_rule() -> dict:
    """Two providers of one design (one with two staggered vehicles) and a launch-on-need
    rescuer, with every rule turned up so that each fires often: common-cause damage, undetected
    damage, stand-downs with the trial continuing, consumables running out, medical returns,
    rescue flights, seat sharing and mixed crews."""
    provider = {
        "ascent_failure": 0.06, "abort_success": 0.8, "nominal_return_failure": 0.02,
        "emergency_return_failure": 0.05, "damage_rate_per_year": 0.4,
        "undetected_damage_fraction": 0.2, "common_cause_beta": 0.3, "design": "capsule",
        "grounding_median_days": 60.0, "grounding_sigma": 0.7, "replacement_readiness_days": 50.0,
        "stand_down_days": 300.0, "cost_per_launch_musd": 100.0,
    }
    return {
        "id": "every-rule", "title": "every rule",
        "station": {"name": "S", "crew_size": 7, "horizon_years": 6.0, "seatless_limit_days": 40.0,
                    "medical_evacuation_rate_per_person_year": 0.08},
        "providers": {
            "a": provider | {"name": "A", "vehicles": 2, "crew_per_flight": 2, "seats": 3,
                             "rotation_interval_days": 150.0, "phase_days": 20.0, "docked_life_days": 170.0},
            "b": provider | {"name": "B", "crew_per_flight": 3, "seats": 4, "rotation_interval_days": 180.0,
                             "docked_life_days": 200.0, "ascent_failure": 0.04, "stand_down_days": 500.0,
                             "common_cause_beta": 0.2, "undetected_damage_fraction": 0.1,
                             "transit_days": 4.0},
            "c": provider | {"name": "C", "vehicles": 0, "crew_per_flight": 0, "seats": 4,
                             "rotation_interval_days": 365.0, "docked_life_days": 365.0,
                             "ascent_failure": 0.1, "launch_on_need": True, "design": "other",
                             "rescue_readiness_days": 15.0, "transit_days": 10.0, "rescue_seats": 2},
        },
        "hazards": {"h": {"rate_per_year": 0.3, "evacuation_probability": 0.7}},
        "policies": {"seat_sharing": True, "mixed_crews": True},
    }


def combined_se(a, b, fast, ref):
    """SE of the difference; the reference's own SE is floored by the fast engine's, scaled to
    the reference's trials (a rare event the short reference run never saw has SE 0)."""
    return math.hypot(a["mc_se"], max(b["mc_se"], a["mc_se"] * math.sqrt(fast.trials / ref.trials)))


def assert_agree(fast, ref):
    for key in STATISTICS:
        a, b = fast.metrics[key], ref.metrics[key]
        se = combined_se(a, b, fast, ref)
        assert abs(a["mean"] - b["mean"]) <= 4 * se + 1e-12, f"{key}: fast {a} vs SimPy {b}"
    for cause, a in fast.loc_causes.items():
        b = ref.loc_causes[cause]
        se = combined_se(a, b, fast, ref)
        assert abs(a["mean"] - b["mean"]) <= 4 * se + 1e-12, f"people lost to {cause}: fast {a} vs SimPy {b}"
    for key, metrics in fast.providers.items():
        for name in ("people_lost", "crew_days", "launches"):
            a, b = metrics[name], ref.providers[key][name]
            se = combined_se(a, b, fast, ref)
            assert abs(a["mean"] - b["mean"]) <= 4 * se + 1e-12, f"{key} {name}: fast {a} vs SimPy {b}"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("make", "ref_trials"),
    [
        (lambda: load_architecture("textbook"), 5000),
        (lambda: architecture_from_dict(every_rule(), source="test"), 3000),
        (lambda: with_overrides(architecture_from_dict(every_rule(), source="test"),
                                {"station.after_loss": "end"}, source="test"), 2500),
        (lambda: load_architecture("iss-7-dragon-soyuz"), 2500),
        (lambda: with_overrides(load_architecture("gateway-orion-partner-reserve"),
                                {"providers.orion.damage_rate_per_year": 2.0}, source="test"), 2500),
    ],
    ids=["textbook", "every-rule", "every-rule-end-at-loss", "iss-7-dragon-soyuz", "gateway-reserve"],
)
def test_fast_engine_agrees_with_simpy_reference(make, ref_trials):
    arch = make()
    fast = run_risk(arch, trials=400_000, seed=11)
    ref = run_reference(arch, trials=ref_trials, seed=12)
    assert_agree(fast, ref)


def test_every_rule_case_exercises_every_rule():
    """Guard for the comparison above: the case must produce each kind of event, and each
    switch must change the outcome."""
    arch = architecture_from_dict(every_rule(), source="test")
    fast = run_risk(arch, trials=50_000, seed=3)
    assert all(fast.loc_causes[c]["mean"] > 0.01 for c in fast.loc_causes), fast.loc_causes
    assert fast.metrics["rescue_flights"]["mean"] > 0.5
    assert fast.metrics["medical_evacuations"]["mean"] > 0.5
    assert fast.metrics["p_any_decrew"]["mean"] > 0.05
    for path, value in (("policies.seat_sharing", False), ("policies.mixed_crews", False),
                        ("providers.a.common_cause_beta", 0.0), ("providers.b.stand_down_days", 0.0)):
        off = run_risk(with_overrides(arch, {path: value}, source="test"), trials=50_000, seed=3)
        moved = [abs(off.metrics[m]["mean"] - fast.metrics[m]["mean"]) / max(fast.metrics[m]["mc_se"], 1e-9)
                 for m in ("decrewed_days", "seatless_crew_days", "people_lost", "launches")]
        assert max(moved) > 5, path
