"""Module networks of a station's pressurised volumes and their gas history.

A :class:`CabinNetwork` is a set of modules (volume, temperature, initial pressure) joined by
hatches that are open or closed. Docked vehicles are extra modules (a Soyuz adds its orbital and
descent modules). :func:`simulate` gives every module's pressure and gas mass over time for holes
to vacuum, hatch openings and closings, repressurisation from stored gas and crew oxygen use.

Why the lumped solution is exact enough: an open hatch (≈0.8 m across) equalises two modules in
about a second, while a hole of millimetres drains the station over days; the pressure difference
across an open hatch during a leak is of order micro-pascals. So modules joined by open hatches are
one volume at one pressure, and between events each such group follows a closed form
(:func:`lifeboat.cabin.physics.vented_mass_with_source_kg`, or the adiabatic blowdown). Merging two
groups (a hatch opened) mixes their gas at once, conserving mass. :func:`simulate_full_network`
integrates the full stiff network (every hatch an orifice) with an implicit solver as the
reference this is checked against.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from scipy.integrate import solve_ivp
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from lifeboat.cabin import physics
from lifeboat.errors import InputError

DEFAULT_TEMPERATURE_K = 295.15  # 22 °C; the ISS cabin is kept at 22–24 °C (docs/references.md)
# Discharge coefficient of an open hatch treated as a sharp-edged orifice (textbook value for a
# thin-plate orifice); it sets only how fast open modules equalise (seconds), not any leak result.
HATCH_CD = 0.6
DEFAULT_HATCH_DIAMETER_MM = 800.0  # catalog default (catalog/models.py Hatch.diameter_mm)
CREW_O2_KG_PER_PERSON_DAY = 0.84  # NASA RP-1324 / BVAD 0.835 (docs/references.md)

# Pressurised compartments of docked vehicles, first one facing the station: (suffix, volume_m3).
# Soyuz MS orbital 6 m³ and descent 4 m³: Wikipedia mirror "Soyuz MS" (medium).
# Progress MS: its cargo volume is a GAP in our sources; its cargo module is the Soyuz orbital
# module adapted (D. Darling, "Progress"), so we ASSUME the Soyuz orbital-module volume, 6 m³.
# Crew Dragon capsule 9.3 m³: SpaceX "Dragon" (high), used when the catalog
# record has no pressurised volume.
VEHICLE_COMPARTMENTS: dict[str, tuple[tuple[str, float], ...]] = {
    "soyuz": (("om", 6.0), ("dm", 4.0)),
    "progress": (("", 6.0),),
    "crew-dragon": (("", 9.3),),
    "dragon": (("", 9.3),),
}


@dataclass(frozen=True)
class CabinModule:
    """One pressurised volume: ``volume_m3``, gas ``temperature_k``, initial ``pressure_pa``."""

    id: str
    volume_m3: float
    temperature_k: float = DEFAULT_TEMPERATURE_K
    pressure_pa: float = physics.STANDARD_PRESSURE_PA
    kind: str = "module"

    @property
    def initial_mass_kg(self) -> float:
        return self.pressure_pa * self.volume_m3 / (physics.R_AIR_J_PER_KG_K * self.temperature_k)


@dataclass(frozen=True)
class CabinHatch:
    """A hatch between modules ``a`` and ``b``: an orifice of ``diameter_mm`` when open."""

    a: str
    b: str
    diameter_mm: float = DEFAULT_HATCH_DIAMETER_MM
    open: bool = True
    cd: float = HATCH_CD

    @property
    def cda_m2(self) -> float:
        return self.cd * math.pi * (self.diameter_mm * 1e-3) ** 2 / 4.0

    def joins(self, a: str, b: str) -> bool:
        return {a, b} == {self.a, self.b}


@dataclass(frozen=True)
class Leak:
    """A hole to vacuum in ``module`` of effective area ``cda_m2`` (Cd·A, m²), open from ``start_s``."""

    module: str
    cda_m2: float
    start_s: float = 0.0


@dataclass(frozen=True)
class HatchEvent:
    """At ``t_s`` the hatch between ``a`` and ``b`` is opened (``open=True``) or closed."""

    t_s: float
    a: str
    b: str
    open: bool


@dataclass(frozen=True)
class GasSource:
    """Net gas added to ``module`` at ``rate_kg_s`` (negative: removed) from ``start_s`` until
    ``capacity_kg`` has been delivered (inf: no limit)."""

    module: str
    rate_kg_s: float
    start_s: float = 0.0
    capacity_kg: float = math.inf

    @property
    def end_s(self) -> float:
        if self.rate_kg_s == 0.0 or not math.isfinite(self.capacity_kg):
            return math.inf
        return self.start_s + self.capacity_kg / abs(self.rate_kg_s)


def repress_source(module: str, stored_kg: float, rate_kg_per_h: float, start_s: float = 0.0):
    """Repressurisation from ``stored_kg`` of O2/N2 released at ``rate_kg_per_h`` into ``module``."""
    return GasSource(module, rate_kg_per_h / 3600.0, start_s, stored_kg)


def crew_o2_use(module: str, crew: int, kg_per_person_day: float = CREW_O2_KG_PER_PERSON_DAY,
                start_s: float = 0.0) -> GasSource:
    """Metabolic O2 taken from the cabin gas by ``crew`` people (the exhaled CO2 is assumed
    scrubbed, so the O2 mass leaves the gas)."""
    return GasSource(module, -crew * kg_per_person_day / 86400.0, start_s)


@dataclass(frozen=True)
class CabinNetwork:
    """Modules and hatches of a station (and its docked vehicles) at one moment."""

    name: str
    modules: tuple[CabinModule, ...]
    hatches: tuple[CabinHatch, ...] = ()

    def __post_init__(self) -> None:
        ids = [m.id for m in self.modules]
        if not ids:
            raise InputError("a cabin network needs at least one module", source=self.name)
        if len(set(ids)) != len(ids):
            raise InputError("module ids are not unique", source=self.name)
        for h in self.hatches:
            for end in (h.a, h.b):
                if end not in ids:
                    raise InputError(f"hatch names unknown module {end!r}", source=self.name)

    @property
    def module_ids(self) -> list[str]:
        return [m.id for m in self.modules]

    def index(self, module: str, *, source: str | None = None, param: str | None = None) -> int:
        """Position of ``module``; unknown names raise an :class:`InputError` with suggestions."""
        ids = self.module_ids
        if module in ids:
            return ids.index(module)
        close = difflib.get_close_matches(module, ids, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise InputError(
            f"unknown module {module!r} in {self.name}; expected one of {', '.join(ids)}{hint}",
            source=source, param=param,
        )

    def hatch_index(self, a: str, b: str, *, source: str | None = None) -> int:
        for i, h in enumerate(self.hatches):
            if h.joins(a, b):
                return i
        raise InputError(f"no hatch between {a!r} and {b!r} in {self.name}", source=source)

    def with_hatches(self, *, closed: Iterable[tuple[str, str]] = (),
                     opened: Iterable[tuple[str, str]] = ()) -> CabinNetwork:
        """A copy with the named hatches closed / opened."""
        hatches = list(self.hatches)
        for pairs, state in ((closed, False), (opened, True)):
            for a, b in pairs:
                i = self.hatch_index(a, b)
                hatches[i] = replace(hatches[i], open=state)
        return replace(self, hatches=tuple(hatches))

    def isolate(self, module: str) -> CabinNetwork:
        """A copy with every hatch of ``module`` closed."""
        self.index(module)
        return self.with_hatches(closed=[(h.a, h.b) for h in self.hatches if module in (h.a, h.b)])

    def group_labels(self, open_mask: Sequence[bool] | None = None) -> np.ndarray:
        """Connected-component label of each module through the open hatches."""
        n = len(self.modules)
        mask = [h.open for h in self.hatches] if open_mask is None else list(open_mask)
        pos = {m: i for i, m in enumerate(self.module_ids)}
        rows = [pos[h.a] for h, o in zip(self.hatches, mask, strict=True) if o]
        cols = [pos[h.b] for h, o in zip(self.hatches, mask, strict=True) if o]
        graph = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
        return connected_components(graph, directed=False)[1]

    def segment(self, module: str) -> list[str]:
        """Modules joined to ``module`` through open hatches (itself included)."""
        labels = self.group_labels()
        k = labels[self.index(module)]
        return [m for m, lab in zip(self.module_ids, labels, strict=True) if lab == k]

    def largest_segment_module(self) -> str:
        """The first module of the open segment with the largest volume (m³): where a leak is
        assumed when none is named."""
        labels = self.group_labels()
        largest = np.argmax(np.bincount(labels, [m.volume_m3 for m in self.modules]))
        return self.module_ids[int(np.flatnonzero(labels == largest)[0])]

    def pooled_gas(self, modules: Iterable[str]) -> tuple[float, float, float]:
        """``modules`` taken as one volume: (gas capacity m/p in kg/Pa, their pressure after
        mixing in Pa, mean temperature in K)."""
        chosen = set(modules)
        parts = [m for m in self.modules if m.id in chosen]
        capacity = [m.volume_m3 / (physics.R_AIR_J_PER_KG_K * m.temperature_k) for m in parts]
        total = math.fsum(capacity)
        pressure = math.fsum(m.pressure_pa * c for m, c in zip(parts, capacity, strict=True)) / total
        return total, pressure, math.fsum(m.temperature_k for m in parts) / len(parts)

    def volume_m3(self, modules: Iterable[str] | None = None) -> float:
        """Total volume (m³) of ``modules`` (default: all)."""
        chosen = set(self.module_ids if modules is None else modules)
        return float(sum(m.volume_m3 for m in self.modules if m.id in chosen))

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(volume_m3, temperature_k, initial pressure_pa) per module."""
        return (
            np.array([m.volume_m3 for m in self.modules], float),
            np.array([m.temperature_k for m in self.modules], float),
            np.array([m.pressure_pa for m in self.modules], float),
        )


@dataclass
class CabinHistory:
    """Time history of a simulation. Arrays are (time, module); masses in kg, pressures in Pa."""

    module_ids: list[str]
    times_s: np.ndarray
    pressure_pa: np.ndarray
    mass_kg: np.ndarray
    temperature_k: np.ndarray
    vented_kg: np.ndarray  # cumulative gas lost through the holes
    supplied_kg: np.ndarray  # cumulative net gas added by sources (negative: removed)
    initial_mass_kg: float = field(default=0.0)

    @property
    def pressure_mmhg(self) -> np.ndarray:
        return self.pressure_pa / physics.PA_PER_MMHG

    def module_pressure_mmhg(self, module: str) -> np.ndarray:
        return self.pressure_mmhg[:, self.module_ids.index(module)]


def _check_inputs(network: CabinNetwork, duration_s: float, leaks, hatch_events, sources):
    if not (duration_s > 0.0 and math.isfinite(duration_s)):
        raise InputError(f"duration must be a positive number of seconds, got {duration_s!r}")
    for leak in leaks:
        network.index(leak.module, source="leak")
        if leak.cda_m2 < 0.0:
            raise InputError(f"leak area must be >= 0 m², got {leak.cda_m2}", source="leak")
    for ev in hatch_events:
        network.hatch_index(ev.a, ev.b, source="hatch event")
    for src in sources:
        network.index(src.module, source="gas source")


def _event_times(duration_s: float, leaks, hatch_events, sources) -> list[float]:
    times = {0.0, duration_s}
    times.update(x.start_s for x in leaks)
    times.update(e.t_s for e in hatch_events)
    for s in sources:
        times.update((s.start_s, s.end_s))
    return sorted(t for t in times if 0.0 <= t <= duration_s)


def _output_times(duration_s: float, times_s, n_points: int) -> np.ndarray:
    if times_s is None:
        return np.linspace(0.0, duration_s, n_points)
    t = np.asarray(times_s, float)
    if t.ndim != 1 or t.size == 0 or np.any(np.diff(t) < 0) or t[0] < 0 or t[-1] > duration_s:
        raise InputError("output times must be a non-empty increasing list within the duration")
    return t


def _active(network: CabinNetwork, t_s: float, leaks, sources):
    """Per-module leak Cd·A (m²) and net source rate (kg/s) active on [t_s, next event)."""
    n = len(network.modules)
    cda = np.zeros(n)
    rate = np.zeros(n)
    for leak in leaks:
        if leak.start_s <= t_s:
            cda[network.index(leak.module)] += leak.cda_m2
    for s in sources:
        if s.start_s <= t_s < s.end_s:
            rate[network.index(s.module)] += s.rate_kg_s
    return cda, rate


def _hatch_states(network: CabinNetwork, t_s: float, hatch_events) -> list[bool]:
    state = [h.open for h in network.hatches]
    for ev in sorted(hatch_events, key=lambda e: e.t_s):
        if ev.t_s <= t_s:
            state[network.hatch_index(ev.a, ev.b)] = ev.open
    return state


def simulate(
    network: CabinNetwork,
    duration_s: float,
    *,
    leaks: Sequence[Leak] = (),
    hatch_events: Sequence[HatchEvent] = (),
    sources: Sequence[GasSource] = (),
    times_s=None,
    n_points: int = 481,
    thermal: str = "isothermal",
) -> CabinHistory:
    """Pressure and gas mass of every module over ``duration_s`` (s), lumped-group solution.

    ``thermal`` is ``"isothermal"`` (default: walls and air conditioning hold the gas temperature
    over hours to days) or ``"adiabatic"`` (isentropic expansion, the fast-blowdown bound; only for
    leaks present from t = 0 without hatch events or gas sources). Outputs at ``times_s`` (s) or
    at ``n_points`` even steps. Modules in one open group that start at different pressures are
    mixed at t = 0.
    """
    _check_inputs(network, duration_s, leaks, hatch_events, sources)
    if thermal not in ("isothermal", "adiabatic"):
        raise InputError(f"thermal must be 'isothermal' or 'adiabatic', got {thermal!r}")
    out_t = _output_times(duration_s, times_s, n_points)
    volume, temperature, p0 = network.arrays()
    capacity = volume / (physics.R_AIR_J_PER_KG_K * temperature)  # kg/Pa of each module
    if thermal == "adiabatic":
        if hatch_events or sources or any(x.start_s > 0 for x in leaks):
            raise InputError("adiabatic simulation supports only leaks open from t = 0, "
                             "without hatch events or gas sources")
        return _simulate_adiabatic(network, out_t, leaks, capacity, temperature, p0)

    n = len(network.modules)
    mass = p0 * capacity
    initial_mass = float(mass.sum())
    pressure_out = np.empty((out_t.size, n))
    vented_out = np.empty(out_t.size)
    supplied_out = np.empty(out_t.size)
    vented_total = supplied_total = 0.0
    edges = _event_times(duration_s, leaks, hatch_events, sources)
    for k, (t0, t1) in enumerate(zip(edges[:-1], edges[1:], strict=True)):
        last = k == len(edges) - 2
        labels = network.group_labels(_hatch_states(network, t0, hatch_events))
        cda, rate = _active(network, t0, leaks, sources)
        n_groups = labels.max() + 1
        group_mass = np.bincount(labels, mass, n_groups)
        group_cap = np.bincount(labels, capacity, n_groups)
        group_coef = np.bincount(
            labels, physics.leak_coefficient_kg_per_s_pa(cda, temperature), n_groups
        )
        group_rate = np.bincount(labels, rate, n_groups)
        with np.errstate(divide="ignore"):
            tau = np.where(group_coef > 0, group_cap / group_coef, np.inf)
        in_seg = (out_t >= t0) & ((out_t <= t1) if last else (out_t < t1))
        sample = np.concatenate([out_t[in_seg] - t0, [t1 - t0]])
        g_mass = np.empty((sample.size, n_groups))
        g_vent = np.empty((sample.size, n_groups))
        for g in range(n_groups):
            g_mass[:, g], g_vent[:, g] = physics.vented_mass_with_source_kg(
                sample, group_mass[g], tau[g], group_rate[g]
            )
        g_mass = np.maximum(g_mass, 0.0)
        group_p = g_mass / group_cap
        pressure_out[in_seg] = group_p[:-1][:, labels]
        vented_out[in_seg] = vented_total + g_vent[:-1].sum(axis=1)
        supplied_out[in_seg] = supplied_total + sample[:-1] * group_rate.sum()
        vented_total += g_vent[-1].sum()
        supplied_total += (t1 - t0) * group_rate.sum()
        mass = group_p[-1][labels] * capacity
    mass_out = pressure_out * capacity
    return CabinHistory(
        network.module_ids, out_t, pressure_out, mass_out,
        np.broadcast_to(temperature, pressure_out.shape).copy(),
        vented_out, supplied_out, initial_mass,
    )


def _simulate_adiabatic(network, out_t, leaks, capacity, temperature, p0) -> CabinHistory:
    gamma = physics.GAMMA_AIR
    labels = network.group_labels()
    n_groups = labels.max() + 1
    cda, _ = _active(network, 0.0, leaks, ())
    mass0 = p0 * capacity
    group_mass = np.bincount(labels, mass0, n_groups)
    group_cap = np.bincount(labels, capacity, n_groups)
    group_p0 = group_mass / group_cap
    if np.any(np.abs(p0 - group_p0[labels]) > 1e-9 * group_p0[labels]):
        raise InputError("adiabatic simulation needs equal initial pressures in each open group")
    coef = np.bincount(labels, physics.leak_coefficient_kg_per_s_pa(cda, temperature), n_groups)
    with np.errstate(divide="ignore"):
        tau = np.where(coef > 0, group_mass / (coef * group_p0), np.inf)
    ratio = np.ones((out_t.size, n_groups))
    for g in range(n_groups):
        if np.isfinite(tau[g]):
            ratio[:, g] = physics.adiabatic_blowdown_pa(out_t, 1.0, tau[g], gamma)
    module_ratio = ratio[:, labels]
    pressure = p0 * module_ratio
    mass = mass0 * module_ratio ** (1.0 / gamma)  # isentropic: ρ ∝ p^(1/γ)
    temps = temperature * module_ratio ** ((gamma - 1.0) / gamma)
    total0 = float(mass0.sum())
    return CabinHistory(network.module_ids, out_t, pressure, mass, temps,
                        total0 - mass.sum(axis=1), np.zeros(out_t.size), total0)


def simulate_full_network(
    network: CabinNetwork,
    duration_s: float,
    *,
    leaks: Sequence[Leak] = (),
    hatch_events: Sequence[HatchEvent] = (),
    sources: Sequence[GasSource] = (),
    times_s=None,
    n_points: int = 481,
    method: str = "Radau",
    rtol: float = 1e-8,
    dp_linear_pa: float = 1.0,
) -> CabinHistory:
    """Reference solution: every open hatch is an orifice between its two modules and the stiff
    isothermal network ODE is integrated with ``scipy.integrate.solve_ivp`` (implicit ``method``)
    between events. Slow; for validation and benchmarks."""
    _check_inputs(network, duration_s, leaks, hatch_events, sources)
    out_t = _output_times(duration_s, times_s, n_points)
    volume, temperature, p0 = network.arrays()
    n = len(network.modules)
    pos = {m: i for i, m in enumerate(network.module_ids)}
    state = np.concatenate([p0 * volume / (physics.R_AIR_J_PER_KG_K * temperature), [0.0, 0.0]])
    initial_mass = float(state[:n].sum())
    rows = np.empty((out_t.size, n + 2))
    edges = _event_times(duration_s, leaks, hatch_events, sources)
    for k, (t0, t1) in enumerate(zip(edges[:-1], edges[1:], strict=True)):
        last = k == len(edges) - 2
        is_open = _hatch_states(network, t0, hatch_events)
        hatches = [h for h, o in zip(network.hatches, is_open, strict=True) if o]
        ha = np.array([pos[h.a] for h in hatches], int)
        hb = np.array([pos[h.b] for h in hatches], int)
        hcda = np.array([h.cda_m2 for h in hatches], float)
        cda, rate = _active(network, t0, leaks, sources)

        def rhs(_t, y, ha=ha, hb=hb, hcda=hcda, cda=cda, rate=rate):
            dm, vent = physics.network_rhs(y[:n], volume, temperature, ha, hb, hcda, cda, rate,
                                           dp_linear_pa=dp_linear_pa)
            return np.concatenate([dm, [vent, rate.sum()]])

        in_seg = (out_t >= t0) & ((out_t <= t1) if last else (out_t < t1))
        t_eval = out_t[in_seg]
        if t_eval.size == 0 or t_eval[-1] < t1:
            t_eval = np.append(t_eval, t1)
        sol = solve_ivp(rhs, (t0, t1), state, method=method, t_eval=t_eval, rtol=rtol,
                        atol=np.concatenate([1e-9 * state[:n].clip(1.0), [1e-9, 1e-9]]))
        if not sol.success:
            raise RuntimeError(f"reference network integration failed: {sol.message}")
        rows[in_seg] = sol.y[:, : in_seg.sum()].T
        state = sol.y[:, -1]
    mass = rows[:, :n]
    pressure = mass * physics.R_AIR_J_PER_KG_K * temperature / volume
    return CabinHistory(network.module_ids, out_t, pressure, mass,
                        np.broadcast_to(temperature, mass.shape).copy(),
                        rows[:, n], rows[:, n + 1], initial_mass)


def _docked_entries(docked) -> list[tuple[str, str, str | None]]:
    """Normalise docked vehicles to (name, catalog vehicle id, port or None)."""
    entries = []
    for item in docked:
        if isinstance(item, str):
            entries.append((item, item, None))
        elif isinstance(item, tuple | list):
            name, vehicle, *rest = item
            entries.append((name, vehicle, rest[0] if rest else None))
        else:  # a scenario DockedVehicle (id, vehicle, port)
            entries.append((item.id, item.vehicle, getattr(item, "port", None)))
    return entries


def vehicle_compartments(vehicle_id: str, catalog=None) -> tuple[tuple[str, float], ...]:
    """(suffix, volume_m3) of each pressurised compartment of a docked vehicle, station side first:
    the layout table above, else the catalog's ``pressurized_volume_m3`` as one compartment."""
    for prefix, layout in VEHICLE_COMPARTMENTS.items():
        if vehicle_id.startswith(prefix):
            return layout
    if catalog is not None and vehicle_id in catalog.vehicles:
        volume = catalog.vehicles[vehicle_id].pressurized_volume_m3
        if volume:
            return (("", float(volume)),)
    raise InputError(f"no pressurised volume known for vehicle {vehicle_id!r}; known layouts: "
                     f"{', '.join(VEHICLE_COMPARTMENTS)} or a catalog vehicle with "
                     "pressurized_volume_m3", source="docked")


def _port_module(port: str, module_ids: list[str]) -> str | None:
    """The module a docking port belongs to: the port itself or its longest module-id prefix."""
    if port in module_ids:
        return port
    owners = [m for m in module_ids if port.startswith(m + "-")]
    return max(owners, key=len) if owners else None


def add_docked(network: CabinNetwork, docked, *, docking_ports: Sequence[str] = (),
               catalog=None) -> CabinNetwork:
    """Add docked vehicles as modules joined to their port's module through an open hatch.

    ``docked`` holds catalog vehicle ids, (name, vehicle, port) tuples or scenario docked
    records. A vehicle without a port takes the first free port of ``docking_ports``.
    """
    modules = list(network.modules)
    hatches = list(network.hatches)
    station_ids = network.module_ids
    used = set()
    for name, vehicle, port in _docked_entries(docked):
        if port is None:
            free = [p for p in docking_ports if p not in used]
            if not free:
                raise InputError(f"docked vehicle {name!r} has no port and no docking port is "
                                 "free; give its port", source="docked")
            port = free[0]
        used.add(port)
        attach = _port_module(port, station_ids)
        if attach is None:
            raise InputError(f"docking port {port!r} of {name!r} is not on any module of "
                             f"{network.name}", source="docked")
        temperature = next(m.temperature_k for m in modules if m.id == attach)
        previous = attach
        for suffix, volume in vehicle_compartments(vehicle, catalog):
            module_id = f"{name}-{suffix}" if suffix else name
            modules.append(CabinModule(module_id, volume, temperature, kind="vehicle"))
            hatches.append(CabinHatch(previous, module_id))
            previous = module_id
    return CabinNetwork(network.name, tuple(modules), tuple(hatches))


def station_network(station_id: str, configuration: str | None = None, docked=(), *,
                    catalog=None) -> CabinNetwork:
    """The catalog station's modules and hatches (``configuration`` id, default the first listed),
    with ``docked`` vehicles added (see :func:`add_docked`)."""
    from lifeboat.catalog import load_catalog

    cat = catalog or load_catalog()
    try:
        station = cat.station(station_id)
    except InputError as exc:
        raise InputError(exc.message, param="station") from None
    configs = {c.id: c for c in station.configurations}
    if not configs:
        raise InputError(f"station {station_id!r} has no module configuration in the catalog",
                         param="station")
    if configuration is None:
        config = station.configurations[0]
    elif configuration in configs:
        config = configs[configuration]
    else:
        raise InputError(f"unknown configuration {configuration!r} of {station_id}; expected one "
                         f"of {', '.join(configs)}", param="configuration")
    network = CabinNetwork(
        f"{station_id} {config.id}",
        tuple(CabinModule(m.id, m.volume_m3, m.temperature_k, kind=m.kind) for m in config.modules),
        tuple(CabinHatch(h.a, h.b, h.diameter_mm, h.open) for h in config.hatches),
    )
    return add_docked(network, docked, docking_ports=config.docking_ports, catalog=cat)


def scenario_network(scenario, *, catalog=None) -> CabinNetwork:
    """The network of a loaded scenario: its station configuration, docked vehicles and closed
    hatches."""
    network = station_network(scenario.station.id, scenario.station.configuration,
                              scenario.docked, catalog=catalog)
    return network.with_hatches(closed=scenario.station.closed_hatches)
