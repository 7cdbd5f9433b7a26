"""Seat accounting: who can ride home in which docked vehicle, over time.

A seat is *standard* (one of a vehicle's standard seats; in a degraded vehicle only up to its
emergency capacity) or *contingency* (an added seat liner or makeshift seating), or there is none.
After each event the crew are re-seated by a fixed rule: keep a standard seat in a nominal
vehicle; else take a free one; else a standard seat in a degraded vehicle within its emergency
capacity (own vehicle first); else a contingency seat. :func:`seat_ledger` runs the events and
reports, per interval, who lacks a nominal lifeboat, a standard seat or any seat.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from lifeboat.timeutil import days_between


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


def seat_crew(crew: list[str], vehicles: dict[str, LedgerVehicle],
          previous: dict[str, Assignment]) -> list[Assignment]:
    """Seat ``crew`` in ``vehicles`` by the rule in the module docstring, keeping the seats of
    ``previous`` where they are still standard seats in a nominal vehicle."""
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
    docked = {v.id: replace(v) for v in vehicles}  # copies: events change health and seats
    names = list(crew)
    previous = {
        n: Assignment(n, vid, "standard" if vid in docked else None, False) for n, vid in crew.items()
    }
    # Seat each crew member in their own vehicle first, then apply the general rule.
    assignments = seat_crew(names, docked, previous)
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
            docked[change.dock.id] = replace(change.dock)
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
        assignments = seat_crew(names, docked, previous)
    if end_utc > t:
        intervals.append(_interval(t, end_utc, label, docked, assignments))
    return SeatLedger(intervals)


def _interval(start, end, label, docked, assignments) -> SeatInterval:
    usable = sum(v.usable_standard_seats() + (v.contingency_seats if v.health != "unfit" else 0)
                 for v in docked.values())
    return SeatInterval(start_utc=start, end_utc=end, event=label, crew_aboard=len(assignments),
                        usable_seats=usable, assignments=list(assignments))
