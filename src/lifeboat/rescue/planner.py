"""The rescue planner: from a scenario and its emergency, every way home with its timeline.

What it answers, for a station scenario (crew, seats, docked vehicles and their health, each
provider's fleet state) and an emergency (a leak, a fire, a damaged lifeboat, a vehicle unfit for
crewed return, a grounding, a medical evacuation):

1. **Time available** - the tightest of the leak reserve time (to the 490 mmHg evacuation limit,
   both the crew-chart linear extrapolation and the physical blowdown), and each lifeboat's
   certified docked life.
2. **Every option with its timeline** - evacuate now (undock, next landing opportunity), isolate
   and stay (close the hatches around the leak), reassign seats to free or added seats in another
   docked vehicle, an uncrewed replacement launch (readiness, the next launch opportunity from the
   provider's sites, the rendezvous scheme), and a crewed rescue by a partner flying with empty
   seats.
3. **Ranking and a recommendation** - options are ranked by crew risk first (can the crew be made
   safe before the time runs out; how many extra crewed flight phases the option adds; how long
   the crew stays without a lifeboat), then by the time the crew is safe.

Seat accounting (who can ride home in which vehicle, over time) is
:func:`lifeboat.rescue.seats.seat_ledger`; the orbital and cabin services the planner calls are
behind :class:`lifeboat.rescue.services.Services`.

Planning constants that are not physics carry their source or are marked as assumptions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from lifeboat.catalog import Catalog, load_catalog
from lifeboat.errors import InputError
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
# 1 in 500 (facts.md §9, E. Mango via Air & Space).
ASCENT_LOC = 1.0 / 500.0
# Assumption: time from the decision to evacuate to undocking (close hatches, don suits, leak-check
# the vehicle, undock). No sourced figure; shown in every evacuation timeline.
EVACUATION_PREP_H = 1.5
# Moving a seat liner to another vehicle: decided 12 Jan 2023, done 17-18 Jan 2023 for the MS-22
# crew (facts.md §3) - 6 days.
SEAT_LINER_TRANSFER_DAYS = 6.0
# A crewed rescue flies with a crew of two and its other seats empty: Crew-9, 28 Sep 2024
# (facts.md §4).
RESCUE_FLIGHT_CREW = 2
# Assumption: a medical evacuation returns the patient with one crew member attending, so a vehicle
# arriving for it needs two free seats (the rest of the crew keep their own lifeboat). No sourced
# figure; listed in the plan's assumptions for medical cases.
MEDICAL_RETURN_SEATS = 2


# --- the plan -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimeLimit:
    """One limit on the time available: ``hours`` from the emergency onset (None: no limit known)."""

    name: str
    hours: float | None
    basis: str


@dataclass
class RescueOption:
    """One way to make the crew safe, with its timeline, dependencies and risk."""

    name: str
    kind: str  # evacuate | isolate | reassign | replacement | crewed-rescue
    provider: str | None
    depends_on: list[str]
    steps: list[TimelineStep]
    crew_safe_utc: datetime | None  # crew out of danger (undocked, isolated, a seat, a lifeboat)
    crew_home_utc: datetime | None  # crew landed, where the option brings them home
    feasible: bool
    reasons: list[str]
    risk_notes: list[str] = field(default_factory=list)
    extra_crewed_phases: int = 0  # ascents and entries the option adds beyond the normal return
    added_loc: float = 0.0  # loss-of-crew probability of those phases (allocations, facts §9)
    hours_without_lifeboat: float | None = None  # from onset until the crew has a seat again
    within_time: bool = True  # crew safe before the time available runs out


@dataclass
class RescuePlan:
    scenario_id: str
    emergency_kind: str
    onset_utc: datetime
    crew: int
    time_available_h: float | None
    limits: list[TimeLimit]
    options: list[RescueOption]  # ranked, best first
    recommendation: str | None
    reasons: list[str]
    assumptions: list[str]


def _seats_at_onset(scenario, catalog: Catalog, affected: str | None,
                         affected_health: str) -> list[Assignment]:
    """Seat the scenario's crew at the onset, with the affected vehicle's health applied."""
    vehicles = []
    for d in scenario.docked:
        health = affected_health if d.id == affected else d.health
        vehicles.append(LedgerVehicle(id=d.id, vehicle=d.vehicle, seats=scenario.seats_of(d.id, catalog),
                                      health=health,
                                      emergency_seats=0 if health == "unfit" else None))
    crew = {m.name: m.seat.split(":")[0] for m in scenario.crew}
    docked = {v.id: v for v in vehicles}
    previous = {n: Assignment(n, vid, "standard", False) for n, vid in crew.items()}
    return seat_crew(list(crew), docked, previous)


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

    limits = _time_limits(scenario, cat, svc, kind, onset)
    numeric = [lim.hours for lim in limits if lim.hours is not None]
    available_h = min(numeric) if numeric else None
    health = {"damaged-lifeboat": "degraded", "unfit-vehicle": "unfit"}.get(kind, "nominal")
    seats = _seats_at_onset(scenario, cat, affected, health)
    seatless = [a.crew for a in seats if a.kind is None]

    orbit = svc.orbit(scenario, onset)
    options: list[RescueOption] = []
    options += _evacuate(scenario, cat, svc, orbit, onset, seats, kind, affected, leak_vehicle)
    if kind == "leak":
        options.append(_isolate(scenario, svc, onset, available_h, leak_vehicle))
    if seatless or kind in ("damaged-lifeboat", "unfit-vehicle"):
        options.append(_reassign(scenario, cat, onset, seats, affected))
    options += _launches(scenario, cat, svc, orbit, onset, seats, kind, affected, leak_vehicle)

    for o in options:
        if available_h is not None and o.crew_safe_utc is not None and o.feasible:
            o.within_time = days_between(onset, o.crew_safe_utc) * 24.0 <= available_h
            if not o.within_time:
                o.reasons.append(f"crew safe only after {days_between(onset, o.crew_safe_utc) * 24:.1f} h, "
                                 f"beyond the {available_h:.1f} h available")
    _wait_for_lifeboat(options, onset)
    options.sort(key=lambda o: _rank_key(o, onset, kind))
    best = next((o for o in options if o.feasible and o.within_time), None)
    reasons = _recommendation_reasons(best, options, available_h, onset) if best else [
        "no option makes the crew safe within the time available; the fastest is listed first"]
    assumptions = [
        f"evacuation preparation (hatches, suits, leak check, undock) takes {EVACUATION_PREP_H} h "
        "(assumption; no sourced figure)",
        f"moving a seat liner to another vehicle takes {SEAT_LINER_TRANSFER_DAYS:g} d "
        "(MS-22/Crew-5 precedent, Jan 2023)",
        f"a crewed rescue flies {RESCUE_FLIGHT_CREW} crew with its other seats empty (Crew-9, Sep 2024)",
        "each added crewed ascent or entry carries a 1 in 500 loss-of-crew allocation "
        "(NASA Commercial Crew, facts §9)",
    ]
    if kind == "medical":
        assumptions.append(f"a medical return needs {MEDICAL_RETURN_SEATS} seats: the patient and one "
                           "crew member attending (assumption; no sourced figure)")
    return RescuePlan(
        scenario_id=scenario.id, emergency_kind=kind, onset_utc=onset, crew=len(scenario.crew),
        time_available_h=available_h, limits=limits, options=options,
        recommendation=best.name if best else None, reasons=reasons, assumptions=assumptions,
    )


def _wait_for_lifeboat(options: list[RescueOption], onset: datetime) -> None:
    """An isolation that shuts the crew off from their lifeboat lasts until a new one docks."""
    arrivals = [o for o in options if o.kind in ("replacement", "crewed-rescue", "reassign")
                and o.feasible and o.crew_safe_utc is not None]
    for o in options:
        if o.kind != "isolate" or o.hours_without_lifeboat is not None or not o.feasible:
            continue
        if not arrivals:
            o.reasons.append("no replacement lifeboat can arrive")
            o.hours_without_lifeboat = math.inf
            continue
        first = min(arrivals, key=lambda a: a.crew_safe_utc)
        end = o.steps[-1].end_utc if o.steps else onset
        o.steps.append(TimelineStep(f"wait without a lifeboat for: {first.name}", end,
                                    max(end, first.crew_safe_utc)))
        o.depends_on = sorted(set(o.depends_on) | set(first.depends_on))
        o.hours_without_lifeboat = _hours(onset, first.crew_safe_utc)


def _hours(onset: datetime, t: datetime | None) -> float | None:
    return None if t is None else days_between(onset, t) * 24.0


def _rank_key(o: RescueOption, onset: datetime, kind: str):
    """Crew risk first (feasible, in time, added crewed phases, crew leaves the station, hours
    without a lifeboat), then the time the crew is safe."""
    safe_h = _hours(onset, o.crew_safe_utc)
    leaves = o.kind == "evacuate" and kind not in ("medical", "fire")
    return (not o.feasible, not o.within_time, o.extra_crewed_phases, leaves,
            round(o.hours_without_lifeboat or 0.0, 1), safe_h if safe_h is not None else math.inf)


def _time_limits(scenario, cat: Catalog, svc, kind: str, onset: datetime) -> list[TimeLimit]:
    limits: list[TimeLimit] = []
    if kind == "leak":
        leak = svc.leak(scenario)
        limits.append(TimeLimit(
            "leak: cabin reaches the evacuation limit (physical blowdown)", leak.time_to_limit_h,
            f"{leak.initial_rate_mmhg_per_h:.2f} mmHg/h initially, to {leak.limit_mmhg:g} mmHg"))
        limits.append(TimeLimit(
            "leak: crew-chart reserve time (linear extrapolation)", leak.reserve_time_linear_h,
            "the crew's Tres method: pressure margin / initial rate"))
    elif kind == "fire":
        limits.append(TimeLimit("fire", None, "no fire-growth model: the crew shelters by the "
                                "lifeboats while the fire is fought; evacuate if it is not out"))
    elif kind == "medical":
        limits.append(TimeLimit("medical", None, "set by the flight surgeon"))
    for d in scenario.docked:
        life = cat.vehicle(d.vehicle).docked_life_days
        if life is None or not any(m.seat.split(":")[0] == d.id for m in scenario.crew):
            continue
        expiry = d.docked_utc + timedelta(days=life)
        limits.append(TimeLimit(f"{d.id}: certified docked life ends {expiry:%Y-%m-%d}",
                                _hours(onset, expiry), f"{life:g} d from docking on {d.docked_utc:%Y-%m-%d}"))
    return limits


def _evacuate(scenario, cat, svc, orbit, onset, seats, kind, affected, leak_vehicle) -> list[RescueOption]:
    ready = onset + timedelta(hours=EVACUATION_PREP_H)
    steps = [TimelineStep("prepare and board the lifeboats", onset, ready)]
    by_vehicle: dict[str, int] = {}
    for a in seats:
        if a.vehicle_id is not None:
            by_vehicle[a.vehicle_id] = by_vehicle.get(a.vehicle_id, 0) + 1
    seatless = [a.crew for a in seats if a.kind is None]
    reasons: list[str] = []
    notes: list[str] = []
    home = None
    undocked = None
    docked = scenario.docked_by_id()
    for vid, n in by_vehicle.items():
        vehicle_id = docked[vid].vehicle
        landing = svc.first_landing(vehicle_id, orbit, ready)
        if landing is None:
            reasons.append(f"no landing opportunity for {vid} within {LANDING_SEARCH_DAYS:g} d of boarding")
            continue
        lunar = isinstance(landing, CislunarReturn)
        if landing.undock_utc > ready:
            wait = "the trans-Earth departure (next perilune)" if lunar else "the landing opportunity"
            steps.append(TimelineStep(f"{vid}: wait aboard for {wait}", ready, landing.undock_utc))
        if not lunar:
            steps.append(TimelineStep(f"{vid}: undock to deorbit burn", landing.undock_utc,
                                      landing.burn_utc))
        light = {True: ", day", False: ", night", None: ""}[landing.daylight]
        leg = "undock, trans-Earth coast and entry to splashdown" if lunar else "deorbit burn to landing"
        steps.append(TimelineStep(f"{vid}: {leg} ({landing.zone}{light})",
                                  landing.burn_utc, landing.landing_utc))
        home = landing.landing_utc if home is None else max(home, landing.landing_utc)
        undocked = landing.undock_utc if undocked is None else max(undocked, landing.undock_utc)
        reasons.append(f"{vid} carries {n} crew; undocks {landing.undock_utc:%Y-%m-%d %H:%M} UTC and "
                       f"lands {landing.landing_utc:%Y-%m-%d %H:%M} UTC in {landing.zone}")
        if vid == leak_vehicle:
            notes.append(f"the leak is in {vid}: its descent module must hold pressure before the crew "
                         "boards (ISS leak procedure, facts §1a)")
        if docked[vid].health == "degraded" or vid == affected:
            notes.append(f"{vid} is degraded: an emergency return only")
    if seatless:
        reasons.append(f"{len(seatless)} crew have no seat: {', '.join(seatless)}")
    notes.append("the station is left uncrewed")
    feasible = not seatless and home is not None
    return [RescueOption(
        name="Evacuate now", kind="evacuate", provider=None,
        depends_on=sorted({cat.vehicle(docked[v].vehicle).provider for v in by_vehicle}),
        steps=steps, crew_safe_utc=undocked if feasible else None, crew_home_utc=home,
        feasible=feasible, reasons=reasons, risk_notes=notes,
        extra_crewed_phases=0, added_loc=0.0, hours_without_lifeboat=0.0 if feasible else None,
    )]


def _isolate(scenario, svc, onset, available_h, leak_vehicle) -> RescueOption:
    module = scenario.emergency.module
    if module is None:
        return RescueOption("Isolate the leak and stay", "isolate", None, [], [], None, None, False,
                            ["the leaking module is unknown: the crew must search hatch by hatch"])
    steps = svc.isolation_steps(scenario, onset)
    safe = steps[-1].end_utc if steps else onset
    reasons = [f"close the hatches around {module} and stay aboard"]
    notes = []
    if leak_vehicle is not None:
        notes.append(f"the leak is in {leak_vehicle}: closing it off leaves its crew without that "
                     "lifeboat until a replacement docks")
    return RescueOption(
        name="Isolate the leak and stay", kind="isolate", provider=None, depends_on=[],
        steps=steps, crew_safe_utc=safe, crew_home_utc=None, feasible=True, reasons=reasons,
        risk_notes=notes, hours_without_lifeboat=None if leak_vehicle else 0.0,
    )


def _reassign(scenario, cat, onset, seats, affected) -> RescueOption:
    docked = scenario.docked_by_id()
    displaced = [a.crew for a in seats if a.kind is None or a.vehicle_id == affected]
    occupants: dict[str, int] = {}
    for a in seats:
        if a.vehicle_id is not None and a.crew not in displaced:
            occupants[a.vehicle_id] = occupants.get(a.vehicle_id, 0) + 1
    free_std, free_added, hosts = 0, 0, []
    for d in scenario.docked:
        if d.id == affected or d.health != "nominal":
            continue
        std = scenario.seats_of(d.id, cat) - occupants.get(d.id, 0)
        added = cat.vehicle(d.vehicle).seats_max - max(scenario.seats_of(d.id, cat), occupants.get(d.id, 0))
        if std > 0 or added > 0:
            hosts.append(d.id)
        free_std += max(std, 0)
        free_added += max(added, 0)
    need = len(displaced)
    steps: list[TimelineStep] = []
    if need == 0:
        return RescueOption("Reassign seats", "reassign", None, [], [], onset, None, False,
                            ["every crew member already has a usable seat"])
    reasons = [f"{need} crew need a seat ({', '.join(displaced)}); other docked vehicles offer "
               f"{free_std} free standard seat(s) and room for {free_added} added seat(s)"]
    notes: list[str] = []
    if free_std >= need:
        safe = onset
        steps.append(TimelineStep("move seat assignments to free standard seats", onset, onset))
    elif free_std + free_added >= need:
        safe = onset + timedelta(days=SEAT_LINER_TRANSFER_DAYS)
        steps.append(TimelineStep(f"move {need - free_std} seat liner(s) into {', '.join(hosts)}", onset, safe))
        notes.append("an added seat is non-standard: for an emergency return only")
    else:
        reasons.append("not enough room in the other docked vehicles")
        return RescueOption("Reassign seats", "reassign", None, [], steps, None, None, False, reasons)
    providers = sorted({cat.vehicle(docked[h].vehicle).provider for h in hosts})
    return RescueOption(
        name="Reassign seats", kind="reassign", provider=providers[0] if len(providers) == 1 else None,
        depends_on=providers, steps=steps, crew_safe_utc=safe, crew_home_utc=None, feasible=True,
        reasons=reasons, risk_notes=notes, hours_without_lifeboat=_hours(onset, safe),
    )


def _launches(scenario, cat, svc, orbit, onset, seats, kind, affected, leak_vehicle) -> list[RescueOption]:
    station = cat.station(scenario.station.id)
    # Crew needing a new seat: those without one, in the damaged or unfit vehicle, or in the leaking
    # one. A leaking vehicle stays their lifeboat until the crew closes it off, which they need not
    # do before the replacement docks while the leak reserve lasts (``within_time`` checks that):
    # only crew without a seat or in the damaged/unfit vehicle are without a lifeboat meanwhile.
    seatless = [a.crew for a in seats if a.kind is None or a.vehicle_id in (affected, leak_vehicle)]
    without_lifeboat = [a.crew for a in seats if a.kind is None or a.vehicle_id == affected]
    need = len(seatless) or (min(MEDICAL_RETURN_SEATS, len(scenario.crew)) if kind == "medical" else 0)
    options: list[RescueOption] = []
    for fs in scenario.fleet:
        vehicle = cat.vehicle(fs.vehicle)
        if station.vehicles and fs.vehicle not in station.vehicles:
            continue
        ready = max(onset, fs.next_ready_utc or onset)
        for crewed in (False, True):
            start = max(ready, fs.grounded_until or ready) if crewed else ready
            name = (f"Crewed rescue: {vehicle.name} ({fs.provider})" if crewed
                    else f"Uncrewed replacement: {vehicle.name} ({fs.provider})")
            option = RescueOption(name=name, kind="crewed-rescue" if crewed else "replacement",
                                  provider=fs.provider, depends_on=[fs.provider], steps=[],
                                  crew_safe_utc=None, crew_home_utc=None, feasible=True, reasons=[])
            free = vehicle.seats - (RESCUE_FLIGHT_CREW if crewed else 0)
            if crewed and not fs.crew_certified:
                option.feasible = False
                option.reasons.append(f"{vehicle.name} is not certified to fly crew")
            if free < max(need, 1):
                option.feasible = False
                option.reasons.append(f"{free} free seat(s) for {need} crew")
            best = None
            if option.feasible:
                try:
                    best = svc.first_launch(vehicle.id, vehicle.sites, orbit, start)
                except InputError as exc:  # the station's orbit cannot be predicted that far
                    option.feasible = False
                    option.reasons.append(beyond_orbit_prediction(start, onset, exc))
            if option.feasible and best is None:
                option.feasible = False
                option.reasons.append(f"no launch opportunity from {', '.join(vehicle.sites)} within "
                                      f"{LAUNCH_SEARCH_DAYS:g} d of {start:%Y-%m-%d}")
            if best is not None:
                site, opp, scheme = best
                if start > onset:
                    option.steps.append(TimelineStep(
                        "grounded / vehicle readiness" if crewed else "vehicle readiness", onset, start))
                if opp.launch_utc > start:
                    option.steps.append(TimelineStep(f"wait for the launch opportunity from {site}",
                                                     start, opp.launch_utc))
                option.steps.append(TimelineStep(f"launch from {site} to docking ({scheme.name})",
                                                 opp.launch_utc, scheme.dock_utc))
                option.crew_safe_utc = scheme.dock_utc
                option.reasons.append(f"launch {opp.launch_utc:%Y-%m-%d %H:%M} UTC from {site}, "
                                      f"docks {scheme.dock_utc:%Y-%m-%d %H:%M} UTC ({scheme.name}, "
                                      f"{scheme.duration_h:.1f} h)")
                option.hours_without_lifeboat = _hours(onset, scheme.dock_utc) if without_lifeboat else 0.0
                if leak_vehicle is not None and not without_lifeboat:
                    option.risk_notes.append(f"{leak_vehicle} stays the lifeboat, hatches open, while the "
                                             "leak reserve lasts; close it off once the new vehicle docks")
                if kind == "medical":
                    option.risk_notes.append("brings a vehicle, not the patient home: the patient "
                                             "can leave only once it has docked")
            if crewed:
                option.extra_crewed_phases = 1
                option.added_loc = ASCENT_LOC
                option.risk_notes.append(f"{RESCUE_FLIGHT_CREW} rescuers fly an extra crewed ascent "
                                         f"(1 in {1 / ASCENT_LOC:.0f} allocation)")
            options.append(option)
    return options


def beyond_orbit_prediction(ready_utc: datetime, onset_utc: datetime, exc: InputError) -> str:
    """Why no launch is searched for a vehicle ready only at ``ready_utc``: the station's orbit
    elements (``exc``, from :meth:`StationOrbit.check_age`) cannot be propagated that far."""
    from lifeboat.orbits.station import DEFAULT_MAX_TLE_AGE_DAYS

    if ready_utc <= onset_utc:
        return exc.message
    return (f"not ready until {ready_utc:%Y-%m-%d}, {days_between(onset_utc, ready_utc):.0f} d after "
            f"the onset: beyond the {DEFAULT_MAX_TLE_AGE_DAYS:g}-day prediction horizon of the "
            "station's orbit elements")


def _recommendation_reasons(best: RescueOption, options: list[RescueOption],
                            available_h: float | None, onset: datetime) -> list[str]:
    reasons = []
    if available_h is not None:
        reasons.append(f"time available: {available_h:.1f} h ({available_h / 24:.1f} d)")
    safe_h = _hours(onset, best.crew_safe_utc)
    if safe_h is not None:
        reasons.append(f"crew safe {safe_h:.1f} h after the onset ({best.crew_safe_utc:%Y-%m-%d %H:%M} UTC)")
    if best.crew_home_utc is not None:
        reasons.append(f"crew home {_hours(onset, best.crew_home_utc):.1f} h after the onset "
                       f"({best.crew_home_utc:%Y-%m-%d %H:%M} UTC)")
    if best.extra_crewed_phases == 0:
        reasons.append("adds no crewed launch or entry")
    else:
        reasons.append(f"adds {best.extra_crewed_phases} crewed flight phase(s), "
                       f"loss-of-crew allocation {best.added_loc:.4f}")
    reasons.append(f"depends on {', '.join(best.depends_on)}" if best.depends_on
                   else "depends on no partner")
    others = [o for o in options if o is not best and o.feasible and o.within_time]
    if others:
        runner = others[0]
        reasons.append(f"preferred to '{runner.name}', which "
                       + ("adds crewed flight phases" if runner.extra_crewed_phases > best.extra_crewed_phases
                          else "leaves the station uncrewed" if runner.kind == "evacuate"
                          else "keeps the crew longer without a lifeboat"
                          if (runner.hours_without_lifeboat or 0) > (best.hours_without_lifeboat or 0)
                          else "makes the crew safe later"))
    reasons.extend(best.risk_notes)
    return reasons
