"""The lunar surface: powered ascent, ascent windows to a lunar station, and the surface abort tree.

Kernels (pure, SI or km/s as named):

* :func:`fly_ascent` – a planar powered ascent over a spherical Moon (point mass, constant
  thrust and Isp, a short vertical rise then linear-tangent pitch steering) from the surface to
  the perilune of an insertion ellipse; the two steering constants are solved by Newton so that
  the burn ends at the perilune radius with zero radial speed and the ellipse's energy. Δv is
  the rocket equation on the propellant burned (so it includes gravity and steering losses).
* :func:`site_icrf` – a selenographic site in ICRF axes from the IAU 2009 lunar rotation model
  (Archinal et al. 2011: pole and prime meridian with their periodic terms), so the 6.7° tilt of
  the Moon's spin axis to its orbit normal (libration in latitude) moves a polar site against a
  station's orbit plane.
* :func:`llo_to_station` – two impulses from a circular low lunar orbit (LLO) to the station's
  state at arrival: the two-body apse-to-apse transfer as the first guess (and an independent
  check), then corrected in the Earth–Moon CR3BP (Newton on the first burn with the state
  transition matrix so that the coast ends on the station's position at the arrival time).

Ascent windows (:func:`ascent_windows`): the station (NRHO or DRO) is met at each arrival phase
(perilune by default) of its orbit; the transfer leaves the LLO opposite the arrival point, in
the station's osculating plane at arrival; the lander lifts off into that plane when the site
lies in it, else it pays the plane change at LLO speed, 2 v sin(Δi/2) (the site's offset from the
plane changes with the lunar libration and, for a plane fixed in the Earth–Moon frame, with the
Moon's rotation). Liftoff = departure − LLO coast (from insertion to the departure point) −
ascent time.

Abort tree (:func:`surface_abort`): (1) station at the first window the lander's Δv and the
crew's time (habitat reserve, lander surface life) allow; (2) ascend now to LLO and wait for a
window (the LLO plane is inertial, the station's plane turns with the Earth–Moon line), bounded
by the lander's orbit life; (3) direct return to Earth from LLO (patched-conic trans-Earth
injection) only for a lander with a heat shield. Every branch has a UTC timeline, Δv needed
against Δv available and a verdict with its reasons.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from lifeboat.cislunar import physics as phy
from lifeboat.errors import InputError

G0_M_S2 = 9.80665
GM_MOON_KM3_S2 = phy.GM_MOON_KM3_S2
LLO_ALTITUDE_KM = 100.0
INSERTION_PERILUNE_KM = 15.0  # ascent insertion ellipse (Apollo-like), then raised to the LLO
VERTICAL_RISE_S = 10.0
LUNAR_SURFACE_G_M_S2 = GM_MOON_KM3_S2 / phy.MOON_RADIUS_KM**2 * 1000.0
EARTH_ENTRY_RADIUS_KM = 6378.137 + 121.92
MOON_DISTANCE_KM = 384_400.0
GM_EARTH_KM3_S2 = phy.GM_EARTH_KM3_S2


# --- powered ascent ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ascent:
    """A solved powered ascent: Δv (rocket equation), burn time, range flown, insertion speed."""

    dv_km_s: float
    burn_s: float
    range_deg: float
    insertion_speed_km_s: float
    propellant_fraction: float
    converged: bool


def _ascent_rhs(t, y, acc0, mdot_frac, b0, b1, mu):
    r, _, vr, vt, m = y
    a = acc0 / m
    if t < VERTICAL_RISE_S:
        beta = math.pi / 2.0
    else:
        beta = math.atan(b0 - b1 * (t - VERTICAL_RISE_S))
    return [vr, vt / r, a * math.sin(beta) - mu / r**2 + vt**2 / r,
            a * math.cos(beta) - vr * vt / r, -mdot_frac]


def fly_ascent(thrust_to_weight: float, isp_s: float, perilune_alt_km: float,
               apolune_alt_km: float, *, site_alt_km: float = 0.0) -> Ascent:
    """Powered ascent from the surface to the perilune of an ``perilune_alt_km`` ×
    ``apolune_alt_km`` ellipse, at a liftoff thrust-to-weight (lunar gravity) and Isp (s).
    Mass is normalised to 1 at liftoff; the result does not depend on the absolute mass."""
    from scipy.integrate import solve_ivp

    mu = GM_MOON_KM3_S2
    r0 = phy.MOON_RADIUS_KM + site_alt_km
    rp, ra = phy.MOON_RADIUS_KM + perilune_alt_km, phy.MOON_RADIUS_KM + apolune_alt_km
    if rp <= r0 or ra < rp:
        raise InputError("the insertion orbit must lie above the site, apolune at or above "
                         "perilune", param="apolune_alt_km")
    energy = -mu / (rp + ra)
    g0 = LUNAR_SURFACE_G_M_S2 / 1000.0 * (phy.MOON_RADIUS_KM / r0) ** 2
    acc0 = thrust_to_weight * g0  # km/s² at unit mass
    ve = isp_s * G0_M_S2 / 1000.0
    mdot = acc0 / ve
    v_surface = 2.0 * math.pi * r0 / (27.321661 * 86400.0)  # the Moon's rotation (eastward)

    def run(p):
        def burnout(t, y, *a):
            return 0.5 * (y[2] ** 2 + y[3] ** 2) - mu / y[0] - energy
        burnout.terminal = True
        burnout.direction = 1
        sol = solve_ivp(_ascent_rhs, (0.0, 3000.0), [r0, 0.0, 0.0, v_surface, 1.0],
                        args=(acc0, mdot, p[0], p[1], mu), events=burnout, rtol=1e-9,
                        atol=1e-9, max_step=5.0)
        if not sol.t_events[0].size:
            return None, None
        y = sol.y_events[0][0]
        return np.array([(y[0] - rp) / 10.0, y[2] / 0.01]), (sol.t_events[0][0], y)

    p = np.array([math.tan(math.radians(45.0)), 0.004])
    res, out = run(p)
    converged = False
    for _ in range(40):
        if res is None:
            break
        if np.max(np.abs(res)) < 1e-6:
            converged = True
            break
        jac = np.empty((2, 2))
        for j, h in enumerate((1e-5, 1e-7)):
            q = p.copy()
            q[j] += h
            rq, _ = run(q)
            if rq is None:
                jac = None
                break
            jac[:, j] = (rq - res) / h
        if jac is None:
            break
        step = np.linalg.lstsq(jac, -res, rcond=None)[0]
        for _ in range(10):
            rn, on = run(p + step)
            if rn is not None and np.linalg.norm(rn) < np.linalg.norm(res):
                p, res, out = p + step, rn, on
                break
            step *= 0.5
        else:
            break
    if out is None:
        return Ascent(math.nan, math.nan, math.nan, math.nan, math.nan, False)
    t, y = out
    return Ascent(ve * math.log(1.0 / y[4]), float(t), math.degrees(y[1]),
                  math.hypot(y[2], y[3]), 1.0 - y[4], converged)


def circularize_dv_km_s(perilune_alt_km: float, apolune_alt_km: float) -> float:
    """Δv (km/s) to circularise an ellipse at its apolune (two-body)."""
    mu = GM_MOON_KM3_S2
    rp, ra = phy.MOON_RADIUS_KM + perilune_alt_km, phy.MOON_RADIUS_KM + apolune_alt_km
    return math.sqrt(mu / ra) - math.sqrt(2.0 * mu * rp / (ra * (rp + ra)))


def plane_change_dv_km_s(angle_deg: float, altitude_km: float = LLO_ALTITUDE_KM) -> float:
    """Δv (km/s) to turn a circular lunar orbit's plane by ``angle_deg``: 2 v sin(Δi/2)."""
    v = math.sqrt(GM_MOON_KM3_S2 / (phy.MOON_RADIUS_KM + altitude_km))
    return 2.0 * v * math.sin(math.radians(abs(angle_deg)) / 2.0)


def tei_dv_km_s(altitude_km: float = LLO_ALTITUDE_KM) -> tuple[float, float]:
    """(Δv km/s, days to entry) of a minimum-energy trans-Earth injection from a circular LLO:
    patched conics, the Earth-return ellipse from the Moon's distance to the entry interface
    gives v∞ at the Moon; the burn raises LLO speed to the hyperbola's perilune speed."""
    mu_e = GM_EARTH_KM3_S2
    rp, ra = EARTH_ENTRY_RADIUS_KM, MOON_DISTANCE_KM
    v_apo = math.sqrt(2.0 * mu_e * rp / (ra * (ra + rp)))
    v_moon = math.sqrt(mu_e / ra)
    v_inf = v_moon - v_apo
    r = phy.MOON_RADIUS_KM + altitude_km
    dv = math.sqrt(v_inf**2 + 2.0 * GM_MOON_KM3_S2 / r) - math.sqrt(GM_MOON_KM3_S2 / r)
    tof_s = math.pi * math.sqrt((0.5 * (ra + rp)) ** 3 / mu_e)
    return dv, tof_s / 86400.0


# --- the Moon's orientation --------------------------------------------------------------------


def _r1(a):
    c, s = math.cos(a), math.sin(a)
    return np.array([[1.0, 0.0, 0.0], [0.0, c, s], [0.0, -s, c]])


def _r3(a):
    c, s = math.cos(a), math.sin(a)
    return np.array([[c, s, 0.0], [-s, c, 0.0], [0.0, 0.0, 1.0]])


def moon_orientation(when: datetime) -> np.ndarray:
    """ICRF → Moon-fixed rotation matrix at ``when`` (IAU 2009 model, Archinal et al. 2011,
    Celest. Mech. Dyn. Astron. 109:101; UTC taken for TDB, an error far below the model's)."""
    from lifeboat.timeutil import as_utc

    j2000 = datetime(2000, 1, 1, 12, 0, 0, tzinfo=as_utc(when).tzinfo)
    d = (as_utc(when) - j2000).total_seconds() / 86400.0
    t = d / 36525.0
    e = [math.radians(x) for x in (
        125.045 - 0.0529921 * d, 250.089 - 0.1059842 * d, 260.008 + 13.0120009 * d,
        176.625 + 13.3407154 * d, 357.529 + 0.9856003 * d, 311.589 + 26.4057084 * d,
        134.963 + 13.0649930 * d, 276.617 + 0.3287146 * d, 34.226 + 1.7484877 * d,
        15.134 - 0.1589763 * d, 119.743 + 0.0036096 * d, 239.961 + 0.1643573 * d,
        25.053 + 12.9590088 * d)]
    s = [math.sin(x) for x in e]
    c = [math.cos(x) for x in e]
    ra = (269.9949 + 0.0031 * t - 3.8787 * s[0] - 0.1204 * s[1] + 0.0700 * s[2] - 0.0172 * s[3]
          + 0.0072 * s[5] - 0.0052 * s[9] + 0.0043 * s[12])
    dec = (66.5392 + 0.0130 * t + 1.5419 * c[0] + 0.0239 * c[1] - 0.0278 * c[2] + 0.0068 * c[3]
           - 0.0029 * c[5] + 0.0009 * c[6] + 0.0008 * c[9] - 0.0009 * c[12])
    w = (38.3213 + 13.17635815 * d - 1.4e-12 * d * d + 3.5610 * s[0] + 0.1208 * s[1]
         - 0.0642 * s[2] + 0.0158 * s[3] + 0.0252 * s[4] - 0.0066 * s[5] - 0.0047 * s[6]
         - 0.0046 * s[7] + 0.0028 * s[8] + 0.0052 * s[9] + 0.0040 * s[10] + 0.0019 * s[11]
         - 0.0044 * s[12])
    return _r3(math.radians(w % 360.0)) @ _r1(math.radians(90.0 - dec)) @ _r3(math.radians(90.0 + ra))


def site_icrf(lat_deg: float, lon_deg: float, when: datetime) -> np.ndarray:
    """Unit vector from the Moon's centre to a selenographic site, in ICRF axes."""
    la, lo = math.radians(lat_deg), math.radians(lon_deg)
    body = np.array([math.cos(la) * math.cos(lo), math.cos(la) * math.sin(lo), math.sin(la)])
    return moon_orientation(when).T @ body


# --- LLO → station (CR3BP) ---------------------------------------------------------------------


@dataclass(frozen=True)
class StationTransfer:
    """LLO → station: the burns (km/s), the coast (days), the LLO plane normal (rotating axes at
    arrival, unit), and the two-body estimate of the same transfer."""

    dv1_km_s: float
    dv2_km_s: float
    tof_days: float
    normal_rot: np.ndarray
    departure_dir_rot: np.ndarray  # unit, Moon-centred, rotating axes at arrival
    two_body_dv_km_s: float
    converged: bool

    @property
    def dv_km_s(self) -> float:
        return self.dv1_km_s + self.dv2_km_s


def _rot_z(angle: float) -> np.ndarray:
    c, s = math.cos(angle), math.sin(angle)
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


def llo_to_station(station_state: np.ndarray, llo_altitude_km: float = LLO_ALTITUDE_KM,
                   normal: np.ndarray | None = None) -> StationTransfer:
    """Two burns from a circular LLO to ``station_state`` (CR3BP rotating, nondimensional):
    apse-to-apse in the station's osculating plane at arrival (or in the plane of unit
    ``normal``, which must contain the arrival point; the arrival burn then also turns the
    plane), corrected in the CR3BP."""
    mu = phy.MU
    moon = np.array([1.0 - mu, 0.0, 0.0])
    zhat = np.array([0.0, 0.0, 1.0])
    r_a = station_state[:3] - moon
    v_a = station_state[3:] + np.cross(zhat, r_a)  # inertial, relative to the Moon
    n = np.cross(r_a, v_a)
    n /= np.linalg.norm(n)
    if normal is not None:
        n = np.asarray(normal, float) / np.linalg.norm(normal)
    ra, rl = float(np.linalg.norm(r_a)), (phy.MOON_RADIUS_KM + llo_altitude_km) / phy.LENGTH_UNIT_KM
    a = 0.5 * (ra + rl)
    tof = math.pi * math.sqrt(a**3 / mu)
    v_c = math.sqrt(mu / rl)
    v_peri = math.sqrt(2.0 * mu * ra / (rl * (rl + ra)))
    v_apo = math.sqrt(2.0 * mu * rl / (ra * (rl + ra)))
    d_hat = -r_a / ra
    t_hat_a = np.cross(n, r_a / ra)
    dv2_2b = float(np.linalg.norm(v_a - v_apo * t_hat_a))
    two_body = (v_peri - v_c + dv2_2b) * phy.VELOCITY_UNIT_KM_S
    # Departure state in the rotating frame at t_arr − tof (inertial vectors turned by +tof).
    rot = _rot_z(tof)
    r_d = rot @ (d_hat * rl)
    v_llo = rot @ (v_c * np.cross(n, d_hat))
    v_dep_guess = rot @ (v_peri * np.cross(n, d_hat))
    x0 = np.concatenate([moon + r_d, v_llo - np.cross(zhat, r_d)])
    dv = v_dep_guess - v_llo
    converged = False
    xf = None
    for _ in range(30):
        x1 = x0.copy()
        x1[3:] += dv
        xf, stm = phy.propagate_stm(x1, tof)
        miss = xf[:3] - station_state[:3]
        if np.linalg.norm(miss) * phy.LENGTH_UNIT_KM < 0.01:
            converged = True
            break
        step = np.linalg.lstsq(stm[:3, 3:6], -miss, rcond=None)[0]
        scale = min(1.0, 0.02 / max(float(np.linalg.norm(step)), 1e-300))
        dv = dv + scale * step
    dv2 = float(np.linalg.norm(station_state[3:] - xf[3:])) if xf is not None else math.nan
    return StationTransfer(float(np.linalg.norm(dv)) * phy.VELOCITY_UNIT_KM_S,
                           dv2 * phy.VELOCITY_UNIT_KM_S, phy.tu_to_days(tof), n, d_hat,
                           two_body, converged)


# --- windows and the abort tree ----------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """One ascent window to the station: liftoff → LLO insertion → transfer burn → arrival."""

    liftoff_utc: datetime
    insertion_utc: datetime
    departure_utc: datetime
    arrival_utc: datetime
    arrival_phase_deg: float
    plane_offset_deg: float
    ascent_dv_km_s: float
    circularize_dv_km_s: float
    plane_change_dv_km_s: float
    transfer_dv_km_s: float
    total_dv_km_s: float
    fits: bool


@dataclass(frozen=True)
class AbortBranch:
    """One branch of the abort tree: its timeline (event → UTC), Δv needed against Δv
    available, and the verdict with its reasons."""

    branch: str
    feasible: bool
    dv_needed_km_s: float | None
    dv_available_km_s: float
    crew_safe_utc: datetime | None
    timeline: dict[str, datetime]
    reasons: list[str]


@dataclass(frozen=True)
class SurfaceAbort:
    """``lifeboat lunar abort``: the crew on the surface at ``time_utc`` and its ways off."""

    site: str
    lander: str
    station: str
    orbit: str
    time_utc: datetime
    perilune_utc: datetime
    crew: int
    habitat_reserve_h: float | None
    deadline_utc: datetime
    ascent: Ascent
    windows: list[Window]
    branches: list[AbortBranch]
    recommended: str | None
    notes: list[str] = field(default_factory=list)


def _normal_icrf(transfer: StationTransfer, when: datetime) -> np.ndarray:
    from lifeboat.cislunar.service import _frame_rotation

    n = _frame_rotation(when) @ transfer.normal_rot
    return n / np.linalg.norm(n)


def _liftoff(site, transfer, arrival, ascent, lat, lon) -> tuple[datetime, datetime, float]:
    """(liftoff, insertion, plane offset deg) for an arrival: coast in the LLO from insertion to
    the departure point, two passes to settle the site's position at liftoff."""
    from lifeboat.cislunar.service import _frame_rotation

    departure = arrival - timedelta(days=transfer.tof_days)
    rot = _frame_rotation(arrival)
    n = rot @ transfer.normal_rot
    n /= np.linalg.norm(n)
    # The departure direction is inertial: the rotating axes at arrival turned to ICRF.
    d = rot @ transfer.departure_dir_rot
    rl = phy.MOON_RADIUS_KM + LLO_ALTITUDE_KM
    period_s = 2.0 * math.pi * math.sqrt(rl**3 / GM_MOON_KM3_S2)
    liftoff = departure - timedelta(seconds=ascent.burn_s)
    for _ in range(3):
        s = site_icrf(lat, lon, liftoff)
        sp = s - (s @ n) * n
        sp /= np.linalg.norm(sp)
        ang = math.atan2(float(n @ np.cross(sp, d)), float(sp @ d)) - math.radians(ascent.range_deg)
        coast_s = (ang % (2.0 * math.pi)) / (2.0 * math.pi) * period_s
        liftoff = departure - timedelta(seconds=coast_s + ascent.burn_s)
    s = site_icrf(lat, lon, liftoff)
    offset = math.degrees(math.asin(min(1.0, abs(float(s @ n)))))
    return liftoff, liftoff + timedelta(seconds=ascent.burn_s), offset


def lander_ascent(lander, site_alt_km: float = 0.0) -> Ascent:
    """The lander's ascent to the insertion ellipse (15 km × LLO altitude)."""
    if lander.thrust_kn is not None and lander.liftoff_mass_kg is not None:
        tw = lander.thrust_kn * 1000.0 / (lander.liftoff_mass_kg * LUNAR_SURFACE_G_M_S2)
    else:
        tw = float(lander.thrust_to_weight)
    return fly_ascent(tw, lander.isp_s, INSERTION_PERILUNE_KM, LLO_ALTITUDE_KM,
                      site_alt_km=site_alt_km)


def ascent_windows(orbit, perilune_utc: datetime, site, lander, start_utc: datetime,
                   until_utc: datetime, dv_available_km_s: float, *,
                   arrival_phase_deg: float = 0.0) -> tuple[list[Window], Ascent, StationTransfer]:
    """Windows from ``site`` to the station with liftoff in [start, until], one per passage of
    the station through ``arrival_phase_deg`` (periodic orbits: NRHO, DRO)."""
    if not orbit.periodic_in_rotating_frame:
        raise InputError("surface ascent windows are computed for stations in an NRHO or DRO; a "
                         "station in a Keplerian lunar orbit is not supported yet", param="station")
    ascent = lander_ascent(lander, site.elevation_km)
    t_arr = arrival_phase_deg / 360.0 * orbit.period_tu
    transfer = llo_to_station(orbit.state_at(t_arr))
    if not (ascent.converged and transfer.converged):
        raise InputError(f"the ascent or the LLO-to-station transfer did not converge for "
                         f"{orbit.label}", param="station")
    circ = circularize_dv_km_s(INSERTION_PERILUNE_KM, LLO_ALTITUDE_KM)
    period = timedelta(days=orbit.period_days)
    first = perilune_utc + timedelta(days=arrival_phase_deg / 360.0 * orbit.period_days)
    k = math.floor((start_utc - first) / period)
    out = []
    while True:
        arrival = first + k * period
        k += 1
        liftoff, insertion, offset = _liftoff(site, transfer, arrival, ascent,
                                              site.latitude_deg, site.longitude_deg)
        if liftoff > until_utc:
            break
        if liftoff < start_utc:
            continue
        pc = plane_change_dv_km_s(offset)
        total = ascent.dv_km_s + circ + pc + transfer.dv_km_s
        out.append(Window(liftoff, insertion, arrival - timedelta(days=transfer.tof_days),
                          arrival, arrival_phase_deg, offset, ascent.dv_km_s, circ, pc,
                          transfer.dv_km_s, total, total <= dv_available_km_s))
    return out, ascent, transfer


def habitat_reserve_h(volume_m3: float, hole_mm: float) -> float:
    """Hours until a habitat of ``volume_m3`` leaking through a ``hole_mm`` hole reaches the
    crew's pressure limit (the cabin model, :func:`lifeboat.cabin.leak.analyse_leak`)."""
    from lifeboat.cabin.leak import analyse_leak
    from lifeboat.cabin.network import CabinModule, CabinNetwork

    net = CabinNetwork("habitat", (CabinModule("habitat", float(volume_m3)),))
    return float(analyse_leak(net, hole_diameter_mm=float(hole_mm)).time_to_limit_h)


def surface_abort(site_id: str, lander_id: str, station_id: str, time, *, perilune_epoch=None,
                  crew: int | None = None, habitat_reserve_h: float | None = None,
                  lander_health: str = "nominal", dv_fraction: float = 1.0,
                  landed_utc=None, catalog=None, orbit=None) -> SurfaceAbort:
    """The abort tree for a crew on the surface at ``site_id`` with ``lander_id`` at ``time``
    (see the module docstring). ``habitat_reserve_h``: hours the surface habitat keeps the crew
    (None: the lander's remaining surface life bounds the wait); ``dv_fraction``: the share of
    the lander's Δv usable (a degraded lander); ``landed_utc``: landing time (None: the lander's
    whole surface life remains)."""
    from lifeboat.cislunar.service import _catalog, _when, station_orbit

    cat = _catalog(catalog)
    if site_id not in cat.lunar_sites:
        if site_id in cat.sites:
            raise InputError(f"site {site_id!r} is a launch site on the Earth, not on the Moon; "
                             f"expected one of {', '.join(sorted(cat.lunar_sites))}", param="site")
        cat.get("lunar_sites", site_id, source="--site")
    site = cat.lunar_sites[site_id]
    lander = cat.get("landers", lander_id, source="--lander")
    if lander.delta_v_km_s is None:
        raise InputError(f"lander {lander_id!r} has no Δv in the catalog; give delta_v_km_s in a "
                         "user catalog", param="lander")
    if lander_health not in ("nominal", "degraded", "unfit"):
        raise InputError(f"lander health {lander_health!r}; expected nominal, degraded or unfit",
                         param="lander_health")
    if not (math.isfinite(dv_fraction) and 0.0 <= dv_fraction <= 1.0):
        raise InputError(f"usable Δv fraction {dv_fraction:g} is outside [0, 1]",
                         param="dv_fraction")
    if habitat_reserve_h is not None and not (math.isfinite(habitat_reserve_h)
                                              and habitat_reserve_h >= 0.0):
        raise InputError(f"habitat reserve {habitat_reserve_h:g} h; expected 0 or more",
                         param="habitat_reserve_h")
    now = _when(time, "time")
    o, peri = station_orbit(station_id, catalog=cat, orbit=orbit)
    if perilune_epoch is not None:
        peri = _when(perilune_epoch, "perilune_epoch")
    if peri is None:
        raise InputError(f"the phase of {station_id} on its orbit is unknown; give a perilune "
                         "epoch (a perilune passage)", param="perilune_epoch")
    n_crew = lander.crew if crew is None else int(crew)
    available = lander.delta_v_km_s * (0.0 if lander_health == "unfit" else dv_fraction)
    notes = []
    landed = _when(landed_utc, "landed_utc")
    life_end = (landed or now) + timedelta(days=lander.surface_life_days)
    if lander.confidence == "assumption":
        notes.append(f"{lander_id}'s Δv ({lander.delta_v_km_s:g} km/s) is an assumption, not a "
                     "published figure (see its catalog notes); replace it in a user catalog")
    if landed is None:
        notes.append("landing time not given: the lander's whole surface life "
                     f"({lander.surface_life_days:g} d) is counted from the time")
    deadline = life_end
    if habitat_reserve_h is not None:
        deadline = min(deadline, now + timedelta(hours=habitat_reserve_h))
    earliest = now + timedelta(hours=lander.liftoff_prep_h)
    horizon = max(deadline, earliest) + timedelta(days=2.0 * o.period_days)
    windows, ascent, transfer = ascent_windows(o, peri, site, lander, earliest, horizon, available)
    common = []
    if n_crew > lander.crew:
        common.append(f"crew {n_crew} > lander capacity {lander.crew}")
    if lander_health == "unfit":
        common.append("lander unfit: no ascent")
    branches = [_station_branch(windows, available, deadline, common),
                _llo_wait_branch(o, peri, site, lander, ascent, transfer, earliest, available,
                                 common),
                _earth_branch(lander, ascent, earliest, available, common)]
    ok = [b for b in branches if b.feasible]
    best = min(ok, key=lambda b: b.crew_safe_utc).branch if ok else None
    notes.append("earth branch: trans-Earth injection taken one hour after LLO insertion; the "
                 "burn point and the Earth-return plane are not modelled (patched conics)")
    notes.append(f"ascent: powered flight to a {INSERTION_PERILUNE_KM:g} x {LLO_ALTITUDE_KM:g} km "
                 f"ellipse ({ascent.burn_s / 60.0:.1f} min), circularised at {LLO_ALTITUDE_KM:g} "
                 "km; LLO to station: two burns, CR3BP-corrected "
                 f"(two-body estimate {transfer.two_body_dv_km_s:.3f} km/s)")
    return SurfaceAbort(site_id, lander_id, station_id, o.label, now, peri, n_crew,
                        habitat_reserve_h, deadline, ascent, windows, branches, best, notes)


def _station_branch(windows, available, deadline, common) -> AbortBranch:
    reasons = list(common)
    fit = [w for w in windows if w.fits]
    w = fit[0] if fit else None
    if w is None:
        need = min((x.total_dv_km_s for x in windows), default=None)
        reasons.append("no window in the horizon fits the lander's Δv" + (
            f" (cheapest {need:.3f} km/s > {available:.3f} km/s)" if need is not None else ""))
        return AbortBranch("station", False, need, available, None, {}, reasons)
    timeline = {"liftoff": w.liftoff_utc, "llo_insertion": w.insertion_utc,
                "transfer_burn": w.departure_utc, "arrival_at_station": w.arrival_utc}
    if w.liftoff_utc > deadline:
        reasons.append(f"first window lifts off {w.liftoff_utc:%Y-%m-%d %H:%M}Z, after the "
                       f"crew's time on the surface runs out ({deadline:%Y-%m-%d %H:%M}Z)")
    feasible = not reasons
    skipped = [x for x in windows if x.liftoff_utc < w.liftoff_utc]
    if skipped:
        reasons.append(f"{len(skipped)} earlier window(s) need more Δv than available "
                       f"(plane offset up to {max(x.plane_offset_deg for x in skipped):.1f}°)")
    if feasible:
        reasons.insert(0, f"Δv {w.total_dv_km_s:.3f} ≤ {available:.3f} km/s (ascent "
                       f"{w.ascent_dv_km_s:.3f}, circularise {w.circularize_dv_km_s:.3f}, plane "
                       f"change {w.plane_change_dv_km_s:.3f} for {w.plane_offset_deg:.2f}°, "
                       f"transfer {w.transfer_dv_km_s:.3f}); liftoff before the deadline")
    return AbortBranch("station", feasible, w.total_dv_km_s, available,
                       w.arrival_utc if feasible else None, timeline, reasons)


def _llo_wait_branch(o, peri, site, lander, ascent, transfer, earliest, available,
                     common) -> AbortBranch:
    from lifeboat.cislunar.service import _frame_rotation

    reasons = list(common)
    circ = circularize_dv_km_s(INSERTION_PERILUNE_KM, LLO_ALTITUDE_KM)
    base = ascent.dv_km_s + circ
    insertion = earliest + timedelta(seconds=ascent.burn_s)
    life_end = earliest + timedelta(hours=lander.orbit_life_h)
    timeline = {"liftoff": earliest, "llo_insertion": insertion, "orbit_life_ends": life_end}
    if base > available:
        reasons.append(f"ascent to LLO needs {base:.3f} km/s > {available:.3f} km/s")
        return AbortBranch("llo-wait", False, base, available, None, timeline, reasons)
    # The LLO plane: the one through the site at liftoff closest to the station's next plane.
    period = timedelta(days=o.period_days)
    k = math.ceil((insertion + timedelta(days=transfer.tof_days) - peri) / period)
    s = site_icrf(site.latitude_deg, site.longitude_deg, earliest)
    best = None
    need_min = None
    j = 0
    while True:
        arrival = peri + (k + j) * period
        j += 1
        departure = arrival - timedelta(days=transfer.tof_days)
        if departure > life_end:
            break
        n_s = _frame_rotation(arrival) @ transfer.normal_rot
        n_s /= np.linalg.norm(n_s)
        if j == 1:
            n_l = n_s - (n_s @ s) * s
            n_l /= np.linalg.norm(n_l)
        angle = math.degrees(math.acos(max(-1.0, min(1.0, float(n_l @ n_s)))))
        need = base + plane_change_dv_km_s(angle) + transfer.dv_km_s
        need_min = need if need_min is None else min(need_min, need)
        if need <= available:
            best = (departure, arrival, need, angle)
            break
    if best is None:
        reasons.append(f"no station window within the lander's orbit life "
                       f"({lander.orbit_life_h:g} h) fits its Δv" + (
                           f" (cheapest {need_min:.3f} > {available:.3f} km/s)" if need_min else
                           "") + "; LLO is a refuge only until the orbit life ends")
        return AbortBranch("llo-wait", False, need_min or base, available, None, timeline, reasons)
    departure, arrival, need, angle = best
    timeline.update({"transfer_burn": departure, "arrival_at_station": arrival})
    feasible = not common
    reasons.insert(0, f"Δv {need:.3f} ≤ {available:.3f} km/s (plane change {angle:.2f}° after "
                   f"waiting {(departure - insertion).total_seconds() / 86400.0:.2f} d in LLO)")
    return AbortBranch("llo-wait", feasible, need, available, arrival if feasible else None,
                       timeline, reasons)


def _earth_branch(lander, ascent, earliest, available, common) -> AbortBranch:
    reasons = list(common)
    tei, tof_days = tei_dv_km_s()
    circ = circularize_dv_km_s(INSERTION_PERILUNE_KM, LLO_ALTITUDE_KM)
    need = ascent.dv_km_s + circ + tei
    insertion = earliest + timedelta(seconds=ascent.burn_s)
    tei_time = insertion + timedelta(hours=1.0)
    timeline = {"liftoff": earliest, "llo_insertion": insertion, "trans_earth_injection": tei_time,
                "entry_interface": tei_time + timedelta(days=tof_days)}
    if lander.entry_speed_limit_km_s is None:
        reasons.append("the lander has no heat shield: it cannot enter the Earth's atmosphere")
    elif lander.entry_speed_limit_km_s < 11.0:
        reasons.append(f"entry-speed limit {lander.entry_speed_limit_km_s:.1f} km/s < lunar "
                       "return (~11 km/s)")
    if need > available:
        reasons.append(f"ascent + trans-Earth injection need {need:.3f} km/s > {available:.3f} km/s")
    if tof_days * 24.0 > lander.orbit_life_h:
        reasons.append(f"orbit life {lander.orbit_life_h:g} h < the {tof_days:.1f} d coast home")
    feasible = not reasons
    if feasible:
        reasons.append(f"Δv {need:.3f} ≤ {available:.3f} km/s; entry at "
                       f"{timeline['entry_interface']:%Y-%m-%d %H:%M}Z")
    return AbortBranch("earth", feasible, need, available,
                       timeline["entry_interface"] if feasible else None, timeline, reasons)


def scenario_abort(scenario, *, time=None, catalog=None) -> SurfaceAbort:
    """The abort tree of a scenario's ``[surface]`` crew, at ``time`` (default: the emergency's
    onset, else the scenario epoch), for the scenario's station, orbit and phase."""
    sc = scenario.surface
    if sc is None:
        raise InputError(f"scenario {scenario.id!r} has no [surface] block", param="scenario")
    reserve = sc.habitat_reserve_h
    if sc.habitat_volume_m3 is not None:
        reserve = habitat_reserve_h(sc.habitat_volume_m3, sc.habitat_hole_mm)
        reserve = None if not math.isfinite(reserve) else reserve
    onset = scenario.emergency.onset_utc if scenario.emergency is not None else None
    lunar = scenario.station.lunar_orbit
    return surface_abort(sc.site, sc.lander, scenario.station.id,
                         time or onset or scenario.epoch_utc, crew=sc.crew,
                         habitat_reserve_h=reserve, lander_health=sc.lander_health,
                         dv_fraction=sc.usable_dv_fraction, landed_utc=sc.landed_utc,
                         catalog=catalog, orbit=lunar)


def lunar_abort(*, site: str | None = None, lander: str | None = None, station: str = "gateway",
                time=None, perilune_epoch=None, habitat_reserve_h: float | None = None,
                scenario=None, catalog=None) -> SurfaceAbort:
    """The front door of ``lifeboat lunar abort``: from a site and lander, or from a scenario's
    ``[surface]`` block (a ``Scenario``, built-in id or TOML path; ``time`` defaults to its
    onset)."""
    if scenario is not None:
        if site is not None or lander is not None:
            raise InputError("give a scenario or a site and lander, not both", param="scenario")
        if not hasattr(scenario, "surface"):
            from lifeboat.model.scenario import load_scenario

            scenario = load_scenario(scenario, catalog=catalog)
        return scenario_abort(scenario, time=time, catalog=catalog)
    if site is None or lander is None:
        raise InputError("give the surface site and the lander (or a scenario with a [surface] "
                         "block)", param="site" if site is None else "lander")
    if time is None:
        raise InputError("give the time of the abort decision", param="time")
    return surface_abort(site, lander, station, time, perilune_epoch=perilune_epoch,
                         habitat_reserve_h=habitat_reserve_h, catalog=catalog)
