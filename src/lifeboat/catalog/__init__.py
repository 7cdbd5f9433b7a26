"""The built-in catalog: sites, launchers, crew vehicles, stations, recovery zones, providers.

Data ships as TOML in ``catalog/data/`` (one file per kind, an array of tables named after the
kind). :func:`load_catalog` validates every record and the references between them.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from pydantic import ValidationError

from lifeboat.catalog.models import (
    CrewVehicle,
    Launcher,
    Provider,
    RecoveryZone,
    Site,
    Station,
)
from lifeboat.errors import InputError, from_validation_error

# kind -> (file name, TOML array name, model)
KINDS: dict[str, tuple[str, str, type]] = {
    "sites": ("sites.toml", "site", Site),
    "launchers": ("launchers.toml", "launcher", Launcher),
    "vehicles": ("vehicles.toml", "vehicle", CrewVehicle),
    "stations": ("stations.toml", "station", Station),
    "recovery_zones": ("recovery_zones.toml", "zone", RecoveryZone),
    "providers": ("providers.toml", "provider", Provider),
}


@dataclass(frozen=True)
class Catalog:
    sites: dict[str, Site]
    launchers: dict[str, Launcher]
    vehicles: dict[str, CrewVehicle]
    stations: dict[str, Station]
    recovery_zones: dict[str, RecoveryZone]
    providers: dict[str, Provider]

    def get(self, kind: str, record_id: str, *, source: str | None = None) -> Any:
        """Look up one record, or raise an :class:`InputError` that suggests close ids."""
        table: dict[str, Any] = getattr(self, kind)
        if record_id in table:
            return table[record_id]
        close = difflib.get_close_matches(record_id, table, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise InputError(
            f"unknown {kind.rstrip('s').replace('_', ' ')} id {record_id!r}; expected one of "
            f"{', '.join(sorted(table))}{hint}",
            source=source,
        )

    def site(self, record_id: str) -> Site:
        return self.get("sites", record_id)

    def launcher(self, record_id: str) -> Launcher:
        return self.get("launchers", record_id)

    def vehicle(self, record_id: str) -> CrewVehicle:
        return self.get("vehicles", record_id)

    def station(self, record_id: str) -> Station:
        return self.get("stations", record_id)

    def zone(self, record_id: str) -> RecoveryZone:
        return self.get("recovery_zones", record_id)

    def provider(self, record_id: str) -> Provider:
        return self.get("providers", record_id)


def _load_kind(kind: str) -> dict[str, Any]:
    import tomllib

    file_name, array, model = KINDS[kind]
    text = resources.files("lifeboat.catalog").joinpath("data", file_name).read_text("utf-8")
    raw = tomllib.loads(text)
    source = f"catalog/data/{file_name}"
    unknown = set(raw) - {array}
    if unknown:
        raise InputError(f"unknown top-level key(s) {sorted(unknown)}", source=source)
    records: dict[str, Any] = {}
    for i, item in enumerate(raw.get(array, [])):
        try:
            record = model.model_validate(item)
        except ValidationError as exc:
            raise from_validation_error(exc, source=source, prefix=f"{array}[{i}]") from None
        if record.id in records:
            raise InputError(f"duplicate id {record.id!r}", source=source, where=f"{array}[{i}]")
        records[record.id] = record
    return records


def _check_references(cat: Catalog) -> None:
    def need(kind: str, ids, where: str) -> None:
        for ref in ids:
            if ref not in getattr(cat, kind):
                raise InputError(f"refers to unknown {kind} id {ref!r}", source="catalog", where=where)

    for s in cat.sites.values():
        need("launchers", s.launchers, f"site {s.id}")
    for v in cat.vehicles.values():
        need("launchers", v.launchers, f"vehicle {v.id}")
        need("sites", v.sites, f"vehicle {v.id}")
        need("recovery_zones", v.recovery_zones, f"vehicle {v.id}")
        need("providers", [v.provider], f"vehicle {v.id}")
    for st in cat.stations.values():
        need("vehicles", st.vehicles, f"station {st.id}")
    for z in cat.recovery_zones.values():
        need("vehicles", z.vehicles, f"zone {z.id}")
    for p in cat.providers.values():
        need("vehicles", p.vehicles, f"provider {p.id}")
        need("launchers", p.launchers, f"provider {p.id}")


@cache
def load_catalog() -> Catalog:
    """Load and validate the built-in catalog (cached for the life of the process)."""
    cat = Catalog(**{kind: _load_kind(kind) for kind in KINDS})
    _check_references(cat)
    return cat


@cache
def load_compatibility():
    """Docking systems of vehicles and station ports, certifications and agreements
    (``catalog/data/compatibility.toml``), validated against the catalog's ids."""
    import tomllib

    from lifeboat.catalog.models import Compatibility

    source = "catalog/data/compatibility.toml"
    text = resources.files("lifeboat.catalog").joinpath("data", "compatibility.toml").read_text("utf-8")
    try:
        compat = Compatibility.model_validate(tomllib.loads(text))
    except ValidationError as exc:
        raise from_validation_error(exc, source=source) from None
    cat = load_catalog()
    systems = {s.id for s in compat.system}
    for i, v in enumerate(compat.vehicle):
        cat.get("vehicles", v.vehicle, source=source)
        if set(v.systems) - systems:
            raise InputError(f"unknown docking system(s) {sorted(set(v.systems) - systems)}",
                             source=source, where=f"vehicle[{i}]")
    for i, p in enumerate(compat.port):
        cat.get("stations", p.station, source=source)
        if set(p.systems) - systems:
            raise InputError(f"unknown docking system(s) {sorted(set(p.systems) - systems)}",
                             source=source, where=f"port[{i}]")
    for c in compat.certification:
        cat.get("stations", c.station, source=source)
        cat.get("vehicles", c.vehicle, source=source)
    for a in compat.agreement:
        cat.get("stations", a.station, source=source)
        cat.get("providers", a.provider, source=source)
    return compat
