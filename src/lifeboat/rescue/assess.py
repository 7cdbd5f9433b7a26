"""The assessment of a scenario: everything ``lifeboat assess`` prints and reports.

:func:`assess` gathers, for one scenario: the situation (crew, seats, lifeboats, fleet), the
emergency analysis (for a leak: rate, reserve time, pressure against time), the next launch
opportunities of each provider and the next landing opportunities of each docked vehicle, the
rescue plan (:func:`lifeboat.rescue.planner.plan_rescue`), the risk comparison of the scenario's
architectures and every source behind the numbers. The result is a dataclass; the CLI prints it
and ``--json`` serialises the same object.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from lifeboat.catalog import Catalog, load_catalog
from lifeboat.errors import InputError
from lifeboat.rescue.planner import RescuePlan, beyond_orbit_prediction, plan_rescue
from lifeboat.rescue.services import LAUNCH_SEARCH_DAYS, Services
from lifeboat.timeutil import days_between

if TYPE_CHECKING:
    from lifeboat.cabin.leak import LeakSummary
    from lifeboat.catalog.models import LunarOrbitModel
    from lifeboat.orbits.landings import LandingOpportunity
    from lifeboat.orbits.reach import ReachMatrix
    from lifeboat.orbits.windows import LaunchOpportunity
    from lifeboat.risk.engine import RiskResult

REPORT_RISK_TRIALS = 200_000  # enough for a ±0.2 pt interval on P(LOC) of a few %, in about a second
REPORT_RISK_SEED = 2018
OPPORTUNITIES_PER_SITE = 3
LANDINGS_PER_VEHICLE = 6
GROUND_TRACK_MINUTES = 140.0  # about one and a half ISS orbits


class _Row:
    """Named result rows that still answer ``row["field"]`` (the report reads some by key)."""

    def __getitem__(self, key: str):
        return getattr(self, key)


@dataclass(frozen=True)
class SourceUse:
    title: str
    url: str
    used_for: str


@dataclass(frozen=True)
class CrewRow(_Row):
    name: str
    agency: str
    seat: str


@dataclass(frozen=True)
class DockedRow(_Row):
    id: str
    vehicle: str
    vehicle_name: str
    port: str | None
    health: str
    seats: int
    docked_utc: datetime
    docked_days: float
    docked_life_days: float | None
    docked_life_left_days: float | None
    crew: list[str]


@dataclass(frozen=True)
class FleetRow(_Row):
    provider: str
    vehicle: str
    vehicle_name: str
    crew_certified: bool
    grounded_until: datetime | None
    next_ready_utc: datetime | None
    standby_days: float | None
    next_planned_utc: datetime | None
    advance_days: float
    next_crewed_utc: datetime | None
    notes: str


@dataclass
class Situation:
    station: str
    station_name: str
    configuration: str | None
    epoch_utc: datetime
    crew: list[CrewRow]
    docked: list[DockedRow]
    fleet: list[FleetRow]
    seats_total: int
    seat_margin: int


@dataclass(frozen=True)
class PressureCurve(_Row):
    """Cabin pressure (mmHg) against hours from the onset: the physical blowdown and the crew
    chart's straight line."""

    times_h: list[float]
    pressure_mmhg: list[float]
    linear_mmhg: list[float]
    limit_mmhg: float


@dataclass
class EmergencyAnalysis:
    kind: str
    what_if: bool
    onset_utc: datetime
    description: str
    leak: LeakSummary | None = None
    pressure_curve: PressureCurve | None = None


@dataclass
class LaunchRow(_Row):
    """The next launch opportunities of one provider's vehicle from one site."""

    provider: str
    vehicle: str
    site: str
    search_from_utc: datetime
    opportunities: list[LaunchOpportunity]
    unreachable_reason: str | None


@dataclass(frozen=True)
class LandingRow(_Row):
    """The next landing opportunities of one docked vehicle."""

    docked: str
    vehicle: str
    opportunities: list[LandingOpportunity]


@dataclass(frozen=True)
class MapSite(_Row):
    id: str
    name: str
    latitude_deg: float
    longitude_deg: float


@dataclass(frozen=True)
class MapZone(_Row):
    id: str
    name: str
    polygon: list[list[float]]  # [latitude_deg, longitude_deg] points


@dataclass(frozen=True)
class RiskSettings(_Row):
    trials: int
    seed: int
    architectures: list[str]


@dataclass(frozen=True)
class LunarAccessRow(_Row):
    """One catalog crew vehicle against a station in lunar orbit: the physics verdict from the
    computed transfers (with every reason), the policy status apart, and for a fleet vehicle
    that can reach the station its earliest computed direct transfer and return."""

    vehicle: str
    vehicle_name: str
    role: str  # "docked", "fleet" or "catalog"
    reachable: bool  # can reach the orbit and bring a crew home (physics)
    can_return_crew: bool  # docked at the station, can bring its crew home (physics)
    planned_to_serve: bool  # policy, apart from the physics
    reasons: list[str]
    launch_utc: datetime | None
    arrival_utc: datetime | None
    insertion_dv_km_s: float | None
    return_departure_utc: datetime | None  # docked: its crew's return from the onset;
    return_utc: datetime | None  # fleet: its return after arriving (entry interface)
    return_dv_km_s: float | None
    mission_days: float | None  # fleet: launch to entry interface
    home_after_decision_days_min: float | None  # over the phase, when it is unknown
    home_after_decision_days_max: float | None
    notes: list[str]


@dataclass(frozen=True)
class LunarSummary(_Row):
    """The station's lunar orbit and what it demands (computed transfers)."""

    orbit: str
    period_days: float
    phase_known: bool
    perilune_utc: datetime | None
    cheapest_insertion_dv_km_s: float
    cheapest_return_dv_km_s: float
    cheapest_return_days: float
    entry_speed_km_s: float
    flyby_legs: bool
    notes: list[str]
    orbit_model: LunarOrbitModel | None  # the scenario's [station.lunar_orbit], else the catalog's


@dataclass
class Assessment:
    scenario_id: str
    title: str
    description: str
    situation: Situation
    emergency: EmergencyAnalysis | None
    launch_opportunities: list[LaunchRow]
    landing_opportunities: list[LandingRow]
    reachability: ReachMatrix | None  # LEO stations
    cislunar_access: list[LunarAccessRow]  # stations in lunar orbit: every catalog vehicle
    ground_track: list[tuple[float, float]]
    map_sites: list[MapSite]
    map_zones: list[MapZone]
    rescue: RescuePlan | None
    risk: list[RiskResult]
    risk_settings: RiskSettings
    sources: list[SourceUse]
    lunar: LunarSummary | None = None  # stations in lunar orbit
    # The scenario's first architecture is the baseline: every other one's paired differences
    # from it (common random numbers), ``{metric: {mean, mc_se, p_improvement}}``.
    risk_baseline: str | None = None
    risk_differences: dict[str, dict[str, dict[str, float | None]]] = field(default_factory=dict)


def preflight(scenario, *, catalog: Catalog | None = None, services: Services | None = None) -> list[str]:
    """Every check ``assess`` runs on a scenario's inputs before planning, without the analyses:
    the station's orbit at the onset (and its elements' age), the leak network and analysis, the
    architectures. Raises :class:`InputError` naming the scenario file and field; returns what
    was checked."""
    from lifeboat.orbits.station import DEFAULT_MAX_TLE_AGE_DAYS

    cat = catalog or load_catalog()
    svc = services or Services(cat)
    onset = scenario.emergency.onset_utc if scenario.emergency and scenario.emergency.onset_utc \
        else scenario.epoch_utc
    checked = ["schema", "catalog references"]
    st = scenario.station
    field = ("station.elements_file" if st.elements_file is not None else
             "station.tle" if st.tle is not None else
             "station.elements" if st.elements is not None else "station.id")
    with _in_scenario(scenario, field):
        orbit = svc.orbit(scenario, onset)
        if orbit is not None:
            orbit.check_age(onset, st.max_element_age_days or DEFAULT_MAX_TLE_AGE_DAYS)
            checked.append("station orbit at the onset")
    if scenario.emergency is not None and scenario.emergency.kind == "leak":
        with _in_scenario(scenario, "emergency"):
            svc.leak(scenario)
        checked.append("leak network and analysis")
    if scenario.architectures:
        from lifeboat.risk.model import load_architecture

        for i, arch in enumerate(scenario.architectures):
            with _in_scenario(scenario, f"architectures[{i}]"):
                load_architecture(arch)
        checked.append("risk architectures")
    return checked


@contextmanager
def _in_scenario(scenario, field: str) -> Iterator[None]:
    """An input error met while checking a scenario names the scenario file and ``field``, with
    the original error's file (an element-set file, an architecture) kept in the message."""
    try:
        yield
    except InputError as exc:
        source = getattr(scenario, "source", None)
        if source is None or exc.source == source:
            raise
        where = "station.satellite" if exc.param == "satellite" else field
        message = ": ".join(p for p in (exc.source, exc.where, exc.message) if p)
        raise InputError(message, source=source, where=where) from None


def assess(scenario, *, catalog: Catalog | None = None, services: Services | None = None,
           risk_trials: int = REPORT_RISK_TRIALS, risk_seed: int = REPORT_RISK_SEED) -> Assessment:
    """Assess a scenario (a :class:`~lifeboat.model.scenario.Scenario`, a built-in id or a path)."""
    from lifeboat.model.scenario import load_scenario

    cat = catalog or load_catalog()
    if isinstance(scenario, str) or hasattr(scenario, "__fspath__"):
        scenario = load_scenario(scenario, catalog=cat)
    svc = services or Services(cat)
    preflight(scenario, catalog=cat, services=svc)
    onset = scenario.emergency.onset_utc if scenario.emergency and scenario.emergency.onset_utc \
        else scenario.epoch_utc
    orbit = svc.orbit(scenario, onset)
    situation = _situation(scenario, cat)
    emergency = _emergency(scenario, svc, onset)
    launches = _launch_opportunities(scenario, cat, orbit, onset)
    landings = _landing_opportunities(scenario, svc, orbit, onset)
    track = _ground_track(orbit, onset)
    reach = svc.reachability(orbit, onset) if orbit is not None else None
    cislunar, lunar = _cislunar(scenario, cat, svc, onset)
    plan = plan_rescue(scenario, catalog=cat, services=svc)
    risk = _risk(scenario, risk_trials, risk_seed)
    sites, zones = _map_features(scenario, cat)
    return Assessment(
        scenario_id=scenario.id, title=scenario.title, description=scenario.description.strip(),
        situation=situation, emergency=emergency, launch_opportunities=launches,
        landing_opportunities=landings, reachability=reach, cislunar_access=cislunar,
        ground_track=track,
        map_sites=sites, map_zones=zones, rescue=plan,
        risk=risk.results if risk is not None else [],
        risk_settings=RiskSettings(risk_trials, risk_seed, list(scenario.architectures)),
        sources=_sources(scenario, cat), lunar=lunar,
        risk_baseline=risk.baseline if risk is not None else None,
        risk_differences=risk.differences if risk is not None else {},
    )


def _situation(scenario, cat: Catalog) -> Situation:
    station = cat.station(scenario.station.id)
    docked = []
    for d in scenario.docked:
        vehicle = cat.vehicle(d.vehicle)
        life = vehicle.docked_life_days
        days = days_between(d.docked_utc, scenario.epoch_utc)
        docked.append(DockedRow(
            id=d.id, vehicle=d.vehicle, vehicle_name=vehicle.name, port=d.port, health=d.health,
            seats=scenario.seats_of(d.id, cat), docked_utc=d.docked_utc, docked_days=days,
            docked_life_days=life, docked_life_left_days=None if life is None else life - days,
            crew=[m.name for m in scenario.crew if m.seat.split(":")[0] == d.id]))
    fleet = [FleetRow(provider=f.provider, vehicle=f.vehicle, vehicle_name=cat.vehicle(f.vehicle).name,
                      crew_certified=f.crew_certified, grounded_until=f.grounded_until,
                      next_ready_utc=f.next_ready_utc, standby_days=f.standby_days,
                      next_planned_utc=f.next_planned_utc, advance_days=f.advance_days,
                      next_crewed_utc=f.next_crewed_utc, notes=f.notes) for f in scenario.fleet]
    crew = [CrewRow(m.name, m.agency, m.seat) for m in scenario.crew]
    seats = sum(d.seats for d in docked if d.health != "unfit")
    return Situation(station=station.id, station_name=station.name,
                     configuration=scenario.station.configuration, epoch_utc=scenario.epoch_utc,
                     crew=crew, docked=docked, fleet=fleet, seats_total=seats,
                     seat_margin=seats - len(crew))


def _emergency(scenario, svc: Services, onset: datetime) -> EmergencyAnalysis | None:
    e = scenario.emergency
    if e is None:
        return None
    analysis = EmergencyAnalysis(kind=e.kind, what_if=e.what_if, onset_utc=onset,
                                 description=e.description)
    if e.kind == "leak":
        leak = svc.leak(scenario)
        analysis.leak = leak
        analysis.pressure_curve = _pressure_curve(leak)
    return analysis


PRESSURE_CURVE_POINTS = 200


def _pressure_curve(leak) -> PressureCurve:
    """Cabin pressure (mmHg) against hours from the onset for a leak summary: the physical
    blowdown of the vented segment (the cabin kernels' isothermal or adiabatic solution) and the
    crew chart's straight line, to 15 % past the later of the two limit crossings (at most 60 d)."""
    from lifeboat.cabin import physics

    adiabatic = leak.thermal == "adiabatic"
    p0_pa = leak.initial_pressure_mmhg * physics.PA_PER_MMHG
    rate_pa_s = leak.initial_rate_mmhg_per_h * physics.PA_PER_MMHG / 3600.0
    # The initial rate is p0/τ (isothermal) or γ·p0/τ (adiabatic), τ the blowdown time constant.
    tau_s = (physics.GAMMA_AIR if adiabatic else 1.0) * p0_pa / rate_pa_s if rate_pa_s > 0 else math.inf
    span_h = min(max(leak.time_to_limit_h, leak.reserve_time_linear_h) * 1.15, 24.0 * 60)
    times_h = [span_h * i / (PRESSURE_CURVE_POINTS - 1) for i in range(PRESSURE_CURVE_POINTS)]
    blowdown = physics.adiabatic_blowdown_pa if adiabatic else physics.isothermal_blowdown_pa
    physical_pa = blowdown([t * 3600.0 for t in times_h], p0_pa, tau_s)
    return PressureCurve(
        times_h=times_h, pressure_mmhg=[float(p) / physics.PA_PER_MMHG for p in physical_pa],
        linear_mmhg=[max(leak.initial_pressure_mmhg - leak.initial_rate_mmhg_per_h * t, 0.0)
                     for t in times_h],
        limit_mmhg=leak.limit_mmhg)


def _launch_opportunities(scenario, cat: Catalog, orbit, onset: datetime) -> list[LaunchRow]:
    from lifeboat.orbits.windows import launch_opportunities

    station = cat.station(scenario.station.id)
    rows = []
    if orbit is None:  # lunar orbit: see the cislunar access section
        return rows
    for f in scenario.fleet:
        if station.vehicles and f.vehicle not in station.vehicles:
            continue
        vehicle = cat.vehicle(f.vehicle)
        start = max(onset, f.next_ready_utc or onset)
        for site in vehicle.sites:
            row = LaunchRow(provider=f.provider, vehicle=f.vehicle, site=site, search_from_utc=start,
                            opportunities=[], unreachable_reason=None)
            try:
                orbit.check_age(start)
            except InputError as exc:
                row.unreachable_reason = beyond_orbit_prediction(start, onset, exc)
                rows.append(row)
                continue
            result = launch_opportunities(site, orbit, start, LAUNCH_SEARCH_DAYS, vehicle_id=f.vehicle)
            row.opportunities = result.opportunities[:OPPORTUNITIES_PER_SITE]
            row.unreachable_reason = result.unreachable_reason
            rows.append(row)
    return rows


def _landing_opportunities(scenario, svc: Services, orbit, onset: datetime) -> list[LandingRow]:
    rows = []
    if orbit is None:
        return rows
    for d in scenario.docked:
        opportunities = svc.landings(d.vehicle, orbit, onset)
        rows.append(LandingRow(d.id, d.vehicle, opportunities[:LANDINGS_PER_VEHICLE]))
    return rows


def _cislunar(scenario, cat: Catalog, svc: Services, onset: datetime
              ) -> tuple[list[LunarAccessRow], LunarSummary | None]:
    """Every catalog crew vehicle against a station in lunar orbit (the docked and fleet ones
    first), from the computed transfers at the scenario's orbit and phase."""
    if not svc.is_lunar(scenario):
        return [], None
    evac = svc.lunar_evacuation(scenario, onset)
    req = evac.requirements
    notes = list(evac.notes)
    notes.append("capability on the cheaper of direct and powered-lunar-flyby legs" if svc.lunar_flyby
                 else "capability on direct single-burn legs only (powered-lunar-flyby legs not "
                 "evaluated)")
    notes.append("transfers and returns timed here are direct single-burn legs (CR3BP); a flyby "
                 "leg is cheaper but about 1.4 d longer: see `lifeboat lunar return --flyby`")
    summary = LunarSummary(
        orbit=evac.orbit, period_days=evac.orbit_period_days, phase_known=evac.phase_known,
        perilune_utc=evac.perilune_utc, cheapest_insertion_dv_km_s=req.cheapest_insertion()[0],
        cheapest_return_dv_km_s=req.cheapest_return()[0],
        cheapest_return_days=req.cheapest_return()[1], entry_speed_km_s=req.entry_speed_km_s,
        flyby_legs=svc.lunar_flyby, notes=notes,
        orbit_model=scenario.station.lunar_orbit or cat.station(scenario.station.id).lunar_orbit)
    docked = {d.vehicle for d in scenario.docked}
    fleet = {f.vehicle: f for f in scenario.fleet}
    rows = []
    for r in evac.vehicles:
        cap, vid = r.capability, r.capability.vehicle
        role = "docked" if vid in docked else "fleet" if vid in fleet else "catalog"
        launch = arrival = insertion = mission = None
        row_notes: list[str] = []
        ret = None
        if role == "docked" and cap.can_return_crew:
            ret = svc.first_landing(vid, None, onset)
            if ret is None:
                row_notes.append(svc.lunar_no_return(vid, onset))
        if vid in fleet and cap.can_reach_and_return:
            start = max(onset, fleet[vid].next_ready_utc or onset)
            best = None
            for site in cat.vehicle(vid).sites:
                t = svc.lunar_transfer(scenario, vid, site, start)
                row_notes += [n for n in t.notes if n not in row_notes]
                if t.arrival_utc is not None and (best is None or t.arrival_utc < best.arrival_utc):
                    best = t
            if best is not None:
                launch, arrival, insertion = best.launch_utc, best.arrival_utc, best.insertion_dv_km_s
                left = cap.delta_v_km_s - insertion
                relief = svc.lunar_return(vid, arrival, budget_km_s=left)
                if relief is not None and role != "docked":
                    ret = relief
                    mission = days_between(launch, relief.landing_utc)
                if relief is None:
                    row_notes.append(f"after a {insertion:.3f} km/s insertion it holds {left:.3f} "
                                     "km/s: no direct return fits; it returns by a powered lunar "
                                     "flyby (not timed here)")
        rows.append(LunarAccessRow(
            vehicle=vid, vehicle_name=cat.vehicle(vid).name, role=role,
            reachable=cap.can_reach_and_return, can_return_crew=cap.can_return_crew,
            planned_to_serve=cap.planned_to_serve, reasons=list(cap.reasons),
            launch_utc=launch, arrival_utc=arrival, insertion_dv_km_s=insertion,
            return_departure_utc=ret and ret.undock_utc, return_utc=ret and ret.landing_utc,
            return_dv_km_s=ret and ret.departure_dv_km_s,
            mission_days=mission,
            home_after_decision_days_min=r.home_after_decision_days_min,
            home_after_decision_days_max=r.home_after_decision_days_max, notes=row_notes))
    order = {"docked": 0, "fleet": 1, "catalog": 2}
    rows.sort(key=lambda x: order[x.role])
    return rows, summary


def _ground_track(orbit, onset: datetime) -> list[tuple[float, float]]:
    """The station's sub-satellite points (lat, lon in degrees) for the next orbit and a half."""
    if orbit is None:
        return []
    times = [onset + timedelta(minutes=m) for m in range(0, int(GROUND_TRACK_MINUTES) + 1)]
    lat, lon = orbit.subpoints(times)
    return [(float(a), float(b)) for a, b in zip(lat, lon, strict=True)]


def _map_features(scenario, cat: Catalog) -> tuple[list[MapSite], list[MapZone]]:
    site_ids: list[str] = []
    zone_ids: list[str] = []
    for vid in [d.vehicle for d in scenario.docked] + [f.vehicle for f in scenario.fleet]:
        v = cat.vehicle(vid)
        site_ids += [s for s in v.sites if s not in site_ids]
        zone_ids += [z for z in v.recovery_zones if z not in zone_ids]
    sites = [MapSite(s, cat.site(s).name, cat.site(s).latitude_deg, cat.site(s).longitude_deg)
             for s in site_ids]
    zones = [MapZone(z, cat.zone(z).name, [list(p) for p in cat.zone(z).polygon]) for z in zone_ids]
    return sites, zones


def _risk(scenario, trials: int, seed: int):
    """The scenario's architectures on common random numbers, the first as the baseline
    (``lifeboat compare A B ... --baseline A``); ``None`` when the scenario lists none."""
    from lifeboat.risk.engine import compare_paired
    from lifeboat.risk.model import load_architecture

    if not scenario.architectures:
        return None
    archs = [load_architecture(a) for a in scenario.architectures]
    return compare_paired(archs, baseline=archs[0].id, trials=trials, seed=seed)


def _sources(scenario, cat: Catalog) -> list[SourceUse]:
    """Every source behind the records the assessment used, deduplicated, with what it backs."""
    out: dict[tuple[str, str], SourceUse] = {}

    def add(sources, used_for: str) -> None:
        for s in sources:
            out.setdefault((s.title, s.url), SourceUse(s.title, s.url, used_for))

    station = cat.station(scenario.station.id)
    add(station.sources, f"station {station.id}")
    add(station.tle_source, f"station {station.id} orbit (TLE)")
    for config in station.configurations:
        if config.id == scenario.station.configuration:
            for m in config.modules:
                add(m.sources, f"module {m.id} volume")
    vehicles = {d.vehicle for d in scenario.docked} | {f.vehicle for f in scenario.fleet}
    for vid in sorted(vehicles):
        v = cat.vehicle(vid)
        add(v.sources, f"vehicle {vid}")
        for r in v.rendezvous:
            add(r.sources, f"{vid} rendezvous scheme {r.name}")
        if v.deorbit is not None:
            add(v.deorbit.sources, f"{vid} deorbit profile")
        for s in v.sites:
            add(cat.site(s).sources, f"launch site {s}")
        for launcher in v.launchers:
            add(cat.launcher(launcher).sources, f"launcher {launcher}")
        for z in v.recovery_zones:
            add(cat.zone(z).sources, f"recovery zone {z}")
        add(cat.provider(v.provider).sources, f"provider {v.provider}")
    from lifeboat.catalog import load_compatibility

    compat = load_compatibility()
    fleet = {f.vehicle for f in scenario.fleet} | {d.vehicle for d in scenario.docked}
    providers = {f.provider for f in scenario.fleet}
    for r in compat.vehicle:
        if r.vehicle in fleet:
            add(r.sources, f"docking system of {r.vehicle}")
    for r in compat.port:
        if r.station == station.id:
            add(r.sources, f"docking system of {station.id} ports {', '.join(r.ports)}")
    for r in compat.certification:
        if r.station == station.id and r.vehicle in fleet:
            add(r.sources, f"certification of {r.vehicle} at {station.id}")
    for r in compat.agreement:
        if r.station == station.id and r.provider in providers:
            add(r.sources, f"agreement: {r.provider} at {station.id}")
    add(scenario.sources, f"scenario {scenario.id}")
    if scenario.architectures:
        from lifeboat.risk.model import load_architecture

        for arch_id in scenario.architectures:
            arch = load_architecture(arch_id)
            for text in _architecture_source_texts(arch):
                out.setdefault((text, ""), SourceUse(text, "", f"risk architecture {arch_id}"))
    return list(out.values())


def _architecture_source_texts(arch) -> list[str]:
    """The source strings of every section of a risk architecture (its ``sources`` tables)."""
    texts: list[str] = []

    def walk(node) -> None:
        if isinstance(node, list | tuple):
            for item in node:
                walk(item)
            return
        sources = getattr(node, "sources", None)
        if isinstance(sources, dict):
            texts.extend(v for v in sources.values() if v not in texts)
        for name in getattr(type(node), "model_fields", {}):
            if name != "sources":
                walk(getattr(node, name))

    walk(arch)
    return texts
