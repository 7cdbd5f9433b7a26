"""Point-mass capsule flight through the atmosphere to touchdown: ballistic or lifting, with parachute.

Pure kernels in SI units (m, s, kg, rad); no I/O, no catalog. The capsule is a point mass flying
over a rotating Earth; the equations of motion are written in the Earth-fixed (ECEF) frame, so the
atmosphere is at rest and the touchdown point comes out directly in Earth-fixed coordinates:

    dv/dt = g(r) − 2 ω×v − ω×(ω×r) + a_aero,     a_aero = −ρ|v|v / (2β) + lift,

with g the central field plus the J2 term, ω the Earth rotation rate, v the Earth-relative velocity
and β = m / (Cd·S) the ballistic coefficient. Lift, when ``lift_to_drag > 0``, is perpendicular to v
in the plane of v and the local vertical, rolled by ``bank_deg`` about v (0 = lift straight up).
After the parachute deploys, its drag area grows linearly from zero to its full value over
``chute_fill_time_s`` (a smooth stand-in for the drogue → reefed main → full main sequence, which
this model does not resolve; the opening load it gives is therefore indicative only).

The surface is a sphere of radius ``R_MEAN_M`` or the WGS-84 ellipsoid (altitude measured along
the geocentric radius, which differs from the geodetic height by < 0.1 % of the altitude).
Integration: scipy ``solve_ivp`` (DOP853) with events for apogee, peak aerodynamic deceleration,
parachute deployment and touchdown.

Atmospheres: ``us1976_density_kg_m3`` (U.S. Standard Atmosphere 1976: its seven temperature layers
in closed form below 86 km, log-linear interpolation of its tabulated densities from 86 to 1000 km)
and ``exponential_density_kg_m3`` (ρ0·exp(−h/H)).
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.integrate import solve_ivp

from lifeboat.orbits.geo import EARTH_MEAN_RADIUS_KM
from lifeboat.orbits.physics import (
    J2_EARTH,
    MU_EARTH_KM3_S2,
    OMEGA_EARTH_RAD_S,
    R_EARTH_EQ_KM,
    WGS84_FLATTENING,
)

MU_EARTH_M3_S2 = MU_EARTH_KM3_S2 * 1e9
R_EQUATOR_M = R_EARTH_EQ_KM * 1e3
R_POLAR_M = R_EQUATOR_M * (1.0 - WGS84_FLATTENING)
R_MEAN_M = EARTH_MEAN_RADIUS_KM * 1e3
G0_M_S2 = 9.80665  # standard gravity, the unit of "g"

# U.S. Standard Atmosphere 1976, lower layers: base geopotential altitude (m'), base temperature
# (K), lapse rate (K per m'). NOAA-S/T 76-1562, Table 4.
_US76_BASE_H_M = (0.0, 11_000.0, 20_000.0, 32_000.0, 47_000.0, 51_000.0, 71_000.0, 84_852.0)
_US76_LAPSE_K_M = (-6.5e-3, 0.0, 1.0e-3, 2.8e-3, 0.0, -2.8e-3, -2.0e-3)
_US76_R0_M = 6_356_766.0  # radius used for geopotential altitude
_US76_GMR = 9.80665 * 0.0289644 / 8.31432  # g0·M0/R*, K per m'
_US76_R_AIR = 8.31432 / 0.0289644  # J/(kg·K)
# U.S. Standard Atmosphere 1976, tabulated mass density above 86 km (geometric altitude).
_US76_UPPER_ALT_M = np.array([86, 100, 110, 120, 150, 200, 300, 400, 500, 1000], float) * 1e3
_US76_UPPER_RHO = np.array(
    [
        6.958e-6,
        5.604e-7,
        9.708e-8,
        2.222e-8,
        2.076e-9,
        2.541e-10,
        1.916e-11,
        2.803e-12,
        5.215e-13,
        3.561e-15,
    ]
)


_US76_UPPER_LOG_RHO = np.log(_US76_UPPER_RHO)
_US76_UPPER_ALT_LIST = _US76_UPPER_ALT_M.tolist()


def _us76_layer_bases() -> tuple[tuple[float, ...], tuple[float, ...]]:
    temps, pressures = [288.15], [101_325.0]
    for i, lapse in enumerate(_US76_LAPSE_K_M):
        dh = _US76_BASE_H_M[i + 1] - _US76_BASE_H_M[i]
        t0, p0 = temps[-1], pressures[-1]
        t1 = t0 + lapse * dh
        p1 = (
            p0 * math.exp(-_US76_GMR * dh / t0)
            if lapse == 0.0
            else p0 * (t1 / t0) ** (-_US76_GMR / lapse)
        )
        temps.append(t1)
        pressures.append(p1)
    return tuple(temps), tuple(pressures)


_US76_BASE_T_K, _US76_BASE_P_PA = _us76_layer_bases()


def us1976_density_kg_m3(altitude_m: float) -> float:
    """Air density (kg/m³) of the U.S. Standard Atmosphere 1976 at a geometric altitude (m).

    Below 0 m the lowest layer is extended; above 1000 km the density is taken as zero.
    """
    if altitude_m >= 86_000.0:
        if altitude_m >= _US76_UPPER_ALT_LIST[-1]:
            return 0.0
        i = bisect.bisect_right(_US76_UPPER_ALT_LIST, altitude_m) - 1
        z0, z1 = _US76_UPPER_ALT_LIST[i], _US76_UPPER_ALT_LIST[i + 1]
        f = (altitude_m - z0) / (z1 - z0)
        return math.exp(_US76_UPPER_LOG_RHO[i] * (1.0 - f) + _US76_UPPER_LOG_RHO[i + 1] * f)
    h = _US76_R0_M * altitude_m / (_US76_R0_M + altitude_m)  # geopotential altitude
    i = 0
    while i < 6 and h >= _US76_BASE_H_M[i + 1]:
        i += 1
    lapse, t0, p0 = _US76_LAPSE_K_M[i], _US76_BASE_T_K[i], _US76_BASE_P_PA[i]
    dh = h - _US76_BASE_H_M[i]
    t = t0 + lapse * dh
    p = (
        p0 * math.exp(-_US76_GMR * dh / t0)
        if lapse == 0.0
        else p0 * (t / t0) ** (-_US76_GMR / lapse)
    )
    return p / (_US76_R_AIR * t)


def exponential_density_kg_m3(
    altitude_m: float, rho0_kg_m3: float = 1.225, scale_height_m: float = 7_200.0
) -> float:
    """Isothermal exponential atmosphere ρ0·exp(−h/H) (kg/m³) at altitude ``altitude_m`` (m)."""
    return rho0_kg_m3 * math.exp(-altitude_m / scale_height_m)


@dataclass(frozen=True)
class Capsule:
    """Aerodynamic description of a capsule (SI).

    ``chute_drag_area_m2`` is the parachute's Cd·S; it deploys when the capsule descends through
    ``chute_deploy_altitude_m`` and reaches full drag area after ``chute_fill_time_s``.
    """

    mass_kg: float
    drag_coefficient: float
    reference_area_m2: float
    lift_to_drag: float = 0.0
    bank_deg: float = 0.0
    chute_drag_area_m2: float = 0.0
    chute_deploy_altitude_m: float = 0.0
    chute_fill_time_s: float = 0.0

    @property
    def ballistic_coefficient_kg_m2(self) -> float:
        """β = m / (Cd·S), kg/m²."""
        return self.mass_kg / (self.drag_coefficient * self.reference_area_m2)


@dataclass(frozen=True)
class EntryResult:
    """Trajectory from the initial state to touchdown. Times in s from the initial state.

    ``t_s``, ``r_ecef_m`` (n×3), ``v_ecef_m_s`` (n×3, Earth-relative) and ``altitude_m`` sample
    the solver steps. Decelerations are the aerodynamic (sensed) acceleration in units of g0.
    ``peak_deceleration_g`` is the largest before the parachute opens; ``peak_chute_deceleration_g``
    the largest after (NaN if no chute).
    """

    t_s: np.ndarray
    r_ecef_m: np.ndarray
    v_ecef_m_s: np.ndarray
    altitude_m: np.ndarray
    apogee_t_s: float
    apogee_altitude_m: float
    peak_deceleration_t_s: float
    peak_deceleration_g: float
    peak_chute_deceleration_g: float
    chute_deploy_t_s: float
    chute_deploy_speed_m_s: float
    touchdown_t_s: float
    touchdown_r_ecef_m: np.ndarray
    touchdown_speed_m_s: float


def altitude_m(r_m: np.ndarray, earth: str = "sphere") -> float:
    """Altitude (m) of Earth-fixed position ``r_m`` above the sphere or WGS-84 ellipsoid (radial)."""
    rn = math.sqrt(r_m[0] ** 2 + r_m[1] ** 2 + r_m[2] ** 2)
    if earth == "sphere":
        return rn - R_MEAN_M
    sin_lat = r_m[2] / rn
    cos_lat2 = 1.0 - sin_lat * sin_lat
    surface = (
        R_EQUATOR_M
        * R_POLAR_M
        / math.sqrt((R_POLAR_M**2) * cos_lat2 + (R_EQUATOR_M**2) * sin_lat * sin_lat)
    )
    return rn - surface


def gravity_m_s2(r_m: np.ndarray, mu: float = MU_EARTH_M3_S2, j2: float = J2_EARTH) -> np.ndarray:
    """Gravitational acceleration (m/s²) of the central field plus J2 at Earth-fixed ``r_m``."""
    x, y, z = r_m
    r2 = x * x + y * y + z * z
    rn = math.sqrt(r2)
    k = -mu / (r2 * rn)
    g = np.array([k * x, k * y, k * z])
    if j2:
        f = 1.5 * j2 * mu * R_EQUATOR_M**2 / (r2 * r2 * rn)
        zz = 5.0 * z * z / r2
        g += f * np.array([x * (zz - 1.0), y * (zz - 1.0), z * (zz - 3.0)])
    return g


def simulate_entry(
    r0_ecef_m: np.ndarray,
    v0_ecef_m_s: np.ndarray,
    capsule: Capsule,
    *,
    earth: str = "sphere",
    density: Callable[[float], float] = us1976_density_kg_m3,
    omega_rad_s: float = OMEGA_EARTH_RAD_S,
    mu_m3_s2: float = MU_EARTH_M3_S2,
    j2: float = J2_EARTH,
    ground_altitude_m: float = 0.0,
    max_time_s: float = 20_000.0,
    rtol: float = 1e-9,
    atol: float = 1e-6,
) -> EntryResult:
    """Fly a capsule from an Earth-fixed state (m, Earth-relative m/s) to touchdown.

    Raises ``ValueError`` if the capsule does not reach the ground within ``max_time_s`` (for
    example a state still in orbit) or starts below the ground.
    """
    if earth not in ("sphere", "wgs84"):
        raise ValueError(f"earth must be 'sphere' or 'wgs84', got {earth!r}")
    area = capsule.drag_coefficient * capsule.reference_area_m2
    cos_bank = math.cos(math.radians(capsule.bank_deg))
    sin_bank = math.sin(math.radians(capsule.bank_deg))

    def aero(t: float, r: np.ndarray, v: np.ndarray, chute_t0: float | None) -> np.ndarray:
        speed = math.sqrt(v @ v)
        if speed == 0.0:
            return np.zeros(3)
        rho = density(altitude_m(r, earth))
        drag_area = area
        if chute_t0 is not None:
            fill = (
                1.0
                if capsule.chute_fill_time_s <= 0
                else min(1.0, (t - chute_t0) / capsule.chute_fill_time_s)
            )
            drag_area += capsule.chute_drag_area_m2 * max(fill, 0.0)
        drag = 0.5 * rho * speed * drag_area / capsule.mass_kg  # 1/s
        acc = -drag * v
        if capsule.lift_to_drag and chute_t0 is None:
            vhat = v / speed
            up = r / math.sqrt(r @ r)
            perp = up - (up @ vhat) * vhat
            norm = math.sqrt(perp @ perp)
            if norm > 1e-12:
                perp /= norm
                side = np.array(
                    [
                        vhat[1] * perp[2] - vhat[2] * perp[1],
                        vhat[2] * perp[0] - vhat[0] * perp[2],
                        vhat[0] * perp[1] - vhat[1] * perp[0],
                    ]
                )
                acc += capsule.lift_to_drag * drag * speed * (cos_bank * perp + sin_bank * side)
        return acc

    def accel(t: float, r: np.ndarray, v: np.ndarray, chute_t0: float | None) -> np.ndarray:
        # Coriolis −2ω×v and centrifugal −ω×(ω×r) for ω along z, written out (np.cross is slow).
        w = omega_rad_s
        frame = np.array([2.0 * w * v[1] + w * w * r[0], -2.0 * w * v[0] + w * w * r[1], 0.0])
        return gravity_m_s2(r, mu_m3_s2, j2) + frame + aero(t, r, v, chute_t0)

    def make_rhs(chute_t0):
        def rhs(t, y):
            r, v = y[:3], y[3:]
            return np.concatenate((v, accel(t, r, v, chute_t0)))

        return rhs

    def ev_ground(t, y):
        return altitude_m(y[:3], earth) - ground_altitude_m

    ev_ground.terminal, ev_ground.direction = True, -1.0

    def ev_apogee(t, y):
        return y[:3] @ y[3:]

    ev_apogee.terminal, ev_apogee.direction = False, -1.0

    def ev_chute(t, y):
        return altitude_m(y[:3], earth) - capsule.chute_deploy_altitude_m

    ev_chute.terminal, ev_chute.direction = True, -1.0

    def ev_peak_decel(t, y):
        # d|a_aero|/dt ∝ ρ'(h)·ḣ·|v| + 2ρ·d|v|/dt, zero at a deceleration maximum.
        r, v = y[:3], y[3:]
        speed = math.sqrt(v @ v)
        if speed == 0.0:
            return 1.0  # starting from rest: deceleration can only grow
        h = altitude_m(r, earth)
        rho = density(h)
        drho = (density(h + 1.0) - density(h - 1.0)) / 2.0
        hdot = (r @ v) / math.sqrt(r @ r)
        vdot = (accel(t, r, v, None) @ v) / speed
        return drho * hdot * speed + 2.0 * rho * vdot

    ev_peak_decel.terminal, ev_peak_decel.direction = False, -1.0

    y0 = np.concatenate((np.asarray(r0_ecef_m, float), np.asarray(v0_ecef_m_s, float)))
    if ev_ground(0.0, y0) < 0.0:
        raise ValueError("initial state is below the ground")
    has_chute = capsule.chute_drag_area_m2 > 0.0 and capsule.chute_deploy_altitude_m > 0.0
    if has_chute and altitude_m(y0[:3], earth) <= capsule.chute_deploy_altitude_m:
        raise ValueError("initial state is below the parachute deployment altitude")

    events = [ev_ground, ev_apogee, ev_peak_decel] + ([ev_chute] if has_chute else [])
    sol1 = solve_ivp(
        make_rhs(None),
        (0.0, max_time_s),
        y0,
        method="DOP853",
        events=events,
        rtol=rtol,
        atol=atol,
    )
    ts, ys = [sol1.t], [sol1.y.T]

    apogee_candidates = [(0.0, y0)] + list(zip(sol1.t_events[1], sol1.y_events[1], strict=True))
    apogee_t, apogee_y = max(apogee_candidates, key=lambda ty: altitude_m(ty[1][:3], earth))

    def decel_g(t, y, chute_t0):
        return math.sqrt(np.sum(aero(t, y[:3], y[3:], chute_t0) ** 2)) / G0_M_S2

    peak_candidates = [(t, decel_g(t, y, None)) for t, y in zip(sol1.t, sol1.y.T, strict=True)]
    peak_candidates += [
        (t, decel_g(t, y, None)) for t, y in zip(sol1.t_events[2], sol1.y_events[2], strict=True)
    ]
    peak_t, peak_g = max(peak_candidates, key=lambda tg: tg[1])

    chute_t = chute_speed = peak_chute_g = float("nan")
    if has_chute and sol1.t_events[3].size:
        chute_t = float(sol1.t_events[3][0])
        y_chute = sol1.y_events[3][0]
        chute_speed = float(math.sqrt(y_chute[3:] @ y_chute[3:]))
        sol2 = solve_ivp(
            make_rhs(chute_t),
            (chute_t, chute_t + max_time_s),
            y_chute,
            method="DOP853",
            events=[ev_ground],
            rtol=rtol,
            atol=atol,
            max_step=max(capsule.chute_fill_time_s / 4, 1.0),
        )
        ts.append(sol2.t[1:])
        ys.append(sol2.y.T[1:])
        peak_chute_g = max(decel_g(t, y, chute_t) for t, y in zip(sol2.t, sol2.y.T, strict=True))
        final = sol2
    else:
        final = sol1

    if not final.t_events[0].size:
        raise ValueError(f"capsule did not reach the ground within {max_time_s:.0f} s")
    t_all = np.concatenate(ts)
    y_all = np.concatenate(ys)
    touchdown_y = final.y_events[0][0]
    return EntryResult(
        t_s=t_all,
        r_ecef_m=y_all[:, :3],
        v_ecef_m_s=y_all[:, 3:],
        altitude_m=np.array([altitude_m(r, earth) for r in y_all[:, :3]]),
        apogee_t_s=float(apogee_t),
        apogee_altitude_m=float(altitude_m(apogee_y[:3], earth)),
        peak_deceleration_t_s=float(peak_t),
        peak_deceleration_g=float(peak_g),
        peak_chute_deceleration_g=float(peak_chute_g),
        chute_deploy_t_s=chute_t,
        chute_deploy_speed_m_s=chute_speed,
        touchdown_t_s=float(final.t_events[0][0]),
        touchdown_r_ecef_m=touchdown_y[:3].copy(),
        touchdown_speed_m_s=float(math.sqrt(touchdown_y[3:] @ touchdown_y[3:])),
    )
