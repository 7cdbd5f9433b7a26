"""Every partner in every plan, and the options agencies use, with the real services."""

import tomllib
from pathlib import Path

import pytest

from lifeboat.errors import InputError
from lifeboat.model.scenario import Scenario, load_scenario, validate_references
from lifeboat.rescue.planner import plan_rescue

ONSET = Path(__file__).parents[2] / "src/lifeboat/rescue/incidents/onset"
SHENZHOU = ONSET / "shenzhou-20-window.toml"
SZ20 = ["Chen Dong", "Chen Zhongrui", "Wang Jie"]
SZ21 = ["Zhang Lu", "Wu Fei", "Zhang Hongzhang"]


def _scenario(text: str, tmp_path) -> Scenario:
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    return load_scenario(str(path))


@pytest.fixture(scope="module")
def tiangong_plan():
    return plan_rescue(load_scenario(str(SHENZHOU)))


def test_every_fleet_vehicle_appears_with_its_reason(tiangong_plan):
    plan = tiangong_plan
    assert [p.vehicle for p in plan.partners] == ["shenzhou", "soyuz-ms", "crew-dragon"]
    for vehicle in ("Shenzhou", "Soyuz MS", "Crew Dragon"):
        kinds = {o.kind for o in plan.options if o.name.endswith(")") and vehicle in o.name}
        assert {"replacement", "crewed-rescue"} <= kinds, vehicle
    soyuz = next(p for p in plan.partners if p.vehicle == "soyuz-ms")
    dragon = next(p for p in plan.partners if p.vehicle == "crew-dragon")
    # Physics: Soyuz's probe cannot dock to Tiangong's Chinese ports, and Baikonur (46 deg N) lies
    # outside Tiangong's 41.5 deg plane: a plane change is named with its delta-v.
    assert "ssvp" in soyuz.docking and "chinese" in soyuz.docking
    assert "plane change" in soyuz.reach and "m/s" in soyuz.reach
    # Dragon from Florida reaches the plane; docking system and policy stop it, not geometry.
    assert dragon.reach is None and "idss" in dragon.docking
    assert dragon.policy is not None and not dragon.feasible
    for o in plan.options:
        if "Soyuz" in o.name or "Dragon" in o.name:
            assert not o.feasible and any(r.startswith("physics:") for r in o.reasons)


def test_shenzhou_20_swap_then_replacement(tiangong_plan):
    best = tiangong_plan.options[0]
    assert tiangong_plan.recommended_kind == "swap+replacement" == best.kind
    assert best.crew_returning == SZ20 and best.crew_staying == SZ21
    assert best.landing_zone == "dongfeng"
    assert 39.0 < best.landing_lat_deg < 44.0 and 97.0 < best.landing_lon_deg < 105.0
    assert best.crew_home_utc < best.crew_safe_utc
    waits = {w.name: w for w in best.crew_without_seat}
    assert set(waits) == set(SZ20 + SZ21)
    # The Shenzhou-21 crew lack a seat from the swap's undocking until the replacement docks.
    assert all(waits[n].start_utc == best.landings[0].undock_utc for n in SZ21)
    assert all(waits[n].end_utc == best.crew_safe_utc for n in SZ21)
    assert best.added_phases == []


def test_an_unfit_vehicle_past_its_docked_life_limits_nothing(tiangong_plan):
    # Shenzhou-20 docked 24 Apr 2025: past its 183-day docked life at the onset, and unfit.
    assert all(lim.hours is None or lim.hours >= 0 for lim in tiangong_plan.limits)
    assert not any("shenzhou-20" in lim.name for lim in tiangong_plan.limits)
    assert tiangong_plan.time_available_h > 0


def test_declared_compatibility_makes_a_hypothetical_partner_feasible(tmp_path):
    text = SHENZHOU.read_text("utf-8").replace(
        'vehicle = "crew-dragon"\n', 'vehicle = "crew-dragon"\nstandby_days = 10.0\n') + """
[compatibility]
ports = [{ ports = ["tianhe-forward"], systems = ["idss"], adapter = "hypothetical IDSS adapter", note = "a future adapter" }]
certifications = [{ vehicle = "crew-dragon", certified = true, note = "hypothetical certification" }]
agreements = [{ provider = "spacex", allowed = true, note = "a hypothetical rescue agreement" }]
"""
    plan = plan_rescue(_scenario(text, tmp_path))
    dragon = next(p for p in plan.partners if p.vehicle == "crew-dragon")
    assert dragon.feasible and dragon.docking_ports == ["tianhe-forward"] and len(dragon.declared) == 3
    option = next(o for o in plan.options if o.kind == "replacement" and "Dragon" in o.name)
    assert option.feasible and option.crew_safe_utc is not None
    assert any("hypothetical IDSS adapter" in n for n in option.risk_notes)


def test_declared_compatibility_is_checked(tmp_path):
    text = SHENZHOU.read_text("utf-8") + """
[compatibility]
ports = [{ ports = ["tianhe-forward"], systems = ["velcro"], note = "not a docking system" }]
"""
    with pytest.raises(InputError, match="unknown docking system 'velcro'"):
        _scenario(text, tmp_path)


GATEWAY = """
id = "gateway-partners"
title = "Gateway with a partner's LEO vehicle in the fleet"
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

[[fleet]]
provider = "spacex"
vehicle = "crew-dragon"

[emergency]
kind = "medical"
patients = ["B"]
"""


def test_partner_at_the_gateway(tmp_path):
    plan = plan_rescue(_scenario(GATEWAY, tmp_path))
    orion = next(p for p in plan.partners if p.vehicle == "orion")
    dragon = next(p for p in plan.partners if p.vehicle == "crew-dragon")
    assert orion.feasible
    assert dragon.cislunar is not None and "lunar capability" in dragon.cislunar
    assert any(o.kind == "replacement" and "Dragon" in o.name and not o.feasible for o in plan.options)
    # The patient returns with the crew of their Orion (the only vehicle): home in 4-6 days+.
    ret = next(o for o in plan.options if o.kind == "partial-return" and o.feasible)
    assert "B" in ret.crew_returning and ret.crew_home_utc is not None


def test_patients_must_be_crew(tmp_path):
    with pytest.raises(InputError, match="patient 'Z' is not in the crew"):
        _scenario(GATEWAY.replace('patients = ["B"]', 'patients = ["Z"]'), tmp_path)


def test_fleet_arrangements_give_the_earliest_readiness():
    from datetime import UTC, datetime

    from lifeboat.model.scenario import FleetState
    from lifeboat.rescue.planner import readiness

    onset = datetime(2022, 12, 15, tzinfo=UTC)
    fleet = FleetState(provider="roscosmos", vehicle="soyuz-ms", next_planned_utc="2023-03-16T00:00:00Z",
                       advance_days=20.0, standby_days=90.0)
    r = readiness(fleet, onset, crewed=False)
    assert readiness(FleetState(provider="spacex", vehicle="crew-dragon"), onset, crewed=False) is None
    assert r.utc == datetime(2023, 2, 24, tzinfo=UTC) and "advanced" in r.basis
    assert readiness(FleetState(provider="roscosmos", vehicle="soyuz-ms", standby_days=10.0), onset,
                     crewed=False).utc == datetime(2022, 12, 25, tzinfo=UTC)
    grounded = FleetState(provider="roscosmos", vehicle="soyuz-ms", grounded_until="2023-01-10T00:00:00Z",
                          next_ready_utc="2022-12-20T00:00:00Z")
    assert readiness(grounded, onset, crewed=True).utc == datetime(2023, 1, 10, tzinfo=UTC)
    assert readiness(grounded, onset, crewed=False).utc == datetime(2022, 12, 20, tzinfo=UTC)


def test_consumables_are_a_limit(tmp_path):
    text = SHENZHOU.read_text("utf-8") + "\n[consumables]\ndays = 30.0\ncrew = 3\n"
    s = _scenario(text, tmp_path)
    validate_references(s, source="test")
    plan = plan_rescue(s)
    lim = next(lim for lim in plan.limits if lim.name.startswith("consumables"))
    # 30 days for 3 crew last 15 days for the 6 aboard.
    assert lim.hours == pytest.approx(15 * 24.0)
    assert plan.time_available_h == pytest.approx(15 * 24.0)


def test_scenario_fields_stay_optional():
    data = tomllib.loads((Path(__file__).parents[2] / "src/lifeboat/scenarios/iss-2018-12.toml")
                        .read_text("utf-8"))
    s = Scenario.model_validate(data)
    assert s.consumables is None and s.compatibility is None and s.emergency.patients == []


SIX = """
id = "six-crew"
title = "Six crew, one damaged Soyuz past its docked life, one Dragon"
epoch_utc = 2018-12-02T12:00:00Z

[station]
id = "iss"
configuration = "2018-12"

[[docked]]
id = "soyuz-a"
vehicle = "soyuz-ms"
docked_utc = 2018-01-01T00:00:00Z

[[docked]]
id = "dragon-b"
vehicle = "crew-dragon"
docked_utc = 2018-11-01T00:00:00Z

[[crew]]
name = "S1"
agency = "roscosmos"
seat = "soyuz-a:1"

[[crew]]
name = "S2"
agency = "roscosmos"
seat = "soyuz-a:2"

[[crew]]
name = "S3"
agency = "nasa"
seat = "soyuz-a:3"

[[crew]]
name = "D1"
agency = "nasa"
seat = "dragon-b:1"

[[crew]]
name = "D2"
agency = "nasa"
seat = "dragon-b:2"

[[crew]]
name = "D3"
agency = "esa"
seat = "dragon-b:3"

[[fleet]]
provider = "roscosmos"
vehicle = "soyuz-ms"
next_ready_utc = 2018-12-03T00:00:00Z

[emergency]
kind = "damaged-lifeboat"
vehicle = "soyuz-a"
"""


def test_six_crew_one_damaged_capsule_gets_every_option(tmp_path):
    plan = plan_rescue(_scenario(SIX, tmp_path))
    # The damaged Soyuz is past its 200-day docked life: it limits nothing, no negative hours.
    assert all(lim.hours is None or lim.hours >= 0 for lim in plan.limits)
    assert plan.time_available_h is None or plan.time_available_h > 0
    kinds = {o.kind for o in plan.options if o.feasible}
    assert {"reassign+replacement", "swap+replacement", "replacement"} <= kinds
    reassign = next(o for o in plan.options if o.kind == "reassign")
    # One free standard seat and one moved liner in the Dragon (5 seats at most): one crew
    # member is left for the replacement.
    assert {w.name: w.hours for w in reassign.crew_without_seat} == {"S2": 144.0, "S3": None}
    assert not reassign.feasible
    # With the new Soyuz docking after about a day, it seats S2 sooner than the 6-day liner move.
    combo = next(o for o in plan.options if o.kind == "reassign+replacement")
    ends = {w.name: w.end_utc for w in combo.crew_without_seat}
    assert ends["S2"] == ends["S3"] == combo.crew_safe_utc
    best = plan.options[0]
    assert best.feasible and best.within_time and best.kind.endswith("+replacement")
    swap = next(o for o in plan.options if o.kind == "swap+replacement")
    assert swap.crew_returning == ["S1", "S2", "S3"] and swap.crew_staying == ["D1", "D2", "D3"]
    assert swap.landing_zone is not None and swap.crew_home_utc is not None


def test_a_vehicle_without_a_fitted_seat_liner_cannot_bring_that_crew_member_home(tmp_path):
    # S1 takes the Dragon's free seat at once; S2 and S3 wait for the new Soyuz.
    text = SIX.replace('seat = "soyuz-a:3"', 'seat = "soyuz-a:3"\nfitted_vehicles = ["crew-dragon"]')
    plan = plan_rescue(_scenario(text, tmp_path))
    soyuz = next(o for o in plan.options if o.kind == "replacement")
    assert not soyuz.feasible
    assert any(r.startswith("seat liners and suits: S3") for r in soyuz.reasons)


def test_fitted_vehicles_are_catalog_vehicles(tmp_path):
    text = SIX.replace('seat = "soyuz-a:1"', 'seat = "soyuz-a:1"\nfitted_vehicles = ["soyuz-mx"]')
    with pytest.raises(InputError, match="soyuz-mx"):
        _scenario(text, tmp_path)


def test_builtin_what_if_partner_at_tiangong(tiangong_plan):
    plan = plan_rescue(load_scenario("tiangong-2025-11-partner"))
    dragon = next(p for p in plan.partners if p.vehicle == "crew-dragon")
    assert dragon.feasible and dragon.declared
    best = plan.options[0]
    assert best.kind == "swap+replacement" and "Dragon" in best.name
    # What the hypothetical partner buys: the Shenzhou-21 crew wait less for a lifeboat than
    # with the Shenzhou standby alone.
    assert best.hours_without_lifeboat < tiangong_plan.options[0].hours_without_lifeboat - 24


def test_ports_held_by_docked_vehicles():
    """Aug 2024: Crew-8 and Starliner hold the ISS's two IDSS ports, so Starliner must leave
    uncrewed before a Dragon can dock; the Soyuz ports are free."""
    plan = plan_rescue(load_scenario(str(ONSET / "starliner-cft.toml")))
    dragon = next(p for p in plan.partners if p.vehicle == "crew-dragon")
    assert dragon.docking_ports == ["pma-2", "pma-3"]
    assert set(dragon.port_occupants.values()) == {"crew-8-endeavour", "starliner-cft"}
    rescue = next(o for o in plan.options if o.kind == "crewed-rescue" and "Dragon" in o.name)
    assert any(s.label.startswith("starliner-cft undocks uncrewed") for s in rescue.steps)
