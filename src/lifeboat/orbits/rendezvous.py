"""Rendezvous: the station's phase angle at the chaser's orbit insertion, and which of a vehicle's
rendezvous schemes can absorb it, with the docking time of each.

Model (``docs/orbits.md``, "Rendezvous"):

* **Insertion point.** The chaser is inserted into the station's plane (coplanar launch) at the
  site's in-plane position at the crossing, advanced by the ascent's ground range
  (``downrange_km`` of the launcher's last ascent-profile point) over the Earth's mean radius
  (``geo.EARTH_MEAN_RADIUS_KM``).
* **Phase angle** φ: the station's argument of latitude at insertion minus the insertion point's,
  in degrees in [0, 360) — how far the station is ahead of the chaser along the orbit.
* **Scheme feasibility.** φ inside the scheme's ``phase_window_deg``; a ``target_phased``
  scheme (the station manoeuvres beforehand to set up the phase) at any φ, timed at the
  window's middle.
* **Docking time.** A chaser that makes N revolutions and catches up φ (plus k whole laps)
  meanwhile flies a mean period P_c such that, in the time N·P_c, it covers φ + 360 k more than
  the station: 360·N = 360·N·P_c/P_s + φ + 360 k, so P_c = P_s (1 − (φ + 360 k) / (360 N)), with
  P_s the station's period. k is the most laps that keep P_c at or above the insertion orbit's
  period (the chaser phases from its low insertion orbit; k = 1 for most 2-day cases, 0 for the
  fast schemes). Launch to docking is then
  ``insertion_time_s + N·P_c + final_approach_s`` — no hard-coded durations.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np

from lifeboat.catalog.models import Launcher, RendezvousScheme
from lifeboat.orbits import physics
from lifeboat.orbits.geo import EARTH_MEAN_RADIUS_KM
from lifeboat.orbits.station import StationOrbit

# Mean ground speed from liftoff to insertion of the Soyuz ascent reconstruction in the catalog
# (1,650.8 km in 528.8 s); used only for launchers without an ascent profile (an assumption).
DEFAULT_MEAN_ASCENT_GROUND_SPEED_KM_S = 1650.8 / 528.8


@dataclass(frozen=True)
class SchemeOption:
    """A feasible rendezvous scheme at one launch opportunity."""

    name: str
    dock_utc: datetime
    duration_h: float
    orbits: float


def ascent_downrange_km(launcher: Launcher) -> float:
    """Ground range (km) from the pad to orbit insertion: the ascent profile's last point, or the
    insertion time times :data:`DEFAULT_MEAN_ASCENT_GROUND_SPEED_KM_S` without a profile."""
    if launcher.ascent_profile:
        return launcher.ascent_profile[-1].downrange_km
    return DEFAULT_MEAN_ASCENT_GROUND_SPEED_KM_S * launcher.insertion_time_s


def insertion_altitude_km(launcher: Launcher, default_km: float) -> float:
    """Insertion altitude (km): the ascent profile's last point, else ``default_km``."""
    return launcher.ascent_profile[-1].altitude_km if launcher.ascent_profile else default_km


def phase_angles_deg(
    orbit: StationOrbit, insertion_jd_utc: np.ndarray, site_arg_lat_rad: np.ndarray, downrange_km: float
) -> np.ndarray:
    """Station's angle ahead of the chaser's insertion point at insertion (deg, [0, 360))."""
    r, v = orbit.state_teme(insertion_jd_utc)
    station_u = physics.argument_of_latitude_rad(r, np.cross(r, v))
    chaser_u = np.asarray(site_arg_lat_rad) + downrange_km / EARTH_MEAN_RADIUS_KM
    return physics.phase_angle_deg(station_u, chaser_u)


def catch_up_laps(station_period_s: float, phase_deg: float, orbits: float,
                  insertion_period_s: float | None) -> int:
    """Whole extra laps the chaser gains on the station besides the phase angle.

    The chaser phases from its low insertion orbit, as fast as that orbit allows: the most laps k
    that keep its mean period P_s (1 − (φ + 360 k) / 360 N) at or above the insertion orbit's
    period. Zero for the fast schemes; one for the Soyuz 2-day scheme at most phase angles (a
    chaser at ~200 km gains ~15° per revolution, ~500° in 34). ``None`` → no extra lap.
    """
    if insertion_period_s is None:
        return 0
    return max(0, math.floor(orbits * (1.0 - insertion_period_s / station_period_s) - phase_deg / 360.0))


def chaser_period_s(station_period_s: float, phase_deg: float, orbits: float, laps: int = 0) -> float:
    """Mean chaser period (s) that closes ``phase_deg`` plus ``laps`` whole laps in ``orbits``
    revolutions."""
    return station_period_s * (1.0 - (phase_deg + 360.0 * laps) / (360.0 * orbits))


def scheme_duration_s(
    scheme: RendezvousScheme,
    phase_deg: float,
    *,
    insertion_time_s: float,
    station_period_s: float,
    insertion_period_s: float | None = None,
) -> float:
    """Liftoff-to-docking time (s) of a scheme at a phase angle (deg, on the window's branch)."""
    laps = catch_up_laps(station_period_s, phase_deg, scheme.orbits, insertion_period_s)
    period = chaser_period_s(station_period_s, phase_deg, scheme.orbits, laps)
    return float(physics.rendezvous_duration_s(scheme.orbits, insertion_time_s, period, scheme.final_approach_s))


def feasible_schemes(
    schemes: list[RendezvousScheme],
    phase_deg: float,
    launch_utc: datetime,
    insertion_time_s: float,
    station_period_s: float,
    insertion_period_s: float | None = None,
) -> list[SchemeOption]:
    """The schemes whose phase window holds ``phase_deg``, with docking times, fastest first.
    A scheme first flown after ``launch_utc`` (its ``flown_from``) is not offered; a
    ``target_phased`` scheme is offered at any phase, timed at its window's middle.

    ``insertion_period_s`` (the chaser's period in its insertion orbit) lets long schemes add the
    catch-up laps the chaser makes (:func:`catch_up_laps`).
    """
    options = []
    for scheme in schemes:
        if scheme.flown_from is not None and launch_utc.date() < scheme.flown_from:
            continue
        low, high = scheme.phase_window_deg
        if scheme.target_phased:
            phase_in_window = 0.5 * (low + high)
        elif not physics.in_phase_window(phase_deg, low, high):
            continue
        else:
            # Phase on the window's branch (a window may be written with negative angles).
            phase_in_window = low + (phase_deg - low) % 360.0
        seconds = scheme_duration_s(
            scheme, phase_in_window, insertion_time_s=insertion_time_s,
            station_period_s=station_period_s, insertion_period_s=insertion_period_s,
        )
        options.append(
            SchemeOption(
                name=scheme.name,
                dock_utc=launch_utc + timedelta(seconds=seconds),
                duration_h=seconds / 3600.0,
                orbits=scheme.orbits,
            )
        )
    return sorted(options, key=lambda o: o.dock_utc)
