"""The orbital and cabin services the rescue planner and the replays call, behind one small
interface (:class:`Services`), and the small result types they exchange with the planner.

Tests and replays may pass a subclass of :class:`Services` with fixed answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from lifeboat.catalog import Catalog
from lifeboat.errors import InputError
from lifeboat.timeutil import days_between

# How far ahead the planner looks for launch opportunities and landings, days.
LAUNCH_SEARCH_DAYS = 3.0
LANDING_SEARCH_DAYS = 5.0
# Lunar stations: departures scanned over one orbit period for returns, arrivals for transfers.
LUNAR_RETURN_DEPARTURES = 48
LUNAR_TRANSFER_ARRIVALS = 24


@dataclass(frozen=True)
class TimelineStep:
    """One step of an option's timeline (UTC)."""

    label: str
    start_utc: datetime
    end_utc: datetime


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
    """A return from lunar orbit: undocking (= trans-Earth departure burn) to the entry
    interface (``landing_utc``; splashdown follows within the hour), from the computed trade."""

    undock_utc: datetime
    burn_utc: datetime
    landing_utc: datetime
    zone: str
    daylight: bool | None
    departure_dv_km_s: float
    phase_deg: float


def _shifted(evac, decision_utc: datetime):
    """``evac`` (a :class:`lifeboat.cislunar.service.LunarEvacuation` for an orbit periodic in the
    rotating frame) for a new decision time: each departure of its trade moved by
    whole orbit periods to its first passage at or after the decision."""
    import dataclasses
    import math

    period = evac.orbit_period_days
    trade = []
    for t in evac.trade:
        k = math.ceil(days_between(t.departure_utc, decision_utc) / period - 1e-12)
        shift = timedelta(days=k * period)
        trade.append(dataclasses.replace(t, departure_utc=t.departure_utc + shift,
                                         entry_utc=t.entry_utc + shift,
                                         wait_days=days_between(decision_utc, t.departure_utc + shift)))
    trade.sort(key=lambda t: t.departure_utc)
    return dataclasses.replace(evac, decision_utc=decision_utc, trade=trade)


class Services:
    """The orbital and cabin services the planner uses, behind one small interface.

    Tests and replays may pass a subclass; the default calls :mod:`lifeboat.orbits` and
    :mod:`lifeboat.cabin`.
    """

    def __init__(self, catalog: Catalog, *, isolation_method: str = "greedy",
                 lunar_flyby: bool = True):
        self.catalog = catalog
        # Lunar stations: the capability verdicts include the powered-lunar-flyby legs (two
        # solves of a second or more, once per orbit and process); ``False`` keeps direct legs
        # only. The planner's own transfers and returns are direct single-burn legs.
        self.lunar_flyby = lunar_flyby
        self._lunar_scenario = None
        self._lunar_onset: datetime | None = None
        self._lunar: dict = {}
        # The greedy hatch-closure plan: within 4 % of the optimal (dynamic-programming) expected
        # search time on the ISS 2018-12 network (5.20 h vs 5.04 h) at 1/250 of its cost, which
        # keeps ``lifeboat assess`` within its 10 s budget.
        self.isolation_method = isolation_method
        self._leak_cache: dict = {}
        self._landings: dict = {}
        self._reach: dict = {}
        self._orbits: dict = {}

    def orbit(self, scenario, at_utc: datetime):
        """The station's orbit for the launch and landing services (None in lunar orbit)."""
        from lifeboat.orbits.station import StationOrbit

        if self.is_lunar(scenario):
            # The lunar services below serve this scenario; its trade is computed from this time.
            self._lunar_scenario, self._lunar_onset = scenario, at_utc
            return None
        # One object per scenario and time, so the landing searches cached per orbit are shared
        # by the assessment and the planner.
        key = (scenario.model_dump_json(), at_utc)
        if key not in self._orbits:
            self._orbits[key] = StationOrbit.for_scenario(scenario, reference_utc=at_utc)
        return self._orbits[key]

    def reachability(self, orbit, start_utc: datetime):
        """The reachability matrix of the station's orbit from every catalog site and crew vehicle
        over :data:`LAUNCH_SEARCH_DAYS` (:func:`lifeboat.orbits.reach.reachability`), cached."""
        from lifeboat.orbits.reach import reachability

        key = (id(orbit), start_utc)
        if key not in self._reach:
            self._reach[key] = reachability(orbit, start_utc=start_utc, days=LAUNCH_SEARCH_DAYS)
        return self._reach[key]

    def site_reach(self, orbit, start_utc: datetime) -> dict | None:
        """Per catalog site, whether the station's plane can be reached (None in lunar orbit)."""
        if orbit is None:
            return None
        return {s.site: s for s in self.reachability(orbit, start_utc).sites}

    def is_lunar(self, scenario) -> bool:
        return self.catalog.station(scenario.station.id).regime in ("nrho", "lunar")

    def lunar_evacuation(self, scenario, decision_utc: datetime):
        """The computed lunar return trade and every catalog vehicle's capability verdict
        (:func:`lifeboat.cislunar.service.lunar_evacuation`) for the scenario's station orbit
        and phase (its ``[station.lunar_orbit]``, else the catalog's), cached. The verdicts do not
        depend on the time; the trade is computed once per scenario for an orbit periodic in the
        Earth–Moon frame (NRHO, DRO) and shifted by whole periods to later times (exact in the
        CR3BP), else solved again for each time. With the phase unknown the times assume a
        perilune at the onset given to :meth:`orbit` (else the first decision asked,
        :meth:`lunar_perilune`); the ranges over the phase are those from that time."""
        from lifeboat.cislunar.service import lunar_evacuation, station_orbit

        json = scenario.model_dump_json()
        base = self._lunar.get(("evac", json))
        if base is not None:
            orbit, _ = station_orbit(scenario.station.id, catalog=self.catalog,
                                     orbit=scenario.station.lunar_orbit)
            if orbit.periodic_in_rotating_frame:
                return _shifted(base, decision_utc)
        if base is None and self._lunar_onset is not None and self._lunar_onset < decision_utc:
            self.lunar_evacuation(scenario, self._lunar_onset)  # the base trade from the onset
            return self.lunar_evacuation(scenario, decision_utc)
        key = ("evac", json, decision_utc)
        if key not in self._lunar:
            self._lunar[key] = lunar_evacuation(
                scenario.station.id, decision_utc, catalog=self.catalog,
                orbit=scenario.station.lunar_orbit, n=LUNAR_RETURN_DEPARTURES,
                flyby=self.lunar_flyby,
                perilune_epoch=None if base is None else self.lunar_perilune(scenario))
            if base is None:
                self._lunar[("evac", json)] = self._lunar[key]
        return self._lunar[key]

    def lunar_perilune(self, scenario) -> datetime:
        """The perilune passage the lunar times use: the station's, or with its phase unknown a
        nominal one at the base trade's decision (the onset)."""
        base = self._lunar[("evac", scenario.model_dump_json())]
        return base.perilune_utc or base.decision_utc

    def cislunar_access(self, scenario, vehicle_id: str, start_utc: datetime):
        """The vehicle's physics capability at the scenario's lunar station
        (:class:`lifeboat.cislunar.service.Capability`; None for a LEO station)."""
        if not self.is_lunar(scenario):
            return None
        evac = self.lunar_evacuation(scenario, start_utc)
        return next(r.capability for r in evac.vehicles if r.capability.vehicle == vehicle_id)

    def lunar_transfer(self, scenario, vehicle_id: str, site_id: str, start_utc: datetime):
        """The earliest direct transfer from ``site_id`` to the scenario's lunar station launching
        at or after ``start_utc`` (:func:`lifeboat.cislunar.service.lunar_transfer`), cached. With
        the station's phase unknown, the nominal perilune of :meth:`lunar_perilune` (noted)."""
        from lifeboat.cislunar.service import lunar_transfer

        key = ("transfer", scenario.model_dump_json(), vehicle_id, site_id, start_utc)
        if key not in self._lunar:
            evac = self.lunar_evacuation(scenario, start_utc)
            result = lunar_transfer(
                scenario.station.id, site_id, vehicle_id, start_utc,
                perilune_epoch=self.lunar_perilune(scenario), n=LUNAR_TRANSFER_ARRIVALS,
                catalog=self.catalog, orbit=scenario.station.lunar_orbit, flyby=self.lunar_flyby,
                flyby_transfers=False)
            if not evac.phase_known:
                result.notes.append("station phase unknown: a nominal perilune passage at the "
                                    "onset is assumed; the arrival can move by up to one orbit "
                                    f"period ({evac.orbit_period_days:.2f} d)")
            self._lunar[key] = result
        return self._lunar[key]

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
        """Plan the search (prior by volume over the open segment holding ``module``, as
        ``lifeboat leak isolate`` does: a module already closed off, such as the Zvezda PrK behind
        its hatch, is searched within its own segment) and carry it out with the hole there."""
        from lifeboat.cabin.isolate import default_prior, plan_isolation, simulate_isolation
        from lifeboat.cabin.leak import hole_area_m2, resolve_module

        area_m2 = hole_area_m2(hole_mm) if hole_mm is not None else hole_area_mm2 * 1e-6
        module = resolve_module(network, module, source="emergency.module")
        segment = network.segment(network.largest_segment_module())
        if module not in segment:
            segment = network.segment(module)
        plan = plan_isolation(network, default_prior(network, segment), cd * area_m2, method=method)
        return simulate_isolation(network, plan, module, wake_delay_h=wake_delay_h)

    def first_launch(self, vehicle_id: str, sites: list[str], orbit, start: datetime):
        """The earliest docking over the vehicle's sites: (site, opportunity, fastest scheme), or
        None. Raises :class:`InputError` when the orbit cannot be predicted at ``start``."""
        from lifeboat.orbits.windows import launch_opportunities

        if orbit is None:
            return self.lunar_arrival(vehicle_id, start)
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
            return self.lunar_return(vehicle_id, undock_utc)
        opportunities = self.landings(vehicle_id, orbit, undock_utc)
        return opportunities[0] if opportunities else None

    def lunar_arrival(self, vehicle_id: str, start: datetime):
        """A launch to the station in lunar orbit: the earliest computed direct transfer over the
        vehicle's launch sites whose insertion fits its Δv with the cheapest return in reserve."""
        scenario = self._lunar_scenario
        best = None
        for site in self.catalog.vehicle(vehicle_id).sites:
            t = self.lunar_transfer(scenario, vehicle_id, site, start)
            if t.arrival_utc is not None and (best is None or t.arrival_utc < best[1].arrival_utc):
                best = (site, t)
        if best is None:
            return None
        site, t = best
        hours = days_between(t.launch_utc, t.arrival_utc) * 24.0
        scheme = SchemeChoice(f"direct transfer, insertion {t.insertion_dv_km_s:.3f} km/s", t.arrival_utc,
                              hours)
        return site, CislunarLaunch(t.launch_utc), scheme

    def lunar_return(self, vehicle_id: str, undock_utc: datetime, budget_km_s: float | None = None):
        """A return from lunar orbit for a vehicle docked at the station, crew aboard at
        ``undock_utc``: the first departure of the computed trade whose burn fits the Δv left
        (``budget_km_s``; default: its catalog Δv less the cheapest insertion, the way it is
        assumed to have arrived), to the entry interface; None when none fits."""
        evac = self.lunar_evacuation(self._lunar_scenario, undock_utc)
        cap = next(r.capability for r in evac.vehicles if r.capability.vehicle == vehicle_id)
        if not cap.can_return_crew:
            return None
        left = self.lunar_dv_left(vehicle_id, undock_utc) if budget_km_s is None else budget_km_s
        ok = [t for t in evac.trade if t.converged and t.departure_dv_km_s <= left]
        if not ok:
            return None
        first = min(ok, key=lambda t: t.departure_utc)
        if first is evac.trade[0] and first.departure_utc > undock_utc:
            # The trade's grid starts after the crew is ready: solve the departure at readiness.
            from lifeboat.cislunar.returns import scan_returns
            from lifeboat.cislunar.service import station_orbit

            orbit, _ = station_orbit(self._lunar_scenario.station.id, catalog=self.catalog,
                                     orbit=self._lunar_scenario.station.lunar_orbit)
            now = scan_returns(orbit, self.lunar_perilune(self._lunar_scenario), undock_utc, n=2,
                               span_days=0.01)[0]
            if now.converged and now.departure_dv_km_s <= left:
                first = now
        vehicle = self.catalog.vehicle(vehicle_id)
        return CislunarReturn(undock_utc=first.departure_utc, burn_utc=first.departure_utc,
                              landing_utc=first.entry_utc,
                              zone=f"{vehicle.recovery_zones[0] if vehicle.recovery_zones else 'Earth'}"
                                   " (planned zone, not targeted; time at the entry interface)",
                              daylight=None, departure_dv_km_s=first.departure_dv_km_s,
                              phase_deg=first.phase_deg)

    def lunar_dv_left(self, vehicle_id: str, at_utc: datetime) -> float | None:
        """Δv (km/s) a vehicle docked at the lunar station holds for the return: its catalog Δv
        after trans-lunar injection less the cheapest computed insertion (an assumption: the
        scenario does not say how it arrived)."""
        evac = self.lunar_evacuation(self._lunar_scenario, at_utc)
        cap = next(r.capability for r in evac.vehicles if r.capability.vehicle == vehicle_id)
        if cap.delta_v_km_s is None:
            return None
        return cap.delta_v_km_s - evac.requirements.cheapest_insertion()[0]

    def lunar_no_return(self, vehicle_id: str, undock_utc: datetime) -> str:
        """Why a vehicle docked at the lunar station has no return after ``undock_utc``."""
        evac = self.lunar_evacuation(self._lunar_scenario, undock_utc)
        cap = next(r.capability for r in evac.vehicles if r.capability.vehicle == vehicle_id)
        if not cap.can_return_crew:
            return f"{vehicle_id} cannot return a crew from {evac.orbit}: " + "; ".join(cap.reasons)
        return (f"{vehicle_id} holds {self.lunar_dv_left(vehicle_id, undock_utc):.3f} km/s after its insertion: "
                "no direct return in the trade fits it (a powered-lunar-flyby return may: "
                "`lifeboat lunar return --flyby`)")

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
