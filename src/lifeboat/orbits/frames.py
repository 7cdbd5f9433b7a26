"""Reference frames and time scales: TEME ↔ Earth-fixed, WGS-84 geodetic, UT1 − UTC.

* TEME (true equator, mean equinox) is SGP4's output frame. It turns into the Earth-fixed frame by
  one rotation about z through the IAU-82 Greenwich mean sidereal time (AIAA 2006-6753, App. C).
  Polar motion (≤ 0.5″, ≤ 15 m at the surface) is ignored, so "ECEF" here is the pseudo-Earth-fixed
  frame; for launch and landing geometry that is far below the other model errors.
* UT1 − UTC comes from skyfield's built-in timescale (its bundled IERS table; no download).

Vectorised over times; positions in km, velocities in km/s, angles in degrees at this API.
"""

from __future__ import annotations

import numpy as np

from lifeboat.ephemeris import timescale
from lifeboat.orbits.physics import OMEGA_EARTH_RAD_S, R_EARTH_EQ_KM, SECONDS_PER_DAY, WGS84_E2

_JD_J2000 = 2451545.0
_JD_2000_01_01_UTC = 2451544.5


def ut1_minus_utc_s(jd_utc):
    """UT1 − UTC (s) at Julian dates on the UTC scale, from skyfield's bundled table."""
    jd = np.asarray(jd_utc, float)
    days = jd - _JD_2000_01_01_UTC
    whole = np.floor(days)
    t = timescale().utc(2000, 1, 1 + whole, 0, 0, (days - whole) * SECONDS_PER_DAY)
    return np.asarray(t.dut1, float).reshape(jd.shape)


def jd_ut1_from_utc(jd_utc):
    """Julian date on the UT1 scale from one on the UTC scale."""
    jd = np.asarray(jd_utc, float)
    return jd + ut1_minus_utc_s(jd) / SECONDS_PER_DAY


def gmst_rad(jd_ut1):
    """Greenwich mean sidereal time, IAU-82 (the angle that defines TEME), in rad [0, 2π)."""
    jd = np.asarray(jd_ut1, float)
    t = (jd - _JD_J2000) / 36525.0
    # Seconds of sidereal time: 67310.54841 + (876600 h·3600 + 8640184.812866) T + ...
    seconds = 67310.54841 + (876600.0 * 3600.0 + 8640184.812866 + (0.093104 - 6.2e-6 * t) * t) * t
    return (seconds % SECONDS_PER_DAY) / SECONDS_PER_DAY * 2.0 * np.pi


def _rotate_z(vectors, angle_rad):
    """Rotate vectors (…, 3) by +angle about z (active rotation), angle broadcast over leading axes."""
    v = np.asarray(vectors, float)
    c, s = np.cos(angle_rad), np.sin(angle_rad)
    x, y, z = v[..., 0], v[..., 1], v[..., 2]
    return np.stack(np.broadcast_arrays(c * x - s * y, s * x + c * y, z), axis=-1)


def teme_to_ecef(r_teme_km, jd_ut1):
    """Positions (…, 3) from TEME to Earth-fixed axes: rotation by −GMST (polar motion ignored).

    Also turns any other vector (a velocity's direction, an angular momentum) into Earth-fixed
    axes; for an Earth-relative velocity use :func:`teme_to_ecef_state`.
    """
    return _rotate_z(r_teme_km, -gmst_rad(jd_ut1))


def ecef_to_teme(r_ecef_km, jd_ut1):
    """Vectors (…, 3) from Earth-fixed axes to TEME: rotation by +GMST."""
    return _rotate_z(r_ecef_km, gmst_rad(jd_ut1))


def teme_to_ecef_state(r_teme_km, v_teme_km_s, jd_ut1):
    """Position (km) and Earth-relative velocity (km/s) in Earth-fixed axes: v_ecef = R v − ω × r_ecef."""
    r_ecef = teme_to_ecef(r_teme_km, jd_ut1)
    v_rot = teme_to_ecef(v_teme_km_s, jd_ut1)
    omega_cross_r = np.stack(
        [-OMEGA_EARTH_RAD_S * r_ecef[..., 1], OMEGA_EARTH_RAD_S * r_ecef[..., 0], 0.0 * r_ecef[..., 2]],
        axis=-1,
    )
    return r_ecef, v_rot - omega_cross_r


def geodetic_to_ecef(lat_deg, lon_deg, alt_km):
    """WGS-84 geodetic latitude, longitude (deg) and height (km) to Earth-fixed position (…, 3) km."""
    lat = np.radians(np.asarray(lat_deg, float))
    lon = np.radians(np.asarray(lon_deg, float))
    h = np.asarray(alt_km, float)
    sin_lat = np.sin(lat)
    n = R_EARTH_EQ_KM / np.sqrt(1.0 - WGS84_E2 * sin_lat * sin_lat)
    x = (n + h) * np.cos(lat) * np.cos(lon)
    y = (n + h) * np.cos(lat) * np.sin(lon)
    z = (n * (1.0 - WGS84_E2) + h) * sin_lat
    return np.stack(np.broadcast_arrays(x, y, z), axis=-1)


def ecef_to_geodetic(r_ecef_km):
    """Earth-fixed position (…, 3) km to WGS-84 ``(lat_deg, lon_deg, alt_km)``.

    Fixed-point iteration on the latitude (converges to < 1e-12 rad in a few steps anywhere
    outside the Earth's centre region).
    """
    r = np.asarray(r_ecef_km, float)
    x, y, z = r[..., 0], r[..., 1], r[..., 2]
    p = np.hypot(x, y)
    lon = np.arctan2(y, x)
    lat = np.arctan2(z, p * (1.0 - WGS84_E2))
    for _ in range(8):
        sin_lat = np.sin(lat)
        n = R_EARTH_EQ_KM / np.sqrt(1.0 - WGS84_E2 * sin_lat * sin_lat)
        lat = np.arctan2(z + WGS84_E2 * n * sin_lat, p)
    sin_lat, cos_lat = np.sin(lat), np.cos(lat)
    n = R_EARTH_EQ_KM / np.sqrt(1.0 - WGS84_E2 * sin_lat * sin_lat)
    # Height: stable form valid at all latitudes.
    alt = p * cos_lat + z * sin_lat - n * (1.0 - WGS84_E2 * sin_lat * sin_lat)
    return np.degrees(lat), np.degrees(lon), alt

