"""Impulsive transfers between a lunar orbit and the Earth in the Earth–Moon CR3BP: pure kernels.

Return (``solve_return``): from a state on the station's orbit, one impulsive burn Δv, then a
ballistic coast to the entry interface: the geocentric radius R_E + h_EI (h_EI = 121.92 km,
400,000 ft) reached with the inertial flight-path angle γ_EI (negative, descending). Unknowns Δv
(3) and the time of flight T; two equality constraints at t = T,

    |r − r_E| = R_EI,    sin γ = (r − r_E)·v_in / (|r − r_E| |v_in|) = sin γ_EI,

with v_in = v + ẑ × (r − r_E) the velocity relative to the Earth in inertial axes, and one
inequality: the coast never passes closer than 100 km over the lunar surface (the closest of 200
samples along the coast, refined on a finer grid around a close pass; gradient from the STM to
that point); minimise |Δv|
(SLSQP, gradients from the state transition matrix: ∂x_T/∂Δv = Φ[:, 3:6], ∂x_T/∂T = f(x_T)).
Earth → orbit (``solve_arrival``) is the same problem run backwards in time: from the arrival
state, a burn −Δv and a backward coast to a circular parking orbit's radius with γ = 0 (the
trans-lunar injection point), then the TLI Δv is the speed difference there.

Initial guess: the inertial velocity that puts a two-body Earth perigee at the target radius,
keeping the radial speed (good when the departure is far from the Moon); close to the Moon the
caller continues from a neighbouring solution (see :func:`lifeboat.cislunar.returns`). Units:
nondimensional CR3BP (L*, T*), km and days only in the result helpers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq, minimize

from lifeboat.cislunar import physics as phy

R_EARTH_KM = 6378.137
ENTRY_INTERFACE_ALTITUDE_KM = 121.92  # 400,000 ft
DEFAULT_ENTRY_FPA_DEG = -6.0
EARTH = np.array([-phy.MU, 0.0, 0.0])
MOON = np.array([1.0 - phy.MU, 0.0, 0.0])
MIN_LUNAR_PASS_ALTITUDE_KM = 100.0
MIN_LUNAR_PASS_RADIUS = (phy.MOON_RADIUS_KM + MIN_LUNAR_PASS_ALTITUDE_KM) / phy.LENGTH_UNIT_KM
CLEARANCE_SAMPLES = 200


@dataclass(frozen=True)
class Leg:
    """One solved impulsive leg (nondimensional): the burn, the coast time (always positive; for
    an arrival leg it runs backwards from the burn), and the state at the Earth end."""

    dv: np.ndarray
    tof: float
    end_state: np.ndarray
    converged: bool

    @property
    def dv_km_s(self) -> float:
        return float(np.linalg.norm(self.dv) * phy.VELOCITY_UNIT_KM_S)

    @property
    def tof_days(self) -> float:
        return phy.tu_to_days(self.tof)


def earth_relative(state: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Geocentric position and inertial velocity (rotating-frame axes, nondimensional)."""
    r = state[:3] - EARTH
    v = state[3:6] + np.array([-r[1], r[0], 0.0])
    return r, v


def flight_path(state: np.ndarray) -> tuple[float, float, float]:
    """Geocentric radius (km), inertial speed (km/s) and flight-path angle (deg) of a state."""
    r, v = earth_relative(state)
    rn, vn = float(np.linalg.norm(r)), float(np.linalg.norm(v))
    return (rn * phy.LENGTH_UNIT_KM, vn * phy.VELOCITY_UNIT_KM_S,
            math.degrees(math.asin(max(-1.0, min(1.0, float(r @ v) / (rn * vn))))))


def _targets(state: np.ndarray, radius: float, sin_gamma: float) -> np.ndarray:
    r, v = earth_relative(state)
    rn, vn = np.linalg.norm(r), np.linalg.norm(v)
    return np.array([rn - radius, (r @ v) / (rn * vn) - sin_gamma])


def _targets_jac(state: np.ndarray, radius: float, sin_gamma: float) -> np.ndarray:
    """∂(targets)/∂(state), by central differences of a closed-form function (cheap)."""
    jac = np.empty((2, 6))
    for k in range(6):
        h = 1e-7 * max(1.0, abs(state[k]))
        e = np.zeros(6)
        e[k] = h
        jac[:, k] = (_targets(state + e, radius, sin_gamma) - _targets(state - e, radius, sin_gamma)) / (2 * h)
    return jac


def _plane_margin(state: np.ndarray, plane) -> float:
    """c² − (n·ẑ)² for the Earth-relative orbit plane normal n in inertial axes (≥ 0 wanted)."""
    rot, c = plane
    r, v = earth_relative(state)
    n = rot @ np.cross(r, v)
    nz = n[2] / np.linalg.norm(n)
    return c * c - nz * nz


def two_body_guess(state: np.ndarray, radius: float, direction: float = 1.0) -> tuple[np.ndarray, float]:
    """Δv (rotating-frame components) giving a two-body Earth orbit with perigee ``radius`` from
    ``state`` (radial speed kept), and the time to reach it (TU, from sampling the CR3BP coast)."""
    r, v = earth_relative(state)
    rn = float(np.linalg.norm(r))
    r_hat = r / rn
    vr = float(v @ r_hat)
    vt_vec = v - vr * r_hat
    vt_now = float(np.linalg.norm(vt_vec))
    t_hat = vt_vec / vt_now if vt_now > 1e-12 else np.cross([0.0, 0.0, 1.0], r_hat)
    mu_e = 1.0 - phy.MU

    def perigee(vt: float) -> float:
        h = rn * vt
        energy = 0.5 * (vr * vr + vt * vt) - mu_e / rn
        p = h * h / mu_e
        e = math.sqrt(max(0.0, 1.0 + 2.0 * energy * p / mu_e))
        return p / (1.0 + e)

    vt_max = max(vt_now, math.sqrt(2 * mu_e / rn))
    vt = brentq(lambda x: perigee(x) - radius, 1e-9, vt_max) if perigee(vt_max) > radius else vt_now
    # Keep the current sense of rotation about the Earth (the cheaper one).
    dv_in = (vr * r_hat + vt * t_hat) - v
    # Rotating-frame Δv equals the inertial Δv (same axes at the burn instant).
    x1 = state.copy()
    x1[3:6] += dv_in
    times = direction * np.linspace(0.02, 3.5, 350)
    path = phy.sample(x1, times)
    dist = np.linalg.norm(path[:, :3] - EARTH, axis=1)
    k = int(np.argmin(dist))
    return dv_in, float(abs(times[k]))


def lunar_escape_guess(state: np.ndarray, v_inf_km_s: float = 0.85,
                       tof_days: float = 4.0) -> tuple[np.ndarray, float]:
    """Burn along the Moon-relative inertial velocity up to the speed of a lunar hyperbola with
    excess ``v_inf_km_s`` (≈ the Moon's orbital speed less the ~0.18 km/s a fall to a 6,500 km
    Earth perigee keeps): the guess for departures close to the Moon (low lunar orbits)."""
    rho = state[:3] - MOON
    v_rel = state[3:6] + np.array([-rho[1], rho[0], 0.0])
    d = float(np.linalg.norm(rho))
    v_inf = v_inf_km_s / phy.VELOCITY_UNIT_KM_S
    speed = math.sqrt(v_inf * v_inf + 2.0 * phy.MU / d)
    v_hat = v_rel / np.linalg.norm(v_rel)
    return (speed - float(np.linalg.norm(v_rel))) * v_hat, phy.days_to_tu(tof_days)


def solve_leg(
    state: np.ndarray,
    *,
    radius: float,
    sin_gamma: float,
    guess: tuple[np.ndarray, float] | None = None,
    backwards: bool = False,
    max_tof: float = phy.days_to_tu(12.0),
    min_tof: float = phy.days_to_tu(0.5),
    max_iter: int = 60,
    rtol: float = 1e-11,
    min_moon_radius: float = MIN_LUNAR_PASS_RADIUS,
    plane: tuple[np.ndarray, float] | None = None,
    propagate_stm=phy.propagate_stm,
) -> Leg:
    """Minimum-|Δv| burn at ``state`` reaching geocentric ``radius`` with sin γ = ``sin_gamma``
    after a coast of T ∈ [min_tof, max_tof] (backwards in time when ``backwards``), never
    closer to the Moon's centre than ``min_moon_radius`` (nondimensional). ``plane = (R, c)``
    asks that the orbit plane at the Earth end, turned to Earth-centred inertial axes by the
    rotation ``R``, has |cos i| ≤ c (inclination at least the launch site's latitude).
    ``propagate_stm(state, t, rtol=, atol=) → (state, Φ)`` may be swapped (benchmarks)."""
    sign = -1.0 if backwards else 1.0
    if guess is None:
        guess = two_body_guess(state, radius, sign)
    z0 = np.concatenate([np.asarray(guess[0], float), [min(max(guess[1], min_tof), max_tof)]])
    cache: dict = {}
    calls = [0]

    def run(z):
        key = z.tobytes()
        if key not in cache:
            x1 = state.copy()
            x1[3:6] += z[:3]
            calls[0] += 1
            cache.clear()
            cache[key] = propagate_stm(x1, sign * z[3], rtol=rtol, atol=rtol)
        return cache[key]

    # Scaled unknowns: Δv in units of 0.1 km/s, T in days; constraints in km and ~mrad.
    sv, st = 0.1 / phy.VELOCITY_UNIT_KM_S, phy.days_to_tu(1.0)
    scale = np.array([sv, sv, sv, st])
    cscale = np.array([phy.LENGTH_UNIT_KM / 100.0, 100.0])

    def cons(y):
        return _targets(run(y * scale)[0], radius, sin_gamma) * cscale

    def cons_jac(y):
        xf, phi = run(y * scale)
        dxf = np.column_stack([phi[:, 3:6], sign * phy.eom(xf)])
        return (_targets_jac(xf, radius, sin_gamma) @ dxf) * scale * cscale[:, None]

    clear_cache: dict = {}

    def clearance(y):
        key = y.tobytes()
        if key not in clear_cache:
            clear_cache.clear()
            clear_cache[key] = _clearance(y)
        return clear_cache[key]

    def _clearance(y):
        z = y * scale
        x1 = state.copy()
        x1[3:6] += z[:3]
        times = sign * np.linspace(0.0, z[3], CLEARANCE_SAMPLES)
        path = phy.sample(x1, times)
        dist = np.linalg.norm(path[:, :3] - MOON, axis=1)
        k = int(np.argmin(dist))
        if 0 < k < len(times) - 1 and dist[k] < 4.0 * min_moon_radius:
            # A close pass: resample finely between the neighbouring samples.
            fine_t = np.linspace(0.0, times[k + 1] - times[k - 1], 64)
            fine = phy.sample(path[k - 1], fine_t)
            fine_d = np.linalg.norm(fine[:, :3] - MOON, axis=1)
            j = int(np.argmin(fine_d))
            if fine_d[j] < dist[k]:
                return k, times[k - 1] + fine_t[j], fine[j], fine_d[j]
        return k, times[k], path[k], dist[k]

    def clear_fun(y):
        return np.array([(clearance(y)[3] - min_moon_radius) * cscale[0]])

    def clear_jac(y):
        k, t_k, x_k, d_k = clearance(y)
        if k == 0:
            return np.zeros((1, 4))
        z = y * scale
        x1 = state.copy()
        x1[3:6] += z[:3]
        _, phi = propagate_stm(x1, t_k, rtol=rtol, atol=rtol)
        unit = (x_k[:3] - MOON) / d_k
        grad = np.concatenate([unit @ phi[:3, 3:6], [0.0]])
        return (grad * scale * cscale[0])[None, :]

    def plane_fun(y):
        return np.array([_plane_margin(run(y * scale)[0], plane)])

    def plane_jac(y):
        xf, phi = run(y * scale)
        jac = np.empty(6)
        for k in range(6):
            h = 1e-7 * max(1.0, abs(xf[k]))
            e = np.zeros(6)
            e[k] = h
            jac[k] = (_plane_margin(xf + e, plane) - _plane_margin(xf - e, plane)) / (2 * h)
        dxf = np.column_stack([phi[:, 3:6], sign * phy.eom(xf)])
        return ((jac @ dxf) * scale)[None, :]

    def optimise(y0, with_clearance: bool):
        constraints = [{"type": "eq", "fun": cons, "jac": cons_jac}]
        if plane is not None:
            constraints.append({"type": "ineq", "fun": plane_fun, "jac": plane_jac})
        if with_clearance:
            constraints.append({"type": "ineq", "fun": clear_fun, "jac": clear_jac})
        return minimize(
            lambda y: 0.5 * float(y[:3] @ y[:3]),
            y0,
            jac=lambda y: np.concatenate([y[:3], [0.0]]),
            constraints=constraints,
            bounds=[(None, None)] * 3 + [(min_tof / st, max_tof / st)],
            method="SLSQP",
            options={"maxiter": max_iter, "ftol": 1e-6},
        )

    def attempt(y0):
        # The clearance constraint costs a sampled coast per call: add it only when needed.
        res = optimise(y0, False)
        if clearance(res.x)[3] < min_moon_radius:
            res = optimise(y0, True)
        return res.x * scale

    def feasible(z) -> bool:
        miss = _targets(run(z)[0], radius, sin_gamma)
        return bool(abs(miss[0]) * phy.LENGTH_UNIT_KM < 0.5 and abs(miss[1]) < 1e-5
                    and clearance(z / scale)[3] >= min_moon_radius - 1.0 / phy.LENGTH_UNIT_KM
                    and (plane is None or _plane_margin(run(z)[0], plane) >= -1e-6))

    try:
        z = attempt(z0 / scale)
        if not feasible(z):  # restart from the constraint surface
            z = attempt(_restore(z0 / scale, cons, cons_jac, (min_tof / st, max_tof / st)))
        xf = run(z)[0]
    except RuntimeError:  # a trial coast through the centre of the Earth or the Moon
        return Leg(z0[:3].copy(), float(z0[3]), np.asarray(state, float).copy(), False)
    return Leg(z[:3].copy(), float(z[3]), xf, feasible(z))


def _restore(y: np.ndarray, cons, cons_jac, t_bounds, iterations: int = 20) -> np.ndarray:
    """Damped minimum-norm Newton steps on the equality constraints alone (scaled unknowns), so
    that the optimiser starts on or near the constraint surface; steps limited to 0.2 km/s and
    half a day."""
    y = y.copy()
    for _ in range(iterations):
        c = cons(y)
        if np.max(np.abs(c)) < 1e-3:
            break
        jac = cons_jac(y)
        try:
            step = jac.T @ np.linalg.solve(jac @ jac.T, -c)
        except np.linalg.LinAlgError:
            break
        step *= min(1.0, 2.0 / max(np.linalg.norm(step[:3]), 1e-300), 0.5 / max(abs(step[3]), 1e-300))
        y = y + step
        y[3] = min(max(y[3], t_bounds[0]), t_bounds[1])
    return y


def entry_target(ei_altitude_km: float = ENTRY_INTERFACE_ALTITUDE_KM,
                 fpa_deg: float = DEFAULT_ENTRY_FPA_DEG) -> tuple[float, float]:
    """(radius nondim, sin γ) of the entry interface target."""
    return (R_EARTH_KM + ei_altitude_km) / phy.LENGTH_UNIT_KM, math.sin(math.radians(fpa_deg))


@dataclass(frozen=True)
class FlybyLeg:
    """A two-burn leg through a powered lunar flyby (nondimensional): a burn on the station's
    orbit, a coast to a lunar perilune, a burn there, a coast to the Earth end. For an Earth →
    orbit leg the coasts run backwards in time from the orbit."""

    dv_orbit: np.ndarray
    tof_to_flyby: float
    flyby_state: np.ndarray  # before the flyby burn
    dv_flyby: np.ndarray
    tof_from_flyby: float
    end_state: np.ndarray
    converged: bool

    @property
    def dv_km_s(self) -> float:
        return float((np.linalg.norm(self.dv_orbit) + np.linalg.norm(self.dv_flyby))
                     * phy.VELOCITY_UNIT_KM_S)

    @property
    def orbit_dv_km_s(self) -> float:
        return float(np.linalg.norm(self.dv_orbit) * phy.VELOCITY_UNIT_KM_S)

    @property
    def flyby_dv_km_s(self) -> float:
        return float(np.linalg.norm(self.dv_flyby) * phy.VELOCITY_UNIT_KM_S)

    @property
    def tof_days(self) -> float:
        return phy.tu_to_days(self.tof_to_flyby + self.tof_from_flyby)

    @property
    def flyby_altitude_km(self) -> float:
        return float(np.linalg.norm(self.flyby_state[:3] - MOON) * phy.LENGTH_UNIT_KM
                     - phy.MOON_RADIUS_KM)


def solve_flyby_leg(state: np.ndarray, *, radius: float, sin_gamma: float,
                    tof_to_flyby: float, guess: FlybyLeg | None = None, backwards: bool = False,
                    min_moon_radius: float = MIN_LUNAR_PASS_RADIUS,
                    max_flyby_altitude_km: float = 2_000.0, max_iter: int = 1500) -> FlybyLeg:
    """Minimum total Δv of a powered-flyby leg by multiple shooting: unknowns the orbit burn, the
    coast to the flyby, the flyby state itself (6), the flyby burn and the coast to the Earth
    end; constraints continuity at the flyby (6), a perilune there (ρ·v = 0), its radius between
    ``min_moon_radius`` and the Moon's radius + ``max_flyby_altitude_km``, and the Earth-end
    target (as :func:`solve_leg`). Without ``guess``, the flyby starts at the orbit's own state
    ``tof_to_flyby`` later (its perilune) with the direct leg from there."""
    sign = -1.0 if backwards else 1.0
    max_flyby_radius = (phy.MOON_RADIUS_KM + max_flyby_altitude_km) / phy.LENGTH_UNIT_KM
    if guess is None:
        xa0 = phy.propagate(state, sign * tof_to_flyby)
        direct = solve_leg(xa0, radius=radius, sin_gamma=sin_gamma, backwards=backwards,
                           min_moon_radius=min_moon_radius)
        start = (np.full(3, 1e-5), tof_to_flyby, xa0, direct.dv, direct.tof)
    else:
        start = (guess.dv_orbit, tof_to_flyby, guess.flyby_state, guess.dv_flyby,
                 guess.tof_from_flyby)
    sv, st = 0.1 / phy.VELOCITY_UNIT_KM_S, phy.days_to_tu(1.0)
    sx = np.array([1e3 / phy.LENGTH_UNIT_KM] * 3 + [sv] * 3)
    scale = np.concatenate([[sv] * 3, [st], sx, [sv] * 3, [st]])
    z0 = np.concatenate([start[0], [start[1]], start[2], start[3], [start[4]]]) / scale
    cs = np.array([phy.LENGTH_UNIT_KM / 100.0, 100.0])
    eps = 1e-6
    cache: dict = {}

    def run(y):
        key = y.tobytes()
        if key not in cache:
            z = y * scale
            x1 = state.copy()
            x1[3:6] += z[:3]
            xa, p1 = phy.propagate_stm(x1, sign * z[3])
            x2 = z[4:10].copy()
            x2[3:6] += z[10:13]
            xf, p2 = phy.propagate_stm(x2, sign * z[13])
            cache.clear()
            cache[key] = (xa, p1, xf, p2)
        return cache[key]

    def objective(y):
        return float(np.sqrt(y[:3] @ y[:3] + eps) + np.sqrt(y[10:13] @ y[10:13] + eps))

    def objective_jac(y):
        g = np.zeros(14)
        g[:3] = y[:3] / np.sqrt(y[:3] @ y[:3] + eps)
        g[10:13] = y[10:13] / np.sqrt(y[10:13] @ y[10:13] + eps)
        return g

    def eq(y):
        z = y * scale
        xa, _, xf, _ = run(y)
        rho = z[4:7] - MOON
        return np.concatenate([(xa - z[4:10]) / sx, [rho @ z[7:10] * 1e3],
                               _targets(xf, radius, sin_gamma) * cs])

    def eq_jac(y):
        z = y * scale
        xa, p1, xf, p2 = run(y)
        jac = np.zeros((9, 14))
        jac[:6, :3] = p1[:, 3:6]
        jac[:6, 3] = sign * phy.eom(xa)
        jac[:6, 4:10] = -np.eye(6)
        jac[:6] /= sx[:, None]
        jac[6, 4:7] = z[7:10] * 1e3
        jac[6, 7:10] = (z[4:7] - MOON) * 1e3
        tj = _targets_jac(xf, radius, sin_gamma)
        jac[7:9, 4:10] = tj @ p2
        jac[7:9, 10:13] = tj @ p2[:, 3:6]
        jac[7:9, 13] = tj @ (sign * phy.eom(xf))
        jac[7:9] *= cs[:, None]
        return jac * scale

    def ineq(y):
        d = np.linalg.norm(y[4:7] * scale[4:7] - MOON)
        return np.array([d - min_moon_radius, max_flyby_radius - d]) * cs[0]

    def ineq_jac(y):
        z = y * scale
        u = (z[4:7] - MOON) / np.linalg.norm(z[4:7] - MOON)
        jac = np.zeros((2, 14))
        jac[0, 4:7] = u
        jac[1, 4:7] = -u
        return jac * scale * cs[0]

    t_max = phy.days_to_tu(12.0) / st
    try:
        res = minimize(objective, z0, jac=objective_jac, method="SLSQP",
                       constraints=[{"type": "eq", "fun": eq, "jac": eq_jac},
                                    {"type": "ineq", "fun": ineq, "jac": ineq_jac}],
                       bounds=[(None, None)] * 3 + [(phy.days_to_tu(0.05) / st, t_max)]
                       + [(None, None)] * 9 + [(phy.days_to_tu(0.5) / st, t_max)],
                       options={"maxiter": max_iter, "ftol": 1e-8})
        y = res.x
        z = y * scale
        xa, _, xf, _ = run(y)
        x2 = z[4:10].copy()
        x2[3:6] += z[10:13]
        ok = bool(np.max(np.abs(eq(y))) < 1e-4 and np.min(ineq(y)) > -1e-3
                  and _coast_clear(state, z[:3], sign * z[3], min_moon_radius)
                  and _coast_clear(x2, np.zeros(3), sign * z[13], min_moon_radius))
    except RuntimeError:  # a trial coast through the centre of the Earth or the Moon
        return FlybyLeg(start[0], start[1], start[2], start[3], start[4], state, False)
    return FlybyLeg(z[:3].copy(), float(z[3]), z[4:10].copy(), z[10:13].copy(), float(z[13]),
                    xf, ok)


def _coast_clear(state, dv, t, min_moon_radius) -> bool:
    """Whether a coast of ``t`` after the burn ``dv`` stays ``min_moon_radius`` from the Moon's
    centre (400 samples; the flyby's own perilune is checked by the solver's constraints)."""
    x1 = np.asarray(state, float).copy()
    x1[3:6] += dv
    dist = np.linalg.norm(phy.sample(x1, np.linspace(0.0, t, 400))[:, :3] - MOON, axis=1)
    return bool(dist.min() >= min_moon_radius - 1.0 / phy.LENGTH_UNIT_KM)
