"""Hole size from telemetry: recovery of a known hole from synthetic noisy, quantised, gappy
series made by the forward model, and one clear message for each kind of unusable input."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from scipy import stats

from lifeboat.cabin.fit import fit_leak, read_telemetry
from lifeboat.cabin.network import CabinModule, CabinNetwork, Leak, simulate
from lifeboat.errors import InputError

VOLUME_M3 = 916.0
START = datetime(2018, 8, 29, 12, 0, tzinfo=UTC)


def synthetic_series(rng, cda_mm2, *, n=1200, span_h=48.0, onset_h=16.0, sigma_mmhg=0.2,
                     step_mmhg=0.0, drop_fraction=0.2, gap_h=3.0, background_mm2=0.05):
    """Pressure telemetry of a 916 m³ station: a small background leak from the start, the hole
    from ``onset_h``; irregular sample times, random drop-outs and one long gap, Gaussian noise,
    then rounding to the sensor step."""
    t = np.sort(rng.uniform(0.0, span_h * 3600.0, n))
    keep = rng.random(n) > drop_fraction
    gap_start = rng.uniform(0.0, (span_h - gap_h) * 3600.0)
    keep &= ~((t > gap_start) & (t < gap_start + gap_h * 3600.0))
    t = t[keep]
    net = CabinNetwork("station", (CabinModule("station", VOLUME_M3),))
    hist = simulate(net, span_h * 3600.0, times_s=t, leaks=[
        Leak("station", background_mm2 * 1e-6), Leak("station", cda_mm2 * 1e-6, onset_h * 3600)])
    p = hist.pressure_mmhg[:, 0] + rng.normal(0.0, sigma_mmhg, t.size)
    if step_mmhg:
        p = np.round(p / step_mmhg) * step_mmhg
    return {"utc": [(START + timedelta(seconds=float(x))).isoformat() for x in t],
            "pressure_mmhg": p.tolist()}


CONDITIONS = [  # (noise σ mmHg, sensor step mmHg)
    (0.2, 0.0), (0.05, 0.1), (0.2, 1.0), (0.5, 1.0),
]


@pytest.mark.slow
def test_fit_recovers_known_hole_within_its_interval_in_95_percent_of_trials():
    trials = 200
    rng = np.random.default_rng(np.random.SeedSequence(20180830))
    hits = 0
    for i in range(trials):
        sigma, step = CONDITIONS[i % len(CONDITIONS)]
        true_area = rng.uniform(0.5, 2.0)  # Cd·A in mm² (MS-09 ≈ 1 mm², docs/references.md AC-2)
        fit = fit_leak(synthetic_series(rng, true_area, sigma_mmhg=sigma, step_mmhg=step),
                       VOLUME_M3, 0.6)
        lo, hi = fit.effective_area_ci95_mm2
        hits += lo <= true_area <= hi
    # A 95 % interval: the hit count is Binomial(200, 0.95); fail only below its 1 % quantile.
    assert hits >= stats.binom.ppf(0.01, trials, 0.95), hits


def test_fit_finds_onset_and_hole_diameter():
    rng = np.random.default_rng(7)
    true_area = 1.0  # mm²: the MS-09 hole as reported (AC-2: d = 1.5 mm with Cd 0.6)
    fit = fit_leak(synthetic_series(rng, true_area, sigma_mmhg=0.1, step_mmhg=0.1), VOLUME_M3, 0.6)
    assert fit.onset_detected
    assert abs((fit.onset_utc - (START + timedelta(hours=16))).total_seconds()) < 1800
    assert fit.effective_area_mm2 == pytest.approx(true_area, rel=0.05)
    d_true = math.sqrt(4 * true_area / (0.6 * math.pi))
    assert fit.hole_diameter_mm == pytest.approx(d_true, rel=0.03)
    assert fit.leak_detected
    # Drop rate at onset for Cd·A = 1 mm² in 916 m³: 0.6 mmHg/h (AC-2).
    assert fit.leak_rate_at_onset_mmhg_per_h == pytest.approx(0.6, rel=0.06)


def test_kpa_units_and_a_leak_running_since_before_the_record():
    rng = np.random.default_rng(3)
    data = synthetic_series(rng, 1.2, onset_h=0.0, sigma_mmhg=0.05)
    data = {"utc": data["utc"], "pressure_kpa": [p * 0.13332237 for p in data["pressure_mmhg"]]}
    fit = fit_leak(data, VOLUME_M3, 0.6)
    assert fit.effective_area_mm2 == pytest.approx(1.25, rel=0.05)  # hole + background
    assert fit.effective_area_ci95_mm2[0] <= 1.25 <= fit.effective_area_ci95_mm2[1] * 1.01


def _write(tmp_path, text):
    path = tmp_path / "telemetry.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _rows(n, start_line_value=760.0):
    return "".join(f"2018-08-29T{h:02d}:{m:02d}:00Z,{start_line_value - 0.01 * i:.2f}\n"
                   for i, (h, m) in enumerate((k // 60, k % 60) for k in range(0, n * 10, 10)))


@pytest.mark.parametrize("text, fragment", [
    ("utc,pressure_mmhg\n" + _rows(5), "too short"),
    ("utc,pressure_psi\n" + _rows(30), "unknown: pressure_psi"),
    ("time,pressure_mmhg\n" + _rows(30), "expected columns utc"),
    ("utc,pressure_mmhg\n" + _rows(30) + "2018-08-29T01:00:00Z,759\n", "line 32, column utc"),
    ("utc,pressure_mmhg\n" + _rows(3) + "2018-08-29T05:00:00Z,abc\n" + _rows(30),
     "line 5, column pressure_mmhg"),
    ("utc,pressure_mmhg\n" + _rows(3) + "yesterday,759\n", "line 5, column utc"),
    ("utc,pressure_mmhg,module\n2018-08-29T00:00:00Z,760,a\n2018-08-29T00:01:00Z,760,b\n",
     "several modules"),
    ("", "empty file"),
])
def test_unusable_input_is_rejected_with_file_line_and_column(tmp_path, text, fragment):
    path = _write(tmp_path, text)
    with pytest.raises(InputError, match=fragment) as info:
        read_telemetry(path)
    assert str(path) in str(info.value)


def test_gaps_as_empty_cells_and_module_selection(tmp_path):
    lines = ["utc,pressure_mmhg,module"]
    for i in range(40):
        when = f"2018-08-29T{i // 6:02d}:{(i % 6) * 10:02d}:00Z"
        lines.append(f"{when},{760 - 0.02 * i:.2f},zvezda")
        lines.append(f"{when},{'' if i % 5 == 0 else 760.0},destiny")
    series = read_telemetry(_write(tmp_path, "\n".join(lines) + "\n"), module="destiny")
    assert series.module == "destiny" and series.times_s.size == 32
