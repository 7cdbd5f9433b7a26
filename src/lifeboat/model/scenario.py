"""Scenario files: a station, its crew and seats, docked vehicles, fleet states and an emergency.

A scenario is a TOML file validated by :class:`Scenario`. Unknown keys are errors. References to
the catalog (station, configuration, vehicles, providers) and inside the file (seats, docked
vehicles, modules) are checked by :func:`validate_references`, so a typo never passes silently.
The format is documented in ``docs/scenario-format.md``; ``lifeboat scenario schema`` prints the
JSON Schema.
"""

from __future__ import annotations

from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from lifeboat.catalog import Catalog, load_catalog
from lifeboat.catalog.models import Id, LunarOrbitModel, Source, Strict
from lifeboat.errors import InputError, from_validation_error
from lifeboat.fileio import read_toml
from lifeboat.timeutil import as_utc, iso_z

UtcDatetime = Annotated[datetime, AfterValidator(as_utc)]
SeatRef = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]*:[1-9][0-9]*$")]

EMERGENCY_KINDS = (
    "leak",
    "fire",
    "damaged-lifeboat",
    "unfit-vehicle",
    "grounding",
    "medical",
)


class StationElements(Strict):
    """Mean orbital elements at an epoch (J2 secular drift is applied when propagating)."""

    epoch_utc: UtcDatetime
    altitude_km: float | None = Field(gt=100.0, lt=100_000.0, default=None)
    semi_major_axis_km: float | None = Field(gt=6_478.0, lt=500_000.0, default=None)
    eccentricity: float = Field(ge=0.0, lt=1.0, default=0.0)
    inclination_deg: float = Field(ge=0.0, le=180.0)
    raan_deg: float = 0.0
    arg_perigee_deg: float = 0.0
    mean_anomaly_deg: float = 0.0

    @model_validator(mode="after")
    def _one_size(self) -> StationElements:
        if (self.altitude_km is None) == (self.semi_major_axis_km is None):
            raise ValueError("give exactly one of altitude_km and semi_major_axis_km")
        return self


class ScenarioStation(Strict):
    """The station: a catalog id, and optionally its own orbit (a TLE or mean elements, or for a
    lunar station ``lunar_orbit``: NRHO, DRO or lunar elements, with ``perilune_utc`` as phase)."""

    id: Id
    configuration: Id | None = None
    tle: tuple[str, str] | None = None
    elements: StationElements | None = None
    lunar_orbit: LunarOrbitModel | None = None
    # An element-set file (TLE or CCSDS OMM JSON/XML/CSV), relative to the scenario file;
    # ``satellite`` (name or catalog number) picks one of several sets in it.
    elements_file: str | None = Field(min_length=1, default=None)
    satellite: str | None = Field(min_length=1, default=None)
    max_element_age_days: float | None = Field(gt=0.0, le=3650.0, default=None)
    closed_hatches: list[tuple[Id, Id]] = []

    @field_validator("satellite", mode="before")
    @classmethod
    def _catalog_number(cls, value: object) -> object:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @model_validator(mode="after")
    def _one_orbit(self) -> ScenarioStation:
        given = (self.tle, self.elements, self.lunar_orbit, self.elements_file)
        if sum(x is not None for x in given) > 1:
            raise ValueError("give one of tle, elements, elements_file and lunar_orbit")
        if self.satellite is not None and self.elements_file is None:
            raise ValueError("satellite chooses among the element sets of elements_file")
        if self.max_element_age_days is not None and self.tle is None and self.elements_file is None:
            raise ValueError("max_element_age_days applies to tle or elements_file")
        return self


class CrewMember(Strict):
    name: str = Field(min_length=1)
    agency: str = Field(min_length=1)
    seat: SeatRef  # "<docked vehicle id>:<seat number>"
    # Catalog vehicles this crew member has a fitted seat liner and suit for; empty: not stated
    # (no restriction). A vehicle not listed cannot carry them home until one is made.
    fitted_vehicles: list[Id] = []


class DockedVehicle(Strict):
    id: Id  # this vehicle's own name in the scenario, e.g. "soyuz-ms-09"
    vehicle: Id  # catalog crew vehicle id
    port: Id | None = None
    docked_utc: UtcDatetime
    health: Literal["nominal", "degraded", "unfit"] = "nominal"
    seats_available: int | None = Field(ge=0, le=10, default=None)
    notes: str = ""


class FleetState(Strict):
    """A provider's vehicle and its arrangements as known at the scenario epoch.

    ``next_ready_utc`` is the earliest a vehicle could launch, as known at the epoch. The optional
    arrangements below give other ways a vehicle could be readied; the planner takes the earliest:
    a standby vehicle launchable ``standby_days`` after notice; the next vehicle in processing,
    planned for ``next_planned_utc``, advanced by up to ``advance_days``; the next crewed flight,
    planned for ``next_crewed_utc``, flown with its other seats empty.
    """

    provider: Id
    vehicle: Id
    crew_certified: bool = True
    grounded_until: UtcDatetime | None = None
    next_ready_utc: UtcDatetime | None = None
    standby_days: float | None = Field(ge=0.0, le=3650.0, default=None)
    next_planned_utc: UtcDatetime | None = None
    advance_days: float = Field(ge=0.0, le=3650.0, default=0.0)
    next_crewed_utc: UtcDatetime | None = None
    notes: str = ""


class Emergency(Strict):
    kind: Literal[EMERGENCY_KINDS]  # type: ignore[valid-type]
    onset_utc: UtcDatetime | None = None  # default: the scenario epoch
    module: Id | None = None
    hole_mm: float | None = Field(gt=0.0, le=1000.0, default=None)
    cd: float = Field(gt=0.0, le=1.0, default=0.6)
    vehicle: Id | None = None  # a docked vehicle's scenario id
    patients: list[str] = []  # crew names (medical emergencies): who must go home
    what_if: bool = False
    description: str = ""

    @model_validator(mode="after")
    def _needs(self) -> Emergency:
        if self.kind == "leak" and self.hole_mm is None:
            raise ValueError("a leak needs hole_mm (the hole diameter in millimetres)")
        if self.kind in ("damaged-lifeboat", "unfit-vehicle") and self.vehicle is None:
            raise ValueError(f"a {self.kind} emergency needs vehicle (a docked vehicle id)")
        return self


class Consumables(Strict):
    """Supplies aboard at the epoch: ``days`` of supplies for ``crew`` people (default: the crew
    aboard). More crew aboard consume them faster."""

    days: float = Field(gt=0.0, le=10_000.0)
    crew: int | None = Field(ge=1, le=100, default=None)
    notes: str = ""


class DeclaredPort(Strict):
    """Hypothetical: station ports that offer a docking system (e.g. a future adapter)."""

    ports: list[Id] = Field(min_length=1)
    systems: list[Id] = Field(min_length=1)
    adapter: str = ""
    note: str = Field(min_length=3)


class DeclaredVehicle(Strict):
    """Hypothetical: a vehicle carrying other docking systems than the catalog's."""

    vehicle: Id
    systems: list[Id] = Field(min_length=1)
    note: str = Field(min_length=3)


class DeclaredCertification(Strict):
    vehicle: Id
    certified: bool
    note: str = Field(min_length=3)


class DeclaredAgreement(Strict):
    provider: Id
    allowed: bool
    note: str = Field(min_length=3)


class ScenarioCompatibility(Strict):
    """Compatibility the scenario declares on top of the catalog's (hypothetical partners: a
    future adapter, a new agreement). Declarations replace the catalog's record for the same
    vehicle, port, certification or provider."""

    ports: list[DeclaredPort] = []
    vehicles: list[DeclaredVehicle] = []
    certifications: list[DeclaredCertification] = []
    agreements: list[DeclaredAgreement] = []


class SurfaceCrew(Strict):
    """Crew on the lunar surface (optional): where, with which lander and in what state.
    The habitat's reserve is given in hours, or computed by the cabin model from the habitat's
    volume and an equivalent leak hole (``habitat_volume_m3`` + ``habitat_hole_mm``)."""

    site: Id  # catalog lunar_site id
    lander: Id  # catalog lander id
    crew: int = Field(ge=1, le=20)
    landed_utc: UtcDatetime | None = None
    lander_health: Literal["nominal", "degraded", "unfit"] = "nominal"
    usable_dv_fraction: float = Field(ge=0.0, le=1.0, default=1.0)
    habitat_reserve_h: float | None = Field(ge=0.0, le=100_000.0, default=None)
    habitat_volume_m3: float | None = Field(gt=0.0, le=10_000.0, default=None)
    habitat_hole_mm: float | None = Field(gt=0.0, le=1000.0, default=None)

    @model_validator(mode="after")
    def _one_reserve(self) -> SurfaceCrew:
        leak = (self.habitat_volume_m3 is not None, self.habitat_hole_mm is not None)
        if leak[0] != leak[1]:
            raise ValueError("give both habitat_volume_m3 and habitat_hole_mm, or neither")
        if all(leak) and self.habitat_reserve_h is not None:
            raise ValueError("give habitat_reserve_h or the habitat's leak, not both")
        return self


class Scenario(Strict):
    id: Id
    title: str = Field(min_length=1)
    description: str = ""
    epoch_utc: UtcDatetime
    station: ScenarioStation
    crew: list[CrewMember] = Field(min_length=0)
    docked: list[DockedVehicle] = []
    fleet: list[FleetState] = []
    emergency: Emergency | None = None
    consumables: Consumables | None = None
    compatibility: ScenarioCompatibility | None = None
    architectures: list[Id] = []
    sources: list[Source] = []
    surface: SurfaceCrew | None = None

    # Where the scenario was read from (set by load_scenario): named in errors, and the folder
    # relative paths (station.elements_file) are resolved against.
    _source: str | None = PrivateAttr(default=None)
    _folder: Path | None = PrivateAttr(default=None)

    def __eq__(self, other: object) -> bool:
        """Equal when the contents are equal, wherever each was read from."""
        if not isinstance(other, Scenario):
            return NotImplemented
        return self.model_dump() == other.model_dump()

    @property
    def source(self) -> str | None:
        """The file (or built-in scenario) this scenario was read from, if any."""
        return self._source

    def elements_path(self) -> Path | None:
        """``station.elements_file`` resolved against the scenario file's folder."""
        name = self.station.elements_file
        if name is None:
            return None
        path = Path(name).expanduser()
        return path if path.is_absolute() or self._folder is None else self._folder / path

    def docked_by_id(self) -> dict[str, DockedVehicle]:
        return {d.id: d for d in self.docked}

    def seats_of(self, docked_id: str, catalog: Catalog | None = None) -> int:
        """Seats a docked vehicle offers: the scenario's override or the catalog's nominal seats."""
        d = self.docked_by_id()[docked_id]
        if d.seats_available is not None:
            return d.seats_available
        return (catalog or load_catalog()).vehicle(d.vehicle).seats


def validate_references(scenario: Scenario, *, source: str, catalog: Catalog | None = None) -> None:
    """Check every reference to the catalog and inside the scenario; raise :class:`InputError`."""
    cat = catalog or load_catalog()

    def fail(message: str, where: str) -> None:
        raise InputError(message, source=source, where=where)

    try:
        station = cat.get("stations", scenario.station.id)
    except InputError as exc:
        fail(exc.message, "station.id")
    configs = {c.id: c for c in station.configurations}
    config = None
    if scenario.station.configuration is not None:
        config = configs.get(scenario.station.configuration)
        if config is None:
            fail(
                f"unknown configuration {scenario.station.configuration!r}; "
                f"expected one of {', '.join(configs) or '(none)'}",
                "station.configuration",
            )
    elif configs:
        config = next(iter(configs.values()))
    modules = {m.id for m in config.modules} if config else set()
    for i, (a, b) in enumerate(scenario.station.closed_hatches):
        if config is not None and not any({a, b} == {h.a, h.b} for h in config.hatches):
            fail(f"no hatch between {a!r} and {b!r} in configuration {config.id}",
                 f"station.closed_hatches[{i}]")
    if station.tle is None and scenario.station.tle is None and scenario.station.elements is None \
            and station.regime == "leo":
        fail("the catalog station has no orbit; give station.tle or station.elements", "station")

    if scenario.surface is not None:
        for kind, field_name in (("lunar_sites", "site"), ("landers", "lander")):
            try:
                cat.get(kind, getattr(scenario.surface, field_name))
            except InputError as exc:
                fail(exc.message, f"surface.{field_name}")
        if station.regime not in ("nrho", "lunar"):
            fail(f"station {station.id} is in a {station.regime} orbit; a surface crew needs a "
                 "lunar station", "surface")
    if scenario.station.lunar_orbit is not None and station.regime not in ("nrho", "lunar"):
        fail(f"station {station.id} is in a {station.regime} orbit; lunar_orbit applies to a "
             "lunar station", "station.lunar_orbit")

    path = scenario.elements_path()
    if path is not None and not (path.exists() or path.is_symlink()):
        fail(f"no element-set file {str(path)!r} (a path relative to the scenario file)",
             "station.elements_file")

    docked = {}
    for i, d in enumerate(scenario.docked):
        if d.id in docked:
            fail(f"duplicate docked vehicle id {d.id!r}", f"docked[{i}].id")
        if as_utc(d.docked_utc) > as_utc(scenario.epoch_utc):
            fail(f"docked at {iso_z(d.docked_utc)}, after the scenario epoch "
                 f"{iso_z(scenario.epoch_utc)}: a vehicle docked at the epoch docked before it",
                 f"docked[{i}].docked_utc")
        try:
            vehicle = cat.get("vehicles", d.vehicle)
        except InputError as exc:
            fail(exc.message, f"docked[{i}].vehicle")
        if d.seats_available is not None and d.seats_available > vehicle.seats_max:
            fail(f"seats_available {d.seats_available} exceeds the {vehicle.seats_max} seats "
                 f"{vehicle.name} can carry", f"docked[{i}].seats_available")
        if d.port is not None and config is not None and config.docking_ports \
                and d.port not in config.docking_ports:
            fail(f"unknown docking port {d.port!r}; expected one of {', '.join(config.docking_ports)}",
                 f"docked[{i}].port")
        docked[d.id] = d

    taken: dict[str, str] = {}
    for i, member in enumerate(scenario.crew):
        vehicle_id, seat_text = member.seat.split(":")
        if vehicle_id not in docked:
            fail(f"seat refers to {vehicle_id!r}, which is not a docked vehicle "
                 f"(expected one of {', '.join(docked) or '(none)'})", f"crew[{i}].seat")
        seats = scenario.seats_of(vehicle_id, cat)
        if int(seat_text) > seats:
            fail(f"seat {seat_text} does not exist: {vehicle_id} has {seats} seat(s)",
                 f"crew[{i}].seat")
        if member.seat in taken:
            fail(f"seat {member.seat} is already assigned to {taken[member.seat]}", f"crew[{i}].seat")
        taken[member.seat] = member.name
        for vid in member.fitted_vehicles:
            try:
                cat.get("vehicles", vid)
            except InputError as exc:
                fail(exc.message, f"crew[{i}].fitted_vehicles")

    for i, f in enumerate(scenario.fleet):
        for kind, value, field in (("providers", f.provider, "provider"),
                                   ("vehicles", f.vehicle, "vehicle")):
            try:
                cat.get(kind, value)
            except InputError as exc:
                fail(exc.message, f"fleet[{i}].{field}")
        operated = cat.get("providers", f.provider).vehicles
        if f.vehicle not in operated:
            fail(f"provider {f.provider} does not operate {f.vehicle} (its vehicles: "
                 f"{', '.join(operated) or 'none'})", f"fleet[{i}].vehicle")
        if f.advance_days and f.next_planned_utc is None:
            fail("advance_days needs next_planned_utc (the planned launch it advances)",
                 f"fleet[{i}].advance_days")
    _check_compatibility(scenario, cat, config, fail)

    e = scenario.emergency
    if e is not None:
        if e.vehicle is not None and e.vehicle not in docked:
            fail(f"unknown docked vehicle {e.vehicle!r}; expected one of {', '.join(docked)}",
                 "emergency.vehicle")
        if e.module is not None and e.module not in modules \
                and not any(e.module == d or e.module.startswith(d + "-") for d in docked):
            fail(f"unknown module {e.module!r}; expected a station module "
                 f"({', '.join(sorted(modules))}) or a docked vehicle id", "emergency.module")
        names = [m.name for m in scenario.crew]
        for i, name in enumerate(e.patients):
            if name not in names:
                fail(f"patient {name!r} is not in the crew ({', '.join(names) or 'no crew'})",
                     f"emergency.patients[{i}]")
        if e.patients and e.kind != "medical":
            fail("patients are named only for a medical emergency", "emergency.patients")


def _check_compatibility(scenario: Scenario, cat: Catalog, config, fail) -> None:
    """The scenario's declared compatibility refers to known systems, ports, vehicles, providers."""
    from lifeboat.catalog import load_compatibility

    c = scenario.compatibility
    if c is None:
        return
    systems = {s.id for s in load_compatibility().system}
    ports = set(config.docking_ports) if config is not None else set()
    for i, p in enumerate(c.ports):
        for s in p.systems:
            if s not in systems:
                fail(f"unknown docking system {s!r}; expected one of {', '.join(sorted(systems))}",
                     f"compatibility.ports[{i}].systems")
        for port in p.ports:
            if ports and port not in ports:
                fail(f"unknown docking port {port!r}; expected one of {', '.join(sorted(ports))}",
                     f"compatibility.ports[{i}].ports")
    for i, v in enumerate(c.vehicles):
        try:
            cat.get("vehicles", v.vehicle)
        except InputError as exc:
            fail(exc.message, f"compatibility.vehicles[{i}].vehicle")
        for s in v.systems:
            if s not in systems:
                fail(f"unknown docking system {s!r}; expected one of {', '.join(sorted(systems))}",
                     f"compatibility.vehicles[{i}].systems")
    for i, d in enumerate(c.certifications):
        try:
            cat.get("vehicles", d.vehicle)
        except InputError as exc:
            fail(exc.message, f"compatibility.certifications[{i}].vehicle")
    for i, a in enumerate(c.agreements):
        try:
            cat.get("providers", a.provider)
        except InputError as exc:
            fail(exc.message, f"compatibility.agreements[{i}].provider")


def builtin_scenarios() -> list[str]:
    """Ids of the scenarios shipped in the package."""
    folder = resources.files("lifeboat.scenarios")
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def _builtin_path(scenario_id: str):
    return resources.files("lifeboat.scenarios").joinpath(f"{scenario_id}.toml")


def load_scenario(path_or_id: str | Path, *, catalog: Catalog | None = None) -> Scenario:
    """Load a scenario from a TOML file path or a built-in id, fully validated."""
    text = str(path_or_id)
    path = Path(text)
    if not path.exists() and not text.endswith(".toml") and "/" not in text:
        if text not in builtin_scenarios():
            raise InputError(
                f"no scenario file or built-in scenario named {text!r}; built-ins: "
                f"{', '.join(builtin_scenarios())}",
                source="SCENARIO",
            )
        source = f"built-in scenario {text}"
        import tomllib

        data = tomllib.loads(_builtin_path(text).read_text("utf-8"))
    else:
        source = str(path)
        data = read_toml(path)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc, source=source) from None
    scenario._source = source
    scenario._folder = Path(str(_builtin_path(text))).parent if source.startswith("built-in") \
        else path.parent
    validate_references(scenario, source=source, catalog=catalog)
    return scenario


def scenario_json_schema() -> dict:
    """The JSON Schema of a scenario file."""
    return Scenario.model_json_schema()
