"""Earth–Moon circular restricted three-body problem (CR3BP): pure kernels.

Frame and units
---------------
Barycentric rotating frame: x from Earth towards the Moon, z along the orbital angular momentum,
Earth at (−μ, 0, 0), Moon at (1 − μ, 0, 0). Nondimensional units: length L* = 384,400 km,
time T* = sqrt(L*³ / (GM_E + GM_M)) s (the primaries turn at 1 rad per T*), velocity L*/T*.

Gravitational parameters are NAIF/DE values (GM_E = 398,600.435436 km³/s²,
GM_M = 4,902.800066 km³/s², NAIF DE values), which give μ = 0.01215058427 (published CR3BP constant sets quote
0.0121505856 for the same pair: 1.1e-7 relative, below a metre in any result).

Kernels
-------
* :func:`eom` – equations of motion, 6-vector state (x, y, z, vx, vy, vz).
* :func:`eom_stm` – the same plus the variational equations: a 42-vector, the state followed by
  the 6×6 state transition matrix Φ row by row (dΦ/dt = A(t) Φ).
* :func:`jacobi` – Jacobi constant C = 2U − v².
* :func:`collinear_points` – L1, L2, L3 from their quintic equations (Newton iteration).
* :func:`propagate`, :func:`propagate_stm`, :func:`propagate_batch`, :func:`sample` – a compiled
  adaptive Dormand–Prince 8(5,3) integrator (the DOP853 scheme and step control of Hairer, Nørsett
  and Wanner, with the coefficients scipy ships), all loops in numba.
* :func:`eom_numpy` – a plain numpy right-hand side for ``scipy.integrate.solve_ivp`` (the
  independent reference path).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange
from scipy.integrate._ivp import dop853_coefficients as _dop

GM_EARTH_KM3_S2 = 398600.435436
GM_MOON_KM3_S2 = 4902.800066
MU = GM_MOON_KM3_S2 / (GM_EARTH_KM3_S2 + GM_MOON_KM3_S2)
LENGTH_UNIT_KM = 384400.0
TIME_UNIT_S = math.sqrt(LENGTH_UNIT_KM**3 / (GM_EARTH_KM3_S2 + GM_MOON_KM3_S2))
VELOCITY_UNIT_KM_S = LENGTH_UNIT_KM / TIME_UNIT_S
TIME_UNIT_DAYS = TIME_UNIT_S / 86400.0
MOON_RADIUS_KM = 1737.4

DEFAULT_RTOL = 1e-12
DEFAULT_ATOL = 1e-12

# DOP853 tableau (12 stages plus the FSAL stage used by the error estimate).
_N_STAGES = _dop.N_STAGES
_A = np.ascontiguousarray(_dop.A[:_N_STAGES, :_N_STAGES])
_B = np.ascontiguousarray(_dop.B)
_C = np.ascontiguousarray(_dop.C[:_N_STAGES])
_E3 = np.ascontiguousarray(_dop.E3)
_E5 = np.ascontiguousarray(_dop.E5)
_SAFETY = 0.9
_MIN_FACTOR = 0.2
_MAX_FACTOR = 10.0
_ERROR_EXPONENT = -1.0 / 8.0


def days_to_tu(days: float) -> float:
    """Days to nondimensional CR3BP time units."""
    return days / TIME_UNIT_DAYS


def tu_to_days(tu: float) -> float:
    """Nondimensional CR3BP time units to days."""
    return tu * TIME_UNIT_DAYS


def to_dimensional(state: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Rotating-frame nondimensional state(s) (…, 6) → (position km, velocity km/s), still
    rotating-frame and barycentric."""
    s = np.asarray(state, dtype=float)
    return s[..., :3] * LENGTH_UNIT_KM, s[..., 3:6] * VELOCITY_UNIT_KM_S


@njit(cache=True)
def _eom_into(y, out, mu):
    x, yy, z, vx, vy, vz = y[0], y[1], y[2], y[3], y[4], y[5]
    dx1 = x + mu
    dx2 = x - 1.0 + mu
    r1sq = dx1 * dx1 + yy * yy + z * z
    r2sq = dx2 * dx2 + yy * yy + z * z
    r1_3 = r1sq * math.sqrt(r1sq)
    r2_3 = r2sq * math.sqrt(r2sq)
    k1 = (1.0 - mu) / r1_3
    k2 = mu / r2_3
    out[0] = vx
    out[1] = vy
    out[2] = vz
    out[3] = 2.0 * vy + x - k1 * dx1 - k2 * dx2
    out[4] = -2.0 * vx + yy - (k1 + k2) * yy
    out[5] = -(k1 + k2) * z


@njit(cache=True)
def _eom_stm_into(y, out, mu):
    _eom_into(y, out, mu)
    x, yy, z = y[0], y[1], y[2]
    dx1 = x + mu
    dx2 = x - 1.0 + mu
    r1sq = dx1 * dx1 + yy * yy + z * z
    r2sq = dx2 * dx2 + yy * yy + z * z
    r1 = math.sqrt(r1sq)
    r2 = math.sqrt(r2sq)
    a1 = (1.0 - mu) / (r1sq * r1)
    a2 = mu / (r2sq * r2)
    b1 = 3.0 * (1.0 - mu) / (r1sq * r1sq * r1)
    b2 = 3.0 * mu / (r2sq * r2sq * r2)
    # Hessian of the effective potential U = (x² + y²)/2 + (1 − μ)/r1 + μ/r2.
    uxx = 1.0 - a1 - a2 + b1 * dx1 * dx1 + b2 * dx2 * dx2
    uyy = 1.0 - a1 - a2 + (b1 + b2) * yy * yy
    uzz = -a1 - a2 + (b1 + b2) * z * z
    uxy = (b1 * dx1 + b2 * dx2) * yy
    uxz = (b1 * dx1 + b2 * dx2) * z
    uyz = (b1 + b2) * yy * z
    # dΦ/dt = A Φ with A = [[0, I], [∇²U, 2Ω]], Ω = [[0, 1, 0], [−1, 0, 0], [0, 0, 0]].
    for j in range(6):
        p0 = y[6 + j]
        p1 = y[12 + j]
        p2 = y[18 + j]
        p3 = y[24 + j]
        p4 = y[30 + j]
        p5 = y[36 + j]
        out[6 + j] = p3
        out[12 + j] = p4
        out[18 + j] = p5
        out[24 + j] = uxx * p0 + uxy * p1 + uxz * p2 + 2.0 * p4
        out[30 + j] = uxy * p0 + uyy * p1 + uyz * p2 - 2.0 * p3
        out[36 + j] = uxz * p0 + uyz * p1 + uzz * p2


@njit(cache=True)
def _rhs(y, out, mu):
    if y.shape[0] == 6:
        _eom_into(y, out, mu)
    else:
        _eom_stm_into(y, out, mu)


@njit(cache=True)
def _error_norm(k, h, y, y_new, rtol, atol):
    n = y.shape[0]
    s5 = 0.0
    s3 = 0.0
    for i in range(n):
        scale = atol + max(abs(y[i]), abs(y_new[i])) * rtol
        e5 = 0.0
        e3 = 0.0
        for s in range(_N_STAGES + 1):
            e5 += k[s, i] * _E5[s]
            e3 += k[s, i] * _E3[s]
        e5 /= scale
        e3 /= scale
        s5 += e5 * e5
        s3 += e3 * e3
    if s5 == 0.0 and s3 == 0.0:
        return 0.0
    return abs(h) * s5 / math.sqrt((s5 + 0.01 * s3) * n)


@njit(cache=True)
def _integrate(y0, t_out, rtol, atol, mu, out):
    """Adaptive DOP853 from t = 0 through the times ``t_out`` (monotone, same sign), writing the
    state at each into ``out`` rows. Returns the number of accepted steps, or −1 on failure."""
    n = y0.shape[0]
    k = np.empty((_N_STAGES + 1, n))
    y = y0.copy()
    y_new = np.empty(n)
    y_stage = np.empty(n)
    f = np.empty(n)
    _rhs(y, f, mu)
    direction = 1.0 if t_out[t_out.shape[0] - 1] >= 0.0 else -1.0
    # Initial step from the norms of y and f (Hairer's rule, simplified).
    d0 = 0.0
    d1 = 0.0
    for i in range(n):
        sc = atol + abs(y[i]) * rtol
        d0 += (y[i] / sc) ** 2
        d1 += (f[i] / sc) ** 2
    d0 = math.sqrt(d0 / n)
    d1 = math.sqrt(d1 / n)
    h_abs = 1e-6 if (d0 < 1e-5 or d1 < 1e-5) else 0.01 * d0 / d1
    h_abs = min(h_abs, 1e-2)
    t = 0.0
    steps = 0
    for m in range(t_out.shape[0]):
        t_end = t_out[m]
        while direction * (t_end - t) > 0.0:
            rejected = False
            while True:
                h = direction * h_abs
                last = direction * (t + h - t_end) >= 0.0
                if last:
                    h = t_end - t
                for i in range(n):
                    k[0, i] = f[i]
                for s in range(1, _N_STAGES):
                    for i in range(n):
                        acc = 0.0
                        for j in range(s):
                            acc += _A[s, j] * k[j, i]
                        y_stage[i] = y[i] + h * acc
                    _rhs(y_stage, k[s], mu)
                for i in range(n):
                    acc = 0.0
                    for j in range(_N_STAGES):
                        acc += _B[j] * k[j, i]
                    y_new[i] = y[i] + h * acc
                _rhs(y_new, k[_N_STAGES], mu)
                err = _error_norm(k, h, y, y_new, rtol, atol)
                if err < 1.0:
                    factor = _MAX_FACTOR if err == 0.0 else min(
                        _MAX_FACTOR, _SAFETY * err**_ERROR_EXPONENT
                    )
                    if rejected:
                        factor = min(1.0, factor)
                    if not last:  # a step clipped to an output time keeps the proposed size
                        h_abs = abs(h) * factor
                    break
                h_abs = abs(h) * max(_MIN_FACTOR, _SAFETY * err**_ERROR_EXPONENT)
                rejected = True
                if h_abs < 1e-14:
                    return -1
            t = t_end if last else t + h
            for i in range(n):
                y[i] = y_new[i]
                f[i] = k[_N_STAGES, i]
            steps += 1
        for i in range(n):
            out[m, i] = y[i]
    return steps


@njit(cache=True, parallel=True)
def _integrate_batch(states, t_final, rtol, atol, mu, out):
    t_out = np.array([t_final])
    failures = 0
    for b in prange(states.shape[0]):
        row = np.empty((1, states.shape[1]))
        if _integrate(states[b].copy(), t_out, rtol, atol, mu, row) < 0:
            failures += 1
        out[b, :] = row[0]
    return failures


def propagate(
    state0, t_final: float, *, mu: float = MU, rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL
) -> np.ndarray:
    """Propagate a 6-vector rotating-frame state (nondimensional) over ``t_final`` time units
    (negative for backwards). Returns the final 6-vector."""
    return sample(state0, np.array([float(t_final)]), mu=mu, rtol=rtol, atol=atol)[0]


def propagate_stm(
    state0, t_final: float, *, mu: float = MU, rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL
) -> tuple[np.ndarray, np.ndarray]:
    """Propagate a state with its state transition matrix over ``t_final`` time units.

    Returns (final 6-vector, Φ(t_final, 0) as a 6×6 array)."""
    y0 = np.concatenate([np.asarray(state0, dtype=float), np.eye(6).ravel()])
    out = np.empty((1, 42))
    if _integrate(y0, np.array([float(t_final)]), rtol, atol, mu, out) < 0:
        raise RuntimeError("CR3BP integration failed (step size underflow)")
    return out[0, :6].copy(), out[0, 6:].reshape(6, 6).copy()


def sample(
    state0, times, *, mu: float = MU, rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL
) -> np.ndarray:
    """States (len(times), 6) at the given times (time units, monotone from 0, one sign)."""
    t_out = np.ascontiguousarray(times, dtype=float)
    y0 = np.ascontiguousarray(state0, dtype=float)
    out = np.empty((t_out.shape[0], 6))
    if t_out.shape[0] and _integrate(y0, t_out, rtol, atol, mu, out) < 0:
        raise RuntimeError("CR3BP integration failed (step size underflow)")
    return out


def propagate_batch(
    states, t_final: float, *, mu: float = MU, rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL
) -> np.ndarray:
    """Propagate many 6-vector states (N, 6) over ``t_final`` time units in compiled, parallel
    code. Returns the final states (N, 6)."""
    s = np.ascontiguousarray(states, dtype=float)
    out = np.empty_like(s)
    if _integrate_batch(s, float(t_final), rtol, atol, mu, out):
        raise RuntimeError("CR3BP integration failed (step size underflow)")
    return out


def eom(state, mu: float = MU) -> np.ndarray:
    """Time derivative of a 6-vector rotating-frame state (nondimensional)."""
    out = np.empty(6)
    _eom_into(np.ascontiguousarray(state, dtype=float), out, mu)
    return out


def eom_stm(state_stm, mu: float = MU) -> np.ndarray:
    """Time derivative of the 42-vector (state, then Φ row by row)."""
    out = np.empty(42)
    _eom_stm_into(np.ascontiguousarray(state_stm, dtype=float), out, mu)
    return out


def eom_numpy(t: float, state: np.ndarray, mu: float = MU) -> np.ndarray:
    """Plain numpy equations of motion with the ``solve_ivp`` signature ``f(t, y)`` (reference)."""
    x, y, z, vx, vy, vz = state
    r1 = np.sqrt((x + mu) ** 2 + y**2 + z**2)
    r2 = np.sqrt((x - 1.0 + mu) ** 2 + y**2 + z**2)
    k1 = (1.0 - mu) / r1**3
    k2 = mu / r2**3
    return np.array(
        [
            vx,
            vy,
            vz,
            2.0 * vy + x - k1 * (x + mu) - k2 * (x - 1.0 + mu),
            -2.0 * vx + y - (k1 + k2) * y,
            -(k1 + k2) * z,
        ]
    )


def jacobi(state, mu: float = MU) -> np.ndarray | float:
    """Jacobi constant C = x² + y² + 2(1 − μ)/r1 + 2μ/r2 − v² of state(s) (…, 6), nondimensional."""
    s = np.asarray(state, dtype=float)
    x, y, z = s[..., 0], s[..., 1], s[..., 2]
    r1 = np.sqrt((x + mu) ** 2 + y**2 + z**2)
    r2 = np.sqrt((x - 1.0 + mu) ** 2 + y**2 + z**2)
    v2 = s[..., 3] ** 2 + s[..., 4] ** 2 + s[..., 5] ** 2
    return x**2 + y**2 + 2.0 * (1.0 - mu) / r1 + 2.0 * mu / r2 - v2


def collinear_points(mu: float = MU) -> tuple[float, float, float]:
    """x coordinates of L1, L2, L3 (nondimensional, barycentric).

    Each γ (distance from the nearer primary) is the positive root of its quintic, found by
    Newton iteration from Hill's-sphere guesses:
    L1: γ⁵ − (3−μ)γ⁴ + (3−2μ)γ³ − μγ² + 2μγ − μ = 0, x = 1 − μ − γ;
    L2: γ⁵ + (3−μ)γ⁴ + (3−2μ)γ³ − μγ² − 2μγ − μ = 0, x = 1 − μ + γ;
    L3: γ⁵ + (2+μ)γ⁴ + (1+2μ)γ³ − (1−μ)γ² − 2(1−μ)γ − (1−μ) = 0, x = −μ − γ.
    """
    quintics = {
        1: [1.0, -(3.0 - mu), 3.0 - 2.0 * mu, -mu, 2.0 * mu, -mu],
        2: [1.0, 3.0 - mu, 3.0 - 2.0 * mu, -mu, -2.0 * mu, -mu],
        3: [1.0, 2.0 + mu, 1.0 + 2.0 * mu, -(1.0 - mu), -2.0 * (1.0 - mu), -(1.0 - mu)],
    }
    hill = (mu / 3.0) ** (1.0 / 3.0)
    guesses = {1: hill, 2: hill, 3: 1.0 - 7.0 * mu / 12.0}
    gammas = {}
    for which, coeffs in quintics.items():
        g = guesses[which]
        deriv = [c * (5 - i) for i, c in enumerate(coeffs[:-1])]
        for _ in range(50):
            step = _horner(coeffs, g) / _horner(deriv, g)
            g -= step
            if abs(step) < 1e-15:
                break
        gammas[which] = g
    return 1.0 - mu - gammas[1], 1.0 - mu + gammas[2], -mu - gammas[3]


def _horner(coeffs: list[float], x: float) -> float:
    acc = 0.0
    for c in coeffs:
        acc = acc * x + c
    return acc
