"""Landing opportunities against the Soyuz record (CSA, Soyuz MS-11 return:
https://www.asc-csa.gc.ca/eng/missions/expedition58/david-saint-jacques-returns-to-earth.asp) and
independent code. Held-out returns are judged in test_orbits_landing_returns.py."""

from __future__ import annotations

import warnings
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from matplotlib.path import Path
from skyfield.api import EarthSatellite, Loader, load, wgs84
from skyfield.positionlib import Geocentric
from skyfield_data import get_skyfield_data_path

from lifeboat.catalog import load_catalog
from lifeboat.catalog.models import DeorbitProfile, Source
from lifeboat.errors import InputError
from lifeboat.orbits.abort import capsule_model
from lifeboat.orbits.landings import (
    deorbit_entry,
    landing_opportunities,
    next_landing,
    sun_elevation_deg,
)
from lifeboat.orbits.station import StationOrbit
from lifeboat.timeutil import datetime_to_jd

# Real ISS elements, epoch 2019-06-23 23:03 UTC, the day before Soyuz MS-11 undocked
# (as found in a public GitHub test file, "test_satpred_1").
ISS_2019_06_23 = (
    "1 25544U 98067A   19174.96066161 -.00001641  00000-0 -19667-4 0  9994",
    "2 25544  51.6426 327.6827 0008340  79.1947  72.7878 15.51216338176304",
)
# Real ISS elements, epoch 2023-03-28 20:56 UTC, the day Soyuz MS-22 returned uncrewed
# (as found in a public GitHub script).
ISS_2023_03_28 = (
    "1 25544U 98067A   23087.87270052  .00029877  00000-0  53474-3 0  9990",
    "2 25544  51.6420   6.4657 0005772 142.1937 328.5238 15.49707242389334",
)
# CSA: MS-11 undock 24 Jun 2019 23:25:30, burn 01:55:03, landing 02:47:55 UTC.
MS11_UNDOCK = datetime(2019, 6, 24, 23, 25, 30, tzinfo=UTC)
MS11_LANDING = datetime(2019, 6, 25, 2, 47, 55, tzinfo=UTC)


@pytest.fixture(scope="module")
def ms11():
    orbit = StationOrbit.from_tle(*ISS_2019_06_23)
    return orbit, landing_opportunities(
        "soyuz-ms", orbit, MS11_UNDOCK, days=2.0, station_id="iss"
    )


def _inside(lat, lon, polygon) -> bool:
    """Second implementation of the zone test: matplotlib's Path in (lon, lat)."""
    return bool(Path([(b, a) for a, b in polygon]).contains_point((lon, lat)))


def test_catalog_soyuz_timeline_matches_ms11_record():
    # MS-11 record: undock -> landing 3 h 22 m 25 s, burn -> landing 52 m 52 s (±5 min).
    profile = load_catalog().vehicle("soyuz-ms").deorbit
    assert profile.undock_to_burn_s + profile.burn_to_landing_s == pytest.approx(
        3 * 3600 + 22 * 60 + 25, abs=300
    )
    assert profile.burn_to_landing_s == pytest.approx(52 * 60 + 52, abs=300)


def test_ms11_landing_is_found_on_the_real_pass(ms11):
    _, result = ms11
    nearest = min(result.opportunities, key=lambda o: abs(o.landing_utc - MS11_LANDING))
    # ±3 min: our stated ±1 min entry-range accuracy plus the zone aim point vs the real one.
    assert abs((nearest.landing_utc - MS11_LANDING).total_seconds()) <= 180.0
    # The simulated entry takes about as long as the real burn -> landing (52 m 52 s, ±5 min).
    assert result.entry_flight_s == pytest.approx(52 * 60 + 52, abs=300.0)


def test_ballistic_soyuz_entry_matches_the_record():
    # RussianSpaceWeb, Soyuz landing: a ballistic Soyuz entry peaks at ~8-9 g (TMA-11, TMA-1) and
    # lands ~400-470 km (up to 600 km) short of the guided aim point.
    orbit = StationOrbit.from_tle(*ISS_2019_06_23)
    profile = load_catalog().vehicle("soyuz-ms").deorbit
    burn_jd = datetime_to_jd(datetime(2019, 6, 25, 1, 55, 3, tzinfo=UTC))
    model = capsule_model("soyuz-ms")
    ballistic = deorbit_entry(orbit, burn_jd, profile, model.ballistic())
    guided = deorbit_entry(orbit, burn_jd, profile, model.guided())
    assert 7.5 <= ballistic.flight.peak_deceleration_g <= 10.0
    shortfall_km = (guided.central_angle_rad - ballistic.central_angle_rad) * 6371.0
    assert 200.0 <= shortfall_km <= 600.0


def test_every_landing_point_is_inside_its_zone_polygon(ms11):
    _, result = ms11
    cat = load_catalog()
    assert result.opportunities
    for o in result.opportunities:
        assert _inside(o.latitude_deg, o.longitude_deg, cat.zone(o.zone).polygon)
        assert o.undock_utc >= result.earliest_undock_utc
        assert o.burn_utc - o.undock_utc == timedelta(seconds=result.undock_to_burn_s)
        assert o.landing_utc - o.burn_utc == timedelta(seconds=result.burn_to_landing_s)


def test_soyuz_gets_a_few_opportunities_per_landing_day(ms11):
    # RussianSpaceWeb, Soyuz landing: recovery forces cover up to 3 attempts per landing day, on orbits ~90 min apart.
    # (The catalog holds 2 of the 13 Kazakh landing areas, so the attempts of a day fall on every
    # other orbit here rather than on consecutive ones.)
    _, result = ms11
    groups: list[list] = []
    for o in sorted(result.opportunities, key=lambda o: o.burn_utc):
        if groups and o.burn_utc - groups[-1][-1].burn_utc < timedelta(hours=5):
            groups[-1].append(o)
        else:
            groups.append([o])
    assert len(groups) >= 2  # two days searched
    for g in groups:
        orbits = sorted({o.orbit_number for o in g})
        assert 1 <= len(orbits) <= 3
        assert orbits[-1] - orbits[0] <= 2 * (len(orbits) - 1)
    assert max(len({o.orbit_number for o in g}) for g in groups) >= 2


def test_landing_point_geometry_against_skyfield(ms11):
    # Independent construction with skyfield: the satellite's GCRS position at the burn, turned by
    # the entry range in its orbit plane and tilted by the cross-range, then located on the WGS-84
    # Earth at landing time.
    _, result = ms11
    ts = load.timescale(builtin=True)
    sat = EarthSatellite(*ISS_2019_06_23, ts=ts)
    for o in result.opportunities[:4]:
        du, cross = np.radians(o.entry_range_deg), o.cross_range_km / 6371.0
        state = sat.at(ts.from_datetime(o.burn_utc))
        r, v = state.position.km, state.velocity.km_per_s
        k = np.cross(r, v) / np.linalg.norm(np.cross(r, v))
        rhat = r / np.linalg.norm(r)
        in_plane = rhat * np.cos(du) + np.cross(k, rhat) * np.sin(du)
        land = (in_plane * np.cos(cross) + k * np.sin(cross)) * 6371.0
        t_land = ts.from_datetime(o.landing_utc)
        point = wgs84.subpoint_of(Geocentric(land / 149_597_870.7, t=t_land, center=399))
        dist = (
            np.degrees(
                np.arccos(
                    np.clip(
                        np.sin(np.radians(point.latitude.degrees))
                        * np.sin(np.radians(o.latitude_deg))
                        + np.cos(np.radians(point.latitude.degrees))
                        * np.cos(np.radians(o.latitude_deg))
                        * np.cos(np.radians(point.longitude.degrees - o.longitude_deg)),
                        -1,
                        1,
                    )
                )
            )
            * 111.2
        )
        assert dist < 10.0  # km: TEME vs GCRS frame and the simplified ECEF rotation


def test_sun_elevation_matches_skyfield_topocentric_altaz():
    with warnings.catch_warnings():
        # skyfield-data warns that its bundled IERS file has expired; only de421.bsp is read here.
        warnings.simplefilter("ignore", RuntimeWarning)
        path = get_skyfield_data_path()
    eph = Loader(path, verbose=False)("de421.bsp")
    ts = load.timescale(builtin=True)
    lats, lons = np.array([47.3, 41.1, -30.0]), np.array([69.6, 100.3, -120.0])
    times = [
        datetime(2019, 6, 25, 2, 48, tzinfo=UTC),
        datetime(2022, 12, 4, 12, 10, tzinfo=UTC),
        datetime(2023, 3, 28, 23, 0, tzinfo=UTC),
    ]
    ours = sun_elevation_deg(lats, lons, [datetime_to_jd(t) for t in times])
    for lat, lon, t, e in zip(lats, lons, times, ours, strict=True):
        alt, _, _ = (
            (eph["earth"] + wgs84.latlon(lat, lon))
            .at(ts.from_datetime(t))
            .observe(eph["sun"])
            .apparent()
            .altaz()
        )
        assert e == pytest.approx(alt.degrees, abs=0.05)  # aberration/deflection ignored here


def test_daylight_only_keeps_the_daylight_subset(ms11):
    orbit, full = ms11
    day = landing_opportunities(
        "soyuz-ms", orbit, full.earliest_undock_utc, days=2.0, daylight_only=True
    )
    assert all(o.daylight and o.sun_elevation_deg > -0.833 for o in day.opportunities)
    assert [o.burn_utc for o in day.opportunities] == [
        o.burn_utc for o in full.opportunities if o.daylight
    ]


def test_ms22_fast_uncrewed_return():
    # TASS / NASA: MS-22 undocked 28 Mar 2023 09:57 UTC, burn 55 min later, landed 11:45-11:46
    # UTC (undock -> landing 1 h 49 m).
    fast = DeorbitProfile(
        undock_to_burn_s=55 * 60,
        burn_duration_s=280.0,
        burn_to_landing_s=(109 - 55) * 60,
        delta_v_m_s=128.0,
        sources=[Source(title="Seradata, MS-22 returns uncrewed")],
        confidence="high",
    )
    orbit = StationOrbit.from_tle(*ISS_2023_03_28)
    result = landing_opportunities(
        "soyuz-ms", orbit, datetime(2023, 3, 28, 6, 0, tzinfo=UTC), days=0.5, deorbit=fast
    )
    actual = datetime(2023, 3, 28, 11, 45, 30, tzinfo=UTC)
    nearest = min(result.opportunities, key=lambda o: abs(o.landing_utc - actual))
    assert abs((nearest.landing_utc - actual).total_seconds()) <= 180.0


def test_bad_inputs_are_input_errors(ms11):
    orbit, _ = ms11
    with pytest.raises(InputError, match="not a recovery zone"):
        landing_opportunities("soyuz-ms", orbit, MS11_UNDOCK, zone_ids=["no-such-zone"])
    with pytest.raises(InputError, match="days"):
        landing_opportunities("soyuz-ms", orbit, MS11_UNDOCK, days=0.0)


def test_next_landing_is_the_first_opportunity_from_the_catalog_station():
    station = load_catalog().station("iss")
    after = StationOrbit.from_catalog("iss").epoch_utc + timedelta(hours=2)
    first = next_landing("soyuz-ms", station.id, after, days=1.0)
    orbit = StationOrbit.from_catalog("iss", reference_utc=after)
    full = landing_opportunities("soyuz-ms", orbit, after, days=1.0)
    assert first is not None and first == full.opportunities[0]
    assert first.undock_utc >= after


@pytest.mark.parametrize(("when", "zones"), [
    (datetime(2023, 3, 1, tzinfo=UTC), {"dragon-florida-gulf", "dragon-florida-atlantic"}),
    (datetime(2025, 6, 1, tzinfo=UTC), {"dragon-pacific"}),
])
def test_dragon_zones_by_date(when, zones):
    # Florida until Fram2 moved crewed recoveries to the Pacific on 4 Apr 2025 (Space.com).
    orbit = StationOrbit.hypothetical(51.64, 420.0, when)
    result = landing_opportunities("crew-dragon", orbit, when, days=2.0)
    assert result.opportunities
    assert {o.zone for o in result.opportunities} <= zones
