"""Ascent abort: the capsule's ballistic descent after a launcher failure, liftoff to touchdown.

The state at the failure comes from the launcher's nominal ascent profile in the catalog
(``Launcher.ascent_profile``: altitude, downrange, Earth-relative speed and flight-path angle
against time, interpolated linearly). The capsule is placed on the great circle leaving the site
at the launch azimuth, ``downrange_km`` along it, heading along that great circle, and flown
ballistically (rolling, so lift averages out) by :func:`lifeboat.orbits.entry.simulate_entry` over
the rotating WGS-84 Earth through the U.S. 1976 atmosphere, with its parachute, to touchdown at
``landing_elevation_m`` (the terrain where the capsule comes down; the model carries no terrain,
so it defaults to the launch site's elevation). Under the canopy the capsule sinks at ~8 m/s, so
each kilometre of terrain above the pad shortens the flight by ~2 min.

Not modelled: the separation impulse of the escape motors (tens of m/s), winds, terrain, the
drogue/main sequence in detail (a filled-over-time single canopy), and the soft-landing engines.

Capsule entry parameters are module constants below, with their sources or marked as assumptions
(the catalog carries no aerodynamic data). ``CAPSULE_MODELS`` is keyed by catalog vehicle id.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from lifeboat.catalog import load_catalog
from lifeboat.catalog.models import Launcher, Site
from lifeboat.errors import InputError
from lifeboat.orbits import lookup
from lifeboat.orbits.entry import Capsule, simulate_entry
from lifeboat.orbits.frames import ecef_to_geodetic, geodetic_to_ecef
from lifeboat.orbits.geo import destination, enu_basis, great_circle_distance_km
from lifeboat.orbits.physics import (
    R_EARTH_EQ_KM,
    circular_speed_km_s,
    inertial_azimuth_rad,
    rotating_azimuth_rad,
)


@dataclass(frozen=True)
class CapsuleModel:
    """A capsule's entry description: ballistic by default, ``guided_lift_to_drag`` when guided.

    ``guided_lift_to_drag`` is the mean *vertical* L/D of a nominal guided entry (trim L/D times
    the mean cosine of the bank angle the guidance flies), used for the deorbit-to-landing range.
    """

    name: str
    capsule: Capsule
    guided_lift_to_drag: float
    sources: str
    confidence: str

    def ballistic(self) -> Capsule:
        """The capsule with lift nulled (rolling ballistic entry, as in an ascent abort)."""
        return replace(self.capsule, lift_to_drag=0.0, bank_deg=0.0)

    def guided(self) -> Capsule:
        """The capsule flying its mean vertical L/D (lift up)."""
        return replace(self.capsule, lift_to_drag=self.guided_lift_to_drag, bank_deg=0.0)


def _disc_area_m2(diameter_m: float) -> float:
    return math.pi * diameter_m**2 / 4.0


# Soyuz descent module: ~2,900 kg with crew at entry, maximum diameter 2.17 m, hypersonic Cd
# ~1.2-1.3 (blunt heat shield); main canopy ~1,000 m² deployed at ~9-10 km after two drogues.
# Canopy Cd 0.75 (assumption, typical ring-sail/flat round canopy) gives a descent rate of
# ~7-8 m/s at sea level, matching the quoted ~7 m/s before the soft-landing engines fire.
# The 60 s fill time stands in for the drogue -> reefed main -> full main sequence (assumption).
# Guided entry: the guidance banks the capsule's lift (trim L/D ~0.3) to hold the load near 4 g;
# we fly the mean vertical L/D of 0.10, the value at which a deorbit from the ISS with the
# 128 m/s burn peaks at 4.6 g, as the record does (MS-11: 4-5 g, CSA). Flown
# ballistically, the same entry peaks at ~8.4 g (record: ~8-9 g, RussianSpaceWeb, Soyuz landing).
SOYUZ_DESCENT_MODULE = CapsuleModel(
    name="Soyuz descent module",
    capsule=Capsule(
        mass_kg=2_900.0,
        drag_coefficient=1.25,
        reference_area_m2=_disc_area_m2(2.17),
        chute_drag_area_m2=0.75 * 1_000.0,
        chute_deploy_altitude_m=9_500.0,
        chute_fill_time_s=60.0,
    ),
    guided_lift_to_drag=0.10,
    sources=(
        "Descent module mass ~2,900 kg and living-compartment diameter 2.2 m: RSC Energia, Soyuz "
        "TMA main characteristics (http://www.energia.ru/eng/iss/soyuz-tma/soyuz-tma_01.html); "
        "main parachute 1,000 m²: Rostec, Rostec's parachute system helped land a spaceship with "
        "Japanese tourists (https://www.worldstockmarket.net/rostecs-parachute-system-helped-land-"
        "a-spaceship-with-japanese-tourists); hypersonic Cd 1.2-1.3 (blunt heat shield) and "
        "deployment at ~9-10 km: assumptions; guided mean vertical L/D 0.10: set from the "
        "4-5 g peak load of a nominal Soyuz entry (CSA, Saint-Jacques returns to Earth); canopy Cd 0.75 and fill time: "
        "assumptions."
    ),
    confidence="assumption",
)

# Shenzhou re-entry module: a scaled Soyuz descent module (~2.5 m diameter, ~3,200 kg, main canopy
# ~1,200 m²). Figures from press descriptions; graded as assumptions.
SHENZHOU_REENTRY_MODULE = CapsuleModel(
    name="Shenzhou re-entry module",
    capsule=Capsule(
        mass_kg=3_200.0,
        drag_coefficient=1.25,
        reference_area_m2=_disc_area_m2(2.5),
        chute_drag_area_m2=0.75 * 1_200.0,
        chute_deploy_altitude_m=10_000.0,
        chute_fill_time_s=60.0,
    ),
    guided_lift_to_drag=0.10,
    sources="Press descriptions of Shenzhou (2.5 m, ~3.2 t, 1,200 m² main canopy); assumptions.",
    confidence="assumption",
)

# Any other capsule: a generic blunt capsule of ballistic coefficient ~510 kg/m², flown with the
# Soyuz mean vertical L/D. Only used for the deorbit-to-landing range (a few hundred km).
GENERIC_CAPSULE = CapsuleModel(
    name="generic capsule (assumption)",
    capsule=Capsule(
        mass_kg=9_000.0,
        drag_coefficient=1.4,
        reference_area_m2=_disc_area_m2(4.0),
        chute_drag_area_m2=0.8 * 3_000.0,
        chute_deploy_altitude_m=3_000.0,
        chute_fill_time_s=30.0,
    ),
    guided_lift_to_drag=0.10,
    sources="Generic blunt capsule; all values assumptions.",
    confidence="assumption",
)

CAPSULE_MODELS: dict[str, CapsuleModel] = {
    "soyuz-ms": SOYUZ_DESCENT_MODULE,
    "shenzhou": SHENZHOU_REENTRY_MODULE,
}


def capsule_model(vehicle_id: str) -> CapsuleModel:
    """Entry model of a catalog vehicle, or ``GENERIC_CAPSULE`` when it has none of its own."""
    return CAPSULE_MODELS.get(vehicle_id, GENERIC_CAPSULE)


@dataclass(frozen=True)
class AbortState:
    """Capsule state at the failure, from the nominal ascent profile (t from liftoff)."""

    t_s: float
    altitude_km: float
    speed_m_s: float
    flight_path_deg: float
    downrange_km: float
    latitude_deg: float
    longitude_deg: float
    heading_deg: float


@dataclass(frozen=True)
class AbortResult:
    """Ballistic descent after an ascent failure. Times from liftoff (s); distances from the pad.

    ``peak_deceleration_g`` is the aerodynamic peak of the ballistic entry (before the parachute);
    ``peak_chute_deceleration_g`` the parachute-opening peak of the simplified canopy model.
    ``landing_elevation_m`` is the terrain elevation the descent ended at (m).
    """

    launcher: str
    site: str
    vehicle: str
    capsule_model: str
    azimuth_deg: float
    failure_time_s: float
    landing_elevation_m: float
    abort_state: AbortState
    apogee_km: float
    apogee_time_s: float
    peak_deceleration_g: float
    peak_deceleration_time_s: float
    peak_chute_deceleration_g: float
    chute_deploy_time_s: float
    downrange_km: float
    landing_latitude_deg: float
    landing_longitude_deg: float
    liftoff_to_touchdown_s: float
    touchdown_speed_m_s: float


def ascent_state(launcher: Launcher, failure_time_s: float) -> tuple[float, float, float, float]:
    """(altitude_km, downrange_km, speed_m_s, flight_path_deg) at ``failure_time_s`` after liftoff.

    Linear interpolation of the catalog ascent profile; raises :class:`InputError` outside it.
    """
    profile = sorted(launcher.ascent_profile, key=lambda p: p.t_s)
    if len(profile) < 2:
        raise InputError(
            f"launcher {launcher.id!r} has no ascent profile in the catalog", param="launcher"
        )
    t = np.array([p.t_s for p in profile])
    if not (t[0] <= failure_time_s <= t[-1]):
        raise InputError(
            f"failure time {failure_time_s:g} s is outside the {launcher.id} ascent profile "
            f"({t[0]:g}-{t[-1]:g} s after liftoff)",
            param="failure_time",
        )

    def at(name: str) -> float:
        return float(np.interp(failure_time_s, t, [getattr(p, name) for p in profile]))

    return at("altitude_km"), at("downrange_km"), at("speed_m_s"), at("flight_path_deg")


def _pick_site(cat, launcher: Launcher, site_id: str | None) -> Site:
    if site_id is not None:
        site = lookup(cat, "sites", site_id, "site")
        if launcher.id not in site.launchers:
            raise InputError(
                f"site {site.id!r} does not fly launcher {launcher.id!r} (it flies "
                f"{', '.join(site.launchers)})",
                param="site",
            )
        return site
    sites = [s for s in cat.sites.values() if launcher.id in s.launchers]
    if not sites:
        raise InputError(f"no catalog site flies launcher {launcher.id!r}", param="launcher")
    crewed = [s for s in sites if s.crewed_pad]
    return (crewed or sites)[0]


def _pick_vehicle(cat, launcher: Launcher, vehicle_id: str | None) -> str:
    if vehicle_id is not None:
        vehicle = lookup(cat, "vehicles", vehicle_id, "vehicle")
        if launcher.id not in vehicle.launchers:
            raise InputError(
                f"vehicle {vehicle.id!r} does not fly on launcher {launcher.id!r} (it flies on "
                f"{', '.join(vehicle.launchers) or 'none'})",
                param="vehicle",
            )
        return vehicle.id
    flown = [v.id for v in cat.vehicles.values() if launcher.id in v.launchers]
    modelled = [v for v in flown if v in CAPSULE_MODELS]
    if modelled or flown:
        return (modelled or flown)[0]
    raise InputError(
        f"no catalog crew vehicle flies on launcher {launcher.id!r}; give `vehicle`",
        param="launcher",
    )


def default_azimuth_deg(cat, site: Site, vehicle_id: str) -> float:
    """Launch azimuth (deg) used when none is given.

    The Earth-relative azimuth into the orbit plane of the first catalog station the vehicle
    serves (northbound branch, else southbound), if the site allows it; otherwise the middle of
    the site's first allowed azimuth range.
    """
    lat = math.radians(site.latitude_deg)
    for station in cat.stations.values():
        if vehicle_id not in station.vehicles or station.inclination_deg is None:
            continue
        speed = circular_speed_km_s(R_EARTH_EQ_KM + (station.altitude_km or 400.0))
        for northbound in (True, False):
            inertial = inertial_azimuth_rad(lat, math.radians(station.inclination_deg), northbound)
            if not np.isfinite(inertial):
                continue
            azimuth = math.degrees(float(rotating_azimuth_rad(inertial, lat, speed)))
            if any(lo <= azimuth <= hi for lo, hi in site.azimuth_ranges_deg):
                return azimuth
    lo, hi = site.azimuth_ranges_deg[0]
    return 0.5 * (lo + hi)


def ascent_abort(
    launcher_id: str,
    failure_time_s: float,
    *,
    site_id: str | None = None,
    azimuth_deg: float | None = None,
    vehicle_id: str | None = None,
    capsule: Capsule | None = None,
    landing_elevation_m: float | None = None,
) -> AbortResult:
    """Descent of the capsule after a launcher failure ``failure_time_s`` seconds after liftoff.

    ``site_id`` defaults to the first crewed pad flying the launcher; ``azimuth_deg`` (clockwise
    from north) to :func:`default_azimuth_deg` (into the plane of the vehicle's station);
    ``vehicle_id`` to the first catalog crew vehicle flying on the launcher; ``capsule`` overrides
    the vehicle's entry model (flown ballistically); ``landing_elevation_m`` is the elevation (m)
    of the terrain the capsule comes down on, by default the launch site's.
    """
    cat = load_catalog()
    launcher = lookup(cat, "launchers", launcher_id, "launcher")
    if not math.isfinite(failure_time_s) or failure_time_s < 0:
        raise InputError(
            f"failure time must be a time after liftoff in seconds, got {failure_time_s!r}",
            param="failure_time",
        )
    altitude_km, downrange_km, speed_m_s, gamma_deg = ascent_state(launcher, failure_time_s)
    site = _pick_site(cat, launcher, site_id)
    vehicle = _pick_vehicle(cat, launcher, vehicle_id)
    model = capsule_model(vehicle)
    flown = capsule if capsule is not None else model.ballistic()
    if azimuth_deg is None:
        azimuth_deg = default_azimuth_deg(cat, site, vehicle)
    elif not (0.0 <= azimuth_deg <= 360.0):
        raise InputError(f"must be 0-360 deg, got {azimuth_deg:g}", param="azimuth")

    lat, lon, heading = destination(
        site.latitude_deg, site.longitude_deg, azimuth_deg, downrange_km
    )
    lat, lon, heading = float(lat), float(lon), float(heading)
    east, north, up = enu_basis(lat, lon)
    r0_m = np.asarray(geodetic_to_ecef(lat, lon, altitude_km), float) * 1e3
    gamma, psi = math.radians(gamma_deg), math.radians(heading)
    v0 = speed_m_s * (
        math.cos(gamma) * (math.sin(psi) * east + math.cos(psi) * north) + math.sin(gamma) * up
    )
    ground_m = site.altitude_m if landing_elevation_m is None else landing_elevation_m
    chute_m = flown.chute_deploy_altitude_m
    top_m = chute_m if chute_m > 0 else 9_000.0  # below the canopy, else below Everest
    if not (math.isfinite(ground_m) and -500.0 <= ground_m < top_m):
        raise InputError(
            f"landing elevation must be from -500 m to below {top_m:g} m (the parachute "
            f"deployment altitude), got {ground_m!r}",
            param="landing_elevation",
        )
    if altitude_km * 1e3 <= max(chute_m, ground_m):
        raise InputError(
            f"at T+{failure_time_s:g} s the vehicle is at {altitude_km:.1f} km, below the "
            f"{chute_m / 1e3:g} km parachute deployment altitude: that is an escape-tower abort, "
            "which this ballistic-descent model does not cover",
            param="failure_time",
        )
    flight = simulate_entry(r0_m, v0, flown, earth="wgs84", ground_altitude_m=ground_m)
    land_lat, land_lon, _ = ecef_to_geodetic(flight.touchdown_r_ecef_m / 1e3)
    land_lat, land_lon = float(land_lat), float(land_lon)
    return AbortResult(
        launcher=launcher.id,
        site=site.id,
        vehicle=vehicle,
        capsule_model=model.name if capsule is None else "custom",
        azimuth_deg=float(azimuth_deg),
        failure_time_s=float(failure_time_s),
        landing_elevation_m=float(ground_m),
        abort_state=AbortState(
            t_s=float(failure_time_s),
            altitude_km=altitude_km,
            speed_m_s=speed_m_s,
            flight_path_deg=gamma_deg,
            downrange_km=downrange_km,
            latitude_deg=lat,
            longitude_deg=lon,
            heading_deg=heading,
        ),
        apogee_km=flight.apogee_altitude_m / 1e3,
        apogee_time_s=failure_time_s + flight.apogee_t_s,
        peak_deceleration_g=flight.peak_deceleration_g,
        peak_deceleration_time_s=failure_time_s + flight.peak_deceleration_t_s,
        peak_chute_deceleration_g=flight.peak_chute_deceleration_g,
        chute_deploy_time_s=failure_time_s + flight.chute_deploy_t_s,
        downrange_km=float(
            great_circle_distance_km(site.latitude_deg, site.longitude_deg, land_lat, land_lon)
        ),
        landing_latitude_deg=land_lat,
        landing_longitude_deg=land_lon,
        liftoff_to_touchdown_s=failure_time_s + flight.touchdown_t_s,
        touchdown_speed_m_s=flight.touchdown_speed_m_s,
    )
