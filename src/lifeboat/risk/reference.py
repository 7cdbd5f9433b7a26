"""Plain SimPy implementation of the risk model: the reference the fast kernel is checked against.

Written from the rules in ``docs/risk-model.md``, independently of ``kernel.py``: each provider
runs a launch campaign process, every docked vehicle has a docked-life clock and a damage clock
(processes interrupted when the vehicle leaves), and every hazard kind is its own Poisson
process whose events force evacuation with their own probability. Launch failures are one
Bernoulli draw per launch. Draws use the standard library's ``random``. Slow by design
(thousands of trials per second); use :func:`lifeboat.risk.engine.run_risk` for answers.
"""

from __future__ import annotations

import math
import random
import time

import numpy as np
import simpy

from lifeboat.risk.engine import RiskResult, summarize
from lifeboat.risk.kernel import STATS
from lifeboat.risk.model import DAYS_PER_YEAR, Architecture, Provider


class _LossOfCrew(Exception):
    def __init__(self, cause: str):
        self.cause = cause


class _Vehicle:
    """A docked crew vehicle and the crew assigned to its seats."""

    def __init__(self, owner: int, docked_at: float, occupants: int):
        self.owner = owner
        self.docked_at = docked_at
        self.occupants = occupants
        self.damaged = False
        self.clocks: list[simpy.Process] = []


class _Trial:
    """One trial: a SimPy environment with the station's state and processes."""

    def __init__(self, arch: Architecture, rng: random.Random):
        self.arch = arch
        self.rng = rng
        self.providers: list[Provider] = list(arch.providers.values())
        self.env = simpy.Environment()
        self.vehicles: list[_Vehicle | None] = [None] * len(self.providers)
        self.campaigns: list[simpy.Process] = []
        self.grounded_until = [-math.inf] * len(self.providers)
        self.needs_replacement = [False] * len(self.providers)
        self.horizon = arch.station.horizon_days
        self.last_t = 0.0
        self.decrewed_days = 0.0
        self.any_decrew = False
        self.seatless_crew_days = 0.0
        self.launches = 0
        self.crewed_launches = 0
        self.cost = 0.0
        self.evacuations = 0
        self.cause: str | None = None

    # --- bookkeeping ---------------------------------------------------------------------
    def crew(self) -> int:
        return sum(v.occupants for v in self.vehicles if v is not None)

    def seatless(self) -> int:
        return sum(v.occupants for v in self.vehicles if v is not None and v.damaged)

    def account(self) -> None:
        """Add time-weighted tallies since the last state change."""
        now = min(self.env.now, self.horizon)
        dt = now - self.last_t
        if dt > 0:
            if self.crew() == 0:
                self.decrewed_days += dt
                self.any_decrew = True
            self.seatless_crew_days += self.seatless() * dt
        self.last_t = now

    def lose_crew(self, cause: str) -> None:
        self.account()
        self.cause = cause
        raise _LossOfCrew(cause)

    def guarded(self, generator):
        """Drive a process body until it returns or the trial has lost its crew."""
        send, throw = None, None
        while self.cause is None:
            try:
                event = generator.throw(throw) if throw else generator.send(send)
            except (StopIteration, _LossOfCrew):
                return
            try:
                send, throw = (yield event), None
            except simpy.Interrupt as interrupt:
                send, throw = None, interrupt

    def start(self, process) -> simpy.Process:
        return self.env.process(self.guarded(process))

    # --- vehicles --------------------------------------------------------------------------
    def dock(self, owner: int, docked_at: float, occupants: int) -> None:
        vehicle = _Vehicle(owner, docked_at, occupants)
        self.vehicles[owner] = vehicle
        vehicle.clocks = [self.start(self.docked_life(vehicle)), self.start(self.damage_clock(vehicle))]

    def undock(self, vehicle: _Vehicle) -> None:
        self.vehicles[vehicle.owner] = None
        for clock in vehicle.clocks:
            if clock.is_alive and clock is not self.env.active_process:
                clock.interrupt()

    def free_seats(self, vehicle: _Vehicle) -> int:
        return self.providers[vehicle.owner].seats - vehicle.occupants

    def move_to_partners(self, source: _Vehicle, count: int) -> None:
        """Seat up to ``count`` crew of ``source`` in free seats of other usable vehicles."""
        for other in self.vehicles:
            if count == 0:
                break
            if other is None or other is source or other.damaged:
                continue
            k = min(self.free_seats(other), count)
            if k > 0:
                other.occupants += k
                source.occupants -= k
                count -= k

    def share_seats_with_damaged(self) -> None:
        if self.arch.policies.seat_sharing:
            for vehicle in self.vehicles:
                if vehicle is not None and vehicle.damaged and vehicle.occupants:
                    self.move_to_partners(vehicle, vehicle.occupants)

    def docked_life(self, vehicle: _Vehicle):
        life = self.providers[vehicle.owner].docked_life_days
        try:
            yield self.env.timeout(max(vehicle.docked_at + life - self.env.now, 0.0))
        except simpy.Interrupt:
            return
        if vehicle.damaged:  # already useless: it leaves when its replacement arrives
            return
        self.account()
        if self.arch.policies.mixed_crews:
            self.move_to_partners(vehicle, vehicle.occupants)
        if vehicle.occupants:
            self.nominal_return(vehicle.owner)
        self.undock(vehicle)

    def damage_clock(self, vehicle: _Vehicle):
        rate = self.providers[vehicle.owner].damage_rate_per_year / DAYS_PER_YEAR
        if rate <= 0:
            return
        try:
            yield self.env.timeout(self.rng.expovariate(rate))
        except simpy.Interrupt:
            return
        self.account()
        vehicle.damaged = True
        self.needs_replacement[vehicle.owner] = True
        if self.arch.policies.seat_sharing:
            self.move_to_partners(vehicle, vehicle.occupants)
        self.campaigns[vehicle.owner].interrupt("damage")

    def nominal_return(self, owner: int) -> None:
        if self.rng.random() < self.providers[owner].nominal_return_failure:
            self.lose_crew("nominal_return")

    # --- launches ----------------------------------------------------------------------------
    def launch(self, owner: int, crewed: bool) -> bool:
        """One launch; True when it arrives. A failure grounds the provider."""
        provider = self.providers[owner]
        self.launches += 1
        self.cost += provider.cost_per_launch_musd
        if crewed:
            self.crewed_launches += 1
        if self.rng.random() < provider.ascent_failure:
            if crewed and self.rng.random() >= provider.abort_success:
                self.lose_crew("ascent")
            median = provider.grounding_median_days
            grounding = median * math.exp(provider.grounding_sigma * self.rng.gauss(0.0, 1.0)) if median > 0 else 0.0
            self.grounded_until[owner] = self.env.now + grounding
            return False
        return True

    def campaign(self, owner: int):
        """The provider's flights: crewed rotations, or an uncrewed replacement after damage."""
        provider = self.providers[owner]
        due = provider.rotation_interval_days - provider.phase_days
        while True:
            try:
                if self.needs_replacement[owner]:
                    damaged_at = self.env.now
                    due = max(damaged_at + provider.replacement_readiness_days, self.grounded_until[owner])
                    while True:
                        yield self.env.timeout(max(due - self.env.now, 0.0))
                        self.account()
                        if self.launch(owner, crewed=False):
                            break
                        due = self.grounded_until[owner]
                    old = self.vehicles[owner]
                    self.needs_replacement[owner] = False
                    self.undock(old)  # the damaged vehicle leaves empty
                    self.dock(owner, self.env.now, old.occupants)
                    self.share_seats_with_damaged()
                    due = self.env.now + provider.rotation_interval_days
                else:
                    yield self.env.timeout(max(due - self.env.now, 0.0))
                    self.account()
                    crewed = provider.crew_per_flight > 0
                    if not self.launch(owner, crewed=crewed):
                        due = self.grounded_until[owner]
                        continue
                    old = self.vehicles[owner]
                    if old is not None:
                        if old.occupants:
                            self.nominal_return(owner)
                        self.undock(old)
                    self.dock(owner, self.env.now, provider.crew_per_flight)
                    self.share_seats_with_damaged()
                    due = self.env.now + provider.rotation_interval_days
            except simpy.Interrupt:
                continue  # damage: switch to the uncrewed replacement

    # --- hazards -----------------------------------------------------------------------------
    def hazard(self, rate_per_year: float, p_evacuation: float):
        if rate_per_year <= 0:
            return
        while True:
            yield self.env.timeout(self.rng.expovariate(rate_per_year / DAYS_PER_YEAR))
            if self.rng.random() >= p_evacuation or self.crew() == 0:
                continue
            self.account()
            self.evacuations += 1
            if self.seatless():
                self.lose_crew("no_seat")
            for vehicle in list(self.vehicles):
                if vehicle is not None and not vehicle.damaged and vehicle.occupants:
                    if self.rng.random() < self.providers[vehicle.owner].emergency_return_failure:
                        self.lose_crew("emergency_return")
                    vehicle.occupants = 0
                    self.undock(vehicle)

    # --- the trial ---------------------------------------------------------------------------
    def run(self) -> None:
        for owner, provider in enumerate(self.providers):
            self.dock(owner, -provider.phase_days, provider.crew_per_flight)
        self.campaigns = [self.start(self.campaign(owner)) for owner in range(len(self.providers))]
        for h in self.arch.hazards.values():
            self.start(self.hazard(h.rate_per_year, h.evacuation_probability))
        # Events falling exactly on the horizon are not run (SimPy stops before them).
        self.env.run(until=self.horizon)
        if self.cause is None:
            self.account()


def run_reference(architecture: Architecture, *, trials: int, seed: int) -> RiskResult:
    """Simulate ``trials`` trials with SimPy and summarise them like the fast engine."""
    rng = random.Random(seed)
    row = dict.fromkeys(STATS, 0.0)
    start = time.perf_counter()
    for _ in range(trials):
        trial = _Trial(architecture, rng)
        trial.run()
        row["trials"] += 1
        if trial.cause is not None:
            row["loc"] += 1
            row[f"loc_{trial.cause}"] += 1
        for key, value in (
            ("decrewed_days", trial.decrewed_days),
            ("seatless_crew_days", trial.seatless_crew_days),
            ("launches", trial.launches),
            ("cost_musd", trial.cost),
        ):
            row[key] += value
            row[key + "_sq"] += value * value
        row["any_decrew"] += trial.any_decrew
        row["crewed_launches"] += trial.crewed_launches
        row["evacuations"] += trial.evacuations
    elapsed = time.perf_counter() - start
    return summarize(
        architecture, seed, np.array([[row[k] for k in STATS]]), trials_per_s=trials / elapsed, workers=1
    )
