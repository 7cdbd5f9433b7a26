"""Gateway placement (DE421 Moon, rotating → inertial) and access rules."""

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from lifeboat.catalog.models import CrewVehicle
from lifeboat.cislunar import gateway as gw
from lifeboat.timeutil import days_between

SRC = [{"title": "test record"}]


def vehicle(**changes) -> CrewVehicle:
    base = dict(id="capsule", name="Capsule", sources=SRC, confidence="assumption",
                provider="agency", status="operational", seats=4, seats_max=4,
                free_flight_days=21.1, launchers=["heavy"], sites=["pad"], abort_system="tower",
                landing_mode="splashdown", recovery_zones=["sea"], delta_v_m_s=1340.0,
                cislunar_capable=True)
    base.update(changes)
    return CrewVehicle(**base)


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


def _perilunes(ref, period, start, n=10):
    k0 = int(np.floor(days_between(ref, start) / period))
    return [ref + timedelta(days=(k0 + k) * period) for k in range(n + 2)]


def test_access_follows_the_documented_rules():
    decision = datetime(2027, 3, 1, 6, tzinfo=UTC)
    tp = gw.TransferProfile(launch_readiness_days=2.0)
    a = gw.access_for_vehicle(vehicle(), decision, transfer=tp)
    ref = datetime(2027, 1, 1, tzinfo=UTC)
    period = gw.gateway_orbit().period_days
    perilunes = _perilunes(ref, period, decision)
    assert a.reachable
    # Launch on a daily opportunity at or after decision + readiness.
    lag = days_between(decision + timedelta(days=2), a.launch_utc)
    assert lag >= -1e-9 and abs(lag - round(lag)) < 1e-9
    # Insertion at a perilune reached within the outbound window, docking 0.5 d later.
    insertion = a.arrival_utc - timedelta(days=0.5)
    assert min(abs(days_between(p, insertion)) for p in perilunes) < 1e-6
    assert 4.0 <= a.outbound_days <= 6.0
    # No earlier daily launch could have made a perilune inside the window.
    for k in range(int(round(lag))):
        launch = decision + timedelta(days=2 + k)
        assert not any(4.0 <= days_between(launch, p) <= 6.0 for p in perilunes)
    # Departure at the first perilune ≥ arrival + 0.5 d, home 5 d later.
    ready = a.arrival_utc + timedelta(days=0.5)
    first = min(p for p in perilunes if p >= ready)
    assert abs(days_between(first, a.return_departure_utc)) < 1e-6
    assert abs(days_between(a.return_departure_utc, a.return_utc) - 5.0) < 1e-9
    assert a.gateway_days_since_perilune_at_arrival == pytest.approx(0.5, abs=1e-6)
    # Surface: ascent ready 0.5 d, ascent 0.5 d → first perilune ≥ decision + 1 d.
    meet = min(p for p in perilunes if p >= decision + timedelta(days=1.0))
    assert abs(days_between(meet, a.surface_rendezvous_utc)) < 1e-6
    assert a.surface_return_utc > a.surface_rendezvous_utc + timedelta(days=5.0)


def test_unreachable_vehicles_say_why():
    low_dv = gw.access_for_vehicle(vehicle(delta_v_m_s=390.0), "2027-03-01T00:00:00Z")
    assert not low_dv.reachable and low_dv.arrival_utc is None
    assert any("Δv 0.390 km/s" in r for r in low_dv.reasons)
    short = gw.access_for_vehicle(vehicle(free_flight_days=2.5), "2027-03-01T00:00:00Z")
    assert not short.reachable and any("endurance 2.5 d" in r for r in short.reasons)
    leo = gw.access_for_vehicle(vehicle(cislunar_capable=False), "2027-03-01T00:00:00Z")
    assert not leo.reachable and any("not cislunar-capable" in r for r in leo.reasons)
    unknown = gw.access_for_vehicle(vehicle(delta_v_m_s=None), "2027-03-01T00:00:00Z")
    assert not unknown.reachable and any("not in the catalog" in r for r in unknown.reasons)


def test_catalog_vehicles_that_can_and_cannot_reach_the_nrho():
    from lifeboat.catalog import load_catalog

    cat = load_catalog()
    results = {a.vehicle: a for a in gw.gateway_access_all("2027-03-01T00:00:00Z", catalog=cat)}
    assert set(results) == set(cat.vehicles)
    for vid, v in cat.vehicles.items():
        if not v.cislunar_capable:
            assert not results[vid].reachable
            assert any("not cislunar-capable" in r for r in results[vid].reasons)
    # The catalog's Gateway record lists the vehicles meant to serve it; each must be reachable.
    gateway = next(s for s in cat.stations.values() if s.regime == "nrho")
    for vid in gateway.vehicles:
        assert results[vid].reachable, results[vid].reasons
    # Orion: 21.1 d endurance (NASA Orion Quick Facts) and ~1.34 km/s Δv cover the 1.25 km/s trip.
    assert results["orion"].reachable and results["orion"].arrival_utc is not None
