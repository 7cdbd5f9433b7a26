"""Landing opportunities: when a vehicle leaving a station can land in one of its recovery zones.

Model (documented in ``docs/orbits.md``, "Landings"):

* The vehicle undocks and stays close to the station's orbit, so its state at the deorbit burn is
  the station's (SGP4 from the station's elements). Undocking may be put off by any amount, so
  every burn time after ``undock + undock_to_burn`` is a candidate; the catalog's deorbit profile
  gives the timeline (undock → burn → landing).
* Entry: the capsule is flown (:func:`deorbit_entry`) from the station state at mid-burn, minus the
  profile's Δv along the inertial velocity, through the atmosphere
  (:func:`lifeboat.orbits.entry.simulate_entry`, the mean vertical L/D of the vehicle's guided
  entry model, its parachute) to touchdown. The touchdown, taken back to inertial axes, gives the
  angle Δu travelled along the orbit plane from the burn-start position and the angle δ out of the
  plane. Both depend on where in the orbit the burn happens (the capsule ends up turning with the
  Earth and its air, which moves it east by a few hundred km, a different mix of along- and
  cross-track on each part of the orbit), so the capsule is flown for ``ENTRY_PHASES`` burn points
  spread over one revolution and Δu, δ are interpolated in the burn's argument of latitude
  (the orbit being near-circular and the Earth axisymmetric, the node does not matter).
* For every candidate burn time the landing point is the station's burn-time inertial (TEME)
  position turned by Δu about the orbit normal and tilted by δ out of the plane, placed on the
  rotating Earth at the landing time (burn + ``burn_to_landing_s`` from the catalog timeline).
* Candidates are sampled every ``SAMPLE_STEP_S``; each run of consecutive candidates landing inside
  a zone polygon is one opportunity, aimed at the candidate that lands nearest the zone's centroid
  (refined to ``REFINE_STEP_S``).

Accuracy: the landing point moves ~7 km along track per second of burn time. The entry model is
the largest error: a mean-L/D flight stands in for the guided entry (the whole ballistic-vs-guided
difference is ~300-500 km, RussianSpaceWeb, Soyuz landing), so the landing point is good to roughly ±150 km along
track (±20 s of burn time) and ±50 km across; interpolating between entry phases adds < 10 km; a
stale TLE adds its along-track error (a few km per day of age). Zone membership of a pass that
grazes a polygon's edge is uncertain accordingly.

Daylight: the geometric elevation of the Sun's centre at the landing point and time, from DE421
(skyfield); daylight means the top of the Sun is above the horizon, i.e. elevation > −0.833°
(16' solar semi-diameter plus 34' standard refraction).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from lifeboat.catalog import load_catalog
from lifeboat.catalog.models import DeorbitProfile
from lifeboat.ephemeris import de421, timescale
from lifeboat.errors import InputError
from lifeboat.orbits import lookup
from lifeboat.orbits.abort import capsule_model
from lifeboat.orbits.entry import Capsule, EntryResult, simulate_entry
from lifeboat.orbits.entry_fast import touchdowns
from lifeboat.orbits.frames import (
    ecef_to_geodetic,
    geodetic_to_ecef,
    jd_ut1_from_utc,
    teme_to_ecef,
    teme_to_ecef_state,
)
from lifeboat.orbits.geo import (
    EARTH_MEAN_RADIUS_KM,
    enu_basis,
    great_circle_distance_km,
    point_in_polygon,
    polygon_centroid,
)
from lifeboat.orbits.physics import OMEGA_EARTH_RAD_S, SECONDS_PER_DAY, argument_of_latitude_rad
from lifeboat.orbits.station import DEFAULT_MAX_TLE_AGE_DAYS, StationOrbit
from lifeboat.timeutil import as_utc, datetime_to_jd, jd_to_datetime

ENTRY_PHASES = 16
SAMPLE_STEP_S = 10.0
REFINE_STEP_S = 0.25
SUNRISE_ELEVATION_DEG = -0.833  # semi-diameter 16' + standard refraction 34'
_KM_PER_DEG = math.radians(1.0) * EARTH_MEAN_RADIUS_KM


@dataclass(frozen=True)
class LandingOpportunity:
    """One deorbit opportunity: undock, burn start and landing times (UTC) and where it lands.

    ``zone`` is the recovery-zone id. ``orbit_number`` counts the station's ascending-node passages since the earliest undock time,
    starting at 1. ``sun_elevation_deg`` is the Sun's elevation at the landing point and time.
    ``entry_range_deg`` is the angle flown along the orbit plane from the burn start to touchdown
    and ``cross_range_km`` the touchdown's offset from the plane (+ toward the orbit normal, i.e.
    left of the ground track), both from the entry flight.
    """

    undock_utc: datetime
    burn_utc: datetime
    landing_utc: datetime
    zone: str
    latitude_deg: float
    longitude_deg: float
    daylight: bool
    sun_elevation_deg: float
    orbit_number: int
    entry_range_deg: float
    cross_range_km: float
    # Landing plus the zone's recovery response: the crew out of the capsule ("crew home").
    # None where the zone's response time is not sourced.
    crew_out_utc: datetime | None = None


@dataclass(frozen=True)
class LandingsResult:
    """Opportunities after ``earliest_undock_utc`` within ``days``, in time order.

    ``entry_flight_s`` is the simulated burn-start-to-touchdown time (mean over the burn points of
    one revolution), to compare with the catalog's ``burn_to_landing_s``; the timeline reported
    uses the catalog's.
    """

    vehicle: str
    station: str | None
    earliest_undock_utc: datetime
    days: float
    daylight_only: bool
    zones: list[str]
    undock_to_burn_s: float
    burn_to_landing_s: float
    delta_v_m_s: float
    entry_model: str
    entry_flight_s: float
    opportunities: list[LandingOpportunity]


def _sun_and_earth():
    eph = de421()
    return eph["sun"], eph["earth"]


def sun_elevation_deg(lat_deg, lon_deg, jd_utc) -> np.ndarray:
    """Geometric elevation (deg) of the Sun's centre at geodetic points and UTC Julian dates.

    Vectorised over equal-length arrays; DE421 Sun, topocentric, no refraction.
    """
    from skyfield.framelib import itrs

    lat = np.atleast_1d(np.asarray(lat_deg, float))
    lon = np.atleast_1d(np.asarray(lon_deg, float))
    jd = np.atleast_1d(np.asarray(jd_utc, float))
    sun, earth = _sun_and_earth()
    t = timescale().from_datetimes([jd_to_datetime(x) for x in jd])
    sun_km = earth.at(t).observe(sun).frame_xyz(itrs).km.reshape(3, -1).T
    site_km = geodetic_to_ecef(lat, lon, np.zeros_like(lat))
    up = np.stack([enu_basis(a, b)[2] for a, b in zip(lat, lon, strict=True)])
    rel = sun_km - site_km
    rel /= np.linalg.norm(rel, axis=1, keepdims=True)
    return np.degrees(np.arcsin(np.clip(np.sum(rel * up, axis=1), -1.0, 1.0)))


@dataclass(frozen=True)
class DeorbitEntry:
    """A deorbit burn and entry, from the burn start to touchdown: the angle travelled along the
    orbit plane (rad), the touchdown's angular offset out of the plane (rad, + toward the orbit
    normal), the time (s), and the entry flight itself (times from the burn midpoint)."""

    central_angle_rad: float
    cross_range_rad: float
    flight_s: float
    flight: EntryResult


def _burn_state(orbit: StationOrbit, burn_jd_utc: float, profile: DeorbitProfile):
    """The station's TEME position at the burn start (km), and the Earth-fixed state at the burn
    midpoint after the impulsive retrograde Δv (m, Earth-relative m/s), the inertial velocity
    there in Earth-fixed axes (m/s) and the midpoint's JD UT1."""
    mid_jd = burn_jd_utc + profile.burn_duration_s / 2.0 / SECONDS_PER_DAY
    r_start, _ = orbit.state_teme(burn_jd_utc)
    r_mid, v_mid = orbit.state_teme(mid_jd)
    r_start, r_mid, v_mid = (np.asarray(a, float).reshape(3) for a in (r_start, r_mid, v_mid))
    v_mid = v_mid * (1.0 - profile.delta_v_m_s / 1e3 / np.linalg.norm(v_mid))
    mid_ut1 = float(jd_ut1_from_utc(mid_jd))
    r_ecef, v_rel = (np.asarray(a, float).reshape(3) * 1e3 for a in teme_to_ecef_state(r_mid, v_mid, mid_ut1))
    v_inertial = np.asarray(teme_to_ecef(v_mid, mid_ut1), float).reshape(3) * 1e3
    return r_start, r_ecef, v_rel, v_inertial, mid_ut1


def _entry_angles(r_start_teme_km, r_ecef_m, v_inertial_m_s, mid_ut1, touchdown_ecef_m, touchdown_t_s):
    """Angle flown along the orbit plane from the burn start to touchdown, and the touchdown's
    angle out of the plane (rad, + toward the orbit normal)."""
    # Touchdown back into the burn-midpoint Earth-fixed axes (treated as inertial): rotate by +ωt.
    ang = OMEGA_EARTH_RAD_S * touchdown_t_s
    c, s = math.cos(ang), math.sin(ang)
    td = touchdown_ecef_m
    td_inertial = np.array([c * td[0] - s * td[1], s * td[0] + c * td[1], td[2]])
    start_ecef = np.asarray(teme_to_ecef(r_start_teme_km, mid_ut1), float).reshape(3) * 1e3
    normal = np.cross(r_ecef_m, v_inertial_m_s)
    normal /= np.linalg.norm(normal)
    in_plane = td_inertial - (td_inertial @ normal) * normal
    du = math.atan2(np.cross(start_ecef, in_plane) @ normal, start_ecef @ in_plane)
    cross = math.asin(float(td_inertial @ normal) / float(np.linalg.norm(td_inertial)))
    return du % (2.0 * math.pi), cross


def deorbit_entry(
    orbit: StationOrbit, burn_jd_utc: float, profile: DeorbitProfile, capsule: Capsule
) -> DeorbitEntry:
    """Fly a capsule from the station's state at a deorbit burn starting at ``burn_jd_utc`` (UTC).

    The burn is impulsive at its midpoint, retrograde along the inertial velocity, of the profile's
    Δv; the capsule then flies to touchdown (:func:`lifeboat.orbits.entry.simulate_entry`, the
    adaptive reference integration).
    """
    r_start, r_ecef, v_rel, v_inertial, mid_ut1 = _burn_state(orbit, burn_jd_utc, profile)
    try:
        flight = simulate_entry(r_ecef, v_rel, capsule, earth="wgs84", rtol=1e-7, atol=1e-3)
    except ValueError as exc:
        raise InputError(
            f"the deorbit burn of {profile.delta_v_m_s:g} m/s does not bring the capsule down: {exc}",
            source="deorbit profile",
        ) from None
    du, cross = _entry_angles(r_start, r_ecef, v_inertial, mid_ut1, flight.touchdown_r_ecef_m,
                              flight.touchdown_t_s)
    return DeorbitEntry(du, cross, profile.burn_duration_s / 2.0 + flight.touchdown_t_s, flight)


@dataclass(frozen=True)
class _EntryTable:
    """Δu and δ (rad) of the entry as functions of the burn's argument of latitude (rad)."""

    phase_rad: np.ndarray
    central_angle_rad: np.ndarray
    cross_range_rad: np.ndarray
    flight_s: float

    def at(self, phase_rad: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        two_pi = 2.0 * math.pi
        return (
            np.interp(phase_rad, self.phase_rad, self.central_angle_rad, period=two_pi),
            np.interp(phase_rad, self.phase_rad, self.cross_range_rad, period=two_pi),
        )


def _entry_table(orbit, first_burn_jd: float, profile: DeorbitProfile, capsule: Capsule):
    """Δu and δ at ``ENTRY_PHASES`` burn points over one revolution, all flown at once by the
    compiled kernel (:func:`lifeboat.orbits.entry_fast.touchdowns`)."""
    jds = first_burn_jd + np.arange(ENTRY_PHASES) * orbit.period_s / ENTRY_PHASES / SECONDS_PER_DAY
    burns = [_burn_state(orbit, jd, profile) for jd in jds]
    positions, times = touchdowns(np.array([b[1] for b in burns]), np.array([b[2] for b in burns]), capsule)
    if not np.all(np.isfinite(times)):
        raise InputError(
            f"the deorbit burn of {profile.delta_v_m_s:g} m/s does not bring the capsule down",
            source="deorbit profile",
        )
    angles = [_entry_angles(b[0], b[1], b[3], b[4], pos, t) for b, pos, t in zip(burns, positions, times, strict=True)]
    r, v = orbit.state_teme(jds)
    correction_rad = profile.entry_range_correction_km / EARTH_MEAN_RADIUS_KM
    return _EntryTable(
        phase_rad=argument_of_latitude_rad(r, np.cross(r, v)),
        central_angle_rad=np.array([a[0] for a in angles]) + correction_rad,
        cross_range_rad=np.array([a[1] for a in angles]),
        flight_s=float(profile.burn_duration_s / 2.0 + np.mean(times)),
    )


def _landing_points(orbit, burn_jd, table: _EntryTable, burn_to_landing_s):
    """Landing points for an array of burn-start UTC JDs: geodetic lat, lon (deg), the station's
    TEME z (km) at the burns, and the entry's Δu and δ (rad) used."""
    r, v = orbit.state_teme(burn_jd)
    r, v = np.asarray(r, float).reshape(-1, 3), np.asarray(v, float).reshape(-1, 3)
    k = np.cross(r, v)
    k /= np.linalg.norm(k, axis=1, keepdims=True)
    rhat = r / np.linalg.norm(r, axis=1, keepdims=True)
    du, cross = table.at(argument_of_latitude_rad(r, np.cross(r, v)))
    # r̂ turned by Δu about the orbit normal k (k ⟂ r̂), then tilted by δ out of the plane.
    in_plane = rhat * np.cos(du)[:, None] + np.cross(k, rhat) * np.sin(du)[:, None]
    land = in_plane * np.cos(cross)[:, None] + k * np.sin(cross)[:, None]
    land_ecef = teme_to_ecef(
        land * EARTH_MEAN_RADIUS_KM, jd_ut1_from_utc(burn_jd + burn_to_landing_s / SECONDS_PER_DAY)
    )
    lat, lon, _ = ecef_to_geodetic(land_ecef)
    return (
        np.asarray(lat, float).reshape(-1),
        np.asarray(lon, float).reshape(-1),
        r[:, 2],
        du,
        cross,
    )


def landing_opportunities(
    vehicle_id: str,
    orbit: StationOrbit,
    undock_utc: datetime,
    *,
    days: float = 2.0,
    daylight_only: bool = False,
    zone_ids: list[str] | None = None,
    deorbit: DeorbitProfile | None = None,
    station_id: str | None = None,
) -> LandingsResult:
    """Deorbit opportunities landing in the vehicle's recovery zones, undocking in [undock, +days].

    ``deorbit`` overrides the catalog's profile (e.g. MS-22's fast uncrewed return);
    ``zone_ids`` restricts the zones (each must be one of the vehicle's); ``station_id`` only
    labels the result.
    """
    cat = load_catalog()
    vehicle = lookup(cat, "vehicles", vehicle_id, "vehicle")
    profile = deorbit or vehicle.deorbit
    if profile is None:
        raise InputError(
            f"vehicle {vehicle.id!r} has no deorbit profile in the catalog", param="vehicle"
        )
    if not (0.0 < days <= 30.0):
        raise InputError(f"must be in (0, 30], got {days:g}", param="days")
    zones = list(vehicle.recovery_zones) if zone_ids is None else list(zone_ids)
    for z in zones:
        if z not in vehicle.recovery_zones:
            raise InputError(
                f"zone {z!r} is not a recovery zone of {vehicle.id} "
                f"({', '.join(vehicle.recovery_zones) or 'none'})",
                param="zone",
            )
    if not zones:
        raise InputError(f"vehicle {vehicle.id!r} has no recovery zones", param="vehicle")

    undock_utc = as_utc(undock_utc)
    undock_jd = datetime_to_jd(undock_utc)
    first_burn_jd = undock_jd + profile.undock_to_burn_s / SECONDS_PER_DAY
    table = _entry_table(orbit, first_burn_jd, profile, capsule_model(vehicle.id).guided())

    n = int(days * SECONDS_PER_DAY / SAMPLE_STEP_S) + 1
    offsets_s = np.arange(n) * SAMPLE_STEP_S
    burn_jd = first_burn_jd + offsets_s / SECONDS_PER_DAY
    lat, lon, z_km, _, _ = _landing_points(orbit, burn_jd, table, profile.burn_to_landing_s)
    ascending = np.concatenate(([0], np.cumsum((z_km[1:] >= 0.0) & (z_km[:-1] < 0.0))))

    found: list[tuple] = []
    for zone_id in zones:
        zone = cat.zone(zone_id)
        polygon = zone.polygon
        c_lat, c_lon = zone.aim_deg if zone.aim_deg is not None else polygon_centroid(polygon)
        inside = point_in_polygon(lat, lon, polygon)
        edges = np.flatnonzero(np.diff(np.concatenate(([0], inside.astype(np.int8), [0]))))
        for start, stop in zip(edges[0::2], edges[1::2], strict=True):
            fine_s = np.arange(
                offsets_s[start] - SAMPLE_STEP_S, offsets_s[stop - 1] + SAMPLE_STEP_S, REFINE_STEP_S
            )
            fine_s = fine_s[(fine_s >= 0.0) & (fine_s <= offsets_s[-1])]
            f_lat, f_lon, _, f_du, f_cross = _landing_points(
                orbit, first_burn_jd + fine_s / SECONDS_PER_DAY, table, profile.burn_to_landing_s
            )
            ok = point_in_polygon(f_lat, f_lon, polygon)
            dist = np.where(ok, great_circle_distance_km(f_lat, f_lon, c_lat, c_lon), np.inf)
            best = int(np.argmin(dist))
            if not np.isfinite(dist[best]):
                continue
            found.append(
                (
                    float(fine_s[best]),
                    zone_id,
                    float(f_lat[best]),
                    float(f_lon[best]),
                    1 + int(ascending[start]),
                    math.degrees(f_du[best]),
                    math.degrees(f_cross[best]) * _KM_PER_DEG,
                )
            )
    found.sort()

    landing_jd = np.array(
        [first_burn_jd + (f[0] + profile.burn_to_landing_s) / SECONDS_PER_DAY for f in found]
    )
    elevation = (
        sun_elevation_deg([f[2] for f in found], [f[3] for f in found], landing_jd)
        if found
        else np.array([])
    )
    first_burn = undock_utc + timedelta(seconds=profile.undock_to_burn_s)
    opportunities = []
    for (offset_s, zone_id, f_lat, f_lon, orbit_no, du_deg, cross_km), elev in zip(
        found, elevation, strict=True
    ):
        daylight = bool(elev > SUNRISE_ELEVATION_DEG)
        if daylight_only and not daylight:
            continue
        burn = first_burn + timedelta(seconds=offset_s)
        landing = burn + timedelta(seconds=profile.burn_to_landing_s)
        zone = cat.zone(zone_id)
        if (zone.used_from and landing.date() < zone.used_from) or (zone.used_until and landing.date() > zone.used_until):
            continue  # the zone was not (or no longer) in use on that date
        response_s = zone.recovery_response_s
        opportunities.append(
            LandingOpportunity(
                undock_utc=burn - timedelta(seconds=profile.undock_to_burn_s),
                burn_utc=burn,
                landing_utc=landing,
                zone=zone_id,
                latitude_deg=f_lat,
                longitude_deg=f_lon,
                daylight=daylight,
                sun_elevation_deg=float(elev),
                orbit_number=orbit_no,
                entry_range_deg=du_deg,
                cross_range_km=cross_km,
                crew_out_utc=landing + timedelta(seconds=response_s) if response_s is not None else None,
            )
        )
    return LandingsResult(
        vehicle=vehicle.id,
        station=station_id,
        earliest_undock_utc=undock_utc,
        days=days,
        daylight_only=daylight_only,
        zones=zones,
        undock_to_burn_s=profile.undock_to_burn_s,
        burn_to_landing_s=profile.burn_to_landing_s,
        delta_v_m_s=profile.delta_v_m_s,
        entry_model=capsule_model(vehicle.id).name,
        entry_flight_s=table.flight_s,
        opportunities=opportunities,
    )


def next_landing(
    vehicle_id: str,
    station_id: str,
    after_utc: datetime,
    *,
    days: float = 2.0,
    daylight_only: bool = False,
    max_tle_age_days: float = DEFAULT_MAX_TLE_AGE_DAYS,
) -> LandingOpportunity | None:
    """The first landing opportunity undocking at or after ``after_utc`` from a catalog station.

    The station's orbit is its catalog elements (``StationOrbit.from_catalog``, refused if their
    epoch is more than ``max_tle_age_days`` from ``after_utc``). Returns ``None`` if there is none
    within ``days``.
    """
    orbit = StationOrbit.from_catalog(
        station_id, reference_utc=after_utc, max_age_days=max_tle_age_days
    )
    result = landing_opportunities(
        vehicle_id, orbit, after_utc, days=days, daylight_only=daylight_only, station_id=station_id
    )
    return result.opportunities[0] if result.opportunities else None
