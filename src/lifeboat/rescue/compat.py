"""Can a fleet vehicle serve this station at all? Physics (docking system, plane change, cislunar
capability), certification by the station's operator, and policy (agreements), each with its
reason, from the catalog's compatibility records (``catalog/data/compatibility.toml``) and the
scenario's own declarations for hypothetical partners.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from lifeboat.catalog import Catalog, load_compatibility


@dataclass
class PartnerCheck:
    """One fleet vehicle against the station: each test's reason (None when it passes)."""

    provider: str
    vehicle: str
    vehicle_name: str
    own_vehicle: bool  # one of the station operator's vehicles (catalog station.vehicles)
    docking: str | None
    docking_ports: list[str]  # ports of the configuration with a matching docking system
    port_occupants: dict[str, str]  # of those, the ports a docked vehicle holds at the onset
    adapter: str | None
    reach: str | None
    cislunar: str | None
    certification: str | None
    policy: str | None
    declared: list[str] = field(default_factory=list)  # scenario declarations used
    physics_ok: bool = field(init=False)  # docking, reach and cislunar capability all pass
    policy_ok: bool = field(init=False)
    feasible: bool = field(init=False)  # physics, certification and policy all pass
    reasons: list[str] = field(init=False)  # each failed test, "physics: ...", "policy: ..."

    def __post_init__(self) -> None:
        physics = [r for r in (self.docking, self.reach, self.cislunar) if r]
        self.physics_ok = not physics
        self.policy_ok = self.policy is None
        self.feasible = self.physics_ok and self.certification is None and self.policy_ok
        self.reasons = [f"physics: {r}" for r in physics]
        if self.certification:
            self.reasons.append(f"certification: {self.certification}")
        if self.policy:
            self.reasons.append(f"policy: {self.policy}")


def _configuration(scenario, station):
    configs = {c.id: c for c in station.configurations}
    if scenario.station.configuration is not None:
        return configs.get(scenario.station.configuration)
    return next(iter(configs.values()), None)


def occupants(scenario, ports: list[str], port_systems: dict, compat) -> dict[str, str]:
    """Which docked vehicle holds which port at the onset: the scenario's ``port`` where given,
    else the first free port whose docking system the vehicle carries (in the configuration's
    order)."""
    held: dict[str, str] = {d.port: d.id for d in scenario.docked if d.port}
    for d in scenario.docked:
        if d.port:
            continue
        systems = next((v.systems for v in compat.vehicle if v.vehicle == d.vehicle), [])
        port = next((p for p in ports if p not in held
                     and set(port_systems.get(p, ([], ""))[0]) & set(systems)), None)
        if port is not None:
            held[port] = d.id
    return held


def check_partner(scenario, fleet, cat: Catalog, onset: datetime, *, site_reach=None,
                  cislunar_access=None) -> PartnerCheck:
    """Check ``fleet`` (a :class:`~lifeboat.model.scenario.FleetState`) against the scenario's
    station. ``site_reach`` maps site id -> :class:`lifeboat.orbits.reach.SiteReach` (LEO);
    ``cislunar_access`` is the vehicle's physics verdict at a lunar station
    (:class:`lifeboat.cislunar.service.Capability`: computed transfers against its Δv after
    trans-lunar injection, endurance, entry-speed limit and launcher)."""
    compat = load_compatibility()
    declared = scenario.compatibility
    station = cat.station(scenario.station.id)
    vehicle = cat.vehicle(fleet.vehicle)
    used: list[str] = []

    # Docking: the vehicle's systems against the ports of the scenario's configuration.
    systems = next((v.systems for v in compat.vehicle if v.vehicle == vehicle.id), None)
    if declared is not None:
        for d in declared.vehicles:
            if d.vehicle == vehicle.id:
                systems = d.systems
                used.append(f"{vehicle.id} docking systems: {d.note}")
    config = _configuration(scenario, station)
    ports = list(config.docking_ports) if config is not None else []
    port_systems: dict[str, tuple[list[str], str]] = {}
    for p in compat.port:
        if p.station == station.id:
            for port in p.ports:
                port_systems[port] = (p.systems, p.adapter)
    if declared is not None:
        for d in declared.ports:
            for port in d.ports:
                port_systems[port] = (d.systems, d.adapter or d.note)
            used.append(f"ports {', '.join(d.ports)}: {d.note}")
    docking = None
    matching: list[str] = []
    adapter = None
    if systems is None:
        docking = f"no docking-system record for {vehicle.name}"
    else:
        for port in ports:
            offered, via = port_systems.get(port, ([], ""))
            if set(offered) & set(systems):
                matching.append(port)
                adapter = adapter or (via or None)
        if not matching:
            offered = sorted({s for port in ports for s in port_systems.get(port, ([], ""))[0]})
            docking = (f"{vehicle.name} docks with {', '.join(systems)}; the ports of {station.name} "
                       f"offer {', '.join(offered) or 'no recorded system'}")

    # Reach: the station's plane from the vehicle's sites (LEO), or the cislunar capability.
    reach = None
    if site_reach is not None:
        rows = [site_reach[s] for s in vehicle.sites if s in site_reach]
        if rows and not any(r.reachable for r in rows):
            reach = "; ".join(
                f"{r.site}: {r.reason}" + (f" (plane change {r.plane_change_delta_v_m_s:.0f} m/s)"
                                           if r.plane_change_delta_v_m_s and "m/s" not in (r.reason or "")
                                           else "")
                for r in rows)
    cislunar = None
    if cislunar_access is not None and not cislunar_access.can_reach_and_return:
        cislunar = "; ".join(cislunar_access.reasons) or "cannot reach the station in lunar orbit"

    # Certification by the station's operator.
    certification = None
    record = next((c for c in compat.certification
                   if c.station == station.id and c.vehicle == vehicle.id), None)
    certified = None
    if record is not None:
        certified = record.certified and (record.since_utc is None or record.since_utc <= onset)
        if record.certified and not certified:
            certification = f"certified for {station.name} only from {record.since_utc:%Y-%m-%d}"
    if declared is not None:
        for d in declared.certifications:
            if d.vehicle == vehicle.id:
                certified, certification = d.certified, None
                used.append(f"{vehicle.id} certification: {d.note}")
    if certified is None and vehicle.id in station.vehicles:
        certified = True  # the catalog lists it among the vehicles that serve the station
    if certified is None:
        certification = f"no record that {vehicle.name} is certified to carry crew at {station.name}"
    elif not certified and certification is None:
        certification = f"{vehicle.name} is not certified to carry crew at {station.name}"

    # Policy: an agreement (or a law) between the station and the vehicle's provider.
    policy = None
    agreement = next((a for a in compat.agreement
                      if a.station == station.id and a.provider == fleet.provider
                      and (a.since_utc is None or a.since_utc <= onset)), None)
    allowed = None if agreement is None else agreement.allowed
    if declared is not None:
        for d in declared.agreements:
            if d.provider == fleet.provider:
                allowed = d.allowed
                used.append(f"{fleet.provider} agreement: {d.note}")
                agreement = None
    if allowed is None:
        policy = f"no agreement on record between {fleet.provider} and {station.name}"
    elif not allowed:
        policy = (f"barred: {agreement.title}" if agreement is not None
                  else f"the scenario bars {fleet.provider} from {station.name}")
    return PartnerCheck(
        provider=fleet.provider, vehicle=vehicle.id, vehicle_name=vehicle.name,
        own_vehicle=vehicle.id in station.vehicles, docking=docking, docking_ports=matching,
        port_occupants={p: d for p, d in occupants(scenario, ports, port_systems, compat).items()
                        if p in matching},
        adapter=adapter, reach=reach, cislunar=cislunar, certification=certification, policy=policy,
        declared=used)
