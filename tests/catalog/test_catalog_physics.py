"""Catalog values checked against published figures and independent arithmetic.

References: docs/references.md (the ISS volume range; AC-5 MS-10, AC-6 rendezvous times, AC-10
launch geometry, AC-12 Soyuz landing) and the Zvezda record's own source (75 m³).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from sgp4.api import Satrec

from lifeboat.catalog import load_catalog

MU_KM3_S2 = 398600.4418
R_EQ_KM = 6378.137
G0_M_S2 = 9.80665


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


def _tle_checksum(line: str) -> int:
    """The NORAD mod-10 checksum, written here independently of sgp4."""
    return sum(int(c) if c.isdigit() else (1 if c == "-" else 0) for c in line[:68]) % 10


@pytest.mark.parametrize("station_id", ["iss", "tiangong"])
def test_tle_checksums_parse_and_match_inclination_and_altitude(cat, station_id):
    station = cat.stations[station_id]
    line1, line2 = station.tle
    for line in (line1, line2):
        assert len(line) == 69 and int(line[68]) == _tle_checksum(line)
    sat = Satrec.twoline2rv(line1, line2)
    assert abs(math.degrees(sat.inclo) - station.inclination_deg) < 0.1  # deg
    # Mean altitude from the Kepler period of the mean motion (rad/min).
    a_km = (MU_KM3_S2 / (sat.no_kozai / 60.0) ** 2) ** (1 / 3)
    assert abs(a_km - R_EQ_KM - station.altitude_km) < 5.0  # km
    assert station.tle_source


def test_iss_tle_is_the_2_december_2018_element_set(cat):
    sat = Satrec.twoline2rv(*cat.stations["iss"].tle)
    assert (sat.epochyr, int(sat.epochdays)) == (18, 336)  # day 336 of 2018 = 2 Dec


def test_iss_2018_volume_within_the_sourced_whole_station_range(cat):
    config = next(c for c in cat.stations["iss"].configurations if c.id == "2018-12")
    total_m3 = sum(m.volume_m3 for m in config.modules)
    assert 916.0 <= total_m3 <= 1005.0  # docs/references.md: the volume range
    ids = {m.id for m in config.modules}
    assert "pirs" in ids and not {"nauka", "prichal"} & ids


def test_zvezda_split_keeps_the_sourced_75_m3(cat):
    for config in cat.stations["iss"].configurations:
        volume = {m.id: m.volume_m3 for m in config.modules}
        assert volume["zvezda"] + volume["zvezda-prk"] == pytest.approx(75.0)  # the zvezda record's source


def test_iss_2024_configuration_and_hatch_graph(cat):
    config = next(c for c in cat.stations["iss"].configurations if c.id == "2024")
    ids = {m.id for m in config.modules}
    assert {"nauka", "prichal"} <= ids and "pirs" not in ids
    edges = {frozenset((h.a, h.b)): h.open for h in config.hatches}
    assert edges[frozenset(("zvezda", "nauka"))] and edges[frozenset(("nauka", "prichal"))]
    assert edges[frozenset(("zvezda", "zvezda-prk"))] is False  # kept closed since 2024
    # Every module is reachable from Zvezda through hatches.
    seen, todo = set(), ["zvezda"]
    while todo:
        m = todo.pop()
        seen.add(m)
        todo += [b for e in edges for b in e if m in e and b not in seen]
    assert seen == ids


def test_docking_ports_belong_to_modules(cat):
    for station in cat.stations.values():
        for config in station.configurations:
            ids = {m.id for m in config.modules}
            for port in config.docking_ports:
                assert port in ids or any(port.startswith(m + "-") for m in ids), (station.id, port)


@pytest.mark.parametrize("site_id, inclination_deg, descending", [
    ("baikonur", 51.64, False),     # AC-10: 63.1 deg
    ("baikonur-31", 51.64, False),
    ("ksc-39a", 51.64, False),      # AC-10: 45.0 deg
    ("ccsfs-40", 51.64, False),
    ("ccsfs-41", 51.64, False),
    ("wenchang", 41.47, False),     # AC-10: 52.7 deg
    ("jiuquan", 41.47, True),       # south-east launch: 180 - 82.9 deg
])
def test_sites_allow_the_azimuth_to_their_station(cat, site_id, inclination_deg, descending):
    site = cat.sites[site_id]
    beta = math.degrees(math.asin(math.cos(math.radians(inclination_deg))
                                  / math.cos(math.radians(site.latitude_deg))))
    azimuth = 180.0 - beta if descending else beta
    assert any(lo <= azimuth <= hi for lo, hi in site.azimuth_ranges_deg), azimuth


def test_baikonur_cannot_reach_tiangong_directly(cat):
    # AC-10: latitude above the inclination, so no azimuth reaches 41.5 deg.
    assert cat.sites["baikonur"].latitude_deg > cat.stations["tiangong"].inclination_deg


@pytest.mark.parametrize("launcher_id", ["soyuz-fg", "soyuz-2.1a"])
def test_soyuz_ascent_profile_is_physical(cat, launcher_id):
    launcher = cat.launchers[launcher_id]
    p = launcher.ascent_profile
    t = np.array([q.t_s for q in p])
    h = np.array([q.altitude_km for q in p])
    x = np.array([q.downrange_km for q in p])
    v = np.array([q.speed_m_s for q in p])
    gamma = np.array([q.flight_path_deg for q in p])
    assert t[0] == 0.0 and t[-1] == pytest.approx(launcher.insertion_time_s)
    assert np.all(np.diff(t) > 0) and np.all(np.diff(h) >= 0) and np.all(np.diff(x) >= 0)
    assert np.all(np.diff(v) > 0) and np.all(np.diff(gamma) <= 0)
    assert gamma[0] == 90.0 and abs(gamma[-1]) < 0.5
    # MS-10 at T+118 s: ~50 km (docs/references.md AC-5, medium); the quoted ~1.5 km/s is a low-confidence
    # figure, so only a bracket is asserted and the apogee below carries the check.
    assert np.interp(118.0, t, h) == pytest.approx(50.0, abs=5.0)  # km
    assert 1400.0 <= np.interp(118.0, t, v) <= 2000.0  # m/s
    # Vacuum apogee from that state, h + (v sin g)^2 / 2g, against the 93 km apogee (AC-5 +/-15 km).
    vz = np.interp(118.0, t, v) * math.sin(math.radians(np.interp(118.0, t, gamma)))
    assert np.interp(118.0, t, h) + vz**2 / (2 * 9.65) / 1000 == pytest.approx(93.0, abs=15.0)
    # Insertion: ~200 km; Earth-relative speed + Earth rotation along track = circular speed.
    assert h[-1] == pytest.approx(200.0, abs=20.0)
    v_circ = math.sqrt(MU_KM3_S2 / (R_EQ_KM + h[-1])) * 1000.0
    rotation = 465.1 * math.cos(math.radians(45.9)) * math.sin(math.radians(63.0))
    assert v[-1] + rotation == pytest.approx(v_circ, abs=100.0)  # m/s
    # Kinematic consistency, second implementation: integrate v sin g and v cos g (trapezoid).
    rate_h = v * np.sin(np.radians(gamma)) / 1000.0
    rate_x = v * np.cos(np.radians(gamma)) / 1000.0
    h_int = np.concatenate([[0], np.cumsum(np.diff(t) * (rate_h[1:] + rate_h[:-1]) / 2)])
    x_int = np.concatenate([[0], np.cumsum(np.diff(t) * (rate_x[1:] + rate_x[:-1]) / 2)])
    np.testing.assert_allclose(h_int, h, atol=0.08 * h.max())  # km
    np.testing.assert_allclose(x_int, x, atol=0.05 * x.max())  # km


def _period_min(altitude_km: float) -> float:
    return 2 * math.pi * math.sqrt((R_EQ_KM + altitude_km) ** 3 / MU_KM3_S2) / 60.0


@pytest.mark.parametrize("vehicle_id, scheme, flown_h, tolerance_min", [
    ("soyuz-ms", "2-orbit", 3 + 3 / 60 + 43 / 3600, 5.0),      # MS-17, docs/references.md AC-6
    ("soyuz-ms", "4-orbit", 6 + 1 / 60 + 28 / 3600, 5.0),      # MS-11
    ("soyuz-ms", "2-day", 50 + 26 / 60 + 41 / 3600, 60.0),     # MS-25
    ("crew-dragon", "standard", 28 + 13 / 60, 60.0),           # Crew-9
    ("crew-dragon", "express", 18 + 53 / 60, 60.0),            # Demo-2
    # CFT's plan ("just over 24 h"): both Starliner flights docked late after thruster problems.
    ("starliner", "standard", 24.0, 60.0),
])
def test_scheme_orbit_counts_reproduce_flown_transit_times(cat, vehicle_id, scheme, flown_h,
                                                           tolerance_min):
    """insertion + orbits x chaser period, the period lying between a 200 km orbit's and the
    station's (Kepler), must bracket the flown launch-to-docking time."""
    vehicle = cat.vehicles[vehicle_id]
    s = next(r for r in vehicle.rendezvous if r.name == scheme)
    insertion_min = cat.launchers[vehicle.launchers[0]].insertion_time_s / 60.0
    station = cat.stations["iss"]
    shortest = insertion_min + s.orbits * _period_min(200.0) + s.final_approach_s / 60
    longest = insertion_min + s.orbits * _period_min(station.altitude_km) + s.final_approach_s / 60
    flown_min = flown_h * 60.0
    assert shortest - tolerance_min <= flown_min <= longest + tolerance_min


def test_soyuz_phase_windows_have_the_sourced_widths(cat):
    # Widths from the published fast-rendezvous phase ranges; where each window sits is fitted on
    # real launches (tests/orbits, launch calibration), so only the widths are checked here.
    schemes = {s.name: s for s in cat.vehicles["soyuz-ms"].rendezvous}
    widths = {n: s.phase_window_deg[1] - s.phase_window_deg[0] for n, s in schemes.items()}
    assert widths["2-orbit"] == pytest.approx(6.0)
    assert widths["4-orbit"] == pytest.approx(22.0)


def test_deorbit_burns_end_before_landing(cat):
    # The profiles' timings are taken from one flown return each (see their sources), so comparing
    # them with those records could not fail; the landing-time accuracy is judged on held-out
    # returns in tests/orbits. Here only the physics: the burn ends before the capsule lands.
    for vehicle in cat.vehicles.values():
        d = vehicle.deorbit
        if d is not None:
            assert 0.0 < d.burn_duration_s < d.burn_to_landing_s, vehicle.id
