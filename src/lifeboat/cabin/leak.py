"""The leak summary: drop rate, time to the evacuation limit, the crew's linear reserve time.

The crew procedure (docs/references.md: the crew's leak procedure) defines the reserve time Tres as the time
until cabin pressure falls to the evacuation limit, 490 mmHg, read from the present drop rate
(a straight-line extrapolation); if Tres < 10 min the crew stops searching and shelters in the
lifeboat. We report that linear figure and the time on the physical decay curve (longer, since
the leak slows as the pressure falls).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lifeboat.cabin import physics
from lifeboat.cabin.network import DEFAULT_TEMPERATURE_K, CabinNetwork
from lifeboat.errors import InputError

DEFAULT_LIMIT_MMHG = 490.0  # evacuation limit (forumastronautico L-108, medium; docs/references.md)
EVACUATE_NOW_RESERVE_H = 10.0 / 60.0  # Tres < 10 min: shelter at once (same source)


@dataclass(frozen=True)
class LeakSummary:
    """What a leak means for the crew. Rates in mmHg/h, times in hours."""

    network: str
    module: str
    segment: list[str]  # modules sharing the leaking module's air (open hatches)
    volume_m3: float
    hole_diameter_mm: float
    cd: float
    effective_area_mm2: float
    initial_pressure_mmhg: float
    limit_mmhg: float
    initial_rate_mmhg_per_h: float
    mass_flow_kg_per_day: float
    time_to_limit_h: float  # on the physical decay curve (inf: never)
    reserve_time_linear_h: float  # crew's straight-line Tres at the present rate
    evacuate_now: bool  # Tres < 10 min
    isolated: bool
    thermal: str


@dataclass(frozen=True)
class EquivalentHole:
    """The ideal orifice that vents a given mass flow at a given cabin pressure."""

    mass_flow_kg_per_day: float
    effective_area_mm2: float
    cd: float
    diameter_mm: float


def resolve_module(network: CabinNetwork, name: str, *, source: str | None = None,
                   param: str | None = None) -> str:
    """A module id from a name: the id itself, or for a docked vehicle's name (``soyuz-ms-09``)
    its first compartment (``soyuz-ms-09-om``)."""
    if name in network.module_ids:
        return name
    parts = [m for m in network.module_ids if m.startswith(name + "-")]
    if parts:
        return parts[0]
    network.index(name, source=source, param=param)  # raises with suggestions
    return name


def hole_area_m2(diameter_mm: float) -> float:
    """Geometric area (m²) of a round hole of ``diameter_mm``."""
    return math.pi * (diameter_mm * 1e-3) ** 2 / 4.0


def diameter_for_area_mm(effective_area_mm2: float, cd: float) -> float:
    """Diameter (mm) of the round hole whose Cd·A equals ``effective_area_mm2``."""
    return math.sqrt(4.0 * effective_area_mm2 / (cd * math.pi))


def leak_rate_to_mmhg_per_day(kg_per_day: float, volume_m3: float,
                              temperature_k: float = DEFAULT_TEMPERATURE_K) -> float:
    """Pressure fall (mmHg/day) of a ``volume_m3`` cabin at ``temperature_k`` losing
    ``kg_per_day`` of air: dp/dt = ṁ·R·T/V (ideal gas, isothermal)."""
    return kg_per_day * physics.R_AIR_J_PER_KG_K * temperature_k / volume_m3 / physics.PA_PER_MMHG


def equivalent_hole(mass_flow_kg_per_day: float, *, pressure_pa: float = physics.STANDARD_PRESSURE_PA,
                    temperature_k: float = DEFAULT_TEMPERATURE_K, cd: float = 1.0) -> EquivalentHole:
    """The round hole (Cd = ``cd``) whose choked flow at ``pressure_pa`` and ``temperature_k``
    equals ``mass_flow_kg_per_day``."""
    if mass_flow_kg_per_day < 0 or not 0 < cd <= 1:
        raise InputError("need a mass flow >= 0 kg/day and 0 < cd <= 1")
    coef = float(physics.leak_coefficient_kg_per_s_pa(1.0, temperature_k))
    area_m2 = mass_flow_kg_per_day / 86400.0 / (pressure_pa * coef)
    area_mm2 = area_m2 * 1e6
    return EquivalentHole(mass_flow_kg_per_day, area_mm2, cd, diameter_for_area_mm(area_mm2, cd))


# Smallest Cd·A modelled: 4,000 times below the ISS's lowest background leakage (0.2 lb/day, an
# ideal orifice of about 0.004 mm²; docs/references.md AC-4), so nothing a crew could notice.
MIN_EFFECTIVE_AREA_MM2 = 1e-6


def _check(value: float | None, name: str, low: float, high: float = math.inf) -> None:
    if value is not None and not (low < value <= high and math.isfinite(value)):
        raise InputError(f"expected {low:g} < value <= {high:g}, got {value!r}", param=name)


def analyse_leak(
    network: CabinNetwork,
    *,
    hole_diameter_mm: float | None = None,
    effective_area_mm2: float | None = None,
    cd: float = 0.6,
    module: str | None = None,
    limit_mmhg: float = DEFAULT_LIMIT_MMHG,
    isolated: bool = False,
    thermal: str = "isothermal",
) -> LeakSummary:
    """Summarise a hole to vacuum in ``module`` (default: the largest open segment).

    Give ``hole_diameter_mm`` (the effective area is ``cd``·π·d²/4) or ``effective_area_mm2``
    (Cd·A; the diameter is then reported for ``cd``). ``isolated`` closes the leaking module's
    hatches first. ``thermal`` is ``"isothermal"`` or ``"adiabatic"`` (see :func:`simulate`).
    """
    if (hole_diameter_mm is None) == (effective_area_mm2 is None):
        raise InputError("give exactly one of the hole diameter and the effective area",
                         param="hole_mm")
    _check(hole_diameter_mm, "hole_mm", 0.0, 10_000.0)
    _check(effective_area_mm2, "effective_area_mm2", 0.0)
    _check(cd, "cd", 0.0, 1.0)
    _check(limit_mmhg, "limit_mmhg", 0.0)
    if thermal not in ("isothermal", "adiabatic"):
        raise InputError(f"expected 'isothermal' or 'adiabatic', got {thermal!r}", param="thermal")
    if module is None:
        module = network.largest_segment_module()
    module = resolve_module(network, module, param="module")
    if isolated:
        network = network.isolate(module)
    if hole_diameter_mm is not None:
        effective_area_mm2 = cd * hole_area_m2(hole_diameter_mm) * 1e6
    else:
        hole_diameter_mm = diameter_for_area_mm(effective_area_mm2, cd)
    if effective_area_mm2 < MIN_EFFECTIVE_AREA_MM2:
        raise InputError(f"the hole is too small to matter: Cd·A = {effective_area_mm2:.3g} mm², "
                         f"below {MIN_EFFECTIVE_AREA_MM2:g} mm² (far under the station's normal "
                         "background leakage)", param="hole_mm")

    segment = network.segment(module)
    capacity_kg_per_pa, p0, _ = network.pooled_gas(segment)
    leak_temperature = network.modules[network.index(module)].temperature_k
    coef = float(physics.leak_coefficient_kg_per_s_pa(effective_area_mm2 * 1e-6, leak_temperature))
    tau_s = capacity_kg_per_pa / coef
    adiabatic = thermal == "adiabatic"
    rate_pa_s = (physics.GAMMA_AIR if adiabatic else 1.0) * p0 / tau_s
    limit_pa = limit_mmhg * physics.PA_PER_MMHG
    if limit_pa >= p0:
        raise InputError(f"the evacuation limit must be below the cabin pressure "
                         f"{p0 / physics.PA_PER_MMHG:.1f} mmHg, got {limit_mmhg:g} mmHg",
                         param="limit_mmhg")
    time_to_limit_s = float(physics.time_to_pressure_s(p0, limit_pa, tau_s, adiabatic=adiabatic))
    reserve_h = max(p0 - limit_pa, 0.0) / rate_pa_s / 3600.0
    return LeakSummary(
        network=network.name,
        module=module,
        segment=segment,
        volume_m3=network.volume_m3(segment),
        hole_diameter_mm=float(hole_diameter_mm),
        cd=cd,
        effective_area_mm2=float(effective_area_mm2),
        initial_pressure_mmhg=p0 / physics.PA_PER_MMHG,
        limit_mmhg=limit_mmhg,
        initial_rate_mmhg_per_h=rate_pa_s * 3600.0 / physics.PA_PER_MMHG,
        mass_flow_kg_per_day=coef * p0 * 86400.0,
        time_to_limit_h=time_to_limit_s / 3600.0,
        reserve_time_linear_h=reserve_h,
        evacuate_now=bool(reserve_h < EVACUATE_NOW_RESERVE_H),
        isolated=isolated,
        thermal=thermal,
    )


def scenario_leak(scenario, *, catalog=None) -> LeakSummary | None:
    """The leak summary of a scenario whose emergency is a leak (None otherwise), for ``assess``."""
    from lifeboat.cabin.network import scenario_network

    emergency = scenario.emergency
    if emergency is None or emergency.kind != "leak":
        return None
    network = scenario_network(scenario, catalog=catalog)
    return analyse_leak(network, hole_diameter_mm=emergency.hole_mm, cd=emergency.cd,
                        module=emergency.module)


def leak_history(network: CabinNetwork, summary: LeakSummary, duration_h: float | None = None,
                 n_points: int = 481):
    """Pressure history (:class:`CabinHistory`) of the leak a summary describes, from its onset
    to ``duration_h`` (default: 1.2 × the time to the limit, at most 60 days)."""
    from lifeboat.cabin.network import Leak, simulate

    if summary.isolated:
        network = network.isolate(summary.module)
    if duration_h is None:
        duration_h = min(1.2 * summary.time_to_limit_h, 60 * 24.0)
        duration_h = duration_h if duration_h > 0 else 1.0
    leak = Leak(summary.module, summary.effective_area_mm2 * 1e-6)
    return simulate(network, duration_h * 3600.0, leaks=[leak], n_points=n_points,
                    thermal=summary.thermal)
