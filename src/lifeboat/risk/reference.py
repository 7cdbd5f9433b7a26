"""Plain SimPy implementation of the risk model: the reference the fast kernel is checked against.

Written from the rules in ``docs/risk-model.md``, independently of ``kernel.py``: every vehicle
slot runs a launch campaign process; every docked vehicle has a docked-life clock and a damage
clock; a crew without a usable seat has a consumables clock; every hazard kind is its own Poisson
process; a launch-on-need provider runs a rescue process. Launch and return failures are one
Bernoulli draw each. Draws use the standard library's ``random``. Slow by design (thousands of
trials per second); use :func:`lifeboat.risk.engine.run_risk` for answers.
"""

from __future__ import annotations

import math
import random
import time

import numpy as np
import simpy

from lifeboat.risk import kernel
from lifeboat.risk.engine import RiskResult, batch_sums, kernel_input, summarize
from lifeboat.risk.model import DAYS_PER_YEAR, Architecture, Provider


class _EndTrial(Exception):
    """A loss of crew under ``after_loss = "end"``."""


class _Vehicle:
    """A docked crew vehicle of one slot and the crew in its seats."""

    def __init__(self, slot: int, docked_at: float, occupants: int):
        self.slot = slot
        self.docked_at = docked_at
        self.occupants = occupants
        self.damaged = False
        self.latent = False
        self.clocks: list[simpy.Process] = []


class _Trial:
    """One trial: a SimPy environment with the station's state and processes."""

    def __init__(self, arch: Architecture, rng: random.Random):
        self.arch = arch
        self.rng = rng
        self.keys = list(arch.providers)
        self.providers: list[Provider] = list(arch.providers.values())
        self.slot_owner = [i for i, p in enumerate(self.providers) for _ in range(p.vehicles)]
        self.slot_phase = [
            (p.phase_days + k * p.rotation_interval_days / p.vehicles) % p.rotation_interval_days
            for p in self.providers for k in range(p.vehicles)
        ]
        self.env = simpy.Environment()
        self.vehicles: list[_Vehicle | None] = [None] * len(self.slot_owner)
        self.campaigns: list[simpy.Process] = []
        self.wake: list[simpy.Event | None] = [None] * len(self.slot_owner)
        self.needs_replacement = [False] * len(self.slot_owner)
        self.grounded_until = [-math.inf] * len(self.providers)
        self.rescue_pending = [False] * len(self.providers)
        self.rescues: list[simpy.Process | None] = [None] * len(self.providers)
        self.horizon = arch.station.horizon_days
        self.last_t = 0.0
        self.row = np.zeros(kernel.N_COLUMNS)
        self.ended = False
        self.designs = [p.design or key for key, p in arch.providers.items()]
        self.launchers = [p.launcher or key for key, p in arch.providers.items()]

    # --- bookkeeping ---------------------------------------------------------------------
    def add(self, name: str, value: float, provider: int | None = None) -> None:
        self.row[kernel.COL[name if provider is None else f"{name}_{provider}"]] += value

    def account(self) -> None:
        """Add time-weighted tallies since the last state change."""
        now = min(self.env.now, self.horizon)
        dt = now - self.last_t
        if dt > 0:
            aboard = [v for v in self.vehicles if v is not None]
            crew = sum(v.occupants for v in aboard)
            if crew == 0:
                self.add("decrewed_days", dt)
                self.row[kernel.COL["any_decrew"]] = 1.0
            self.add("crew_days", crew * dt)
            self.add("seatless_crew_days", sum(v.occupants for v in aboard if v.damaged) * dt)
            for v in aboard:
                self.add("crew_days", v.occupants * dt, self.slot_owner[v.slot])
        self.last_t = now

    def lose(self, owner: int, cause: str, persons: int) -> None:
        """Book a loss of crew; under "continue" the provider stands down."""
        if self.ended:  # a process still running at the instant the trial ended
            raise _EndTrial
        self.add("loss_events", 1)
        self.add("people_lost", persons)
        self.add(f"lost_{cause}", persons)
        self.add("people_lost", persons, owner)
        if self.arch.station.after_loss == "end":
            self.ended = True
            raise _EndTrial
        # Every provider of the design stands down.
        stand_down = self.env.now + self.providers[owner].stand_down_days
        for r, design in enumerate(self.designs):
            if design == self.designs[owner]:
                self.grounded_until[r] = max(self.grounded_until[r], stand_down)

    def ground(self, owner: int, *, launcher: bool = True) -> None:
        """A lognormal grounding of every provider on the owner's launcher (or, with
        ``launcher=False``, of the owner alone)."""
        provider = self.providers[owner]
        median = provider.grounding_median_days
        days = median * math.exp(provider.grounding_sigma * self.rng.gauss(0.0, 1.0)) if median > 0 else 0.0
        for r, name in enumerate(self.launchers):
            if r == owner or (launcher and name == self.launchers[owner]):
                self.grounded_until[r] = max(self.grounded_until[r], self.env.now + days)

    # --- vehicles --------------------------------------------------------------------------
    def dock(self, slot: int, docked_at: float, occupants: int) -> _Vehicle:
        vehicle = _Vehicle(slot, docked_at, occupants)
        self.vehicles[slot] = vehicle
        vehicle.clocks = [self.env.process(self.docked_life(vehicle)),
                          self.env.process(self.damage_clock(vehicle))]
        return vehicle

    def undock(self, vehicle: _Vehicle) -> None:
        self.vehicles[vehicle.slot] = None
        for clock in vehicle.clocks:
            if clock.is_alive and clock is not self.env.active_process:
                clock.interrupt()

    def free_seats(self, vehicle: _Vehicle) -> int:
        return self.providers[self.slot_owner[vehicle.slot]].seats - vehicle.occupants

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

    def go_home(self, vehicle: _Vehicle, failure: float, cause: str) -> None:
        """The vehicle's occupants ride home in it (a latent damage loses them)."""
        owner = self.slot_owner[vehicle.slot]
        persons = vehicle.occupants
        vehicle.occupants = 0
        if persons == 0:
            return
        if vehicle.latent:
            self.lose(owner, "undetected_damage", persons)
        elif self.rng.random() < failure:
            self.lose(owner, cause, persons)

    def docked_life(self, vehicle: _Vehicle):
        life = self.providers[self.slot_owner[vehicle.slot]].docked_life_days
        try:
            yield self.env.timeout(max(vehicle.docked_at + life - self.env.now, 0.0))
        except simpy.Interrupt:
            return
        if vehicle.damaged:  # already unfit: it leaves when its replacement arrives
            return
        self.account()
        if self.arch.policies.mixed_crews:
            self.move_to_partners(vehicle, vehicle.occupants)
        self.undock(vehicle)
        self.go_home(vehicle, self.providers[self.slot_owner[vehicle.slot]].nominal_return_failure, "nominal_return")

    def damage_clock(self, vehicle: _Vehicle):
        owner = self.slot_owner[vehicle.slot]
        rate = self.providers[owner].damage_rate_per_year / DAYS_PER_YEAR
        if rate <= 0:
            return
        try:
            yield self.env.timeout(self.rng.expovariate(rate))
        except simpy.Interrupt:
            return
        self.account()
        provider = self.providers[owner]
        if self.rng.random() < provider.undetected_damage_fraction:
            vehicle.latent = True
            return
        hit = [vehicle]
        if self.rng.random() < provider.common_cause_beta:
            design = self.designs[owner]
            for r, d in enumerate(self.designs):
                if d == design:
                    self.ground(r, launcher=False)
            hit += [v for v in self.vehicles if v is not None and v is not vehicle and not v.damaged
                    and self.designs[self.slot_owner[v.slot]] == design]
        for v in sorted(hit, key=lambda v: v.slot):  # equal-time clocks then run in slot order
            self.make_unfit(v)
        self.share_seats_with_damaged()
        if any(v is not None and v.damaged and v.occupants for v in self.vehicles):
            for r, p in enumerate(self.providers):
                if p.launch_on_need and not self.rescue_pending[r]:
                    self.rescue_pending[r] = True
                    self.rescues[r] = self.env.process(self.rescue(r))
                    break

    def make_unfit(self, vehicle: _Vehicle) -> None:
        vehicle.damaged = True
        vehicle.latent = False
        for clock in vehicle.clocks:
            if clock.is_alive and clock is not self.env.active_process:
                clock.interrupt()
        vehicle.clocks = [self.env.process(self.consumables(vehicle))]
        self.needs_replacement[vehicle.slot] = True
        self.campaigns[vehicle.slot].interrupt("damage")

    def consumables(self, vehicle: _Vehicle):
        limit = self.arch.station.seatless_limit_days
        if limit is None:
            return
        try:
            yield self.env.timeout(limit)
        except simpy.Interrupt:
            return
        if vehicle.occupants and self.vehicles[vehicle.slot] is vehicle:
            self.account()
            persons, vehicle.occupants = vehicle.occupants, 0
            self.lose(self.slot_owner[vehicle.slot], "stranded", persons)

    # --- launches ----------------------------------------------------------------------------
    def launch(self, owner: int, crew: int) -> bool:
        """One launch; True when it arrives. A failure grounds the provider."""
        provider = self.providers[owner]
        self.add("launches", 1)
        self.add("launches", 1, owner)
        self.add("cost_musd", provider.cost_per_launch_musd)
        self.add("cost_musd", provider.cost_per_launch_musd, owner)
        if crew:
            self.add("crewed_launches", 1)
            self.add("person_missions", crew)
            self.add("person_missions", crew, owner)
        if self.rng.random() < provider.ascent_failure:
            self.ground(owner)
            if crew and self.rng.random() >= provider.abort_success:
                self.lose(owner, "ascent", crew)
            return False
        return True

    def wait_until(self, due: float, owner: int):
        """Wait for ``due`` and for the provider's grounding (or stand-down) to end."""
        while True:
            due = max(due, self.grounded_until[owner])
            yield self.env.timeout(max(due - self.env.now, 0.0))
            if self.env.now >= self.grounded_until[owner]:
                return

    def campaign(self, slot: int):
        """The slot's flights: crewed rotations, or an uncrewed replacement after damage."""
        owner = self.slot_owner[slot]
        provider = self.providers[owner]
        due = provider.rotation_interval_days - self.slot_phase[slot]
        while True:
            try:
                if self.needs_replacement[slot]:
                    due = self.env.now + (provider.replacement_readiness_days + (provider.transit_days or 0.0))
                    while True:
                        yield from self.wait_until(due, owner)
                        self.account()
                        if self.launch(owner, 0):
                            break
                    old = self.vehicles[slot]
                    self.needs_replacement[slot] = False
                    occupants = 0
                    if old is not None:
                        occupants = old.occupants
                        old.occupants = 0
                        self.undock(old)  # the unfit vehicle leaves empty
                    self.dock(slot, self.env.now, occupants)
                else:
                    self.wake[slot] = self.env.event()
                    target = due
                    while True:
                        target = max(target, self.grounded_until[owner])
                        timeout = self.env.timeout(max(target - self.env.now, 0.0))
                        fired = yield timeout | self.wake[slot]
                        if self.wake[slot] in fired:  # a medical return: fly sooner
                            self.wake[slot] = self.env.event()
                            target = min(target, self.early_due[slot])
                            continue
                        if self.env.now >= self.grounded_until[owner]:
                            break
                    self.wake[slot] = None
                    self.account()
                    if not self.launch(owner, provider.crew_per_flight):
                        due = self.env.now
                        continue
                    old = self.vehicles[slot]
                    if old is not None:
                        self.undock(old)
                        self.go_home(old, provider.nominal_return_failure, "nominal_return")
                    self.dock(slot, self.env.now, provider.crew_per_flight)
                self.share_seats_with_damaged()
                due = self.env.now + provider.rotation_interval_days
            except simpy.Interrupt:
                self.wake[slot] = None
                continue  # damage: switch to the uncrewed replacement

    def rescue(self, owner: int):
        """A launch-on-need rescue: an uncrewed vehicle takes waiting crew straight home."""
        try:
            yield from self.rescue_flights(owner)
        except simpy.Interrupt:
            pass  # the station was evacuated
        self.rescue_pending[owner] = False

    def rescue_flights(self, owner: int):
        provider = self.providers[owner]
        due = self.env.now + (provider.rescue_readiness_days + (provider.transit_days or 0.0))
        while True:
            yield from self.wait_until(due, owner)
            self.account()
            waiting = [v for v in self.vehicles if v is not None and v.damaged and v.occupants]
            if not waiting:
                break
            self.add("launches", 1)
            self.add("launches", 1, owner)
            self.add("cost_musd", provider.cost_per_launch_musd)
            self.add("cost_musd", provider.cost_per_launch_musd, owner)
            if self.rng.random() < provider.ascent_failure:
                self.ground(owner)
                due = self.env.now
                continue
            self.add("rescue_flights", 1)
            seats, boarded = provider.rescue_seats, 0
            for v in waiting:
                k = min(v.occupants, seats - boarded)
                v.occupants -= k
                boarded += k
            more = any(v.occupants for v in waiting)
            if self.rng.random() < provider.nominal_return_failure:
                self.lose(owner, "nominal_return", boarded)
            if not more:
                break
            due = self.env.now + (provider.rescue_readiness_days + (provider.transit_days or 0.0))

    # --- hazards -----------------------------------------------------------------------------
    def hazard(self, rate_per_year: float, p_evacuation: float):
        if rate_per_year <= 0:
            return
        while True:
            yield self.env.timeout(self.rng.expovariate(rate_per_year / DAYS_PER_YEAR))
            if self.rng.random() >= p_evacuation:
                continue
            if sum(v.occupants for v in self.vehicles if v is not None) == 0:
                continue
            self.account()
            self.add("evacuations", 1)
            for vehicle in list(self.vehicles):
                if vehicle is None:
                    continue
                owner = self.slot_owner[vehicle.slot]
                self.undock(vehicle)
                if vehicle.damaged and vehicle.occupants:
                    persons, vehicle.occupants = vehicle.occupants, 0
                    self.lose(owner, "no_seat", persons)
                elif not vehicle.damaged:
                    self.go_home(vehicle, self.providers[owner].emergency_return_failure, "emergency_return")
                if self.needs_replacement[vehicle.slot]:
                    self.needs_replacement[vehicle.slot] = False
                    self.campaigns[vehicle.slot].interrupt("evacuated")
            for process in self.rescues:
                if process is not None and process.is_alive:
                    process.interrupt("evacuated")

    def medical(self):
        """Each person aboard falls ill at the per-person rate (a Poisson process per person,
        superposed: the rate is re-read at every event, since the crew aboard changes)."""
        rate = self.arch.station.medical_evacuation_rate_per_person_year / DAYS_PER_YEAR
        if rate <= 0:
            return
        full = self.arch.station.crew_size
        while True:
            yield self.env.timeout(self.rng.expovariate(rate * full))
            aboard = [(v, v.occupants) for v in self.vehicles if v is not None and v.occupants]
            crew = sum(n for _, n in aboard)
            if self.rng.random() * full >= crew:
                continue
            pick = self.rng.random() * crew
            vehicle = aboard[-1][0]
            for candidate, n in aboard:
                if pick < n:
                    vehicle = candidate
                    break
                pick -= n
            if vehicle.damaged:
                continue
            self.account()
            self.add("medical_evacuations", 1)
            slot = vehicle.slot
            owner = self.slot_owner[slot]
            self.undock(vehicle)
            self.go_home(vehicle, self.providers[owner].emergency_return_failure, "medical_return")
            owner_p = self.providers[owner]
            self.early_due[slot] = self.env.now + (owner_p.replacement_readiness_days
                                                   + (owner_p.transit_days or 0.0))
            if self.wake[slot] is not None and not self.wake[slot].triggered:
                self.wake[slot].succeed()

    # --- the trial ---------------------------------------------------------------------------
    def run(self) -> np.ndarray:
        self.early_due = [math.inf] * len(self.slot_owner)
        for slot, owner in enumerate(self.slot_owner):
            crew = self.providers[owner].crew_per_flight
            self.dock(slot, -self.slot_phase[slot], crew)
            self.add("person_missions", crew)
            self.add("person_missions", crew, owner)
        self.campaigns = [self.env.process(self.campaign(s)) for s in range(len(self.slot_owner))]
        for h in self.arch.hazards.values():
            self.env.process(self.hazard(h.rate_per_year, h.evacuation_probability))
        self.env.process(self.medical())
        # Events falling exactly on the horizon are not run (SimPy stops before them).
        try:
            self.env.run(until=self.horizon)
            self.account()
        except _EndTrial:
            self.account()
        if self.row[kernel.COL["loss_events"]] > 0:
            self.row[kernel.COL["loc"]] = 1.0
        return self.row


def run_reference(architecture: Architecture, *, trials: int, seed: int) -> RiskResult:
    """Simulate ``trials`` trials with SimPy and summarise them like the fast engine."""
    rng = random.Random(seed)
    start = time.perf_counter()
    rows = np.array([_Trial(architecture, rng).run() for _ in range(trials)])
    elapsed = time.perf_counter() - start
    return summarize(architecture, kernel_input(architecture), batch_sums(rows, max(1, trials // 512)),
                     seed=seed, trials_per_s=trials / elapsed, workers=1)
