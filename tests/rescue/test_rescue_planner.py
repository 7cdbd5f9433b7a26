"""The rescue planner's options, ranking and recommendation.

The orbital and cabin services are replaced by fixed answers (a subclass of Services), so these
tests check the planner's own logic against hand-derived expectations: which options exist, which
are feasible, whether each makes the crew safe within the time available, and the ranking rule
(crew risk first - feasible, in time, added crewed flight phases, leaving the station, hours
without a lifeboat - then the time the crew is safe).
"""

from dataclasses import dataclass, field
from datetime import timedelta

import pytest

from lifeboat.catalog import load_catalog
from lifeboat.model.scenario import load_scenario
from lifeboat.rescue.planner import ASCENT_LOC, EVACUATION_PREP_H, RESCUE_FLIGHT_CREW, plan_rescue
from lifeboat.rescue.services import SchemeChoice, Services, TimelineStep


@dataclass
class FakeLeak:
    time_to_limit_h: float
    reserve_time_linear_h: float
    initial_rate_mmhg_per_h: float = 1.0
    limit_mmhg: float = 490.0


@dataclass
class FakeLanding:
    undock_utc: object
    burn_utc: object
    landing_utc: object
    zone: str = "zone"
    daylight: bool = True


@dataclass
class FakeOpportunity:
    launch_utc: object
    schemes: list = field(default_factory=list)


class FakeServices(Services):
    """Fixed answers: a leak with the given times, isolation in ``isolation_h``, launches
    ``launch_delay_h`` after readiness docking ``transit_h`` later, landings 3 h after undocking."""

    def __init__(self, catalog, *, limit_h=240.0, linear_h=200.0, isolation_h=10.0,
                 launch_delay_h=5.0, transit_h=6.0):
        super().__init__(catalog)
        self.limit_h, self.linear_h, self.isolation_h = limit_h, linear_h, isolation_h
        self.launch_delay_h, self.transit_h = launch_delay_h, transit_h

    def orbit(self, scenario, at_utc):
        return None

    def leak(self, scenario):
        return FakeLeak(self.limit_h, self.linear_h)

    def isolation_steps(self, scenario, onset):
        return [TimelineStep("search and isolate", onset, onset + timedelta(hours=self.isolation_h))]

    def first_launch(self, vehicle_id, sites, orbit, start):
        launch = start + timedelta(hours=self.launch_delay_h)
        dock = launch + timedelta(hours=self.transit_h)
        return sites[0], FakeOpportunity(launch, [SchemeChoice("fast", dock, self.transit_h)]), \
            SchemeChoice("fast", dock, self.transit_h)

    def first_landing(self, vehicle_id, orbit, undock_utc):
        # The next opportunity: undock 1 h after the earliest time, burn 2 h later, land 1 h later.
        return FakeLanding(undock_utc + timedelta(hours=1), undock_utc + timedelta(hours=3),
                           undock_utc + timedelta(hours=4))


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def base(catalog):
    return load_scenario("iss-2018-12", catalog=catalog)


def with_emergency(scenario, **update):
    return scenario.model_copy(update={"emergency": scenario.emergency.model_copy(update=update)})


def test_slow_leak_keep_the_lifeboat_until_the_replacement_docks(base, catalog):
    plan = plan_rescue(base, catalog=catalog, services=FakeServices(catalog))
    names = [o.kind for o in plan.options]
    assert {"evacuate", "isolate", "replacement", "crewed-rescue"} <= set(names)
    # The smallest limit wins: the linear reserve time (200 h) is below the physical 240 h and the
    # Soyuz MS-09 docked life (docked 8 Jun 2018 + 200 d -> 25 Dec 2018, > 500 h after 2 Dec).
    assert plan.time_available_h == pytest.approx(200.0)
    # The uncrewed Soyuz: ready 3 Dec (scenario fleet state), +5 h to launch, +6 h to docking.
    soyuz_ready = next(f for f in base.fleet if f.vehicle == "soyuz-ms").next_ready_utc
    expected_h = ((soyuz_ready - base.epoch_utc).total_seconds() / 3600.0) + 5.0 + 6.0
    assert expected_h < 200.0  # docks well inside the leak reserve
    # The leak is in MS-09 (the only lifeboat). Isolating it now leaves the crew without a lifeboat
    # until the first arrival; riding out the slow leak with MS-09 ready until the replacement
    # docks keeps a lifeboat throughout, so it ranks first (hours without a lifeboat).
    isolate = next(o for o in plan.options if o.kind == "isolate")
    assert isolate.hours_without_lifeboat == pytest.approx(expected_h, abs=1e-6)
    assert "roscosmos" in isolate.depends_on
    best = plan.options[0]
    assert plan.recommendation == best.name and best.kind == "replacement"
    assert best.provider == "roscosmos" and best.within_time
    assert best.hours_without_lifeboat == 0.0 and best.extra_crewed_phases == 0
    assert abs((best.crew_safe_utc - base.epoch_utc).total_seconds() / 3600.0 - expected_h) < 1e-6
    assert any("isolate" in r.lower() for r in plan.reasons)  # names the runner-up it beats
    evacuate = next(o for o in plan.options if o.kind == "evacuate")
    assert evacuate.feasible and evacuate.within_time
    assert evacuate.crew_home_utc == base.epoch_utc + timedelta(hours=EVACUATION_PREP_H + 4.0)
    assert evacuate.crew_safe_utc == base.epoch_utc + timedelta(hours=EVACUATION_PREP_H + 1.0)
    assert [s.label for s in evacuate.steps][1].endswith("wait aboard for the landing opportunity")
    assert names.index("evacuate") > names.index("isolate")  # evacuating abandons the station


def test_isolation_wins_when_no_lifeboat_is_lost(base, catalog):
    """A leak in a station module (not in a lifeboat): isolating keeps every seat, so it beats
    waiting for a replacement and evacuating."""
    scenario = with_emergency(base, module="zvezda")
    plan = plan_rescue(scenario, catalog=catalog, services=FakeServices(catalog))
    best = plan.options[0]
    assert best.kind == "isolate" and best.hours_without_lifeboat == 0.0
    assert best.crew_safe_utc == base.epoch_utc + timedelta(hours=10.0)


def test_fast_leak_evacuates(base, catalog):
    svc = FakeServices(catalog, limit_h=3.0, linear_h=2.5, isolation_h=10.0)
    plan = plan_rescue(base, catalog=catalog, services=svc)
    assert plan.time_available_h == pytest.approx(2.5)
    assert plan.options[0].kind == "evacuate" and plan.recommendation == "Evacuate now"
    isolate = next(o for o in plan.options if o.kind == "isolate")
    assert isolate.feasible and not isolate.within_time  # 10 h of searching > 2.5 h available


def test_uncertified_partners_cannot_fly_a_crewed_rescue(base, catalog):
    plan = plan_rescue(base, catalog=catalog, services=FakeServices(catalog))
    for o in plan.options:
        if o.kind == "crewed-rescue" and o.provider in ("spacex", "boeing"):
            assert not o.feasible and any("not certified" in r for r in o.reasons)


def test_crewed_rescue_ranks_after_an_uncrewed_replacement(base, catalog):
    scenario = base.model_copy(update={"emergency": base.emergency.model_copy(
        update={"kind": "unfit-vehicle", "vehicle": "soyuz-ms-09", "hole_mm": None, "module": None})})
    plan = plan_rescue(scenario, catalog=catalog, services=FakeServices(catalog))
    kinds = [o.kind for o in plan.options if o.feasible]
    assert plan.options[0].kind == "replacement"
    crewed = next(o for o in plan.options if o.kind == "crewed-rescue" and o.provider == "roscosmos")
    # A Soyuz flying RESCUE_FLIGHT_CREW crew has 3 - 2 = 1 free seat for 3 stranded crew.
    assert RESCUE_FLIGHT_CREW == 2 and not crewed.feasible
    assert "crewed-rescue" not in kinds[:1]
    # No other docked vehicle: nobody can move seats, and the crew cannot evacuate in an unfit Soyuz.
    reassign = next(o for o in plan.options if o.kind == "reassign")
    assert not reassign.feasible
    evacuate = next(o for o in plan.options if o.kind == "evacuate")
    assert not evacuate.feasible


def test_crewed_rescue_adds_an_ascent(base, catalog):
    fleet = [f.model_copy(update={"crew_certified": True, "next_ready_utc": base.epoch_utc})
             if f.vehicle == "crew-dragon" else f for f in base.fleet]
    scenario = base.model_copy(update={"fleet": fleet, "emergency": base.emergency.model_copy(
        update={"kind": "unfit-vehicle", "vehicle": "soyuz-ms-09", "hole_mm": None, "module": None})})
    plan = plan_rescue(scenario, catalog=catalog, services=FakeServices(catalog))
    dragon = next(o for o in plan.options if o.kind == "crewed-rescue" and o.provider == "spacex")
    seats = catalog.vehicle("crew-dragon").seats
    assert dragon.feasible == (seats - RESCUE_FLIGHT_CREW >= 3)
    assert dragon.extra_crewed_phases == 1 and dragon.added_loc == ASCENT_LOC
    ranks = {o.name: i for i, o in enumerate(plan.options)}
    uncrewed = [o for o in plan.options if o.kind == "replacement" and o.feasible]
    assert all(ranks[u.name] < ranks[dragon.name] for u in uncrewed)


def test_reused_landing_search_matches_a_fresh_one(base, catalog):
    """The first landing after a later undocking, taken from a search that started earlier, is
    the one a fresh search from that undocking finds."""
    from lifeboat.orbits.landings import landing_opportunities

    svc = Services(catalog)
    orbit = svc.orbit(base, base.epoch_utc)
    svc.landings("soyuz-ms", orbit, base.epoch_utc)
    later = base.epoch_utc + timedelta(hours=EVACUATION_PREP_H)
    reused = svc.first_landing("soyuz-ms", orbit, later)
    fresh = landing_opportunities("soyuz-ms", orbit, later, days=2.0).opportunities[0]
    assert abs((reused.landing_utc - fresh.landing_utc).total_seconds()) < 1.0
    assert reused.zone == fresh.zone


def test_medical_case_needs_seats_for_the_patient_not_the_whole_crew(base, catalog):
    """A medical return takes the patient and one attendant (MEDICAL_ATTENDANTS = 1): a crewed
    Dragon with RESCUE_FLIGHT_CREW = 2 aboard has 4 - 2 = 2 free seats, enough; a crewed Soyuz has
    3 - 2 = 1, not enough. Evacuating in the docked Soyuz adds no flight phase and is first."""
    from lifeboat.rescue.planner import MEDICAL_ATTENDANTS

    fleet = [f.model_copy(update={"crew_certified": True, "next_ready_utc": base.epoch_utc})
             if f.vehicle == "crew-dragon" else f for f in base.fleet]
    from lifeboat.model.scenario import ScenarioCompatibility

    declared = ScenarioCompatibility.model_validate(
        {"certifications": [{"vehicle": "crew-dragon", "certified": True, "note": "as if certified"}]})
    scenario = base.model_copy(update={"fleet": fleet, "compatibility": declared,
                                       "emergency": base.emergency.model_copy(
        update={"kind": "medical", "hole_mm": None, "module": None})})
    plan = plan_rescue(scenario, catalog=catalog, services=FakeServices(catalog))
    assert MEDICAL_ATTENDANTS == 1 and plan.time_available_h is not None  # the docked life only
    dragon = next(o for o in plan.options if o.kind == "crewed-rescue" and o.provider == "spacex")
    soyuz = next(o for o in plan.options if o.kind == "crewed-rescue" and o.provider == "roscosmos")
    assert dragon.feasible and not soyuz.feasible
    assert any("1 free seat(s) for 2 crew" in r for r in soyuz.reasons)
    assert plan.options[0].kind == "evacuate" and plan.recommendation == "Evacuate now"
    assert any("patient" in n for n in dragon.risk_notes)
    assert any("patient returns with" in a for a in plan.assumptions)
