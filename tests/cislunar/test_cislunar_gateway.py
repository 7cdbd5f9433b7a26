"""Gateway placement (DE421 Moon, rotating → inertial) and access from the computed legs."""

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from lifeboat.catalog import load_catalog
from lifeboat.cislunar import gateway as gw
from lifeboat.errors import InputError
from lifeboat.timeutil import days_between

REF = "2027-01-01T00:00:00Z"


def orion(**lunar_changes):
    """The catalog's Orion with some lunar figures changed (made-up vehicles for the rules)."""
    v = load_catalog().vehicle("orion")
    return v.model_copy(update={"lunar": v.lunar.model_copy(update=lunar_changes)})


def test_moon_distance_at_the_2018_new_year_perigee():
    # Published: lunar perigee 2018-01-01 ~21:5x UTC at 356,565 km (timeanddate.com /
    # Fourmilab perigee-apogee tables).
    start = datetime(2018, 1, 1, 18, tzinfo=UTC)
    minutes = np.arange(0, 8 * 60)
    dist = [np.linalg.norm(gw.moon_geocentric(start + timedelta(minutes=int(m)))[0]) for m in minutes]
    i = int(np.argmin(dist))
    assert dist[i] == pytest.approx(356565, abs=5)
    assert abs((start + timedelta(minutes=int(minutes[i]))) - datetime(2018, 1, 1, 21, 52, tzinfo=UTC)) < timedelta(minutes=20)


def test_rotating_to_inertial_puts_the_primaries_in_place():
    r_m, v_m = gw.moon_geocentric(datetime(2027, 5, 1, tzinfo=UTC))
    mu = gw.phy.MU
    r, v = gw.rotating_to_eci(np.array([1 - mu, 0, 0, 0, 0, 0]), r_m, v_m)
    assert np.linalg.norm(r - r_m) < 1e-6 and np.linalg.norm(v - v_m) < 1e-9
    r, v = gw.rotating_to_eci(np.array([-mu, 0, 0, 0, 0, 0]), r_m, v_m)
    assert np.linalg.norm(r) < 1e-6 and np.linalg.norm(v) < 1e-9


def test_gateway_velocity_is_the_derivative_of_its_position():
    t = datetime(2027, 5, 3, 7, tzinfo=UTC)
    r0, v0 = gw.gateway_state(t)
    rp, _ = gw.gateway_state(t + timedelta(seconds=10))
    rm, _ = gw.gateway_state(t - timedelta(seconds=10))
    fd = (rp - rm) / 20.0
    assert np.linalg.norm(fd - v0) < 1e-6  # km/s (1 mm/s)


def test_gateway_is_at_perilune_at_the_reference_epoch():
    ref = datetime(2027, 1, 1, tzinfo=UTC)
    r, _ = gw.gateway_state(ref)
    r_m, _ = gw.moon_geocentric(ref)
    scale = np.linalg.norm(r_m) / gw.phy.LENGTH_UNIT_KM
    assert np.linalg.norm(r - r_m) == pytest.approx(gw.gateway_orbit().perilune_radius_km * scale, abs=1.0)
    later = ref + timedelta(days=gw.gateway_orbit().period_days / 2)
    r, _ = gw.gateway_state(later)
    r_m, _ = gw.moon_geocentric(later)
    scale = np.linalg.norm(r_m) / gw.phy.LENGTH_UNIT_KM
    assert np.linalg.norm(r - r_m) == pytest.approx(gw.gateway_orbit().apolune_radius_km * scale, abs=5.0)
    # Southern NRHO: apolune lies south of the Moon's orbital plane.
    r_moon, v_moon = gw.moon_geocentric(later)
    normal = np.cross(r_moon, v_moon)
    assert np.dot(r - r_moon, normal) < 0


def test_access_is_the_computed_legs_reflown():
    from lifeboat.cislunar.service import lunar_return

    decision = datetime(2027, 3, 1, 6, tzinfo=UTC)
    a = gw.access_for_vehicle(orion(), decision, readiness_days=2.0)
    assert a.reachable and a.can_return_crew and a.launch_site == "ksc-39b"
    # Launch no earlier than decision + readiness; a direct coast the length of the published
    # direct transfers (Artemis II outbound ~4 d; 5.33 d impulsive direct, New Papyrus 2018),
    # tolerance: 1 d either side for the phase-constrained arrival.
    assert a.launch_utc >= decision + timedelta(days=2.0)
    assert 3.0 <= days_between(a.launch_utc, a.arrival_utc) <= 6.5
    # Insertion no cheaper than the published cheapest direct capture (0.829 km/s) less 5 %, and
    # within the vehicle's Δv.
    assert 0.829 * 0.95 <= a.insertion_dv_km_s < a.vehicle_dv_km_s
    # The docked return of a vehicle with 0.9 km/s (a departure away from perilune), re-flown
    # from its departure by the single-return solver: same Δv and entry time.
    a = gw.access_for_vehicle(orion(delta_v_km_s=0.9), decision)
    assert a.can_return_crew and not a.reachable  # no direct insertion leaves a return reserve
    assert any("fits its Δv" in r for r in a.reasons)
    r = lunar_return("gateway", time=a.docked_departure_utc, perilune_epoch=REF,
                     ephemeris=False, landing=False)
    assert r.departure_dv_km_s == pytest.approx(a.docked_return_dv_km_s, abs=1e-3)
    assert abs(days_between(r.entry_utc, a.docked_return_utc)) < 1e-3
    assert a.docked_return_dv_km_s <= a.vehicle_dv_km_s
    # It is the first that fits: a departure one scan step (period / 100) earlier, if after the
    # decision, has no return or costs more than the vehicle has.
    step = timedelta(days=a.nrho_period_days / 100)
    if a.docked_departure_utc - step >= decision:
        try:
            earlier = lunar_return("gateway", time=a.docked_departure_utc - step,
                                   perilune_epoch=REF, ephemeris=False, landing=False)
        except InputError as exc:
            assert "converged" in str(exc)
        else:
            assert earlier.departure_dv_km_s > a.vehicle_dv_km_s
    # The docked return waits for a departure the vehicle can afford, not for perilune only.
    assert days_between(decision, a.docked_departure_utc) < a.nrho_period_days


def test_unreachable_vehicles_say_why_and_policy_is_apart():
    low_dv = gw.access_for_vehicle(orion(delta_v_km_s=0.39), "2027-03-01T00:00:00Z")
    assert not low_dv.reachable and low_dv.arrival_utc is None and not low_dv.can_return_crew
    assert any("Δv 0.390 km/s" in r for r in low_dv.reasons)
    assert low_dv.planned_to_serve  # policy stays, the physics says no
    short = gw.access_for_vehicle(orion(free_flight_days=2.5), "2027-03-01T00:00:00Z")
    assert not short.reachable and any("endurance 2.5 d" in r for r in short.reasons)
    no_tli = gw.access_for_vehicle(orion(launcher_tli=False), "2027-03-01T00:00:00Z")
    assert not no_tli.reachable and no_tli.can_return_crew
    assert any("inject it towards the Moon" in r for r in no_tli.reasons)
    assert no_tli.docked_return_utc is not None
    unknown = gw.access_for_vehicle(orion(delta_v_km_s=None), "2027-03-01T00:00:00Z")
    assert not unknown.reachable and any("not sourced" in r for r in unknown.reasons)


def test_catalog_vehicles_that_can_and_cannot_reach_the_nrho():
    cat = load_catalog()
    results = {a.vehicle: a for a in gw.gateway_access_all("2027-03-01T00:00:00Z", catalog=cat)}
    assert set(results) == set(cat.vehicles)
    for vid, v in cat.vehicles.items():
        if v.lunar is None or not v.lunar.launcher_tli:
            assert not results[vid].reachable and results[vid].reasons
    # Soyuz MS: ~0.39 km/s own Δv cannot pay a lunar return (≥ 0.42 km/s even by flyby).
    assert not results["soyuz-ms"].reachable and not results["soyuz-ms"].can_return_crew
    # Orion: 21.1 d endurance (NASA Orion Quick Facts) and ~1.34 km/s Δv.
    assert results["orion"].reachable and results["orion"].arrival_utc is not None
