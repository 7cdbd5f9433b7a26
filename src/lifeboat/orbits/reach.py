"""Reachability matrix: which catalog sites and crew vehicles can reach a station's orbit, how
often, and why not where they cannot.

Per site (geometry only): does the plane pass over the site, is a launch azimuth into it allowed,
how many allowed plane crossings per day, and the plane-change Δv when it cannot reach directly
(:func:`lifeboat.orbits.windows.site_can_reach`). Per site × crew vehicle: is the vehicle flown
from the site on a launcher that flies there and has carried crew, and how many opportunities per
day have at least one feasible rendezvous scheme (:func:`launch_opportunities`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np

from lifeboat.catalog import load_catalog
from lifeboat.orbits.station import StationOrbit
from lifeboat.orbits.windows import (
    DEFAULT_INSERTION_ALTITUDE_KM,
    azimuth_allowed,
    check_search_days,
    find_plane_crossings,
    ground_azimuths_deg,
    launch_opportunities,
    site_can_reach,
)
from lifeboat.timeutil import as_utc, datetime_to_jd


@dataclass(frozen=True)
class SiteReach:
    """Geometry of one site against the orbit plane (no vehicle)."""

    site: str
    latitude_deg: float
    reachable: bool
    reason: str | None
    plane_crossings_per_day: float
    allowed_crossings_per_day: float
    plane_change_delta_v_m_s: float | None


@dataclass(frozen=True)
class ReachCell:
    """One site × crew vehicle."""

    site: str
    vehicle: str
    vehicle_status: str
    reachable: bool
    reason: str | None
    launcher: str | None
    opportunities_per_day: float
    opportunities_with_scheme_per_day: float
    plane_change_delta_v_m_s: float | None


@dataclass(frozen=True)
class ReachMatrix:
    station: str
    inclination_deg: float
    altitude_km: float
    start_utc: datetime
    days: float
    sites: list[SiteReach]
    cells: list[ReachCell]


def _site_geometry(site, orbit: StationOrbit, jd0: float, days: float) -> SiteReach:
    ok, reason, dv = site_can_reach(site, orbit.inclination_deg, altitude_km=orbit.mean_altitude_km)
    crossings = find_plane_crossings(
        orbit, site.latitude_deg, site.longitude_deg, site.altitude_m / 1e3, jd0, jd0 + days
    )
    _, ground = ground_azimuths_deg(site.latitude_deg, crossings, DEFAULT_INSERTION_ALTITUDE_KM)
    allowed = int(np.count_nonzero(azimuth_allowed(ground, site.azimuth_ranges_deg))) if ok else 0
    return SiteReach(
        site=site.id,
        latitude_deg=site.latitude_deg,
        reachable=ok,
        reason=reason,
        plane_crossings_per_day=crossings.jd_utc.size / days,
        allowed_crossings_per_day=allowed / days,
        plane_change_delta_v_m_s=dv,
    )


def _cell(cat, site, vehicle, orbit: StationOrbit, start_utc: datetime, days: float) -> ReachCell:
    def cell(reachable=False, reason=None, launcher=None, per_day=0.0, with_scheme=0.0, dv=None):
        return ReachCell(
            site=site.id, vehicle=vehicle.id, vehicle_status=vehicle.status, reachable=reachable,
            reason=reason, launcher=launcher, opportunities_per_day=per_day,
            opportunities_with_scheme_per_day=with_scheme, plane_change_delta_v_m_s=dv,
        )

    if site.id not in vehicle.sites:
        return cell(reason=f"{vehicle.id} is not flown from this site")
    if not site.crewed_pad:
        return cell(reason="the site has no crew launch pad")
    result = launch_opportunities(site.id, orbit, start_utc, days, vehicle_id=vehicle.id)
    if result.launcher is None or result.unreachable_reason:
        return cell(reason=result.unreachable_reason, launcher=result.launcher,
                    dv=result.plane_change_delta_v_m_s)
    per_day = len(result.opportunities) / days
    with_scheme = sum(1 for o in result.opportunities if o.schemes) / days
    launcher = cat.launcher(result.launcher)
    if launcher.crewed_flights == 0:
        return cell(reason=f"launcher {launcher.id} has not flown crew (not human-rated yet)",
                    launcher=launcher.id, per_day=per_day, with_scheme=with_scheme)
    if not vehicle.rendezvous:
        return cell(reachable=True, reason="no rendezvous scheme in the catalog for this vehicle",
                    launcher=launcher.id, per_day=per_day)
    return cell(reachable=True, launcher=launcher.id, per_day=per_day, with_scheme=with_scheme)


def reachability(orbit: StationOrbit, *, start_utc: datetime, days: float = 30.0) -> ReachMatrix:
    """Every catalog site × crew vehicle against ``orbit`` over ``days`` from ``start_utc``."""
    check_search_days(days)
    cat = load_catalog()
    start_utc = as_utc(start_utc)
    jd0 = datetime_to_jd(start_utc)
    sites = [_site_geometry(site, orbit, jd0, days) for site in cat.sites.values()]
    cells = [
        _cell(cat, site, vehicle, orbit, start_utc, days)
        for site in cat.sites.values()
        for vehicle in cat.vehicles.values()
    ]
    return ReachMatrix(
        station=orbit.name,
        inclination_deg=orbit.inclination_deg,
        altitude_km=orbit.mean_altitude_km,
        start_utc=start_utc,
        days=days,
        sites=sites,
        cells=cells,
    )
