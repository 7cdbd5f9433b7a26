"""Lunar orbits a station can occupy, in the Earth–Moon CR3BP, with a phase clock.

Three kinds (:class:`LunarOrbitSpec` → :func:`build_orbit` → :class:`LunarOrbit`):

* ``nrho`` – a halo/NRHO member (``family`` and one of ``period_days``, ``resonance``,
  ``perilune_radius_km``) from :func:`lifeboat.cislunar.halo.solve_nrho`;
* ``dro`` – a planar distant retrograde orbit about the Moon, chosen by ``period_days`` or by
  ``perilune_radius_km`` (its crossing of the Earth–Moon line on the Earth side);
* ``elements`` – a low or elliptical lunar orbit from Moon-centred Keplerian elements
  (``semi_major_axis_km`` or ``perilune_altitude_km`` + ``apolune_altitude_km``, ``eccentricity``,
  ``inclination_deg``, ``raan_deg``, ``arg_perilune_deg``). Their axes are the rotating frame's at
  the perilune epoch (x̂ from Earth to Moon, ẑ along the Earth–Moon orbital angular momentum),
  held inertial; the station follows the two-body ellipse (lunar gravity only: over one day the
  Earth's tide moves a 100 km orbit by well under a kilometre), and its CR3BP state is that
  inertial state seen in the rotating frame.

Phase convention (all kinds): phase 0° at perilune, 180° at apolune, proportional to time
(``phase_deg = 360 × (t − t_perilune) / P``). The scenario's perilune epoch ties phase 0 to UTC.
A CR3BP periodic orbit (NRHO, DRO) is the same in the rotating frame after every period, so its
phase alone fixes the departure geometry; an ``elements`` orbit also turns relative to the
Earth–Moon line (13.2° a day), so for it the time since the perilune epoch matters.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cache
from typing import Literal

import numpy as np

from lifeboat.cislunar import physics as phy
from lifeboat.errors import InputError

DRO_MIN_PERILUNE_KM = 3_000.0
DRO_MAX_PERILUNE_KM = 90_000.0


@dataclass(frozen=True)
class LunarOrbitSpec:
    """Where a station flies around the Moon (see the module docstring for each kind)."""

    kind: Literal["nrho", "dro", "elements"] = "nrho"
    family: str = "l2-south"
    period_days: float | None = None
    resonance: str | None = None
    perilune_radius_km: float | None = None
    semi_major_axis_km: float | None = None
    perilune_altitude_km: float | None = None
    apolune_altitude_km: float | None = None
    eccentricity: float = 0.0
    inclination_deg: float = 90.0
    raan_deg: float = 0.0
    arg_perilune_deg: float = 0.0


@dataclass(frozen=True)
class LunarOrbit:
    """A station orbit: its CR3BP state at perilune (phase 0, nondimensional, rotating frame),
    its period, and how to place the station at any time after a perilune passage."""

    kind: str
    label: str
    state_perilune: np.ndarray
    period_tu: float
    period_days: float
    perilune_radius_km: float
    apolune_radius_km: float
    periodic_in_rotating_frame: bool
    elements: tuple[float, ...] | None = None  # a, e, i, Ω, ω (nondim length, rad) for kind elements
    notes: list[str] = field(default_factory=list)

    def state_at(self, t_tu: float) -> np.ndarray:
        """Rotating-frame state (nondimensional) ``t_tu`` time units after a perilune passage."""
        return self.states_at(np.array([float(t_tu)]))[0]

    def states_at(self, t_tu) -> np.ndarray:
        """States (n, 6) at times (time units after a perilune passage; any order, ≥ 0)."""
        t = np.asarray(t_tu, dtype=float).ravel()
        if self.elements is not None:
            return _kepler_rotating(self.elements, t)
        local = np.mod(t, self.period_tu)
        order = np.argsort(local)
        out = np.empty((t.size, 6))
        out[order] = phy.sample(self.state_perilune, local[order])
        return out

    def phase_deg_at(self, t_tu: float) -> float:
        """Phase (deg, 0 at perilune, 180 at apolune) ``t_tu`` after a perilune passage."""
        return float((t_tu / self.period_tu) % 1.0 * 360.0)

    def points_km(self, n: int = 400) -> np.ndarray:
        """One period as (n, 3) Moon-centred positions (km, rotating-frame axes at the perilune
        epoch), for plots."""
        states = self.states_at(np.linspace(0.0, self.period_tu, n))
        return (states[:, :3] - np.array([1.0 - phy.MU, 0.0, 0.0])) * phy.LENGTH_UNIT_KM


def build_orbit(spec: LunarOrbitSpec, *, param_prefix: str = "") -> LunarOrbit:
    """Solve the orbit a spec describes. Raises :class:`InputError` for an orbit that does not
    exist (outside its family's range, below the lunar surface, unbound)."""
    key = tuple(sorted(vars(spec).items()))
    return _build_cached(key, param_prefix)


@cache
def _build_cached(key, param_prefix: str) -> LunarOrbit:
    spec = LunarOrbitSpec(**dict(key))
    if spec.kind == "nrho":
        return _nrho(spec)
    if spec.kind == "dro":
        return _dro(spec, param_prefix)
    if spec.kind == "elements":
        return _elements(spec, param_prefix)
    raise InputError(f"unknown lunar orbit kind {spec.kind!r}; expected nrho, dro or elements",
                     param=param_prefix + "kind")


def gateway_spec() -> LunarOrbitSpec:
    """The Gateway's orbit: the 9:2 L2-south NRHO."""
    return LunarOrbitSpec(kind="nrho", family="l2-south", resonance="9:2")


# --- NRHO --------------------------------------------------------------------------------------


def _nrho(spec: LunarOrbitSpec) -> LunarOrbit:
    from lifeboat.cislunar.halo import solve_nrho

    given = [v is not None for v in (spec.period_days, spec.resonance, spec.perilune_radius_km)]
    if sum(given) > 1:
        raise InputError("give one of period_days, resonance and perilune_radius_km for an NRHO",
                         param="period_days")
    orbit = solve_nrho(spec.family, period_days=spec.period_days, resonance=spec.resonance,
                       perilune_radius_km=spec.perilune_radius_km)
    perilune = phy.propagate(orbit.state0, 0.5 * orbit.period_tu)  # state0 is at apolune
    what = (f"resonance {spec.resonance}" if spec.resonance else
            f"perilune {spec.perilune_radius_km:g} km" if spec.perilune_radius_km else
            f"period {orbit.period_days:.3f} d")
    return LunarOrbit("nrho", f"{orbit.family} NRHO ({what})", perilune, orbit.period_tu,
                      orbit.period_days, orbit.perilune_radius_km, orbit.apolune_radius_km, True,
                      notes=list(orbit.notes))


# --- DRO ---------------------------------------------------------------------------------------


def _dro_correct(x0: float, vy0: float, tau: float) -> tuple[float, float] | None:
    """Planar symmetric orbit through (x0, 0) perpendicular to the x axis: Newton on (vy0, τ) so
    that y = vx = 0 at the half period τ. Returns (vy0, τ) or None."""
    for _ in range(30):
        sf, phi = phy.propagate_stm(np.array([x0, 0.0, 0.0, 0.0, vy0, 0.0]), tau)
        res = sf[[1, 3]]
        if np.max(np.abs(res)) < 1e-11:
            return vy0, tau
        f = phy.eom(sf)
        jac = np.array([[phi[1, 4], f[1]], [phi[3, 4], f[3]]])
        step = np.linalg.solve(jac, -res)
        scale = min(1.0, 0.05 / max(np.max(np.abs(step)), 1e-300))
        vy0 += scale * step[0]
        tau += scale * step[1]
        if tau <= 0.0:
            return None
    return None


@cache
def _dro_family() -> tuple[tuple[float, float, float], ...]:
    """(Earth-side distance from the Moon (nondim), vy0, τ) from 3,000 km to 90,000 km."""
    moon_x = 1.0 - phy.MU
    members: list[tuple[float, float, float]] = []
    d = DRO_MIN_PERILUNE_KM / phy.LENGTH_UNIT_KM
    while d * phy.LENGTH_UNIT_KM <= DRO_MAX_PERILUNE_KM * 1.03:
        # Seed: a retrograde circle about the Moon (speed √(μ/d) relative to the Moon, +y on the
        # Earth side; the rotating frame adds −ω × (−d x̂) = +d ŷ), period 2π/(n + 1).
        circle = (math.sqrt(phy.MU / d) + d, math.pi / (math.sqrt(phy.MU / d**3) + 1.0))
        guesses = [circle]
        if len(members) >= 2:  # extrapolate along the family in log d
            (d1, v1, t1), (d2, v2, t2) = members[-2], members[-1]
            w = math.log(d / d2) / math.log(d2 / d1)
            guesses.insert(0, (v2 + w * (v2 - v1), t2 + w * (t2 - t1)))
        sol = next((s for g in guesses if (s := _dro_correct(moon_x - d, *g)) is not None), None)
        if sol is None:
            break
        members.append((d, sol[0], sol[1]))
        d *= 1.03
    return tuple(members)


def _dro(spec: LunarOrbitSpec, prefix: str) -> LunarOrbit:
    from scipy.optimize import brentq

    members = _dro_family()
    moon_x = 1.0 - phy.MU
    if (spec.period_days is None) == (spec.perilune_radius_km is None):
        raise InputError("a DRO needs exactly one of period_days and perilune_radius_km",
                         param=prefix + "period_days")

    def solve_at(d: float) -> tuple[float, float]:
        i = min(range(len(members)), key=lambda k: abs(members[k][0] - d))
        sol = _dro_correct(moon_x - d, members[i][1], members[i][2])
        if sol is None:
            raise RuntimeError("DRO differential correction did not converge")
        return sol

    ds = np.array([m[0] for m in members])
    periods_days = np.array([phy.tu_to_days(2.0 * m[2]) for m in members])
    if spec.perilune_radius_km is not None:
        d = spec.perilune_radius_km / phy.LENGTH_UNIT_KM
        if not ds[0] <= d <= ds[-1]:
            raise InputError(
                f"a DRO with perilune radius {spec.perilune_radius_km:g} km is outside the "
                f"computed family ({ds[0] * phy.LENGTH_UNIT_KM:,.0f}-"
                f"{ds[-1] * phy.LENGTH_UNIT_KM:,.0f} km)", param=prefix + "perilune_radius_km")
    else:
        target = float(spec.period_days)
        if not periods_days.min() <= target <= periods_days.max():
            raise InputError(
                f"a DRO with period {target:g} d is outside the computed family "
                f"({periods_days.min():.2f}-{periods_days.max():.2f} d)", param=prefix + "period_days")
        i = int(np.flatnonzero(np.diff(np.sign(periods_days - target)) != 0)[0]) \
            if np.any(np.diff(np.sign(periods_days - target)) != 0) else int(np.argmin(abs(periods_days - target)))
        d = brentq(lambda x: phy.tu_to_days(2.0 * solve_at(x)[1]) - target, ds[i], ds[min(i + 1, len(ds) - 1)],
                   xtol=1e-12) if i + 1 < len(ds) else ds[i]
    vy0, tau = solve_at(d)
    state = np.array([moon_x - d, 0.0, 0.0, 0.0, vy0, 0.0])
    period = 2.0 * tau
    path = phy.sample(state, np.linspace(0.0, period, 801)[1:])
    dist = np.linalg.norm(path[:, :3] - np.array([moon_x, 0.0, 0.0]), axis=1)
    return LunarOrbit("dro", f"DRO (period {phy.tu_to_days(period):.3f} d)", state, period,
                      phy.tu_to_days(period), min(d, float(dist.min())) * phy.LENGTH_UNIT_KM,
                      float(dist.max()) * phy.LENGTH_UNIT_KM, True,
                      notes=["phase 0 at the crossing of the Earth–Moon line on the Earth side"])


# --- Keplerian lunar orbits --------------------------------------------------------------------


def _elements(spec: LunarOrbitSpec, prefix: str) -> LunarOrbit:
    r_moon = phy.MOON_RADIUS_KM
    if spec.semi_major_axis_km is not None:
        a_km, e = float(spec.semi_major_axis_km), float(spec.eccentricity)
        if not 0.0 <= e < 1.0:
            raise InputError(f"eccentricity must be in [0, 1), got {e:g}", param=prefix + "eccentricity")
    elif spec.perilune_altitude_km is not None:
        rp = r_moon + float(spec.perilune_altitude_km)
        ra = r_moon + float(spec.apolune_altitude_km if spec.apolune_altitude_km is not None
                            else spec.perilune_altitude_km)
        if ra < rp:
            raise InputError("apolune altitude is below the perilune altitude",
                             param=prefix + "apolune_altitude_km")
        a_km, e = 0.5 * (rp + ra), (ra - rp) / (ra + rp)
    else:
        raise InputError("a lunar orbit by elements needs semi_major_axis_km or "
                         "perilune_altitude_km", param=prefix + "semi_major_axis_km")
    rp_km, ra_km = a_km * (1.0 - e), a_km * (1.0 + e)
    if rp_km < r_moon + 10.0:
        raise InputError(f"perilune radius {rp_km:,.0f} km is below 10 km over the lunar surface "
                         f"(radius {r_moon} km)", param=prefix + "semi_major_axis_km")
    if ra_km > 40_000.0:
        raise InputError(f"apolune radius {ra_km:,.0f} km is beyond 40,000 km, where the Earth's "
                         "pull makes a Keplerian lunar orbit meaningless; use an NRHO or DRO",
                         param=prefix + "semi_major_axis_km")
    els = (a_km / phy.LENGTH_UNIT_KM, e, math.radians(spec.inclination_deg),
           math.radians(spec.raan_deg), math.radians(spec.arg_perilune_deg))
    n = math.sqrt(phy.MU / els[0] ** 3)
    period = 2.0 * math.pi / n
    state = _kepler_rotating(els, np.array([0.0]))[0]
    return LunarOrbit("elements", f"lunar orbit {rp_km - r_moon:,.0f} x {ra_km - r_moon:,.0f} km, "
                      f"i = {spec.inclination_deg:g}°", state, period, phy.tu_to_days(period),
                      rp_km, ra_km, False, elements=els,
                      notes=["two-body lunar orbit; axes of the rotating frame at the perilune "
                             "epoch, held inertial"])


def _kepler_rotating(els, t: np.ndarray) -> np.ndarray:
    """Two-body lunar ellipse at times t (TU after perilune) → CR3BP rotating states."""
    a, e, inc, raan, argp = els
    mu = phy.MU
    n = math.sqrt(mu / a**3)
    m = n * t
    ecc = m.copy()
    for _ in range(30):
        ecc = ecc - (ecc - e * np.sin(ecc) - m) / (1.0 - e * np.cos(ecc))
    cos_e, sin_e = np.cos(ecc), np.sin(ecc)
    fac = math.sqrt(1.0 - e * e)
    x_p = a * (cos_e - e)
    y_p = a * fac * sin_e
    rdot = n * a / (1.0 - e * cos_e)
    vx_p = -rdot * sin_e
    vy_p = rdot * fac * cos_e
    cr, sr, ci, si, cw, sw = (math.cos(raan), math.sin(raan), math.cos(inc), math.sin(inc),
                              math.cos(argp), math.sin(argp))
    p_hat = np.array([cr * cw - sr * sw * ci, sr * cw + cr * sw * ci, sw * si])
    q_hat = np.array([-cr * sw - sr * cw * ci, -sr * sw + cr * cw * ci, cw * si])
    r_in = np.outer(x_p, p_hat) + np.outer(y_p, q_hat)
    v_in = np.outer(vx_p, p_hat) + np.outer(vy_p, q_hat)
    # Inertial (frame of t = 0) → rotating: rotate by −t about z; v_rot = R(v_in) − ω × r_rot.
    c, s = np.cos(t), np.sin(t)
    r_rot = np.column_stack([c * r_in[:, 0] + s * r_in[:, 1], -s * r_in[:, 0] + c * r_in[:, 1],
                             r_in[:, 2]])
    v_rot = np.column_stack([c * v_in[:, 0] + s * v_in[:, 1], -s * v_in[:, 0] + c * v_in[:, 1],
                             v_in[:, 2]])
    v_rot[:, 0] += r_rot[:, 1]
    v_rot[:, 1] -= r_rot[:, 0]
    r_rot[:, 0] += 1.0 - mu
    return np.column_stack([r_rot, v_rot])
