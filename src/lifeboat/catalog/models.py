"""Typed records of the built-in catalog. Every record carries its sources and a confidence.

Units are in field names (``latitude_deg``, ``volume_m3``). Angles in degrees, lengths in km or m
as named, durations in seconds (``_s``), hours (``_h``) or days (``_days``) as named.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Confidence = Literal["high", "medium", "low", "derived", "assumption"]
Id = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9.-]*$", min_length=1, max_length=64)]
Latitude = Annotated[float, Field(ge=-90.0, le=90.0)]
Longitude = Annotated[float, Field(ge=-180.0, le=180.0)]


class Strict(BaseModel):
    """Base for every catalog and scenario type: unknown keys are errors, values are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(Strict):
    title: str = Field(min_length=3)
    url: str = ""


class Record(Strict):
    """What every catalog entry has: an id, a name, sources and a confidence grade."""

    id: Id
    name: str
    sources: list[Source] = Field(min_length=1)
    confidence: Confidence
    notes: str = ""


class Site(Record):
    operator: str
    country: str
    latitude_deg: Latitude
    longitude_deg: Longitude
    altitude_m: float = 0.0
    crewed_pad: bool
    launchers: list[Id]
    # Allowed launch azimuths, clockwise from north, as [min, max] intervals (range safety).
    azimuth_ranges_deg: list[tuple[float, float]] = Field(min_length=1)
    # Orbital inclinations the range allows, where a source gives them.
    inclination_range_deg: tuple[float, float] | None = None

    @model_validator(mode="after")
    def _check_azimuths(self) -> Site:
        for lo, hi in self.azimuth_ranges_deg:
            if not (0.0 <= lo <= hi <= 360.0):
                raise ValueError(f"azimuth range [{lo}, {hi}] must satisfy 0 <= min <= max <= 360")
        return self


class AscentPoint(Strict):
    """One point of a launcher's nominal ascent (from liftoff)."""

    t_s: float = Field(ge=0.0)
    altitude_km: float = Field(ge=0.0)
    downrange_km: float = Field(ge=0.0)
    speed_m_s: float = Field(ge=0.0)
    flight_path_deg: float = Field(ge=-90.0, le=90.0)


class Launcher(Record):
    operator: str
    flights: int = Field(ge=0)
    failures: int = Field(ge=0)
    crewed_flights: int = Field(ge=0, default=0)
    crewed_failures: int = Field(ge=0, default=0)
    record_as_of: str = ""
    abort_system: str
    insertion_time_s: float = Field(gt=0.0)  # liftoff to orbit insertion
    ascent_profile: list[AscentPoint] = []
    status: Literal["operational", "retired", "in-development"] = "operational"
    # Liftoff before the pad's in-plane instant (s), fitted to real launches (the notes name them);
    # None: the uncalibrated guidance model, insertion_time_s / 2.
    # Pad in-plane instant minus liftoff (s), fitted to real launches; negative when the launcher
    # lifts off after the instant (Long March 2F from Jiuquan, which lies just south of the
    # Tiangong plane's highest latitude). None: the guidance model (windows.launch_lead_s).
    launch_lead_s: float | None = None


class RendezvousScheme(Strict):
    """A launch-to-docking profile: how many orbits, and the phase angles it accepts.

    ``phase_window_deg`` is the station's angle ahead of the chaser at orbit insertion, measured
    along the orbit, that the scheme can absorb. ``orbits`` counts the chaser's revolutions from
    insertion to docking. Durations follow from these and the orbital periods.
    """

    name: str
    orbits: float = Field(gt=0.0)
    phase_window_deg: tuple[float, float]
    final_approach_s: float = Field(ge=0.0, default=0.0)
    # First flight of this scheme by this vehicle (crewed where the vehicle is crewed); a launch
    # before it is not offered the scheme. None: flown throughout the vehicle's service.
    flown_from: date | None = None
    # The station, not the chaser, sets up the phase: it manoeuvres into the rendezvous orbit in
    # the days before the launch (Tiangong for Shenzhou), so every launch opportunity can fly the
    # scheme and its docking time is the one at the window's middle, whatever phase the
    # pre-manoeuvre elements give.
    target_phased: bool = False
    sources: list[Source] = Field(min_length=1)
    confidence: Confidence


class DeorbitProfile(Strict):
    undock_to_burn_s: float = Field(ge=0.0)
    burn_duration_s: float = Field(ge=0.0)
    burn_to_landing_s: float = Field(gt=0.0)
    delta_v_m_s: float = Field(ge=0.0)
    # Added to the entry model's range from burn to touchdown (km along the track), fitted to
    # recorded returns (the vehicle's notes name them); 0: the entry model uncorrected.
    entry_range_correction_km: float = 0.0
    sources: list[Source] = Field(min_length=1)
    confidence: Confidence


class LunarCapability(Strict):
    """What a crew vehicle can do beyond low Earth orbit (physics), and, separately, whether it is
    planned to serve a lunar station (policy). ``None`` values mean "not sourced"."""

    launcher_tli: bool  # a launcher in its stack can put it on a trans-lunar trajectory
    delta_v_km_s: float | None = Field(ge=0.0, default=None)  # own Δv after trans-lunar injection
    free_flight_days: float | None = Field(gt=0.0, default=None)
    entry_speed_limit_km_s: float | None = Field(gt=0.0, default=None)
    planned_to_serve: list[Id] = []  # station ids (policy, not capability)
    sources: list[Source] = Field(min_length=1)
    confidence: Confidence


class CrewVehicle(Record):
    provider: Id
    status: Literal["operational", "retired", "in-development", "planned"]
    seats: int = Field(ge=1)
    seats_max: int = Field(ge=1)
    docked_life_days: float | None = Field(gt=0.0, default=None)
    free_flight_days: float | None = Field(gt=0.0, default=None)
    pressurized_volume_m3: float | None = Field(gt=0.0, default=None)
    launchers: list[Id]
    sites: list[Id]
    abort_system: str
    rendezvous: list[RendezvousScheme] = []
    landing_mode: Literal["land", "splashdown"]
    recovery_zones: list[Id]
    deorbit: DeorbitProfile | None = None
    entry_g: float | None = None
    cost_per_seat_musd: float | None = None
    delta_v_m_s: float | None = None  # service-propulsion capability, where sourced
    cislunar_capable: bool = False
    lunar: LunarCapability | None = None


class Module(Strict):
    id: Id
    name: str
    volume_m3: float = Field(gt=0.0)
    temperature_k: float = Field(gt=0.0, default=295.15)
    kind: Literal["module", "node", "airlock", "vehicle"] = "module"
    sources: list[Source] = Field(min_length=1)
    confidence: Confidence


class Hatch(Strict):
    a: Id
    b: Id
    diameter_mm: float = Field(gt=0.0, default=800.0)
    open: bool = True


class StationConfiguration(Strict):
    """Modules and hatches of a station as they stood at a date (``id`` such as ``2018-12``)."""

    id: Id
    description: str
    modules: list[Module] = Field(min_length=1)
    hatches: list[Hatch]
    docking_ports: list[Id] = []

    @model_validator(mode="after")
    def _check_graph(self) -> StationConfiguration:
        ids = [m.id for m in self.modules]
        if len(set(ids)) != len(ids):
            raise ValueError(f"configuration {self.id}: module ids are not unique")
        for h in self.hatches:
            for end in (h.a, h.b):
                if end not in ids:
                    raise ValueError(f"configuration {self.id}: hatch names unknown module {end!r}")
        return self


class LunarOrbitModel(Strict):
    """A station's orbit around the Moon (see ``lifeboat.cislunar.orbits``): an NRHO by family and
    one of period, resonance or perilune radius; a DRO by period or perilune radius; or a low or
    elliptical lunar orbit by Moon-centred elements. ``perilune_utc`` is one perilune passage (it
    fixes the phase); without it results are given over the phase."""

    kind: Literal["nrho", "dro", "elements"] = "nrho"
    family: Literal["l1-north", "l1-south", "l2-north", "l2-south"] = "l2-south"
    period_days: float | None = Field(gt=0.0, default=None)
    resonance: str | None = Field(pattern=r"^[1-9][0-9]*:[1-9][0-9]*$", default=None)
    perilune_radius_km: float | None = Field(gt=0.0, default=None)
    semi_major_axis_km: float | None = Field(gt=0.0, default=None)
    perilune_altitude_km: float | None = Field(gt=0.0, default=None)
    apolune_altitude_km: float | None = Field(gt=0.0, default=None)
    eccentricity: float = Field(ge=0.0, lt=1.0, default=0.0)
    inclination_deg: float = Field(ge=0.0, le=180.0, default=90.0)
    raan_deg: float = 0.0
    arg_perilune_deg: float = 0.0
    perilune_utc: datetime | None = None


class Station(Record):
    operator: str
    regime: Literal["leo", "nrho", "lunar"]
    crew_size: int = Field(ge=0)
    inclination_deg: float | None = Field(ge=0.0, le=180.0, default=None)
    altitude_km: float | None = Field(gt=0.0, default=None)
    tle: tuple[str, str] | None = None
    tle_source: list[Source] = []
    vehicles: list[Id] = []
    configurations: list[StationConfiguration] = []
    lunar_orbit: LunarOrbitModel | None = None


class RecoveryZone(Record):
    mode: Literal["land", "sea"]
    # Closed ring of (latitude_deg, longitude_deg) points; the first point need not be repeated.
    polygon: list[tuple[Latitude, Longitude]] = Field(min_length=3)
    vehicles: list[Id]
    # Where returns are aimed inside the zone (a recorded nominal landing point); None: centroid.
    aim_deg: tuple[Latitude, Longitude] | None = None
    # Landing to crew out of the capsule with the recovery forces (s), where sourced; what it
    # measures (to the last or the first crew member out), its confidence and sources come with it.
    recovery_response_s: float | None = Field(ge=0.0, default=None)
    recovery_response_measure: Literal["all_crew_out", "first_crew_out"] | None = None
    recovery_response_confidence: Confidence | None = None
    recovery_response_sources: list[Source] = []
    # The period the zone is used (landing dates, inclusive); None: open-ended.
    used_from: date | None = None
    used_until: date | None = None

    @model_validator(mode="after")
    def _check_response(self) -> RecoveryZone:
        given = self.recovery_response_s is not None
        parts = (self.recovery_response_measure, self.recovery_response_confidence)
        if given and (None in parts or not self.recovery_response_sources):
            raise ValueError(
                "recovery_response_s needs recovery_response_measure, recovery_response_confidence "
                "and recovery_response_sources"
            )
        if not given and (parts != (None, None) or self.recovery_response_sources):
            raise ValueError("recovery_response_* given without recovery_response_s")
        return self


class Provider(Record):
    country: str
    vehicles: list[Id]
    launchers: list[Id]
    annual_budget_busd: float | None = None
    budget_year: int | None = None


# --- compatibility between crew vehicles and stations (catalog/data/compatibility.toml) ---------


class DockingSystem(Record):
    """A docking (or berthing) system: SSVP probe-and-drogue, APAS-95, IDSS, ..."""


class VehicleDocking(Strict):
    """The docking systems a crew vehicle carries, and its suit and seat liners."""

    vehicle: Id
    systems: list[Id] = Field(min_length=1)
    suit: str = ""
    liners: str = ""
    sources: list[Source] = Field(min_length=1)
    confidence: Confidence
    notes: str = ""


class PortDocking(Strict):
    """The docking system of station ports, and the adapter that provides it (if any)."""

    station: Id
    ports: list[Id] = Field(min_length=1)
    systems: list[Id] = Field(min_length=1)
    adapter: str = ""
    sources: list[Source] = Field(min_length=1)
    confidence: Confidence
    notes: str = ""


class Certification(Strict):
    """Whether the station's operator has certified a vehicle to carry crew to the station."""

    station: Id
    vehicle: Id
    certified: bool
    since_utc: datetime | None = None
    sources: list[Source] = Field(min_length=1)
    confidence: Confidence
    notes: str = ""


class Agreement(Strict):
    """Policy, kept apart from physics: may ``provider``'s vehicles serve ``station``?
    ``allowed = false`` records a law or decision that bars it."""

    station: Id
    provider: Id
    allowed: bool
    title: str
    since_utc: datetime | None = None
    sources: list[Source] = Field(min_length=1)
    confidence: Confidence
    notes: str = ""


class Compatibility(Strict):
    system: list[DockingSystem] = []
    vehicle: list[VehicleDocking] = []
    port: list[PortDocking] = []
    certification: list[Certification] = []
    agreement: list[Agreement] = []


# --- the lunar surface (catalog/data/lunar.toml) -----------------------------------------------


class LunarSite(Record):
    """A place on the Moon crews land (selenographic, mean-Earth/polar-axis frame: latitude
    north positive, longitude east positive). ``region_radius_km``: how far the landing site may
    lie from these coordinates (a candidate region, or the uncertainty of a derived centre)."""

    latitude_deg: Latitude
    longitude_deg: Longitude
    elevation_km: float = Field(ge=-10.0, le=11.0, default=0.0)
    region_radius_km: float = Field(ge=0.0, le=500.0, default=0.0)


class Lander(Record):
    """A crewed lunar lander's ascent vehicle. ``delta_v_km_s``: Δv it has on the surface for
    ascent and rendezvous; ``thrust_kn``/``isp_s``/``liftoff_mass_kg``: what the ascent model
    flies (None: the ascent is flown at ``thrust_to_weight``, the lunar-gravity ratio);
    ``surface_life_days``: how long it supports a crew on the surface; ``orbit_life_h``: how
    long after liftoff it keeps a crew alive in flight; ``entry_speed_limit_km_s``: None, it
    cannot enter the Earth's atmosphere."""

    operator: str
    status: Literal["operational", "retired", "in-development", "planned"]
    crew: int = Field(ge=1, le=20)
    delta_v_km_s: float | None = Field(gt=0.0, default=None)
    thrust_kn: float | None = Field(gt=0.0, default=None)
    isp_s: float = Field(gt=100.0, le=500.0)
    liftoff_mass_kg: float | None = Field(gt=0.0, default=None)
    thrust_to_weight: float | None = Field(gt=1.0, le=20.0, default=None)
    liftoff_prep_h: float = Field(ge=0.0, le=240.0)
    surface_life_days: float = Field(gt=0.0)
    orbit_life_h: float = Field(gt=0.0)
    entry_speed_limit_km_s: float | None = Field(gt=0.0, default=None)
    serves: list[Id] = []  # station ids it is planned to fly crews to and from (policy)

    @model_validator(mode="after")
    def _check_engine(self) -> Lander:
        engine = self.thrust_kn is not None and self.liftoff_mass_kg is not None
        if not engine and self.thrust_to_weight is None:
            raise ValueError("give thrust_kn and liftoff_mass_kg, or thrust_to_weight")
        return self
