"""Ephemeris check of a CR3BP transfer: Earth, Moon and Sun point masses from DE421.

Geocentric, ICRF axes, km and s. The spacecraft acceleration is

    a = −GM_E r/|r|³ + Σ_b GM_b [ (r_b − r)/|r_b − r|³ − r_b/|r_b|³ ]     (b = Moon, Sun),

the second term in the bracket being the indirect acceleration of the geocentric frame. Moon and
Sun positions come from DE421 (skyfield-data, no download), sampled hourly over the flight and
interpolated by cubic splines (interpolation error < 1 m for the Moon). Integration: scipy
``solve_ivp`` DOP853 (rtol 1e-10), stopping at the entry-interface radius on the way down.

A CR3BP leg is mapped to this model at its burn epoch with
:func:`lifeboat.cislunar.gateway.rotating_to_eci` (the real Earth–Moon line and distance), flown
as is, and then re-targeted: the burn is corrected (minimum-norm Newton steps, finite-difference
Jacobian) until the vacuum perigee, read when the flight passes 60,000 km from the Earth, is the
one that gives the entry flight-path angle at the entry interface; the flight then continues to
the interface radius (the stopping event).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from scipy.integrate import solve_ivp
from scipy.interpolate import CubicSpline

from lifeboat.cislunar import physics as phy
from lifeboat.ephemeris import de421, timescale
from lifeboat.timeutil import as_utc

GM_SUN_KM3_S2 = 132_712_440_041.939  # DE421 (Folkner et al. 2008, IPN PR 42-178)


@dataclass(frozen=True)
class Bodies:
    """Splines of the geocentric Moon and Sun positions (km) over seconds from ``t0``."""

    t0: datetime
    moon: CubicSpline
    sun: CubicSpline


def bodies(t0: datetime, span_days: float) -> Bodies:
    """Hourly DE421 samples of the Moon and Sun from ``t0 − 1 d`` to ``t0 + span_days + 1 d``."""
    eph = de421()
    ts = timescale()
    hours = np.arange(-24.0, 24.0 * (span_days + 1.0) + 1.0, 1.0)
    t = ts.from_datetimes([as_utc(t0) + timedelta(hours=float(h)) for h in hours])
    earth = eph["earth"]
    moon = (eph["moon"] - earth).at(t).position.km.T
    sun = (eph["sun"] - earth).at(t).position.km.T
    sec = hours * 3600.0
    return Bodies(as_utc(t0), CubicSpline(sec, moon), CubicSpline(sec, sun))


def accel(t_s: float, y: np.ndarray, b: Bodies) -> np.ndarray:
    r = y[:3]
    out = np.empty(6)
    out[:3] = y[3:]
    a = -phy.GM_EARTH_KM3_S2 * r / np.linalg.norm(r) ** 3
    for gm, spline in ((phy.GM_MOON_KM3_S2, b.moon), (GM_SUN_KM3_S2, b.sun)):
        rb = spline(t_s)
        d = rb - r
        a += gm * (d / np.linalg.norm(d) ** 3 - rb / np.linalg.norm(rb) ** 3)
    out[3:] = a
    return out


def fly_to_radius(r0_km, v0_km_s, b: Bodies, t_start_s: float, radius_km: float,
                  max_days: float = 14.0):
    """Propagate until the geocentric radius falls through ``radius_km``; returns (t_s, state)
    at that event, or None if it is not reached."""

    def hit(t, y, b=b):
        return np.linalg.norm(y[:3]) - radius_km

    hit.terminal = True
    hit.direction = -1
    sol = solve_ivp(accel, (t_start_s, t_start_s + max_days * 86400.0),
                    np.concatenate([r0_km, v0_km_s]), method="DOP853", rtol=1e-10, atol=1e-6,
                    events=hit, args=(b,))
    if not sol.t_events[0].size:
        return None
    return float(sol.t_events[0][0]), sol.y_events[0][0]


def fpa_deg(state: np.ndarray) -> float:
    r, v = state[:3], state[3:]
    return math.degrees(math.asin(float(r @ v) / (np.linalg.norm(r) * np.linalg.norm(v))))


@dataclass(frozen=True)
class EphemerisLeg:
    """A return flown in the ephemeris model."""

    as_flown_fpa_deg: float | None  # the CR3BP burn flown unchanged: entry angle reached (None: misses)
    dv_km_s: float
    time_of_flight_days: float
    entry_speed_km_s: float
    entry_fpa_deg: float
    entry_epoch: datetime
    entry_state_km: np.ndarray
    converged: bool


def vacuum_perigee_km(state: np.ndarray) -> float:
    """Two-body (Earth only) perigee radius of a geocentric state (km)."""
    r, v = state[:3], state[3:]
    mu = phy.GM_EARTH_KM3_S2
    h = np.cross(r, v)
    e_vec = np.cross(v, h) / mu - r / np.linalg.norm(r)
    p = float(h @ h) / mu
    return p / (1.0 + float(np.linalg.norm(e_vec)))


def perigee_for_entry(radius_km: float, speed_km_s: float, fpa: float) -> float:
    """Vacuum perigee radius (km) of the two-body orbit through the entry interface radius at
    this speed and flight-path angle."""
    return vacuum_perigee_km(np.array([radius_km, 0.0, 0.0,
                                       speed_km_s * math.sin(math.radians(fpa)),
                                       speed_km_s * math.cos(math.radians(fpa)), 0.0]))


APPROACH_RADIUS_KM = 60_000.0  # where the vacuum perigee is read (lunar and solar pulls < 1e-3 of Earth's)


def retarget_return(depart_epoch: datetime, r0_km, v_before_km_s, dv_km_s_vec, *,
                    radius_km: float, target_fpa_deg: float, entry_speed_km_s: float,
                    tof_days_guess: float) -> EphemerisLeg | None:
    """Fly the burn ``dv_km_s_vec`` from (r0, v_before) at ``depart_epoch``, then correct the burn
    (minimum-norm Newton) until the vacuum perigee read at 60,000 km gives the entry angle
    ``target_fpa_deg`` at ``radius_km``. None if the flight never comes near the Earth."""
    b = bodies(depart_epoch, tof_days_guess + 4.0)
    return _retarget_from(b, 0.0, np.asarray(r0_km, float), np.asarray(v_before_km_s, float),
                          np.asarray(dv_km_s_vec, float), radius_km, target_fpa_deg,
                          entry_speed_km_s, tof_days_guess)


def _retarget_from(b: Bodies, t0_s: float, r0, v_before, dv0, radius_km, target_fpa_deg,
                   entry_speed_km_s, tof_days_guess) -> EphemerisLeg | None:
    rp_target = perigee_for_entry(radius_km, entry_speed_km_s, target_fpa_deg)

    def approach(dv):
        return fly_to_radius(r0, v_before + dv, b, t0_s, APPROACH_RADIUS_KM, tof_days_guess + 3.0)

    dv = dv0.copy()
    near = approach(dv)
    if near is None:
        return None
    first = fly_to_radius(near[1][:3], near[1][3:], b, near[0], radius_km, 1.0)
    as_flown = None if first is None else fpa_deg(first[1])
    converged = False
    for _ in range(10):
        miss = vacuum_perigee_km(near[1]) - rp_target
        if abs(miss) < 0.01:
            converged = True
            break
        grad = np.empty(3)
        h = 1e-5  # km/s
        for k in range(3):
            e = np.zeros(3)
            e[k] = h
            other = approach(dv + e)
            if other is None:
                return None
            grad[k] = (vacuum_perigee_km(other[1]) - vacuum_perigee_km(near[1])) / h
        dv = dv - grad * miss / float(grad @ grad)
        near = approach(dv)
        if near is None:
            return None
    hit = fly_to_radius(near[1][:3], near[1][3:], b, near[0], radius_km, 1.0)
    if hit is None:
        return None
    return EphemerisLeg(as_flown, float(np.linalg.norm(dv)), hit[0] / 86400.0,
                        float(np.linalg.norm(hit[1][3:])), fpa_deg(hit[1]),
                        b.t0 + timedelta(seconds=hit[0]), hit[1], converged)

def coast(r0_km, v0_km_s, b: Bodies, t_start_s: float, duration_s: float) -> np.ndarray:
    """State (km, km/s) after a coast of ``duration_s`` from ``t_start_s`` (seconds after b.t0)."""
    sol = solve_ivp(accel, (t_start_s, t_start_s + duration_s), np.concatenate([r0_km, v0_km_s]),
                    method="DOP853", rtol=1e-10, atol=1e-6, args=(b,))
    return sol.y[:, -1]


def retarget_flyby_return(depart_epoch: datetime, r0_km, v_before_km_s, dv1_km_s, flyby_s: float,
                          dv2_km_s, *, radius_km: float, target_fpa_deg: float,
                          entry_speed_km_s: float, tof_days_guess: float) -> EphemerisLeg | None:
    """Fly a two-burn powered-flyby return: the first burn at ``depart_epoch``, a coast of
    ``flyby_s`` to the flyby, the flyby burn, then re-target the flyby burn (minimum-norm Newton
    on the vacuum perigee read at 60,000 km, as :func:`retarget_return`). ``dv_km_s`` of the
    result is the sum of both burns."""
    b = bodies(depart_epoch, tof_days_guess + 4.0)
    at_flyby = coast(np.asarray(r0_km, float), np.asarray(v_before_km_s, float)
                     + np.asarray(dv1_km_s, float), b, 0.0, flyby_s)
    leg = _retarget_from(b, flyby_s, at_flyby[:3], at_flyby[3:], np.asarray(dv2_km_s, float),
                         radius_km, target_fpa_deg, entry_speed_km_s, tof_days_guess)
    if leg is None:
        return None
    total = float(np.linalg.norm(dv1_km_s)) + leg.dv_km_s
    return EphemerisLeg(leg.as_flown_fpa_deg, total, leg.time_of_flight_days,
                        leg.entry_speed_km_s, leg.entry_fpa_deg, leg.entry_epoch,
                        leg.entry_state_km, leg.converged)
