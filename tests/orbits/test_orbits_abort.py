"""Ascent abort against real aborts: Soyuz MS-10 (calibration: the Soyuz-FG ascent profile was
reconstructed to fit it; SpaceNews, TASS, Forbes in launchers.toml), Soyuz 18a (validation, never
fitted: apogee and peak load within the record; time and place a measured miss, kept as a strict
xfail, whose causes are measured in docs/orbits.md), the canopy phase against a nominal Soyuz
landing (MS-11, CSA timeline) and Soyuz T-10-1 (a pad abort by the escape tower, which the model
does not represent)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from lifeboat.catalog import load_catalog
from lifeboat.errors import InputError
from lifeboat.orbits.abort import ascent_abort, ascent_state, capsule_model
from lifeboat.orbits.entry import simulate_entry, us1976_density_kg_m3
from lifeboat.orbits.frames import geodetic_to_ecef
from lifeboat.orbits.geo import destination, enu_basis, great_circle_distance_km

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
# The record quotes two different altitudes:
# * at the failure, 145-150 km: 146 km at T+4 min 48 s (Supercluster,
#   https://supercluster.com/missions/soyuz-18a), 145 km (Almanacco dello Spazio,
#   http://almanaccodellospazio.blogspot.com/2017/04/5-aprile-1975-soyuz-18a-primo-rientro.html),
#   150 km at the 295th second (Military Review, We fell from a height of 192 km,
#   https://military-review.com/12501991-we-fell-from-a-height-of-192-km-and-reported-about-it);
# * the apogee of the ballistic arc, 180-192 km: 192 km by the ground's express calculation
#   (Military Review) and as the flight's height (spacefacts "Bahnhöhe"; weebau,
#   http://weebau.com/flights/soyuz18a.htm), 180 km (World Spaceflight,
#   https://www.worldspaceflight.com/russia/salyut/soyuz181.php; NASA RP-1357, Portree, Mir
#   Hardware Heritage, 1995, https://en.wikisource.org/wiki/Page:RP1357.pdf/43). The sources that
#   put the separation itself at 180-192 km read the apogee as the separation altitude.
# Touchdown 11:26:21 UTC, 21 min 27 s after liftoff, at 50°50' N 83°25' E on a mountain slope of
# the Altai, 1,574 km from the pad (weebau; World Spaceflight). Peak load 18 g (RP-1357:
# "12-18 g") to 21.3 g (spacefacts).
# Never fitted: flown on the Soyuz-FG profile (the catalog has no 11A511) from T+295 s, judged with
# the MS-10 acceptance margins: apogee ±15 km, peak g -1/12 and +1/7 of the recorded range (MS-10:
# 6-7 g accepted 5.5-8 g), touchdown ±3 min and < 100 km from the recorded spot.
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


def test_soyuz_18a_apogee_within_the_record(soyuz_18a):
    # Recorded apogee 180-192 km, with the MS-10 apogee margin of ±15 km.
    assert 180.0 - 15.0 <= soyuz_18a.apogee_km <= 192.0 + 15.0


def test_soyuz_18a_peak_g_within_the_record(soyuz_18a):
    # Recorded peak 18-21.3 g, with the MS-10 margins (6-7 g accepted 5.5-8 g).
    assert 18.0 * 5.5 / 6.0 <= soyuz_18a.peak_deceleration_g <= 21.3 * 8.0 / 7.0


def test_soyuz_18a_lands_downrange_along_the_launch_track(soyuz_18a):
    # Flown along the 62° launch azimuth, the capsule lands north-east, in the Altai direction:
    # the bearing to the recorded spot is within a few degrees of the track's.
    landing = (soyuz_18a.landing_latitude_deg, soyuz_18a.landing_longitude_deg)
    along_km = great_circle_distance_km(*PAD_1_5, *landing)
    assert 1_000.0 < along_km < 1_574.0 + 100.0
    assert soyuz_18a.landing_longitude_deg > 75.0 and soyuz_18a.landing_latitude_deg > 49.0


@pytest.mark.xfail(strict=True, reason=(
    "measured miss: touchdown 24.8 min after liftoff (3.4 min late) and 136 km short along the "
    "track, outside the MS-10 limits. Place: the Soyuz-FG stand-in state at T+295 s (167 km, "
    "5.6 deg) against the record's 145-150 km climbing to a 180-192 km apogee. Time: the canopy "
    "phase, not the arc: see docs/orbits.md, Ascent aborts"))
def test_soyuz_18a_touchdown_time_and_place_within_the_ms10_limits(soyuz_18a):
    assert soyuz_18a.liftoff_to_touchdown_s == pytest.approx(SOYUZ_18A_TOUCHDOWN_S, abs=180.0)
    landing = (soyuz_18a.landing_latitude_deg, soyuz_18a.landing_longitude_deg)
    assert great_circle_distance_km(*landing, *SOYUZ_18A_LANDING) < 100.0


def test_soyuz_canopy_phase_matches_a_nominal_landing_record():
    # The parachute model judged on a flight it was not set from: Soyuz MS-11's return (CSA,
    # https://www.asc-csa.gc.ca/eng/missions/expedition58/david-saint-jacques-returns-to-earth.asp):
    # command to open the chutes at 10.8 km, descending at 230 m/s, 22:33:37; landing 22:47:55,
    # 14 min 18 s later. ±60 s: the MS-11 landing terrain is not in the record (steppe a few
    # hundred metres up, ~40 s per 300 m under the canopy) and the drogue phase (10.8 km to the
    # main canopy, ~40 s) is folded into the single filled-over-time canopy.
    lat, lon = 47.4, 69.5  # central Kazakhstan; only the local vertical matters here
    _, _, up = enu_basis(lat, lon)
    r0 = np.asarray(geodetic_to_ecef(lat, lon, 10.8), float) * 1e3
    flight = simulate_entry(r0, -230.0 * up, capsule_model("soyuz-ms").ballistic(), earth="wgs84")
    assert flight.touchdown_t_s == pytest.approx(14 * 60 + 18, abs=60.0)


def test_landing_elevation_shortens_the_canopy_descent_as_terminal_velocity_says():
    # Landing on terrain H metres up removes the last H metres of the canopy descent, flown at
    # the terminal speed sqrt(2mg / (rho(h) CdS)) of the capsule plus its canopy.
    low = ascent_abort("soyuz-fg", 118.0, site_id=_pad_1_5_id(), azimuth_deg=62.0,
                       vehicle_id="soyuz-ms", landing_elevation_m=0.0)
    high = ascent_abort("soyuz-fg", 118.0, site_id=_pad_1_5_id(), azimuth_deg=62.0,
                        vehicle_id="soyuz-ms", landing_elevation_m=1_000.0)
    cap = capsule_model("soyuz-ms").ballistic()
    cds = cap.drag_coefficient * cap.reference_area_m2 + cap.chute_drag_area_m2
    h = np.linspace(0.0, 1_000.0, 201)
    inv_v = [math.sqrt(us1976_density_kg_m3(x) * cds / (2.0 * cap.mass_kg * 9.80665)) for x in h]
    expected_s = float(np.trapezoid(inv_v, h))
    assert low.liftoff_to_touchdown_s - high.liftoff_to_touchdown_s == pytest.approx(
        expected_s, rel=0.03)
    assert (low.landing_elevation_m, high.landing_elevation_m) == (0.0, 1_000.0)
    # Under the canopy the fall is vertical: the landing point hardly moves.
    assert great_circle_distance_km(low.landing_latitude_deg, low.landing_longitude_deg,
                                    high.landing_latitude_deg, high.landing_longitude_deg) < 1.0


@pytest.mark.parametrize("elevation_m", [float("nan"), -1_000.0, 9_600.0])
def test_landing_elevation_outside_the_descent_is_an_input_error(elevation_m):
    with pytest.raises(InputError, match="landing elevation") as err:
        ascent_abort("soyuz-fg", 118.0, landing_elevation_m=elevation_m)
    assert err.value.param == "landing_elevation"


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
