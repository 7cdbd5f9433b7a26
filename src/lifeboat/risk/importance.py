"""Importance measures of the basic events of an architecture.

A basic event is a per-occasion failure probability of a provider: a launch failing, the abort
failing (1 - ``abort_success``), a planned return failing, an evacuation return failing, a
damage going unnoticed. For a metric M (default: LOC per person-mission):

* RAW (risk achievement worth) = M with the event certain / M;
* RRW (risk reduction worth) = M / M with the event impossible;
* Fussell-Vesely by cause comes with every result (``RiskResult.fussell_vesely``).

All variants run on common random numbers with the base case, so the ratios are not blurred by
independent sampling noise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from lifeboat.errors import InputError
from lifeboat.risk.engine import METRICS, compare_paired
from lifeboat.risk.model import Architecture, load_architecture, with_overrides

# field -> (event name, value making the event certain, value making it impossible)
BASIC_EVENTS = {
    "ascent_failure": ("launch fails", 1.0, 0.0),
    "abort_success": ("abort fails", 0.0, 1.0),
    "nominal_return_failure": ("planned return fails", 1.0, 0.0),
    "emergency_return_failure": ("evacuation return fails", 1.0, 0.0),
    "undetected_damage_fraction": ("damage goes unnoticed", 1.0, 0.0),
}


@dataclass(frozen=True)
class EventImportance:
    event: str
    field: str  # dotted path in the architecture
    probability: float
    raw: float | None
    rrw: float | None
    raw_se: float | None  # Monte Carlo errors (delta method, ignoring the positive correlation
    rrw_se: float | None  # of common random numbers, so on the safe side)


@dataclass(frozen=True)
class ImportanceResult:
    architecture: str
    metric: str
    base: float | None
    trials: int
    seed: int
    events: list[EventImportance]


def importance(architecture: Architecture | str, *, metric: str = "loc_per_person_mission",
               trials: int = 200_000, seed: int = 1, workers: int = 1) -> ImportanceResult:
    """RAW and RRW of every basic event of ``architecture`` for ``metric``."""
    arch = architecture if isinstance(architecture, Architecture) else load_architecture(architecture)
    if metric not in METRICS or METRICS[metric].lower_is_better is not True:
        risk = [m for m, d in METRICS.items() if d.lower_is_better]
        raise InputError(f"unknown risk metric {metric!r} (expected one of {', '.join(risk)})", param="metric")
    variants: list[Architecture] = [arch]
    events = []
    for key, provider in arch.providers.items():
        if provider.vehicles == 0 and not provider.launch_on_need:
            continue
        for field, (label, certain, impossible) in BASIC_EVENTS.items():
            path = f"providers.{key}.{field}"
            value = getattr(provider, field)
            probability = 1.0 - value if field == "abort_success" else value
            if field == "abort_success" and provider.crew_per_flight == 0:
                continue  # never launches crew
            up = with_overrides(arch, {path: certain}, source=arch.id).model_copy(update={"id": f"{arch.id}.raw.{len(variants)}"})
            down = with_overrides(arch, {path: impossible}, source=arch.id).model_copy(update={"id": f"{arch.id}.rrw.{len(variants)}"})
            variants += [up, down]
            events.append((f"{key}: {label}", path, probability))
    results = compare_paired(variants, trials=trials, seed=seed, workers=workers).results
    m0 = results[0].metrics[metric]
    base = m0["mean"]
    out = []
    for i, (label, path, probability) in enumerate(events):
        up = results[1 + 2 * i].metrics[metric]
        down = results[2 + 2 * i].metrics[metric]
        raw = up["mean"] / base if base and up["mean"] is not None else None
        rrw = base / down["mean"] if base and down["mean"] else None
        out.append(EventImportance(label, path, probability, raw, rrw,
                                   _ratio_se(raw, up, m0), _ratio_se(rrw, m0, down)))
    out.sort(key=lambda e: -(e.raw or 0.0))
    return ImportanceResult(arch.id, metric, base, trials, seed, out)


def _ratio_se(ratio, num, den) -> float | None:
    if ratio is None or not num["mean"] or not den["mean"]:
        return None
    return ratio * math.hypot(num["mc_se"] / num["mean"], den["mc_se"] / den["mean"])
