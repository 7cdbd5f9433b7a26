"""Pure orbital kernels: Earth constants, J2 secular rates, Kepler propagation of mean elements,
plane-crossing geometry, launch azimuths, phasing arithmetic and plane-change Δv.

Floats or numpy arrays in, floats or numpy arrays out; no I/O, no catalog. Angles in radians
unless a name says ``_deg``; lengths in km, speeds in km/s, times in s unless named otherwise.
"""

from __future__ import annotations

import numpy as np

MU_EARTH_KM3_S2 = 398600.4418  # WGS-84 / IERS GM
R_EARTH_EQ_KM = 6378.137  # WGS-84 semi-major axis
WGS84_FLATTENING = 1.0 / 298.257223563
WGS84_E2 = WGS84_FLATTENING * (2.0 - WGS84_FLATTENING)  # first eccentricity squared
J2_EARTH = 1.08262668e-3  # EGM-96 / WGS-84
OMEGA_EARTH_RAD_S = 7.292115e-5  # WGS-84 rotation rate (sidereal)
SECONDS_PER_DAY = 86400.0
TWO_PI = 2.0 * np.pi


def wrap_pi(angle_rad):
    """Angle wrapped to [-π, π)."""
    return (np.asarray(angle_rad) + np.pi) % TWO_PI - np.pi


def mean_motion_rad_s(semi_major_axis_km):
    """Keplerian mean motion n = √(μ/a³) in rad/s."""
    return np.sqrt(MU_EARTH_KM3_S2 / np.asarray(semi_major_axis_km, float) ** 3)


def circular_speed_km_s(radius_km):
    """Circular orbital speed √(μ/r) in km/s."""
    return np.sqrt(MU_EARTH_KM3_S2 / np.asarray(radius_km, float))


def circular_period_s(radius_km):
    """Period (s) of a circular orbit of radius ``radius_km``."""
    return TWO_PI / mean_motion_rad_s(radius_km)


def j2_secular_rates_rad_s(semi_major_axis_km, eccentricity, inclination_rad):
    """First-order J2 secular rates (rad/s) of RAAN, argument of perigee and mean anomaly.

    Ω̇ = −3/2 n J2 (Re/p)² cos i;  ω̇ = 3/4 n J2 (Re/p)² (5 cos² i − 1);
    Ṁ = n [1 + 3/4 J2 (Re/p)² √(1−e²) (3 cos² i − 1)],  p = a(1 − e²).
    Returns ``(raan_dot, argp_dot, mean_anomaly_dot)``.
    """
    a = np.asarray(semi_major_axis_km, float)
    e = np.asarray(eccentricity, float)
    n = mean_motion_rad_s(a)
    k = J2_EARTH * (R_EARTH_EQ_KM / (a * (1.0 - e * e))) ** 2
    c = np.cos(inclination_rad)
    raan_dot = -1.5 * n * k * c
    argp_dot = 0.75 * n * k * (5.0 * c * c - 1.0)
    m_dot = n * (1.0 + 0.75 * k * np.sqrt(1.0 - e * e) * (3.0 * c * c - 1.0))
    return raan_dot, argp_dot, m_dot


def solve_kepler(mean_anomaly_rad, eccentricity, tol_rad: float = 1e-13):
    """Eccentric anomaly E (rad) from M = E − e sin E, vectorised Newton iteration."""
    m = wrap_pi(mean_anomaly_rad)
    e = np.asarray(eccentricity, float)
    ecc_anom = np.where(e < 0.8, m, np.pi * np.sign(m))
    for _ in range(50):
        step = (ecc_anom - e * np.sin(ecc_anom) - m) / (1.0 - e * np.cos(ecc_anom))
        ecc_anom = ecc_anom - step
        if np.all(np.abs(step) < tol_rad):
            break
    return ecc_anom


def elements_to_state(a_km, e, i_rad, raan_rad, argp_rad, mean_anomaly_rad):
    """Position (km) and velocity (km/s), shape (N, 3), from Keplerian elements (arrays of N)."""
    a_km, e = np.broadcast_arrays(np.asarray(a_km, float), np.asarray(e, float))
    big_e = solve_kepler(mean_anomaly_rad, e)
    cos_e, sin_e = np.cos(big_e), np.sin(big_e)
    root = np.sqrt(1.0 - e * e)
    # Perifocal coordinates.
    x = a_km * (cos_e - e)
    y = a_km * root * sin_e
    r = a_km * (1.0 - e * cos_e)
    speed_factor = np.sqrt(MU_EARTH_KM3_S2 * a_km) / r
    vx = -speed_factor * sin_e
    vy = speed_factor * root * cos_e
    co, so = np.cos(raan_rad), np.sin(raan_rad)
    cw, sw = np.cos(argp_rad), np.sin(argp_rad)
    ci, si = np.cos(i_rad), np.sin(i_rad)
    p_vec = np.stack([co * cw - so * sw * ci, so * cw + co * sw * ci, sw * si], axis=-1)
    q_vec = np.stack([-co * sw - so * cw * ci, -so * sw + co * cw * ci, cw * si], axis=-1)
    pos = x[..., None] * p_vec + y[..., None] * q_vec
    vel = vx[..., None] * p_vec + vy[..., None] * q_vec
    return pos, vel


def argument_of_latitude_rad(position, normal):
    """Angle (rad, [0, 2π)) from the ascending node to ``position`` in the orbit plane of unit
    or non-unit ``normal`` (both (N, 3), any length unit); the node is ẑ × normal."""
    r = np.asarray(position, float)
    h = np.asarray(normal, float)
    h = h / np.linalg.norm(h, axis=-1, keepdims=True)
    node = np.stack([-h[..., 1], h[..., 0], np.zeros(h.shape[:-1])], axis=-1)
    node /= np.linalg.norm(node, axis=-1, keepdims=True)
    sin_u = np.einsum("...j,...j->...", np.cross(h, node), r)
    cos_u = np.einsum("...j,...j->...", node, r)
    return np.arctan2(sin_u, cos_u) % TWO_PI


# --- plane crossings ---------------------------------------------------------------------------


def plane_crossing_phases_rad(site_geocentric_lat_rad, inclination_rad):
    """Where a site crosses an orbit plane, as the site's inertial longitude minus the RAAN.

    The site (geocentric latitude φ', inertial longitude α) lies in the plane of inclination i and
    node Ω when sin(α − Ω) = tan φ' / tan i. Returns the two solutions ``(first, second)`` in
    [0, 2π) — the first on the ascending half of the orbit (the orbit moves north there), the
    second on the descending half — or ``None`` when |tan φ'| > |tan i| (the plane never reaches
    the site's latitude).
    """
    tan_i = np.tan(inclination_rad)
    if tan_i == 0.0:  # equatorial plane: only an equatorial site lies in it, at every longitude
        return None
    ratio = np.tan(site_geocentric_lat_rad) / tan_i
    if not np.isfinite(ratio) or abs(ratio) > 1.0:
        return None
    first = np.arcsin(ratio)
    return first % TWO_PI, (np.pi - first) % TWO_PI


def inertial_azimuth_rad(geodetic_lat_rad, inclination_rad, northbound):
    """Launch azimuth (rad, clockwise from north) into a plane, on a non-rotating spherical Earth.

    sin β = cos i / cos φ; β in the north-east quadrant on the northbound (ascending) half of the
    orbit, 180° − β (south-east) on the southbound half. NaN where |cos i| > cos φ.
    """
    with np.errstate(invalid="ignore"):
        beta = np.arcsin(np.cos(inclination_rad) / np.cos(geodetic_lat_rad))
    return np.where(northbound, beta, np.pi - beta)


def rotating_azimuth_rad(inertial_azimuth, geodetic_lat_rad, orbit_speed_km_s):
    """Launch azimuth relative to the rotating Earth (rad): the ground-relative velocity needed at
    insertion is the inertial orbit velocity minus the site's eastward surface speed ω R cos φ.

    tan β_rot = (v sin β − ω R cos φ) / (v cos β).
    """
    surface_km_s = OMEGA_EARTH_RAD_S * R_EARTH_EQ_KM * np.cos(geodetic_lat_rad)
    east = orbit_speed_km_s * np.sin(inertial_azimuth) - surface_km_s
    north = orbit_speed_km_s * np.cos(inertial_azimuth)
    return np.arctan2(east, north) % TWO_PI


def inclination_from_azimuth_rad(geodetic_lat_rad, inertial_azimuth):
    """Inclination (rad) reached by launching at an inertial azimuth: cos i = cos φ sin β."""
    return np.arccos(np.clip(np.cos(geodetic_lat_rad) * np.sin(inertial_azimuth), -1.0, 1.0))


def launch_lead_s(insertion_time_s):
    """Launch time before the site's plane crossing (s) for a coplanar insertion.

    At liftoff the vehicle carries the site's eastward speed; its component normal to the target
    plane equals the speed at which the site itself approaches the plane. If guidance removes
    that out-of-plane velocity at a uniform rate over the ascent, the vehicle covers half the
    distance the site would cover in the same time, so it reaches the plane, with zero
    out-of-plane velocity, at insertion when liftoff happens T/2 before the site's crossing
    (T = liftoff-to-insertion time). Independent of latitude and azimuth to first order.
    """
    return 0.5 * np.asarray(insertion_time_s, float)


def phasing_node_delay_s(duration_s, station_a_km, chaser_a_km, inclination_rad):
    """Liftoff delay (s) that lets a chaser phasing below the station reach the station's plane.

    J2 regresses a lower orbit's node faster (Ω̇ = −3/2 n J2 (Re/a)² cos i, circular orbits). A
    chaser that spends ``duration_s`` at mean semi-major axis ``chaser_a_km`` before docking loses
    (Ω̇_station − Ω̇_chaser)·duration of node against the station, so it is launched into a plane
    that much east of the station's: the site reaches that plane later by the node offset over
    the site's rate across planes, ω⊕ − Ω̇_station. Positive for a chaser below the station.
    """
    station_rate, _, _ = j2_secular_rates_rad_s(station_a_km, 0.0, inclination_rad)
    chaser_rate, _, _ = j2_secular_rates_rad_s(chaser_a_km, 0.0, inclination_rad)
    return (station_rate - chaser_rate) * np.asarray(duration_s, float) / (OMEGA_EARTH_RAD_S - station_rate)


def plane_change_delta_v_m_s(delta_inclination_rad, speed_km_s):
    """Impulsive plane change Δv (m/s) = 2 v sin(Δi/2)."""
    return 2.0 * np.asarray(speed_km_s, float) * 1e3 * np.sin(np.abs(delta_inclination_rad) / 2.0)


# --- phasing -----------------------------------------------------------------------------------


def phase_angle_deg(station_arg_lat_rad, chaser_arg_lat_rad):
    """Station's angle ahead of the chaser along the orbit, in degrees in [0, 360)."""
    return np.degrees((np.asarray(station_arg_lat_rad) - chaser_arg_lat_rad) % TWO_PI)


def in_phase_window(phase_deg, low_deg: float, high_deg: float):
    """Whether a phase angle (deg, any branch) lies in a window [low, high] (deg, any branch)."""
    offset = (np.asarray(phase_deg, float) - low_deg) % 360.0
    return offset <= (high_deg - low_deg)


def rendezvous_duration_s(orbits, insertion_time_s, chaser_period_s, final_approach_s):
    """Liftoff-to-docking time (s): ascent, then ``orbits`` chaser revolutions, then final approach."""
    return insertion_time_s + np.asarray(orbits, float) * chaser_period_s + final_approach_s
