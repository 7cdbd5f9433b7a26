"""Write ``ms-09-like-telemetry.csv``: SYNTHETIC cabin-pressure telemetry for `lifeboat leak fit`.

Not a flight record. The series comes from Lifeboat's forward model: the whole ISS (916 m³,
295.15 K) with a small background leak, and from 29 Aug 2018 23:00 UTC a hole of effective area
Cd·A = 1.0 mm² (the area that gives the ~0.6 mmHg/h reported for the Soyuz MS-09 hole, docs/references.md
AC-2), sampled every 2 minutes over 36 h with 0.1 mmHg sensor noise, readings rounded to
0.1 mmHg, and a 3-hour data gap. `lifeboat leak fit` should find Cd·A ≈ 1.0 mm² and the onset.

Run: python examples/make_telemetry.py
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np

from lifeboat.cabin import physics
from lifeboat.fileio import write_atomic

VOLUME_M3 = 916.0
TEMPERATURE_K = 295.15
ONSET = datetime(2018, 8, 29, 23, 0, tzinfo=UTC)
START = ONSET - timedelta(hours=10)
LEAK_CDA_M2 = 1.0e-6
BACKGROUND_CDA_M2 = 0.05e-6


def main() -> Path:
    rng = np.random.default_rng(20180829)
    t_s = np.arange(0.0, 36 * 3600.0, 120.0)
    t_s = t_s[(t_s < 20 * 3600.0) | (t_s > 23 * 3600.0)]  # a 3-hour telemetry gap
    capacity = VOLUME_M3 / (physics.R_AIR_J_PER_KG_K * TEMPERATURE_K)
    rate_bg = float(physics.leak_coefficient_kg_per_s_pa(BACKGROUND_CDA_M2, TEMPERATURE_K)) / capacity
    rate_leak = float(physics.leak_coefficient_kg_per_s_pa(LEAK_CDA_M2, TEMPERATURE_K)) / capacity
    onset_s = (ONSET - START).total_seconds()
    p_pa = 101325.0 * np.exp(-rate_bg * t_s - rate_leak * np.maximum(t_s - onset_s, 0.0))
    p_mmhg = np.round(p_pa / physics.PA_PER_MMHG + rng.normal(0.0, 0.1, t_s.size), 1)
    lines = ["utc,pressure_mmhg"]
    for t, p in zip(t_s, p_mmhg, strict=True):
        stamp = (START + timedelta(seconds=float(t))).strftime("%Y-%m-%dT%H:%M:%SZ")
        lines.append(f"{stamp},{p:.1f}")
    return write_atomic(Path(__file__).with_name("ms-09-like-telemetry.csv"), "\n".join(lines) + "\n")


if __name__ == "__main__":
    print(main())
