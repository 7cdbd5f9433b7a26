"""A station in lunar orbit: the planner and the assessment use the cislunar access service."""

from datetime import timedelta

import pytest

from lifeboat.rescue.assess import assess

SCENARIO = """
id = "gateway-medical"
title = "Gateway: a medical evacuation with Orion docked"
epoch_utc = 2030-03-01T00:00:00Z

[station]
id = "gateway"

[[docked]]
id = "orion-a"
vehicle = "orion"
docked_utc = 2030-02-25T00:00:00Z

[[crew]]
name = "A"
agency = "nasa"
seat = "orion-a:1"

[[crew]]
name = "B"
agency = "esa"
seat = "orion-a:2"

[[fleet]]
provider = "nasa"
vehicle = "orion"
next_ready_utc = 2030-03-10T00:00:00Z

[emergency]
kind = "medical"
description = "A crew member needs hospital care on Earth."
"""


@pytest.fixture(scope="module")
def gateway_assessment(tmp_path_factory):
    path = tmp_path_factory.mktemp("gw") / "gateway.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    return assess(str(path), risk_trials=1000)


def test_gateway_assessment_uses_cislunar_access(gateway_assessment):
    a = gateway_assessment
    assert a.launch_opportunities == [] and a.landing_opportunities == [] and a.ground_track == []
    assert a.reachability is None
    orion = next(c for c in a.cislunar_access if c.vehicle == "orion")
    assert orion.reachable
    # Soyuz cannot reach lunar orbit (no cislunar capability in the catalog).
    assert not next(c for c in a.cislunar_access if c.vehicle == "soyuz-ms").reachable


def test_gateway_medical_evacuation_in_the_docked_orion(gateway_assessment):
    plan = gateway_assessment.rescue
    assert plan.recommendation == "Evacuate now"
    evacuate = plan.options[0]
    # Trans-Earth return from the NRHO takes about 4-5 days: the crew is home 3-6 days after undocking.
    transit = evacuate.crew_home_utc - evacuate.crew_safe_utc
    assert timedelta(days=3) <= transit <= timedelta(days=6)
    # The relief Orion is ready on 10 Mar: it cannot arrive before then, and its outbound leg
    # takes about 4-6 days.
    rescue = next(o for o in plan.options if o.kind == "crewed-rescue")
    ready = gateway_assessment.situation.fleet[0].next_ready_utc
    assert rescue.crew_safe_utc >= ready + timedelta(days=3)
    assert rescue.hours_without_lifeboat == 0.0  # the crew keep their Orion seats meanwhile


def test_gateway_evacuation_leaves_at_a_perilune_passage(gateway_assessment):
    """Trans-Earth departures from the NRHO are timed to perilune: at the planned
    undocking, the Gateway's distance from the Moon (DE421 Moon, NRHO state) is a local minimum."""
    import numpy as np

    from lifeboat.cislunar.gateway import gateway_state, moon_geocentric

    evacuate = gateway_assessment.rescue.options[0]
    departure = next(s for s in evacuate.steps if "trans-Earth" in s.label and "coast" in s.label)
    t0 = departure.start_utc
    assert t0 >= gateway_assessment.rescue.onset_utc

    def moon_distance_km(t):
        return float(np.linalg.norm(gateway_state(t)[0] - moon_geocentric(t)[0]))

    d0 = moon_distance_km(t0)
    assert d0 < 5_000.0  # perilune radius ~3,100-3,400 km
    for hours in (-3, 3):
        assert moon_distance_km(t0 + timedelta(hours=hours)) > d0
