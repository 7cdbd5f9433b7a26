"""A small one-parameter sweep for the web app: the risk of an architecture as one value varies.

Every point runs with the same seed (common random numbers), so differences between points come
from the parameter, not from sampling noise. Large sweeps, stored and distributed, are
``lifeboat sweep`` (:mod:`lifeboat.risk.sweep`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lifeboat.errors import InputError


@dataclass
class SweepPoint:
    value: Any
    result: object  # lifeboat.risk.engine.RiskResult


@dataclass
class SmallSweep:
    architecture: str
    parameter: str
    trials: int
    seed: int
    points: list[SweepPoint]


def sweep_parameters(architecture) -> list[dict[str, Any]]:
    """The numeric and yes/no fields of an architecture a sweep may vary (dotted paths)."""
    out: list[dict[str, Any]] = []

    def walk(node: dict, prefix: str) -> None:
        for key, value in node.items():
            if key in ("sources", "notes", "description", "title", "name", "id"):
                continue
            path = f"{prefix}{key}"
            if isinstance(value, dict):
                walk(value, path + ".")
            elif isinstance(value, bool | int | float):
                out.append({"path": path, "value": value})

    walk(architecture.model_dump(mode="python"), "")
    return out


def check_sweep(base, parameter: str, values: list[Any]) -> list:
    """The architectures of the sweep's points; :class:`InputError` for a bad parameter or value."""
    from lifeboat.risk.model import with_overrides

    known = {p["path"] for p in sweep_parameters(base)}
    if parameter not in known:
        raise InputError(f"{parameter!r} is not a numeric or yes/no field of {base.id}",
                         param="parameter")
    for i, v in enumerate(values):
        if not isinstance(v, bool | int | float):
            raise InputError(f"expected numbers or true/false, got {v!r}", param="values",
                             where=f"values[{i}]")
    return [with_overrides(base, {parameter: v}, source=f"{parameter} = {v!r}") for v in values]


def run_small_sweep(base, parameter: str, values: list[Any], *, trials: int, seed: int,
                    progress=None) -> SmallSweep:
    """Run ``base`` with ``parameter`` set to each of ``values``, all with the same seed."""
    from lifeboat.risk.engine import run_risk

    archs = check_sweep(base, parameter, values)
    total = trials * len(archs)
    points = []
    for i, (value, arch) in enumerate(zip(values, archs, strict=True)):
        step = (lambda d, _t, o=i * trials: progress(o + d, total)) if progress else None
        points.append(SweepPoint(value, run_risk(arch, trials=trials, seed=seed, progress=step)))
    return SmallSweep(base.id, parameter, trials, seed, points)
