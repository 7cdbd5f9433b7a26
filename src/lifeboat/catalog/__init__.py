"""The catalog: sites, launchers, crew vehicles, stations, recovery zones, providers, lunar
surface sites and landers.

Data ships as TOML in ``catalog/data/`` (one file per kind, an array of tables named after the
kind). Users add their own records in overlay files of the same schema (any of the arrays, in one
file): ``lifeboat --catalog FILE``, the ``LIFEBOAT_CATALOG`` environment variable (paths joined by
the OS path separator) or :func:`use_overlays`. An overlay record with a new id adds it; one with a
shipped id replaces it, with a :class:`CatalogOverrideWarning`. :func:`load_catalog` validates every
record and the references between them, shipped or not.
"""

from __future__ import annotations

import difflib
import os
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from lifeboat.catalog.models import (
    CrewVehicle,
    Lander,
    Launcher,
    LunarSite,
    Provider,
    RecoveryZone,
    Site,
    Station,
)
from lifeboat.errors import CatalogOverrideWarning, InputError, from_validation_error

OVERLAY_ENV = "LIFEBOAT_CATALOG"

# kind -> (file name, TOML array name, model)
KINDS: dict[str, tuple[str, str, type]] = {
    "sites": ("sites.toml", "site", Site),
    "launchers": ("launchers.toml", "launcher", Launcher),
    "vehicles": ("vehicles.toml", "vehicle", CrewVehicle),
    "stations": ("stations.toml", "station", Station),
    "recovery_zones": ("recovery_zones.toml", "zone", RecoveryZone),
    "providers": ("providers.toml", "provider", Provider),
    "lunar_sites": ("lunar.toml", "lunar_site", LunarSite),
    "landers": ("lunar.toml", "lander", Lander),
}


@dataclass(frozen=True)
class Catalog:
    sites: dict[str, Site]
    launchers: dict[str, Launcher]
    vehicles: dict[str, CrewVehicle]
    stations: dict[str, Station]
    recovery_zones: dict[str, RecoveryZone]
    providers: dict[str, Provider]
    lunar_sites: dict[str, LunarSite] = field(default_factory=dict)
    landers: dict[str, Lander] = field(default_factory=dict)

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


# Other spellings a user may type for a kind.
_KIND_ALIASES = {
    "site": "sites", "launcher": "launchers", "vehicle": "vehicles", "station": "stations",
    "zone": "recovery_zones", "zones": "recovery_zones", "recovery-zones": "recovery_zones",
    "recovery_zone": "recovery_zones", "provider": "providers", "lunar_site": "lunar_sites",
    "lunar-site": "lunar_sites", "lunar-sites": "lunar_sites", "lander": "landers",
}


def resolve_kind(kind: str, *, param: str = "kind") -> str:
    """The catalog kind named by ``kind`` (plural, singular or alias), or an :class:`InputError`."""
    key = str(kind).strip().lower()
    key = _KIND_ALIASES.get(key, key)
    if key not in KINDS:
        raise InputError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}", param=param)
    return key


def find_record(cat: Catalog, record_id: str, kind: str | None = None) -> tuple[str, Any]:
    """(kind, record) of ``record_id``, searching every kind unless ``kind`` is given.

    Raises :class:`InputError` for an unknown id (suggesting close ids) or an id that several
    kinds share (asking for the kind).
    """
    kinds = [kind] if kind else list(KINDS)
    hits = [(k, getattr(cat, k)[record_id]) for k in kinds if record_id in getattr(cat, k)]
    if len(hits) == 1:
        return hits[0]
    if len(hits) > 1:
        raise InputError(f"id {record_id!r} names a record of several kinds "
                         f"({', '.join(k for k, _ in hits)}); give the kind", param="kind")
    known = sorted({i for k in kinds for i in getattr(cat, k)})
    close = difflib.get_close_matches(record_id, known, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else \
        "; run 'lifeboat catalog list' to see the ids"
    what = kind.rstrip("s").replace("_", " ") if kind else "catalog"
    raise InputError(f"unknown {what} id {record_id!r}{hint}", param="record_id")


def _records(raw: dict[str, Any], source: str, arrays: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Validate the arrays of one TOML document: kind -> id -> record, in file order."""
    by_array = {KINDS[k][1]: k for k in KINDS}
    unknown = set(raw) - set(arrays)
    if unknown:
        raise InputError(f"unknown top-level key(s) {sorted(unknown)}; expected arrays named "
                         f"{', '.join(sorted(arrays))}", source=source)
    out: dict[str, dict[str, Any]] = {}
    for array, items in raw.items():
        kind = by_array[array]
        model = KINDS[kind][2]
        if not isinstance(items, list):
            raise InputError(f"expected an array of tables [[{array}]]", source=source, where=array)
        records: dict[str, Any] = {}
        for i, item in enumerate(items):
            try:
                record = model.model_validate(item)
            except ValidationError as exc:
                raise from_validation_error(exc, source=source, prefix=f"{array}[{i}]") from None
            if record.id in records:
                raise InputError(f"duplicate id {record.id!r}", source=source, where=f"{array}[{i}]")
            records[record.id] = record
        out[kind] = records
    return out


def _load_kind(kind: str) -> dict[str, Any]:
    import tomllib

    file_name, array, _ = KINDS[kind]
    text = resources.files("lifeboat.catalog").joinpath("data", file_name).read_text("utf-8")
    arrays = [a for f, a, _ in KINDS.values() if f == file_name]  # kinds may share a file
    return _records(tomllib.loads(text), f"catalog/data/{file_name}", arrays).get(kind, {})


_overlays: tuple[str, ...] | None = None  # set by use_overlays(); None: read LIFEBOAT_CATALOG


def use_overlays(paths: Iterable[str | os.PathLike] | None) -> None:
    """Use these overlay files (in order; later ones win) instead of ``LIFEBOAT_CATALOG``.

    ``None`` goes back to the environment variable; an empty list means the shipped catalog only.
    """
    global _overlays
    _overlays = None if paths is None else tuple(os.fspath(p) for p in paths)


def overlay_setting() -> tuple[str, ...] | None:
    """What :func:`use_overlays` last set (``None``: the environment variable), to restore it."""
    return _overlays


def overlay_paths() -> tuple[str, ...]:
    """The overlay files in force: :func:`use_overlays`, else ``LIFEBOAT_CATALOG``."""
    if _overlays is not None:
        return _overlays
    env = os.environ.get(OVERLAY_ENV, "")
    return tuple(p for p in env.split(os.pathsep) if p.strip())


def _apply_overlay(tables: dict[str, dict[str, Any]], path: str,
                   origins: dict[tuple[str, str], str]) -> None:
    from lifeboat.fileio import read_toml

    if not Path(path).exists():
        raise InputError("catalog overlay file not found", source=path)
    arrays = [KINDS[k][1] for k in KINDS]
    raw = read_toml(path)
    if not raw:
        raise InputError(f"no records; expected arrays of tables named {', '.join(arrays)}",
                         source=path)
    for kind, records in _records(raw, path, arrays).items():
        for record_id, record in records.items():
            if record_id in tables[kind]:
                warnings.warn(CatalogOverrideWarning(
                    f"{path}: {kind.rstrip('s').replace('_', ' ')} {record_id!r} replaces the "
                    f"record of the same id"), stacklevel=2)
            tables[kind][record_id] = record
            origins[(kind, record_id)] = path


def _check_references(cat: Catalog, origins: dict[tuple[str, str], str] | None = None) -> None:
    """Every id a record refers to exists; the error names the file the referring record is in."""
    origins = origins or {}

    def need(kind: str, ids, owner_kind: str, owner) -> None:
        for ref in ids:
            if ref not in getattr(cat, kind):
                label = owner_kind.rstrip("s").replace("recovery_zone", "zone")
                raise InputError(f"refers to unknown {kind.rstrip('s').replace('_', ' ')} id {ref!r}",
                                 source=origins.get((owner_kind, owner.id), "catalog"),
                                 where=f"{label} {owner.id}")

    for s in cat.sites.values():
        need("launchers", s.launchers, "sites", s)
    for v in cat.vehicles.values():
        need("launchers", v.launchers, "vehicles", v)
        need("sites", v.sites, "vehicles", v)
        need("recovery_zones", v.recovery_zones, "vehicles", v)
        need("providers", [v.provider], "vehicles", v)
    for st in cat.stations.values():
        need("vehicles", st.vehicles, "stations", st)
    for z in cat.recovery_zones.values():
        need("vehicles", z.vehicles, "recovery_zones", z)
    for p in cat.providers.values():
        need("vehicles", p.vehicles, "providers", p)
        need("launchers", p.launchers, "providers", p)
    for lander in cat.landers.values():
        need("stations", lander.serves, "landers", lander)


@cache
def _shipped() -> dict[str, dict[str, Any]]:
    return {kind: _load_kind(kind) for kind in KINDS}


def load_catalog() -> Catalog:
    """The shipped catalog with the overlays in force, validated (cached per set of overlays)."""
    return _catalog_with(overlay_paths())


@cache
def _catalog_with(overlays: tuple[str, ...]) -> Catalog:
    tables = {kind: dict(records) for kind, records in _shipped().items()}
    origins = {(kind, i): f"catalog/data/{KINDS[kind][0]}" for kind in tables for i in tables[kind]}
    for path in overlays:
        _apply_overlay(tables, path, origins)
    cat = Catalog(**tables)
    _check_references(cat, origins)
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
