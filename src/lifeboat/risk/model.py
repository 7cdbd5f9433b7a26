"""Architecture and sweep files: strict pydantic models with a source for every number.

An architecture file (TOML) describes a station, one or more crew-transport providers, station
hazards and crew-sharing policies. Every section may carry a ``sources`` table that maps a field
name of that section to where its value comes from; a value that is an assumption says so with
the prefix ``assumption:``. Unknown keys are errors everywhere, including inside ``sources``.
"""

from __future__ import annotations

import hashlib
import json
import math
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from lifeboat.catalog import load_catalog
from lifeboat.errors import InputError, from_validation_error
from lifeboat.fileio import read_toml

DAYS_PER_YEAR = 365.25  # Julian year, d
ARCHITECTURE_DIR = Path(__file__).with_name("architectures")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Sourced(_Strict):
    """A section whose numbers can each name their source in ``sources``."""

    sources: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _sources_name_fields(self):
        known = set(type(self).model_fields) - {"sources"}
        for key in self.sources:
            if key not in known:
                raise ValueError(
                    f"sources names {key!r}, which is not a field of this section "
                    f"(fields: {', '.join(sorted(known))})"
                )
        return self


class Station(_Sourced):
    """The station: its resident crew and the simulated horizon."""

    name: str
    crew_size: int = Field(ge=1, description="resident crew, persons")
    horizon_years: float = Field(gt=0, le=100, description="simulated period, Julian years")

    @property
    def horizon_days(self) -> float:
        return self.horizon_years * DAYS_PER_YEAR


class Provider(_Sourced):
    """One crew-transport system: a crew vehicle on a launcher, with its rotation plan."""

    name: str
    vehicle: str | None = Field(None, description="catalog id of the crew vehicle, if any")
    launcher: str | None = Field(None, description="catalog id of the launcher, if any")
    crew_per_flight: int = Field(ge=0, description="crew carried up by each rotation flight")
    seats: int = Field(ge=1, description="seats in the docked vehicle for the ride home")
    rotation_interval_days: float = Field(gt=0, description="next rotation is due this long after the previous successful arrival, d")
    phase_days: float = Field(0.0, ge=0, description="the vehicle docked this long before t = 0, d")
    docked_life_days: float = Field(gt=0, description="certified docked life, d")
    ascent_failure: float = Field(ge=0, le=1, description="probability a launch fails to deliver")
    abort_success: float = Field(ge=0, le=1, description="probability the abort saves the crew of a failed launch")
    nominal_return_failure: float = Field(0.0, ge=0, le=1, description="probability a planned return loses its crew")
    emergency_return_failure: float = Field(ge=0, le=1, description="probability an evacuation return loses its crew")
    damage_rate_per_year: float = Field(0.0, ge=0, description="Poisson rate at which a docked vehicle becomes unfit for crewed return, 1/yr")
    grounding_median_days: float = Field(ge=0, description="median of the lognormal grounding after a launch failure, d")
    grounding_sigma: float = Field(ge=0, le=5, description="log-space standard deviation of the grounding (0 = fixed)")
    replacement_readiness_days: float = Field(ge=0, description="time to launch an uncrewed replacement after damage, d")
    cost_per_launch_musd: float = Field(ge=0, description="cost of one launch (crewed or not), US$ M")

    @model_validator(mode="after")
    def _crew_fits(self):
        if self.crew_per_flight > self.seats:
            raise ValueError(f"crew_per_flight ({self.crew_per_flight}) exceeds seats ({self.seats})")
        if self.phase_days >= self.rotation_interval_days:
            raise ValueError("phase_days must be smaller than rotation_interval_days")
        return self


class Hazard(_Sourced):
    """A kind of station emergency: a Poisson stream, each event forcing evacuation or not."""

    rate_per_year: float = Field(ge=0, description="Poisson rate, 1/yr")
    evacuation_probability: float = Field(ge=0, le=1, description="probability an event forces evacuation")


class Policies(_Sourced):
    """Whether crews may ride another provider's vehicle."""

    seat_sharing: bool = Field(False, description="crew of a damaged vehicle may take free seats in another docked vehicle")
    mixed_crews: bool = Field(False, description="crew of a vehicle reaching its docked life may stay on in free seats of another vehicle")


class Architecture(_Strict):
    """A complete architecture: the input of the risk engine."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    title: str
    description: str = ""
    station: Station
    providers: dict[str, Provider] = Field(min_length=1)
    hazards: dict[str, Hazard] = Field(default_factory=dict)
    policies: Policies = Field(default_factory=Policies)
    notes: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _crew_adds_up(self):
        crew = sum(p.crew_per_flight for p in self.providers.values())
        if crew != self.station.crew_size:
            raise ValueError(
                f"the providers' crew_per_flight add up to {crew}, but station.crew_size is "
                f"{self.station.crew_size}"
            )
        return self

    @property
    def evacuation_rate_per_year(self) -> float:
        """Rate of emergencies that force evacuation (Poisson thinning and superposition), 1/yr."""
        return math.fsum(h.rate_per_year * h.evacuation_probability for h in self.hazards.values())

    def digest(self) -> str:
        """SHA-256 of the canonical JSON of everything that affects results (not prose)."""
        data = self.model_dump(mode="json", exclude={"title", "description", "notes"})
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


class SweepFile(_Strict):
    """A sweep: a base architecture and either a grid or one-at-a-time (tornado) ranges."""

    architecture: str = Field(description="built-in id, or a path relative to the sweep file")
    trials: int = Field(ge=1, le=10**10)
    seed: int = Field(ge=0)
    kind: Literal["grid", "tornado"]
    parameters: dict[str, list[Any]] = Field(min_length=1, description="dotted path → values")
    common_seed: bool = Field(
        False,
        description="run every point with the same seed (common random numbers), so differences "
        "between points are not blurred by sampling noise; default: a seed per point",
    )

    @model_validator(mode="after")
    def _ranges(self):
        for path, values in self.parameters.items():
            if not values:
                raise ValueError(f"parameter {path!r} has no values")
            if self.kind == "tornado" and len(values) != 2:
                raise ValueError(f"tornado parameter {path!r} needs [low, high], got {len(values)} values")
        return self


def list_architectures() -> list[str]:
    """Ids of the built-in architectures, sorted."""
    return sorted(p.stem for p in ARCHITECTURE_DIR.glob("*.toml"))


def architecture_from_dict(data: dict[str, Any], *, source: str) -> Architecture:
    """Validate raw (TOML) data as an architecture; problems raise :class:`InputError`.

    Besides the schema, every provider's ``vehicle`` and ``launcher`` must be catalog ids, and
    the launcher one that the catalog lists for that vehicle.
    """
    try:
        architecture = Architecture.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc, source=source) from None
    check_catalog_ids(architecture, source=source)
    return architecture


def check_catalog_ids(architecture: Architecture, *, source: str) -> None:
    """Raise :class:`InputError` if a provider names a vehicle or launcher the catalog lacks."""
    catalog = load_catalog()
    for key, provider in architecture.providers.items():
        for kind, record_id in (("vehicles", provider.vehicle), ("launchers", provider.launcher)):
            if record_id is None:
                continue
            try:
                catalog.get(kind, record_id)
            except InputError as exc:
                raise InputError(exc.message, source=source, where=f"providers.{key}.{kind[:-1]}") from None
        if provider.vehicle is not None and provider.launcher is not None:
            flown_on = catalog.vehicles[provider.vehicle].launchers
            if provider.launcher not in flown_on:
                raise InputError(
                    f"the catalog's vehicle {provider.vehicle!r} does not fly on {provider.launcher!r}; "
                    f"expected one of {', '.join(flown_on)}",
                    source=source,
                    where=f"providers.{key}.launcher",
                )


def load_architecture(id_or_path: str | Path) -> Architecture:
    """Load a built-in architecture by id, or an architecture TOML file by path.

    A file without an ``id`` gets its file name (without ``.toml``) as id.
    """
    text = str(id_or_path)
    builtin = ARCHITECTURE_DIR / f"{text}.toml"
    if builtin.is_file() and "/" not in text and not text.endswith(".toml"):
        path = builtin
    else:
        path = Path(text)
        if not path.is_file():
            raise InputError(
                "not a built-in architecture or an existing file "
                f"(built-ins: {', '.join(list_architectures())})",
                source=text,
            )
    data = read_toml(path)
    data.setdefault("id", path.stem)
    return architecture_from_dict(data, source=str(path))


def load_sweep(path: str | Path) -> SweepFile:
    """Read and validate a sweep file."""
    data = read_toml(path)
    try:
        return SweepFile.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc, source=str(path)) from None


def with_overrides(architecture: Architecture, overrides: dict[str, Any], *, source: str) -> Architecture:
    """A copy of ``architecture`` with dotted-path values replaced (``providers.soyuz.seats``)."""
    data = architecture.model_dump(mode="python")
    for path, value in overrides.items():
        node = data
        keys = path.split(".")
        for depth, key in enumerate(keys):
            if not isinstance(node, dict) or key not in node:
                raise InputError(
                    f"no field {'.'.join(keys[: depth + 1])!r} in architecture {architecture.id!r}",
                    source=source,
                    where=path,
                )
            if depth == len(keys) - 1:
                node[key] = value
            else:
                node = node[key]
    return architecture_from_dict(data, source=f"{source} ({', '.join(overrides)})")
