"""Module networks: mass conservation, the lumped solution against the full stiff network
(implicit solver), equalisation through an open hatch, docked vehicles, and properties."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lifeboat.cabin import physics
from lifeboat.cabin.network import (
    CabinHatch,
    CabinModule,
    CabinNetwork,
    HatchEvent,
    Leak,
    crew_o2_use,
    repress_source,
    simulate,
    simulate_full_network,
    station_network,
)
from lifeboat.errors import InputError

sys.path.insert(0, str(Path(__file__).parent))
from cabin_fixtures import fake_catalog, iss_like_network  # noqa: E402

HOLE_2MM = 0.6 * math.pi * (2e-3) ** 2 / 4


def _four_modules() -> CabinNetwork:
    return CabinNetwork("four", (
        CabinModule("a", 100.0), CabinModule("b", 50.0, 300.0), CabinModule("c", 6.0),
        CabinModule("d", 4.0, 290.0)),
        (CabinHatch("a", "b"), CabinHatch("b", "c"), CabinHatch("c", "d", open=False)))


EVENTS = dict(
    leaks=[Leak("c", HOLE_2MM), Leak("a", HOLE_2MM / 4, start_s=3.3 * 3600)],
    hatch_events=[HatchEvent(5.05 * 3600, "b", "c", False), HatchEvent(10.05 * 3600, "b", "c", True),
                  HatchEvent(12.05 * 3600, "c", "d", True)],
    sources=[repress_source("a", 5.0, 0.5), crew_o2_use("b", 3)],
)


@pytest.mark.parametrize("solver", [simulate, simulate_full_network])
def test_mass_is_conserved_across_the_network(solver):
    hist = solver(_four_modules(), 48 * 3600.0, n_points=49, **EVENTS)
    balance = hist.mass_kg.sum(axis=1) + hist.vented_kg - hist.supplied_kg
    np.testing.assert_allclose(balance, hist.initial_mass_kg, rtol=1e-9, atol=0)


def test_lumped_solution_matches_the_full_network_integrated_implicitly():
    # Output times avoid the event instants, where the lumped model has already mixed the gas
    # that the full model equalises over a few seconds.
    lumped = simulate(_four_modules(), 48 * 3600.0, n_points=49, **EVENTS)
    full = simulate_full_network(_four_modules(), 48 * 3600.0, n_points=49, **EVENTS)
    diff_mmhg = np.abs(lumped.pressure_pa - full.pressure_pa) / physics.PA_PER_MMHG
    assert diff_mmhg.max() < 0.01
    assert lumped.pressure_mmhg[-1, 0] < 700  # the case is a real leak, not a flat line


def test_equalisation_through_an_open_hatch_reaches_the_mass_weighted_pressure():
    # Two volumes at one temperature: final p = (p1·V1 + p2·V2)/(V1 + V2) (ideal gas, mass
    # conserved); the 0.8 m hatch equalises in seconds.
    net = CabinNetwork("two", (CabinModule("a", 80.0, 295.0, 101325.0),
                               CabinModule("b", 20.0, 295.0, 60000.0)), (CabinHatch("a", "b"),))
    expected = (101325.0 * 80 + 60000.0 * 20) / 100
    full = simulate_full_network(net, 60.0, times_s=[0.0, 10.0, 60.0])
    np.testing.assert_allclose(full.pressure_pa[-1], expected, atol=1.0)  # Pa
    lumped = simulate(net, 60.0, times_s=[0.0, 60.0])
    np.testing.assert_allclose(lumped.pressure_pa[-1], expected, rtol=1e-12)


def test_closed_hatch_keeps_a_module_at_its_pressure():
    net = _four_modules()
    hist = simulate(net, 24 * 3600.0, leaks=[Leak("a", HOLE_2MM)], n_points=5)
    assert np.all(hist.pressure_pa[:, 3] == hist.pressure_pa[0, 3])
    assert hist.pressure_pa[-1, 0] < hist.pressure_pa[0, 0]


def test_station_network_from_catalog_with_docked_vehicles():
    cat = fake_catalog()
    net = station_network("teststation", "2018-12",
                          [("soyuz-ms-09", "soyuz-ms", "rassvet"), ("progress-ms-10", "progress-ms",
                                                                    "zvezda-aft")], catalog=cat)
    assert {"soyuz-ms-09-om", "soyuz-ms-09-dm", "progress-ms-10"} <= set(net.module_ids)
    assert net.hatch_index("rassvet", "soyuz-ms-09-om") >= 0
    assert net.hatch_index("soyuz-ms-09-om", "soyuz-ms-09-dm") >= 0
    assert net.hatch_index("zvezda", "progress-ms-10") >= 0  # zvezda-aft port belongs to zvezda
    # Soyuz MS orbital 6 m³ + descent 4 m³ (Soyuz MS, Wikipedia; docs/references.md).
    assert net.volume_m3(["soyuz-ms-09-om", "soyuz-ms-09-dm"]) == pytest.approx(10.0)
    # A vehicle without a port takes the first free docking port (rassvet).
    net2 = station_network("teststation", None, ["soyuz-ms"], catalog=cat)
    assert net2.hatch_index("rassvet", "soyuz-ms-om") >= 0


@pytest.mark.parametrize("call, fragment", [
    (lambda: station_network("nope", catalog=fake_catalog()), "unknown station"),
    (lambda: station_network("teststation", "1999-01", catalog=fake_catalog()), "configuration"),
    (lambda: station_network("teststation", docked=[("x", "soyuz-ms", "nowhere")],
                             catalog=fake_catalog()), "docking port"),
    (lambda: simulate(iss_like_network(), 10.0, leaks=[Leak("zvezdaa", 1e-6)]), "zvezda"),
    (lambda: simulate(iss_like_network(), -1.0), "duration"),
])
def test_bad_network_inputs_raise_input_errors(call, fragment):
    with pytest.raises(InputError, match=fragment):
        call()


@settings(max_examples=30, deadline=None)
@given(d_mm=st.floats(0.1, 20.0), volume=st.floats(1.0, 2000.0),
       temperature=st.floats(250.0, 320.0))
def test_property_pressure_decays_monotonically(d_mm, volume, temperature):
    net = CabinNetwork("p", (CabinModule("a", volume, temperature), CabinModule("b", volume / 3)),
                       (CabinHatch("a", "b"),))
    hist = simulate(net, 30 * 86400.0, leaks=[Leak("b", 0.6 * math.pi * (d_mm * 1e-3) ** 2 / 4)],
                    n_points=60)
    p = hist.pressure_pa
    step = np.diff(p, axis=0)
    assert np.all(step <= 0)
    assert np.all(step[p[1:] > 1e-6 * p[0]] < 0)  # strictly, until it underflows


@settings(max_examples=30, deadline=None)
@given(d_mm=st.floats(0.1, 10.0), factor=st.floats(1.01, 5.0), hours=st.floats(0.5, 500.0))
def test_property_bigger_hole_drains_faster(d_mm, factor, hours):
    net = iss_like_network()
    small, big = (simulate(net, hours * 3600.0, n_points=2,
                           leaks=[Leak("destiny", 0.6 * math.pi * (d * 1e-3) ** 2 / 4)])
                  for d in (d_mm, d_mm * factor))
    assert big.pressure_pa[-1, 0] < small.pressure_pa[-1, 0]


def test_largest_segment_and_pooled_gas():
    # a (100 m³) alone behind a closed hatch; b + c (50 + 60 m³) open: the larger segment is b's.
    net = CabinNetwork("split", (CabinModule("a", 100.0), CabinModule("b", 50.0, 300.0, 90000.0),
                                 CabinModule("c", 60.0, 290.0)),
                       (CabinHatch("a", "b", open=False), CabinHatch("b", "c")))
    assert net.largest_segment_module() == "b"
    capacity, pressure, temperature = net.pooled_gas(["b", "c"])
    # Ideal gas by hand: capacity = Σ V/(R·T) kg/Pa; the pooled pressure holds the total mass.
    cap_b, cap_c = 50.0 / (287.05 * 300.0), 60.0 / (287.05 * 290.0)
    assert capacity == pytest.approx(cap_b + cap_c, rel=1e-4)
    mass_kg = 90000.0 * cap_b + 101325.0 * cap_c
    assert pressure == pytest.approx(mass_kg / (cap_b + cap_c), abs=0.5)  # Pa
    assert temperature == pytest.approx(295.0, abs=1e-9)  # K
