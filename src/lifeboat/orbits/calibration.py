"""Launch calibration: how the launch-window model does on real launches.

A dataset of real launches to a station (``tests/data/station_launches.toml``: liftoff time,
launcher, site, the scheme flown, and the station's element set from before the liftoff) gives,
for each launch,

* the **lead**: the pad's in-plane instant (:func:`windows.find_plane_crossings`, from the element
  set) minus the real liftoff, in s — what ``Launcher.launch_lead_s`` models;
* the **phase** at the real insertion (liftoff + ``insertion_time_s``), as
  :func:`rendezvous.phase_angles_deg` computes it — what the schemes' ``phase_window_deg`` hold.

:func:`fit_launch_leads` fits one lead per launcher family on the rows marked ``fit`` (the median);
:func:`judge_launches` runs the full :func:`windows.launch_opportunities` service on every row
from 12 h before the liftoff and reports the opportunity nearest the real liftoff: its time error
and whether it offers the scheme flown. Only the element set (epoch before the liftoff) and the
catalog enter a prediction; the recorded liftoff is used only to score it.

Real returns (``tests/data/soyuz_returns.toml``, ``dragon_returns.toml``, ``shenzhou_returns.toml``)
are judged the same way: the landing search run from each real undocking time (:func:`judge_return`)
against the recorded touchdown. :func:`fit_undock_to_burn_s` fits each vehicle's earliest deorbit
burn after undocking (the catalog's ``undock_to_burn_s``) as the shortest interval of the ``fit``
rows; :func:`judge_return_timing` judges a return against it (allowed or not) and, where the row
has an element set, runs the search from the real undocking (first opportunity, and the one
nearest the recorded landing, which only scores).

``python -m lifeboat.orbits.calibration tests/data/station_launches.toml
tests/data/soyuz_returns.toml tests/data/dragon_returns.toml tests/data/shenzhou_returns.toml``
prints the tables (any subset, in any order; docs/orbits.md, "Launch calibration" and "Landings:
real returns").
"""

from __future__ import annotations

import math
import statistics
import sys
import tomllib
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from lifeboat.catalog import load_catalog
from lifeboat.errors import InputError
from lifeboat.orbits import physics, rendezvous
from lifeboat.orbits.station import StationOrbit
from lifeboat.orbits.windows import (
    DEFAULT_INSERTION_ALTITUDE_KM,
    azimuth_allowed,
    find_plane_crossings,
    ground_azimuths_deg,
    launch_opportunities,
    phasing_delay_s,
)
from lifeboat.timeutil import as_utc, datetime_to_jd

# Launchers flying the same ascent share one fitted lead: Soyuz-2.1a flies the Soyuz-FG
# trajectory (same third stage, same ~200 km insertion orbit, same insertion_time_s).
LEAD_FAMILIES = {"soyuz-fg": "soyuz", "soyuz-2.1a": "soyuz"}
_SEARCH_BEFORE_H = 12.0
# Two element sets of one satellite are taken as consistent when the node of the first, carried
# by SGP4 to the second's epoch, agrees within this (deg). Genuine ISS sets 1-19 days apart agree
# to 0.04 deg or better, genuine Tiangong sets 6-42 days apart to 0.16 deg (the station reboosts);
# edited copies miss by degrees.
NODE_CHECK_TOL_DEG = 0.2
# scheme_flown values that name no catalog scheme: "any" (Crew Dragon: the flight-time record does
# not single out one of the catalog's schemes) and "unrecorded" (no docking time was found).
NO_SCHEME = ("any", "unrecorded")


def lead_family(launcher_id: str) -> str:
    return LEAD_FAMILIES.get(launcher_id, launcher_id)


@dataclass(frozen=True)
class Launch:
    """One real launch of the dataset."""

    id: str
    vehicle: str
    launcher: str
    site: str
    liftoff_utc: datetime
    scheme_flown: str
    split: str
    tle: tuple[str, str]
    tle_check: tuple[str, str]
    docking_utc: datetime | None = None


@dataclass(frozen=True)
class LaunchGeometry:
    launch: Launch
    lead_s: float  # pad in-plane instant minus the real liftoff
    phase_deg: float  # station ahead of the chaser at the real insertion, [0, 360)
    tle_age_days: float  # liftoff minus the element set's epoch
    # The service's phasing delay at this launch (windows.launch_opportunities): from the fastest
    # scheme feasible at phase_deg; lead_s + phasing_delay_s is what Launcher.launch_lead_s models.
    phasing_delay_s: float = 0.0


@dataclass(frozen=True)
class LaunchJudgement:
    launch: Launch
    predicted_utc: datetime | None  # the opportunity nearest the real liftoff
    error_s: float | None  # predicted minus real liftoff
    schemes_offered: list[str]
    scheme_hit: bool | None  # None: the scheme flown is unrecorded
    docking_error_s: float | None = None  # flown scheme's predicted docking minus the record


def load_launches(path: str | Path) -> list[Launch]:
    """The launches of a dataset file (TOML, ``[[launch]]`` tables; see the file's header)."""
    path = Path(path)
    try:
        rows = tomllib.loads(path.read_text())["launch"]
    except (OSError, tomllib.TOMLDecodeError, KeyError) as exc:
        raise InputError(f"cannot read launches: {exc}", source=str(path)) from exc
    launches = []
    for row in rows:
        split = row["split"]
        if split not in ("fit", "held_out"):
            raise InputError(f"split must be 'fit' or 'held_out', got {split!r}", source=str(path), where=row["id"])
        launches.append(
            Launch(
                id=row["id"], vehicle=row["vehicle"], launcher=row["launcher"], site=row["site"],
                liftoff_utc=as_utc(datetime.fromisoformat(row["liftoff_utc"])),
                scheme_flown=row["scheme_flown"], split=split,
                tle=tuple(row["tle"]), tle_check=tuple(row["tle_check"]),
                docking_utc=as_utc(datetime.fromisoformat(row["docking_utc"])) if "docking_utc" in row else None,
            )
        )
    return launches


def node_check_deg(tle: tuple[str, str], check: tuple[str, str]) -> float:
    """Node of ``check`` minus the node of ``tle`` propagated by SGP4 to the check's epoch (deg, in
    (-180, 180]; osculating nodes from r x v, TEME); both sets are parsed with their checksums
    verified. SGP4 carries the node at the J2 drift of the set's own orbit, drag included."""
    orbit = StationOrbit.from_tle(*tle)
    other = StationOrbit.from_tle(*check)
    jd = np.array([other.epoch_jd_utc])

    def node_rad(o: StationOrbit) -> float:
        r, v = o.state_teme(jd)
        h = np.cross(r[0], v[0])
        return math.atan2(h[0], -h[1])

    return math.degrees((node_rad(other) - node_rad(orbit) + math.pi) % (2 * math.pi) - math.pi)


def launch_geometry(launch: Launch) -> LaunchGeometry:
    """Lead and insertion phase of a real launch, from its pre-launch element set."""
    cat = load_catalog()
    site = cat.site(launch.site)
    launcher = cat.launcher(launch.launcher)
    orbit = StationOrbit.from_tle(*launch.tle, name=launch.id)
    jd = datetime_to_jd(launch.liftoff_utc)
    crossings = find_plane_crossings(
        orbit, site.latitude_deg, site.longitude_deg, site.altitude_m / 1e3, jd - 0.1, jd + 0.1
    )
    # The crossing nearest liftoff among those whose azimuth the site's range allows (the
    # direction the launch actually flies: north-east from Baikonur and Florida, south-east from Jiuquan).
    _, ground = ground_azimuths_deg(site.latitude_deg, crossings, DEFAULT_INSERTION_ALTITUDE_KM)
    allowed = azimuth_allowed(ground, site.azimuth_ranges_deg)
    distance = np.abs(crossings.jd_utc - jd) + np.where(allowed, 0.0, 1.0)
    k = int(np.argmin(distance))
    phase = rendezvous.phase_angles_deg(
        orbit, np.array([jd + launcher.insertion_time_s / 86400.0]), crossings.site_arg_lat_rad[k : k + 1],
        rendezvous.ascent_downrange_km(launcher),
    )[0]
    insertion_alt = rendezvous.insertion_altitude_km(launcher, DEFAULT_INSERTION_ALTITUDE_KM)
    options = rendezvous.feasible_schemes(
        cat.vehicle(launch.vehicle).rendezvous, float(phase), launch.liftoff_utc, launcher.insertion_time_s,
        orbit.period_s, float(physics.circular_period_s(physics.R_EARTH_EQ_KM + insertion_alt)),
    )
    return LaunchGeometry(
        launch=launch, lead_s=float((crossings.jd_utc[k] - jd) * 86400.0), phase_deg=float(phase),
        tle_age_days=float(jd - orbit.epoch_jd_utc), phasing_delay_s=phasing_delay_s(options, orbit, insertion_alt),
    )


def fit_launch_leads(launches: list[Launch]) -> dict[str, float]:
    """Median lead (s) per launcher family, over the ``fit`` rows only: crossing minus liftoff
    plus the phasing delay the service adds (so that the service reproduces the median row)."""
    by_family: dict[str, list[float]] = {}
    for launch in launches:
        if launch.split == "fit":
            geom = launch_geometry(launch)
            by_family.setdefault(lead_family(launch.launcher), []).append(geom.lead_s + geom.phasing_delay_s)
    return {family: float(statistics.median(leads)) for family, leads in by_family.items()}


def fit_scheme_orbits(launches: list[Launch]) -> dict[tuple[str, str], float]:
    """Effective revolutions from insertion to docking, per (vehicle, scheme), over the ``fit``
    rows with a recorded docking: the median of N = (docking - liftoff - insertion_time_s) / P_s
    + φ / 360, which inverts :func:`rendezvous.scheme_duration_s` (no catch-up laps)."""
    cat = load_catalog()
    by_scheme: dict[tuple[str, str], list[float]] = {}
    for launch in launches:
        if launch.split != "fit" or launch.docking_utc is None or launch.scheme_flown in NO_SCHEME:
            continue
        scheme = next(s for s in cat.vehicle(launch.vehicle).rendezvous if s.name == launch.scheme_flown)
        # A target-phased scheme is timed at its window's middle (the phase the station sets up),
        # not at the phase the pre-manoeuvre elements give.
        phase = 0.5 * sum(scheme.phase_window_deg) if scheme.target_phased else launch_geometry(launch).phase_deg
        period = StationOrbit.from_tle(*launch.tle).period_s
        flight_s = (launch.docking_utc - launch.liftoff_utc).total_seconds()
        revs = (flight_s - cat.launcher(launch.launcher).insertion_time_s) / period + phase / 360.0
        by_scheme.setdefault((launch.vehicle, launch.scheme_flown), []).append(revs)
    return {key: float(statistics.median(values)) for key, values in by_scheme.items()}


def judge_launch(launch: Launch) -> LaunchJudgement:
    """The catalog's launch opportunities around a real launch, judged against it."""
    orbit = StationOrbit.from_tle(*launch.tle, name=launch.id)
    start = launch.liftoff_utc - timedelta(hours=_SEARCH_BEFORE_H)
    result = launch_opportunities(launch.site, orbit, start, 1.0, vehicle_id=launch.vehicle, launcher_id=launch.launcher)
    if not result.opportunities:
        return LaunchJudgement(launch, None, None, [], None if launch.scheme_flown == "unrecorded" else False)
    nearest = min(result.opportunities, key=lambda o: abs((o.launch_utc - launch.liftoff_utc).total_seconds()))
    offered = [s.name for s in nearest.schemes]
    hit = (None if launch.scheme_flown == "unrecorded"
           else bool(offered) if launch.scheme_flown == "any" else launch.scheme_flown in offered)
    flown = next((s for s in nearest.schemes if s.name == launch.scheme_flown), None)
    docking_error = (
        (flown.dock_utc - launch.docking_utc).total_seconds()
        if flown is not None and launch.docking_utc is not None else None
    )
    return LaunchJudgement(
        launch=launch, predicted_utc=nearest.launch_utc,
        error_s=(nearest.launch_utc - launch.liftoff_utc).total_seconds(), schemes_offered=offered, scheme_hit=hit,
        docking_error_s=docking_error,
    )


# --- Returns: the landing search from the real undocking time -------------------------------


@dataclass(frozen=True)
class Return:
    """One real return of a returns dataset (``tests/data/*_returns.toml``); ``tle`` is None
    where no element set from before the undocking was found."""

    id: str
    vehicle: str
    undock_utc: datetime
    landing_utc: datetime
    split: str
    tle: tuple[str, str] | None
    tle_check: tuple[str, str] | None
    burn_utc: datetime | None = None
    landing_deg: tuple[float, float] | None = None


@dataclass(frozen=True)
class ReturnJudgement:
    ret: Return
    predicted_landing_utc: datetime | None  # first opportunity from the real undocking time
    time_error_s: float | None
    distance_km: float | None  # from the recorded touchdown, where recorded
    zone: str | None


@dataclass(frozen=True)
class ReturnTiming:
    """A real return against the vehicle's earliest burn after undocking (``undock_to_burn_s``).

    ``undock_to_burn_s`` is the recorded interval (``burn_recorded``) or the landing minus the
    catalog's ``burn_to_landing_s`` minus the undocking; ``allowed``: the fitted minimum lets the
    search offer this burn. With an element set, the landing search from the real undocking gives
    its first opportunity and the one nearest the recorded landing (``nearest_error_s``)."""

    ret: Return
    undock_to_burn_s: float
    burn_recorded: bool
    allowed: bool
    first_landing_utc: datetime | None = None
    nearest_landing_utc: datetime | None = None
    nearest_error_s: float | None = None
    nearest_zone: str | None = None


def load_returns(path: str | Path) -> list[Return]:
    """The returns of a dataset file (TOML, ``[[return]]`` tables; see the file's header)."""
    path = Path(path)
    try:
        rows = tomllib.loads(path.read_text())["return"]
    except (OSError, tomllib.TOMLDecodeError, KeyError) as exc:
        raise InputError(f"cannot read returns: {exc}", source=str(path)) from exc

    def when(row, key):
        return as_utc(datetime.fromisoformat(row[key])) if key in row else None

    returns = []
    for row in rows:
        if row["split"] not in ("fit", "held_out"):
            raise InputError(f"split must be 'fit' or 'held_out', got {row['split']!r}", source=str(path),
                             where=row["id"])
        returns.append(Return(
            id=row["id"], vehicle=row.get("vehicle", "soyuz-ms"), undock_utc=when(row, "undock_utc"),
            landing_utc=when(row, "landing_utc"), split=row["split"],
            tle=tuple(row["tle"]) if "tle" in row else None,
            tle_check=tuple(row["tle_check"]) if "tle_check" in row else None, burn_utc=when(row, "burn_utc"),
            landing_deg=tuple(row["landing_deg"]) if "landing_deg" in row else None,
        ))
    return returns


def judge_return(ret: Return, days: float = 1.0) -> ReturnJudgement:
    """The first landing opportunity from the real undocking time, against the record."""
    from lifeboat.orbits.geo import great_circle_distance_km
    from lifeboat.orbits.landings import landing_opportunities

    orbit = StationOrbit.from_tle(*ret.tle, name=ret.id)
    result = landing_opportunities(ret.vehicle, orbit, ret.undock_utc, days=days)
    if not result.opportunities:
        return ReturnJudgement(ret, None, None, None, None)
    first = result.opportunities[0]
    distance = (
        float(great_circle_distance_km(first.latitude_deg, first.longitude_deg, *ret.landing_deg))
        if ret.landing_deg is not None else None
    )
    return ReturnJudgement(
        ret=ret, predicted_landing_utc=first.landing_utc,
        time_error_s=(first.landing_utc - ret.landing_utc).total_seconds(), distance_km=distance, zone=first.zone,
    )


def undock_to_burn_s(ret: Return) -> tuple[float, bool]:
    """Undocking to deorbit burn of a real return (s), and whether the burn time is recorded; where
    it is not, the burn is the recorded landing minus the catalog's ``burn_to_landing_s``."""
    if ret.burn_utc is not None:
        return (ret.burn_utc - ret.undock_utc).total_seconds(), True
    profile = load_catalog().vehicle(ret.vehicle).deorbit
    return (ret.landing_utc - ret.undock_utc).total_seconds() - profile.burn_to_landing_s, False


def fit_undock_to_burn_s(returns: list[Return]) -> dict[str, float]:
    """The earliest deorbit burn after undocking, per vehicle: the shortest undock-to-burn interval
    (:func:`undock_to_burn_s`) over the ``fit`` rows only."""
    by_vehicle: dict[str, list[float]] = {}
    for ret in returns:
        if ret.split == "fit":
            by_vehicle.setdefault(ret.vehicle, []).append(undock_to_burn_s(ret)[0])
    return {vehicle: min(values) for vehicle, values in by_vehicle.items()}


def judge_return_timing(ret: Return, fitted_undock_to_burn_s: float, days: float = 2.5) -> ReturnTiming:
    """A real return against a fitted earliest burn; with an element set, the catalog's landing
    search run from the real undocking over ``days`` (its first opportunity, and the one nearest
    the recorded landing, which is used only to score)."""
    from lifeboat.orbits.landings import landing_opportunities

    interval, recorded = undock_to_burn_s(ret)
    timing = ReturnTiming(ret, interval, recorded, interval >= fitted_undock_to_burn_s)
    if ret.tle is None:
        return timing
    result = landing_opportunities(ret.vehicle, StationOrbit.from_tle(*ret.tle, name=ret.id), ret.undock_utc, days=days)
    if not result.opportunities:
        return timing
    nearest = min(result.opportunities, key=lambda o: abs((o.landing_utc - ret.landing_utc).total_seconds()))
    return replace(
        timing, first_landing_utc=result.opportunities[0].landing_utc, nearest_landing_utc=nearest.landing_utc,
        nearest_error_s=(nearest.landing_utc - ret.landing_utc).total_seconds(), nearest_zone=nearest.zone,
    )


def _returns_table(returns: list[Return]) -> str:
    lines = ["return        split     tle_age_d  predicted_landing        time_err_s  dist_km  zone"]
    for ret in returns:
        judged = judge_return(ret)
        age = (ret.undock_utc - StationOrbit.from_tle(*ret.tle).epoch_utc).total_seconds() / 86400.0
        lines.append(
            f"{ret.id:13s} {ret.split:8s} {age:10.2f}  {judged.predicted_landing_utc!s:24s} "
            f"{judged.time_error_s if judged.time_error_s is not None else float('nan'):10.1f} "
            f"{judged.distance_km if judged.distance_km is not None else float('nan'):8.1f}  {judged.zone}"
        )
    return "\n".join(lines)


def _timing_table(returns: list[Return]) -> str:
    def hm(seconds: float) -> str:
        return f"{int(seconds // 3600)} h {int(seconds % 3600 // 60):02d} min"

    fitted = fit_undock_to_burn_s(returns)
    lines = ["earliest burn after undocking, fitted on the fit rows (shortest recorded interval): " + ", ".join(
        f"{vehicle} {value:.0f} s ({hm(value)})" for vehicle, value in sorted(fitted.items()))]
    lines.append("return               split     undock->burn     burn      allowed  tle_age_d  "
                 "first_opportunity     nearest_err_s  zone")
    allowed: dict[tuple[str, str], list[bool]] = {}
    for ret in returns:
        timing = judge_return_timing(ret, fitted[ret.vehicle])
        allowed.setdefault((ret.vehicle, ret.split), []).append(timing.allowed)
        age = ((ret.undock_utc - StationOrbit.from_tle(*ret.tle).epoch_utc).total_seconds() / 86400.0
               if ret.tle else float("nan"))
        first = timing.first_landing_utc.strftime("%Y-%m-%dT%H:%M:%SZ") if timing.first_landing_utc else "-"
        err = f"{timing.nearest_error_s:13.1f}" if timing.nearest_error_s is not None else f"{'-':>13s}"
        lines.append(
            f"{ret.id:20s} {ret.split:8s} {hm(timing.undock_to_burn_s):>14s}  "
            f"{'record' if timing.burn_recorded else 'derived':8s} {'yes' if timing.allowed else 'NO':7s} "
            f"{age:10.2f}  {first:21s} {err}  {timing.nearest_zone or '-'}"
        )
    lines.append("allowed by the fitted minimum: " + ", ".join(
        f"{vehicle} {split} {sum(v)}/{len(v)}" for (vehicle, split), v in sorted(allowed.items())))
    return "\n".join(lines)


def _table(launches: list[Launch]) -> str:
    lines = ["launch               launcher      split     lead_s  delay_s  phase_deg  tle_age_d  pred_err_s  dock_err_min  flown      offered"]
    errors: dict[tuple[str, str], list[float]] = {}
    hits: dict[str, list[bool]] = {}
    for launch in launches:
        geom = launch_geometry(launch)
        judged = judge_launch(launch)
        err = judged.error_s
        errors.setdefault((lead_family(launch.launcher), launch.split), []).append(
            abs(err) if err is not None else math.inf
        )
        if judged.scheme_hit is not None:
            hits.setdefault(launch.split, []).append(judged.scheme_hit)
        lines.append(
            f"{launch.id:20s} {launch.launcher:13s} {launch.split:8s} {geom.lead_s:7.1f} {geom.phasing_delay_s:8.1f} {geom.phase_deg:10.1f} "
            f"{geom.tle_age_days:10.2f} {err if err is not None else float('nan'):11.1f} "
            f"{judged.docking_error_s / 60 if judged.docking_error_s is not None else float('nan'):13.1f}  "
            f"{launch.scheme_flown:10s} "
            f"{','.join(judged.schemes_offered) or '-'}"
        )
    lines += ["", "liftoff error",
              "family   split     n  median|err|_s  worst|err|_s"]
    for (family, split), errs in sorted(errors.items()):
        lines.append(f"{family:8s} {split:8s} {len(errs):2d} {statistics.median(errs):14.1f} {max(errs):13.1f}")
    lines += ["", "scheme flown offered at the nearest opportunity:"]
    for split, values in sorted(hits.items()):
        lines.append(f"  {split}: {sum(values)}/{len(values)}")
    lines += ["", "leads fitted on the fit rows (s): " + ", ".join(
        f"{family} {lead:.1f}" for family, lead in sorted(fit_launch_leads(launches).items()))]
    lines += ["revolutions insertion to docking fitted on the fit rows: " + ", ".join(
        f"{vehicle} {scheme} {revs:.2f}" for (vehicle, scheme), revs in sorted(fit_scheme_orbits(launches).items()))]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m lifeboat.orbits.calibration [LAUNCHES.toml] [RETURNS.toml ...]", file=sys.stderr)
        return 2
    for k, path in enumerate(argv):
        if k:
            print()
        data = tomllib.loads(Path(path).read_text())
        if "launch" in data:
            print(_table(load_launches(path)))
            continue
        returns = load_returns(path)
        if all(r.vehicle == "soyuz-ms" for r in returns):
            print(_returns_table(returns))
            print()
        print(_timing_table(returns))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
