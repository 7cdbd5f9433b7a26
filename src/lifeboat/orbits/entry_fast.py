"""Many entry flights at once, compiled: the landing search's kernel.

The same point-mass model as :func:`lifeboat.orbits.entry.simulate_entry` (central field + J2,
rotating Earth-fixed frame, U.S. 1976 atmosphere, drag, lift rolled by the bank angle, parachute
whose drag area fills linearly) integrated with fixed-step fourth-order Runge-Kutta, compiled
with numba, for a batch of initial states. Steps: 8 s above 120 km (no air to speak of), 0.5 s
below until the parachute opens, 0.75 s under it (its drag rate, 2g/v ≈ 2.8 s⁻¹ at ~7 m/s,
keeps RK4 stable below ~1 s). The parachute opens where the step crosses its deployment
altitude; 90 s after the canopy has filled the capsule descends at the local terminal speed
with the air, so the rest of the descent is a quadrature of dh / v_terminal(h) straight down
(the drift it leaves out is under a metre). Against the adaptive
reference (``simulate_entry``, DOP853) the touchdown agrees to well under a kilometre and a
second (``tests/orbits/test_orbits_entry_fast.py``); only the touchdown is returned.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from lifeboat.orbits.entry import (
    _US76_BASE_H_M,
    _US76_BASE_P_PA,
    _US76_BASE_T_K,
    _US76_GMR,
    _US76_LAPSE_K_M,
    _US76_R0_M,
    _US76_R_AIR,
    _US76_UPPER_ALT_M,
    _US76_UPPER_LOG_RHO,
    MU_EARTH_M3_S2,
    R_EQUATOR_M,
    R_MEAN_M,
    R_POLAR_M,
    Capsule,
)
from lifeboat.orbits.physics import J2_EARTH, OMEGA_EARTH_RAD_S

_BASE_H = np.array(_US76_BASE_H_M)
_BASE_T = np.array(_US76_BASE_T_K)
_BASE_P = np.array(_US76_BASE_P_PA)
_LAPSE = np.array(_US76_LAPSE_K_M)
_UP_ALT = np.array(_US76_UPPER_ALT_M)
_UP_LOG = np.array(_US76_UPPER_LOG_RHO)
_COAST_ALTITUDE_M = 120_000.0
_DT_COAST_S, _DT_ENTRY_S, _DT_CHUTE_S = 8.0, 0.5, 0.75
_SETTLE_S = 90.0  # after the canopy has filled, until the descent is at terminal speed


@njit(cache=True)
def x2(st):
    return st[0] * st[0] + st[1] * st[1] + st[2] * st[2]


@njit(cache=True)
def _density(h):
    if h >= 86_000.0:
        if h >= _UP_ALT[-1]:
            return 0.0
        i = 0
        while h >= _UP_ALT[i + 1]:
            i += 1
        f = (h - _UP_ALT[i]) / (_UP_ALT[i + 1] - _UP_ALT[i])
        return math.exp(_UP_LOG[i] * (1.0 - f) + _UP_LOG[i + 1] * f)
    hg = _US76_R0_M * h / (_US76_R0_M + h)
    i = 0
    while i < 6 and hg >= _BASE_H[i + 1]:
        i += 1
    lapse, t0, p0 = _LAPSE[i], _BASE_T[i], _BASE_P[i]
    dh = hg - _BASE_H[i]
    t = t0 + lapse * dh
    if lapse == 0.0:
        p = p0 * math.exp(-_US76_GMR * dh / t0)
    else:
        p = p0 * (t / t0) ** (-_US76_GMR / lapse)
    return p / (_US76_R_AIR * t)


@njit(cache=True)
def _altitude(x, y, z, wgs84):
    rn = math.sqrt(x * x + y * y + z * z)
    if not wgs84:
        return rn - R_MEAN_M
    s = z / rn
    c2 = 1.0 - s * s
    surface = R_EQUATOR_M * R_POLAR_M / math.sqrt(R_POLAR_M * R_POLAR_M * c2 + R_EQUATOR_M * R_EQUATOR_M * s * s)
    return rn - surface


@njit(cache=True)
def _deriv(t, st, out, p, chute_t0, wgs84):
    # p: mass, cd*S, L/D, cos bank, sin bank, chute Cd*S, chute fill time
    x, y, z, vx, vy, vz = st[0], st[1], st[2], st[3], st[4], st[5]
    r2 = x * x + y * y + z * z
    rn = math.sqrt(r2)
    k = -MU_EARTH_M3_S2 / (r2 * rn)
    f = 1.5 * J2_EARTH * MU_EARTH_M3_S2 * R_EQUATOR_M * R_EQUATOR_M / (r2 * r2 * rn)
    zz = 5.0 * z * z / r2
    ax = k * x + f * x * (zz - 1.0)
    ay = k * y + f * y * (zz - 1.0)
    az = k * z + f * z * (zz - 3.0)
    w = OMEGA_EARTH_RAD_S
    ax += 2.0 * w * vy + w * w * x
    ay += -2.0 * w * vx + w * w * y
    speed = math.sqrt(vx * vx + vy * vy + vz * vz)
    if speed > 0.0:
        rho = _density(_altitude(x, y, z, wgs84))
        area = p[1]
        if chute_t0 >= 0.0:
            fill = 1.0 if p[6] <= 0.0 else min(1.0, max(0.0, (t - chute_t0) / p[6]))
            area += p[5] * fill
        drag = 0.5 * rho * speed * area / p[0]
        ax -= drag * vx
        ay -= drag * vy
        az -= drag * vz
        if p[2] != 0.0 and chute_t0 < 0.0:
            hx, hy, hz = vx / speed, vy / speed, vz / speed
            ux, uy, uz = x / rn, y / rn, z / rn
            d = ux * hx + uy * hy + uz * hz
            px, py, pz = ux - d * hx, uy - d * hy, uz - d * hz
            norm = math.sqrt(px * px + py * py + pz * pz)
            if norm > 1e-12:
                px, py, pz = px / norm, py / norm, pz / norm
                sx = hy * pz - hz * py
                sy = hz * px - hx * pz
                sz = hx * py - hy * px
                lift = p[2] * drag * speed
                ax += lift * (p[3] * px + p[4] * sx)
                ay += lift * (p[3] * py + p[4] * sy)
                az += lift * (p[3] * pz + p[4] * sz)
    out[0], out[1], out[2], out[3], out[4], out[5] = vx, vy, vz, ax, ay, az


@njit(cache=True)
def _fly(state0, p, chute_deploy_m, wgs84, max_time_s):
    st = state0.copy()
    k1, k2, k3, k4, tmp = np.empty(6), np.empty(6), np.empty(6), np.empty(6), np.empty(6)
    t = 0.0
    chute_t0 = -1.0
    h = _altitude(st[0], st[1], st[2], wgs84)
    while t < max_time_s:
        if chute_t0 >= 0.0:
            dt = _DT_CHUTE_S
        elif h > _COAST_ALTITUDE_M:
            dt = _DT_COAST_S
        else:
            dt = _DT_ENTRY_S
        prev = st.copy()
        _deriv(t, st, k1, p, chute_t0, wgs84)
        for i in range(6):
            tmp[i] = st[i] + 0.5 * dt * k1[i]
        _deriv(t + 0.5 * dt, tmp, k2, p, chute_t0, wgs84)
        for i in range(6):
            tmp[i] = st[i] + 0.5 * dt * k2[i]
        _deriv(t + 0.5 * dt, tmp, k3, p, chute_t0, wgs84)
        for i in range(6):
            tmp[i] = st[i] + dt * k3[i]
        _deriv(t + dt, tmp, k4, p, chute_t0, wgs84)
        for i in range(6):
            st[i] += dt / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i])
        h_prev = h
        h = _altitude(st[0], st[1], st[2], wgs84)
        t += dt
        if h <= 0.0:
            f = h_prev / (h_prev - h)
            out = prev + f * (st - prev)
            return out, t - dt + f * dt
        if chute_t0 >= 0.0 and t >= chute_t0 + p[6] + _SETTLE_S:
            # Settled under the full canopy: descending at the local terminal speed, drifting
            # with the air (Earth-fixed) by well under a metre. Fall straight down.
            g = MU_EARTH_M3_S2 / (x2(st))
            area = p[1] + p[5]
            remaining = 0.0
            n = int(h / 100.0) + 1
            dh = h / n
            for i in range(n):
                hm = h - (i + 0.5) * dh
                remaining += dh / math.sqrt(2.0 * p[0] * g / (_density(hm) * area))
            rn = math.sqrt(x2(st))
            out = st.copy()
            for i in range(3):
                out[i] = st[i] * (rn - h) / rn
            return out, t + remaining
        if chute_t0 < 0.0 and chute_deploy_m > 0.0 and p[5] > 0.0 and h <= chute_deploy_m:
            chute_t0 = t - dt * (h_prev - chute_deploy_m) / (h_prev - h)  # crossing, interpolated
    return st, -1.0


@njit(cache=True)
def _fly_batch(states, p, chute_deploy_m, wgs84, max_time_s):
    n = states.shape[0]
    out = np.empty((n, 3))
    times = np.empty(n)
    for j in range(n):
        st, tt = _fly(states[j], p, chute_deploy_m, wgs84, max_time_s)
        out[j, 0], out[j, 1], out[j, 2] = st[0], st[1], st[2]
        times[j] = tt
    return out, times


def touchdowns(r0_ecef_m: np.ndarray, v0_ecef_m_s: np.ndarray, capsule: Capsule, *, earth: str = "wgs84",
               max_time_s: float = 20_000.0) -> tuple[np.ndarray, np.ndarray]:
    """Touchdown Earth-fixed positions (m, N×3) and times (s from the initial states, N) of
    capsules flown from Earth-fixed states (m, Earth-relative m/s, N×3 each). A flight that does
    not reach the ground within ``max_time_s`` gets time NaN."""
    states = np.ascontiguousarray(np.hstack([np.atleast_2d(r0_ecef_m), np.atleast_2d(v0_ecef_m_s)]), dtype=float)
    bank = math.radians(capsule.bank_deg)
    p = np.array([capsule.mass_kg, capsule.drag_coefficient * capsule.reference_area_m2, capsule.lift_to_drag,
                  math.cos(bank), math.sin(bank), capsule.chute_drag_area_m2, capsule.chute_fill_time_s])
    pos, times = _fly_batch(states, p, float(capsule.chute_deploy_altitude_m), earth == "wgs84", float(max_time_s))
    return pos, np.where(times < 0.0, np.nan, times)
