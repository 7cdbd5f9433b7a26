"""Launch opportunities: plane crossings, azimuths, launch times, unreachable sites.

References: an independent brute-force plane-crossing search written here with skyfield (GCRS
positions of the satellite and of the site, 120 s grid + bisection); the closed form
sin β = cos i / cos φ and the rotation-corrected azimuths of launch-azimuth tables (Baikonur
63.1° → 62.0°, KSC 45.0° → 42.8°); the Soyuz MS-11 launch time (3 Dec 2018 11:31:52 UTC from
Baikonur Site 1/5, RussianSpaceWeb https://russianspaceweb.com/soyuz-ms-11.html). Launch times on
launches the calibration never saw are judged in test_orbits_launch_calibration.py.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from skyfield.api import EarthSatellite, load, wgs84

from lifeboat.catalog import load_catalog
from lifeboat.orbits import physics
from lifeboat.orbits.station import StationOrbit
from lifeboat.orbits.windows import (
    compass_point,
    find_plane_crossings,
    launch_opportunities,
    site_can_reach,
)
from lifeboat.timeutil import datetime_to_jd

ISS_L1 = "1 25544U 98067A   18336.32716814  .00001474  00000-0  29615-4 0  9996"
ISS_L2 = "2 25544  51.6401 260.8120 0005200 105.4624 347.8845 15.54045418144664"
START = datetime(2018, 12, 1, tzinfo=UTC)
# Baikonur Site 1/5 (KeepTrack coordinates, sites.toml)
BAIKONUR = (45.920278, 63.342222)
KSC_39A = (28.608389, -80.604333)


@pytest.fixture(scope="module")
def iss():
    return StationOrbit.from_tle(ISS_L1, ISS_L2, name="ISS")


def skyfield_plane_crossings(line1, line2, lat_deg, lon_deg, start: datetime, days: float) -> np.ndarray:
    """Independent reference: sign changes of r_site · (r × v) in GCRS on a 120 s grid, bisected."""
    ts = load.timescale(builtin=True)
    sat = EarthSatellite(line1, line2, ts=ts)
    site = wgs84.latlon(lat_deg, lon_deg)

    def g(seconds):
        t = ts.utc(start.year, start.month, start.day, 0, 0, seconds)
        at = sat.at(t)
        h = np.cross(at.position.km.T, at.velocity.km_per_s.T)
        return np.einsum("ij,ij->i", site.at(t).position.km.T, h)

    grid = np.arange(0.0, days * 86400.0 + 1.0, 120.0)
    values = g(grid)
    k = np.flatnonzero(np.sign(values[:-1]) != np.sign(values[1:]))
    lo, hi, g_lo = grid[k], grid[k + 1], values[k]
    for _ in range(22):  # 120 s / 2**22 < 1e-4 s
        mid = 0.5 * (lo + hi)
        g_mid = g(mid)
        same = np.sign(g_mid) == np.sign(g_lo)
        lo, g_lo, hi = np.where(same, mid, lo), np.where(same, g_mid, g_lo), np.where(same, hi, mid)
    return datetime_to_jd(start) + 0.5 * (lo + hi) / 86400.0


def _compare_crossings(orbit, line1, line2, lat, lon, start, days=30.0):
    ours = find_plane_crossings(orbit, lat, lon, 0.0, datetime_to_jd(start), datetime_to_jd(start) + days)
    reference = skyfield_plane_crossings(line1, line2, lat, lon, start, days)
    assert ours.jd_utc.size == reference.size > 40
    assert np.max(np.abs(ours.jd_utc - reference)) * 86400.0 < 1.0
    return ours


def test_baikonur_crossings_match_skyfield_bruteforce(iss):
    crossings = _compare_crossings(iss, ISS_L1, ISS_L2, *BAIKONUR, START)
    # Ascending and descending halves alternate.
    assert np.all(crossings.northbound[:-1] != crossings.northbound[1:])


def test_ksc_crossings_match_skyfield_bruteforce(iss):
    _compare_crossings(iss, ISS_L1, ISS_L2, *KSC_39A, START)


def test_wenchang_crossings_match_skyfield_for_tiangong():
    cat = load_catalog()
    station = cat.station("tiangong")
    line1, line2 = station.tle
    orbit = StationOrbit.from_tle(line1, line2, name="Tiangong")
    wenchang = cat.site("wenchang")
    epoch = orbit.epoch_utc
    start = datetime(epoch.year, epoch.month, epoch.day, tzinfo=UTC)
    _compare_crossings(orbit, line1, line2, wenchang.latitude_deg, wenchang.longitude_deg, start)


def test_crossings_stay_complete_far_from_the_epoch_as_drag_changes_the_node():
    # 150-160 days after the Tiangong epoch SGP4's drag has moved the node by more than the
    # ±15 min search brackets allow if the node is extrapolated from the epoch; every crossing
    # must still be found (same events as the brute-force search, to 1 s).
    cat = load_catalog()
    line1, line2 = cat.station("tiangong").tle
    orbit = StationOrbit.from_tle(line1, line2, name="Tiangong")
    epoch = orbit.epoch_utc
    start = datetime(epoch.year, epoch.month, epoch.day, tzinfo=UTC) + timedelta(days=150)
    wenchang = cat.site("wenchang")
    ours = find_plane_crossings(orbit, wenchang.latitude_deg, wenchang.longitude_deg, 0.0,
                                datetime_to_jd(start), datetime_to_jd(start) + 10.0)
    reference = skyfield_plane_crossings(line1, line2, wenchang.latitude_deg, wenchang.longitude_deg,
                                         start, 10.0)
    assert ours.jd_utc.size == reference.size > 15
    assert np.max(np.abs(ours.jd_utc - reference)) * 86400.0 < 1.0


def test_azimuths_follow_the_closed_form_and_ac10(iss):
    result = launch_opportunities("baikonur", iss, START, 4.0, vehicle_id="soyuz-ms")
    assert len(result.opportunities) >= 4
    lat = math.radians(BAIKONUR[0])
    for o in result.opportunities:
        # Before the rotation correction: sin β = cos i / cos φ with the plane's inclination.
        closed = math.degrees(math.asin(math.cos(math.radians(o.plane_inclination_deg)) / math.cos(lat)))
        assert o.inertial_azimuth_deg == pytest.approx(closed, abs=0.01)
        assert o.plane_inclination_deg == pytest.approx(51.64, abs=0.05)
        # ≈ 62.0° after the Earth-rotation correction (±0.3°); range 35–64° keeps only NE.
        assert o.direction == "ENE"  # 62° lies in the 56.25–78.75° sector
        assert o.azimuth_deg == pytest.approx(62.0, abs=0.3)


def test_ac10_rotation_correction_kernel():
    # Launch-azimuth tables: Baikonur 63.1° → ≈62.0°, KSC 39A 45.0° → ≈42.8° at 51.64°, v ≈ 7.66 km/s.
    i = math.radians(51.64)
    for lat_deg, inertial, corrected in ((45.920, 63.1, 62.0), (28.608, 45.0, 42.8)):
        lat = math.radians(lat_deg)
        beta = physics.inertial_azimuth_rad(lat, i, True)
        assert math.degrees(beta) == pytest.approx(inertial, abs=0.1)
        assert math.degrees(physics.rotating_azimuth_rad(beta, lat, 7.66)) == pytest.approx(corrected, abs=0.3)


def test_ksc_only_northeast_and_ac10_azimuth(iss):
    result = launch_opportunities("ksc-39a", iss, START, 3.0, vehicle_id="crew-dragon")
    assert result.opportunities
    for o in result.opportunities:
        assert o.direction == "NE"  # the SE azimuth (~137°) is outside 35–120°
        assert o.azimuth_deg == pytest.approx(42.8, abs=0.3)


def test_ms11_launch_time_is_reproduced(iss):
    # Soyuz MS-11 lifted off 3 Dec 2018 11:31:52 UTC from Baikonur 1/5 to the ISS. It is one of
    # the rows the Soyuz lead was fitted to (calibration, not validation): the launch time is the
    # plane crossing minus the catalog lead, later by the phasing delay, and lies within ±3 min of
    # the record.
    actual = datetime(2018, 12, 3, 11, 31, 52, tzinfo=UTC)
    result = launch_opportunities("baikonur", iss, START, 4.0, vehicle_id="soyuz-ms")
    nearest = min(result.opportunities, key=lambda o: abs(o.launch_utc - actual))
    assert abs(nearest.launch_utc - actual) < timedelta(minutes=3)
    ascent = load_catalog().launcher(result.launcher).insertion_time_s
    lead = load_catalog().launcher(result.launcher).launch_lead_s
    assert (nearest.plane_crossing_utc - nearest.launch_utc).total_seconds() == pytest.approx(
        lead - nearest.phasing_delay_s, abs=1e-3)
    assert 10.0 < nearest.phasing_delay_s < 25.0  # ~6 h of phasing below the station
    assert result.launch_lead_s == pytest.approx(lead)
    assert (nearest.insertion_utc - nearest.launch_utc).total_seconds() == pytest.approx(ascent, abs=1e-3)
    # Independent check of the phase angle: at the real docking (17:33:20 UTC, 6 h 01 m 28 s) the
    # chaser caught the station, so from insertion the station flew N·360° − φ with N whole chaser
    # revolutions; with our φ that gives N within 0.2 of an integer (3.87: the "4-orbit" profile).
    station_revs = (datetime(2018, 12, 3, 17, 33, 20, tzinfo=UTC) - nearest.insertion_utc).total_seconds() / iss.period_s
    chaser_revs = station_revs + nearest.phase_angle_deg / 360.0
    assert abs(chaser_revs - round(chaser_revs)) < 0.2


def test_site_that_cannot_reach_reports_reason_and_plane_change():
    cat = load_catalog()
    # Baikonur (45.92°) cannot launch into Tiangong's 41.5°: 4.4° plane change, 588 m/s ±2 %.
    ok, reason, dv = site_can_reach(cat.site("baikonur"), 41.5, altitude_km=390.0)
    assert not ok and "latitude" in reason
    assert dv == pytest.approx(588.0, rel=0.02)
    hypothetical = StationOrbit.hypothetical(41.5, 390.0, START)
    result = launch_opportunities("baikonur", hypothetical, START, 2.0)
    assert result.opportunities == [] and "latitude" in result.unreachable_reason
    assert result.plane_change_delta_v_m_s == pytest.approx(588.0, rel=0.02)


def test_site_with_no_allowed_azimuth_is_unreachable():
    cat = load_catalog()
    # Jiuquan allows only south-east ground azimuths (95–115°): a 60° plane needs ~NE 40° or SE 140°.
    site = cat.site("jiuquan")
    ok, reason, dv = site_can_reach(site, 60.0, altitude_km=390.0)
    assert not ok and "azimuth" in reason
    # Closed form: the nearest allowed plane is launched at the 115° ground-azimuth limit. The
    # inertial velocity (circular speed v at the 200 km default insertion) is the ground-relative
    # one plus the site's eastward speed u, so |v_g (sin βg, cos βg) + (u, 0)| = v gives v_g, the
    # inertial azimuth β, then cos i = cos φ sin β and Δv = 2 v_station sin(Δi / 2).
    phi = math.radians(site.latitude_deg)
    u = physics.OMEGA_EARTH_RAD_S * physics.R_EARTH_EQ_KM * math.cos(phi)
    v = math.sqrt(physics.MU_EARTH_KM3_S2 / (physics.R_EARTH_EQ_KM + 200.0))
    ground = math.radians(115.0)
    v_g = -u * math.sin(ground) + math.sqrt(u * u * math.sin(ground) ** 2 - u * u + v * v)
    beta = math.atan2(v_g * math.sin(ground) + u, v_g * math.cos(ground))
    nearest_i_deg = math.degrees(math.acos(math.cos(phi) * math.sin(beta)))
    v_station = math.sqrt(physics.MU_EARTH_KM3_S2 / (physics.R_EARTH_EQ_KM + 390.0))
    expected_m_s = 2.0 * v_station * 1e3 * math.sin(math.radians(60.0 - nearest_i_deg) / 2.0)
    assert dv == pytest.approx(expected_m_s, abs=10.0)  # m/s; the search steps 0.05° in azimuth
    ok_tiangong, _, _ = site_can_reach(cat.site("jiuquan"), 41.47, altitude_km=390.0)
    assert ok_tiangong


def test_jiuquan_to_tiangong_launches_southeast():
    cat = load_catalog()
    line1, line2 = cat.station("tiangong").tle
    orbit = StationOrbit.from_tle(line1, line2, name="Tiangong")
    epoch = orbit.epoch_utc
    result = launch_opportunities("jiuquan", orbit, epoch, 3.0, vehicle_id="shenzhou")
    assert result.opportunities
    lat = math.radians(cat.site("jiuquan").latitude_deg)
    for o in result.opportunities:
        assert 95.0 <= o.azimuth_deg <= 115.0 and o.direction in ("E", "ESE")  # south-east of due east
        closed = 180.0 - math.degrees(math.asin(math.cos(math.radians(o.plane_inclination_deg)) / math.cos(lat)))
        assert o.inertial_azimuth_deg == pytest.approx(closed, abs=0.01)


@pytest.mark.parametrize("azimuth_deg, word", [
    (0.0, "N"), (357.0, "N"), (348.75, "N"), (348.7, "NNW"), (11.24, "N"), (11.26, "NNE"),
    (42.8, "NE"), (62.0, "ENE"), (90.0, "E"), (107.0, "ESE"), (137.0, "SE"), (183.0, "S"),
    (191.9, "SSW"), (270.0, "W"), (315.0, "NW"), (360.0, "N"), (-3.0, "N"), (720.0 + 45.0, "NE"),
])
def test_compass_word_is_the_sector_holding_the_azimuth(azimuth_deg, word):
    # 16 sectors of 22.5°, each centred on its point: N covers 348.75–11.25°.
    assert compass_point(azimuth_deg) == word


# Fram2, the first crewed polar flight: Falcon 9 from LC-39A on 1 Apr 2025 at 01:46 UTC into a
# 90° orbit, launched to the south through the Eastern Range polar corridor (Supercluster,
# https://supercluster.com/launches/fram2; Space Coast Daily, https://spacecoastdaily.com/?p=467402).
# SAOCOM 1B opened the corridor from SLC-40 on 30 Aug 2020 into a 97.9° orbit, flying south along
# the coast (NASASpaceflight, https://www.nasaspaceflight.com/2020/08/spacex-polar-cape-50-years/).
FRAM2_LIFTOFF = datetime(2025, 4, 1, 1, 46, tzinfo=UTC)


def test_fram2_polar_plane_is_launched_south_from_lc39a():
    # A 90° plane (Fram2's) seen from LC-39A on the day of the flight: every opportunity the range
    # allows is the southbound one, heading ~183° ("S"): 180° minus the site's eastward speed
    # ω R cos φ against the 7.79 km/s insertion speed, atan(0.408 / 7.79) = 3.0°.
    orbit = StationOrbit.hypothetical(90.0, 430.0, FRAM2_LIFTOFF - timedelta(days=1))
    result = launch_opportunities("ksc-39a", orbit, FRAM2_LIFTOFF - timedelta(hours=12), 2.0)
    assert result.unreachable_reason is None
    assert len(result.opportunities) == 2  # one a day: the northbound crossing (357°, "N") is not allowed
    lat = math.radians(KSC_39A[0])
    v = math.sqrt(physics.MU_EARTH_KM3_S2 / (physics.R_EARTH_EQ_KM + 200.0))
    expected = 180.0 + math.degrees(math.atan(physics.OMEGA_EARTH_RAD_S * physics.R_EARTH_EQ_KM * math.cos(lat) / v))
    for o in result.opportunities:
        assert o.direction == "S"
        assert o.azimuth_deg == pytest.approx(expected, abs=0.05)
        assert o.inertial_azimuth_deg == pytest.approx(180.0, abs=0.05)


@pytest.mark.parametrize("site_id, inclination_deg", [("ksc-39a", 90.0), ("ccsfs-40", 97.9)])
def test_polar_corridor_reaches_the_planes_flown_through_it(site_id, inclination_deg):
    # Fram2 (LC-39A, 90°) and SAOCOM 1B (SLC-40, 97.9°) flew these planes from these pads.
    ok, reason, dv = site_can_reach(load_catalog().site(site_id), inclination_deg)
    assert ok and reason is None and dv is None


def test_pad_without_polar_corridor_names_the_directions_by_compass():
    # SLC-41 (Atlas V) has not flown the corridor: the 90° plane needs 357.0° northbound, a
    # northerly heading ("N", not north-east), or 183.0° southbound ("S").
    ok, reason, dv = site_can_reach(load_catalog().site("ccsfs-41"), 90.0)
    assert not ok and dv > 0.0
    assert "357.0° (N, northbound)" in reason and "183.0° (S, southbound)" in reason


@pytest.mark.parametrize("site_id, inclination_deg", [
    ("baikonur", 51.64), ("baikonur-31", 51.64),  # the ISS
    ("vostochny", 64.8), ("vostochny", 97.0), ("vostochny", 98.0),  # GLONASS and SSO/ROS routes
    ("jiuquan", 41.47),  # Tiangong, south-east through the Shenzhou-10 ascent corridor
    ("ksc-39a", 51.64), ("ccsfs-41", 51.64),  # the ISS from Florida
    ("sriharikota", 87.4),  # OneWeb on LVM3
])
def test_sites_reach_the_planes_their_sourced_routes_fly(site_id, inclination_deg):
    # The ranges are ground-relative azimuths (what the check uses): a range derived from the
    # non-rotating azimuth would miss the sourced plane by 1-2 degrees.
    ok, reason, _ = site_can_reach(load_catalog().site(site_id), inclination_deg)
    assert ok, reason


def test_phasing_node_delay_matches_sgp4_node_drift():
    # Independent reference: two circular orbits built with sgp4's own initialiser, 200 km apart,
    # propagated for two days; their node difference (SGP4 secular theory, J2 and J4), over the
    # site's rate across planes, is the delay the kernel gives within 2 %.
    from sgp4.api import WGS72, Satrec

    from lifeboat.orbits import physics

    i_rad, hours = np.radians(51.64), 48.0
    a_station, a_chaser = 6798.0, 6598.0
    sats = []
    for a_km in (a_station, a_chaser):
        sat = Satrec()
        n_rad_min = np.sqrt(398600.8 / a_km**3) * 60.0
        sat.sgp4init(WGS72, "i", 1, 25000.5, 0.0, 0.0, 0.0, 1e-7, 0.0, i_rad, 0.0, n_rad_min, 0.0)
        sats.append(sat)

    def node_rad(sat, minutes):
        _, r, v = sat.sgp4_tsince(minutes)
        h = np.cross(r, v)
        return np.arctan2(h[0], -h[1])

    t = hours * 60.0 + np.linspace(0.0, 92.0, 47)  # one orbit: average out the short-period terms
    drift = [np.mean([physics.wrap_pi(node_rad(s, m) - node_rad(s, 0.0)) for m in t]) for s in sats]
    station_rate = drift[0] / ((hours * 60.0 + 46.0) * 60.0)
    expected = (drift[0] - drift[1]) / (physics.OMEGA_EARTH_RAD_S - station_rate)
    got = physics.phasing_node_delay_s(hours * 3600.0, a_station, a_chaser, i_rad)
    assert got > 0.0
    assert got == pytest.approx(expected, rel=0.02)
