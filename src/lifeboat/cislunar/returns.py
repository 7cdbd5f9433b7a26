"""Returns to Earth from any point of a lunar station orbit: the Δv-versus-waiting trade.

Each departure is one impulsive burn to the entry interface (122 km, flight-path angle
``entry_fpa_deg``), solved in the CR3BP (:func:`lifeboat.cislunar.transfers.solve_leg`). A scan
over departure times (one orbit period by default) gives, for each, the burn, the coast and the
entry epoch: waiting for a cheaper part of the orbit trades days for Δv. The scan starts cold at
the departure nearest apolune (where a two-body guess is good) and continues along the orbit in
both directions, each solve warm-started from its neighbour; near perilune it also tries the cold
guess and keeps the cheaper converged solution.

A single departure (:func:`return_at`) is then flown in the DE421 ephemeris model and re-targeted
(:mod:`lifeboat.cislunar.ephem`), and its entry state is flown to the ground with the existing
entry model (:func:`lifeboat.orbits.entry.simulate_entry`, the vehicle's capsule model flying its
mean vertical L/D) for the landing or splashdown point.

Times: ``perilune_utc`` is a perilune passage of the station (phase 0); phase = 360° × time since
perilune / period.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from lifeboat.cislunar import physics as phy
from lifeboat.cislunar import transfers as tr
from lifeboat.cislunar.orbits import LunarOrbit
from lifeboat.errors import InputError
from lifeboat.timeutil import as_utc, days_between

NEAR_MOON_KM = 10_000.0  # closer than this, start from a lunar-escape guess


@dataclass(frozen=True)
class ReturnOption:
    """One departure of the trade: when, what it costs, when the crew reaches the atmosphere."""

    departure_utc: datetime
    phase_deg: float
    wait_days: float
    departure_dv_km_s: float
    time_of_flight_days: float
    entry_utc: datetime
    entry_speed_km_s: float
    entry_fpa_deg: float
    converged: bool


@dataclass(frozen=True)
class EphemerisCheck:
    """The same departure flown in the Earth–Moon–Sun DE421 model, as solved and re-targeted."""

    as_flown_entry_fpa_deg: float | None
    departure_dv_km_s: float
    time_of_flight_days: float
    entry_utc: datetime
    entry_speed_km_s: float
    entry_fpa_deg: float
    converged: bool
    dv_difference_km_s: float
    time_of_flight_difference_days: float


@dataclass(frozen=True)
class LunarReturn:
    """A return from the station's orbit (CLI ``lifeboat lunar return``)."""

    station: str
    orbit: str
    orbit_period_days: float
    perilune_utc: datetime
    departure_utc: datetime
    phase_deg: float
    departure_dv_km_s: float
    time_of_flight_days: float
    entry_utc: datetime
    entry_speed_km_s: float
    entry_fpa_deg: float
    entry_interface_altitude_km: float
    landing_lat_deg: float | None
    landing_lon_deg: float | None
    landing_model: str
    ephemeris: EphemerisCheck | None
    trade: list[ReturnOption]
    flyby: FlybyReturn | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class FlybyReturn:
    """The same departure as a powered-lunar-flyby return: a burn on the orbit, a burn at the
    lunar perilune, then the coast to the entry interface (CR3BP)."""

    departure_dv_km_s: float
    flyby_utc: datetime
    flyby_dv_km_s: float
    flyby_altitude_km: float
    total_dv_km_s: float
    time_of_flight_days: float
    entry_utc: datetime
    entry_speed_km_s: float
    entry_fpa_deg: float
    ephemeris: EphemerisCheck | None = None  # both burns flown in DE421, flyby burn re-targeted


FLYBY_SEED_PHASES_DEG = (255.0, 270.0, 240.0)  # where a cold powered-flyby solve converges (9:2 NRHO)
FLYBY_STEP_DEG = 15.0


def solve_flyby(orbit: LunarOrbit, t_tu: float, *, radius: float, sin_gamma: float,
                backwards: bool = False) -> tr.FlybyLeg | None:
    """A powered-flyby leg from the orbit at ``t_tu`` (TU after perilune): cold (the flyby guessed
    at the orbit's next perilune, or the previous one backwards), else continued in 15° steps
    from a seed phase where a cold solve converges. None when neither converges."""
    period = orbit.period_tu

    def cold(t):
        local = t % period
        to_flyby = local if backwards else period - local
        if to_flyby < 0.02 * period:
            to_flyby += period
        leg = tr.solve_flyby_leg(orbit.state_at(t), radius=radius, sin_gamma=sin_gamma,
                                 tof_to_flyby=to_flyby, backwards=backwards)
        if not leg.converged:  # one restart from where the optimiser stopped
            leg = tr.solve_flyby_leg(orbit.state_at(t), radius=radius, sin_gamma=sin_gamma,
                                     tof_to_flyby=leg.tof_to_flyby, guess=leg,
                                     backwards=backwards)
        return leg

    leg = cold(t_tu)
    if leg.converged:
        return leg
    target = (t_tu % period) / period * 360.0
    seeds = [360.0 - p for p in FLYBY_SEED_PHASES_DEG] if backwards else list(FLYBY_SEED_PHASES_DEG)
    for seed in seeds:
        prev = cold(seed / 360.0 * period)
        if not prev.converged:
            continue
        delta = (target - seed + 180.0) % 360.0 - 180.0
        steps = max(1, int(math.ceil(abs(delta) / FLYBY_STEP_DEG)))
        for k in range(1, steps + 1):
            phase = seed + delta * k / steps
            prev = tr.solve_flyby_leg(
                orbit.state_at(phase / 360.0 * period), radius=radius, sin_gamma=sin_gamma,
                tof_to_flyby=max(prev.tof_to_flyby - (delta / steps) / 360.0 * period
                                 * (-1.0 if backwards else 1.0), 0.02 * period),
                guess=prev, backwards=backwards)
            if not prev.converged:
                break
        if prev.converged:
            return prev
    return None


def _tu_since(perilune_utc: datetime, t: datetime) -> float:
    return phy.days_to_tu(days_between(perilune_utc, t))


def _utc(perilune_utc: datetime, t_tu: float) -> datetime:
    return perilune_utc + timedelta(days=phy.tu_to_days(t_tu))


def _option(orbit, perilune_utc, start_tu, t_tu, leg) -> ReturnOption:
    _, speed, fpa = tr.flight_path(leg.end_state)
    return ReturnOption(
        departure_utc=_utc(perilune_utc, t_tu),
        phase_deg=orbit.phase_deg_at(t_tu),
        wait_days=phy.tu_to_days(t_tu - start_tu),
        departure_dv_km_s=leg.dv_km_s,
        time_of_flight_days=leg.tof_days,
        entry_utc=_utc(perilune_utc, t_tu + leg.tof),
        entry_speed_km_s=speed,
        entry_fpa_deg=fpa,
        converged=leg.converged,
    )


def solve_scan(orbit: LunarOrbit, times_tu: np.ndarray, *, entry_fpa_deg: float) -> list[tr.Leg]:
    """Return legs for departures at ``times_tu`` (TU after a perilune passage), by continuation
    from the departure nearest apolune (see the module docstring)."""
    radius, sin_g = tr.entry_target(fpa_deg=entry_fpa_deg)
    states = orbit.states_at(times_tu)
    n = len(times_tu)
    phases = np.array([orbit.phase_deg_at(t) for t in times_tu])
    start = int(np.argmin(np.abs(phases - 180.0)))
    legs: list[tr.Leg | None] = [None] * n

    def solve(k: int, neighbour: tr.Leg | None) -> tr.Leg:
        near_moon = np.linalg.norm(states[k][:3] - tr.MOON) * phy.LENGTH_UNIT_KM < NEAR_MOON_KM
        guess = tr.lunar_escape_guess(states[k]) if near_moon else None
        # Close to the Moon a failing trial coast is costly (many lunar revolutions): bound it.
        limits = dict(max_iter=30, max_tof=phy.days_to_tu(7.0)) if near_moon else {}
        tries = [tr.solve_leg(states[k], radius=radius, sin_gamma=sin_g, guess=guess, **limits)]
        if neighbour is not None and neighbour.converged and not tries[0].converged:
            tries.append(tr.solve_leg(states[k], radius=radius, sin_gamma=sin_g,
                                      guess=(neighbour.dv, neighbour.tof), **limits))
        good = [leg for leg in tries if leg.converged]
        return min(good or tries, key=lambda leg: (not leg.converged, leg.dv_km_s))

    legs[start] = solve(start, None)
    for k in range(start + 1, n):
        legs[k] = solve(k, legs[k - 1])
    for k in range(start - 1, -1, -1):
        legs[k] = solve(k, legs[k + 1])
    return legs  # type: ignore[return-value]


def scan_returns(orbit: LunarOrbit, perilune_utc: datetime, start_utc: datetime, *,
                 n: int = 100, span_days: float | None = None,
                 entry_fpa_deg: float = tr.DEFAULT_ENTRY_FPA_DEG) -> list[ReturnOption]:
    """Departures every span/n from ``start_utc`` over ``span_days`` (default one orbit period)."""
    if n < 2:
        raise InputError(f"a scan needs at least 2 departures, got {n}", param="n")
    span = orbit.period_tu if span_days is None else phy.days_to_tu(span_days)
    t0 = _tu_since(perilune_utc, start_utc)
    times = t0 + np.arange(n) * span / n
    legs = solve_scan(orbit, _wrap(orbit, times), entry_fpa_deg=entry_fpa_deg)
    return [_option(orbit, perilune_utc, t0, t, leg) for t, leg in zip(times, legs, strict=True)]


def _wrap(orbit: LunarOrbit, times: np.ndarray) -> np.ndarray:
    """Times for the orbit's clock: modulo the period for a periodic orbit (and never negative)."""
    if orbit.periodic_in_rotating_frame:
        return np.mod(times, orbit.period_tu)
    if np.any(times < 0.0):
        raise InputError("the departure is before the perilune epoch of an orbit given by "
                         "elements; give a perilune epoch before the departure", param="time")
    return times


def first_passage(orbit: LunarOrbit, perilune_utc: datetime, after: datetime,
                  phase_deg: float) -> datetime:
    """First time at or after ``after`` that the station is at ``phase_deg``."""
    if not (0.0 <= phase_deg < 360.0) or not math.isfinite(phase_deg):
        raise InputError(f"phase {phase_deg:g}° is outside the orbit; expected 0 <= phase < 360 "
                         "(0 at perilune, 180 at apolune)", param="phase_deg")
    t_after = _tu_since(perilune_utc, after)
    target = phase_deg / 360.0 * orbit.period_tu
    k = math.ceil((t_after - target) / orbit.period_tu - 1e-12)
    return _utc(perilune_utc, target + k * orbit.period_tu)


def return_at(station: str, orbit: LunarOrbit, perilune_utc: datetime, departure_utc: datetime, *,
              vehicle_id: str = "orion", entry_fpa_deg: float = tr.DEFAULT_ENTRY_FPA_DEG,
              trade_from_utc: datetime | None = None, n_trade: int = 100,
              ephemeris: bool = True, landing: bool = True, guess_leg: tr.Leg | None = None,
              flyby: bool = False) -> LunarReturn:
    """A return departing at ``departure_utc``, with the trade from ``trade_from_utc`` (default:
    the departure) over one period, the ephemeris check and the landing point; with ``flyby``
    also the powered-lunar-flyby return from the same departure."""
    perilune_utc, departure_utc = as_utc(perilune_utc), as_utc(departure_utc)
    t_dep = _tu_since(perilune_utc, departure_utc)
    trade_start = departure_utc if trade_from_utc is None else as_utc(trade_from_utc)
    trade = scan_returns(orbit, perilune_utc, trade_start, n=n_trade, entry_fpa_deg=entry_fpa_deg)
    # The departure itself: continue from the nearest trade member (same dynamics, warm start).
    nearest = min(trade, key=lambda o: abs(days_between(o.departure_utc, departure_utc)))
    legs = solve_scan(orbit, _wrap(orbit, np.array([_tu_since(perilune_utc, nearest.departure_utc),
                                                     t_dep])), entry_fpa_deg=entry_fpa_deg) \
        if guess_leg is None else [guess_leg, guess_leg]
    leg = legs[-1]
    if not leg.converged:
        raise InputError(f"no return to the entry interface converged for a departure at phase "
                         f"{orbit.phase_deg_at(t_dep):.1f}°", param="phase_deg")
    option = _option(orbit, perilune_utc, t_dep, t_dep, leg)
    notes = [
        f"entry interface {tr.ENTRY_INTERFACE_ALTITUDE_KM} km (400,000 ft) at flight-path angle "
        f"{entry_fpa_deg:g}° (corridor centre, assumption)",
        "CR3BP impulsive single-burn return; the ephemeris check flies the same burn in an "
        "Earth–Moon–Sun DE421 point-mass model and re-targets it",
    ]
    check = None
    entry_state_eci = None
    if ephemeris:
        check, entry_state_eci = _ephemeris_check(orbit, perilune_utc, departure_utc, t_dep, leg,
                                                  entry_fpa_deg)
        if check is None:
            notes.append("ephemeris check: the CR3BP burn flown in the ephemeris model does not "
                         "come down to the entry interface")
    lat = lon = None
    model = "not computed"
    if landing:
        from lifeboat.orbits.abort import capsule_model

        if entry_state_eci is None:
            entry_state_eci = _cr3bp_entry_eci(leg, option.entry_utc)
            entry_epoch = option.entry_utc
        else:
            entry_epoch = check.entry_utc
        cm = capsule_model(vehicle_id)
        lat, lon = landing_point(entry_state_eci, entry_epoch, cm.guided())
        model = f"{cm.name}, mean vertical L/D {cm.guided_lift_to_drag:g} (orbits.entry)"
    fb = None
    if flyby:
        radius, sin_g = tr.entry_target(fpa_deg=entry_fpa_deg)
        leg_f = solve_flyby(orbit, float(_wrap(orbit, np.array([t_dep]))[0]), radius=radius,
                            sin_gamma=sin_g)
        if leg_f is None:
            notes.append("powered lunar flyby: no converged solution from this departure")
        else:
            _, speed, fpa = tr.flight_path(leg_f.end_state)
            fb_check = _flyby_ephemeris_check(orbit, departure_utc, t_dep, leg_f, entry_fpa_deg) \
                if ephemeris else None
            fb = FlybyReturn(
                departure_dv_km_s=leg_f.orbit_dv_km_s,
                flyby_utc=departure_utc + timedelta(days=phy.tu_to_days(leg_f.tof_to_flyby)),
                flyby_dv_km_s=leg_f.flyby_dv_km_s, flyby_altitude_km=leg_f.flyby_altitude_km,
                total_dv_km_s=leg_f.dv_km_s, time_of_flight_days=leg_f.tof_days,
                entry_utc=departure_utc + timedelta(days=leg_f.tof_days), entry_speed_km_s=speed,
                entry_fpa_deg=fpa, ephemeris=fb_check)
            if ephemeris and fb_check is None:
                notes.append("powered lunar flyby: flown in the ephemeris model it does not come "
                             "down to the entry interface")
    return LunarReturn(
        station=station, orbit=orbit.label, orbit_period_days=orbit.period_days,
        perilune_utc=perilune_utc, departure_utc=departure_utc, phase_deg=option.phase_deg,
        departure_dv_km_s=option.departure_dv_km_s,
        time_of_flight_days=option.time_of_flight_days, entry_utc=option.entry_utc,
        entry_speed_km_s=option.entry_speed_km_s, entry_fpa_deg=option.entry_fpa_deg,
        entry_interface_altitude_km=tr.ENTRY_INTERFACE_ALTITUDE_KM,
        landing_lat_deg=lat, landing_lon_deg=lon, landing_model=model, ephemeris=check,
        trade=trade, flyby=fb, notes=notes,
    )


def _moon_frame(epoch: datetime):
    from lifeboat.cislunar.gateway import moon_acceleration, moon_geocentric

    r_m, v_m = moon_geocentric(epoch)
    return r_m, v_m, moon_acceleration(epoch)


def _ephemeris_check(orbit, perilune_utc, departure_utc, t_dep, leg, entry_fpa_deg):
    from lifeboat.cislunar.ephem import retarget_return
    from lifeboat.cislunar.gateway import rotating_to_eci

    state = orbit.state_at(float(_wrap(orbit, np.array([t_dep]))[0]))
    r_m, v_m, a_m = _moon_frame(departure_utc)
    r0, v_before = rotating_to_eci(state, r_m, v_m, a_m)
    after = state.copy()
    after[3:6] += leg.dv
    _, v_after = rotating_to_eci(after, r_m, v_m, a_m)
    radius_km = tr.R_EARTH_KM + tr.ENTRY_INTERFACE_ALTITUDE_KM
    eph = retarget_return(departure_utc, r0, v_before, v_after - v_before, radius_km=radius_km,
                          target_fpa_deg=entry_fpa_deg, tof_days_guess=leg.tof_days,
                          entry_speed_km_s=tr.flight_path(leg.end_state)[1])
    if eph is None:
        return None, None
    check = EphemerisCheck(
        as_flown_entry_fpa_deg=eph.as_flown_fpa_deg, departure_dv_km_s=eph.dv_km_s,
        time_of_flight_days=eph.time_of_flight_days, entry_utc=eph.entry_epoch,
        entry_speed_km_s=eph.entry_speed_km_s, entry_fpa_deg=eph.entry_fpa_deg,
        converged=eph.converged, dv_difference_km_s=eph.dv_km_s - leg.dv_km_s,
        time_of_flight_difference_days=eph.time_of_flight_days - leg.tof_days)
    return check, eph.entry_state_km


def _flyby_ephemeris_check(orbit, departure_utc, t_dep, leg, entry_fpa_deg):
    from lifeboat.cislunar.ephem import retarget_flyby_return
    from lifeboat.cislunar.gateway import rotating_to_eci

    def burn_eci(state, dv, epoch):
        r_m, v_m, a_m = _moon_frame(epoch)
        r, v = rotating_to_eci(state, r_m, v_m, a_m)
        after = state.copy()
        after[3:6] += dv
        return r, v, rotating_to_eci(after, r_m, v_m, a_m)[1] - v

    state = orbit.state_at(float(_wrap(orbit, np.array([t_dep]))[0]))
    r0, v0, dv1 = burn_eci(state, leg.dv_orbit, departure_utc)
    flyby_s = phy.tu_to_days(leg.tof_to_flyby) * 86400.0
    _, _, dv2 = burn_eci(leg.flyby_state, leg.dv_flyby, departure_utc + timedelta(seconds=flyby_s))
    eph = retarget_flyby_return(departure_utc, r0, v0, dv1, flyby_s, dv2,
                                radius_km=tr.R_EARTH_KM + tr.ENTRY_INTERFACE_ALTITUDE_KM,
                                target_fpa_deg=entry_fpa_deg,
                                entry_speed_km_s=tr.flight_path(leg.end_state)[1],
                                tof_days_guess=leg.tof_days)
    if eph is None:
        return None
    return EphemerisCheck(
        as_flown_entry_fpa_deg=eph.as_flown_fpa_deg, departure_dv_km_s=eph.dv_km_s,
        time_of_flight_days=eph.time_of_flight_days, entry_utc=eph.entry_epoch,
        entry_speed_km_s=eph.entry_speed_km_s, entry_fpa_deg=eph.entry_fpa_deg,
        converged=eph.converged, dv_difference_km_s=eph.dv_km_s - leg.dv_km_s,
        time_of_flight_difference_days=eph.time_of_flight_days - leg.tof_days)


def _cr3bp_entry_eci(leg: tr.Leg, entry_utc: datetime) -> np.ndarray:
    """CR3BP entry state, Earth-relative, in ICRF axes of the real Earth–Moon frame at entry
    (fixed scale L*, so the entry radius is kept)."""
    r_m, v_m, _ = _moon_frame(entry_utc)
    x_hat = r_m / np.linalg.norm(r_m)
    z_hat = np.cross(r_m, v_m)
    z_hat /= np.linalg.norm(z_hat)
    rot = np.column_stack([x_hat, np.cross(z_hat, x_hat), z_hat])
    r, v = tr.earth_relative(leg.end_state)
    return np.concatenate([rot @ r * phy.LENGTH_UNIT_KM, rot @ v * phy.VELOCITY_UNIT_KM_S])


def landing_point(entry_state_km: np.ndarray, entry_utc: datetime, capsule) -> tuple[float, float]:
    """Fly an ICRF entry state (km, km/s) at ``entry_utc`` to the ground; (lat, lon) in degrees."""
    from skyfield.framelib import itrs

    from lifeboat.ephemeris import timescale
    from lifeboat.orbits.entry import simulate_entry
    from lifeboat.orbits.frames import ecef_to_geodetic
    from lifeboat.orbits.physics import OMEGA_EARTH_RAD_S

    rot = itrs.rotation_at(timescale().from_datetime(as_utc(entry_utc)))
    r = rot @ entry_state_km[:3]
    v = rot @ entry_state_km[3:] - np.cross([0.0, 0.0, OMEGA_EARTH_RAD_S], r)
    flight = simulate_entry(r * 1e3, v * 1e3, capsule, earth="wgs84", rtol=1e-7, atol=1e-3,
                            max_time_s=40_000.0)
    lat, lon, _ = ecef_to_geodetic(flight.touchdown_r_ecef_m / 1e3)
    return float(lat), float(lon)
