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

Access (``gateway_access``) – computed legs, as the rescue planner uses them
-------------------------------------------------------------------------------
* **Verdict** (physics, with its reasons): :func:`lifeboat.cislunar.service.capability` on the
  Gateway station's computed requirements (cheapest direct and powered-flyby legs over the
  phase, cached per orbit); ``planned_to_serve`` is policy and never changes it.
* **Outbound**: the earliest computed direct transfer
  (:func:`lifeboat.cislunar.service.lunar_transfer`, no flyby transfers) from any of the
  vehicle's launch sites, launching at or after decision + ``readiness_days``, whose insertion
  fits the vehicle's Δv with the cheapest return kept in reserve.
* **Return after that arrival**: the first computed direct return (one-period scan from the
  arrival) whose departure Δv fits what is left after insertion; when none fits, the return
  needs the powered flyby and its time is not computed on this path (noted, times null).
* **Docked return**: the vehicle already docked at the decision leaves on the first computed
  direct return from the decision whose Δv fits its own Δv.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache

import numpy as np

from lifeboat.cislunar import physics as phy
from lifeboat.cislunar.halo import PeriodicOrbit, solve_nrho
from lifeboat.ephemeris import de421, timescale
from lifeboat.errors import InputError
from lifeboat.timeutil import as_utc, days_between, parse_utc

DEFAULT_REFERENCE_PERILUNE_UTC = "2027-01-01T00:00:00Z"
GATEWAY_STATION = "gateway"
TRANSFER_ARRIVALS = 24  # arrivals scanned over one orbit period per launch site


@dataclass(frozen=True)
class GatewayAccess:
    """Earliest computed access to and from the Gateway for one vehicle after a decision (UTC)."""

    vehicle: str
    decision_utc: datetime
    reachable: bool  # physics verdict and a computed transfer found
    can_return_crew: bool  # physics: as a lifeboat already docked
    planned_to_serve: bool  # policy, apart from the physics
    reasons: list[str]
    launch_site: str | None
    launch_utc: datetime | None
    arrival_utc: datetime | None
    outbound_days: float | None
    insertion_dv_km_s: float | None
    return_departure_utc: datetime | None
    return_utc: datetime | None
    return_days: float | None
    return_dv_km_s: float | None
    vehicle_dv_km_s: float | None
    free_flight_days: float | None
    mission_days: float | None
    docked_departure_utc: datetime | None
    docked_return_utc: datetime | None
    docked_return_dv_km_s: float | None
    nrho_period_days: float
    reference_perilune_utc: datetime
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


def _catalog(catalog):
    if catalog is None:
        from lifeboat.catalog import load_catalog

        catalog = load_catalog()
    return catalog


def gateway_access(vehicle_id: str, decision_utc, *, readiness_days: float = 0.0,
                   reference_perilune_utc=DEFAULT_REFERENCE_PERILUNE_UTC,
                   catalog=None) -> GatewayAccess:
    """Earliest computed arrival at the Gateway and returns to Earth for catalog vehicle
    ``vehicle_id`` after a decision at ``decision_utc`` (see the module rules)."""
    cat = _catalog(catalog)
    vehicle = cat.get("vehicles", vehicle_id, source="--vehicle")
    return access_for_vehicle(vehicle, decision_utc, readiness_days=readiness_days,
                              reference_perilune_utc=reference_perilune_utc, catalog=cat)


def gateway_access_all(decision_utc, *, readiness_days: float = 0.0,
                       reference_perilune_utc=DEFAULT_REFERENCE_PERILUNE_UTC,
                       catalog=None) -> list[GatewayAccess]:
    """:func:`gateway_access` for every catalog crew vehicle: which can reach the NRHO, and why
    the others cannot."""
    cat = _catalog(catalog)
    docked_trade: dict = {}
    return [access_for_vehicle(v, decision_utc, readiness_days=readiness_days,
                               reference_perilune_utc=reference_perilune_utc, catalog=cat,
                               _trades=docked_trade)
            for v in cat.vehicles.values()]


def _first_fitting(trade, budget_km_s: float | None):
    fits = [t for t in trade if t.converged and budget_km_s is not None
            and t.departure_dv_km_s <= budget_km_s]
    return min(fits, key=lambda t: t.departure_utc) if fits else None


def access_for_vehicle(vehicle, decision_utc, *, readiness_days: float = 0.0,
                       reference_perilune_utc=DEFAULT_REFERENCE_PERILUNE_UTC, catalog=None,
                       _trades: dict | None = None) -> GatewayAccess:
    """:func:`gateway_access` for a catalog ``CrewVehicle`` record."""
    from lifeboat.cislunar import service as svc
    from lifeboat.cislunar.returns import scan_returns

    cat = _catalog(catalog)
    decision = parse_utc(decision_utc, source="--time")
    ref = parse_utc(reference_perilune_utc, source="--perilune-epoch")
    if not (math.isfinite(readiness_days) and readiness_days >= 0.0):
        raise InputError(f"expected a delay of 0 days or more, got {readiness_days}",
                         param="readiness_days")
    orbit, _ = svc.station_orbit(GATEWAY_STATION, catalog=cat)
    cap_req = svc.requirements(orbit)
    cap = svc.capability(vehicle, GATEWAY_STATION, cap_req)
    trades = {} if _trades is None else _trades

    def trade_from(start: datetime):
        if start not in trades:
            trades[start] = scan_returns(orbit, ref, start)
        return trades[start]

    reasons = list(cap.reasons)
    notes = ["verdict on the cheapest computed legs over the phase (direct and powered flyby); "
             "times from computed direct legs only",
             "planned_to_serve is policy and does not change the physics verdict"]
    dv = cap.delta_v_km_s
    docked = _first_fitting(trade_from(decision), dv) if cap.can_return_crew else None
    if cap.can_return_crew and docked is None:
        notes.append("docked return: no direct return in the period after the decision fits its "
                     "Δv (a powered flyby would be needed; its time is not computed here)")
    best = back = None
    if cap.can_reach_and_return:
        start = decision + timedelta(days=readiness_days)
        reserve = cap_req.cheapest_return()[0]
        for site in vehicle.sites:
            # The opportunities are the vehicle-independent computed legs; the fit is judged on
            # this vehicle record's Δv (it may not be the catalog's).
            t = svc.lunar_transfer(GATEWAY_STATION, site, vehicle.id, start, perilune_epoch=ref,
                                   n=TRANSFER_ARRIVALS, catalog=cat, flyby_transfers=False)
            fits = [x for x in t.opportunities if x.insertion_dv_km_s + reserve <= dv]
            if fits:
                x = min(fits, key=lambda x: (x.arrival_utc, x.insertion_dv_km_s))
                if best is None or x.arrival_utc < best[1].arrival_utc:
                    best = (site, x)
        if best is None:
            reasons.append(f"no computed direct transfer from its launch sites "
                           f"({', '.join(vehicle.sites)}) in one orbit period after "
                           f"{start:%Y-%m-%d %H:%M}Z fits its Δv")
        else:
            left = dv - best[1].insertion_dv_km_s
            back = _first_fitting(trade_from(best[1].arrival_utc), left)
            if back is None:
                notes.append(f"return after arrival: {left:.3f} km/s left after insertion covers "
                             "no direct return; it needs the powered flyby (time not computed "
                             "here)")
    site, t = best if best is not None else (None, None)
    home = None if back is None else back.entry_utc
    return GatewayAccess(
        vehicle=vehicle.id, decision_utc=decision, reachable=best is not None,
        can_return_crew=cap.can_return_crew, planned_to_serve=cap.planned_to_serve,
        reasons=reasons, launch_site=site,
        launch_utc=t and t.launch_utc, arrival_utc=t and t.arrival_utc,
        outbound_days=t and t.time_of_flight_days,
        insertion_dv_km_s=t and t.insertion_dv_km_s,
        return_departure_utc=back and back.departure_utc, return_utc=home,
        return_days=back and back.time_of_flight_days,
        return_dv_km_s=back and back.departure_dv_km_s,
        vehicle_dv_km_s=dv, free_flight_days=cap.free_flight_days,
        mission_days=None if home is None else days_between(t.launch_utc, home),
        docked_departure_utc=docked and docked.departure_utc,
        docked_return_utc=docked and docked.entry_utc,
        docked_return_dv_km_s=docked and docked.departure_dv_km_s,
        nrho_period_days=orbit.period_days, reference_perilune_utc=ref, notes=notes)
