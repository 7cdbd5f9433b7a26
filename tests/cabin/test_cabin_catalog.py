"""Cabin models on the built-in catalog stations and scenario (data owned by the catalog)."""

from __future__ import annotations

import json
import math

import pytest

from lifeboat.cabin.isolate import isolate_leak
from lifeboat.cabin.leak import analyse_leak, scenario_leak
from lifeboat.cabin.network import scenario_network, station_network
from lifeboat.catalog import load_catalog
from lifeboat.model.scenario import load_scenario


def test_every_catalog_configuration_builds_and_leaks():
    cat = load_catalog()
    for station in cat.stations.values():
        for config in station.configurations:
            net = station_network(station.id, config.id)
            s = analyse_leak(net, hole_diameter_mm=2.0)
            # Hand arithmetic for the leaking segment (docs/references.md): dp/dt = p·Cd·A·flux·R·T/V.
            temperature = next(m.temperature_k for m in net.modules if m.id == s.module)
            flux = math.sqrt(1.4 / (287.05 * temperature)) * (2 / 2.4) ** 3
            rate = 760 * 0.6 * math.pi * 1e-6 * flux * 287.05 * temperature / s.volume_m3 * 3600
            assert s.initial_rate_mmhg_per_h == pytest.approx(rate, rel=1e-6)


def test_iss_volume_and_docked_soyuz_on_catalog_ports():
    net = station_network("iss", "2018-12", [("soyuz-ms-09", "soyuz-ms", "rassvet"),
                                              ("progress-ms-10", "progress-ms", "zvezda-prk-aft")])
    station_volume = sum(m.volume_m3 for m in net.modules if m.kind != "vehicle")
    assert 916.0 <= station_volume <= 1005.0  # docs/references.md: the volume range 916–1,005 m³
    assert net.hatch_index("zvezda-prk", "progress-ms-10") >= 0
    assert net.hatch_index("rassvet", "soyuz-ms-09-om") >= 0


def test_scenario_leak_feeds_assess():
    scenario = load_scenario("iss-2018-12")
    s = scenario_leak(scenario)
    net = scenario_network(scenario)
    assert s.module == "soyuz-ms-09-om" and s.hole_diameter_mm == scenario.emergency.hole_mm
    assert s.volume_m3 == pytest.approx(net.volume_m3(net.segment("soyuz-ms-09-om")))
    assert 0.9 < s.initial_rate_mmhg_per_h < 1.3  # AC-1 scale: 2 mm, Cd 0.6, ~950 m³


def test_ac3_on_the_catalog_iss_2018():
    # AC-3 (docs/references.md), catalog ISS Dec 2018 with MS-09 at Rassvet: 12–18 h to locate.
    net = station_network("iss", "2018-12", [("soyuz-ms-09", "soyuz-ms", "rassvet")])
    result = isolate_leak(net, "soyuz-ms-09-om", 0.6 * math.pi * (1.5e-3) ** 2 / 4,
                          wake_delay_h=7.0)
    assert result.run.located_module == "soyuz-ms-09-om"
    assert 12.0 <= result.time_to_locate_h <= 18.0


def test_cli_leak_on_the_catalog_iss(cli):
    code, out, _ = cli("leak", "--station", "iss", "--hole-mm", "2", "--json")
    assert code == 0
    data = json.loads(out)
    for key in ("initial_rate_mmhg_per_h", "time_to_limit_h", "reserve_time_linear_h", "limit_mmhg",
                "evacuate_now", "effective_area_mm2", "mass_flow_kg_per_day", "volume_m3"):
        assert key in data
    # 2 mm, Cd 0.6 into ~950 m³: about 1.1 mmHg/h (AC-1 gives 1.12 for 916 m³).
    assert data["initial_rate_mmhg_per_h"] == pytest.approx(1.12 * 916 / data["volume_m3"], rel=0.03)
