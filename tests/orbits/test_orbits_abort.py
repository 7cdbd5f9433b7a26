"""Ascent abort against real aborts: Soyuz MS-10 (calibration: the Soyuz-FG ascent profile was
reconstructed to fit it; SpaceNews, TASS, Forbes in launchers.toml), Soyuz 18a (validation, never
fitted; its time and place are a measured miss, kept as a strict xfail) and Soyuz T-10-1 (a pad
abort by the escape tower, which the model does not represent)."""

from __future__ import annotations

import pytest

from lifeboat.catalog import load_catalog
from lifeboat.errors import InputError
from lifeboat.orbits.abort import ascent_abort, ascent_state
from lifeboat.orbits.geo import destination, great_circle_distance_km

# Baikonur Site 1/5 "Gagarin's Start", the Soyuz-FG crew pad in 2018.
PAD_1_5 = (45.920278, 63.342222)
# TASS (http://tass.com/emergencies/1025502): MS-10 landed 20 km east of Zhezkazgan (town ≈ 47.8 N, 67.7 E).
ZHEZKAZGAN = (47.8, 67.7)
MS10_LANDING = tuple(float(x) for x in destination(*ZHEZKAZGAN, 90.0, 20.0)[:2])


def _pad_1_5_id() -> str:
    cat = load_catalog()
    sites = [
        s
        for s in cat.sites.values()
        if "soyuz-fg" in s.launchers
        and great_circle_distance_km(s.latitude_deg, s.longitude_deg, *PAD_1_5) < 5.0
    ]
    assert sites, "the catalog should carry Baikonur Site 1/5 flying Soyuz-FG"
    return sites[0].id


@pytest.fixture(scope="module")
def ms10():
    return ascent_abort(
        "soyuz-fg", 118.0, site_id=_pad_1_5_id(), azimuth_deg=62.0, vehicle_id="soyuz-ms"
    )


def test_ms10_apogee_and_peak_g(ms10):
    # MS-10 record: apogee 93 km ± 15 km; peak deceleration 6-7 g, accepted 5.5-8 g.
    assert ms10.apogee_km == pytest.approx(93.0, abs=15.0)
    assert 5.5 <= ms10.peak_deceleration_g <= 8.0


def test_ms10_touchdown_time(ms10):
    # MS-10 record: landing 19 min 41 s after launch ± 3 min.
    assert ms10.liftoff_to_touchdown_s == pytest.approx(19 * 60 + 41, abs=180.0)


def test_ms10_touchdown_place(ms10):
    # MS-10 record: ~400 km downrange ± 60 km, "near Zhezkazgan": within 100 km of the recorded spot.
    assert ms10.downrange_km == pytest.approx(400.0, abs=60.0)
    miss_km = great_circle_distance_km(
        ms10.landing_latitude_deg, ms10.landing_longitude_deg, *MS10_LANDING
    )
    assert miss_km < 100.0


def test_ms10_abort_state_comes_from_the_ascent_profile(ms10):
    # SpaceNews: abort at ~50 km (Medium). (The ~1.5 km/s speed there is a Low-confidence
    # figure; the catalog reconstruction uses a derived 1.8 km/s, see its notes.)
    assert ms10.abort_state.altitude_km == pytest.approx(50.0, rel=0.1)
    launcher = load_catalog().launcher("soyuz-fg")
    node = launcher.ascent_profile[len(launcher.ascent_profile) // 2]
    alt, down, speed, gamma = ascent_state(launcher, node.t_s)
    assert (alt, down, speed, gamma) == (
        node.altitude_km,
        node.downrange_km,
        node.speed_m_s,
        node.flight_path_deg,
    )
    # Between two nodes the state is their linear interpolation (units: km, km, m/s, deg).
    after = launcher.ascent_profile[len(launcher.ascent_profile) // 2 + 1]
    mid = ascent_state(launcher, 0.25 * node.t_s + 0.75 * after.t_s)
    for got, a, b in zip(mid, (node.altitude_km, node.downrange_km, node.speed_m_s, node.flight_path_deg),
                         (after.altitude_km, after.downrange_km, after.speed_m_s, after.flight_path_deg),
                         strict=True):
        assert got == pytest.approx(0.25 * a + 0.75 * b, abs=1e-9)
    assert ms10.liftoff_to_touchdown_s > ms10.chute_deploy_time_s > ms10.apogee_time_s > 118.0


def test_vehicle_that_does_not_fly_on_the_launcher_is_an_input_error():
    with pytest.raises(InputError, match="does not fly on launcher"):
        ascent_abort("soyuz-fg", 118.0, vehicle_id="crew-dragon")


# Soyuz 18a (Soyuz 7K-T No.39), 5 Apr 1975: liftoff 11:04:54 UTC from Baikonur 1/5 on the
# original Soyuz (11A511); the stage 2/3 separation began at T+288.6 s and only three of six
# latches opened; the abort separated the spacecraft at T+295 s (spacefacts,
# http://spacefacts.de/ballistic/german/soyuz-18a.htm; memim, https://memim.com/soyuz-7k-t-no.39.html).
# Recorded: altitude at the separation 192 km (spacefacts; weebau, http://weebau.com/flights/soyuz18a.htm)
# or 146 km (Supercluster, https://supercluster.com/missions/soyuz-18a); touchdown 11:26:21 UTC,
# 21 min 27 s after liftoff, at 50°50' N 83°25' E in the Altai, 1,574 km from the pad (weebau;
# piglix, http://piglix.com/piglix/Soyuz_18a); peak 20.6-21.3 g instead of the 15 g an abort was
# designed for, because the abort engines fired with the stack pointing down (spacefacts).
# Never fitted: flown on the Soyuz-FG profile (the catalog has no 11A511) from T+295 s, with
# the MS-10 acceptance limits (±3 min, < 100 km from the recorded spot) for time and place.
SOYUZ_18A_ABORT_S = 295.0
SOYUZ_18A_LANDING = (50.0 + 50.0 / 60.0, 83.0 + 25.0 / 60.0)
SOYUZ_18A_TOUCHDOWN_S = 21 * 60 + 27


@pytest.fixture(scope="module")
def soyuz_18a():
    return ascent_abort(
        "soyuz-fg", SOYUZ_18A_ABORT_S, site_id=_pad_1_5_id(), azimuth_deg=62.0, vehicle_id="soyuz-ms"
    )


def test_soyuz_18a_record_is_self_consistent():
    # The recorded 1,574 km is the great-circle distance from the pad to the recorded spot.
    assert great_circle_distance_km(*PAD_1_5, *SOYUZ_18A_LANDING) == pytest.approx(1_574.0, abs=5.0)


def test_soyuz_18a_apogee_and_peak_g_within_the_record(soyuz_18a):
    # The ballistic apogee lies within the altitudes the record gives for the separation
    # (146-192 km). The model flies no downward abort push, so its peak deceleration lies between
    # the 15 g designed for and the 21.3 g the crew took with the push.
    assert 146.0 <= soyuz_18a.apogee_km <= 192.0
    assert 15.0 <= soyuz_18a.peak_deceleration_g <= 21.3


def test_soyuz_18a_lands_downrange_along_the_launch_track(soyuz_18a):
    # Flown along the 62° launch azimuth, the capsule lands north-east, in the Altai direction:
    # the bearing to the recorded spot is within a few degrees of the track's.
    landing = (soyuz_18a.landing_latitude_deg, soyuz_18a.landing_longitude_deg)
    along_km = great_circle_distance_km(*PAD_1_5, *landing)
    assert 1_000.0 < along_km < 1_574.0 + 100.0
    assert soyuz_18a.landing_longitude_deg > 75.0 and soyuz_18a.landing_latitude_deg > 49.0


@pytest.mark.xfail(strict=True, reason=(
    "measured miss: lands ~136 km short of the recorded spot and 3.4 min late (24.8 min vs "
    "21 min 27 s), outside the MS-10 acceptance limits; see docs/orbits.md, Ascent aborts"))
def test_soyuz_18a_touchdown_time_and_place_within_the_ms10_limits(soyuz_18a):
    assert soyuz_18a.liftoff_to_touchdown_s == pytest.approx(SOYUZ_18A_TOUCHDOWN_S, abs=180.0)
    landing = (soyuz_18a.landing_latitude_deg, soyuz_18a.landing_longitude_deg)
    assert great_circle_distance_km(*landing, *SOYUZ_18A_LANDING) < 100.0


def test_soyuz_t10_1_pad_abort_is_outside_the_model():
    # Soyuz T-10-1, 26 Sep 1983: the escape tower pulled the capsule off the burning rocket on the
    # pad (14-17 g for ~5 s), landing ~4 km away 5 min 13 s later (en-academic/Wikipedia,
    # https://en-academic.com/dic.nsf/enwiki/425512). A tower abort from the ground is not a
    # ballistic descent from the ascent profile: the model refuses it and says why.
    with pytest.raises(InputError, match="escape-tower abort"):
        ascent_abort("soyuz-fg", 0.0, site_id=_pad_1_5_id(), vehicle_id="soyuz-ms")


def test_failure_time_outside_profile_is_an_input_error():
    with pytest.raises(InputError, match="outside"):
        ascent_abort("soyuz-fg", 1.0e5)


def test_unknown_launcher_is_an_input_error():
    with pytest.raises(InputError, match="unknown launcher"):
        ascent_abort("soyuz-zz", 118.0)


def test_low_altitude_failure_needs_the_escape_tower():
    with pytest.raises(InputError, match="escape-tower"):
        ascent_abort("soyuz-fg", 30.0)
