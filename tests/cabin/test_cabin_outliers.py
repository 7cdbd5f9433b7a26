"""One wild pressure reading must not change what ``leak fit`` concludes, and is reported."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from lifeboat.cabin import fit as fitting

EXAMPLE = Path(__file__).parents[2] / "examples" / "ms-09-like-telemetry.csv"
VOLUME_M3 = 916.0  # the volume examples/make_telemetry.py made the series with


def _with(tmp_path: Path, row: int, value: str) -> Path:
    rows = list(csv.reader(EXAMPLE.open()))
    rows[row][1] = value
    out = tmp_path / "spiked.csv"
    with out.open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return out


@pytest.mark.parametrize(("row", "value"), [(50, "1e6"), (985, "300"), (985, "76000"),
                                            (700, "0.5"), (2, "76000"), (1, "700"),
                                            (989, "900")])
def test_one_wild_sample_keeps_the_verdict_and_is_listed(tmp_path, monkeypatch, row, value):
    clean = fitting.fit_leak(str(EXAMPLE), VOLUME_M3)
    spiked_file = _with(tmp_path, row, value)
    spiked = fitting.fit_leak(str(spiked_file), VOLUME_M3)
    assert spiked.leak_detected == clean.leak_detected
    lo, hi = clean.hole_diameter_ci95_mm
    assert lo <= spiked.hole_diameter_mm <= hi
    assert [d.pressure_mmhg for d in spiked.dropped] == [pytest.approx(float(value))]
    assert spiked.samples == clean.samples - 1
    # The screen is what protects the fit: without it the same file gives another answer.
    monkeypatch.setattr(fitting, "screen_outliers",
                        lambda t, p: (np.ones(p.size, bool), np.zeros(p.size)))
    unscreened = fitting.fit_leak(str(spiked_file), VOLUME_M3)
    assert not (unscreened.leak_detected == clean.leak_detected
                and lo <= unscreened.hole_diameter_mm <= hi)


def test_a_clean_record_loses_nothing():
    assert fitting.fit_leak(str(EXAMPLE), VOLUME_M3).dropped == []


def test_a_true_fast_decay_is_not_screened_out():
    # An exponential blowdown is a straight line in ln p: no sample departs from its neighbours.
    t = np.arange(200) * 60.0
    p = 101_325.0 * np.exp(-t / 20_000.0)
    keep, _ = fitting.screen_outliers(t, p)
    assert keep.all()


def test_noisy_rather_than_spiked_records_are_left_alone():
    rng = np.random.default_rng(7)
    t = np.arange(400) * 60.0
    p = 101_325.0 + rng.normal(0.0, 5.0, 400)
    p[::8] += 5_000.0  # one sample in eight is off: a faulty sensor, not a glitch
    keep, _ = fitting.screen_outliers(t, p)
    assert keep.all()
