"""The Gateway on its 9:2 NRHO, tied to the real Moon, and crew access to and from it.

Placing the Gateway (``gateway_state``)
---------------------------------------
* Orbit: the 9:2 L2-south CR3BP member from :func:`lifeboat.cislunar.halo.solve_nrho`.
* Phase convention: the Gateway passes perilune at ``reference_perilune_utc`` (default
  ``DEFAULT_REFERENCE_PERILUNE_UTC``, an assumption: no public Gateway ephemeris exists) and every
  period P after it. Dimensional time maps to CR3BP time through T*.
* Frame: at each epoch the rotating frame is tied to the real Earth–Moon line from DE421
  (skyfield-data, no download): x̂ along the geocentric Moon vector r_M, ẑ along r_M × v_M,
  ŷ = ẑ × x̂. A barycentric rotating state ρ (nondimensional) goes to Earth-centred inertial
  (ICRF axes, km) as r = μ r_M + d R ρ, with d = |r_M| the instantaneous distance (pulsating
  scale), and v = μ v_M + Ω × (d R ρ) + ḋ R ρ + (d / T*) R ρ', the time derivative of that
  map: Ω is the frame's angular velocity (|r_M × v_M| / d² about ẑ, plus the small turn of the
  Moon's orbit plane about x̂ from the DE421 acceleration) and ρ' the CR3BP velocity (the phase
  clock runs on T*, so dρ/dt = ρ' / T*).

Access (``gateway_access``) – rules, documented simplifications
---------------------------------------------------------------
* **Reachability**: the vehicle must be ``cislunar_capable`` in the catalog (vehicle and its
  launch stack), carry Δv ≥ NRHO insertion + departure, and have free-flight endurance for the
  shortest round trip (outbound + return). The catalog has no launcher TLI capability, so the
  launcher check is the catalog's ``cislunar_capable`` flag.
* **Outbound**: launch no earlier than decision + ``launch_readiness_days``; one TLI
  opportunity per day (a simplification: real windows depend on the Moon's declination and the
  pad); the outbound coast can be stretched between ``outbound_min_days`` and
  ``outbound_max_days`` so that NRHO insertion falls on a Gateway perilune passage (insertion
  near perilune, where the vehicle passes the Moon); docking ``rendezvous_days`` later.
* **Return from the Gateway**: depart at the first perilune passage at least
  ``crew_transfer_days`` after arrival (departure burn near perilune), then ``return_days``
  to Earth.
* **Return from the surface**: the lander can only meet the Gateway near perilune. Ascent is
  ready at decision + ``ascent_ready_days``; the lander docks at the first perilune passage at
  least ``ascent_days`` after that; the crew moves to the docked return vehicle
  (``crew_transfer_days``) and departs at the next eligible perilune.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import cache

import numpy as np

from lifeboat.cislunar import physics as phy
from lifeboat.cislunar.halo import PeriodicOrbit, solve_nrho
from lifeboat.ephemeris import de421, timescale
from lifeboat.timeutil import as_utc, days_between, parse_utc

DEFAULT_REFERENCE_PERILUNE_UTC = "2027-01-01T00:00:00Z"

@dataclass(frozen=True)
class TransferProfile:
    """Earth ↔ NRHO transfer characteristics of a crew vehicle (days, km/s), with sources."""

    outbound_min_days: float = 4.0
    outbound_max_days: float = 6.0
    return_days: float = 5.0
    insertion_dv_km_s: float = 0.829
    departure_dv_km_s: float = 0.421
    launch_readiness_days: float = 0.0
    rendezvous_days: float = 0.5
    crew_transfer_days: float = 0.5
    ascent_ready_days: float = 0.5
    ascent_days: float = 0.5
    sources: tuple[str, ...] = (
        "outbound ~5 d from LEO, 5.33 d impulsive; return ~5 d; capture Δv 0.829 km/s: New "
        "Papyrus 'Cis-Lunar Gateways and the Advantages of Near Rectilinear Orbits' (2018), "
        "https://newpapyrusmagazine.blogspot.com/2018/06/?m=1 (Low-Medium)",
        "outbound 4 d lower bound: Artemis II outbound ~4 d (WION, https://www.wionews.com/photos/nasa-artemis-2-to-the-moon-from-launch-to-return-here-s-how-the-mission-will-unfold-1758781816992) (Medium)",
        "outbound upper bound 6 d: assumption (5.33 d impulsive transfer plus margin)",
        "departure Δv 0.421 km/s: derived (Low) = ~1.25 km/s Orion budget said to cover NRHO "
        "entry and exit (forum.hardware.fr relaying NASA) − 0.829 km/s insertion",
        "NRHO ↔ low lunar orbit ~12 h (New Papyrus) → ascent 0.5 d",
        "launch readiness 0 d (vehicle stacked and ready), rendezvous 0.5 d, crew transfer "
        "0.5 d, ascent readiness 0.5 d: assumptions",
    )


@dataclass(frozen=True)
class GatewayAccess:
    """Earliest access to and from the Gateway for one vehicle after a decision (UTC)."""

    vehicle: str
    decision_utc: datetime
    reachable: bool
    reasons: list[str]
    launch_utc: datetime | None
    arrival_utc: datetime | None
    outbound_days: float | None
    outbound_dv_km_s: float
    return_departure_utc: datetime | None
    return_utc: datetime | None
    return_days: float
    return_dv_km_s: float
    round_trip_dv_km_s: float
    vehicle_dv_km_s: float | None
    mission_days: float | None
    free_flight_days: float | None
    gateway_phase_at_arrival: float | None  # fraction of the period since perilune, 0..1
    gateway_days_since_perilune_at_arrival: float | None
    docked_departure_utc: datetime | None
    docked_return_utc: datetime | None
    surface_rendezvous_utc: datetime | None
    surface_return_utc: datetime | None
    nrho_period_days: float
    reference_perilune_utc: datetime
    transfer: TransferProfile
    notes: list[str] = field(default_factory=list)


# --- the Gateway in space ----------------------------------------------------------------------


def _ephemeris():
    eph = de421()
    return timescale(), eph["earth"], eph["moon"]


def moon_geocentric(epoch_utc: datetime) -> tuple[np.ndarray, np.ndarray]:
    """Geocentric Moon position (km) and velocity (km/s), ICRF axes, from DE421."""
    ts, earth, moon = _ephemeris()
    t = ts.from_datetime(as_utc(epoch_utc))
    rel = (moon - earth).at(t)
    return np.array(rel.position.km), np.array(rel.velocity.km_per_s)


def moon_acceleration(epoch_utc: datetime, step_s: float = 60.0) -> np.ndarray:
    """Geocentric Moon acceleration (km/s²) from DE421, by a central difference of velocity."""
    dt = timedelta(seconds=step_s)
    _, v_plus = moon_geocentric(epoch_utc + dt)
    _, v_minus = moon_geocentric(epoch_utc - dt)
    return (v_plus - v_minus) / (2.0 * step_s)


def rotating_to_eci(state_nd: np.ndarray, r_moon_km: np.ndarray, v_moon_km_s: np.ndarray,
                    a_moon_km_s2: np.ndarray | None = None, *, mu: float = phy.MU,
                    time_unit_s: float = phy.TIME_UNIT_S) -> tuple[np.ndarray, np.ndarray]:
    """Barycentric rotating nondimensional state → Earth-centred inertial (km, km/s), using the
    instantaneous Earth–Moon distance and angular rate (see module docstring). With the Moon's
    acceleration the frame's rotation about x̂ (the Moon's orbit plane turning, ~1e-8 rad/s) is
    included; without it the frame turns about ẑ only."""
    d = float(np.linalg.norm(r_moon_km))
    h = np.cross(r_moon_km, v_moon_km_s)
    h_norm = float(np.linalg.norm(h))
    x_hat = r_moon_km / d
    z_hat = h / h_norm
    y_hat = np.cross(z_hat, x_hat)
    rot = np.column_stack([x_hat, y_hat, z_hat])
    omega = h_norm / d**2  # rad/s about ẑ
    spin = omega * z_hat
    if a_moon_km_s2 is not None:
        h_dot = np.cross(r_moon_km, a_moon_km_s2)
        z_dot = (h_dot - z_hat * np.dot(z_hat, h_dot)) / h_norm
        spin = spin - np.dot(z_dot, y_hat) * x_hat  # ż = Ω × ẑ ⇒ Ω_x = −ż·ŷ
    d_dot = float(np.dot(r_moon_km, v_moon_km_s)) / d
    rho = np.asarray(state_nd[:3], dtype=float)
    rho_dot = np.asarray(state_nd[3:6], dtype=float)
    rel = d * (rot @ rho)
    r = mu * r_moon_km + rel
    v = mu * v_moon_km_s + np.cross(spin, rel) + d_dot * (rot @ rho) + (
        d / time_unit_s
    ) * (rot @ rho_dot)
    return r, v


@cache
def gateway_orbit() -> PeriodicOrbit:
    """The Gateway's CR3BP orbit: the 9:2 L2-south NRHO."""
    return solve_nrho("l2-south", resonance="9:2")


def gateway_phase(epoch_utc: datetime, reference_perilune_utc=DEFAULT_REFERENCE_PERILUNE_UTC) -> float:
    """Fraction of the NRHO period elapsed since the last perilune passage (0 ≤ f < 1)."""
    ref = parse_utc(reference_perilune_utc, source="--perilune-epoch")
    period = gateway_orbit().period_days
    return (days_between(ref, epoch_utc) / period) % 1.0


def gateway_state(epoch_utc, reference_perilune_utc=DEFAULT_REFERENCE_PERILUNE_UTC):
    """Gateway position (km) and velocity (km/s), Earth-centred inertial (ICRF axes), at
    ``epoch_utc`` (aware datetime or ISO 8601 text)."""
    epoch = parse_utc(epoch_utc, source="epoch")
    orbit = gateway_orbit()
    phase = gateway_phase(epoch, reference_perilune_utc)
    # state0 is at apolune; perilune is half a period later.
    tau = (0.5 + phase) * orbit.period_tu
    rho = phy.propagate(orbit.state0, tau)
    r_moon, v_moon = moon_geocentric(epoch)
    return rotating_to_eci(rho, r_moon, v_moon, moon_acceleration(epoch))


# --- access ------------------------------------------------------------------------------------


def next_perilune(after: datetime, reference_perilune_utc, period_days: float) -> datetime:
    """First Gateway perilune passage at or after ``after``."""
    ref = parse_utc(reference_perilune_utc, source="--perilune-epoch")
    n = math.ceil(days_between(ref, after) / period_days - 1e-12)
    return ref + timedelta(days=n * period_days)


def gateway_access(
    vehicle_id: str,
    decision_utc,
    *,
    transfer: TransferProfile | None = None,
    reference_perilune_utc=DEFAULT_REFERENCE_PERILUNE_UTC,
    catalog=None,
) -> GatewayAccess:
    """Earliest arrival at the Gateway, return to Earth from it and from the lunar surface, for
    catalog vehicle ``vehicle_id`` after a decision at ``decision_utc`` (see module rules)."""
    if catalog is None:
        from lifeboat.catalog import load_catalog

        catalog = load_catalog()
    vehicle = catalog.get("vehicles", vehicle_id, source="--vehicle")
    return access_for_vehicle(
        vehicle, decision_utc, transfer=transfer, reference_perilune_utc=reference_perilune_utc
    )


def gateway_access_all(
    decision_utc,
    *,
    transfer: TransferProfile | None = None,
    reference_perilune_utc=DEFAULT_REFERENCE_PERILUNE_UTC,
    catalog=None,
) -> list[GatewayAccess]:
    """:func:`gateway_access` for every catalog crew vehicle: which can reach the NRHO, and why
    the others cannot."""
    if catalog is None:
        from lifeboat.catalog import load_catalog

        catalog = load_catalog()
    return [
        access_for_vehicle(v, decision_utc, transfer=transfer,
                           reference_perilune_utc=reference_perilune_utc)
        for v in catalog.vehicles.values()
    ]


def access_for_vehicle(vehicle, decision_utc, *, transfer: TransferProfile | None = None,
                       reference_perilune_utc=DEFAULT_REFERENCE_PERILUNE_UTC) -> GatewayAccess:
    """:func:`gateway_access` for a catalog ``CrewVehicle`` record."""
    tp = transfer or TransferProfile()
    decision = parse_utc(decision_utc, source="--decision")
    ref = parse_utc(reference_perilune_utc, source="--perilune-epoch")
    period = gateway_orbit().period_days
    round_trip = tp.insertion_dv_km_s + tp.departure_dv_km_s
    notes = [
        "docked_return_utc: this vehicle already docked at the Gateway at the decision",
        "surface_return_utc: crew on the surface, lander meets the Gateway at perilune, "
        "then this vehicle (docked) returns them",
    ]
    dv = None if vehicle.delta_v_m_s is None else vehicle.delta_v_m_s / 1000.0
    reasons: list[str] = []
    if not vehicle.cislunar_capable:
        reasons.append("not cislunar-capable per the catalog (launch stack: "
                       f"{', '.join(vehicle.launchers)})")
    if dv is None:
        reasons.append(f"service Δv unknown (not in the catalog); needs {round_trip:.3f} km/s "
                       "for NRHO insertion + departure")
    elif dv < round_trip:
        reasons.append(f"Δv {dv:.3f} km/s < NRHO insertion + departure {round_trip:.3f} km/s")
    shortest = tp.outbound_min_days + tp.return_days
    if vehicle.free_flight_days is None:
        reasons.append(f"free-flight endurance not in the catalog; the shortest round trip "
                       f"takes {shortest:.1f} d")
    elif vehicle.free_flight_days < shortest:
        reasons.append(f"free-flight endurance {vehicle.free_flight_days:.1f} d < shortest "
                       f"round trip {shortest:.1f} d (outbound {tp.outbound_min_days:.1f} d + "
                       f"return {tp.return_days:.1f} d)")
    reachable = not reasons
    if reachable:
        reasons.append(
            f"cislunar-capable; Δv {dv:.3f} km/s ≥ {round_trip:.3f} km/s; endurance "
            f"{vehicle.free_flight_days:.1f} d ≥ {shortest:.1f} d"
        )

    def depart_home(ready: datetime) -> tuple[datetime, datetime]:
        dep = next_perilune(ready, ref, period)
        return dep, dep + timedelta(days=tp.return_days)

    launch = arrival = dep = home = None
    outbound = phase = since = mission = None
    if reachable:
        earliest_launch = decision + timedelta(days=tp.launch_readiness_days)
        for k in range(int(math.ceil(period)) + 2):
            candidate = earliest_launch + timedelta(days=k)
            insertion = next_perilune(candidate + timedelta(days=tp.outbound_min_days), ref, period)
            if days_between(candidate, insertion) <= tp.outbound_max_days:
                launch, outbound = candidate, days_between(candidate, insertion)
                arrival = insertion + timedelta(days=tp.rendezvous_days)
                break
        if arrival is not None:
            phase = gateway_phase(arrival, ref)
            since = phase * period
            dep, home = depart_home(arrival + timedelta(days=tp.crew_transfer_days))
            mission = days_between(launch, home)
            if vehicle.free_flight_days is not None and mission > vehicle.free_flight_days:
                reasons.append(f"note: this mission takes {mission:.1f} d, more than the "
                               f"{vehicle.free_flight_days:.1f} d free-flight endurance; it relies "
                               "on the Gateway's life support while docked")
    docked_dep = docked_home = surface_meet = surface_home = None
    if reachable:
        docked_dep, docked_home = depart_home(decision + timedelta(days=tp.crew_transfer_days))
        ascent_ready = decision + timedelta(days=tp.ascent_ready_days)
        surface_meet = next_perilune(ascent_ready + timedelta(days=tp.ascent_days), ref, period)
        _, surface_home = depart_home(surface_meet + timedelta(days=tp.crew_transfer_days))
    return GatewayAccess(
        vehicle=vehicle.id,
        decision_utc=decision,
        reachable=reachable,
        reasons=reasons,
        launch_utc=launch,
        arrival_utc=arrival,
        outbound_days=outbound,
        outbound_dv_km_s=tp.insertion_dv_km_s,
        return_departure_utc=dep,
        return_utc=home,
        return_days=tp.return_days,
        return_dv_km_s=tp.departure_dv_km_s,
        round_trip_dv_km_s=round_trip,
        vehicle_dv_km_s=dv,
        mission_days=mission,
        free_flight_days=vehicle.free_flight_days,
        gateway_phase_at_arrival=phase,
        gateway_days_since_perilune_at_arrival=since,
        docked_departure_utc=docked_dep,
        docked_return_utc=docked_home,
        surface_rendezvous_utc=surface_meet,
        surface_return_utc=surface_home,
        nrho_period_days=period,
        reference_perilune_utc=ref,
        transfer=tp,
        notes=notes,
    )


def with_readiness(transfer: TransferProfile | None, readiness_days: float | None) -> TransferProfile:
    """A transfer profile with the launch readiness delay replaced (days)."""
    tp = transfer or TransferProfile()
    return tp if readiness_days is None else replace(tp, launch_readiness_days=float(readiness_days))
