"""Station state: TLE (SGP4) and mean-element (J2) propagation, frames, and input checks.

References: skyfield (an independent TEME→ITRS/GCRS implementation and WGS-84 geodesy),
closed-form J2 nodal regression, and a decayed/mis-typed TLE built in the test.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from skyfield.api import EarthSatellite, load, wgs84
from skyfield.sgp4lib import theta_GMST1982

from lifeboat.errors import InputError
from lifeboat.orbits import frames
from lifeboat.orbits.station import StationOrbit
from lifeboat.timeutil import datetime_to_jd

# ISS, epoch 2 Dec 2018 07:51 UTC (the day before Soyuz MS-11 launched).
ISS_L1 = "1 25544U 98067A   18336.32716814  .00001474  00000-0  29615-4 0  9996"
ISS_L2 = "2 25544  51.6401 260.8120 0005200 105.4624 347.8845 15.54045418144664"
MU_KM3_S2 = 398600.4418
J2 = 1.08262668e-3
RE_KM = 6378.137


def _with_checksum(line: str) -> str:
    body = line[:68]
    total = sum(int(c) if c.isdigit() else (1 if c == "-" else 0) for c in body)
    return body + str(total % 10)


@pytest.fixture(scope="module")
def iss():
    return StationOrbit.from_tle(ISS_L1, ISS_L2, name="ISS")


@pytest.fixture(scope="module")
def ts():
    return load.timescale(builtin=True)


def test_j2_nodal_regression_matches_closed_form(iss):
    # Ω̇ = −3/2 n J2 (Re/p)² cos i with n from the TLE mean motion; ISS ≈ −5.0 °/day.
    n = 15.54045418144664 * 2 * math.pi / 86400.0
    a = (MU_KM3_S2 / n**2) ** (1 / 3)
    p = a * (1 - 0.00052**2)
    closed = -1.5 * n * J2 * (RE_KM / p) ** 2 * math.cos(math.radians(51.6401))
    closed_deg_day = math.degrees(closed) * 86400
    assert closed_deg_day == pytest.approx(-5.0, abs=0.05)
    # SGP4 (WGS-72 constants, Brouwer mean motion) agrees with the WGS-84 closed form to 0.05 %.
    assert iss.raan_rate_deg_per_day == pytest.approx(closed_deg_day, abs=0.01)
    elements = StationOrbit.from_elements(
        iss.epoch_utc, semi_major_axis_km=a, eccentricity=0.00052, inclination_deg=51.6401
    )
    assert elements.raan_rate_deg_per_day == pytest.approx(closed_deg_day, rel=1e-9)


def _node_deg(orbit, jd):
    r, v = orbit.state_teme(jd)
    h = np.cross(r, v)
    return np.degrees(np.arctan2(h[:, 0], -h[:, 1]))


def test_mean_elements_follow_sgp4_node_drift_over_a_day(iss):
    elements = StationOrbit.from_elements(
        iss.epoch_utc,
        semi_major_axis_km=iss.semi_major_axis_km,
        eccentricity=0.00052,
        inclination_deg=51.6401,
        raan_deg=260.8120,
        arg_perigee_deg=105.4624,
        mean_anomaly_deg=347.8845,
    )
    jd = iss.epoch_jd_utc + np.array([0.0, 1.0])
    drift_sgp4 = np.diff(_node_deg(iss, jd))[0]
    drift_j2 = np.diff(_node_deg(elements, jd))[0]
    # Osculating vs mean node: short-periodic terms are a few 0.01°; tolerance 0.03° per day.
    assert drift_j2 == pytest.approx(drift_sgp4, abs=0.03)
    # Same orbit within the short-periodic amplitude (≈ 10 km) after one day.
    r1, _ = iss.state_teme(jd)
    r2, _ = elements.state_teme(jd)
    assert np.all(np.linalg.norm(r1 - r2, axis=1) < 25.0)
    # And period: draconic periods agree to 0.1 s (J2 secular rates from both sources).
    assert elements.period_s == pytest.approx(iss.period_s, abs=0.1)


def test_states_match_skyfield_subpoint(iss, ts):
    sat = EarthSatellite(ISS_L1, ISS_L2, ts=ts)
    times = [datetime(2018, 12, 2, 12, tzinfo=UTC) + timedelta(minutes=37 * k) for k in range(20)]
    t = ts.from_datetimes(times)
    reference = wgs84.geographic_position_of(sat.at(t))
    lat, lon, alt = iss.subpoint(np.array([datetime_to_jd(x) for x in times]))
    # TEME→Earth-fixed by GMST (ours) vs skyfield's GCRS→ITRS: agreement to ~50 m.
    assert np.max(np.abs(lat - reference.latitude.degrees)) < 5e-4
    dlon = (lon - reference.longitude.degrees + 180) % 360 - 180
    assert np.max(np.abs(dlon)) < 5e-4
    assert np.max(np.abs(alt - reference.elevation.km)) < 0.05


def test_gmst_and_dut1_against_skyfield(ts):
    jd = np.array([2458454.5, 2458455.123, 2460000.77])
    assert np.allclose(frames.gmst_rad(jd), theta_GMST1982(jd)[0], atol=1e-10)
    t = ts.utc(2018, 12, 3)
    assert frames.ut1_minus_utc_s(2458455.5) == pytest.approx(float(t.dut1), abs=1e-6)
    assert abs(float(frames.ut1_minus_utc_s(2458455.5))) < 0.9  # |DUT1| < 0.9 s by definition


def test_geodetic_round_trip_matches_skyfield():
    lat, lon, alt = np.array([45.920278, -33.0, 89.9]), np.array([63.342222, -120.5, 10.0]), np.array([0.09, 2.0, 400.0])
    r = frames.geodetic_to_ecef(lat, lon, alt)
    for k in range(3):
        ref = wgs84.latlon(lat[k], lon[k], elevation_m=alt[k] * 1e3).itrs_xyz.km
        assert np.allclose(r[k], ref, atol=1e-6)
    back = frames.ecef_to_geodetic(r)
    assert np.allclose(back[0], lat, atol=1e-9)
    assert np.allclose(back[1], lon, atol=1e-9)
    assert np.allclose(back[2], alt, atol=1e-6)


def test_stale_tle_is_refused_with_its_age():
    with pytest.raises(InputError) as err:
        StationOrbit.from_tle(ISS_L1, ISS_L2, name="ISS", reference_utc=datetime(2019, 1, 20, tzinfo=UTC))
    text = str(err.value)
    assert "ISS" in text and "48.7 days" in text and "limit 14" in text
    # Within the limit it is accepted; the limit is configurable.
    StationOrbit.from_tle(ISS_L1, ISS_L2, reference_utc=datetime(2018, 12, 5, tzinfo=UTC))
    StationOrbit.from_tle(ISS_L1, ISS_L2, reference_utc=datetime(2019, 1, 20, tzinfo=UTC), max_age_days=60)


def test_bad_checksum_and_format_are_refused():
    bad = ISS_L1[:68] + str((int(ISS_L1[68]) + 1) % 10)
    with pytest.raises(InputError, match="checksum"):
        StationOrbit.from_tle(bad, ISS_L2)
    with pytest.raises(InputError, match="69 characters"):
        StationOrbit.from_tle(ISS_L1[:60], ISS_L2)


def test_decayed_orbit_surfaces_the_sgp4_error_not_nans():
    # Mean motion 17.5 rev/day puts the orbit below the Earth's surface: SGP4 error 6.
    line2 = _with_checksum(ISS_L2[:52] + "17.50000000144664")
    with pytest.raises(InputError, match="decayed"):
        StationOrbit.from_tle(ISS_L1, line2, name="sinking")


def test_bad_mean_elements_are_refused():
    with pytest.raises(InputError, match="exactly one"):
        StationOrbit.from_elements(datetime(2024, 1, 1, tzinfo=UTC), inclination_deg=51.6)
    with pytest.raises(InputError, match="perigee"):
        StationOrbit.from_elements(datetime(2024, 1, 1, tzinfo=UTC), altitude_km=50.0, inclination_deg=51.6)


def test_hypothetical_station_properties():
    orbit = StationOrbit.hypothetical(41.5, 390.0, datetime(2024, 1, 1, tzinfo=UTC))
    assert orbit.inclination_deg == pytest.approx(41.5)
    assert orbit.mean_altitude_km == pytest.approx(390.0)
    r, v = orbit.state_teme(np.array([datetime_to_jd(datetime(2024, 1, 1, 6, tzinfo=UTC))]))
    assert np.linalg.norm(r) == pytest.approx(RE_KM + 390.0, abs=1e-6)  # circular
    assert np.linalg.norm(v) == pytest.approx(math.sqrt(MU_KM3_S2 / (RE_KM + 390.0)), abs=1e-9)
    # Period ≈ 2π √(a³/μ) (J2 changes it by < 0.3 %).
    assert orbit.period_s == pytest.approx(2 * math.pi * math.sqrt((RE_KM + 390) ** 3 / MU_KM3_S2), rel=3e-3)
