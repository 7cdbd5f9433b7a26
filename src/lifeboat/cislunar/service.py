"""Lunar-station services: returns, Earth → station transfers, who can serve the station, and why.

* :func:`lunar_return` – one return from the station's orbit (phase, time or the cheapest in the
  next period), with the Δv-versus-waiting trade, the ephemeris check and the landing point.
* :func:`lunar_transfer` – a direct transfer from a launch site to the station (trans-lunar
  injection from a circular parking orbit, coast, insertion into the station's orbit at its
  phase), over a window of arrivals, with the launch time from the site's passage through the
  parking-orbit plane.
* :func:`lunar_evacuation` – for the rescue planner: the return trade from a decision time (or
  over the phase when the station's phase is unknown) and every catalog vehicle's capability
  verdict (physics) with its reasons, and its policy status separately.
* :func:`station_orbit_points` – the station's orbit as points, for plots.

Capability rules (:func:`capability`): a vehicle can *return* a crew from the station if its own
Δv after trans-lunar injection covers the cheapest return in the orbit, its free-flight endurance
covers that return's coast, and its heat shield's entry-speed limit covers the entry speed; it
can *reach and return* if, in addition, a launcher in its stack can inject it towards the Moon
and its Δv covers the cheapest insertion plus the cheapest return, and its endurance the outbound
plus return coasts. A missing figure is reported as "cannot show it". ``planned_to_serve`` is
policy and never changes the physics verdict.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np

from lifeboat.cislunar import physics as phy
from lifeboat.cislunar import transfers as tr
from lifeboat.cislunar.orbits import LunarOrbit, LunarOrbitSpec, build_orbit, gateway_spec
from lifeboat.cislunar.returns import (
    LunarReturn,
    ReturnOption,
    first_passage,
    return_at,
    scan_returns,
)
from lifeboat.errors import InputError
from lifeboat.timeutil import as_utc, days_between, iso_z, parse_utc

PARKING_ALTITUDE_KM = 185.0
MIN_PARKING_COAST_H = 1.5
MAX_PARKING_COAST_H = 24.0
LUNAR_REGIMES = ("nrho", "lunar")


def _when(value, param: str) -> datetime | None:
    """A time argument: None, an aware datetime, ISO 8601 text or "now" (UTC)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return as_utc(value)
    if str(value).strip().lower() == "now":
        return datetime.now().astimezone()
    try:
        return parse_utc(value)
    except InputError as exc:
        raise InputError(exc.message, param=param) from None


def _catalog(catalog):
    if catalog is None:
        from lifeboat.catalog import load_catalog

        catalog = load_catalog()
    return catalog


def station_orbit(station_id: str, *, catalog=None, orbit=None) -> tuple[LunarOrbit, datetime | None]:
    """The station's lunar orbit and a perilune passage (None when its phase is unknown).
    ``orbit`` (a catalog ``LunarOrbitModel``, e.g. from a scenario) overrides the catalog's."""
    cat = _catalog(catalog)
    station = cat.get("stations", station_id, source="--station")
    if station.regime not in LUNAR_REGIMES:
        raise InputError(f"station {station_id!r} is in a {station.regime} orbit, not a lunar one",
                         param="station")
    model = orbit or station.lunar_orbit
    if model is None:
        return build_orbit(gateway_spec()), None
    fields = model.model_dump(exclude={"perilune_utc"})
    return build_orbit(LunarOrbitSpec(**fields)), (
        None if model.perilune_utc is None else as_utc(model.perilune_utc))


def station_orbit_points(station_id: str, *, n: int = 400, catalog=None, orbit=None,
                         perilune_utc=None, marks: dict | None = None) -> dict:
    """The station's orbit as Moon-centred points (km, Earth–Moon rotating axes: x from the Earth
    towards the Moon, z along the Moon's orbital angular momentum), perilune and apolune marked.
    ``marks`` (label → UTC time) adds the station's position at those times (``marks_km``), from
    ``perilune_utc`` (default: the orbit's own perilune epoch; marks need one)."""
    o, peri = station_orbit(station_id, catalog=catalog, orbit=orbit)
    if perilune_utc is not None:
        peri = _when(perilune_utc, "perilune_utc")
    pts = o.points_km(n)
    half = n // 2
    marked = {}
    if marks:
        if peri is None:
            raise InputError(f"the phase of {station_id} on its orbit is unknown; give a perilune "
                             "epoch to mark times on the orbit", param="perilune_utc")
        moon = np.array([1.0 - phy.MU, 0.0, 0.0])
        for label, when in marks.items():
            t = phy.days_to_tu(days_between(peri, _when(when, "marks")))
            if o.periodic_in_rotating_frame:
                t = t % o.period_tu
            elif t < 0.0:
                continue
            marked[label] = ((o.state_at(t)[:3] - moon) * phy.LENGTH_UNIT_KM).tolist()
    return {"orbit": o.label, "period_days": o.period_days, "frame": "Moon-centred, Earth–Moon "
            "rotating axes (x from Earth to Moon)", "points_km": pts.tolist(),
            "perilune_km": pts[0].tolist(), "apolune_km": pts[half].tolist(), "marks_km": marked}


def lunar_return(station_id: str, *, phase_deg: float | None = None, time=None, best: bool = False,
                 perilune_epoch=None, vehicle_id: str = "orion", ephemeris: bool = True,
                 landing: bool = True, flyby: bool = False, catalog=None, orbit=None) -> LunarReturn:
    """A return to Earth from the station: at ``phase_deg`` (first passage at or after ``time``,
    or at ``time`` when the phase is otherwise unknown), at ``time``, or with ``best`` the
    cheapest departure in the period after ``time``."""
    if sum(x is not None and x is not False for x in (phase_deg, best or None)) > 1:
        raise InputError("give one of phase_deg and best", param="phase_deg")
    if phase_deg is None and time is None and not best:
        raise InputError("give phase_deg, time or best", param="phase_deg")
    o, peri = station_orbit(station_id, catalog=catalog, orbit=orbit)
    if perilune_epoch is not None:
        peri = _when(perilune_epoch, "perilune_epoch")
    when = _when(time, "time")
    if phase_deg is not None and not (math.isfinite(phase_deg) and 0.0 <= phase_deg < 360.0):
        raise InputError(f"phase {phase_deg:g}° is outside the orbit; expected 0 <= phase < 360 "
                         "(0 at perilune, 180 at apolune)", param="phase_deg")
    notes = []
    if peri is None:
        if phase_deg is None:
            raise InputError(f"the phase of {station_id} on its orbit is unknown; give a phase "
                             "or a perilune epoch (a perilune passage)", param="perilune_epoch")
        when = when or datetime.now().astimezone()
        peri = as_utc(when) - timedelta(days=phase_deg / 360.0 * o.period_days)
        notes.append("phase given, perilune epoch unknown: the station is at that phase at the "
                     "departure time")
    start = when or peri
    if best:
        trade = [t for t in scan_returns(o, peri, start) if t.converged]
        if not trade:
            raise InputError(f"no return converged from {o.label} in the period after the time",
                             param="time")
        cheapest = min(trade, key=lambda t: t.departure_dv_km_s)
        departure = cheapest.departure_utc
    elif phase_deg is not None:
        departure = first_passage(o, peri, start, phase_deg)
    else:
        departure = when
    result = return_at(station_id, o, peri, departure, vehicle_id=vehicle_id, ephemeris=ephemeris,
                       landing=landing, trade_from_utc=start if best else departure, flyby=flyby)
    result.notes.extend(notes)
    return result


# --- capability --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Requirements:
    """What the station's orbit demands, from the computed transfers: the cheapest direct
    (single-burn) legs over the phase, and the powered-lunar-flyby legs (both burns) where one
    converged (None otherwise)."""

    insertion_dv_km_s: float
    outbound_days: float
    tli_dv_km_s: float
    return_dv_km_s: float
    return_days: float
    entry_speed_km_s: float
    flyby_insertion_dv_km_s: float | None = None
    flyby_outbound_days: float | None = None
    flyby_return_dv_km_s: float | None = None
    flyby_return_days: float | None = None

    def cheapest_return(self) -> tuple[float, float, str]:
        """(Δv km/s, days, kind) of the cheaper way home."""
        if self.flyby_return_dv_km_s is not None and self.flyby_return_dv_km_s < self.return_dv_km_s:
            return self.flyby_return_dv_km_s, self.flyby_return_days, "powered flyby"
        return self.return_dv_km_s, self.return_days, "direct"

    def cheapest_insertion(self) -> tuple[float, float, str]:
        if self.flyby_insertion_dv_km_s is not None \
                and self.flyby_insertion_dv_km_s < self.insertion_dv_km_s:
            return self.flyby_insertion_dv_km_s, self.flyby_outbound_days, "powered flyby"
        return self.insertion_dv_km_s, self.outbound_days, "direct"


@dataclass(frozen=True)
class Capability:
    """Physics verdict for one vehicle and a lunar station, and its policy status apart."""

    vehicle: str
    can_return_crew: bool
    can_reach_and_return: bool
    reasons: list[str]
    planned_to_serve: bool
    delta_v_km_s: float | None
    free_flight_days: float | None
    entry_speed_limit_km_s: float | None


def capability(vehicle, station_id: str, req: Requirements) -> Capability:
    """Verdict for a catalog ``CrewVehicle`` (see the module rules), on the cheaper of the direct
    and powered-flyby legs."""
    lunar = vehicle.lunar
    reasons: list[str] = []
    ret_ok = reach_ok = True
    dv = ff = limit = None
    back_dv, back_days, back_kind = req.cheapest_return()
    in_dv, in_days, in_kind = req.cheapest_insertion()
    need_rt = in_dv + back_dv
    if lunar is None:
        reasons.append("no lunar capability data in the catalog (Δv after TLI, endurance, "
                       "entry-speed limit): cannot show it")
        ret_ok = reach_ok = False
    else:
        dv, ff, limit = lunar.delta_v_km_s, lunar.free_flight_days, lunar.entry_speed_limit_km_s
        if dv is None:
            reasons.append("own Δv after TLI not sourced: cannot show it covers the return "
                           f"({back_dv:.3f} km/s, {back_kind})")
            ret_ok = reach_ok = False
        else:
            if dv < back_dv:
                reasons.append(f"Δv {dv:.3f} km/s < cheapest return {back_dv:.3f} km/s "
                               f"({back_kind})")
                ret_ok = False
            if dv < need_rt:
                reasons.append(f"Δv {dv:.3f} km/s < insertion + return {need_rt:.3f} km/s "
                               f"({in_kind} in, {back_kind} back)")
                reach_ok = False
        if ff is None:
            reasons.append("free-flight endurance not sourced")
            ret_ok = reach_ok = False
        else:
            if ff < back_days:
                reasons.append(f"endurance {ff:.1f} d < return coast {back_days:.1f} d")
                ret_ok = False
            if ff < in_days + back_days:
                reasons.append(f"endurance {ff:.1f} d < outbound + return {in_days + back_days:.1f} d")
                reach_ok = False
        if limit is None:
            reasons.append("heat-shield entry-speed limit not sourced")
            ret_ok = reach_ok = False
        elif limit < req.entry_speed_km_s:
            reasons.append(f"entry-speed limit {limit:.1f} km/s < lunar-return entry "
                           f"{req.entry_speed_km_s:.2f} km/s")
            ret_ok = reach_ok = False
        if not lunar.launcher_tli:
            reasons.append(f"no launcher in its stack ({', '.join(vehicle.launchers)}) can inject "
                           "it towards the Moon")
            reach_ok = False
    if ret_ok and reach_ok:
        reasons.insert(0, f"Δv {dv:.3f} ≥ {need_rt:.3f} km/s ({in_kind} in, {back_kind} back), "
                       f"endurance {ff:.1f} ≥ {in_days + back_days:.1f} d, "
                       f"entry limit {limit:.1f} ≥ {req.entry_speed_km_s:.2f} km/s")
    elif ret_ok:
        reasons.insert(0, f"can return a crew: Δv {dv:.3f} ≥ {back_dv:.3f} km/s ({back_kind}), "
                       f"endurance {ff:.1f} ≥ {back_days:.1f} d")
    planned = lunar is not None and station_id in lunar.planned_to_serve
    return Capability(vehicle.id, ret_ok, reach_ok, reasons, planned, dv, ff, limit)


_REQUIREMENTS: dict[tuple, Requirements] = {}


CACHE_ENV = "LIFEBOAT_CACHE_DIR"  # a folder, or "off"; default $XDG_CACHE_HOME/lifeboat
_SOLVER_FILES = ("physics.py", "halo.py", "orbits.py", "transfers.py", "returns.py", "service.py")


def requirements(orbit: LunarOrbit, *, n: int = 36, flyby: bool = True) -> Requirements:
    """Cheapest insertion and return over the phase (n departures/arrivals over one period),
    and with ``flyby`` the powered-flyby legs (seconds each); cached per orbit in the process
    and on disk (:func:`_cache_file`: the result of the same solver code on the same orbit)."""
    key = (orbit.label, orbit.period_tu, tuple(orbit.state_perilune), n, flyby)
    if key not in _REQUIREMENTS:
        path = _cache_file(key)
        req = None
        if path is not None and path.is_file():
            import json

            try:
                req = Requirements(**json.loads(path.read_text("utf-8")))
            except (OSError, ValueError, TypeError):
                req = None
        if req is None:
            req = _requirements(orbit, n, flyby)
            if path is not None:
                _write_cache(path, req)
        _REQUIREMENTS[key] = req
    return _REQUIREMENTS[key]


def _cache_file(key: tuple):
    """The disk cache file of a requirements key: named by a hash of the key and of the solver's
    source files, so any change to the solver or the orbit computes afresh. None when off."""
    import hashlib
    import os
    from importlib import resources
    from pathlib import Path

    root = os.environ.get(CACHE_ENV) or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"),
        "lifeboat")
    if root == "off":
        return None
    digest = hashlib.sha256(repr(key).encode())
    folder = resources.files("lifeboat.cislunar")
    for name in _SOLVER_FILES:
        digest.update(folder.joinpath(name).read_bytes())
    return Path(root) / "lunar-requirements" / f"{digest.hexdigest()[:32]}.json"


def _write_cache(path, req: Requirements) -> None:
    import dataclasses
    import json

    from lifeboat.fileio import write_atomic

    values = {k: None if v is None else float(v) for k, v in dataclasses.asdict(req).items()}
    try:
        write_atomic(path, json.dumps(values))
    except OSError:  # a read-only home: the cache is only a saving
        pass


def _requirements(orbit: LunarOrbit, n: int, flyby: bool) -> Requirements:
    ref = as_utc(datetime(2000, 1, 1))
    back = [t for t in scan_returns(orbit, ref, ref, n=n) if t.converged]
    out = [leg for leg in _arrival_legs(orbit, np.arange(n) * orbit.period_tu / n) if leg.converged]
    if not back or not out:
        raise InputError(f"no transfer converged for the orbit {orbit.label}", param="station")
    cheap_back = min(back, key=lambda t: t.departure_dv_km_s)
    cheap_out = min(out, key=lambda leg: leg.dv_km_s)
    fb_back = _cheapest_flyby(orbit, backwards=False) if flyby else None
    fb_out = _cheapest_flyby(orbit, backwards=True) if flyby else None
    return Requirements(cheap_out.dv_km_s, cheap_out.tof_days, _tli_dv(cheap_out.end_state),
                        cheap_back.departure_dv_km_s, cheap_back.time_of_flight_days,
                        max(t.entry_speed_km_s for t in back),
                        fb_out and fb_out.dv_km_s, fb_out and fb_out.tof_days,
                        fb_back and fb_back.dv_km_s, fb_back and fb_back.tof_days)


def _cheapest_flyby(orbit: LunarOrbit, *, backwards: bool) -> tr.FlybyLeg | None:
    """A converged powered-flyby leg from the first seed phase that gives one (returns), or its
    mirror image (arrivals), or None."""
    from lifeboat.cislunar.returns import FLYBY_SEED_PHASES_DEG, solve_flyby

    radius, sin_g = (_parking_radius(), 0.0) if backwards else tr.entry_target()
    for phase in FLYBY_SEED_PHASES_DEG:  # the first that converges (each solve costs seconds)
        p = 360.0 - phase if backwards else phase
        leg = solve_flyby(orbit, p / 360.0 * orbit.period_tu, radius=radius, sin_gamma=sin_g,
                          backwards=backwards)
        if leg is not None:
            return leg
    return None


# --- Earth → station ---------------------------------------------------------------------------


def _parking_radius() -> float:
    return (tr.R_EARTH_KM + PARKING_ALTITUDE_KM) / phy.LENGTH_UNIT_KM


def _arrival_legs(orbit: LunarOrbit, times_tu: np.ndarray) -> list[tr.Leg]:
    states = orbit.states_at(times_tu)
    return [tr.solve_leg(s, radius=_parking_radius(), sin_gamma=0.0, backwards=True) for s in states]


def _tli_dv(state: np.ndarray) -> float:
    r_km, v_km_s, _ = tr.flight_path(state)
    return v_km_s - math.sqrt(phy.GM_EARTH_KM3_S2 / r_km)


@dataclass(frozen=True)
class TransferOption:
    """One launch opportunity: direct, or through a powered lunar flyby (``flyby_utc`` set;
    ``insertion_dv_km_s`` is then both burns, the flyby burn also given alone)."""

    launch_utc: datetime
    tli_utc: datetime
    arrival_utc: datetime
    insertion_dv_km_s: float
    tli_dv_km_s: float
    time_of_flight_days: float
    arrival_phase_deg: float
    flyby_utc: datetime | None = None
    flyby_dv_km_s: float | None = None
    flyby_altitude_km: float | None = None


@dataclass(frozen=True)
class LunarTransfer:
    """Earth → station (CLI ``lifeboat lunar transfer``): the chosen launch and its alternatives."""

    station: str
    site: str
    vehicle: str
    orbit: str
    launch_utc: datetime | None
    arrival_utc: datetime | None
    insertion_dv_km_s: float | None
    tli_dv_km_s: float | None
    time_of_flight_days: float | None
    flyby_utc: datetime | None
    capability: Capability
    opportunities: list[TransferOption]
    notes: list[str] = field(default_factory=list)


def _site_eci_km(lat_deg: float, lon_deg: float, times: list[datetime]) -> np.ndarray:
    from skyfield.framelib import itrs

    from lifeboat.ephemeris import timescale
    from lifeboat.orbits.frames import geodetic_to_ecef

    r_itrs = np.asarray(geodetic_to_ecef(lat_deg, lon_deg, 0.0), float)
    rots = itrs.rotation_at(timescale().from_datetimes(times))  # (3, 3, n), GCRS → ITRS
    return np.einsum("jin,j->ni", rots, r_itrs)  # transpose: ITRS → GCRS


def _frame_rotation(epoch: datetime) -> np.ndarray:
    """Rotating-frame axes → ICRF at ``epoch`` (x̂ to the DE421 Moon, ẑ along its orbit normal)."""
    from lifeboat.cislunar.returns import _moon_frame

    r_m, v_m, _ = _moon_frame(epoch)
    x_hat = r_m / np.linalg.norm(r_m)
    z_hat = np.cross(r_m, v_m)
    z_hat /= np.linalg.norm(z_hat)
    return np.column_stack([x_hat, np.cross(z_hat, x_hat), z_hat])


def _eci_from_cr3bp_near_earth(state: np.ndarray, epoch: datetime) -> np.ndarray:
    rot = _frame_rotation(epoch)
    r, v = tr.earth_relative(state)
    return np.concatenate([rot @ r * phy.LENGTH_UNIT_KM, rot @ v * phy.VELOCITY_UNIT_KM_S])


def _launch_before(tli_utc: datetime, tli_state_km: np.ndarray, lat: float, lon: float) -> datetime | None:
    """Latest time between MAX and MIN parking coast before TLI at which the site lies in the
    parking-orbit plane (the plane of the TLI state), or None (site latitude above the plane's
    inclination)."""
    normal = np.cross(tli_state_km[:3], tli_state_km[3:])
    normal /= np.linalg.norm(normal)
    minutes = np.arange(-MAX_PARKING_COAST_H * 60.0, -MIN_PARKING_COAST_H * 60.0 + 1e-9, 2.0)
    times = [tli_utc + timedelta(minutes=float(m)) for m in minutes]
    side = _site_eci_km(lat, lon, times) @ normal
    crossings = np.flatnonzero(np.sign(side[:-1]) != np.sign(side[1:]))
    if not crossings.size:
        return None
    k = int(crossings[-1])
    frac = side[k] / (side[k] - side[k + 1])
    return tli_utc + timedelta(minutes=float(minutes[k] + 2.0 * frac))


def lunar_transfer(station_id: str, site_id: str, vehicle_id: str, time, *, perilune_epoch=None,
                   window_days: float | None = None, n: int = 48, catalog=None,
                   orbit=None, flyby: bool = True,
                   flyby_transfers: bool | None = None) -> LunarTransfer:
    """Direct transfers from ``site_id`` to the station launching at or after ``time``: arrivals
    scanned over ``window_days`` (default one orbit period) from time + the cheapest coast; the
    earliest arrival (then the cheaper) whose insertion fits the vehicle's Δv with the cheapest
    return kept in reserve is chosen. ``flyby=False`` leaves out the powered-flyby transfers and
    the flyby legs of the capability verdict (seconds each); ``flyby_transfers=False`` only the
    flyby transfers."""
    flyby_transfers = flyby if flyby_transfers is None else flyby_transfers
    cat = _catalog(catalog)
    site = cat.get("sites", site_id, source="--site")
    vehicle = cat.get("vehicles", vehicle_id, source="--vehicle")
    o, peri = station_orbit(station_id, catalog=cat, orbit=orbit)
    if perilune_epoch is not None:
        peri = _when(perilune_epoch, "perilune_epoch")
    if peri is None:
        raise InputError(f"the phase of {station_id} on its orbit is unknown; give a perilune epoch "
                         "(a perilune passage)", param="perilune_epoch")
    start = _when(time, "time")
    req = requirements(o, flyby=flyby)
    verdict = capability(vehicle, station_id, req)
    notes = ["direct transfers at every arrival of the window; " + (
             "powered-lunar-flyby transfers at "
             f"up to {MAX_FLYBY_ARRIVALS} arrivals near the phase where they converge (CR3BP only; "
             "their parking plane is not constrained to the site, so some have no launch)"
             if flyby_transfers else "powered-lunar-flyby transfers not computed"),
             f"parking orbit {PARKING_ALTITUDE_KM:g} km circular, inclined at least the site's "
             f"latitude; launch when the site passes through its plane "
             f"{MIN_PARKING_COAST_H:g}-{MAX_PARKING_COAST_H:g} h before TLI; phasing in the "
             "parking orbit is assumed absorbed by the coast"]
    span = o.period_days if window_days is None else float(window_days)
    first_arrival = start + timedelta(days=req.outbound_days - 1.0)
    arrivals = [first_arrival + timedelta(days=span * k / n) for k in range(n)]
    t_arr = np.array([phy.days_to_tu(days_between(peri, a)) for a in arrivals])
    t_orbit = np.mod(t_arr, o.period_tu) if o.periodic_in_rotating_frame else t_arr
    states = o.states_at(t_orbit)
    cos_lat = math.cos(math.radians(site.latitude_deg))
    options = []
    for a, ta, state in zip(arrivals, t_arr, states, strict=True):
        # The parking-orbit plane must contain the site: inclination ≥ its latitude, judged in
        # the Earth–Moon frame at the expected TLI epoch (refined once with the solved coast).
        leg = None
        tof_days = req.outbound_days
        for _ in range(2):
            rot = _frame_rotation(a - timedelta(days=tof_days))
            leg = tr.solve_leg(state, radius=_parking_radius(), sin_gamma=0.0, backwards=True,
                               plane=(rot, cos_lat), guess=None if leg is None else (leg.dv, leg.tof))
            if not leg.converged:
                break
            tof_days = leg.tof_days
        if leg is None or not leg.converged:
            continue
        tli = a - timedelta(days=leg.tof_days)
        launch = _launch_before(tli, _eci_from_cr3bp_near_earth(leg.end_state, tli),
                                site.latitude_deg, site.longitude_deg)
        if launch is None or launch < start:
            continue
        options.append(TransferOption(launch, tli, a, leg.dv_km_s, _tli_dv(leg.end_state),
                                      days_between(launch, a), o.phase_deg_at(ta)))
    if flyby_transfers:
        options += _flyby_options(o, peri, arrivals, t_arr, site, start)
    options.sort(key=lambda x: x.arrival_utc)
    budget = None if vehicle.lunar is None else vehicle.lunar.delta_v_km_s
    back_dv = req.cheapest_return()[0]
    fits = [x for x in options if budget is None or x.insertion_dv_km_s + back_dv <= budget]
    chosen = min(fits, key=lambda x: (x.arrival_utc, x.insertion_dv_km_s)) if fits else None
    if not verdict.can_reach_and_return:
        notes.append(f"{vehicle_id} cannot reach and return from the station: "
                     + "; ".join(verdict.reasons))
    if chosen is None:
        notes.append("no launch opportunity in the window fits the vehicle's Δv "
                     "(insertion + cheapest return)" if options else
                     "no launch opportunity in the window (site latitude above the plane's "
                     "inclination, or no converged transfer)")
    return LunarTransfer(
        station=station_id, site=site_id, vehicle=vehicle_id, orbit=o.label,
        launch_utc=chosen and chosen.launch_utc, arrival_utc=chosen and chosen.arrival_utc,
        insertion_dv_km_s=chosen and chosen.insertion_dv_km_s,
        tli_dv_km_s=chosen and chosen.tli_dv_km_s,
        time_of_flight_days=chosen and chosen.time_of_flight_days,
        flyby_utc=chosen and chosen.flyby_utc,
        capability=verdict, opportunities=options, notes=notes)


MAX_FLYBY_ARRIVALS = 3


def _flyby_options(o: LunarOrbit, peri: datetime, arrivals, t_arr, site, start) -> list[TransferOption]:
    """Powered-flyby transfers for the arrivals nearest the mirror of the flyby seed phase."""
    from lifeboat.cislunar.returns import FLYBY_SEED_PHASES_DEG, solve_flyby

    if not o.periodic_in_rotating_frame:
        return []
    target = 360.0 - FLYBY_SEED_PHASES_DEG[0]
    phases = [o.phase_deg_at(t) for t in t_arr]
    near = sorted(range(len(arrivals)), key=lambda k: abs((phases[k] - target + 180.0) % 360.0 - 180.0))
    out = []
    for k in near[:MAX_FLYBY_ARRIVALS]:
        leg = solve_flyby(o, float(t_arr[k] % o.period_tu), radius=_parking_radius(),
                          sin_gamma=0.0, backwards=True)
        if leg is None:
            continue
        a = arrivals[k]
        tli = a - timedelta(days=leg.tof_days)
        launch = _launch_before(tli, _eci_from_cr3bp_near_earth(leg.end_state, tli),
                                site.latitude_deg, site.longitude_deg)
        if launch is None or launch < start:
            continue
        out.append(TransferOption(launch, tli, a, leg.dv_km_s, _tli_dv(leg.end_state),
                                  days_between(launch, a), phases[k],
                                  a - timedelta(days=phy.tu_to_days(leg.tof_to_flyby)),
                                  leg.flyby_dv_km_s, leg.flyby_altitude_km))
    return out


# --- the planner's entry point -----------------------------------------------------------------


@dataclass(frozen=True)
class VehicleReturn:
    """A vehicle docked at the station as the crew's ride home: its verdict and earliest entry."""

    capability: Capability
    earliest_departure_utc: datetime | None
    earliest_entry_utc: datetime | None
    departure_dv_km_s: float | None
    home_after_decision_days_min: float | None  # over the phase, when it is unknown
    home_after_decision_days_max: float | None


@dataclass(frozen=True)
class LunarEvacuation:
    station: str
    orbit: str
    orbit_period_days: float
    decision_utc: datetime
    phase_known: bool
    perilune_utc: datetime | None
    requirements: Requirements
    trade: list[ReturnOption]
    vehicles: list[VehicleReturn]
    notes: list[str] = field(default_factory=list)


def lunar_evacuation(station_id: str, decision_utc, *, perilune_epoch=None, catalog=None,
                     orbit=None, n: int = 100, flyby: bool = True) -> LunarEvacuation:
    """Every catalog vehicle as a lifeboat docked at the lunar station: can it bring the crew home
    (physics, with reasons; policy apart), and when, from the return trade after the decision.
    With the phase unknown, the trade is over the phase (times relative to a nominal perilune at
    the decision) and each vehicle gets the best and worst "home after decision" over the phase.
    ``flyby=False`` skips the powered-flyby legs in the verdicts (faster; direct legs only)."""
    cat = _catalog(catalog)
    decision = _when(decision_utc, "decision_utc")
    o, peri = station_orbit(station_id, catalog=cat, orbit=orbit)
    if perilune_epoch is not None:
        peri = _when(perilune_epoch, "perilune_epoch")
    known = peri is not None
    ref = peri if known else decision
    trade = scan_returns(o, ref, decision, n=n)
    req = requirements(o, flyby=flyby)
    rows = []
    for v in cat.vehicles.values():
        cap = capability(v, station_id, req)
        dv = None if v.lunar is None else v.lunar.delta_v_km_s
        ok = [t for t in trade if t.converged and dv is not None and t.departure_dv_km_s <= dv] \
            if cap.can_return_crew else []
        first = min(ok, key=lambda t: t.departure_utc) if ok else None
        lo = hi = None
        if ok and not known:
            homes = []
            period = o.period_days
            for t0 in trade:  # the decision at each phase of the scan
                waits = [((t.wait_days - t0.wait_days) % period) + t.time_of_flight_days
                         for t in ok]
                homes.append(min(waits))
            lo, hi = min(homes), max(homes)
        rows.append(VehicleReturn(
            cap, first.departure_utc if first and known else None,
            first.entry_utc if first and known else None,
            first.departure_dv_km_s if first else None, lo, hi))
    notes = [] if known else [
        "station phase unknown: departure and entry times are relative to a nominal perilune at "
        "the decision; use home_after_decision_days_min/max"]
    notes += [f"{r.capability.vehicle}: can return a crew only by a powered lunar flyby; its "
              "times are not in the (direct) trade" for r in rows
              if r.capability.can_return_crew and r.departure_dv_km_s is None]
    return LunarEvacuation(station_id, o.label, o.period_days, decision, known, peri, req, trade,
                           rows, notes)


def describe_time(value: datetime | None) -> str:
    return "–" if value is None else iso_z(value)
