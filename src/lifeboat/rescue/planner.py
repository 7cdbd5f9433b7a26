"""The rescue planner: from a scenario and its emergency, every way home with its timeline.

What it answers, for a station scenario (crew, seats, docked vehicles and their health, each
provider's fleet state and arrangements) and an emergency (a leak, a fire, a damaged lifeboat, a
vehicle unfit for crewed return, a grounding, a medical case):

1. **Time available** - the tightest of the leak reserve time (to the 490 mmHg evacuation limit,
   both the crew-chart linear extrapolation and the physical blowdown), each fit lifeboat's
   certified docked life, and the consumables aboard.
2. **Every partner** - each vehicle of the scenario's fleet is checked against the station
   (:func:`lifeboat.rescue.compat.check_partner`: docking system, plane change, cislunar
   capability, certification, policy) and appears in the plan, feasible or with its reasons.
3. **Every option with its timeline** - evacuate, isolate the leak, reassign seats (free seats or
   moved seat liners), swap vehicles, return the patients (medical), an uncrewed replacement or a
   crewed flight with empty seats from each partner, and the combinations (swap or reassign, then
   a replacement). Each option says who returns and who stays, when and where they land, each
   remaining crew member's time without a seat home, and the crewed flight phases it adds.
4. **Ranking and a recommendation** - crew risk first (feasible, in time, added crewed phases,
   leaving the station, the longest and the total time without a seat home, crew above the
   station's nominal size), then the time the crew is safe.

Seat accounting is :func:`lifeboat.rescue.seats.seat_crew`; the orbital and cabin services the
planner calls are behind :class:`lifeboat.rescue.services.Services`. Planning constants that are
not physics carry their source or are marked as assumptions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from lifeboat.catalog import Catalog, load_catalog
from lifeboat.errors import InputError
from lifeboat.rescue.compat import PartnerCheck, check_partner
from lifeboat.rescue.seats import Assignment, LedgerVehicle, seat_crew
from lifeboat.rescue.services import (
    LANDING_SEARCH_DAYS,
    LAUNCH_SEARCH_DAYS,
    CislunarReturn,
    Services,
    TimelineStep,
)
from lifeboat.timeutil import days_between

# --- planning constants ---------------------------------------------------------------------
# Probability of loss of crew allocated to one crewed ascent: NASA Commercial Crew allocation,
# 1 in 500 (E. Mango, NASA Commercial Crew Program, via Air & Space magazine).
ASCENT_LOC = 1.0 / 500.0
# Assumption: time from the decision to evacuate to undocking (close hatches, don suits, leak-check
# the vehicle, undock). No sourced figure; shown in every evacuation timeline.
EVACUATION_PREP_H = 1.5
# Moving a seat liner to another vehicle: decided 12 Jan 2023, done 17-18 Jan 2023 for the MS-22
# crew (TASS, https://tass.com/science/1562293) - 6 days.
SEAT_LINER_TRANSFER_DAYS = 6.0
# A crewed rescue flies with a crew of two and its other seats empty: Crew-9, 28 Sep 2024.
RESCUE_FLIGHT_CREW = 2
# Assumption: a patient returns with one crew member attending. No sourced figure; listed in the
# plan's assumptions for medical cases.
MEDICAL_ATTENDANTS = 1

ARRIVING_KINDS = ("replacement", "crewed-rescue")
PLANNED_CREWED = "next crewed flight"


# --- the plan -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeLimit:
    """One limit on the time available: ``hours`` from the emergency onset (None: no limit known)."""

    name: str
    hours: float | None
    basis: str


@dataclass(frozen=True)
class CrewedPhase:
    """A crewed flight phase an option adds beyond the crew's normal return."""

    label: str
    vehicle: str
    kind: str  # ascent | entry
    loss_of_crew: float


@dataclass(frozen=True)
class CrewWait:
    """A crew member who stays aboard without a seat home: from ``start_utc`` to ``end_utc``
    (None: the option gives them no seat at all)."""

    name: str
    start_utc: datetime
    end_utc: datetime | None
    hours: float | None


@dataclass(frozen=True)
class Landing:
    """A vehicle bringing crew home in an option."""

    vehicle_id: str
    crew: list[str]
    undock_utc: datetime
    landing_utc: datetime
    zone: str
    latitude_deg: float | None
    longitude_deg: float | None
    daylight: bool | None


@dataclass(frozen=True)
class Readiness:
    """When a partner's vehicle could launch, and the arrangement that gives it."""

    utc: datetime
    basis: str


@dataclass
class RescueOption:
    """One way to make the crew safe: who returns and who stays, its timeline, dependencies, risk."""

    name: str
    # evacuate | isolate | stay | reassign | swap | partial-return | replacement | crewed-rescue |
    # swap+replacement | swap+crewed-rescue | reassign+replacement | reassign+crewed-rescue
    kind: str
    provider: str | None
    depends_on: list[str]
    steps: list[TimelineStep]
    crew_safe_utc: datetime | None  # every crew member has a seat home, or has left
    crew_home_utc: datetime | None  # the returning crew have landed (None: nobody returns)
    feasible: bool
    reasons: list[str]
    crew_returning: list[str] = field(default_factory=list)
    crew_staying: list[str] = field(default_factory=list)
    landing_zone: str | None = None
    landing_lat_deg: float | None = None
    landing_lon_deg: float | None = None
    landings: list[Landing] = field(default_factory=list)
    crew_without_seat: list[CrewWait] = field(default_factory=list)
    added_phases: list[CrewedPhase] = field(default_factory=list)
    added_loc: float = 0.0  # summed loss-of-crew allocations of the added phases
    hours_without_lifeboat: float | None = None  # longest time any crew member lacks a seat home
    crew_hours_without_lifeboat: float | None = None  # summed over the crew
    excess_crew_days: float = 0.0  # crew-days above the station's nominal crew size
    readiness: Readiness | None = None
    vehicle: str | None = None  # the arriving catalog vehicle (replacement, crewed rescue)
    risk_notes: list[str] = field(default_factory=list)
    within_time: bool = True
    extra_crewed_phases: int = 0  # len(added_phases)


@dataclass
class RescuePlan:
    scenario_id: str
    emergency_kind: str
    onset_utc: datetime
    crew: int
    time_available_h: float | None
    limits: list[TimeLimit]
    partners: list[PartnerCheck]
    options: list[RescueOption]  # ranked, best first
    recommendation: str | None
    recommended_kind: str | None
    reasons: list[str]
    assumptions: list[str]


# --- the planner -----------------------------------------------------------------------------


@dataclass
class _Context:
    scenario: object
    cat: Catalog
    svc: Services
    orbit: object
    onset: datetime
    kind: str
    affected: str | None
    leak_vehicle: str | None
    seats: list[Assignment]
    names: list[str]
    home_vehicle: dict[str, str]  # crew name -> docked vehicle id they came in / are seated in

    def displaced(self) -> list[str]:
        """Crew without a usable lifeboat at the onset: no seat, or seated in the damaged or
        unfit vehicle."""
        damaged = self.affected if self.kind in ("damaged-lifeboat", "unfit-vehicle") else None
        return [a.crew for a in self.seats
                if a.kind is None or (damaged is not None and a.vehicle_id == damaged)]

    def affected_health(self) -> str:
        return {"damaged-lifeboat": "degraded", "unfit-vehicle": "unfit"}.get(self.kind, "nominal")

    def hours(self, t: datetime | None) -> float | None:
        return None if t is None else days_between(self.onset, t) * 24.0


def plan_rescue(scenario, *, catalog: Catalog | None = None, services=None) -> RescuePlan:
    """Plan the rescue for ``scenario`` (a :class:`lifeboat.model.scenario.Scenario`).

    ``services`` bundles the orbital and cabin services (:class:`Services`); the default uses the
    package's own. Scenarios without an emergency are planned as a medical evacuation what-if.
    """
    cat = catalog or load_catalog()
    svc = services or Services(cat)
    emergency = scenario.emergency
    kind = emergency.kind if emergency else "medical"
    onset = (emergency.onset_utc if emergency and emergency.onset_utc else scenario.epoch_utc)
    affected = emergency.vehicle if emergency else None
    leak_vehicle = None
    if emergency and emergency.kind == "leak" and emergency.module:
        leak_vehicle = next((d.id for d in scenario.docked
                             if emergency.module == d.id or emergency.module.startswith(d.id + "-")), None)
    health = {"damaged-lifeboat": "degraded", "unfit-vehicle": "unfit"}.get(kind, "nominal")
    seats = _seats_at_onset(scenario, cat, affected, health, onset)
    ctx = _Context(scenario, cat, svc, svc.orbit(scenario, onset), onset, kind, affected,
                   leak_vehicle, seats, [m.name for m in scenario.crew],
                   {m.name: m.seat.split(":")[0] for m in scenario.crew})

    limits = _time_limits(ctx)
    numeric = [lim.hours for lim in limits if lim.hours is not None]
    available_h = min(numeric) if numeric else None

    site_reach = svc.site_reach(ctx.orbit, onset)
    partners = [check_partner(scenario, f, cat, onset, site_reach=site_reach,
                              cislunar_access=svc.cislunar_access(scenario, f.vehicle, onset))
                for f in scenario.fleet]

    options: list[RescueOption] = [_evacuate(ctx)]
    if kind == "leak":
        options.append(_isolate(ctx))
    reassign = _reassign(ctx) if ctx.displaced() else None
    if reassign is not None:
        options.append(reassign)
    swaps = _swaps(ctx) if kind in ("damaged-lifeboat", "unfit-vehicle") else []
    options += swaps
    if kind == "medical" and emergency is not None and emergency.patients:
        options += _partial_returns(ctx, emergency.patients)
    launches = []
    for fleet, partner in zip(scenario.fleet, partners, strict=True):
        launches += _launches(ctx, fleet, partner)
    options += launches
    if kind == "grounding" and not ctx.displaced():
        options.append(_stay(ctx, launches, available_h))
    firsts = [o for o in [reassign, *swaps]
              if o is not None and (o.kind == "swap" and o.landings or o.kind == "reassign" and o.steps)]
    for first in firsts:
        for arrival in launches:
            if arrival.feasible:
                options.append(_then_arrival(ctx, first, arrival))

    _wait_for_lifeboat(ctx, options)
    station = cat.station(scenario.station.id)
    for o in options:
        _finish(ctx, o, available_h, station.crew_size)
    options.sort(key=lambda o: _rank_key(o, ctx))
    best = next((o for o in options if o.feasible and o.within_time), None)
    reasons = _recommendation_reasons(ctx, best, options, available_h) if best else [
        "no option makes the crew safe within the time available; the fastest is listed first"]
    assumptions = [
        f"evacuation preparation (hatches, suits, leak check, undock) takes {EVACUATION_PREP_H} h "
        "(assumption; no sourced figure)",
        f"moving a seat liner to another vehicle takes {SEAT_LINER_TRANSFER_DAYS:g} d "
        "(MS-22/Crew-5 precedent, Jan 2023)",
        f"a crewed rescue flies {RESCUE_FLIGHT_CREW} crew with its other seats empty (Crew-9, Sep 2024)",
        "each added crewed ascent carries a 1 in 500 loss-of-crew allocation "
        "(NASA Commercial Crew allocation)",
        "a swap returns the damaged vehicle's crew at the healthy vehicle's first landing "
        "opportunity after the preparation; no time is allowed for the decision itself",
    ]
    if kind == "medical":
        assumptions.append(f"a patient returns with {MEDICAL_ATTENDANTS} crew member attending "
                           "(assumption; no sourced figure)")
    if ctx.orbit is None and svc.is_lunar(scenario):
        assumptions += _lunar_assumptions(ctx)
    return RescuePlan(
        scenario_id=scenario.id, emergency_kind=kind, onset_utc=onset, crew=len(scenario.crew),
        time_available_h=available_h, limits=limits, partners=partners, options=options,
        recommendation=best.name if best else None, recommended_kind=best.kind if best else None,
        reasons=reasons, assumptions=assumptions,
    )


def _lunar_assumptions(ctx: _Context) -> list[str]:
    """What the lunar times rest on, and with the station's phase unknown, their range."""
    evac = ctx.svc.lunar_evacuation(ctx.scenario, ctx.onset)
    out = ["lunar returns and transfers are computed single-burn CR3BP legs (lifeboat.cislunar): "
           "a docked vehicle holds its catalog Δv less the cheapest insertion for the return, "
           "and leaves at the first departure of the trade that fits it; times are to the entry "
           "interface"]
    if not evac.phase_known:
        ranges = [f"{r.capability.vehicle} {r.home_after_decision_days_min:.1f}-"
                  f"{r.home_after_decision_days_max:.1f} d" for r in evac.vehicles
                  if r.home_after_decision_days_min is not None
                  and r.capability.vehicle in {d.vehicle for d in ctx.scenario.docked}]
        out.append(f"the station's phase on its orbit is unknown: times assume a perilune at the "
                   f"onset; over the phase, home after the decision: {', '.join(ranges) or 'n/a'}")
    return out


def _seats_at_onset(scenario, cat: Catalog, affected: str | None, affected_health: str,
                    onset: datetime) -> list[Assignment]:
    """Seat the scenario's crew at the onset, with the affected vehicle's health applied."""
    vehicles = {}
    for d in scenario.docked:
        health = affected_health if d.id == affected else d.health
        vehicles[d.id] = LedgerVehicle(id=d.id, vehicle=d.vehicle, seats=scenario.seats_of(d.id, cat),
                                       health=health, emergency_seats=0 if health == "unfit" else None)
    crew = {m.name: m.seat.split(":")[0] for m in scenario.crew}
    previous = {n: Assignment(n, vid, "standard", False) for n, vid in crew.items()}
    return seat_crew(list(crew), vehicles, previous)


# --- time limits -----------------------------------------------------------------------------


def _time_limits(ctx: _Context) -> list[TimeLimit]:
    scenario, onset = ctx.scenario, ctx.onset
    limits: list[TimeLimit] = []
    if ctx.kind == "leak":
        leak = ctx.svc.leak(scenario)
        limits.append(TimeLimit(
            "leak: cabin reaches the evacuation limit (physical blowdown)", leak.time_to_limit_h,
            f"{leak.initial_rate_mmhg_per_h:.2f} mmHg/h initially, to {leak.limit_mmhg:g} mmHg"))
        limits.append(TimeLimit(
            "leak: crew-chart reserve time (linear extrapolation)", leak.reserve_time_linear_h,
            "the crew's Tres method: pressure margin / initial rate"))
    elif ctx.kind == "fire":
        limits.append(TimeLimit("fire", None, "no fire-growth model: the crew shelters by the "
                                "lifeboats while the fire is fought; evacuate if it is not out"))
    elif ctx.kind == "medical":
        limits.append(TimeLimit("medical", None, "set by the flight surgeon"))
    for d in scenario.docked:
        life = ctx.cat.vehicle(d.vehicle).docked_life_days
        if life is None or not any(m.seat.split(":")[0] == d.id for m in scenario.crew):
            continue
        if d.health == "unfit" or (d.id == ctx.affected and ctx.affected_health() == "unfit"):
            continue  # already no lifeboat: it limits nothing (its crew are counted as displaced)
        expiry = d.docked_utc + timedelta(days=life)
        if expiry <= onset:
            limits.append(TimeLimit(f"{d.id}: certified docked life ended {expiry:%Y-%m-%d}", None,
                                    "already past at the onset: a return in it is beyond its "
                                    "certified life, so it limits no time from now"))
            continue
        limits.append(TimeLimit(f"{d.id}: certified docked life ends {expiry:%Y-%m-%d}",
                                ctx.hours(expiry), f"{life:g} d from docking on {d.docked_utc:%Y-%m-%d}"))
    c = scenario.consumables
    if c is not None and scenario.crew:
        rated = c.crew or len(scenario.crew)
        days = c.days * rated / len(scenario.crew)
        end = scenario.epoch_utc + timedelta(days=days)
        limits.append(TimeLimit(
            f"consumables run out {end:%Y-%m-%d}", max(ctx.hours(end), 0.0),
            f"{c.days:g} d of supplies for {rated} crew at {scenario.epoch_utc:%Y-%m-%d}, "
            f"{len(scenario.crew)} aboard"))
    return limits


# --- the options -----------------------------------------------------------------------------


def _landing(ctx: _Context, docked_id: str, crew: list[str], ready: datetime,
             steps: list[TimelineStep]) -> tuple[Landing | None, str | None]:
    """The first landing of docked vehicle ``docked_id`` undocking no earlier than ``ready``."""
    vehicle_id = ctx.scenario.docked_by_id()[docked_id].vehicle
    landing = ctx.svc.first_landing(vehicle_id, ctx.orbit, ready)
    if landing is None:
        if ctx.orbit is None:
            return None, ctx.svc.lunar_no_return(vehicle_id, ready)
        return None, f"no landing opportunity for {docked_id} within {LANDING_SEARCH_DAYS:g} d"
    lunar = isinstance(landing, CislunarReturn)
    if landing.undock_utc > ready:
        wait = (f"the trans-Earth departure (phase {landing.phase_deg:.0f}°, Δv "
                f"{landing.departure_dv_km_s:.3f} km/s)") if lunar else "the landing opportunity"
        steps.append(TimelineStep(f"{docked_id}: wait aboard for {wait}", ready, landing.undock_utc))
    if not lunar:
        steps.append(TimelineStep(f"{docked_id}: undock to deorbit burn", landing.undock_utc,
                                  landing.burn_utc))
    light = {True: ", day", False: ", night", None: ""}[landing.daylight]
    leg = "trans-Earth burn and coast to the entry interface" if lunar else "deorbit burn to landing"
    steps.append(TimelineStep(f"{docked_id}: {leg} ({landing.zone}{light})", landing.burn_utc,
                              landing.landing_utc))
    return Landing(docked_id, list(crew), landing.undock_utc, landing.landing_utc, landing.zone,
                   getattr(landing, "latitude_deg", None), getattr(landing, "longitude_deg", None),
                   landing.daylight), None


def _set_landings(o: RescueOption, landings: list[Landing]) -> None:
    o.landings = landings
    if landings:
        last = max(landings, key=lambda x: x.landing_utc)
        o.crew_home_utc = last.landing_utc
        o.landing_zone = last.zone
        o.landing_lat_deg = last.latitude_deg
        o.landing_lon_deg = last.longitude_deg


def _evacuate(ctx: _Context) -> RescueOption:
    ready = ctx.onset + timedelta(hours=EVACUATION_PREP_H)
    steps = [TimelineStep("prepare and board the lifeboats", ctx.onset, ready)]
    by_vehicle: dict[str, list[str]] = {}
    for a in ctx.seats:
        if a.vehicle_id is not None:
            by_vehicle.setdefault(a.vehicle_id, []).append(a.crew)
    seatless = [a.crew for a in ctx.seats if a.kind is None]
    reasons: list[str] = []
    notes: list[str] = []
    landings: list[Landing] = []
    docked = ctx.scenario.docked_by_id()
    for vid, crew in by_vehicle.items():
        landing, why = _landing(ctx, vid, crew, ready, steps)
        if landing is None:
            reasons.append(why)
            continue
        landings.append(landing)
        reasons.append(f"{vid} carries {len(crew)} crew; undocks {landing.undock_utc:%Y-%m-%d %H:%M} UTC "
                       f"and lands {landing.landing_utc:%Y-%m-%d %H:%M} UTC in {landing.zone}")
        if vid == ctx.leak_vehicle:
            notes.append(f"the leak is in {vid}: its descent module must hold pressure before the "
                         "crew boards")
        if docked[vid].health == "degraded" or vid == ctx.affected:
            notes.append(f"{vid} is degraded: an emergency return only")
    if seatless:
        reasons.append(f"{len(seatless)} crew have no seat: {', '.join(seatless)}")
    if not ctx.names:
        reasons.append("no crew aboard")
    notes.append("the station is left uncrewed")
    feasible = not seatless and len(landings) == len(by_vehicle) and bool(landings)
    o = RescueOption(
        name="Evacuate now", kind="evacuate", provider=None,
        depends_on=sorted({ctx.cat.vehicle(docked[v].vehicle).provider for v in by_vehicle}),
        steps=steps, crew_safe_utc=None, crew_home_utc=None, feasible=feasible, reasons=reasons,
        crew_returning=[n for crew in by_vehicle.values() for n in crew], crew_staying=seatless,
        risk_notes=notes)
    _set_landings(o, landings)
    if feasible:
        o.crew_safe_utc = max(x.undock_utc for x in landings)
    o.crew_without_seat = [CrewWait(n, ctx.onset, None, None) for n in seatless]
    return o


def _isolate(ctx: _Context) -> RescueOption:
    module = ctx.scenario.emergency.module
    everyone = list(ctx.names)
    if module is None:
        return RescueOption("Isolate the leak and stay", "isolate", None, [], [], None, None, False,
                            ["the leaking module is unknown: the crew must search hatch by hatch"],
                            crew_staying=everyone)
    steps = ctx.svc.isolation_steps(ctx.scenario, ctx.onset)
    safe = steps[-1].end_utc if steps else ctx.onset
    notes = []
    if ctx.leak_vehicle is not None:
        notes.append(f"the leak is in {ctx.leak_vehicle}: closing it off leaves its crew without that "
                     "lifeboat until a replacement docks")
    return RescueOption(
        name="Isolate the leak and stay", kind="isolate", provider=None, depends_on=[],
        steps=steps, crew_safe_utc=safe, crew_home_utc=None, feasible=True,
        reasons=[f"close the hatches around {module} and stay aboard"], crew_staying=everyone,
        risk_notes=notes)


def _free_seats(ctx: _Context, exclude: set[str], occupants: dict[str, int]) -> tuple[dict, dict]:
    """Free standard seats and room for added seats (liners) in the healthy docked vehicles."""
    std, added = {}, {}
    for d in ctx.scenario.docked:
        if d.id in exclude or d.id == ctx.affected or d.health != "nominal":
            continue
        n = ctx.scenario.seats_of(d.id, ctx.cat)
        used = occupants.get(d.id, 0)
        std[d.id] = max(n - used, 0)
        added[d.id] = max(ctx.cat.vehicle(d.vehicle).seats_max - max(n, used), 0)
    return std, added


def _reassign(ctx: _Context) -> RescueOption:
    """Displaced crew to free standard seats at once, or to added seats (a liner moved) later."""
    displaced = ctx.displaced()
    occupants: dict[str, int] = {}
    for a in ctx.seats:
        if a.vehicle_id is not None and a.crew not in displaced:
            occupants[a.vehicle_id] = occupants.get(a.vehicle_id, 0) + 1
    std, added = _free_seats(ctx, set(), occupants)
    steps: list[TimelineStep] = []
    waits: list[CrewWait] = []
    hosts: set[str] = set()
    liner_end = ctx.onset + timedelta(days=SEAT_LINER_TRANSFER_DAYS)
    moved = []
    for name in displaced:
        host = next((h for h, n in std.items() if n > 0), None)
        if host is not None:
            std[host] -= 1
            hosts.add(host)
            steps.append(TimelineStep(f"{name}: free standard seat in {host}", ctx.onset, ctx.onset))
            continue
        host = next((h for h, n in added.items() if n > 0), None)
        if host is not None:
            added[host] -= 1
            hosts.add(host)
            moved.append(name)
            steps.append(TimelineStep(f"{name}: seat liner moved into {host}", ctx.onset, liner_end))
            waits.append(CrewWait(name, ctx.onset, liner_end, SEAT_LINER_TRANSFER_DAYS * 24.0))
            continue
        waits.append(CrewWait(name, ctx.onset, None, None))
    left = [w.name for w in waits if w.end_utc is None]
    reasons = [f"{len(displaced)} crew need a seat ({', '.join(displaced)})"]
    notes = []
    if moved:
        notes.append(f"an added seat (liner moved) is non-standard: for an emergency return only "
                     f"({', '.join(moved)})")
    if left:
        reasons.append(f"no room in the other docked vehicles for {', '.join(left)}")
    docked = ctx.scenario.docked_by_id()
    providers = sorted({ctx.cat.vehicle(docked[h].vehicle).provider for h in hosts})
    o = RescueOption(
        name="Reassign seats", kind="reassign", provider=providers[0] if len(providers) == 1 else None,
        depends_on=providers, steps=steps, crew_safe_utc=None, crew_home_utc=None,
        feasible=bool(hosts) and not left, reasons=reasons, crew_staying=list(ctx.names),
        crew_without_seat=waits, risk_notes=notes)
    if not hosts:
        o.reasons.append("no healthy docked vehicle has a free or added seat")
    return o


def _swaps(ctx: _Context) -> list[RescueOption]:
    """The damaged vehicle's crew go home in a healthy docked vehicle; its crew wait aboard."""
    out = []
    damaged_crew = [n for n in ctx.names if ctx.home_vehicle[n] == ctx.affected]
    if not damaged_crew:
        return out
    ready = ctx.onset + timedelta(hours=EVACUATION_PREP_H)
    docked = ctx.scenario.docked_by_id()
    for d in ctx.scenario.docked:
        if d.id == ctx.affected or d.health != "nominal":
            continue
        hosts_crew = [n for n in ctx.names if ctx.home_vehicle[n] == d.id]
        seats = ctx.scenario.seats_of(d.id, ctx.cat)
        steps = [TimelineStep(f"{', '.join(damaged_crew)} board {d.id}", ctx.onset, ready)]
        o = RescueOption(
            name=f"Swap: {ctx.affected} crew home in {d.id}", kind="swap",
            provider=ctx.cat.vehicle(d.vehicle).provider,
            depends_on=[ctx.cat.vehicle(d.vehicle).provider], steps=steps, crew_safe_utc=None,
            crew_home_utc=None, feasible=True, reasons=[],
            crew_returning=list(damaged_crew), crew_staying=[n for n in ctx.names if n not in damaged_crew])
        if len(damaged_crew) > seats:
            o.feasible = False
            o.reasons.append(f"{d.id} has {seats} seats for the {len(damaged_crew)} crew of {ctx.affected}")
            out.append(o)
            continue
        landing, why = _landing(ctx, d.id, damaged_crew, ready, steps)
        if landing is None:
            o.feasible = False
            o.reasons.append(why)
            out.append(o)
            continue
        _set_landings(o, [landing])
        o.reasons.append(f"{', '.join(damaged_crew)} land {landing.landing_utc:%Y-%m-%d %H:%M} UTC in "
                         f"{landing.zone} in {d.id}; its crew ({', '.join(hosts_crew) or 'none'}) stay")
        o.crew_without_seat = [CrewWait(n, ctx.onset, landing.undock_utc, ctx.hours(landing.undock_utc))
                               for n in damaged_crew]
        o.crew_without_seat += [CrewWait(n, landing.undock_utc, None, None) for n in hosts_crew]
        o.risk_notes.append(f"{docked[d.id].id} leaves: its crew have no seat home until a new "
                            "lifeboat docks")
        out.append(o)
    return out


def _partial_returns(ctx: _Context, patients: list[str]) -> list[RescueOption]:
    """Medical: the patients go home in their own vehicle, with its crew or with an attendant,
    while the others keep their own lifeboats."""
    out = []
    ready = ctx.onset + timedelta(hours=EVACUATION_PREP_H)
    docked = ctx.scenario.docked_by_id()
    by_vehicle: dict[str, list[str]] = {}
    for p in patients:
        by_vehicle.setdefault(ctx.home_vehicle[p], []).append(p)
    for vid, sick in by_vehicle.items():
        crew = [n for n in ctx.names if ctx.home_vehicle[n] == vid]
        variants = [(f"Return {', '.join(sick)} with the crew of {vid}", crew, [])]
        others = [n for n in crew if n not in sick]
        if len(others) > MEDICAL_ATTENDANTS:
            attendants = others[:MEDICAL_ATTENDANTS]
            remaining = others[MEDICAL_ATTENDANTS:]
            variants.append((f"Return {', '.join(sick)} in {vid} with an attendant",
                             sick + attendants, remaining))
        for name, returning, movers in variants:
            steps: list[TimelineStep] = []
            o = RescueOption(name=name, kind="partial-return",
                             provider=ctx.cat.vehicle(docked[vid].vehicle).provider,
                             depends_on=[ctx.cat.vehicle(docked[vid].vehicle).provider], steps=steps,
                             crew_safe_utc=None, crew_home_utc=None, feasible=True, reasons=[],
                             crew_returning=list(returning),
                             crew_staying=[n for n in ctx.names if n not in returning])
            if docked[vid].health == "unfit":
                o.feasible = False
                o.reasons.append(f"{vid} is unfit for a crewed return")
                out.append(o)
                continue
            if movers:
                occupants: dict[str, int] = {}
                for a in ctx.seats:
                    if a.vehicle_id is not None:
                        occupants[a.vehicle_id] = occupants.get(a.vehicle_id, 0) + 1
                std, _ = _free_seats(ctx, {vid}, occupants)
                if sum(std.values()) < len(movers):
                    o.feasible = False
                    o.reasons.append(f"{', '.join(movers)} would stay without a seat: "
                                     f"{sum(std.values())} free seat(s) in the other vehicles")
                    out.append(o)
                    continue
                steps.append(TimelineStep(f"{', '.join(movers)}: seats in another docked vehicle",
                                          ctx.onset, ctx.onset))
            steps.append(TimelineStep(f"prepare {vid}", ctx.onset, ready))
            landing, why = _landing(ctx, vid, returning, ready, steps)
            if landing is None:
                o.feasible = False
                o.reasons.append(why)
            else:
                _set_landings(o, [landing])
                o.crew_safe_utc = landing.undock_utc
                o.reasons.append(f"{', '.join(returning)} land {landing.landing_utc:%Y-%m-%d %H:%M} UTC "
                                 f"in {landing.zone}; the others keep their own lifeboats")
            out.append(o)
    return out


def readiness(fleet, onset: datetime, *, crewed: bool) -> Readiness | None:
    """The earliest launch from the fleet arrangements known at the scenario epoch (see
    :class:`lifeboat.model.scenario.FleetState`), never before the onset; a crewed flight also
    waits out a grounding. None when the scenario gives no readiness at all."""
    candidates: list[Readiness] = []
    if fleet.next_ready_utc is not None:
        candidates.append(Readiness(fleet.next_ready_utc, "next vehicle ready (next_ready_utc)"))
    if fleet.standby_days is not None:
        candidates.append(Readiness(onset + timedelta(days=fleet.standby_days),
                                    f"standby vehicle launchable {fleet.standby_days:g} d after notice"))
    if fleet.next_planned_utc is not None:
        t = fleet.next_planned_utc - timedelta(days=fleet.advance_days)
        basis = (f"next vehicle planned for {fleet.next_planned_utc:%Y-%m-%d}, advanced by up to "
                 f"{fleet.advance_days:g} d" if fleet.advance_days else
                 f"next vehicle planned for {fleet.next_planned_utc:%Y-%m-%d}")
        candidates.append(Readiness(t, basis))
    if crewed and fleet.next_crewed_utc is not None:
        candidates.append(Readiness(fleet.next_crewed_utc - timedelta(days=fleet.advance_days),
                                    f"{PLANNED_CREWED} ({fleet.next_crewed_utc:%Y-%m-%d}) flown "
                                    "with its other seats empty"))
    if not candidates:
        return None
    best = min(candidates, key=lambda r: r.utc)
    if best.utc < onset:
        best = Readiness(onset, best.basis)
    if crewed and fleet.grounded_until is not None and fleet.grounded_until > best.utc:
        best = Readiness(fleet.grounded_until, f"grounded until {fleet.grounded_until:%Y-%m-%d}")
    return best


def _launches(ctx: _Context, fleet, partner: PartnerCheck) -> list[RescueOption]:
    vehicle = ctx.cat.vehicle(fleet.vehicle)
    displaced = ctx.displaced()
    medical = ctx.kind == "medical"
    in_leaking = [n for n in ctx.names if ctx.home_vehicle[n] == ctx.leak_vehicle and n not in displaced]
    need = len(displaced) + len(in_leaking) or (min(1 + MEDICAL_ATTENDANTS, len(ctx.names))
                                                if medical else 0)
    options: list[RescueOption] = []
    for crewed in (False, True):
        ready = readiness(fleet, ctx.onset, crewed=crewed)
        name = (f"Crewed rescue: {vehicle.name} ({fleet.provider})" if crewed
                else f"Uncrewed replacement: {vehicle.name} ({fleet.provider})")
        o = RescueOption(name=name, kind="crewed-rescue" if crewed else "replacement",
                         provider=fleet.provider, depends_on=[fleet.provider], steps=[],
                         crew_safe_utc=None, crew_home_utc=None, feasible=True, reasons=[],
                         crew_staying=list(ctx.names), readiness=ready, vehicle=vehicle.id)
        o.reasons.extend(partner.reasons)
        if not partner.feasible:
            o.feasible = False
        if ready is None:
            o.feasible = False
            o.reasons.append("readiness unknown: the scenario gives no next_ready_utc, standby, "
                             "planned or crewed flight for this vehicle")
            ready = Readiness(ctx.onset, "unknown")
        unfitted = [m.name for m in ctx.scenario.crew
                    if m.name in displaced and m.fitted_vehicles and vehicle.id not in m.fitted_vehicles]
        if unfitted:
            o.feasible = False
            o.reasons.append(f"seat liners and suits: {', '.join(unfitted)} have none fitted for "
                             f"{vehicle.name}")
        free = vehicle.seats - (RESCUE_FLIGHT_CREW if crewed else 0)
        if crewed and not fleet.crew_certified:
            o.feasible = False
            o.reasons.append(f"certification: {vehicle.name} is not certified to fly crew")
        if free < max(need, 1):
            o.feasible = False
            o.reasons.append(f"{free} free seat(s) for {need} crew")
        best = None
        if o.feasible:
            try:
                best = ctx.svc.first_launch(vehicle.id, vehicle.sites, ctx.orbit, ready.utc)
            except InputError as exc:  # the station's orbit cannot be predicted that far
                best = _estimated_launch(ctx, vehicle, ready.utc, exc, o)
                if best is None:
                    o.feasible = False
                    o.reasons.append(beyond_orbit_prediction(ready.utc, ctx.onset, exc))
            if o.feasible and best is None:
                o.feasible = False
                o.reasons.append(f"no launch opportunity from {', '.join(vehicle.sites)} within "
                                 f"{LAUNCH_SEARCH_DAYS:g} d of {ready.utc:%Y-%m-%d}")
        if best is not None:
            site, opp, scheme = best
            if ready.utc > ctx.onset:
                o.steps.append(TimelineStep(f"vehicle readiness: {ready.basis}", ctx.onset, ready.utc))
            _free_a_port(ctx, o, partner, opp.launch_utc)
            if opp.launch_utc > ready.utc:
                o.steps.append(TimelineStep(f"wait for the launch opportunity from {site}",
                                            ready.utc, opp.launch_utc))
            o.steps.append(TimelineStep(f"launch from {site} to docking ({scheme.name})",
                                        opp.launch_utc, scheme.dock_utc))
            o.crew_safe_utc = scheme.dock_utc
            o.reasons.append(f"ready {ready.utc:%Y-%m-%d} ({ready.basis}); launch "
                             f"{opp.launch_utc:%Y-%m-%d %H:%M} UTC from {site}, docks "
                             f"{scheme.dock_utc:%Y-%m-%d %H:%M} UTC ({scheme.name}, {scheme.duration_h:.1f} h)")
            o.crew_without_seat = [CrewWait(n, ctx.onset, scheme.dock_utc, ctx.hours(scheme.dock_utc))
                                   for n in displaced]
            if partner.adapter:
                o.risk_notes.append(f"docks through {partner.adapter}")
            if ctx.leak_vehicle is not None:
                o.risk_notes.append(f"{ctx.leak_vehicle} stays the lifeboat, hatches open, while the "
                                    "leak reserve lasts; close it off once the new vehicle docks")
            if medical:
                o.risk_notes.append("brings a vehicle, not the patient home: the patient can leave "
                                    "only once it has docked")
        if crewed and ready.basis.startswith(PLANNED_CREWED):
            o.risk_notes.append(f"a crewed flight planned anyway, flown with {RESCUE_FLIGHT_CREW} crew and "
                                "its other seats empty: it adds no crewed ascent")
        elif crewed:
            o.added_phases = [CrewedPhase(f"{RESCUE_FLIGHT_CREW} rescuers fly an extra crewed ascent",
                                          vehicle.id, "ascent", ASCENT_LOC)]
            o.risk_notes.append(f"{RESCUE_FLIGHT_CREW} rescuers fly an extra crewed ascent "
                                f"(1 in {1 / ASCENT_LOC:.0f} allocation)")
        if not partner.own_vehicle:
            o.risk_notes.append(f"a partner's vehicle: {vehicle.name} is not one of "
                                f"{ctx.cat.station(ctx.scenario.station.id).name}'s own")
        options.append(o)
    return options


def _free_a_port(ctx: _Context, o: RescueOption, partner: PartnerCheck, by_utc: datetime) -> None:
    """The arriving vehicle needs a free port with its docking system. When the docked vehicles
    hold them all, the damaged, unfit or leaking vehicle undocks uncrewed first; if only healthy
    lifeboats hold them, the option is infeasible."""
    if not partner.docking_ports:
        return
    free = [p for p in partner.docking_ports if p not in partner.port_occupants]
    if free:
        return
    leaving = {ctx.affected, ctx.leak_vehicle} - {None}
    port = next((p for p, d in partner.port_occupants.items() if d in leaving), None)
    if port is None:
        o.feasible = False
        o.reasons.append(f"no free port for {partner.vehicle_name}: "
                         + ", ".join(f"{d} holds {p}" for p, d in partner.port_occupants.items()))
        return
    holder = partner.port_occupants[port]
    o.steps.append(TimelineStep(f"{holder} undocks uncrewed to free {port}", by_utc, by_utc))
    o.risk_notes.append(f"every {partner.vehicle_name}-compatible port is taken: {holder} must undock "
                        f"uncrewed from {port} before the new vehicle docks")


@dataclass(frozen=True)
class _EstimatedLaunch:
    launch_utc: datetime


def _estimated_launch(ctx: _Context, vehicle, ready_utc: datetime, exc: InputError, o: RescueOption):
    """A readiness beyond the orbit elements' prediction horizon: no launch window can be
    searched, so the launch is taken at readiness and the docking after the vehicle's usual
    (first catalog) rendezvous scheme; the option says so. None when the vehicle has no scheme."""
    if ready_utc <= ctx.onset or not vehicle.rendezvous or ctx.orbit is None:
        return None
    from lifeboat.rescue.services import SchemeChoice

    dock, scheme, hours = ctx.svc.rendezvous(vehicle.id, ready_utc, ctx.scenario.station.id)
    o.risk_notes.append(beyond_orbit_prediction(ready_utc, ctx.onset, exc)
                        + f": launch window not searched; docking estimated at readiness plus the "
                        f"{scheme} transit ({hours:.1f} h), to within about a day")
    return vehicle.sites[0], _EstimatedLaunch(ready_utc), SchemeChoice(scheme, dock, hours)


def _last_landing(ctx: _Context, vehicle_id: str, deadline: datetime):
    """The last landing opportunity of ``vehicle_id`` whose undocking is no later than
    ``deadline`` (searched from two days before it; landing opportunities come about daily)."""
    last, t = None, max(ctx.onset, deadline - timedelta(days=2))
    while True:
        found = ctx.svc.first_landing(vehicle_id, ctx.orbit, t)
        if found is None or found.undock_utc > deadline:
            return last
        last, t = found, found.undock_utc + timedelta(minutes=1)


def _stay(ctx: _Context, launches: list[RescueOption], available_h: float | None) -> RescueOption:
    """A grounding while every crew member has a seat in a healthy lifeboat: the crew stay
    aboard. A vehicle arriving within the time available relieves them; if none can, each
    lifeboat brings its crew home at its last landing before the time runs out."""
    deadline = None if available_h is None else ctx.onset + timedelta(hours=available_h)
    o = RescueOption(name="Stay with the docked lifeboats", kind="stay", provider=None, depends_on=[],
                     steps=[], crew_safe_utc=ctx.onset, crew_home_utc=None, feasible=True, reasons=[],
                     crew_staying=list(ctx.names))
    relief = [a for a in launches if a.feasible and a.crew_safe_utc is not None
              and (deadline is None or a.crew_safe_utc <= deadline)]
    if relief:
        first = min(relief, key=lambda a: a.crew_safe_utc)
        o.steps.append(TimelineStep(f"stay aboard with the docked lifeboats until: {first.name}",
                                    ctx.onset, first.crew_safe_utc))
        o.depends_on = list(first.depends_on)
        o.reasons.append(f"every crew member keeps a seat home; {first.name} docks "
                         f"{first.crew_safe_utc:%Y-%m-%d %H:%M} UTC, within the time available")
        return o
    if deadline is None:
        o.steps.append(TimelineStep("stay aboard with the docked lifeboats", ctx.onset, ctx.onset))
        o.reasons.append("every crew member keeps a seat home; no limit on the stay is known")
        return o
    by_vehicle: dict[str, list[str]] = {}
    for a in ctx.seats:
        by_vehicle.setdefault(a.vehicle_id, []).append(a.crew)
    landings = []
    for vid, crew in by_vehicle.items():
        found = _last_landing(ctx, ctx.scenario.docked_by_id()[vid].vehicle, deadline)
        if found is None:
            o.feasible = False
            o.reasons.append(f"no landing opportunity for {vid} before {deadline:%Y-%m-%d %H:%M} UTC")
            continue
        o.steps.append(TimelineStep(f"stay aboard with {vid}: no vehicle can arrive in time", ctx.onset,
                                    found.undock_utc))
        landing, why = _landing(ctx, vid, crew, found.undock_utc, o.steps)
        if landing is None:
            o.feasible = False
            o.reasons.append(why)
            continue
        landings.append(landing)
    _set_landings(o, landings)
    o.crew_returning = [n for x in landings for n in x.crew]
    o.crew_staying = [n for n in ctx.names if n not in o.crew_returning]
    if landings:
        leave = min(x.undock_utc for x in landings)
        o.reasons.append(f"no vehicle can arrive before the time available ends; the crew stay until "
                         f"the last landing before it and land {o.crew_home_utc:%Y-%m-%d %H:%M} UTC")
        o.risk_notes.append(f"the station is left uncrewed from {leave:%Y-%m-%d %H:%M} UTC")
    return o


def _then_arrival(ctx: _Context, first: RescueOption, arrival: RescueOption) -> RescueOption:
    """``first`` (a swap or a seat reassignment), then the crew it leaves without a seat take
    the seats of the arriving vehicle."""
    dock = arrival.crew_safe_utc
    vehicle = ctx.cat.vehicle(arrival.vehicle)
    free = vehicle.seats - (RESCUE_FLIGHT_CREW if arrival.kind == "crewed-rescue" else 0)
    waits: list[CrewWait] = []
    open_names = [w.name for w in first.crew_without_seat if w.end_utc is None]
    spare = free - len(open_names)  # seats left once everyone without one has a seat
    for w in first.crew_without_seat:
        end = w.end_utc
        if end is None:
            end = max(dock, w.start_utc)
        elif end > dock and spare > 0:  # an arriving seat is sooner than a moved liner
            spare -= 1
            end = max(dock, w.start_utc)
        waits.append(CrewWait(w.name, w.start_utc, end, days_between(w.start_utc, end) * 24.0))
    o = RescueOption(
        name=f"{first.name}, then {arrival.name}", kind=f"{first.kind}+{arrival.kind}",
        provider=arrival.provider, depends_on=sorted(set(first.depends_on) | set(arrival.depends_on)),
        steps=sorted(first.steps + arrival.steps, key=lambda s: s.start_utc), crew_safe_utc=None,
        crew_home_utc=None, feasible=True, reasons=list(first.reasons) + list(arrival.reasons),
        crew_returning=list(first.crew_returning), crew_staying=list(first.crew_staying),
        crew_without_seat=waits, added_phases=list(arrival.added_phases),
        readiness=arrival.readiness, vehicle=arrival.vehicle,
        risk_notes=list(first.risk_notes) + list(arrival.risk_notes))
    _set_landings(o, first.landings)
    if len(open_names) > free:
        o.feasible = False
        o.reasons.append(f"{arrival.name} brings {free} seat(s) for the {len(open_names)} crew left "
                         f"without one ({', '.join(open_names)})")
    return o


def _wait_for_lifeboat(ctx: _Context, options: list[RescueOption]) -> None:
    """An isolation that shuts the crew off from their lifeboat lasts until a new one docks."""
    if ctx.leak_vehicle is None:
        return
    arrivals = [o for o in options if o.kind in ARRIVING_KINDS and o.feasible and o.crew_safe_utc]
    cut_off = [n for n in ctx.names if ctx.home_vehicle[n] == ctx.leak_vehicle]
    for o in options:
        if o.kind != "isolate" or not o.feasible:
            continue
        end = o.steps[-1].end_utc if o.steps else ctx.onset
        if not arrivals:
            o.reasons.append("no replacement lifeboat can arrive")
            o.crew_without_seat = [CrewWait(n, end, None, None) for n in cut_off]
            continue
        first = min(arrivals, key=lambda a: a.crew_safe_utc)
        o.steps.append(TimelineStep(f"wait without a lifeboat for: {first.name}", end,
                                    max(end, first.crew_safe_utc)))
        o.depends_on = sorted(set(o.depends_on) | set(first.depends_on))
        o.crew_without_seat = [CrewWait(n, ctx.onset, first.crew_safe_utc, ctx.hours(first.crew_safe_utc))
                               for n in cut_off]


def _finish(ctx: _Context, o: RescueOption, available_h: float | None, nominal_crew: int) -> None:
    """Totals, the time the crew is safe, and whether that is within the time available."""
    o.extra_crewed_phases = len(o.added_phases)
    o.added_loc = sum(p.loss_of_crew for p in o.added_phases)  # first order: allocations are small
    waits = o.crew_without_seat
    open_ended = [w.name for w in waits if w.end_utc is None]
    if waits and not open_ended:
        o.hours_without_lifeboat = max(w.hours for w in waits)
        o.crew_hours_without_lifeboat = sum(w.hours for w in waits)
        if o.kind not in ("evacuate", "partial-return", "isolate") or o.crew_safe_utc is None:
            o.crew_safe_utc = max([w.end_utc for w in waits]
                                  + ([o.crew_safe_utc] if o.crew_safe_utc else []))
    elif not waits and o.feasible:
        o.hours_without_lifeboat = 0.0
        o.crew_hours_without_lifeboat = 0.0
        if o.crew_safe_utc is None:
            o.crew_safe_utc = max([x.undock_utc for x in o.landings], default=ctx.onset)
    if open_ended and o.feasible:
        o.within_time = False
        o.crew_safe_utc = None
        o.reasons.append(f"leaves {', '.join(open_ended)} without a seat home, with no end")
    # Crew above the station's nominal size, until the returning crew leave or the option ends.
    if nominal_crew and len(ctx.names) > nominal_crew and o.feasible:
        leave = max((x.undock_utc for x in o.landings), default=None)
        end = leave or o.crew_safe_utc
        if end is not None:
            o.excess_crew_days = (len(ctx.names) - nominal_crew) * max(days_between(ctx.onset, end), 0.0)
    if available_h is not None and o.crew_safe_utc is not None and o.feasible:
        safe_h = ctx.hours(o.crew_safe_utc)
        o.within_time = safe_h <= available_h
        if not o.within_time:
            o.reasons.append(f"crew safe only after {safe_h:.1f} h, beyond the {available_h:.1f} h available")


def _rank_key(o: RescueOption, ctx: _Context):
    """Crew risk first (feasible, in time, added crewed phases, crew leaves the station, the
    longest and the total time without a seat home, crew above the station's nominal size), then
    the time the crew is safe (for a medical case: the time the patients are home)."""
    leaves = o.kind == "evacuate" and ctx.kind not in ("medical", "fire")
    when = o.crew_home_utc if ctx.kind == "medical" and o.crew_home_utc else o.crew_safe_utc
    when_h = ctx.hours(when) if when is not None else math.inf
    medical_late = ctx.kind == "medical" and o.crew_home_utc is None
    return (not o.feasible, not o.within_time, o.extra_crewed_phases, leaves, medical_late,
            round(o.hours_without_lifeboat if o.hours_without_lifeboat is not None else math.inf, 1),
            round(o.crew_hours_without_lifeboat if o.crew_hours_without_lifeboat is not None else math.inf, 1),
            round(o.excess_crew_days, 1), len(o.crew_returning) if ctx.kind == "medical" else 0, when_h)


def beyond_orbit_prediction(ready_utc: datetime, onset_utc: datetime, exc: InputError) -> str:
    """Why no launch is searched for a vehicle ready only at ``ready_utc``: the station's orbit
    elements (``exc``, from :meth:`StationOrbit.check_age`) cannot be propagated that far."""
    from lifeboat.orbits.station import DEFAULT_MAX_TLE_AGE_DAYS

    if ready_utc <= onset_utc:
        return exc.message
    return (f"not ready until {ready_utc:%Y-%m-%d}, {days_between(onset_utc, ready_utc):.0f} d after "
            f"the onset: beyond the {DEFAULT_MAX_TLE_AGE_DAYS:g}-day prediction horizon of the "
            "station's orbit elements")


def _recommendation_reasons(ctx: _Context, best: RescueOption, options: list[RescueOption],
                            available_h: float | None) -> list[str]:
    reasons = []
    if available_h is not None:
        reasons.append(f"time available: {available_h:.1f} h ({available_h / 24:.1f} d)")
    safe_h = ctx.hours(best.crew_safe_utc)
    if safe_h is not None:
        reasons.append(f"crew safe {safe_h:.1f} h after the onset ({best.crew_safe_utc:%Y-%m-%d %H:%M} UTC)")
    if best.crew_home_utc is not None:
        reasons.append(f"{', '.join(best.crew_returning)} home {ctx.hours(best.crew_home_utc):.1f} h after "
                       f"the onset ({best.crew_home_utc:%Y-%m-%d %H:%M} UTC, {best.landing_zone})")
    if best.hours_without_lifeboat:
        reasons.append(f"longest time without a seat home: {best.hours_without_lifeboat:.1f} h")
    if not best.added_phases:
        reasons.append("adds no crewed launch or entry")
    else:
        reasons.append(f"adds {best.extra_crewed_phases} crewed flight phase(s), "
                       f"loss-of-crew allocation {best.added_loc:.4f}")
    reasons.append(f"depends on {', '.join(best.depends_on)}" if best.depends_on
                   else "depends on no partner")
    others = [o for o in options if o is not best and o.feasible and o.within_time]
    if others:
        runner = others[0]
        why = ("adds crewed flight phases" if runner.extra_crewed_phases > best.extra_crewed_phases
               else "leaves the station uncrewed" if runner.kind == "evacuate" and ctx.kind != "medical"
               else "keeps a crew member longer without a seat home"
               if (runner.hours_without_lifeboat or 0) > (best.hours_without_lifeboat or 0) + 0.05
               else "keeps more crew-hours without a seat home"
               if (runner.crew_hours_without_lifeboat or 0) > (best.crew_hours_without_lifeboat or 0) + 0.05
               else "keeps more crew aboard than the station's nominal crew for longer"
               if runner.excess_crew_days > best.excess_crew_days + 0.05
               else "sends more crew home" if len(runner.crew_returning) > len(best.crew_returning)
               else "makes the crew safe later")
        reasons.append(f"preferred to '{runner.name}', which {why}")
    reasons.extend(best.risk_notes)
    return reasons
