"""A station in lunar orbit: the assessment and the planner use the computed lunar transfers
(:mod:`lifeboat.cislunar.service`) at the scenario's own orbit and phase, and list every vehicle
with its physics verdict and reasons."""

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
def unknown_phase(tmp_path_factory):
    """The catalog's Gateway: its phase on the orbit is not public."""
    path = tmp_path_factory.mktemp("gw") / "gateway.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    return assess(str(path), risk_trials=1000)


@pytest.fixture(scope="module")
def medical_2030():
    """The shipped scenario: phase given (perilune 2030-02-27), Orel in the fleet as a partner."""
    return assess("gateway-2030-medical", risk_trials=1000)


def test_every_vehicle_has_a_verdict_with_reasons(unknown_phase):
    a = unknown_phase
    assert a.launch_opportunities == [] and a.landing_opportunities == [] and a.ground_track == []
    assert a.reachability is None
    from lifeboat.catalog import load_catalog

    assert {c.vehicle for c in a.cislunar_access} == set(load_catalog().vehicles)
    assert all(c.reasons for c in a.cislunar_access)
    soyuz = next(c for c in a.cislunar_access if c.vehicle == "soyuz-ms")
    # Soyuz MS: 0.39 km/s of its own and a 7.9 km/s heat shield cannot bring a crew back from
    # the NRHO, whatever the cheapest return costs.
    assert not soyuz.reachable and not soyuz.can_return_crew
    assert any("entry-speed limit" in r for r in soyuz.reasons)
    orion = next(c for c in a.cislunar_access if c.vehicle == "orion")
    assert orion.role == "docked" and orion.can_return_crew


def test_unknown_phase_is_said_and_ranged(unknown_phase):
    a = unknown_phase
    assert a.lunar is not None and not a.lunar.phase_known
    orion = next(c for c in a.cislunar_access if c.vehicle == "orion")
    lo, hi = orion.home_after_decision_days_min, orion.home_after_decision_days_max
    # Over the phase the wait spans at most one period; the coast is 4-7 d.
    assert 4.0 < lo <= hi < lo + a.lunar.period_days
    assert any("phase on its orbit is unknown" in x for x in a.rescue.assumptions)
    from lifeboat.report.html import assessment_figures

    fig = assessment_figures(a)["fig-orbit"]  # the orbit, but no times marked on it
    assert "phase unknown" in fig["layout"]["title"]["text"]
    assert not any("onset" in d["name"] or "departs" in d["name"] for d in fig["data"])


def test_evacuation_matches_the_lunar_return_service(medical_2030):
    """The planner's return is the first departure after boarding whose computed burn fits the
    docked Orion's Δv left; flown again by the lunar return service (a separate solve from the
    same departure), it reaches the entry interface at the plan's time."""
    from lifeboat.catalog import load_catalog
    from lifeboat.cislunar.service import lunar_return

    plan = medical_2030.rescue
    evacuate = next(o for o in plan.options if o.kind == "evacuate")
    assert evacuate.feasible and plan.recommendation == "Evacuate now"
    depart = evacuate.landings[0].undock_utc
    assert depart >= plan.onset_utc
    check = lunar_return("gateway", time=depart, perilune_epoch="2030-02-27T00:00:00Z",
                         ephemeris=False, landing=False,
                         orbit=load_catalog().station("gateway").lunar_orbit)
    assert abs((check.entry_utc - evacuate.crew_home_utc).total_seconds()) < 600
    left = 1.340 - medical_2030.lunar.cheapest_insertion_dv_km_s  # Orion's catalog Δv
    assert check.departure_dv_km_s <= left + 1e-6


def test_relief_orion_flies_a_computed_transfer_and_orel_is_listed(medical_2030):
    a = medical_2030
    plan = a.rescue
    ready = a.situation.fleet[0].next_ready_utc
    rescue = next(o for o in plan.options if o.kind == "crewed-rescue" and o.vehicle == "orion")
    assert rescue.feasible
    launch = next(s for s in rescue.steps if s.label.startswith("launch from"))
    assert launch.start_utc >= ready
    # A direct trans-lunar coast to the 9:2 NRHO takes 4-7 d (5.2-5.3 d at its cheapest).
    assert timedelta(days=4) < launch.end_utc - launch.start_utc < timedelta(days=7)
    orion = next(c for c in a.cislunar_access if c.vehicle == "orion")
    assert orion.arrival_utc == rescue.crew_safe_utc
    assert orion.insertion_dv_km_s + a.lunar.cheapest_return_dv_km_s <= 1.340
    orel = next(p for p in plan.partners if p.vehicle == "orel")
    assert not orel.feasible
    assert any(r.startswith("physics:") and "launcher" in r for r in orel.reasons)
    assert any(r.startswith("policy:") for r in orel.reasons)
    row = next(c for c in a.cislunar_access if c.vehicle == "orel")
    assert row.role == "fleet" and not row.reachable and not row.planned_to_serve


def test_report_draws_the_scenario_orbit_with_the_departure(medical_2030):
    import numpy as np

    from lifeboat.report.html import assessment_figures

    fig = assessment_figures(medical_2030)["fig-orbit"]
    assert "9:2" in fig["layout"]["title"]["text"]
    assert any("arrives" in d["name"] for d in fig["data"])

    def radius_km(label):  # the x-z trace, then the x-y trace of the same mark
        xz, xy = [d for d in fig["data"] if label in d["name"]]
        return float(np.sqrt(xz["x"][0] ** 2 + xy["y"][0] ** 2 + xz["y"][0] ** 2))

    xz, xy = fig["data"][0], fig["data"][1]
    r = np.sqrt(np.array(xz["x"]) ** 2 + np.array(xy["y"]) ** 2 + np.array(xz["y"]) ** 2)
    # The 9:2 NRHO: perilune ~3,250 km, apolune ~71,000 km from the Moon's centre.
    assert 3_000 < r.min() < 3_500 and 69_000 < r.max() < 73_000
    assert r.min() - 1 <= radius_km("departs for Earth") <= r.max() + 1
    assert radius_km("perilune") == pytest.approx(r.min(), abs=50)


DRO_SCENARIO = """
id = "dro-medical"
title = "A station in a distant retrograde orbit"
epoch_utc = 2030-03-01T00:00:00Z

[station]
id = "gateway"

[station.lunar_orbit]
kind = "dro"
perilune_radius_km = 70000.0
perilune_utc = 2030-02-20T00:00:00Z

[[docked]]
id = "orion-a"
vehicle = "orion"
docked_utc = 2030-02-25T00:00:00Z

[[crew]]
name = "A"
agency = "nasa"
seat = "orion-a:1"

[[fleet]]
provider = "roscosmos"
vehicle = "soyuz-ms"

[emergency]
kind = "medical"
description = "A crew member needs hospital care on Earth."
"""


def test_the_scenario_orbit_drives_the_plan_and_the_plot(tmp_path):
    """A scenario moving the station to a DRO: the verdicts, the plan and the plot follow the
    scenario's orbit, not the catalog's NRHO (direct legs only, to keep the test cheap)."""
    import numpy as np

    from lifeboat.catalog import load_catalog
    from lifeboat.report.html import assessment_figures
    from lifeboat.rescue.services import Services

    path = tmp_path / "dro.toml"
    path.write_text(DRO_SCENARIO, encoding="utf-8")
    cat = load_catalog()
    a = assess(str(path), risk_trials=1000, catalog=cat, services=Services(cat, lunar_flyby=False))
    assert a.lunar.orbit.startswith("DRO") and a.lunar.phase_known and not a.lunar.flyby_legs
    fig = assessment_figures(a)["fig-orbit"]
    xz, xy = fig["data"][0], fig["data"][1]
    assert np.max(np.abs(xz["y"])) < 1.0  # a DRO lies in the Moon's orbit plane
    r = np.hypot(xy["x"], xy["y"])
    assert r.min() == pytest.approx(70_000.0, rel=0.01)  # its closest approach, as given
    soyuz = next(p for p in a.rescue.partners if p.vehicle == "soyuz-ms")
    assert not soyuz.feasible and "entry-speed limit" in soyuz.cislunar
    evacuate = next(o for o in a.rescue.options if o.kind == "evacuate")
    assert evacuate.feasible
    # Back at the entry interface 3-8 d after boarding (a direct DRO return, CR3BP).
    assert timedelta(days=3) < evacuate.crew_home_utc - evacuate.crew_safe_utc < timedelta(days=8)
