"""Launch opportunities: when a launch site passes through a station's orbital plane.

Model (``docs/orbits.md``, "Launch opportunities"):

* **Plane crossing.** The event function is g(t) = ŝ(t) · ĥ(t): the site's unit position vector
  times the unit orbit normal (ĥ = r × v of the station, SGP4 or mean elements), both in TEME
  (the dot product does not depend on the frame). Crossings are predicted analytically — the
  site's inertial longitude minus the node, α − Ω, advances at ω⊕ − Ω̇ (mean J2 drift) and the
  site lies in the plane where sin(α − Ω) = tan φ' / tan i; Ω is re-read from the propagated
  state every ``_PREDICTION_CHUNK_DAYS`` so drag cannot push a prediction out of its bracket —
  then every predicted root is refined together by a bracketed Newton iteration (one
  ``sgp4_array`` call per iteration on all candidates) to < 1e-4 s.
* **Direction.** Northbound where the orbit moves north at the site (the ascending half),
  southbound on the descending half; the reported ``direction`` is the 16-point compass word of
  the ground-relative azimuth (:func:`compass_point`: 357° is "N", 62° "ENE").
* **Azimuth.** Inertial: sin β = cos i / cos φ (spherical Earth at the site's geodetic latitude,
  with the plane's osculating inclination at the crossing); then corrected for the Earth's
  rotation with the insertion-orbit speed (:func:`physics.rotating_azimuth_rad`). The corrected
  (ground-relative) azimuth is what range safety limits, and is checked against the site's
  ``azimuth_ranges_deg``.
* **Launch time.** Crossing time minus half the launcher's liftoff-to-insertion time
  (:func:`physics.launch_lead_s`); insertion follows ``insertion_time_s`` after liftoff.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from lifeboat.catalog import load_catalog
from lifeboat.catalog.models import Site
from lifeboat.errors import InputError
from lifeboat.orbits import frames, lookup, physics, rendezvous
from lifeboat.orbits.rendezvous import SchemeOption
from lifeboat.orbits.station import StationOrbit
from lifeboat.timeutil import as_utc, datetime_to_jd, jd_to_datetime

MAX_SEARCH_DAYS = 366.0  # a search window (windows, reach) is at most a year


def check_search_days(days: float) -> None:
    """Refuse a search window that is not in (0, MAX_SEARCH_DAYS] days (``param="days"``)."""
    if not 0.0 < days <= MAX_SEARCH_DAYS:
        raise InputError(f"must be in (0, {MAX_SEARCH_DAYS:g}] days, got {days:g}", param="days")

# Sidereal rotation rate of the IAU-82 GMST (rad/s): 2π · 1.00273790935 per UT1 day.
_GMST_RATE_RAD_S = physics.TWO_PI * 1.00273790935 / physics.SECONDS_PER_DAY
_REFINE_TOL_S = 1e-4
# Predictions fall within ~20 s (ISS) to ~70 s (Tiangong) of the true crossing; brackets are ±15 min
# at most.
_MAX_BRACKET_HALF_WIDTH_DAYS = 15.0 / 1440.0
_MAX_ITERATIONS = 40
# The node is re-read from the propagated state this often (days) when predicting crossings.
_PREDICTION_CHUNK_DAYS = 10.0
_SAME_ROOT_S = 1.0
# Insertion orbit assumed when the launcher has no ascent profile: 200 km circular (typical crew
# vehicle insertion, e.g. Soyuz ~200 × 240 km). Its speed enters the azimuth's Earth-rotation
# correction, its period the catch-up laps of long rendezvous schemes.
DEFAULT_INSERTION_ALTITUDE_KM = 200.0


@dataclass(frozen=True)
class PlaneCrossings:
    """Instants when a site lies in an orbit plane, and the plane's geometry there.

    All arrays have one entry per crossing, sorted in time. ``northbound`` is true on the
    ascending half of the orbit; ``inclination_rad`` is the osculating inclination of the plane;
    ``site_arg_lat_rad`` is the site's angle from the ascending node, in the plane.
    """

    jd_utc: np.ndarray
    northbound: np.ndarray
    inclination_rad: np.ndarray
    site_arg_lat_rad: np.ndarray


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def _plane_function(orbit: StationOrbit, site_ecef_km: np.ndarray, jd_utc: np.ndarray, dut1_s: np.ndarray):
    """g = ŝ·ĥ and its rate (1/s) from the site's rotation and the nodal drift; also ĥ and ŝ (TEME)."""
    r, v = orbit.state_teme(jd_utc)
    h_hat = _unit(np.cross(r, v))
    s_hat = _unit(frames.ecef_to_teme(site_ecef_km, jd_utc + dut1_s / physics.SECONDS_PER_DAY))
    g = np.einsum("ij,ij->i", s_hat, h_hat)
    z_cross_s = np.stack([-s_hat[:, 1], s_hat[:, 0], np.zeros(len(s_hat))], axis=-1)
    g_dot = (_GMST_RATE_RAD_S - orbit.raan_rate_rad_s) * np.einsum("ij,ij->i", z_cross_s, h_hat)
    return g, g_dot, h_hat, s_hat


def _predict_crossings_jd(orbit: StationOrbit, site_ecef_km: np.ndarray, jd0: float, jd1: float):
    """Predicted crossing times (JD UTC) around [jd0, jd1], and the half-width (days) of the
    bracket to search around each.

    The site's inertial longitude minus the node turns at the mean rate ω⊕ − Ω̇; the node is
    re-read from the propagated state every ``_PREDICTION_CHUNK_DAYS`` so that drag (SGP4's change
    of the node rate as the orbit decays) never pushes a prediction out of its bracket. Chunks
    overlap by one cycle; the refined roots are de-duplicated by :func:`find_plane_crossings`.
    """
    geocentric_lat = np.arctan2(site_ecef_km[2], np.hypot(site_ecef_km[0], site_ecef_km[1]))
    phases = physics.plane_crossing_phases_rad(geocentric_lat, np.radians(orbit.inclination_deg))
    if phases is None:
        return np.empty(0), 0.0
    rate_rad_day = (_GMST_RATE_RAD_S - orbit.raan_rate_rad_s) * physics.SECONDS_PER_DAY  # of α − Ω
    # Brackets stay inside a quarter of the shorter gap between the two crossings of a cycle.
    gap_rad = min((phases[1] - phases[0]) % physics.TWO_PI, (phases[0] - phases[1]) % physics.TWO_PI)
    half_width = min(0.25 * gap_rad / rate_rad_day, _MAX_BRACKET_HALF_WIDTH_DAYS)
    start, stop = jd0 - 2.0 * half_width, jd1 + 2.0 * half_width
    cycle_days = physics.TWO_PI / rate_rad_day
    chunk_starts = start + _PREDICTION_CHUNK_DAYS * np.arange(
        max(1, int(np.ceil((stop - start) / _PREDICTION_CHUNK_DAYS)))
    )
    r, v = orbit.state_teme(chunk_starts)
    h = np.cross(r, v)
    node_rad = np.arctan2(h[:, 0], -h[:, 1])  # ĥ = (sin Ω sin i, −cos Ω sin i, cos i)
    lon = np.arctan2(site_ecef_km[1], site_ecef_km[0])
    chunk_ut1 = frames.jd_ut1_from_utc(chunk_starts)
    psi = lon + frames.gmst_rad(chunk_ut1) - node_rad  # α − Ω at each chunk start
    count = int(np.ceil(_PREDICTION_CHUNK_DAYS / cycle_days)) + 2
    times = [
        c + ((target - p) % physics.TWO_PI) / rate_rad_day + cycle_days * np.arange(count)
        for c, p in zip(chunk_starts, psi, strict=True)
        for target in phases
    ]
    predicted = np.sort(np.concatenate(times))
    return predicted[predicted <= stop], half_width


def find_plane_crossings(
    orbit: StationOrbit, lat_deg: float, lon_deg: float, alt_km: float, jd0_utc: float, jd1_utc: float
) -> PlaneCrossings:
    """Every instant in [jd0, jd1] (JD UTC) when a site (WGS-84 geodetic) lies in the orbit plane."""
    site = np.asarray(frames.geodetic_to_ecef(lat_deg, lon_deg, alt_km), float)
    predicted, half_width = _predict_crossings_jd(orbit, site, jd0_utc, jd1_utc)
    if predicted.size == 0:
        empty = np.empty(0)
        return PlaneCrossings(empty, np.empty(0, bool), empty, empty)
    n = predicted.size
    dut1 = frames.ut1_minus_utc_s(predicted)  # constant to < 1 ms over a bracket
    lo, hi = predicted - half_width, predicted + half_width
    g_all, gd_all, _, _ = _plane_function(orbit, site, np.concatenate([lo, hi, predicted]), np.tile(dut1, 3))
    g_lo, g_hi, g = g_all[:n], g_all[n : 2 * n], g_all[2 * n :]
    g_dot = gd_all[2 * n :]
    bracketed = np.sign(g_lo) != np.sign(g_hi)
    lo, hi, x, g, g_dot, g_lo, dut1 = (a[bracketed] for a in (lo, hi, predicted, g, g_dot, g_lo, dut1))
    for _ in range(_MAX_ITERATIONS):
        # Keep [lo, hi] around the root, then take a Newton step, or bisect if it leaves the bracket.
        same_as_lo = np.sign(g) == np.sign(g_lo)
        lo = np.where(same_as_lo, x, lo)
        g_lo = np.where(same_as_lo, g, g_lo)
        hi = np.where(same_as_lo, hi, x)
        with np.errstate(divide="ignore", invalid="ignore"):
            newton = x - g / g_dot / physics.SECONDS_PER_DAY
        ok = np.isfinite(newton) & (newton >= lo) & (newton <= hi)
        new_x = np.where(ok, newton, 0.5 * (lo + hi))
        step_s = np.abs(new_x - x) * physics.SECONDS_PER_DAY
        x = new_x
        g, g_dot, h_hat, s_hat = _plane_function(orbit, site, x, dut1)
        if np.all(step_s < _REFINE_TOL_S):
            break
    inside = (x >= jd0_utc) & (x <= jd1_utc)
    x, h_hat, s_hat = x[inside], h_hat[inside], s_hat[inside]
    order = np.argsort(x)
    x, h_hat, s_hat = x[order], h_hat[order], s_hat[order]
    # Overlapping prediction chunks find some roots twice (distinct roots are minutes apart).
    first = np.ones(x.size, bool)
    first[1:] = np.diff(x) * physics.SECONDS_PER_DAY > _SAME_ROOT_S
    x, h_hat, s_hat = x[first], h_hat[first], s_hat[first]
    motion = np.cross(h_hat, s_hat)  # direction of orbital motion at the site's in-plane point
    return PlaneCrossings(
        jd_utc=x,
        northbound=motion[:, 2] > 0.0,
        inclination_rad=np.arccos(np.clip(h_hat[:, 2], -1.0, 1.0)),
        site_arg_lat_rad=physics.argument_of_latitude_rad(s_hat, h_hat),
    )


# --- reachability of a plane from a site -------------------------------------------------------


def azimuth_allowed(azimuth_deg, ranges) -> np.ndarray:
    """Whether azimuths (deg) lie in any of the [min, max] ranges (deg)."""
    az = np.asarray(azimuth_deg, float) % 360.0
    allowed = np.zeros(az.shape, bool)
    for low, high in ranges:
        allowed |= (az >= low) & (az <= high)
    return allowed


def ground_azimuths_deg(site_lat_deg: float, crossings: PlaneCrossings, insertion_altitude_km: float):
    """Inertial (sin β = cos i / cos φ) and ground-relative launch azimuths (both deg) at each
    crossing; the ground one removes the site's eastward speed from the circular orbit velocity
    at ``insertion_altitude_km``. NaN where the plane does not reach the latitude."""
    lat_rad = np.radians(site_lat_deg)
    inertial = physics.inertial_azimuth_rad(lat_rad, crossings.inclination_rad, crossings.northbound)
    speed = physics.circular_speed_km_s(physics.R_EARTH_EQ_KM + insertion_altitude_km)
    return np.degrees(inertial), np.degrees(physics.rotating_azimuth_rad(inertial, lat_rad, speed))


def _plane_change_m_s(delta_inclination_deg: float, speed_km_s: float) -> float:
    return float(physics.plane_change_delta_v_m_s(np.radians(delta_inclination_deg), speed_km_s))


def _ranges_text(ranges) -> str:
    return ", ".join(f"{lo:g}–{hi:g}°" for lo, hi in ranges)


def site_can_reach(
    site: Site,
    inclination_deg: float,
    *,
    altitude_km: float = 400.0,
    insertion_altitude_km: float = DEFAULT_INSERTION_ALTITUDE_KM,
) -> tuple[bool, str | None, float | None]:
    """Whether a launch from ``site`` can enter an orbit plane of ``inclination_deg`` directly.

    Returns ``(ok, reason, delta_v_m_s)``. When not: the reason, and the plane change Δv
    (2 v sin(Δi/2) at the circular speed of ``altitude_km``) from the nearest inclination the site
    can launch into. If the plane never passes over the site (|latitude| above the inclination)
    the nearest is the due-east (or due-west) orbit, i = |latitude|, the usual plane-change case; if only
    range safety forbids the azimuths, it is the nearest inclination an allowed azimuth gives.
    """
    lat = abs(site.latitude_deg)
    orbit_speed = float(physics.circular_speed_km_s(physics.R_EARTH_EQ_KM + altitude_km))
    lowest, highest = lat, 180.0 - lat
    if not lowest <= inclination_deg <= highest:
        nearest = lowest if inclination_deg < lowest else highest
        delta_i = abs(inclination_deg - nearest)
        dv = _plane_change_m_s(delta_i, orbit_speed)
        return (
            False,
            f"site latitude {lat:.2f}° is above the orbit inclination {inclination_deg:.2f}°: the plane "
            f"never passes over the site; the nearest direct orbit (i = {nearest:.2f}°) needs a "
            f"{delta_i:.2f}° plane change, {dv:.0f} m/s at {orbit_speed:.2f} km/s",
            dv,
        )
    lat_rad = np.radians(site.latitude_deg)
    insertion_speed = float(physics.circular_speed_km_s(physics.R_EARTH_EQ_KM + insertion_altitude_km))
    i_rad = np.radians(inclination_deg)
    needed = np.degrees(
        physics.rotating_azimuth_rad(
            physics.inertial_azimuth_rad(lat_rad, i_rad, np.array([True, False])), lat_rad, insertion_speed
        )
    )
    if azimuth_allowed(needed, site.azimuth_ranges_deg).any():
        if site.inclination_range_deg is not None:
            lo, hi = site.inclination_range_deg
            if not lo <= inclination_deg <= hi:
                nearest = min(max(inclination_deg, lo), hi)
                delta_i = abs(inclination_deg - nearest)
                dv = _plane_change_m_s(delta_i, orbit_speed)
                return (
                    False,
                    f"inclination {inclination_deg:.2f}° is outside the site's allowed {lo:g}–{hi:g}°; "
                    f"a {delta_i:.2f}° plane change from {nearest:g}° costs {dv:.0f} m/s",
                    dv,
                )
        return True, None, None
    # Nearest inclination reachable with an allowed (ground-relative) azimuth.
    inertial = np.radians(np.arange(0.0, 360.0, 0.05))
    ground = np.degrees(physics.rotating_azimuth_rad(inertial, lat_rad, insertion_speed))
    usable = azimuth_allowed(ground, site.azimuth_ranges_deg)
    reachable = np.degrees(physics.inclination_from_azimuth_rad(lat_rad, inertial[usable]))
    delta_i = float(np.min(np.abs(reachable - inclination_deg))) if reachable.size else float("nan")
    dv = _plane_change_m_s(delta_i, orbit_speed)
    return (
        False,
        f"no allowed launch azimuth: the plane needs {needed[0]:.1f}° ({compass_point(needed[0])}, "
        f"northbound) or {needed[1]:.1f}° ({compass_point(needed[1])}, southbound), the site allows "
        f"{_ranges_text(site.azimuth_ranges_deg)}; the nearest allowed "
        f"orbit needs a {delta_i:.2f}° plane change, {dv:.0f} m/s",
        dv,
    )


# --- the service --------------------------------------------------------------------------------


COMPASS_POINTS = ("N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE",
                  "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW")


def compass_point(azimuth_deg: float) -> str:
    """The 16-point compass word of an azimuth (deg clockwise from north): the point whose
    22.5°-wide sector holds it, so 357° is "N", 62° "ENE", 183° "S".
    """
    sector = int(np.floor((float(azimuth_deg) % 360.0) / 22.5 + 0.5)) % 16
    return COMPASS_POINTS[sector]


@dataclass(frozen=True)
class LaunchOpportunity:
    """One launch into the station's plane.

    ``azimuth_deg`` is the ground-relative launch azimuth (Earth rotation removed), the one range
    safety limits; ``inertial_azimuth_deg`` the non-rotating one, sin β = cos i / cos φ.
    ``phase_angle_deg`` is the station's angle ahead of the chaser at insertion, in [0, 360).
    """

    launch_utc: datetime
    insertion_utc: datetime
    plane_crossing_utc: datetime
    azimuth_deg: float
    direction: str  # 16-point compass word of azimuth_deg ("NE", "ENE", "S", ...)
    phase_angle_deg: float
    schemes: list[SchemeOption]
    inertial_azimuth_deg: float
    plane_inclination_deg: float
    # Liftoff after (crossing - lead) that lets the fastest feasible scheme's phasing below the
    # station end in its plane (physics.phasing_node_delay_s); 0 without a feasible scheme.
    phasing_delay_s: float = 0.0


@dataclass(frozen=True)
class WindowsResult:
    """Launch opportunities from a site to a station over a period."""

    site: str
    station: str
    vehicle: str | None
    start_utc: datetime
    days: float
    opportunities: list[LaunchOpportunity]
    unreachable_reason: str | None
    plane_change_delta_v_m_s: float | None
    launcher: str | None = None
    launch_lead_s: float | None = None
    notes: list[str] = field(default_factory=list)


def phasing_delay_s(options: list[SchemeOption], orbit: StationOrbit, insertion_altitude_km: float) -> float:
    """Liftoff delay (s) for the fastest of ``options`` (0 if none): its phasing below the station,
    at a semi-major axis midway between the insertion orbit and the station's (the chaser climbs),
    loses node that the launch makes up by aiming east (:func:`physics.phasing_node_delay_s`)."""
    if not options:
        return 0.0
    chaser_a_km = 0.5 * (physics.R_EARTH_EQ_KM + insertion_altitude_km + orbit.semi_major_axis_km)
    return float(physics.phasing_node_delay_s(min(o.duration_h for o in options) * 3600.0,
                                              orbit.semi_major_axis_km, chaser_a_km,
                                              np.radians(orbit.inclination_deg)))


def launch_lead_s(launcher) -> float:
    """Liftoff before the pad's in-plane instant (s): the launcher's calibrated lead, fitted to
    real launches (``launch_lead_s`` in the catalog), else the guidance model T/2."""
    if launcher.launch_lead_s is not None:
        return float(launcher.launch_lead_s)
    return float(physics.launch_lead_s(launcher.insertion_time_s))


def default_vehicle_id(site_id: str) -> str | None:
    """The first crew vehicle (operational ones first, then catalog order) flying from a site."""
    vehicles = [v for v in load_catalog().vehicles.values() if site_id in v.sites]
    vehicles.sort(key=lambda v: v.status != "operational")
    return vehicles[0].id if vehicles else None


def _pick_launcher(cat, site: Site, vehicle, launcher_id: str | None):
    """The launcher for this site and vehicle, or ``(None, reason)``."""
    if launcher_id is not None:
        launcher = lookup(cat, "launchers", launcher_id, "launcher")
        if launcher.id not in site.launchers:
            return None, f"launcher {launcher.id} does not fly from {site.id} (it has {', '.join(site.launchers) or 'none'})"
        return launcher, None
    candidates = [lid for lid in (vehicle.launchers if vehicle else site.launchers) if lid in site.launchers]
    if not candidates:
        if vehicle is not None:
            return None, (
                f"{vehicle.id} flies on {', '.join(vehicle.launchers)}, none of which flies from {site.id}"
            )
        return None, f"no launcher flies from {site.id}"
    return cat.launcher(candidates[0]), None


def launch_opportunities(
    site_id: str,
    orbit: StationOrbit,
    start_utc: datetime,
    days: float,
    *,
    vehicle_id: str | None = None,
    launcher_id: str | None = None,
) -> WindowsResult:
    """Every launch opportunity from a catalog site into the station's plane in ``days`` from
    ``start_utc``, with azimuth, direction, phase angle and the vehicle's feasible rendezvous
    schemes (default vehicle: the first crew vehicle flying from the site).

    The orbit's age is not re-checked here: build it for the period (``StationOrbit.from_catalog(...,
    reference_utc=start_utc)``).
    """
    check_search_days(days)
    cat = load_catalog()
    site = lookup(cat, "sites", site_id, "site")
    start_utc = as_utc(start_utc)
    vehicle_id = vehicle_id or default_vehicle_id(site.id)
    vehicle = lookup(cat, "vehicles", vehicle_id, "vehicle") if vehicle_id else None

    def result(opportunities=(), reason=None, dv=None, launcher=None, lead=None, notes=()):
        return WindowsResult(
            site=site.id, station=orbit.name, vehicle=vehicle.id if vehicle else None, start_utc=start_utc,
            days=days, opportunities=list(opportunities), unreachable_reason=reason,
            plane_change_delta_v_m_s=dv, launcher=launcher.id if launcher else None, launch_lead_s=lead,
            notes=list(notes),
        )

    if vehicle is not None and site.id not in vehicle.sites:
        return result(reason=f"{vehicle.id} is not flown from {site.id} (its sites: {', '.join(vehicle.sites)})")
    launcher, why_not = _pick_launcher(cat, site, vehicle, launcher_id)
    if launcher is None:
        return result(reason=why_not)
    insertion_alt = rendezvous.insertion_altitude_km(launcher, DEFAULT_INSERTION_ALTITUDE_KM)
    ok, reason, dv = site_can_reach(
        site, orbit.inclination_deg, altitude_km=orbit.mean_altitude_km, insertion_altitude_km=insertion_alt
    )
    if not ok:
        return result(reason=reason, dv=dv, launcher=launcher)

    lead_s = launch_lead_s(launcher)
    downrange = rendezvous.ascent_downrange_km(launcher)
    notes = [] if launcher.ascent_profile else [
        f"{launcher.id} has no ascent profile: insertion {downrange:.0f} km downrange and "
        f"{insertion_alt:g} km high are assumptions"
    ]
    if launcher.launch_lead_s is None:
        notes.append(
            f"{launcher.id} has no lead fitted to real launches: liftoff {lead_s:.0f} s before the "
            "in-plane instant is the guidance model (half the time to insertion), which ran 1-3 min "
            "early on the launchers that have one"
        )
    jd0 = datetime_to_jd(start_utc)
    crossings = find_plane_crossings(
        orbit, site.latitude_deg, site.longitude_deg, site.altitude_m / 1e3,
        jd0 + lead_s / physics.SECONDS_PER_DAY, jd0 + days + lead_s / physics.SECONDS_PER_DAY,
    )
    inertial_deg, ground = ground_azimuths_deg(site.latitude_deg, crossings, insertion_alt)
    insertion_period = float(physics.circular_period_s(physics.R_EARTH_EQ_KM + insertion_alt))
    keep = azimuth_allowed(ground, site.azimuth_ranges_deg) & np.isfinite(ground)
    schemes = vehicle.rendezvous if vehicle else []
    site_arg_lat = crossings.site_arg_lat_rad[keep]

    def at(launch_jd):
        insertion_jd = launch_jd + launcher.insertion_time_s / physics.SECONDS_PER_DAY
        phases = rendezvous.phase_angles_deg(orbit, insertion_jd, site_arg_lat, downrange) if keep.any() else np.empty(0)
        options = [
            rendezvous.feasible_schemes(schemes, float(phase), jd_to_datetime(jd), launcher.insertion_time_s,
                                        orbit.period_s, insertion_period)
            for phase, jd in zip(phases, launch_jd, strict=True)
        ]
        return insertion_jd, phases, options

    # Liftoff = crossing - lead, then later by the node the fastest feasible scheme's phasing
    # below the station will lose (docs/orbits.md, "Launch time"); the phase and the schemes are
    # re-evaluated at that liftoff.
    launch_jd = crossings.jd_utc[keep] - lead_s / physics.SECONDS_PER_DAY
    _, _, options = at(launch_jd)
    delays = np.array([phasing_delay_s(opts, orbit, insertion_alt) for opts in options])
    launch_jd = launch_jd + delays / physics.SECONDS_PER_DAY
    insertion_jd, phases, options = at(launch_jd)
    opportunities = [
        LaunchOpportunity(
            launch_utc=jd_to_datetime(launch_jd[k]),
            insertion_utc=jd_to_datetime(insertion_jd[k]),
            plane_crossing_utc=jd_to_datetime(crossings.jd_utc[idx]),
            azimuth_deg=float(ground[idx]),
            direction=compass_point(ground[idx]),
            phase_angle_deg=float(phases[k]),
            schemes=options[k],
            inertial_azimuth_deg=float(inertial_deg[idx]),
            plane_inclination_deg=float(np.degrees(crossings.inclination_rad[idx])),
            phasing_delay_s=float(delays[k]),
        )
        for k, idx in enumerate(np.flatnonzero(keep))
    ]
    return result(opportunities, launcher=launcher, lead=lead_s, notes=notes)

