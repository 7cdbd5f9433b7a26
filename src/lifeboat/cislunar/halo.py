"""Halo and near-rectilinear halo orbits (NRHO) of the Earth–Moon CR3BP.

Method
------
Every halo orbit here is symmetric about the x–z plane: it crosses y = 0 perpendicularly twice
per period. We start at one crossing, state (x0, 0, z0, 0, vy0, 0), and ask that the half-period
state has y = vx = vz = 0 (single shooting with the state transition matrix):

* **z0 fixed** – unknowns x0, vy0 and the half period τ (3 × 3 Newton);
* **period fixed** – unknowns x0, z0, vy0 with τ = T/2 given (3 × 3 Newton);
* **pseudo-arclength continuation** – unknowns x0, z0, vy0, τ with the three crossing conditions
  plus a step of length ds along the family tangent (the null vector of the 3 × 4 Jacobian).

A family is seeded near the planar-Lyapunov/halo bifurcation of its libration point (a small
z0 fixed and a short search over x0), then continued by pseudo-arclength until the perilune
reaches ``MIN_PERILUNE_KM`` (the near-rectilinear end). Southern families have their larger
excursion below the Earth–Moon plane (z < 0); northern ones are their mirror images z → −z (a
symmetry of the CR3BP).

Resonance: the Gateway's 9:2 NRHO makes 9 revolutions per 2 synodic months. We use the mean
synodic month 29.530589 d, so P = 2 × 29.530589 d / 9 = 6.5624 d, converted to CR3BP time units
with T* (``physics.TIME_UNIT_S``). The CR3BP has no Sun, so the match is made in dimensional days
through our T*, not through a CR3BP synodic period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

import numpy as np
from scipy.optimize import brentq

from lifeboat.cislunar import physics as phy
from lifeboat.errors import InputError

SYNODIC_MONTH_DAYS = 29.530589
MIN_PERILUNE_KM = phy.MOON_RADIUS_KM + 250.0
FAMILIES = ("l1-north", "l1-south", "l2-north", "l2-south")

_NEWTON_TOL = 1e-11
_NEWTON_MAX_ITER = 30
_CROSSING_ROWS = [1, 3, 5]  # y, vx, vz at the half period


@dataclass(frozen=True)
class PeriodicOrbit:
    """One periodic orbit of the Earth–Moon CR3BP (L* = 384,400 km, T* = 4.3425 d).

    ``state0`` is the nondimensional rotating-frame state at the y = 0 crossing farther from the
    Moon (the apolune side for NRHOs); ``stability_index`` is ν = ½(|λ_max| + 1/|λ_max|) of the
    monodromy matrix, ``stability_indices`` the two nontrivial ½(λ + 1/λ) (real parts).
    """

    family: str
    state0: np.ndarray
    period_tu: float
    period_days: float
    perilune_radius_km: float
    apolune_radius_km: float
    perilune_altitude_km: float
    jacobi: float
    stability_index: float
    stability_indices: tuple[float, float]
    closure_km: float
    mu: float = phy.MU
    length_unit_km: float = phy.LENGTH_UNIT_KM
    time_unit_s: float = phy.TIME_UNIT_S
    notes: list[str] = field(default_factory=list)


# --- single shooting ---------------------------------------------------------------------------


def _crossing(x0: float, z0: float, vy0: float, tau: float):
    """Residual (y, vx, vz at τ) and its Jacobian with respect to (x0, z0, vy0, τ)."""
    s0 = np.array([x0, 0.0, z0, 0.0, vy0, 0.0])
    sf, phi = phy.propagate_stm(s0, tau)
    residual = sf[_CROSSING_ROWS]
    jac = np.column_stack(
        [phi[_CROSSING_ROWS, 0], phi[_CROSSING_ROWS, 2], phi[_CROSSING_ROWS, 4],
         phy.eom(sf)[_CROSSING_ROWS]]
    )
    return residual, jac


def _newton(unknowns: np.ndarray, free: list[int], extra=None) -> np.ndarray | None:
    """Newton on X = (x0, z0, vy0, τ) varying the indices in ``free``; ``extra(X)`` may add one
    scalar equation (value, gradient over all four). Returns the converged X or None."""
    x = unknowns.astype(float).copy()
    for _ in range(_NEWTON_MAX_ITER):
        res, jac = _crossing(*x)
        if extra is not None:
            value, grad = extra(x)
            res = np.append(res, value)
            jac = np.vstack([jac, grad])
        if np.max(np.abs(res)) < _NEWTON_TOL:
            return x
        step = np.linalg.lstsq(jac[:, free], -res, rcond=None)[0]
        # Limit the step so Newton cannot jump to another crossing or family.
        scale = min(1.0, 0.05 / max(np.max(np.abs(step)), 1e-300))
        x[free] += scale * step
        if x[3] <= 0.0:
            return None
    return None


def correct_z0_fixed(x0: float, z0: float, vy0: float, half_period_tu: float) -> np.ndarray | None:
    """Differential correction with z0 fixed: returns (x0, z0, vy0, τ) or None."""
    return _newton(np.array([x0, z0, vy0, half_period_tu]), [0, 2, 3])


def correct_period_fixed(x0: float, z0: float, vy0: float, half_period_tu: float) -> np.ndarray | None:
    """Differential correction with the period fixed: returns (x0, z0, vy0, τ) or None."""
    return _newton(np.array([x0, z0, vy0, half_period_tu]), [0, 1, 2])


# --- continuation ------------------------------------------------------------------------------


def _tangent(x: np.ndarray, previous: np.ndarray | None) -> np.ndarray:
    _, jac = _crossing(*x)
    t = np.linalg.svd(jac)[2][-1]
    if previous is not None and np.dot(t, previous) < 0.0:
        t = -t
    return t / np.linalg.norm(t)


def _seed(point: int) -> np.ndarray:
    """A small halo near the Lyapunov/halo bifurcation of L1 or L2: z0 = 0.01 fixed, x0 from a
    scan outward of the libration point, vy0 from the linear in-plane ratio, τ ≈ π/ω_p."""
    l1, l2, _ = phy.collinear_points()
    lx = l1 if point == 1 else l2
    gamma = abs(1.0 - phy.MU - lx)
    c2 = (phy.MU + (1.0 - phy.MU) * gamma**3 / (1.0 + (gamma if point == 2 else -gamma)) ** 3) / gamma**3
    wp = np.sqrt((2.0 - c2 + np.sqrt(9.0 * c2**2 - 8.0 * c2)) / 2.0)
    k = (wp**2 + 1.0 + 2.0 * c2) / (2.0 * wp)
    side = -1.0 if point == 1 else 1.0  # start on the side away from the Moon
    for ax in np.linspace(0.01, 0.06, 26):
        x0 = lx + side * ax
        vy0 = -k * wp * (x0 - lx)
        sol = correct_z0_fixed(x0, 0.01, vy0, np.pi / wp)
        if sol is not None and abs(sol[0] - lx) > 1e-3:
            return sol
    raise RuntimeError(f"no halo seed found near L{point}")


@cache
def _family_unknowns(point: int) -> tuple[tuple[float, ...], ...]:
    """Pseudo-arclength continuation from the seed to the near-rectilinear end."""
    x = _seed(point)
    members = [x]
    tangent = _tangent(x, None)
    # Orient the first step towards larger |z0| (away from the planar bifurcation).
    if tangent[1] * np.sign(x[1]) < 0.0:
        tangent = -tangent
    ds = 5e-3
    while len(members) < 2000:
        guess = x + ds * tangent
        anchor, direction = x.copy(), tangent.copy()

        def arclength(v, anchor=anchor, direction=direction, ds=ds):
            return np.dot(v - anchor, direction) - ds, direction

        new = _newton(guess, [0, 1, 2, 3], arclength)
        if new is None:
            ds *= 0.5
            if ds < 1e-6:
                break
            continue
        x = new
        members.append(x)
        tangent = _tangent(x, direction)
        if _perilune_radius_km(x) < MIN_PERILUNE_KM:
            break
        ds = min(ds * 1.5, 2e-2)
    return tuple(tuple(m) for m in members)


def _parse_family(family: str) -> tuple[int, bool]:
    m = re.fullmatch(r"l([12])-(north|south)", family.strip().lower())
    if not m:
        raise InputError(
            f"unknown family {family!r}; expected one of {', '.join(FAMILIES)}",
            source="--family",
        )
    return int(m.group(1)), m.group(2) == "south"


def _crossings(x) -> tuple[np.ndarray, np.ndarray, float]:
    """States at the two perpendicular crossings of (x0, z0, vy0, τ), ordered farther-from-the-Moon
    first, and τ."""
    x0, z0, vy0, tau = x
    s0 = np.array([x0, 0.0, z0, 0.0, vy0, 0.0])
    sf = phy.propagate(s0, tau)
    moon = np.array([1.0 - phy.MU, 0.0, 0.0])
    if np.linalg.norm(sf[:3] - moon) > np.linalg.norm(s0[:3] - moon):
        return np.array([sf[0], 0.0, sf[2], 0.0, sf[4], 0.0]), s0, tau
    return s0, sf, tau


def _perilune_radius_km(x) -> float:
    """Moon distance (km) at the crossing nearer the Moon."""
    _, near, _ = _crossings(x)
    return float(np.linalg.norm(near[:3] - np.array([1.0 - phy.MU, 0.0, 0.0]))) * phy.LENGTH_UNIT_KM


def _needs_flip(point: int, south: bool) -> bool:
    """Whether the continued family (seeded with z0 > 0) must be mirrored to have the asked-for
    orientation. South: the crossing farther from the Moon lies below the plane (judged on the
    near-rectilinear end member)."""
    far, _, _ = _crossings(_family_unknowns(point)[-1])
    return (far[2] < 0.0) != south


def describe(family: str, unknowns, *, notes: list[str] | None = None) -> PeriodicOrbit:
    """Full description of a corrected orbit given as (x0, z0, vy0, τ) of its family's sign."""
    point, south = _parse_family(family)
    state0, _, tau = _crossings(unknowns)
    if _needs_flip(point, south):
        state0 = state0 * np.array([1, 1, -1, 1, 1, -1])
    return orbit_from_state(family, state0, 2.0 * tau, notes=notes)


def orbit_from_state(
    family: str, state0: np.ndarray, period_tu: float, *, notes: list[str] | None = None
) -> PeriodicOrbit:
    """Describe a periodic orbit from its start state and period (nondimensional)."""
    moon = np.array([1.0 - phy.MU, 0.0, 0.0])
    final, monodromy = phy.propagate_stm(state0, period_tu)
    half = phy.propagate(state0, 0.5 * period_tu)
    # Both crossings are stationary points of the Moon distance; check a dense sample too.
    times = np.linspace(0.0, period_tu, 2001)[1:]
    path = phy.sample(state0, times)
    dist = np.linalg.norm(path[:, :3] - moon, axis=1)
    crossings = [np.linalg.norm(state0[:3] - moon), np.linalg.norm(half[:3] - moon)]
    r_min = min(min(crossings), float(dist.min()))
    r_max = max(max(crossings), float(dist.max()))
    eig = np.linalg.eigvals(monodromy)
    lam_max = float(np.max(np.abs(eig)))
    nontrivial = sorted(eig, key=lambda v: abs(v - 1.0))[2:]
    halves = sorted(float(np.real(0.5 * (v + 1.0 / v))) for v in nontrivial)
    indices = (0.5 * (halves[0] + halves[1]), 0.5 * (halves[2] + halves[3]))
    return PeriodicOrbit(
        family=family,
        state0=np.asarray(state0, dtype=float) + 0.0,  # + 0.0 turns -0.0 into 0.0
        period_tu=float(period_tu),
        period_days=phy.tu_to_days(period_tu),
        perilune_radius_km=r_min * phy.LENGTH_UNIT_KM,
        apolune_radius_km=r_max * phy.LENGTH_UNIT_KM,
        perilune_altitude_km=r_min * phy.LENGTH_UNIT_KM - phy.MOON_RADIUS_KM,
        jacobi=float(phy.jacobi(state0)),
        stability_index=0.5 * (lam_max + 1.0 / lam_max),
        stability_indices=indices,
        closure_km=float(np.linalg.norm(final[:3] - state0[:3]) * phy.LENGTH_UNIT_KM),
        notes=list(notes or []),
    )


def halo_family(family: str = "l2-south", *, stride: int = 1) -> list[PeriodicOrbit]:
    """The continued halo family (every ``stride``-th member), from near the planar bifurcation
    to the near-rectilinear end (perilune ≥ MIN_PERILUNE_KM)."""
    point, _ = _parse_family(family)
    members = _family_unknowns(point)
    return [describe(family, m) for m in members[:: max(1, int(stride))]]


def parse_resonance(text: str) -> tuple[int, int]:
    """'9:2' → (9, 2): revolutions per synodic months."""
    m = re.fullmatch(r"\s*(\d+)\s*:\s*(\d+)\s*", str(text))
    if not m or int(m.group(1)) == 0 or int(m.group(2)) == 0:
        raise InputError(
            f"expected a resonance N:M with positive integers (N revolutions per M synodic "
            f"months), such as 9:2, got {text!r}",
            source="--resonance",
        )
    return int(m.group(1)), int(m.group(2))


def resonance_period_days(resonance: str) -> float:
    """Period of an N:M synodic resonance, M × 29.530589 d / N."""
    n, m = parse_resonance(resonance)
    return m * SYNODIC_MONTH_DAYS / n


def _family_period_and_perilune(point: int) -> tuple[np.ndarray, np.ndarray]:
    members = _family_unknowns(point)
    periods = np.array([2.0 * m[3] for m in members])
    perilune = np.array([_perilune_radius_km(m) for m in members])
    return periods, perilune


def solve_nrho(
    family: str = "l2-south",
    *,
    period_days: float | None = None,
    resonance: str | None = None,
    perilune_radius_km: float | None = None,
) -> PeriodicOrbit:
    """One member of a halo family, selected by period (days), synodic resonance ('9:2') or
    perilune radius (km). Default: the 9:2 resonance. The member is the first along the family
    (from the bifurcation towards the Moon) that matches; it is corrected with the period fixed.
    Raises InputError when the target lies outside the family's range."""
    point, _ = _parse_family(family)
    given = [v is not None for v in (period_days, resonance, perilune_radius_km)]
    if sum(given) > 1:
        raise InputError(
            "give only one of --period-days, --resonance, --perilune-km",
            source="--period-days" if period_days is not None else "--resonance",
        )
    notes: list[str] = []
    if not any(given):
        resonance = "9:2"
    if resonance is not None:
        period_days = resonance_period_days(resonance)
        notes.append(
            f"{resonance} synodic resonance: P = {parse_resonance(resonance)[1]} x "
            f"{SYNODIC_MONTH_DAYS} d / {parse_resonance(resonance)[0]} = {period_days:.4f} d"
        )
    members = _family_unknowns(point)
    periods, perilunes = _family_period_and_perilune(point)
    if period_days is not None:
        target = phy.days_to_tu(float(period_days))
        idx = _bracket(periods, target)
        if idx is None:
            lo, hi = phy.tu_to_days(periods.min()), phy.tu_to_days(periods.max())
            raise InputError(
                f"period {float(period_days):.4f} d is outside the {family} family's range "
                f"{lo:.3f}-{hi:.3f} d",
                source="--period-days" if resonance is None else "--resonance",
            )
        return describe(family, _member_at_period(members, idx, target), notes=notes)
    idx = _bracket(perilunes, float(perilune_radius_km))
    if idx is None:
        raise InputError(
            f"perilune radius {float(perilune_radius_km):.0f} km is outside the {family} "
            f"family's range {perilunes.min():.0f}-{perilunes.max():.0f} km",
            source="--perilune-km",
        )

    def miss(tau: float) -> float:
        sol = _member_at_period(members, idx, 2.0 * tau)
        return _perilune_radius_km(sol) - float(perilune_radius_km)

    tau = brentq(miss, members[idx][3], members[idx + 1][3], xtol=1e-12)
    return describe(family, _member_at_period(members, idx, 2.0 * tau), notes=notes)


def _bracket(values: np.ndarray, target: float) -> int | None:
    for i in range(len(values) - 1):
        if (values[i] - target) * (values[i + 1] - target) <= 0.0:
            return i
    return None


def _member_at_period(members, idx: int, period_tu: float) -> np.ndarray:
    a, b = np.array(members[idx]), np.array(members[idx + 1])
    w = 0.0 if b[3] == a[3] else (0.5 * period_tu - a[3]) / (b[3] - a[3])
    guess = a + w * (b - a)
    guess[3] = 0.5 * period_tu
    sol = correct_period_fixed(*guess)
    if sol is None:
        raise RuntimeError("period-fixed differential correction did not converge")
    return sol
