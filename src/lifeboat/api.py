"""Lifeboat from Python: one import for every service the command line offers.

>>> from lifeboat import api
>>> r = api.abort("soyuz-fg", failure_time=120)
>>> r.apogee_km > 50
True

Each function takes the same names and units as the matching CLI option (``--hole-mm`` is
``hole_mm``, ``--max-tle-age-days`` is ``max_tle_age_days``; a time option is ``time``, an ISO 8601
string, ``"now"`` or an aware :class:`~datetime.datetime`; ``tle_file`` is any elements file the
CLI reads, TLE or CCSDS OMM, with ``satellite`` choosing one of several) and returns a typed dataclass result:
``to_jsonable(result)`` is exactly what the CLI prints with ``--json``. Results print a short
``repr``; those that hold a table have ``to_frame()`` (needs pandas: ``pip install
'lifeboat[pandas]'``). Bad input raises :class:`~lifeboat.errors.InputError` (a ``ValueError``)
whose ``param`` names the Python parameter at fault.

Heavy modules load on first use, so ``import lifeboat.api`` is quick. See ``docs/api.md``.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import os
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime
from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from lifeboat.errors import InputError
from lifeboat.jsonable import dumps, to_jsonable
from lifeboat.timeutil import parse_utc

__all__ = [
    "InputError", "to_jsonable", "dumps", "use_catalog",
    "catalog", "catalog_record", "scenarios", "load_scenario", "validate_scenario",
    "assess", "write_report", "windows", "reach", "landings", "abort", "leak", "fit", "isolate",
    "nrho", "gateway_access", "risk", "compare", "importance", "rates", "sweep", "history",
    "replay", "elements_fetch", "lunar_return", "lunar_transfer",
    "lunar_abort",
]

F = TypeVar("F", bound=Callable[..., Any])


# --- results -------------------------------------------------------------------------------------


class _Result:
    """Short ``repr`` and ``to_frame()`` for a service's dataclass result."""

    _headline: ClassVar[tuple[str, ...]] = ()  # fields shown by repr
    _table: ClassVar[str | None] = None  # the list (or dict) field that to_frame turns into rows

    def __repr__(self) -> str:
        parts = [f"{name}={_short(getattr(self, name, None))}" for name in self._headline]
        if self._table is not None:
            parts.append(f"{self._table}=<{len(getattr(self, self._table))} rows>")
        return f"{type(self).__name__}({', '.join(parts)})"

    def to_frame(self) -> Any:
        """The table of this result as a pandas ``DataFrame`` (one row per item, flat columns)."""
        if self._table is None:
            return _frame([self])
        rows = getattr(self, self._table)
        if isinstance(rows, dict):
            return _frame([{"key": k, **_flat(v)} for k, v in rows.items()])
        return _frame(rows)


class ResultList(list):
    """A list of results (``compare``, ``history``, ``gateway_access('all')``) with
    ``to_frame()``; its JSON is the plain list's."""

    def __repr__(self) -> str:
        names = ", ".join(type(r).__name__ for r in self[:3]) + (", …" if len(self) > 3 else "")
        return f"ResultList(<{len(self)}: {names}>)"

    def to_frame(self) -> Any:
        return _frame(list(self))


def _short(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, datetime):
        return repr(to_jsonable(value))
    if isinstance(value, list | tuple) and len(value) > 4:
        return f"<{len(value)} items>"
    return repr(value)


def _flat(row: Any, prefix: str = "") -> dict[str, Any]:
    """A record as flat columns: nested records become ``a.b``, lists of names one string, other
    lists their length, pairs (intervals) stay tuples."""
    if hasattr(row, "model_dump"):
        items = {k: getattr(row, k) for k in type(row).model_fields}
    elif dataclasses.is_dataclass(row) and not isinstance(row, type):
        items = {f.name: getattr(row, f.name) for f in dataclasses.fields(row)}
    elif isinstance(row, dict):
        items = dict(row)
    else:
        return {prefix.rstrip(".") or "value": row}
    out: dict[str, Any] = {}
    for key, value in items.items():
        name = f"{prefix}{key}"
        if hasattr(value, "model_dump") or (dataclasses.is_dataclass(value)
                                            and not isinstance(value, type)) \
                or isinstance(value, dict):
            out.update(_flat(value, name + "."))
        elif isinstance(value, tuple):  # a pair such as a 95 % interval
            out[name] = value
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            out[name] = ", ".join(value)
        elif isinstance(value, list):  # nested records: their number
            out[name] = len(value)
        elif isinstance(value, float) and not math.isfinite(value):
            out[name] = None if math.isnan(value) else value
        else:
            out[name] = value
    return out


def _frame(rows: Sequence[Any]) -> Any:
    try:
        import pandas as pd
    except ModuleNotFoundError:
        raise ModuleNotFoundError("to_frame() needs pandas: pip install 'lifeboat[pandas]'",
                                  name="pandas") from None
    return pd.DataFrame([_flat(r) for r in rows])


# api name -> (module, service class, table field, repr fields)
_TYPES: dict[str, tuple[str, str, str | None, tuple[str, ...]]] = {
    "Assessment": ("lifeboat.rescue.assess", "Assessment", None, ("scenario_id", "title")),
    "Windows": ("lifeboat.orbits.windows", "WindowsResult", "opportunities",
                ("site", "station", "vehicle", "start_utc", "days")),
    "Landings": ("lifeboat.orbits.landings", "LandingsResult", "opportunities",
                 ("vehicle", "station", "earliest_undock_utc", "days")),
    "Reach": ("lifeboat.orbits.reach", "ReachMatrix", "cells",
              ("station", "inclination_deg", "altitude_km", "days")),
    "Abort": ("lifeboat.orbits.abort", "AbortResult", None,
              ("launcher", "site", "vehicle", "failure_time_s", "apogee_km", "downrange_km")),
    "Leak": ("lifeboat.cabin.leak", "LeakSummary", None,
             ("module", "hole_diameter_mm", "initial_rate_mmhg_per_h", "time_to_limit_h",
              "reserve_time_linear_h", "evacuate_now")),
    "LeakFit": ("lifeboat.cabin.fit", "LeakFit", None,
                ("source", "samples", "leak_detected", "hole_diameter_mm",
                 "hole_diameter_ci95_mm")),
    "Isolation": ("lifeboat.cabin.isolate", "IsolationResult", None,
                  ("time_to_locate_h", "shelter")),
    "Orbit": ("lifeboat.cislunar.halo", "PeriodicOrbit", None,
              ("family", "period_days", "perilune_radius_km", "stability_index")),
    "GatewayAccess": ("lifeboat.cislunar.gateway", "GatewayAccess", None,
                      ("vehicle", "reachable", "arrival_utc", "return_utc")),
    "Risk": ("lifeboat.risk.engine", "RiskResult", None,
             ("architecture", "trials", "seed", "p_loc", "p_loc_ci95")),
    "Comparison": ("lifeboat.risk.engine", "Comparison", "results",
                   ("baseline", "trials", "seed", "uncertainty_draws")),
    "Importance": ("lifeboat.risk.importance", "ImportanceResult", "events",
                   ("architecture", "metric", "base", "trials")),
    "Rates": ("lifeboat.risk.rates", "RatesResult", "rates", ("until", "interval", "coverage")),
    "ElementsFetch": ("lifeboat.orbits.fetch", "FetchResult", None,
                      ("path", "format", "count", "fetched_utc")),
    "LunarReturn": ("lifeboat.cislunar.returns", "LunarReturn", "trade",
                    ("station", "departure_utc", "departure_dv_km_s", "time_of_flight_days")),
    "LunarTransfer": ("lifeboat.cislunar.service", "LunarTransfer", "opportunities",
                      ("station", "launch_utc", "arrival_utc", "insertion_dv_km_s")),
    "SurfaceAbort": ("lifeboat.cislunar.surface", "SurfaceAbort", "branches",
                     ("site", "lander", "station", "recommended")),
    "Sweep": ("lifeboat.risk.sweep", "SweepResult", "points",
              ("sweep", "kind", "architecture", "computed", "reused")),
    "Replay": ("lifeboat.rescue.history", "Replay", "differences", ("id", "title", "period")),
    "Incident": ("lifeboat.rescue.history", "IncidentSummary", None, ("id", "title", "period")),
}


@functools.cache
def _result_type(name: str) -> type:
    module, base_name, table, headline = _TYPES[name]
    base = getattr(import_module(module), base_name)
    return type(name, (_Result, base), {
        "__module__": __name__, "__qualname__": name, "__doc__": base.__doc__,
        "_table": table, "_headline": headline,
    })


def _typed(name: str, value: Any) -> Any:
    """The service result ``value`` as the API type ``name`` (same fields, same JSON)."""
    cls = _result_type(name)
    new: Any = object.__new__(cls)
    new.__dict__.update(value.__dict__)
    return new


if TYPE_CHECKING:
    from lifeboat.cabin.fit import LeakFit as _LeakFit
    from lifeboat.cabin.isolate import IsolationResult
    from lifeboat.cabin.leak import LeakSummary
    from lifeboat.catalog import Catalog
    from lifeboat.cislunar.gateway import GatewayAccess as _GatewayAccess
    from lifeboat.cislunar.halo import PeriodicOrbit
    from lifeboat.cislunar.returns import LunarReturn as _LunarReturn
    from lifeboat.cislunar.service import LunarTransfer as _LunarTransfer
    from lifeboat.cislunar.surface import SurfaceAbort as _SurfaceAbort
    from lifeboat.model.scenario import Scenario
    from lifeboat.orbits.abort import AbortResult
    from lifeboat.orbits.fetch import FetchResult
    from lifeboat.orbits.landings import LandingsResult
    from lifeboat.orbits.reach import ReachMatrix
    from lifeboat.orbits.station import StationOrbit
    from lifeboat.orbits.windows import WindowsResult
    from lifeboat.rescue.assess import Assessment as _Assessment
    from lifeboat.rescue.history import IncidentSummary
    from lifeboat.rescue.history import Replay as _Replay
    from lifeboat.risk.engine import Comparison as _Comparison
    from lifeboat.risk.engine import RiskResult
    from lifeboat.risk.importance import ImportanceResult
    from lifeboat.risk.rates import RatesResult
    from lifeboat.risk.sweep import SweepResult

    class Assessment(_Result, _Assessment): ...
    class Windows(_Result, WindowsResult): ...
    class Landings(_Result, LandingsResult): ...
    class Reach(_Result, ReachMatrix): ...
    class Abort(_Result, AbortResult): ...
    class Leak(_Result, LeakSummary): ...
    class LeakFit(_Result, _LeakFit): ...
    class Isolation(_Result, IsolationResult): ...
    class Orbit(_Result, PeriodicOrbit): ...
    class GatewayAccess(_Result, _GatewayAccess): ...
    class Risk(_Result, RiskResult): ...
    class Sweep(_Result, SweepResult): ...
    class Comparison(_Result, _Comparison): ...
    class LunarReturn(_Result, _LunarReturn): ...
    class LunarTransfer(_Result, _LunarTransfer): ...
    class SurfaceAbort(_Result, _SurfaceAbort): ...
    class Importance(_Result, ImportanceResult): ...
    class Rates(_Result, RatesResult): ...
    class ElementsFetch(_Result, FetchResult): ...
    class Replay(_Result, _Replay): ...
    class Incident(_Result, IncidentSummary): ...
else:
    def __getattr__(name: str) -> type:
        if name in _TYPES:
            return _result_type(name)
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@dataclasses.dataclass(frozen=True)
class ScenarioSummary(_Result):
    """A built-in scenario: its id, title and epoch."""

    id: str
    title: str
    epoch_utc: datetime
    _headline: ClassVar[tuple[str, ...]] = ("id", "epoch_utc")


@dataclasses.dataclass(frozen=True)
class ScenarioCheck(_Result):
    """What ``lifeboat scenario validate`` says of a valid scenario."""

    valid: bool
    checked: list[str]
    id: str
    title: str
    epoch_utc: datetime
    station: str
    crew: int
    docked: list[str]
    emergency: str | None
    _headline: ClassVar[tuple[str, ...]] = ("valid", "id", "station", "crew", "emergency")


@dataclasses.dataclass(frozen=True)
class CatalogRecord(_Result):
    """One catalog record and its kind (what ``lifeboat catalog show`` prints)."""

    kind: str
    record: Any
    _headline: ClassVar[tuple[str, ...]] = ("kind",)

    def __repr__(self) -> str:
        return f"CatalogRecord(kind={self.kind!r}, id={self.record.id!r})"


# --- helpers -------------------------------------------------------------------------------------


def _python_names(func: F) -> F:
    """Errors that services still raise against a CLI flag (``source="--days"``) name the Python
    parameter instead (``param="days"``)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except InputError as exc:
            src = exc.source or ""
            if exc.param is None and src.startswith("--") and " " not in src and "/" not in src:
                raise InputError(exc.message, where=exc.where,
                                 param=src[2:].replace("-", "_")) from None
            raise

    return wrapper  # type: ignore[return-value]


def _time(value: str | datetime | date | None, param: str) -> datetime:
    """An aware UTC time from an ISO 8601 string, ``"now"`` or a datetime."""
    if value is None:
        raise InputError("a time is required (ISO 8601 UTC, or 'now')", param=param)
    try:
        return parse_utc(value)  # type: ignore[arg-type]
    except InputError as exc:
        raise InputError(exc.message, param=param) from None


def _number(value: Any, param: str, *, low: float | None = None, high: float | None = None,
            low_open: bool = False, integer: bool = False) -> Any:
    """A finite number within bounds, or an :class:`InputError` naming ``param``."""
    if isinstance(value, bool) or not isinstance(value, int | float) and not hasattr(value, "__float__"):
        raise InputError(f"expected a number, got {value!r}", param=param)
    number = float(value)
    if not math.isfinite(number):
        raise InputError(f"expected a finite number, got {value!r}", param=param)
    if integer and number != int(number):
        raise InputError(f"expected a whole number, got {value!r}", param=param)
    bad_low = low is not None and (number <= low if low_open else number < low)
    if bad_low or (high is not None and number > high):
        lo = "-inf" if low is None else f"{low:g}"
        hi = "inf" if high is None else f"{high:g}"
        raise InputError(f"must be in {'(' if low_open else '['}{lo}, {hi}], got {value!r}",
                         param=param)
    return int(number) if integer else number


def _path(value: str | os.PathLike[str] | None, param: str) -> Path | None:
    if value is None:
        return None
    if not isinstance(value, str | os.PathLike):
        raise InputError(f"expected a file path, got {value!r}", param=param)
    return Path(value)


MAX_SEARCH_DAYS = 366.0  # every search window (windows, reach, landings) is at most a year
# A sweep of at most 1e11 trials in all: hours on a small cluster, never a grid that fills memory.


# --- catalog and scenarios ---------------------------------------------------------------------


def use_catalog(*paths: str | os.PathLike[str]) -> None:
    """Use these catalog overlay files (on top of ``LIFEBOAT_CATALOG``) for what follows.

    ``use_catalog()`` with no path goes back to ``LIFEBOAT_CATALOG`` alone. The overlays are
    validated now: a bad file raises :class:`InputError` naming it.
    """
    from lifeboat import catalog as cat

    cat.use_overlays(None)
    if paths:
        cat.use_overlays([*cat.overlay_paths(), *(os.fspath(p) for p in paths)])
        try:
            cat.load_catalog()
        except InputError:
            cat.use_overlays(None)
            raise


def _catalog() -> Catalog:
    from lifeboat.catalog import load_catalog

    return load_catalog()


def _known(kind: str, record_id: str, param: str) -> None:
    """Check a catalog id early, so a typo is named before any computation."""
    try:
        _catalog().get(kind, record_id)
    except InputError as exc:
        raise InputError(exc.message, param=param) from None


@_python_names
def catalog(kind: str | None = None) -> dict[str, list[Any]]:
    """Catalog records by kind (``lifeboat catalog list [KIND]``): kind -> list of records."""
    from lifeboat.catalog import KINDS, resolve_kind

    cat = _catalog()
    kinds = [resolve_kind(kind)] if kind else list(KINDS)
    return {k: list(getattr(cat, k).values()) for k in kinds}


@_python_names
def catalog_record(record_id: str, kind: str | None = None) -> CatalogRecord:
    """One record and its kind (``lifeboat catalog show ID``), searching every kind by default."""
    from lifeboat.catalog import find_record, resolve_kind

    found, record = find_record(_catalog(), record_id, resolve_kind(kind) if kind else None)
    return CatalogRecord(found, record)


def scenarios() -> ResultList:
    """The built-in scenarios (``lifeboat scenario list``)."""
    from lifeboat.model.scenario import builtin_scenarios
    from lifeboat.model.scenario import load_scenario as _load

    return ResultList(ScenarioSummary(s.id, s.title, s.epoch_utc)
                      for s in (_load(i) for i in builtin_scenarios()))


@_python_names
def load_scenario(scenario: str | os.PathLike[str]) -> Scenario:
    """A scenario (built-in id or TOML file), validated against the schema and the catalog."""
    from lifeboat.model.scenario import load_scenario as _load

    return _load(scenario if isinstance(scenario, str) else Path(scenario))


@_python_names
def validate_scenario(scenario: str | os.PathLike[str]) -> ScenarioCheck:
    """Check a scenario as ``assess`` does (``lifeboat scenario validate``): schema, catalog
    references, the station's orbit at the onset, the leak network, the architectures; raises
    :class:`InputError` if invalid."""
    from lifeboat.rescue.assess import preflight

    s = load_scenario(scenario)
    checked = preflight(s)
    return ScenarioCheck(True, checked, s.id, s.title, s.epoch_utc, s.station.id, len(s.crew),
                         [d.id for d in s.docked], s.emergency.kind if s.emergency else None)


# --- the whole answer --------------------------------------------------------------------------


@_python_names
def assess(scenario: str | os.PathLike[str] | Scenario = "iss-2018-12", *,
           trials: int = 200_000, seed: int = 2018) -> Assessment:
    """Assess a scenario (``lifeboat assess``): situation, emergency, opportunities, rescue
    plan and risk comparison. Write the HTML report with :func:`write_report`."""
    from lifeboat.rescue.assess import assess as _assess

    trials = _number(trials, "trials", low=1, integer=True)
    seed = _number(seed, "seed", low=0, integer=True)
    return _typed("Assessment", _assess(scenario, risk_trials=trials, risk_seed=seed))


@_python_names
def write_report(assessment: Any, out: str | os.PathLike[str]) -> Path:
    """Write the self-contained HTML report of an assessment to ``out`` (atomically)."""
    from lifeboat.report.html import write_assessment_report

    path = _path(out, "out")
    assert path is not None
    if path.is_dir():
        raise InputError(f"{path} is a directory; expected the path of the HTML file to write",
                         param="out")
    try:
        return write_assessment_report(assessment, path)
    except OSError as exc:
        raise InputError(f"cannot write the report to {path}: {exc.strerror or exc}",
                         param="out") from None


# --- orbits ------------------------------------------------------------------------------------


def _orbit(station: str | None, tle_file: str | os.PathLike[str] | None, satellite: str | int | None,
           reference: datetime | None, max_tle_age_days: float) -> StationOrbit:
    from lifeboat.orbits.elements import station_or_file_orbit

    return station_or_file_orbit(station, tle_file, satellite=satellite, reference_utc=reference,
                                 max_age_days=max_tle_age_days)


@_python_names
def windows(site: str, *, station: str | None = None,
            tle_file: str | os.PathLike[str] | None = None, satellite: str | int | None = None,
            time: str | datetime = "now", days: float = 3.0, vehicle: str | None = None,
            launcher: str | None = None, max_tle_age_days: float = 14.0) -> Windows:
    """Launch opportunities from ``site`` into a station's plane over ``days`` from ``time``
    (``lifeboat windows``), with the rendezvous schemes that fit each one. The station is a
    catalog id (``station``) or an elements file (``tle_file``, see :func:`reach`)."""
    from lifeboat.orbits.windows import launch_opportunities

    start = _time(time, "time")
    days = _number(days, "days", low=0.0, low_open=True, high=MAX_SEARCH_DAYS)
    max_tle_age_days = _number(max_tle_age_days, "max_tle_age_days", low=0.0, low_open=True)
    _known("sites", site, "site")
    orbit = _orbit(station, tle_file, satellite, start, max_tle_age_days)
    return _typed("Windows", launch_opportunities(site, orbit, start, days, vehicle_id=vehicle,
                                                  launcher_id=launcher))


@_python_names
def reach(*, station: str | None = None, tle_file: str | os.PathLike[str] | None = None,
          satellite: str | int | None = None, inclination: float | None = None,
          altitude: float | None = None, time: str | datetime | None = None, days: float = 30.0,
          max_tle_age_days: float = 14.0) -> Reach:
    """Which sites and crew vehicles can reach a station's orbit, how often, and why not
    (``lifeboat reach``). The station is a catalog id (``station``), an elements file
    (``tle_file``: TLE with 2 or 3 lines per satellite, or CCSDS OMM JSON/XML/CSV as CelesTrak
    serves them; ``satellite``, a name or catalog number, picks one of several), or hypothetical
    (``inclination`` in deg and ``altitude`` in km). Without ``time`` the search starts at the
    elements' epoch."""
    from lifeboat.orbits.reach import reachability
    from lifeboat.orbits.station import StationOrbit

    days = _number(days, "days", low=0.0, low_open=True, high=MAX_SEARCH_DAYS)
    max_tle_age_days = _number(max_tle_age_days, "max_tle_age_days", low=0.0, low_open=True)
    start = _time(time, "time") if time is not None else None
    if inclination is not None or altitude is not None:
        if station is not None or tle_file is not None or satellite is not None:
            raise InputError("give `station`, `tle_file`, or `inclination` with `altitude`",
                             param="station")
        if inclination is None or altitude is None:
            raise InputError("a hypothetical station needs both `inclination` and `altitude`",
                             param="inclination" if inclination is None else "altitude")
        inclination = _number(inclination, "inclination", low=0.0, high=180.0)
        altitude = _number(altitude, "altitude", low=150.0, high=2000.0)
        start = start or datetime.now(UTC)
        orbit = StationOrbit.hypothetical(inclination, altitude, start)
    else:
        orbit = _orbit(station, tle_file, satellite, start, max_tle_age_days)
        start = start or orbit.epoch_utc
    return _typed("Reach", reachability(orbit, start_utc=start, days=days))


@_python_names
def landings(vehicle: str, *, station: str | None = None,
             tle_file: str | os.PathLike[str] | None = None, satellite: str | int | None = None,
             time: str | datetime = "now", days: float = 2.0, daylight: bool = False,
             zone: Iterable[str] = (), max_tle_age_days: float = 14.0) -> Landings:
    """Deorbit opportunities landing in the vehicle's recovery zones after undocking at
    ``time`` or later (``lifeboat landings``); the station as in :func:`reach`."""
    from lifeboat.orbits.landings import landing_opportunities

    _known("vehicles", vehicle, "vehicle")
    start = _time(time, "time")
    days = _number(days, "days", low=0.0, low_open=True, high=MAX_SEARCH_DAYS)
    max_tle_age_days = _number(max_tle_age_days, "max_tle_age_days", low=0.0, low_open=True)
    orbit = _orbit(station, tle_file, satellite, start, max_tle_age_days)
    zones = [zone] if isinstance(zone, str) else list(zone)
    return _typed("Landings", landing_opportunities(
        vehicle, orbit, start, days=days, daylight_only=bool(daylight), zone_ids=zones or None,
        station_id=station or orbit.name))


@_python_names
def abort(launcher: str, failure_time: float, *, site: str | None = None,
          azimuth: float | None = None, vehicle: str | None = None,
          landing_elevation: float | None = None) -> Abort:
    """Ballistic descent of the capsule after a launcher failure ``failure_time`` seconds after
    liftoff (``lifeboat abort``): apogee, peak g, landing point and time. ``landing_elevation``
    (m) is the terrain height where the capsule lands (default: the launch site's)."""
    from lifeboat.orbits.abort import ascent_abort

    failure_time = _number(failure_time, "failure_time", low=0.0)
    if azimuth is not None:
        azimuth = _number(azimuth, "azimuth", low=0.0, high=360.0)
    if landing_elevation is not None:
        landing_elevation = _number(landing_elevation, "landing_elevation")
    return _typed("Abort", ascent_abort(launcher, failure_time, site_id=site, azimuth_deg=azimuth,
                                        vehicle_id=vehicle, landing_elevation_m=landing_elevation))


# --- cabin -------------------------------------------------------------------------------------


def _docked(values: Iterable[str]) -> list[tuple[str, str, str | None]]:
    out = []
    for text in [values] if isinstance(values, str) else values:
        name, _, rest = str(text).partition("=")
        vehicle, _, port = (rest or name).partition("@")
        if not name or not vehicle:
            raise InputError(f"expected NAME=VEHICLE@PORT, got {text!r}", param="docked")
        out.append((name, vehicle, port or None))
    return out


def _network(station: str | None, configuration: str | None, docked: Iterable[str],
             scenario: Any = None) -> Any:
    from lifeboat.cabin.network import add_docked, scenario_network, station_network

    if scenario is not None:
        network = scenario_network(load_scenario(scenario))
        return add_docked(network, _docked(docked)) if docked else network
    if station is None:
        raise InputError("give `station` (a catalog id) or `scenario`", param="station")
    try:
        return station_network(station, configuration, _docked(docked))
    except InputError as exc:
        if exc.source != "docked":
            raise
        raise InputError(exc.message, where=exc.where, param="docked") from None


@_python_names
def leak(*, station: str | None = None, hole_mm: float | None = None, cd: float | None = None,
         module: str | None = None, configuration: str | None = None, docked: Iterable[str] = (),
         scenario: Any = None, limit_mmhg: float = 490.0, isolated: bool = False,
         adiabatic: bool = False) -> Leak:
    """Drop rate, time to the evacuation limit and the crew's reserve time for a hole of
    ``hole_mm`` (``lifeboat leak``); with ``scenario``, its leak emergency fills the gaps."""
    from lifeboat.cabin.leak import analyse_leak

    network = _network(station, configuration, docked, scenario)
    if scenario is not None and (hole_mm is None or module is None):
        emergency = load_scenario(scenario).emergency
        if emergency is None or emergency.kind != "leak":
            raise InputError("the scenario has no leak emergency; give `hole_mm`", param="scenario")
        hole_mm = hole_mm if hole_mm is not None else emergency.hole_mm
        module = module or emergency.module
        cd = cd if cd is not None else emergency.cd
    if hole_mm is None:
        raise InputError("give the hole diameter in mm", param="hole_mm")
    hole_mm = _number(hole_mm, "hole_mm", low=0.0, low_open=True, high=10_000.0)
    cd = _number(0.6 if cd is None else cd, "cd", low=0.0, low_open=True, high=1.0)
    limit_mmhg = _number(limit_mmhg, "limit_mmhg", low=0.0, low_open=True)
    return _typed("Leak", analyse_leak(
        network, hole_diameter_mm=hole_mm, cd=cd, module=module, limit_mmhg=limit_mmhg,
        isolated=bool(isolated), thermal="adiabatic" if adiabatic else "isothermal"))


@_python_names
def fit(file: Any, *, station: str | None = None, cd: float = 0.6, module: str | None = None,
        configuration: str | None = None, docked: Iterable[str] = (),
        volume_m3: float | None = None) -> LeakFit:
    """Leak onset and hole size (with a 95 % interval) from a pressure series (``lifeboat leak
    fit``). ``file`` is a CSV path or columns (a mapping or a data frame) named ``utc``,
    ``pressure_mmhg`` or ``pressure_kpa`` and optionally ``module``. Wild samples are screened
    out first; the result lists them."""
    from lifeboat.cabin.fit import fit_leak, read_telemetry
    from lifeboat.cabin.leak import resolve_module
    from lifeboat.cabin.network import DEFAULT_TEMPERATURE_K

    series = read_telemetry(file, module=module)
    cd = _number(cd, "cd", low=0.0, low_open=True, high=1.0)
    temperature_k = DEFAULT_TEMPERATURE_K
    if volume_m3 is None:
        if station is None:
            raise InputError("give `station` (a catalog id) or `volume_m3` for the leaking volume",
                             param="station")
        network = _network(station, configuration, docked)
        if series.module is not None:
            where = resolve_module(network, series.module, source=f"{series.source}: column module")
        else:
            where = network.largest_segment_module()
        segment = network.segment(where)
        volume_m3 = network.volume_m3(segment)
        temperature_k = network.pooled_gas(segment)[2]
    volume_m3 = _number(volume_m3, "volume_m3", low=0.0, low_open=True, high=1e6)
    return _typed("LeakFit", fit_leak(series, volume_m3, cd, temperature_k=temperature_k))


@_python_names
def isolate(leak_in: str, *, station: str | None = None, hole_mm: float = 2.0, cd: float = 0.6,
            configuration: str | None = None, docked: Iterable[str] = (), scenario: Any = None,
            prior: str = "volume", resolution_mmhg: float = 1.0, wake_delay_h: float = 0.0,
            hatch_h: float = 0.25, pinpoint_h: float = 2.0,
            limit_mmhg: float = 490.0) -> Isolation:
    """Plan hatch closures to find a leak and simulate them with the leak really in
    ``leak_in`` (``lifeboat leak isolate``); says when to shelter instead."""
    from lifeboat.cabin.isolate import default_prior, isolate_leak
    from lifeboat.cabin.leak import hole_area_m2, resolve_module

    network = _network(station, configuration, docked, scenario)
    try:
        true_module = resolve_module(network, leak_in)
    except InputError as exc:
        raise InputError(exc.message, param="leak_in") from None
    hole_mm = _number(hole_mm, "hole_mm", low=0.0, low_open=True, high=10_000.0)
    cd = _number(cd, "cd", low=0.0, low_open=True, high=1.0)
    resolution_mmhg = _number(resolution_mmhg, "resolution_mmhg", low=1e-3, high=100.0)
    wake_delay_h = _number(wake_delay_h, "wake_delay_h", low=0.0, high=24.0 * 30)
    hatch_h = _number(hatch_h, "hatch_h", low=0.0, high=24.0)
    pinpoint_h = _number(pinpoint_h, "pinpoint_h", low=0.0, high=24.0 * 30)
    limit_mmhg = _number(limit_mmhg, "limit_mmhg", low=0.0, low_open=True)
    start = network.largest_segment_module()
    if true_module not in network.segment(start):
        start = true_module
    return _typed("Isolation", isolate_leak(
        network, true_module, cd * hole_area_m2(hole_mm),
        prior=default_prior(network, network.segment(start), prior),
        wake_delay_h=wake_delay_h, limit_mmhg=limit_mmhg, sensor_resolution_mmhg=resolution_mmhg,
        hatch_operation_h=hatch_h, pinpoint_h=pinpoint_h))


# --- cislunar ----------------------------------------------------------------------------------


@_python_names
def nrho(family: str = "l2-south", *, period_days: float | None = None,
         resonance: str | None = None, perilune_km: float | None = None) -> Orbit:
    """A halo / near-rectilinear halo orbit of the Earth–Moon CR3BP (``lifeboat nrho``); by
    default the 9:2 L2 southern NRHO of the Gateway."""
    from lifeboat.cislunar.halo import solve_nrho

    if period_days is not None:
        period_days = _number(period_days, "period_days", low=0.0, low_open=True, high=60.0)
    if perilune_km is not None:
        perilune_km = _number(perilune_km, "perilune_km", low=0.0, low_open=True, high=1e6)
    return _typed("Orbit", solve_nrho(family, period_days=period_days, resonance=resonance,
                                      perilune_radius_km=perilune_km))


@_python_names
def gateway_access(vehicle: str, *, time: str | datetime = "now",
                   readiness_days: float | None = None,
                   perilune_epoch: str | datetime | None = None) -> Any:
    """Earliest computed arrival at the Gateway and returns to Earth after a decision at
    ``time`` (``lifeboat gateway-access``); ``vehicle="all"`` gives a :class:`ResultList`."""
    from lifeboat.cislunar import gateway as gw

    decision = _time(time, "time")
    if readiness_days is not None:
        readiness_days = _number(readiness_days, "readiness_days", low=0.0, high=3650.0)
    perilune = _time(perilune_epoch, "perilune_epoch") if perilune_epoch is not None \
        else gw.DEFAULT_REFERENCE_PERILUNE_UTC
    delay = readiness_days or 0.0
    if vehicle == "all":
        return ResultList(_typed("GatewayAccess", a) for a in gw.gateway_access_all(
            decision, readiness_days=delay, reference_perilune_utc=perilune))
    return _typed("GatewayAccess", gw.gateway_access(
        vehicle, decision, readiness_days=delay, reference_perilune_utc=perilune))


@_python_names
def lunar_return(station: str = "gateway", *, phase_deg: float | None = None,
                 time: str | datetime | None = None, best: bool = False,
                 perilune_epoch: str | datetime | None = None, vehicle: str = "orion",
                 flyby: bool = False) -> LunarReturn:
    """A return to Earth's entry interface from any point of a lunar station's orbit
    (``lifeboat lunar return``): at ``phase_deg`` (0 perilune, 180 apolune), at ``time``, or with
    ``best`` the cheapest departure in the next period."""
    from lifeboat.cislunar.service import lunar_return as _lunar_return

    return _typed("LunarReturn", _lunar_return(
        station, phase_deg=phase_deg, time=time, best=best, perilune_epoch=perilune_epoch,
        vehicle_id=vehicle, flyby=flyby))


@_python_names
def lunar_transfer(station: str = "gateway", *, site: str, vehicle: str,
                   time: str | datetime, perilune_epoch: str | datetime | None = None
                   ) -> LunarTransfer:
    """A transfer from a launch site to a lunar station's orbit at its phase
    (``lifeboat lunar transfer``)."""
    from lifeboat.cislunar.service import lunar_transfer as _lunar_transfer

    return _typed("LunarTransfer", _lunar_transfer(station, site, vehicle, time,
                                                   perilune_epoch=perilune_epoch))


@_python_names
def lunar_abort(*, site: str | None = None, lander: str | None = None, station: str = "gateway",
                time: str | datetime | None = None, perilune_epoch: str | datetime | None = None,
                habitat_reserve_h: float | None = None,
                scenario: str | os.PathLike[str] | Scenario | None = None) -> SurfaceAbort:
    """A surface crew's abort tree (``lifeboat lunar abort``): to the station at the next ascent
    window, to low lunar orbit and wait, or straight home where the lander allows; from a site
    and lander, or from a scenario's ``[surface]`` block."""
    from lifeboat.cislunar.surface import lunar_abort as _lunar_abort

    if scenario is not None and not isinstance(scenario, str) and not hasattr(scenario, "surface"):
        scenario = str(scenario)
    return _typed("SurfaceAbort", _lunar_abort(
        site=site, lander=lander, station=station, time=time, perilune_epoch=perilune_epoch,
        habitat_reserve_h=habitat_reserve_h, scenario=scenario))


# --- risk --------------------------------------------------------------------------------------


def _architecture(value: Any) -> Any:
    from lifeboat.risk.model import load_architecture

    return value if hasattr(value, "digest") else load_architecture(value)


def _run_args(trials: Any, seed: Any, workers: Any, uncertainty: Any = 0) -> tuple[int, int, int, int]:
    return (_number(trials, "trials", low=1, integer=True),
            _number(seed, "seed", low=0, integer=True),
            _number(workers, "workers", low=1, high=256, integer=True),
            _number(uncertainty, "uncertainty", low=0, integer=True))


@_python_names
def risk(architecture: Any, *, trials: int = 1_000_000, seed: int = 1, workers: int = 1,
         uncertainty: int = 0, progress: Callable[[int, int], None] | None = None) -> Risk:
    """Loss of crew per person-mission and per crew-year, people lost, decrewing, seatless
    crew-days and cost by Monte Carlo (``lifeboat risk``); ``architecture`` is a built-in id, a
    TOML path or an Architecture; ``uncertainty = N`` makes it a two-level run over N input
    draws (every metric gets its 5/50/95 %)."""
    from lifeboat.risk.engine import run_risk

    trials, seed, workers, uncertainty = _run_args(trials, seed, workers, uncertainty)
    return _typed("Risk", run_risk(_architecture(architecture), trials=trials, seed=seed,
                                   workers=workers, uncertainty=uncertainty, progress=progress))


@_python_names
def compare(architectures: Sequence[Any], *, baseline: str | None = None,
            trials: int = 1_000_000, seed: int = 1, workers: int = 1, uncertainty: int = 0,
            scheduler: str | None = None, store: str | os.PathLike[str] | None = None,
            progress: Callable[[int, int], None] | None = None) -> Comparison:
    """Several architectures on common random numbers (``lifeboat compare``); with
    ``baseline``, each metric's paired difference from it and P(improvement)."""
    from lifeboat.risk.engine import compare_paired

    if isinstance(architectures, str) or not architectures:
        raise InputError("expected a list of one or more architectures", param="architectures")
    trials, seed, workers, uncertainty = _run_args(trials, seed, workers, uncertainty)
    return _typed("Comparison", compare_paired(
        [_architecture(a) for a in architectures], baseline=baseline, trials=trials, seed=seed,
        workers=workers, uncertainty=uncertainty, scheduler=scheduler,
        store=_path(store, "store"), progress=progress))


@_python_names
def importance(architecture: Any, *, metric: str = "loc_per_person_mission",
               trials: int = 200_000, seed: int = 1, workers: int = 1) -> Importance:
    """RAW and RRW of every basic event, with Fussell-Vesely shares by cause
    (``lifeboat importance``)."""
    from lifeboat.risk.importance import importance as _importance

    trials, seed, workers, _ = _run_args(trials, seed, workers)
    return _typed("Importance", _importance(_architecture(architecture), metric=metric,
                                            trials=trials, seed=seed, workers=workers))


@_python_names
def rates(*, until: str | date | None = None) -> Rates:
    """Bayesian failure probabilities per launch, entry and abort from the flight records, fitted
    on the record known on ``until`` (YYYY-MM-DD), with a back-test (``lifeboat rates``)."""
    from lifeboat.risk.rates import parse_until
    from lifeboat.risk.rates import rates as _rates

    if isinstance(until, datetime):
        until = until.date()
    parsed = until if isinstance(until, date) else parse_until(until)
    return _typed("Rates", _rates(parsed))


@_python_names
def sweep(file: str | os.PathLike[str], *, scheduler: str | None = None,
          store: str | os.PathLike[str] | None = None,
          progress: Callable[[int, int], None] | None = None) -> Sweep:
    """A parameter sweep (grid or tornado) on Dask (``lifeboat sweep``); points already in the
    DuckDB ``store`` are reused."""
    from lifeboat.risk.sweep import plan_sweep, run_sweep

    path = _path(file, "file")
    if path is None:
        raise InputError("give the sweep file", param="file")
    plan_sweep(path)
    try:
        result = run_sweep(path, scheduler=scheduler, store=_path(store, "store"),
                           progress=progress)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.split(".")[0] in ("dask", "distributed"):
            raise ModuleNotFoundError("sweep needs the 'distributed' extra: pip install "
                                      "'lifeboat[distributed]'", name=exc.name) from None
        raise
    return _typed("Sweep", result)


# --- history -----------------------------------------------------------------------------------


def history() -> ResultList:
    """The incident replays (``lifeboat history list``)."""
    from lifeboat.rescue.history import list_incidents

    return ResultList(_typed("Incident", i) for i in list_incidents())


@_python_names
def replay(incident: str) -> Replay:
    """Recompute one real incident and compare it with the record (``lifeboat history
    replay``)."""
    from lifeboat.rescue.history import replay as _replay

    return _typed("Replay", _replay(incident))


# --- element sets --------------------------------------------------------------------------------


@_python_names
def elements_fetch(out: str | os.PathLike[str], *, group: str | None = None,
                   catnr: int | None = None, name: str | None = None, format: str = "tle",
                   base_url: str = "https://celestrak.org/NORAD/elements/gp.php",
                   timeout_s: float = 30.0) -> ElementsFetch:
    """Download current element sets from CelesTrak into ``out`` (``lifeboat elements fetch``):
    the only network access Lifeboat ever makes, and only when asked."""
    from lifeboat.orbits.fetch import fetch_elements

    path = _path(out, "out")
    if path is None:
        raise InputError("give the file to write", param="out")
    return _typed("ElementsFetch", fetch_elements(path, group=group, catnr=catnr, name=name,
                                                  fmt=format, base_url=base_url,
                                                  timeout_s=timeout_s))
