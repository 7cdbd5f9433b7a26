"""Lunar stations, resolved when an architecture is loaded (never in the Monte Carlo loop).

When ``station.catalog_id`` names a catalog station in lunar orbit, every provider's catalog
vehicle must be able to reach the station and bring a crew home
(:func:`lifeboat.cislunar.service.capability`: Δv after trans-lunar injection, free-flight
endurance, heat-shield entry speed, on the cheapest computed legs of the station's orbit); an
architecture flying one that cannot is refused. A provider whose ``transit_days`` is unset gets
the computed cheapest insertion leg's time of flight. What was computed or checked is recorded in
``Architecture.derived`` and shown in every result.
"""

from __future__ import annotations

from functools import lru_cache

from lifeboat.catalog import load_catalog
from lifeboat.errors import InputError


@lru_cache(maxsize=8)
def _orbit_requirements(station_id: str):
    """(orbit label, Requirements) of a lunar catalog station; the cislunar service caches the
    solved transfers on disk, this caches them for the process."""
    from lifeboat.cislunar import service

    orbit, _ = service.station_orbit(station_id)
    return orbit.label, service.requirements(orbit)


def is_lunar(station_id: str | None) -> bool:
    from lifeboat.cislunar.service import LUNAR_REGIMES

    return station_id is not None and load_catalog().stations[station_id].regime in LUNAR_REGIMES


def resolve_lunar(arch, *, source: str):
    """``arch`` with its lunar station's capability checks and computed transits (unchanged for a
    station not in lunar orbit); raises :class:`InputError` naming ``providers.KEY.vehicle`` for a
    vehicle that cannot reach the station and return."""
    station_id = arch.station.catalog_id
    if not is_lunar(station_id):
        return arch
    from lifeboat.cislunar.service import capability

    catalog = load_catalog()
    label, req = _orbit_requirements(station_id)
    in_dv, in_days, in_kind = req.cheapest_insertion()
    back_dv, back_days, back_kind = req.cheapest_return()
    derived = dict(arch.derived)
    providers = {}
    for key, p in arch.providers.items():
        where = f"providers.{key}.vehicle"
        if p.vehicle is None:
            derived[where] = ("not checked: no catalog vehicle (a hypothetical one); its reach of "
                              f"{station_id} is the file's assumption")
        else:
            cap = capability(catalog.vehicles[p.vehicle], station_id, req)
            if not cap.can_reach_and_return:
                raise InputError(
                    f"vehicle {p.vehicle!r} cannot reach {station_id} ({label}) and bring a crew "
                    f"home: {'; '.join(cap.reasons)}", source=source, where=where)
            derived[where] = f"can reach {station_id} ({label}) and return: {cap.reasons[0]}"
        path = f"providers.{key}.transit_days"
        if p.transit_days is None or derived.get(path, "").startswith("computed"):
            p = p.model_copy(update={"transit_days": in_days})
            derived[path] = (f"computed: {in_days:.2f} d, the cheapest insertion into {label} "
                             f"({in_kind}, Δv {in_dv:.3f} km/s)")
        providers[key] = p
    derived["station.return_leg_days"] = (
        f"computed: {back_days:.2f} d, the cheapest return from {label} ({back_kind}, Δv "
        f"{back_dv:.3f} km/s); used in the capability check only: the Monte Carlo counts a crew "
        "as home when it undocks")
    return arch.model_copy(update={"providers": providers, "derived": derived})
