"""Architecture and sweep files: strict pydantic models with a source for every number.

An architecture file (TOML) describes a station, one or more crew-transport providers, station
hazards and crew-sharing policies. Every section may carry a ``sources`` table that maps a field
name of that section to where its value comes from; a value that is an assumption says so with
the prefix ``assumption:``. Unknown keys are errors everywhere, including inside ``sources``.

Any number may instead name an uncertain input, ``ascent_failure = "@soyuz_ascent"``, defined in
an ``[uncertain.soyuz_ascent]`` table as a Beta (from a flight record) or a lognormal with an
error factor (for an assumption). Fields that name the same input share one draw in a two-level
run, within an architecture and across the architectures of a comparison. A single-level run
uses each input's mean.
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
from lifeboat.risk.metrics import DAYS_PER_YEAR

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


MAX_RATE_PER_YEAR = 1000.0  # above this a "rate" is a typo, and trials would not end
MAX_PROVIDERS = 4
MAX_VEHICLES = 8


class Station(_Sourced):
    """The station: its resident crew, the simulated horizon and station-wide rules."""

    name: str
    catalog_id: str | None = Field(
        None, description="catalog id of the station; a lunar one (e.g. 'gateway') makes every "
        "provider's vehicle pass the cislunar capability check and computes unset transit_days")
    crew_size: int = Field(ge=1, le=50, description="resident crew, persons")
    horizon_years: float = Field(gt=0, le=100, description="simulated period, Julian years")
    seatless_limit_days: float | None = Field(
        None, gt=0, le=1e5,
        description="consumables for a crew whose vehicle is unfit: a wait longer than this loses "
        "them (cause 'stranded'), d; none = resupplied indefinitely")
    medical_evacuation_rate_per_person_year: float = Field(
        0.0, ge=0, le=10, description="rate of medical conditions needing return home, per person-year")
    after_loss: Literal["continue", "end"] = Field(
        "continue", description="'continue': operations go on after a loss of crew (with the "
        "provider's stand-down); 'end': the first loss ends the trial (the textbook contract)")

    @property
    def horizon_days(self) -> float:
        return self.horizon_years * DAYS_PER_YEAR


class Provider(_Sourced):
    """One crew-transport system: a crew vehicle on a launcher, with its rotation plan."""

    name: str
    vehicle: str | None = Field(None, description="catalog id of the crew vehicle, if any")
    launcher: str | None = Field(None, description="catalog id of the launcher, if any")
    vehicles: int = Field(1, ge=0, le=MAX_VEHICLES, description="vehicles of this provider docked at once, staggered in phase (0: none docked, launch on need only)")
    crew_per_flight: int = Field(ge=0, le=50, description="crew carried up by each rotation flight")
    seats: int = Field(ge=1, le=50, description="seats in the docked vehicle for the ride home")
    rotation_interval_days: float = Field(ge=1, le=1e5, description="next rotation is due this long after the previous successful arrival, d")
    phase_days: float = Field(0.0, ge=0, description="the first vehicle docked this long before t = 0, d (further vehicles are staggered by interval / vehicles)")
    docked_life_days: float = Field(gt=0, le=1e5, description="certified docked life, d")
    ascent_failure: float = Field(ge=0, le=1, description="probability a launch fails to deliver")
    abort_success: float = Field(ge=0, le=1, description="probability the abort saves the crew of a failed launch")
    nominal_return_failure: float = Field(0.0, ge=0, le=1, description="probability a planned return loses its crew")
    emergency_return_failure: float = Field(ge=0, le=1, description="probability an evacuation return loses its crew")
    damage_rate_per_year: float = Field(0.0, ge=0, le=MAX_RATE_PER_YEAR, description="Poisson rate at which a docked vehicle becomes unfit for crewed return, 1/yr")
    undetected_damage_fraction: float = Field(0.0, ge=0, le=1, description="fraction of damage nobody notices: the next return in that vehicle loses its crew")
    design: str | None = Field(None, description="vehicle design shared with other providers (common-cause group); default: the provider's key")
    common_cause_beta: float = Field(0.0, ge=0, le=1, description="beta factor: probability a damage has a common cause that makes every docked vehicle of the design unfit and grounds the design")
    grounding_median_days: float = Field(ge=0, le=1e5, description="median of the lognormal grounding after a launch failure, d")
    grounding_sigma: float = Field(ge=0, le=5, description="log-space standard deviation of the grounding (0 = fixed)")
    replacement_readiness_days: float = Field(ge=0, le=1e5, description="time from the damage to the launch of an uncrewed replacement, d (it arrives transit_days later)")
    transit_days: float | None = Field(None, ge=0, le=1e3, description="launch to arrival at the station, added to the replacement and rescue readiness, d; unset: computed from the transfers for a lunar station, 0 otherwise (the readiness values include a short LEO rendezvous)")
    stand_down_days: float = Field(0.0, ge=0, le=1e5, description="no launch of this provider for this long after it loses a crew, d")
    launch_on_need: bool = Field(False, description="launches an uncrewed rescue vehicle when a crew is left without a usable seat")
    rescue_readiness_days: float = Field(0.0, ge=0, le=1e5, description="time from the need to a rescue vehicle's launch, d (it arrives transit_days later)")
    rescue_seats: int = Field(0, ge=0, le=50, description="free seats a rescue flight brings")
    cost_per_launch_musd: float = Field(ge=0, le=1e6, description="cost of one launch (crewed or not), US$ M")

    @model_validator(mode="after")
    def _crew_fits(self):
        if self.crew_per_flight > self.seats:
            raise ValueError(f"crew_per_flight ({self.crew_per_flight}) exceeds seats ({self.seats})")
        if self.phase_days >= self.rotation_interval_days:
            raise ValueError("phase_days must be smaller than rotation_interval_days")
        if self.launch_on_need and self.rescue_seats < 1:
            raise ValueError("launch_on_need needs rescue_seats >= 1")
        if self.ascent_failure >= 1.0 and self.grounding_median_days < 1.0:
            raise ValueError("every launch fails (ascent_failure = 1) and the grounding is under a "
                             "day: a trial would only retry launches; set grounding_median_days >= 1")
        return self


class Hazard(_Sourced):
    """A kind of station emergency: a Poisson stream, each event forcing evacuation or not."""

    rate_per_year: float = Field(ge=0, le=MAX_RATE_PER_YEAR, description="Poisson rate, 1/yr")
    evacuation_probability: float = Field(ge=0, le=1, description="probability an event forces evacuation")


class Policies(_Sourced):
    """Whether crews may ride another provider's vehicle."""

    seat_sharing: bool = Field(False, description="crew of a damaged vehicle may take free seats in another docked vehicle")
    mixed_crews: bool = Field(False, description="crew of a vehicle reaching its docked life may stay on in free seats of another vehicle")


class Uncertain(_Strict):
    """An uncertain input: a Beta (a probability from a record) or a lognormal (an assumption,
    median and error factor = 95th percentile / median)."""

    distribution: Literal["beta", "lognormal"]
    alpha: float | None = Field(None, gt=0, le=1e7)
    beta: float | None = Field(None, gt=0, le=1e7)
    median: float | None = Field(None, gt=0, le=1e6)
    error_factor: float | None = Field(None, ge=1, le=100)
    source: str = Field(min_length=1, description="where the distribution comes from")

    @model_validator(mode="after")
    def _parameters(self):
        need = ("alpha", "beta") if self.distribution == "beta" else ("median", "error_factor")
        other = ("median", "error_factor") if self.distribution == "beta" else ("alpha", "beta")
        for name in need:
            if getattr(self, name) is None:
                raise ValueError(f"a {self.distribution} distribution needs {name}")
        for name in other:
            if getattr(self, name) is not None:
                raise ValueError(f"{name} is not a parameter of a {self.distribution} distribution")
        return self

    @property
    def sigma(self) -> float:
        """Log-space standard deviation of the lognormal: ln(EF) / z_0.95."""
        return math.log(self.error_factor) / 1.6448536269514722

    def mean(self) -> float:
        if self.distribution == "beta":
            return self.alpha / (self.alpha + self.beta)
        return self.median * math.exp(0.5 * self.sigma**2)

    def quantile(self, q: float) -> float:
        from scipy import stats

        if self.distribution == "beta":
            return float(stats.beta.ppf(q, self.alpha, self.beta))
        return float(self.median * math.exp(self.sigma * stats.norm.ppf(q)))


PROBABILITY_FIELDS = frozenset({
    "ascent_failure", "abort_success", "nominal_return_failure", "emergency_return_failure",
    "undetected_damage_fraction", "common_cause_beta", "evacuation_probability",
})


class Architecture(_Strict):
    """A complete architecture: the input of the risk engine."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9._-]*$")
    title: str
    description: str = ""
    station: Station
    providers: dict[str, Provider] = Field(min_length=1, max_length=MAX_PROVIDERS)
    hazards: dict[str, Hazard] = Field(default_factory=dict)
    policies: Policies = Field(default_factory=Policies)
    uncertain: dict[str, Uncertain] = Field(default_factory=dict)
    uses: dict[str, str] = Field(
        default_factory=dict, description="field path -> name of the uncertain input it takes")
    notes: list[str] = Field(default_factory=list)
    derived: dict[str, str] = Field(
        default_factory=dict, description="field path -> how it was computed or checked at load "
        "time (a lunar station's transits and capability verdicts)")

    @model_validator(mode="after")
    def _crew_adds_up(self):
        crew = sum(p.crew_per_flight * p.vehicles for p in self.providers.values())
        if crew != self.station.crew_size:
            raise ValueError(
                f"the providers' crew_per_flight x vehicles add up to {crew}, but station.crew_size "
                f"is {self.station.crew_size}"
            )
        if sum(p.vehicles for p in self.providers.values()) > MAX_VEHICLES:
            raise ValueError(f"at most {MAX_VEHICLES} docked vehicles in all")
        for path, name in self.uses.items():
            if name not in self.uncertain:
                raise ValueError(f"{path} names the uncertain input {name!r}, which has no "
                                 f"[uncertain.{name}] table")
        return self

    @property
    def crew_size(self) -> int:
        return self.station.crew_size

    @property
    def evacuation_rate_per_year(self) -> float:
        """Rate of emergencies that force evacuation (Poisson thinning and superposition), 1/yr."""
        return math.fsum(h.rate_per_year * h.evacuation_probability for h in self.hazards.values())

    def digest(self) -> str:
        """SHA-256 of the canonical JSON of everything that affects results (not prose)."""
        data = self.model_dump(mode="json", exclude={"title", "description", "notes", "derived"})
        return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


DIFFERENCE_PREFIX = "difference:"


class SweepFile(_Strict):
    """A sweep: a base architecture and either a grid or one-at-a-time (tornado) ranges."""

    architecture: str = Field(description="built-in id, or a path relative to the sweep file")
    trials: int = Field(ge=1, le=10**10)
    seed: int = Field(ge=0)
    kind: Literal["grid", "tornado"]
    parameters: dict[str, list[Any]] = Field(min_length=1, description="dotted path → values")
    metric: str = Field(
        "p_loc", description="the metric a tornado ranks parameters by (any metric of a result, "
        "e.g. loc_per_person_mission or decrewed_days), or 'difference:NAME': that metric of the "
        "swept architecture minus the baseline's, paired on common random numbers")
    baseline: str | None = Field(
        None, description="architecture (built-in id, or a path relative to the sweep file) that "
        "every point is compared with, unchanged; needed by a 'difference:' metric")
    common_seed: bool = Field(
        False,
        description="run every point with the same seed (common random numbers), so differences "
        "between points are not blurred by sampling noise; default: a seed per point",
    )

    @model_validator(mode="after")
    def _ranges(self):
        from lifeboat.risk.metrics import METRICS

        name = self.metric.removeprefix(DIFFERENCE_PREFIX)
        if name not in METRICS:
            raise ValueError(f"unknown metric {name!r} (expected one of {', '.join(METRICS)}, "
                             f"optionally prefixed by {DIFFERENCE_PREFIX!r})")
        if self.metric.startswith(DIFFERENCE_PREFIX) and self.baseline is None:
            raise ValueError(f"the metric {self.metric!r} needs a baseline architecture")
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

    Numbers written ``"@name"`` take the mean of ``[uncertain.name]`` (recorded in ``uses``).
    Besides the schema, every provider's ``vehicle`` and ``launcher`` must be catalog ids, and
    the launcher one that the catalog lists for that vehicle.
    """
    data = _resolve_uncertain(data, source=source)
    try:
        architecture = Architecture.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc, source=source) from None
    check_catalog_ids(architecture, source=source)
    if architecture.station.catalog_id is not None:
        from lifeboat.risk.lunar import resolve_lunar

        architecture = resolve_lunar(architecture, source=source)
    return architecture


def _resolve_uncertain(data: dict[str, Any], *, source: str) -> dict[str, Any]:
    """Replace ``"@name"`` references by the named input's mean, recording them in ``uses``."""
    if not isinstance(data, dict):
        return data
    raw = data.get("uncertain", {})
    if not isinstance(raw, dict):
        raise InputError("expected a table of uncertain inputs", source=source, where="uncertain")
    distributions: dict[str, Uncertain] = {}
    for name, spec in raw.items():
        try:
            distributions[name] = Uncertain.model_validate(spec)
        except ValidationError as exc:
            raise from_validation_error(exc, source=source, prefix=f"uncertain.{name}") from None
    uses = dict(data.get("uses", {})) if isinstance(data.get("uses", {}), dict) else {}
    out = dict(data)

    def walk(node: Any, path: str) -> Any:
        if isinstance(node, dict):
            return {k: (v if k == "sources" else walk(v, f"{path}.{k}" if path else k))
                    for k, v in node.items()}
        if isinstance(node, str) and node.startswith("@"):
            name = node[1:]
            if name not in distributions:
                raise InputError(
                    f"names the uncertain input {name!r}, which has no [uncertain.{name}] table"
                    + (f" (defined: {', '.join(sorted(distributions))})" if distributions else ""),
                    source=source, where=path)
            field = path.rsplit(".", 1)[-1]
            dist = distributions[name]
            if field in PROBABILITY_FIELDS and dist.distribution == "lognormal" and dist.quantile(0.95) > 1:
                raise InputError(
                    f"is a probability, but the lognormal {name!r} puts more than 5 % of its "
                    "weight above 1 (use a Beta)", source=source, where=path)
            uses[path] = name
            return dist.mean()
        return node

    for section in ("station", "providers", "hazards"):
        if section in out:
            out[section] = walk(out[section], section)
    if uses:
        out["uses"] = uses
    return out


def check_catalog_ids(architecture: Architecture, *, source: str) -> None:
    """Raise :class:`InputError` if a provider names a vehicle or launcher the catalog lacks."""
    catalog = load_catalog()
    if architecture.station.catalog_id is not None:
        try:
            catalog.get("stations", architecture.station.catalog_id)
        except InputError as exc:
            raise InputError(exc.message, source=source, where="station.catalog_id") from None
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
    """A copy of ``architecture`` with dotted-path values replaced (``providers.soyuz.seats``);
    an overridden field no longer takes its uncertain input."""
    data = architecture.model_dump(mode="python")
    data["uses"] = {k: v for k, v in data["uses"].items() if k not in overrides}
    data["derived"] = {k: v for k, v in data["derived"].items() if k not in overrides}
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
