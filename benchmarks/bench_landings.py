"""Benchmark: one day of landing search per crew vehicle, from a real undocking time.

Ours: :func:`lifeboat.orbits.landings.landing_opportunities`, whose 16 entry flights per search are
flown at once by the compiled kernel (:mod:`lifeboat.orbits.entry_fast`, numba, warmed up first).
Baseline: a plain loop of the adaptive reference integration
(:func:`lifeboat.orbits.entry.simulate_entry`, scipy DOP853, one flight at a time) over the same 16
burn points, which is what the search ran before. Prints per-vehicle times, the ratio, the
largest touchdown difference between the two (km; must stay under 1 km) and the overall line.
Goal: <= 50 ms per vehicle per day of search.

Run: ``.venv/bin/python benchmarks/bench_landings.py``
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from timing import best_of  # noqa: E402

from lifeboat.catalog import load_catalog  # noqa: E402
from lifeboat.orbits.abort import capsule_model  # noqa: E402
from lifeboat.orbits.entry import simulate_entry  # noqa: E402
from lifeboat.orbits.entry_fast import touchdowns  # noqa: E402
from lifeboat.orbits.landings import ENTRY_PHASES, _burn_state, landing_opportunities  # noqa: E402
from lifeboat.orbits.station import StationOrbit  # noqa: E402
from lifeboat.timeutil import datetime_to_jd  # noqa: E402

# ISS elements of 23 Jun 2019 and Soyuz MS-11's real undocking (tests/data/soyuz_returns.toml).
ISS = ("1 25544U 98067A   19174.96066161 -.00001641  00000-0 -19667-4 0  9994",
       "2 25544  51.6426 327.6827 0008340  79.1947  72.7878 15.51216338176304")
UNDOCK = datetime(2019, 6, 24, 23, 25, 30, tzinfo=UTC)
GOAL_MS = 50.0


def main() -> int:
    orbit = StationOrbit.from_tle(*ISS)
    cat = load_catalog()
    vehicles = [v.id for v in cat.vehicles.values() if v.deorbit is not None and v.recovery_zones]
    landing_opportunities(vehicles[0], orbit, UNDOCK, days=1.0)  # compile / load the numba cache
    worst_ms, ratios = 0.0, []
    for vid in vehicles:
        profile = cat.vehicle(vid).deorbit
        capsule = capsule_model(vid).guided()
        first = datetime_to_jd(UNDOCK) + profile.undock_to_burn_s / 86400.0
        burns = [_burn_state(orbit, first + k * orbit.period_s / ENTRY_PHASES / 86400.0, profile)
                 for k in range(ENTRY_PHASES)]
        r0 = np.array([b[1] for b in burns])
        v0 = np.array([b[2] for b in burns])
        ours_s, _ = best_of(lambda vid=vid: landing_opportunities(vid, orbit, UNDOCK, days=1.0), 5)
        kernel_s, (pos, _) = best_of(lambda capsule=capsule, r0=r0, v0=v0: touchdowns(r0, v0, capsule), 5)
        base_s, ref = best_of(
            lambda capsule=capsule, r0=r0, v0=v0: [simulate_entry(r0[k], v0[k], capsule, earth="wgs84", rtol=1e-7,
                                                                  atol=1e-3)
                                     for k in range(ENTRY_PHASES)], 1)
        diff_km = max(np.linalg.norm(pos[k] - ref[k].touchdown_r_ecef_m) / 1e3 for k in range(ENTRY_PHASES))
        ratio = base_s / kernel_s
        ratios.append(ratio)
        worst_ms = max(worst_ms, ours_s * 1e3)
        print(f"{vid:14s} search 1 day {ours_s * 1e3:7.1f} ms | 16 entries: kernel {kernel_s * 1e3:6.1f} ms, "
              f"plain loop {base_s * 1e3:7.0f} ms, {ratio:5.0f}x | max touchdown diff {diff_km:.3f} km")
        if diff_km > 1.0:
            print("FAIL: the kernel disagrees with the reference integration")
            return 1
    print(f"landing search: worst {worst_ms:.1f} ms per vehicle-day (goal <= {GOAL_MS:.0f} ms); "
          f"entry kernel vs plain loop: median {np.median(ratios):.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
