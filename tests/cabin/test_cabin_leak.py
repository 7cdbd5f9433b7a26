"""Leak summary against the worked acceptance cases of docs/references.md (AC-1, AC-2, AC-4)."""

from __future__ import annotations

import math

import pytest

from lifeboat.cabin.leak import analyse_leak, equivalent_hole, leak_rate_to_mmhg_per_day
from lifeboat.cabin.network import CabinModule, CabinNetwork
from lifeboat.errors import InputError

LB_KG = 0.45359237


def _station(volume_m3: float = 916.0, temperature_k: float = 295.0) -> CabinNetwork:
    # Whole-station volume 916 m³ (NASA c. 2011–2021; docs/references.md), 760 mmHg.
    return CabinNetwork("iss-volume", (CabinModule("station", volume_m3, temperature_k),))


@pytest.mark.parametrize("cd, expected_mmhg_per_h", [(1.0, 1.87), (0.8, 1.50), (0.6, 1.12)])
def test_ac1_ms09_hole_drop_rate(cd, expected_mmhg_per_h):
    # AC-1: d = 2.0 mm, V = 916 m³, 760 mmHg, 295 K; tolerance ±3 %.
    s = analyse_leak(_station(), hole_diameter_mm=2.0, cd=cd)
    assert s.initial_rate_mmhg_per_h == pytest.approx(expected_mmhg_per_h, rel=0.03)


@pytest.mark.parametrize("cd, expected", [(1.0, 4.42), (0.8, 3.53), (0.6, 2.65)])
def test_ac1_same_hole_into_habitable_volume(cd, expected):
    s = analyse_leak(_station(388.0), hole_diameter_mm=2.0, cd=cd)
    assert s.initial_rate_mmhg_per_h == pytest.approx(expected, rel=0.03)


def test_ac2_reported_rate_linear_reserve_and_physical_time_to_limit():
    # AC-2: d = 1.5 mm, Cd 0.6, V = 916 m³ → 0.63 mmHg/h (reported ~0.6, accept 0.5–0.8);
    # linear reserve (760 − 490)/0.625 ≈ 18 d; exponential t490 ≈ 22 d; tolerance ±5 %.
    s = analyse_leak(_station(), hole_diameter_mm=1.5, cd=0.6)
    assert s.initial_rate_mmhg_per_h == pytest.approx(0.63, rel=0.05)
    assert 0.5 <= s.initial_rate_mmhg_per_h <= 0.8
    assert s.reserve_time_linear_h / 24 == pytest.approx(18.0, rel=0.05)
    assert s.time_to_limit_h / 24 == pytest.approx(22.0, rel=0.05)
    assert s.limit_mmhg == 490.0 and not s.evacuate_now
    assert s.time_to_limit_h > s.reserve_time_linear_h  # the physical curve flattens


def test_ac2_observed_rate_implies_one_square_millimetre():
    # AC-2: 0.6 mmHg/h implies Cd·A ≈ 1.0 mm² (0.8 mmHg/h → 1.34 mm²).
    for area, rate in ((1.0, 0.6), (1.34, 0.8)):
        s = analyse_leak(_station(), effective_area_mm2=area)
        assert s.initial_rate_mmhg_per_h == pytest.approx(rate, rel=0.05)


def test_reserve_under_ten_minutes_means_evacuate_now():
    # Independent arithmetic: a 30 mm hole (Cd 0.6) in an isolated 6 m³ Soyuz orbital module.
    # rate = p·Cd·A·2.3524e-3·R·T/V; reserve = 270 mmHg / rate.
    net = CabinNetwork("s", (CabinModule("om", 6.0, 295.15), CabinModule("dm", 4.0, 295.15)))
    s = analyse_leak(net, hole_diameter_mm=30.0, cd=0.6, module="om", isolated=True)
    rate_pa_s = 101325 * 0.6 * math.pi * 0.03**2 / 4 * 2.3524e-3 * 287.05 * 295.15 / 6.0
    reserve_min = 270 * 101325 / 760 / rate_pa_s / 60
    assert reserve_min < 10
    assert s.reserve_time_linear_h * 60 == pytest.approx(reserve_min, rel=1e-3)
    assert s.evacuate_now and s.volume_m3 == 6.0


def test_ac4_prk_leak_unit_conversion_and_equivalent_hole():
    # AC-4: 3.7 lb/day → 1.16 mmHg/day; 2.4 lb/day → 0.76; 15 lb/day → 4.7; ideal orifice
    # (Cd = 1) for 3.7 lb/day d ≈ 0.32 mm; tolerance ±2 %; V = 1,005 m³ gives 1.06 mmHg/day.
    assert leak_rate_to_mmhg_per_day(3.7 * LB_KG, 916.0) == pytest.approx(1.16, rel=0.02)
    assert leak_rate_to_mmhg_per_day(2.4 * LB_KG, 916.0) == pytest.approx(0.76, rel=0.02)
    assert leak_rate_to_mmhg_per_day(15 * LB_KG, 916.0) == pytest.approx(4.7, rel=0.02)
    assert leak_rate_to_mmhg_per_day(3.7 * LB_KG, 1005.0) == pytest.approx(1.06, rel=0.02)
    hole = equivalent_hole(3.7 * LB_KG)
    assert hole.effective_area_mm2 == pytest.approx(0.0815, rel=0.02)
    assert hole.diameter_mm == pytest.approx(0.32, rel=0.02)
    # Round trip: that hole, as a leak, vents 3.7 lb/day from a 760 mmHg cabin.
    s = analyse_leak(_station(916.0, 295.15), effective_area_mm2=hole.effective_area_mm2)
    assert s.mass_flow_kg_per_day == pytest.approx(3.7 * LB_KG, rel=1e-9)


def test_adiabatic_initial_rate_is_gamma_times_isothermal():
    iso = analyse_leak(_station(), hole_diameter_mm=2.0)
    adi = analyse_leak(_station(), hole_diameter_mm=2.0, thermal="adiabatic")
    assert adi.initial_rate_mmhg_per_h == pytest.approx(1.4 * iso.initial_rate_mmhg_per_h)
    assert adi.time_to_limit_h < iso.time_to_limit_h


@pytest.mark.parametrize("kwargs, fragment", [
    ({}, "exactly one"),
    ({"hole_diameter_mm": 2.0, "effective_area_mm2": 1.0}, "exactly one"),
    ({"hole_diameter_mm": -1.0}, "hole_mm"),
    ({"hole_diameter_mm": 2.0, "cd": 1.5}, "cd"),
    ({"hole_diameter_mm": 1e-300}, "too small"),
    ({"hole_diameter_mm": 2.0, "module": "nowhere"}, "unknown module"),
])
def test_bad_leak_inputs(kwargs, fragment):
    with pytest.raises(InputError, match=fragment):
        analyse_leak(_station(), **kwargs)
