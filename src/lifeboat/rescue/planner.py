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

Seat accounting (who can ride home in which vehicle, over time) is :func:`seat_ledger`.

Planning constants that are not physics carry their source or are marked as assumptions.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from lifeboat.catalog import Catalog, load_catalog
from lifeboat.errors import InputError
from lifeboat.timeutil import days_between

# --- planning constants ---------------------------------------------------------------------
# Probability of loss of crew allocated to one ascent and to one entry: NASA Commercial Crew
# allocations, 1 in 500 each (facts.md §9, E. Mango via Air & Space).
ASCENT_LOC = 1.0 / 500.0
ENTRY_LOC = 1.0 / 500.0
# Assumption: time from the decision to evacuate to undocking (close hatches, don suits, leak-check
# the vehicle, undock). No sourced figure; shown in every evacuation timeline.
EVACUATION_PREP_H = 1.5
# Moving a seat liner to another vehicle: decided 12 Jan 2023, done 17-18 Jan 2023 for the MS-22
# crew (facts.md §3) - 6 days.
SEAT_LINER_TRANSFER_DAYS = 6.0
# A crewed rescue flies with a crew of two and its other seats empty: Crew-9, 28 Sep 2024
# (facts.md §4).
RESCUE_FLIGHT_CREW = 2
# How far ahead the planner looks for launch opportunities and landings, days.
LAUNCH_SEARCH_DAYS = 3.0
LANDING_SEARCH_DAYS = 2.0

HEALTHS = ("nominal", "degraded", "unfit")


@dataclass
class LedgerVehicle:
    """A docked vehicle in the ledger: standard seats, added contingency seats, health."""

    id: str
    vehicle: str
    seats: int
    health: str = "nominal"
    emergency_seats: int | None = None  # people a degraded vehicle may carry in an emergency
    contingency_seats: int = 0

    def usable_standard_seats(self) -> int:
        """Standard seats usable for a return now (0 when unfit)."""
        if self.health == "nominal":
            return self.seats
        if self.health == "degraded":
            return self.seats if self.emergency_seats is None else min(self.seats, self.emergency_seats)
        return 0


@dataclass
class SeatChange:
    """One event of the ledger, already placed in time."""

    utc: datetime
    label: str
    dock: LedgerVehicle | None = None
    arriving_crew: list[str] = field(default_factory=list)
    undock: str | None = None
    departing_crew: list[str] = field(default_factory=list)
    health: tuple[str, str, int | None] | None = None  # (vehicle id, health, emergency seats)
    add_contingency: tuple[str, int] | None = None  # (vehicle id, seats added)


@dataclass(frozen=True)
class Assignment:
    crew: str
    vehicle_id: str | None
    kind: str | None  # "standard" | "contingency" | None
    nominal: bool  # a standard seat in a nominal vehicle


@dataclass(frozen=True)
class SeatInterval:
    start_utc: datetime
    end_utc: datetime
    event: str
    crew_aboard: int
    usable_seats: int
    assignments: list[Assignment]

    @property
    def days(self) -> float:
        return days_between(self.start_utc, self.end_utc)

    def crew_without_nominal_seat(self) -> list[str]:
        return [a.crew for a in self.assignments if not a.nominal]

    def crew_without_standard_seat(self) -> list[str]:
        return [a.crew for a in self.assignments if a.kind != "standard"]

    def crew_without_seat(self) -> list[str]:
        return [a.crew for a in self.assignments if a.kind is None]


@dataclass(frozen=True)
class SeatLedger:
    intervals: list[SeatInterval]

    def days_where(self, predicate) -> float:
        """Total days of the intervals for which ``predicate(interval)`` is true."""
        return sum((i.days for i in self.intervals if predicate(i)), 0.0)

    def summary(self) -> dict[str, float | int]:
        """Durations (days) without a nominal lifeboat, a standard seat or any seat; crew extremes."""
        return {
            "days_without_nominal_lifeboat": self.days_where(lambda i: i.crew_without_nominal_seat()),
            "days_without_standard_seat": self.days_where(lambda i: i.crew_without_standard_seat()),
            "days_without_any_seat": self.days_where(lambda i: i.crew_without_seat()),
            "max_crew_aboard": max((i.crew_aboard for i in self.intervals), default=0),
            "min_seat_margin": min((i.usable_seats - i.crew_aboard for i in self.intervals), default=0),
        }


def _seat(crew: list[str], vehicles: dict[str, LedgerVehicle],
          previous: dict[str, Assignment]) -> list[Assignment]:
    """Re-seat the crew after an event with the rule in the module docstring."""
    used_std = {v: 0 for v in vehicles}
    used_cont = {v: 0 for v in vehicles}

    def take(name: str, vid: str, kind: str) -> Assignment:
        if kind == "standard":
            used_std[vid] += 1
        else:
            used_cont[vid] += 1
        v = vehicles[vid]
        return Assignment(crew=name, vehicle_id=vid, kind=kind,
                          nominal=kind == "standard" and v.health == "nominal")

    def free_standard(vid: str) -> bool:
        return used_std[vid] < vehicles[vid].usable_standard_seats()

    chosen: dict[str, Assignment] = {}
    # Pass 1: everyone keeps a standard seat in a nominal vehicle.
    for name in crew:
        prev = previous.get(name)
        if prev and prev.vehicle_id in vehicles and prev.kind == "standard" \
                and vehicles[prev.vehicle_id].health == "nominal" and free_standard(prev.vehicle_id):
            chosen[name] = take(name, prev.vehicle_id, "standard")
    # Pass 2: the others, in crew order.
    for name in crew:
        if name in chosen:
            continue
        prev = previous.get(name)
        prev_vid = prev.vehicle_id if prev else None
        choice = None
        # a free standard seat in a nominal vehicle.
        for vid, v in vehicles.items():
            if v.health == "nominal" and free_standard(vid):
                choice = take(name, vid, "standard")
                break
        # a standard seat in a degraded vehicle, within its emergency capacity (own vehicle first).
        if choice is None:
            order = [prev_vid] if prev_vid in vehicles else []
            order += [vid for vid in vehicles if vid != prev_vid]
            for vid in order:
                if vehicles[vid].health == "degraded" and free_standard(vid):
                    choice = take(name, vid, "standard")
                    break
        # a contingency seat.
        if choice is None:
            for vid, v in vehicles.items():
                if v.health != "unfit" and used_cont[vid] < v.contingency_seats:
                    choice = take(name, vid, "contingency")
                    break
        chosen[name] = choice or Assignment(crew=name, vehicle_id=None, kind=None, nominal=False)
    return [chosen[name] for name in crew]


def seat_ledger(
    start_utc: datetime,
    end_utc: datetime,
    vehicles: list[LedgerVehicle],
    crew: dict[str, str | None],
    changes: list[SeatChange],
) -> SeatLedger:
    """Run the seat accounting from ``start_utc`` to ``end_utc``.

    ``crew`` maps each crew member aboard at the start to the docked vehicle id of their seat
    (``None`` if they have none); ``changes`` are applied in time order (events before the start
    are applied at the start, events after the end ignored).
    """
    docked = {v.id: v for v in vehicles}
    names = list(crew)
    previous = {
        n: Assignment(n, vid, "standard" if vid in docked else None, False) for n, vid in crew.items()
    }
    # Seat each crew member in their own vehicle first, then apply the general rule.
    assignments = _seat(names, docked, previous)
    intervals: list[SeatInterval] = []
    t = start_utc
    label = "start"
    for change in sorted(changes, key=lambda c: c.utc):
        if change.utc > end_utc:
            break
        if change.utc > t:
            intervals.append(_interval(t, change.utc, label, docked, assignments))
            t = change.utc
        label = change.label
        previous = {a.crew: a for a in assignments}
        if change.dock is not None:
            docked[change.dock.id] = change.dock
            for n in change.arriving_crew:
                names.append(n)
                previous[n] = Assignment(n, change.dock.id, "standard", False)
        if change.health is not None:
            vid, health, emergency = change.health
            docked[vid].health = health
            docked[vid].emergency_seats = emergency
        if change.add_contingency is not None:
            vid, n = change.add_contingency
            docked[vid].contingency_seats += n
        for n in change.departing_crew:
            names.remove(n)
        if change.undock is not None:
            docked.pop(change.undock)
        assignments = _seat(names, docked, previous)
    if end_utc > t:
        intervals.append(_interval(t, end_utc, label, docked, assignments))
    return SeatLedger(intervals)


def _interval(start, end, label, docked, assignments) -> SeatInterval:
    usable = sum(v.usable_standard_seats() + (v.contingency_seats if v.health != "unfit" else 0)
                 for v in docked.values())
    return SeatInterval(start_utc=start, end_utc=end, event=label, crew_aboard=len(assignments),
                        usable_seats=usable, assignments=list(assignments))


# --- the plan -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineStep:
    """One step of an option's timeline (UTC)."""

    label: str
    start_utc: datetime
    end_utc: datetime


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


def _docked_seats_ledger(scenario, catalog: Catalog, affected: str | None,
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
    return _seat(list(crew), docked, previous)


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
    seats = _docked_seats_ledger(scenario, cat, affected, health)
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
    seatless = [a.crew for a in seats if a.kind is None or a.vehicle_id in (affected, leak_vehicle)]
    need = len(seatless) or (len(scenario.crew) if kind == "medical" else 0)
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
                    option.reasons.append(f"ready {start:%Y-%m-%d}: {exc.message}")
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
                option.hours_without_lifeboat = _hours(onset, scheme.dock_utc) if seatless else 0.0
            if crewed:
                option.extra_crewed_phases = 1
                option.added_loc = ASCENT_LOC
                option.risk_notes.append(f"{RESCUE_FLIGHT_CREW} rescuers fly an extra crewed ascent "
                                         f"(1 in {1 / ASCENT_LOC:.0f} allocation)")
            options.append(option)
    return options


def _recommendation_reasons(best: RescueOption, options: list[RescueOption],
                            available_h: float | None, onset: datetime) -> list[str]:
    reasons = []
    if available_h is not None:
        reasons.append(f"time available: {available_h:.1f} h ({available_h / 24:.1f} d)")
    safe_h = _hours(onset, best.crew_safe_utc)
    if safe_h is not None:
        reasons.append(f"crew safe {safe_h:.1f} h after the onset ({best.crew_safe_utc:%Y-%m-%d %H:%M} UTC)")
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


def scheme_duration_s(scheme, launcher, station) -> float:
    """Launch-to-docking time (s) of a rendezvous scheme flown to ``station`` when the launch phase
    angle is not known: the launch window service's arithmetic
    (:func:`lifeboat.orbits.rendezvous.scheme_duration_s`) at the middle of the scheme's phase
    window, for the station on a circular orbit at its catalog altitude."""
    from lifeboat.orbits import physics, rendezvous, windows

    station_period_s = float(physics.circular_period_s(physics.R_EARTH_EQ_KM + station.altitude_km))
    insertion_km = rendezvous.insertion_altitude_km(launcher, windows.DEFAULT_INSERTION_ALTITUDE_KM)
    insertion_period_s = float(physics.circular_period_s(physics.R_EARTH_EQ_KM + insertion_km))
    mid_phase_deg = 0.5 * (scheme.phase_window_deg[0] + scheme.phase_window_deg[1])
    return rendezvous.scheme_duration_s(scheme, mid_phase_deg, insertion_time_s=launcher.insertion_time_s,
                                        station_period_s=station_period_s,
                                        insertion_period_s=insertion_period_s)


# --- the services the planner calls ----------------------------------------------------------


@dataclass(frozen=True)
class SchemeChoice:
    name: str
    dock_utc: datetime
    duration_h: float


@dataclass(frozen=True)
class CislunarLaunch:
    launch_utc: datetime


@dataclass(frozen=True)
class CislunarReturn:
    """A return from lunar orbit: undocking (= trans-Earth departure) to splashdown."""

    undock_utc: datetime
    burn_utc: datetime
    landing_utc: datetime
    zone: str
    daylight: bool | None


class Services:
    """The orbital and cabin services the planner uses, behind one small interface.

    Tests and replays may pass a subclass; the default calls :mod:`lifeboat.orbits` and
    :mod:`lifeboat.cabin`.
    """

    def __init__(self, catalog: Catalog, *, isolation_method: str = "greedy"):
        self.catalog = catalog
        # The greedy hatch-closure plan: within 4 % of the optimal (dynamic-programming) expected
        # search time on the ISS 2018-12 network (5.20 h vs 5.04 h) at 1/250 of its cost, which
        # keeps ``lifeboat assess`` within its 10 s budget.
        self.isolation_method = isolation_method
        self._leak_cache: dict = {}
        self._landings: dict = {}

    def orbit(self, scenario, at_utc: datetime):
        """The station's orbit for the launch and landing services (None in lunar orbit)."""
        from lifeboat.orbits.station import StationOrbit

        if self.catalog.station(scenario.station.id).regime == "nrho":
            return None
        return StationOrbit.for_scenario(scenario, reference_utc=at_utc)

    def leak(self, scenario):
        """The leak analysis of the scenario's emergency (cached per scenario content)."""
        key = scenario.model_dump_json()
        if key not in self._leak_cache:
            from lifeboat.cabin.leak import scenario_leak

            self._leak_cache[key] = scenario_leak(scenario, catalog=self.catalog)
        return self._leak_cache[key]

    def isolation_steps(self, scenario, onset: datetime) -> list[TimelineStep]:
        """The crew's hatch-by-hatch search for the scenario's leak, as timeline steps."""
        from lifeboat.cabin.network import scenario_network

        e = scenario.emergency
        run = self._search(scenario_network(scenario, catalog=self.catalog), e.module,
                           e.hole_mm, None, e.cd, wake_delay_h=0.0, method=self.isolation_method)
        return [TimelineStep(step.action, onset + timedelta(hours=step.start_h),
                             onset + timedelta(hours=step.end_h)) for step in run.steps]

    @staticmethod
    def _search(network, module: str, hole_mm: float | None, hole_area_mm2: float | None, cd: float,
                *, wake_delay_h: float, method: str):
        """Plan the search (prior by volume) and carry it out with the hole in ``module``."""
        from lifeboat.cabin.isolate import plan_isolation, simulate_isolation
        from lifeboat.cabin.leak import hole_area_m2

        area_m2 = hole_area_m2(hole_mm) if hole_mm is not None else hole_area_mm2 * 1e-6
        plan = plan_isolation(network, None, cd * area_m2, method=method)
        return simulate_isolation(network, plan, module, wake_delay_h=wake_delay_h)

    def first_launch(self, vehicle_id: str, sites: list[str], orbit, start: datetime):
        """The earliest docking over the vehicle's sites: (site, opportunity, fastest scheme), or
        None. Raises :class:`InputError` when the orbit cannot be predicted at ``start``."""
        from lifeboat.orbits.windows import launch_opportunities

        if orbit is None:
            return self._gateway_arrival(vehicle_id, start)
        orbit.check_age(start)
        best = None
        for site in sites:
            result = launch_opportunities(site, orbit, start, LAUNCH_SEARCH_DAYS, vehicle_id=vehicle_id)
            for opp in result.opportunities:
                if not opp.schemes:
                    continue
                scheme = min(opp.schemes, key=lambda s: s.dock_utc)
                if best is None or scheme.dock_utc < best[2].dock_utc:
                    best = (site, opp, scheme)
                break
        return best

    def landings(self, vehicle_id: str, orbit, earliest_undock_utc: datetime):
        """Landing opportunities over :data:`LANDING_SEARCH_DAYS` from the earliest undocking
        (the landings service's result). A later request inside a window already searched for
        the same vehicle and orbit reuses it: the opportunities do not depend on where the search
        starts, and each search simulates many entries."""
        from lifeboat.orbits.landings import landing_opportunities

        cached = self._landings.get((vehicle_id, id(orbit)))
        if cached is not None:
            start, result = cached
            if start <= earliest_undock_utc <= start + timedelta(days=LANDING_SEARCH_DAYS / 2):
                return [o for o in result.opportunities if o.undock_utc >= earliest_undock_utc]
        result = landing_opportunities(vehicle_id, orbit, earliest_undock_utc, days=LANDING_SEARCH_DAYS)
        self._landings[(vehicle_id, id(orbit))] = (earliest_undock_utc, result)
        return list(result.opportunities)

    def first_landing(self, vehicle_id: str, orbit, undock_utc: datetime):
        if orbit is None:
            return self._gateway_return(vehicle_id, undock_utc)
        opportunities = self.landings(vehicle_id, orbit, undock_utc)
        return opportunities[0] if opportunities else None

    def _gateway_arrival(self, vehicle_id: str, start: datetime):
        """A launch to a station in lunar orbit: the cislunar access service's earliest arrival."""
        from lifeboat.cislunar.gateway import gateway_access

        access = gateway_access(vehicle_id, start, catalog=self.catalog)
        if not access.reachable or access.arrival_utc is None:
            return None
        hours = days_between(access.launch_utc, access.arrival_utc) * 24.0
        scheme = SchemeChoice("transfer to the NRHO", access.arrival_utc, hours)
        return self.catalog.vehicle(vehicle_id).sites[0], CislunarLaunch(access.launch_utc), scheme

    def _gateway_return(self, vehicle_id: str, undock_utc: datetime):
        """A return from lunar orbit for a vehicle docked at the Gateway, crew aboard at
        ``undock_utc``: the access service's trans-Earth departure (next perilune) and splashdown."""
        from lifeboat.cislunar.gateway import gateway_access

        access = gateway_access(vehicle_id, undock_utc, catalog=self.catalog)
        if not access.reachable or access.docked_return_utc is None:
            return None
        vehicle = self.catalog.vehicle(vehicle_id)
        return CislunarReturn(undock_utc=access.docked_departure_utc,
                              burn_utc=access.docked_departure_utc,
                              landing_utc=access.docked_return_utc,
                              zone=vehicle.recovery_zones[0] if vehicle.recovery_zones else "earth",
                              daylight=None)

    def catalog_orbit(self, station_id: str, at_utc: datetime):
        """The catalog station's orbit near ``at_utc``."""
        from lifeboat.orbits.station import StationOrbit

        return StationOrbit.from_catalog(station_id, reference_utc=at_utc)

    def rendezvous(self, vehicle_id: str, launch_utc: datetime, station_id: str,
                   scheme: str | None = None) -> tuple[datetime, str, float]:
        """Docking time of a launch at ``launch_utc`` flying ``scheme`` (default: the vehicle's first
        catalog scheme): (dock time, scheme name, launch-to-dock hours)."""
        vehicle = self.catalog.vehicle(vehicle_id)
        schemes = {s.name: s for s in vehicle.rendezvous}
        if not schemes:
            raise InputError(f"{vehicle_id} has no rendezvous scheme in the catalog", source="catalog")
        chosen = schemes.get(scheme) if scheme else vehicle.rendezvous[0]
        if chosen is None:
            raise InputError(f"unknown scheme {scheme!r} of {vehicle_id}; expected one of "
                             f"{', '.join(schemes)}", source="scheme")
        seconds = scheme_duration_s(chosen, self.catalog.launcher(vehicle.launchers[0]),
                                    self.catalog.station(station_id))
        return launch_utc + timedelta(seconds=seconds), chosen.name, seconds / 3600.0

    def undock_to_landing(self, vehicle_id: str) -> timedelta:
        """Undocking to landing on the vehicle's catalog deorbit profile."""
        profile = self.catalog.vehicle(vehicle_id).deorbit
        if profile is None:
            raise InputError(f"{vehicle_id} has no deorbit profile in the catalog", source="catalog")
        return timedelta(seconds=profile.undock_to_burn_s + profile.burn_to_landing_s)

    def incident_leak(self, station_id: str, leak):
        """Leak summary for a replay's leak inputs (catalog station with docked vehicles)."""
        from lifeboat.cabin.leak import analyse_leak
        from lifeboat.cabin.network import station_network

        network = station_network(station_id, leak.configuration,
                                  docked=[(d.id, d.vehicle, d.port) for d in leak.docked],
                                  catalog=self.catalog)
        return analyse_leak(network, hole_diameter_mm=leak.hole_mm,
                            effective_area_mm2=None if leak.hole_mm else leak.cd * leak.hole_area_mm2,
                            cd=leak.cd, module=leak.module)

    def leak_search(self, station_id: str, leak):
        """The hatch-by-hatch search for a replay's leak, the crew waking at
        ``leak.search_starts_utc``: (the :class:`lifeboat.cabin.isolate.IsolationRun`, the station
        pressure in mmHg once the hole is sealed and the hatches reopened - the modules' final
        pressures mixed by gas capacity V/T)."""
        from lifeboat.cabin.network import station_network

        network = station_network(station_id, leak.configuration,
                                  docked=[(d.id, d.vehicle, d.port) for d in leak.docked],
                                  catalog=self.catalog)
        wake_h = days_between(leak.onset_utc, leak.search_starts_utc) * 24.0
        run = self._search(network, leak.module, leak.hole_mm, leak.hole_area_mm2, leak.cd,
                           wake_delay_h=wake_h, method=self.isolation_method)
        capacity = {m.id: m.volume_m3 / m.temperature_k for m in network.modules}
        mixed = sum(run.final_pressure_mmhg[m] * c for m, c in capacity.items()) / sum(capacity.values())
        return run, mixed
