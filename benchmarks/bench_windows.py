"""Benchmark: 30 days of plane-crossing launch opportunities for every catalog site against the ISS.

Ours: :func:`lifeboat.orbits.windows.find_plane_crossings` (analytic prediction from the mean
node + vectorised bracketed Newton on ``sgp4_array``). Baseline: skyfield
``searchlib.find_discrete`` on the sign of r_site · (r × v) in GCRS (``EarthSatellite``,
``wgs84.latlon``), 5-min step, default epsilon — the same events. Prints per-site times, the ratio,
the largest |Δt| between the two event lists (must be < 1 s), and the overall ratio line.

Run: ``.venv/bin/python benchmarks/bench_windows.py``
"""

from __future__ import annotations

import statistics
import time
from datetime import timedelta

import numpy as np
from skyfield.api import EarthSatellite, load, wgs84
from skyfield.searchlib import find_discrete

from lifeboat.catalog import load_catalog
from lifeboat.orbits.station import StationOrbit
from lifeboat.orbits.windows import find_plane_crossings, launch_opportunities
from lifeboat.timeutil import datetime_to_jd

DAYS = 30.0
REPEATS_OURS = 7
GOAL = 100.0


def skyfield_events(sat, ts, lat, lon, start, days):
    site = wgs84.latlon(lat, lon)

    def side(t):
        at = sat.at(t)
        h = np.cross(at.position.km, at.velocity.km_per_s, axis=0)
        return (site.at(t).position.km * h).sum(axis=0) > 0.0

    side.step_days = 5.0 / 1440.0
    t0 = ts.from_datetime(start)
    t1 = ts.from_datetime(start + timedelta(days=days))
    times, _ = find_discrete(t0, t1, side)
    return times


def main() -> None:
    cat = load_catalog()
    station = cat.station("iss")
    line1, line2 = station.tle
    orbit = StationOrbit.from_tle(line1, line2, name=station.name)
    start = orbit.epoch_utc
    jd0 = datetime_to_jd(start)
    ts = load.timescale(builtin=True)
    sat = EarthSatellite(line1, line2, ts=ts)
    find_plane_crossings(orbit, 45.0, 63.0, 0.0, jd0, jd0 + 1.0)  # warm-up (imports, timescale)

    print(f"ISS TLE epoch {start:%Y-%m-%d %H:%M} UTC, {DAYS:g} days, {len(cat.sites)} sites")
    print(f"{'site':14s} {'events':>6s} {'ours ms':>8s} {'skyfield ms':>11s} {'ratio':>7s} {'max|dt| s':>9s}")
    total_ours = total_sky = 0.0
    worst_dt = 0.0
    for site in cat.sites.values():
        args = (orbit, site.latitude_deg, site.longitude_deg, site.altitude_m / 1e3, jd0, jd0 + DAYS)
        runs = []
        for _ in range(REPEATS_OURS):
            t = time.perf_counter()
            ours = find_plane_crossings(*args)
            runs.append(time.perf_counter() - t)
        ours_s = statistics.median(runs)
        t = time.perf_counter()
        sky_times = skyfield_events(sat, ts, site.latitude_deg, site.longitude_deg, start, DAYS)
        sky_s = time.perf_counter() - t
        sky_jd = np.array([datetime_to_jd(d) for d in sky_times.utc_datetime()])
        if sky_jd.size != ours.jd_utc.size:
            raise SystemExit(f"{site.id}: {ours.jd_utc.size} events vs skyfield {sky_jd.size}")
        dt = float(np.max(np.abs(sky_jd - ours.jd_utc)) * 86400.0) if sky_jd.size else 0.0
        worst_dt = max(worst_dt, dt)
        ratio = sky_s / ours_s
        if sky_jd.size:  # sites the plane never reaches are not timed against each other
            total_ours += ours_s
            total_sky += sky_s
        print(f"{site.id:14s} {ours.jd_utc.size:6d} {ours_s * 1e3:8.2f} {sky_s * 1e3:11.1f} {ratio:7.0f} {dt:9.4f}")

    t = time.perf_counter()
    launch_opportunities("baikonur", orbit, start, DAYS, vehicle_id="soyuz-ms")
    print(f"full launch_opportunities (Baikonur, Soyuz MS, phases and schemes): "
          f"{(time.perf_counter() - t) * 1e3:.1f} ms")
    print(f"max |dt| vs skyfield over all events: {worst_dt:.4f} s (must be < 1 s)")
    if worst_dt >= 1.0:
        raise SystemExit("events differ by 1 s or more")
    print(f"ratio: {total_sky / total_ours:.0f}x vs skyfield find_discrete (goal >= {GOAL:.0f}x)")


if __name__ == "__main__":
    main()
