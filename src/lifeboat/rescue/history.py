"""Replays of real incidents: what the planner and the services compute, beside what happened.

Each incident is a TOML file in ``rescue/incidents/`` holding two things kept strictly apart:

* the **inputs** - events and parameters as recorded (dates, hole sizes, vehicles, crews), each
  with its sources; the planner and the services compute everything else from them;
* the **recorded outcomes** (``[recorded.<key>]``) - what actually happened, with sources, a
  tolerance and the explanation of why a computation can differ.

:func:`replay` runs the computation and returns ``computed`` and ``recorded`` dicts with the same
keys (durations in days unless the key names another unit, times as UTC datetimes) and the
``differences``. Computed values never read the recorded table.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, ValidationError, model_validator

from lifeboat.catalog import Catalog, load_catalog
from lifeboat.catalog.models import Id, Source, Strict
from lifeboat.errors import InputError, from_validation_error
from lifeboat.rescue.seats import LedgerVehicle, SeatChange, seat_ledger
from lifeboat.rescue.services import Services, TimelineStep
from lifeboat.timeutil import as_utc, days_between

UtcDatetime = Annotated[datetime, AfterValidator(as_utc)]
DAYS_PER_YEAR = 365.25
MMHG_TO_PA = 101_325.0 / 760.0


# --- the incident file -------------------------------------------------------------------------


class Recorded(Strict):
    value: float | UtcDatetime
    unit: str
    note: str = ""
    sources: list[Source] = Field(min_length=1)
    tolerance: float = Field(ge=0.0)  # in ``unit``; days for times
    comparison: Literal["value", "at-least"] = "value"
    explanation: str = Field(min_length=10)


class VehicleRef(Strict):
    id: Id
    vehicle: Id  # catalog crew vehicle
    seats: int | None = Field(ge=1, default=None)  # default: the catalog's standard seats
    port: Id | None = None


class CrewGroup(Strict):
    names: list[str] = Field(min_length=1)
    vehicle: Id


class HealthChange(Strict):
    id: Id
    health: Literal["nominal", "degraded", "unfit"]
    emergency_seats: int | None = Field(ge=0, default=None)


class AddSeats(Strict):
    id: Id
    seats: int = Field(ge=1)


class Launch(Strict):
    id: Id
    vehicle: Id
    launch_utc: UtcDatetime
    scheme: str | None = None  # default: the vehicle's first (typical) scheme
    seats: int | None = Field(ge=1, default=None)


class Event(Strict):
    utc: UtcDatetime | None = None  # computed for a launch (its docking time)
    label: str
    sources: list[Source] = Field(min_length=1)
    health: HealthChange | None = None
    add_seats: AddSeats | None = None
    launch: Launch | None = None
    undock: Id | None = None
    crew: list[str] = []  # arriving with a launch, departing with an undocking
    return_vehicle: Id | None = None  # the undocking vehicle flies home: landing computed

    @model_validator(mode="after")
    def _time(self) -> Event:
        if (self.utc is None) == (self.launch is None):
            raise ValueError("give utc, or a launch (whose docking time is computed), not both")
        return self


class LeakInputs(Strict):
    onset_utc: UtcDatetime
    configuration: Id | None = None
    module: str | None = None
    docked: list[VehicleRef] = []
    volume_m3: float | None = Field(gt=0.0, default=None)  # a station not in the catalog
    hole_mm: float | None = Field(gt=0.0, default=None)
    hole_area_mm2: float | None = Field(gt=0.0, default=None)
    cd: float = Field(gt=0.0, le=1.0, default=0.6)
    p0_mmhg: float = Field(gt=0.0, default=760.0)
    temperature_k: float = Field(gt=0.0, default=295.15)
    isolated_after_s: float | None = Field(ge=0.0, default=None)
    search_starts_utc: UtcDatetime | None = None
    repress_mmhg: float = 0.0
    sources: list[Source] = Field(min_length=1)

    @model_validator(mode="after")
    def _hole(self) -> LeakInputs:
        if (self.hole_mm is None) == (self.hole_area_mm2 is None):
            raise ValueError("give exactly one of hole_mm and hole_area_mm2")
        return self


class AbortInputs(Strict):
    launcher: Id
    site: Id
    launch_utc: UtcDatetime
    failure_time_s: float = Field(gt=0.0)
    sources: list[Source] = Field(min_length=1)


class GroundingInputs(Strict):
    provider: Id
    vehicle: str
    lost_utc: UtcDatetime
    return_to_flight_utc: UtcDatetime | None = None
    ready_utc: UtcDatetime | None = None  # the day the grounded vehicle was ready again
    site: Id | None = None
    scheme: str | None = None  # the rendezvous scheme flown (default: the fastest available)
    lifeboat: Id | None = None
    lifeboat_docked_utc: UtcDatetime | None = None
    sources: list[Source] = Field(min_length=1)


class ResupplyInputs(Strict):
    lifeboat_vehicle: Id
    flights_per_year: float = Field(gt=0.0)
    crew_days_per_flight: float = Field(gt=0.0)
    sources: list[Source] = Field(min_length=1)


class PredictionSpec(Strict):
    """The prediction of an incident: a scenario in ``incidents/onset/`` holding only what was
    known at the onset, and what was really done (recorded outcomes, never read by the planner).

    ``action`` is the kind of option really chosen (a :class:`RescueOption` kind);
    ``lifeboat_restored_utc`` when every crew member aboard had a seat home again;
    ``crew_home_utc`` when the crew sent home landed; ``next_vehicle_dock_utc`` when the next
    vehicle that could serve as a lifeboat docked (after a grounding: the return to flight)."""

    scenario: str
    action: str
    action_sources: list[Source] = Field(min_length=1)
    lifeboat_restored_utc: Recorded | None = None
    crew_home_utc: Recorded | None = None
    next_vehicle_dock_utc: Recorded | None = None

    def outcomes(self) -> dict[str, Recorded]:
        """The recorded outcomes the prediction is compared with, by key."""
        return {k: r for k, r in (("lifeboat_restored_utc", self.lifeboat_restored_utc),
                                  ("crew_home_utc", self.crew_home_utc),
                                  ("next_vehicle_dock_utc", self.next_vehicle_dock_utc))
                if r is not None}


class Incident(Strict):
    id: Id
    title: str
    period: str
    summary: str
    start_utc: UtcDatetime
    end_utc: UtcDatetime
    station: Id
    mission_launch_utc: UtcDatetime | None = None
    docked: list[VehicleRef] = []
    crew: list[CrewGroup] = []
    event: list[Event] = []
    leak: LeakInputs | None = None
    abort: AbortInputs | None = None
    grounding: GroundingInputs | None = None
    resupply: ResupplyInputs | None = None
    recorded: dict[str, Recorded] = Field(min_length=1)
    prediction: PredictionSpec | None = None


def incident_ids() -> list[str]:
    """Ids of the shipped incidents."""
    folder = resources.files("lifeboat.rescue").joinpath("incidents")
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def load_incident(incident_id: str) -> Incident:
    """Load and validate one shipped incident file."""
    import tomllib

    if incident_id not in incident_ids():
        raise InputError(f"unknown incident {incident_id!r}; expected one of {', '.join(incident_ids())}",
                         source="ID")
    path = resources.files("lifeboat.rescue").joinpath("incidents", f"{incident_id}.toml")
    source = f"rescue/incidents/{incident_id}.toml"
    try:
        return Incident.model_validate(tomllib.loads(path.read_text("utf-8")))
    except ValidationError as exc:
        raise from_validation_error(exc, source=source) from None


# --- the replay ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Difference:
    computed: float | datetime | None
    recorded: float | datetime
    delta: float | None  # computed - recorded, in ``unit`` (days for times)
    unit: str
    tolerance: float
    within_tolerance: bool
    explanation: str
    comparison: str = "value"  # "value": |delta| <= tolerance; "at-least": delta >= -tolerance


@dataclass
class Prediction:
    """The planner run on the onset scenario, beside what was really done."""

    scenario_id: str
    onset_utc: datetime
    recommendation: str | None
    recommended_kind: str | None
    recorded_action: str
    action_matches: bool
    predicted: dict[str, datetime | None]
    recorded: dict[str, datetime]
    errors_days: dict[str, float | None]  # predicted - recorded
    partners: list[str]  # every fleet vehicle, with why it cannot help where it cannot


@dataclass
class Replay:
    id: str
    title: str
    period: str
    summary: str
    computed: dict[str, float | int | datetime | None]
    recorded: dict[str, float | int | datetime]
    differences: dict[str, Difference]
    details: dict[str, object]
    timeline: list[TimelineStep]
    sources: list[Source]
    kind: str = "reconstruction"  # computed from the recorded events, to check the models
    prediction: Prediction | None = None  # from what was known at the onset only


@dataclass(frozen=True)
class IncidentSummary:
    id: str
    title: str
    period: str
    keys: list[str]
    predicted: bool  # has a prediction from an onset scenario


def list_incidents() -> list[IncidentSummary]:
    """The shipped incidents with the outcomes each replay compares."""
    out = []
    for iid in incident_ids():
        inc = load_incident(iid)
        out.append(IncidentSummary(inc.id, inc.title, inc.period, sorted(inc.recorded),
                                   inc.prediction is not None))
    return out


def replay(incident_id: str, *, catalog: Catalog | None = None, services: Services | None = None) -> Replay:
    """Compute an incident from its inputs and compare it with the record."""
    inc = load_incident(incident_id)
    cat = catalog or load_catalog()
    svc = services or Services(cat)
    values: dict[str, object] = {}
    timeline: list[TimelineStep] = []
    if inc.crew or inc.event:
        values.update(_ledger(inc, cat, svc, timeline))
    if inc.leak is not None:
        values.update(_leak(inc, cat, svc, timeline))
    if inc.abort is not None:
        values.update(_abort(inc.abort, timeline))
    if inc.grounding is not None:
        values.update(_grounding(inc, cat, svc, timeline))
    if inc.resupply is not None:
        values.update(_resupply(inc, cat))

    computed = {k: values.get(k) for k in inc.recorded}
    recorded = {k: r.value for k, r in inc.recorded.items()}
    differences = {k: _difference(computed[k], r) for k, r in inc.recorded.items()}
    details = {k: v for k, v in values.items() if k not in inc.recorded}
    sources = _sources(inc)
    prediction = predict(inc, catalog=cat, services=svc) if inc.prediction is not None else None
    return Replay(inc.id, inc.title, inc.period, " ".join(inc.summary.split()), computed, recorded, differences,
                  details, sorted(timeline, key=lambda s: s.start_utc), sources,
                  prediction=prediction)


def onset_scenario_path(inc: Incident):
    """The onset scenario file of an incident's prediction."""
    return resources.files("lifeboat.rescue").joinpath("incidents", "onset", inc.prediction.scenario)


def predict(inc: Incident, *, catalog: Catalog | None = None, services: Services | None = None,
            scenario=None) -> Prediction:
    """Run the planner on the incident's onset scenario (or ``scenario``, a loaded one) and compare
    its recommendation and timing with what was done. Only the scenario feeds the planner; the
    incident's recorded outcomes and event dates are read for the comparison alone."""
    from lifeboat.model.scenario import load_scenario
    from lifeboat.rescue.planner import plan_rescue

    cat = catalog or load_catalog()
    spec = inc.prediction
    if scenario is None:
        scenario = load_scenario(str(onset_scenario_path(inc)), catalog=cat)
    plan = plan_rescue(scenario, catalog=cat, services=services)
    best = next((o for o in plan.options if o.name == plan.recommendation), None)
    arrivals = [o.crew_safe_utc for o in plan.options
                if o.kind in ("replacement", "crewed-rescue") and o.feasible and o.crew_safe_utc]
    predicted = {"lifeboat_restored_utc": best.crew_safe_utc if best else None,
                 "crew_home_utc": best.crew_home_utc if best else None,
                 "next_vehicle_dock_utc": min(arrivals, default=None)}
    recorded = {k: r.value for k, r in spec.outcomes().items()}
    errors = {k: (None if predicted[k] is None else days_between(v, predicted[k]))
              for k, v in recorded.items()}
    partners = [f"{p.vehicle}: " + ("can serve" if p.feasible else "; ".join(p.reasons))
                for p in plan.partners]
    return Prediction(scenario.id, plan.onset_utc, plan.recommendation, plan.recommended_kind,
                      spec.action, plan.recommended_kind == spec.action, predicted, recorded, errors,
                      partners)


def _difference(computed, rec: Recorded) -> Difference:
    if computed is None:
        return Difference(None, rec.value, None, rec.unit, rec.tolerance, False, rec.explanation,
                          rec.comparison)
    if isinstance(rec.value, datetime):
        delta = days_between(rec.value, computed)
    else:
        delta = float(computed) - float(rec.value)
    within = delta >= -rec.tolerance if rec.comparison == "at-least" else abs(delta) <= rec.tolerance + 1e-9
    return Difference(computed, rec.value, delta, rec.unit, rec.tolerance, within, rec.explanation,
                      rec.comparison)


def _sources(inc: Incident) -> list[Source]:
    seen: dict[tuple[str, str], Source] = {}
    groups = [e.sources for e in inc.event] + [r.sources for r in inc.recorded.values()]
    groups += [s.sources for s in (inc.leak, inc.abort, inc.grounding, inc.resupply) if s is not None]
    if inc.prediction is not None:
        groups.append(inc.prediction.action_sources)
        groups += [r.sources for r in inc.prediction.outcomes().values()]
    for group in groups:
        for s in group:
            seen.setdefault((s.title, s.url), s)
    return list(seen.values())


# --- the computations ------------------------------------------------------------------------------


def _ledger(inc: Incident, cat: Catalog, svc: Services, timeline: list[TimelineStep]) -> dict:
    """Seat accounting over the incident, with launches docked and returns landed by computation."""
    def seats(v: VehicleRef | Launch) -> int:
        return v.seats if v.seats is not None else cat.vehicle(v.vehicle).seats

    vehicles = [LedgerVehicle(id=v.id, vehicle=v.vehicle, seats=seats(v)) for v in inc.docked]
    crew = {n: g.vehicle for g in inc.crew for n in g.names}
    changes: list[SeatChange] = []
    out: dict[str, object] = {}
    for e in inc.event:
        if e.launch is not None:
            dock_utc, scheme, hours = svc.rendezvous(e.launch.vehicle, e.launch.launch_utc,
                                                     inc.station, e.launch.scheme)
            timeline.append(TimelineStep(f"{e.launch.id}: launch to docking ({scheme})",
                                         e.launch.launch_utc, dock_utc))
            prefix = "rescue" if e.crew else "replacement"
            out[f"{prefix}_dock_utc"] = dock_utc
            out[f"{prefix}_transit_days"] = hours / 24.0
            changes.append(SeatChange(dock_utc, e.label, dock=LedgerVehicle(
                id=e.launch.id, vehicle=e.launch.vehicle, seats=seats(e.launch)), arriving_crew=list(e.crew)))
            continue
        change = SeatChange(e.utc, e.label, undock=e.undock, departing_crew=list(e.crew))
        if e.health is not None:
            change.health = (e.health.id, e.health.health, e.health.emergency_seats)
        if e.add_seats is not None:
            change.add_contingency = (e.add_seats.id, e.add_seats.seats)
        changes.append(change)
        if e.return_vehicle is not None:
            landing = e.utc + svc.undock_to_landing(e.return_vehicle)
            timeline.append(TimelineStep(f"{e.undock}: undock to landing", e.utc, landing))
            out["crew_landing_utc"] = landing
            if inc.mission_launch_utc is not None:
                out["mission_days"] = days_between(inc.mission_launch_utc, landing)
    ledger = seat_ledger(inc.start_utc, inc.end_utc, vehicles, crew, changes)
    out.update(ledger.summary())
    per_vehicle = max((v.seats for v in vehicles), default=0)
    if per_vehicle:
        out["lifeboats_needed_for_crew"] = math.ceil(out["max_crew_aboard"] / per_vehicle)
    for i in ledger.intervals:
        lacking = i.crew_without_standard_seat()
        if lacking:
            label = (f"{len(i.crew_without_seat())} crew without any seat" if i.crew_without_seat()
                     else f"{len(lacking)} crew without a standard seat")
            timeline.append(TimelineStep(label, i.start_utc, i.end_utc))
        elif i.crew_without_nominal_seat():
            timeline.append(TimelineStep(f"{len(i.crew_without_nominal_seat())} crew in a degraded "
                                         "lifeboat", i.start_utc, i.end_utc))
    out["seat_intervals"] = [
        {"start_utc": i.start_utc, "end_utc": i.end_utc, "event": i.event, "crew_aboard": i.crew_aboard,
         "usable_seats": i.usable_seats, "without_nominal_seat": i.crew_without_nominal_seat(),
         "without_standard_seat": i.crew_without_standard_seat(), "without_seat": i.crew_without_seat()}
        for i in ledger.intervals]
    return out


def _leak(inc: Incident, cat: Catalog, svc: Services, timeline: list[TimelineStep]) -> dict:
    from lifeboat.cabin import physics

    leak = inc.leak
    out: dict[str, object] = {}
    if leak.volume_m3 is not None:
        # A station outside the catalog (Mir): one volume venting until the hatch is closed.
        area_mm2 = leak.hole_area_mm2 or math.pi / 4.0 * leak.hole_mm**2
        tau_s = float(physics.blowdown_time_constant_s(leak.volume_m3, leak.temperature_k,
                                                       leak.cd * area_mm2 * 1e-6))
        p0_pa = leak.p0_mmhg * MMHG_TO_PA
        out["leak_rate_mmhg_per_h"] = leak.p0_mmhg / tau_s * 3600.0
        if leak.isolated_after_s is not None:
            p_min = float(physics.isothermal_blowdown_pa(leak.isolated_after_s, p0_pa, tau_s))
            out["min_pressure_mmhg"] = p_min / MMHG_TO_PA
            timeline.append(TimelineStep("hole to hatch closed", leak.onset_utc,
                                         leak.onset_utc + timedelta(seconds=leak.isolated_after_s)))
        return out
    summary = svc.incident_leak(inc.station, leak)
    out["leak_rate_mmhg_per_h"] = summary.initial_rate_mmhg_per_h
    out["reserve_time_linear_days"] = summary.reserve_time_linear_h / 24.0
    out["time_to_limit_days"] = summary.time_to_limit_h / 24.0
    if leak.search_starts_utc is not None:
        run, reopened_mmhg = svc.leak_search(inc.station, leak)
        timeline.append(TimelineStep("crew asleep: no action until wake-up", leak.onset_utc,
                                     leak.search_starts_utc))
        for step in run.steps:
            timeline.append(TimelineStep(step.action, leak.onset_utc + timedelta(hours=step.start_h),
                                         leak.onset_utc + timedelta(hours=step.end_h)))
        out["time_to_locate_days"] = run.time_to_locate_h / 24.0
        out["located_module"] = run.located_module
        out["pressure_after_event_mmhg"] = reopened_mmhg + leak.repress_mmhg
    return out


def _abort(abort: AbortInputs, timeline: list[TimelineStep]) -> dict:
    from lifeboat.orbits.abort import ascent_abort

    result = ascent_abort(abort.launcher, abort.failure_time_s, site_id=abort.site)
    flight_s = result.liftoff_to_touchdown_s
    timeline.append(TimelineStep("launch to abort", abort.launch_utc,
                                 abort.launch_utc + timedelta(seconds=abort.failure_time_s)))
    timeline.append(TimelineStep("ballistic descent to landing",
                                 abort.launch_utc + timedelta(seconds=abort.failure_time_s),
                                 abort.launch_utc + timedelta(seconds=flight_s)))
    return {"abort_flight_time_s": flight_s, "abort_downrange_km": result.downrange_km,
            "abort_apogee_km": result.apogee_km, "abort_peak_g": result.peak_deceleration_g,
            "abort_landing_latitude_deg": result.landing_latitude_deg,
            "abort_landing_longitude_deg": result.landing_longitude_deg}


def _grounding(inc: Incident, cat: Catalog, svc: Services, timeline: list[TimelineStep]) -> dict:
    g = inc.grounding
    out: dict[str, object] = {}
    if g.return_to_flight_utc is not None:
        out["vehicle_unavailable_days"] = days_between(g.lost_utc, g.return_to_flight_utc)
        timeline.append(TimelineStep(f"{g.vehicle} grounded", g.lost_utc, g.return_to_flight_utc))
    if g.ready_utc is not None:
        found = svc.first_launch(g.vehicle, [g.site] if g.site else cat.vehicle(g.vehicle).sites,
                                 svc.catalog_orbit(inc.station, g.ready_utc), g.ready_utc)
        if found is not None:
            site, opp, fastest = found
            if g.scheme is None:
                dock_utc, scheme_name = fastest.dock_utc, fastest.name
            else:
                dock_utc, scheme_name, _hours = svc.rendezvous(g.vehicle, opp.launch_utc, inc.station,
                                                               g.scheme)
            out["crewed_launch_utc"] = opp.launch_utc
            out["crewed_dock_utc"] = dock_utc
            out["crewed_grounding_days"] = days_between(g.lost_utc, opp.launch_utc)
            out["crewed_scheme"] = scheme_name
            out["fastest_scheme_available"] = fastest.name
            timeline.append(TimelineStep(f"crewed {g.vehicle} grounded", g.lost_utc, opp.launch_utc))
            timeline.append(TimelineStep(f"first crewed launch from {site} to docking ({scheme_name})",
                                         opp.launch_utc, dock_utc))
    if g.lifeboat is not None and g.lifeboat_docked_utc is not None:
        life = cat.vehicle(g.vehicle).docked_life_days
        if life is not None:
            ends = g.lifeboat_docked_utc + timedelta(days=life)
            out["lifeboat_docked_life_ends_utc"] = ends
            timeline.append(TimelineStep(f"{g.lifeboat} certified docked life", g.lifeboat_docked_utc, ends))
    return out


def _resupply(inc: Incident, cat: Catalog) -> dict:
    """Crew the station can keep when one cargo ship type is all that is left: the smaller of the
    lifeboat's seats and the crew the deliveries feed (crew-days per year / days per year)."""
    r = inc.resupply
    seats = cat.vehicle(r.lifeboat_vehicle).seats
    fed = math.floor(r.flights_per_year * r.crew_days_per_flight / DAYS_PER_YEAR)
    return {"station_crew_after": min(seats, fed),
            "station_crew_before": sum(len(g.names) for g in inc.crew),
            "crew_fed_by_resupply": fed}
