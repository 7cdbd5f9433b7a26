"""Rendezvous: phase angles, scheme windows and launch-to-docking times.

References: recorded launch-to-docking times (MS-17 2-orbit 3 h 03 m 43 s, Energia
https://www.energia.ru/en/news/news-2020/news_10-14_1.html; MS-25 2-day 50 h 26 m 41 s,
RussianSpaceWeb https://russianspaceweb.com/soyuz-ms-25.html; Crew Dragon Demo-2 18.9 h and
Crew-9 28.2 h, the sources in vehicles.toml), orbit-count arithmetic, and a circular orbit whose
argument of latitude is known in closed form. The 4-orbit scheme's revolutions and window are
fitted to real flights and judged per flight in test_orbits_launch_calibration.py.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from lifeboat.catalog import load_catalog
from lifeboat.catalog.models import RendezvousScheme, Source
from lifeboat.orbits import physics
from lifeboat.orbits.geo import EARTH_MEAN_RADIUS_KM as R_EARTH_MEAN_KM
from lifeboat.orbits.rendezvous import (
    catch_up_laps,
    chaser_period_s,
    feasible_schemes,
    phase_angles_deg,
)
from lifeboat.orbits.station import StationOrbit
from lifeboat.timeutil import datetime_to_jd

LAUNCH = datetime(2020, 10, 14, 5, 45, 4, tzinfo=UTC)
ISS_PERIOD_S = 92.6 * 60.0  # draconic period of the ISS at ~405 km
# Chaser insertion orbit ~200 km circular (Soyuz: 189 x 230 km, MS-02): Kepler period.
INSERTION_PERIOD_S = 2 * math.pi * math.sqrt((6378.137 + 200.0) ** 3 / 398600.4418)


def _scheme(name, orbits, window, final_s=0.0):
    return RendezvousScheme(name=name, orbits=orbits, phase_window_deg=window, final_approach_s=final_s,
                            sources=[Source(title="test scheme")], confidence="assumption")


def _durations_over_window(scheme, insertion_time_s, period_s):
    low, high = scheme.phase_window_deg
    hours = []
    for phase in np.linspace(low, high, 7):
        options = feasible_schemes([scheme], float(phase), LAUNCH, insertion_time_s, period_s,
                                   INSERTION_PERIOD_S)
        assert [o.name for o in options] == [scheme.name]
        hours.append(options[0].duration_h)
    return np.array(hours)


@pytest.mark.parametrize(
    ("scheme_name", "actual", "tolerance"),
    [
        ("2-orbit", timedelta(hours=3, minutes=3, seconds=43), timedelta(minutes=10)),  # MS-17
        ("2-day", timedelta(hours=50, minutes=26, seconds=41), timedelta(hours=2)),  # MS-25
    ],
)
def test_soyuz_scheme_durations_match_records(scheme_name, actual, tolerance):
    cat = load_catalog()
    soyuz = cat.vehicle("soyuz-ms")
    scheme = next(s for s in soyuz.rendezvous if s.name == scheme_name)
    insertion = cat.launcher("soyuz-2.1a").insertion_time_s
    hours = _durations_over_window(scheme, insertion, ISS_PERIOD_S)
    assert np.all(np.abs(hours - actual.total_seconds() / 3600.0) <= tolerance.total_seconds() / 3600.0)


def test_fastest_two_day_case_matches_ms23():
    # MS-23 (uncrewed) took 48.6 h on the 2-day scheme (TASS, ±2 h). Its phase angle is unknown
    # here; the catalog window's fastest case (one catch-up lap) must lie within tolerance.
    cat = load_catalog()
    scheme = next(s for s in cat.vehicle("soyuz-ms").rendezvous if s.name == "2-day")
    hours = _durations_over_window(scheme, cat.launcher("soyuz-2.1a").insertion_time_s, ISS_PERIOD_S)
    assert abs(hours.min() - 48.6) <= 2.0


def test_crew_dragon_durations_match_ac6():
    cat = load_catalog()
    dragon = cat.vehicle("crew-dragon")
    insertion = cat.launcher("falcon-9").insertion_time_s
    for scheme in dragon.rendezvous:
        hours = _durations_over_window(scheme, insertion, ISS_PERIOD_S)
        assert np.all((hours >= 18.9 - 1.0) & (hours <= 28.2 + 1.0))


def test_duration_is_orbit_count_arithmetic():
    # Kinematics: from insertion to docking the chaser makes N revolutions and the station
    # N − φ/360 − k (k whole catch-up laps), so (duration − ascent − final approach) / P_station
    # + φ/360 + k = N exactly.
    fast = _scheme("fast", 4.0, (10.0, 50.0), final_s=900.0)
    slow = _scheme("slow", 34.0, (60.0, 210.0), final_s=900.0)
    for scheme, phase, laps in ((fast, 10.0, 0), (fast, 50.0, 0), (slow, 61.5, 1), (slow, 150.0, 1)):
        (option,) = feasible_schemes([scheme], phase, LAUNCH, 528.8, ISS_PERIOD_S, INSERTION_PERIOD_S)
        phasing_s = option.duration_h * 3600.0 - 528.8 - 900.0
        assert phasing_s / ISS_PERIOD_S + phase / 360.0 + laps == pytest.approx(scheme.orbits, abs=1e-9)
        assert option.dock_utc - LAUNCH == timedelta(hours=option.duration_h)
        # The chaser's mean period stays between its insertion orbit and the station's.
        mean_period = phasing_s / scheme.orbits
        assert INSERTION_PERIOD_S <= mean_period < ISS_PERIOD_S
    # The chaser's mean period is shorter than the station's by φ/(360 N) of it.
    assert chaser_period_s(5556.0, 36.0, 4.0) == pytest.approx(5556.0 * (1 - 0.025))


def test_catch_up_laps_follow_the_insertion_orbit_rate():
    # A chaser at 200 km gains 360·(1 − P_ins/P_s) ≈ 15.5° per revolution on the ISS: in 34
    # revolutions ≈ 530°, i.e. one whole lap besides φ up to ≈ 170°; in 2 or 4 none.
    gain_deg = 360.0 * (1 - INSERTION_PERIOD_S / ISS_PERIOD_S)
    assert gain_deg == pytest.approx(15.5, abs=0.5)
    assert catch_up_laps(ISS_PERIOD_S, 100.0, 34.0, INSERTION_PERIOD_S) == int((34 * gain_deg - 100.0) // 360)
    assert catch_up_laps(ISS_PERIOD_S, 16.6, 2.0, INSERTION_PERIOD_S) == 0
    assert catch_up_laps(ISS_PERIOD_S, 50.0, 4.0, INSERTION_PERIOD_S) == 0
    assert catch_up_laps(ISS_PERIOD_S, 100.0, 34.0, None) == 0


def test_scheme_windows_select_and_sort():
    schemes = [_scheme("slow", 34.0, (60.0, 210.0)), _scheme("fast", 2.0, (-5.0, 5.0)),
               _scheme("mid", 4.0, (40.0, 100.0))]
    assert [o.name for o in feasible_schemes(schemes, 70.0, LAUNCH, 500.0, ISS_PERIOD_S)] == ["mid", "slow"]
    assert feasible_schemes(schemes, 70.0, LAUNCH, 500.0, ISS_PERIOD_S)[0].orbits == 4.0
    assert [o.name for o in feasible_schemes(schemes, 357.0, LAUNCH, 500.0, ISS_PERIOD_S)] == ["fast"]
    assert feasible_schemes(schemes, 250.0, LAUNCH, 500.0, ISS_PERIOD_S) == []
    # A window written with negative angles uses its own branch: 357° is −3° for "fast".
    (fast,) = feasible_schemes(schemes, 357.0, LAUNCH, 500.0, ISS_PERIOD_S)
    assert fast.duration_h * 3600.0 == pytest.approx(500.0 + ISS_PERIOD_S * (2.0 + 3.0 / 360.0))


def test_phase_angle_on_a_circular_orbit():
    # Circular orbit, node and perigee at 0: the argument of latitude is (ω̇ + Ṁ)·Δt.
    epoch = datetime(2024, 5, 1, tzinfo=UTC)
    orbit = StationOrbit.hypothetical(51.6, 420.0, epoch)
    a = physics.R_EARTH_EQ_KM + 420.0
    n = math.sqrt(physics.MU_EARTH_KM3_S2 / a**3)
    k = physics.J2_EARTH * (physics.R_EARTH_EQ_KM / a) ** 2
    c = math.cos(math.radians(51.6))
    u_rate = n * (1 + 0.75 * k * (3 * c * c - 1)) + 0.75 * n * k * (5 * c * c - 1)
    dt = np.array([600.0, 2000.0, 4321.0])
    jd = datetime_to_jd(epoch) + dt / 86400.0
    site_u = np.radians([10.0, 200.0, 350.0])
    downrange_km = 1650.0
    expected = np.degrees(u_rate * dt - site_u - downrange_km / R_EARTH_MEAN_KM) % 360.0
    got = phase_angles_deg(orbit, jd, site_u, downrange_km)
    assert np.allclose((got - expected + 180) % 360 - 180, 0.0, atol=1e-5)  # 1 m along track
