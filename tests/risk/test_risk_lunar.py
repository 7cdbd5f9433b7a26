"""Lunar stations: capability checks and computed transits, resolved when a file is loaded."""

from __future__ import annotations

import math

import pytest

from lifeboat.errors import InputError
from lifeboat.risk.engine import run_risk
from lifeboat.risk.model import DAYS_PER_YEAR, architecture_from_dict, load_architecture

LUNAR = """
id = "moon"
title = "t"
[station]
name = "Gateway"
catalog_id = "gateway"
crew_size = 4
horizon_years = 1.0
[providers.a]
name = "A"
vehicle = "{vehicle}"
launcher = "{launcher}"
crew_per_flight = 4
seats = 4
rotation_interval_days = 365.0
docked_life_days = 30.0
ascent_failure = 0.02
abort_success = 0.97
emergency_return_failure = 0.005
grounding_median_days = 60.0
grounding_sigma = 1.0
replacement_readiness_days = 100.0
cost_per_launch_musd = 0.0
{extra}
"""


def write(tmp_path, text):
    path = tmp_path / "moon.toml"
    path.write_text(text, encoding="utf-8")
    return path


def gateway_legs():
    from lifeboat.cislunar import service

    orbit, _ = service.station_orbit("gateway")
    req = service.requirements(orbit)
    return req.cheapest_insertion()[1], req.cheapest_return()[1]


def test_gateway_transits_come_from_the_computed_transfers():
    """Unset transit_days takes the cislunar service's cheapest insertion leg, is recorded as
    computed in the result, and delays the replacement (readiness + transit) in the kernel."""
    from lifeboat.risk import kernel
    from lifeboat.risk.engine import kernel_input

    outbound_days, back_days = gateway_legs()
    assert 2.0 < outbound_days < 15.0 and 2.0 < back_days < 15.0  # days, not hours or weeks
    arch = load_architecture("gateway-orion-partner-on-need")
    for key, p in arch.providers.items():
        assert p.transit_days == pytest.approx(outbound_days, rel=1e-12)
        assert arch.derived[f"providers.{key}.transit_days"].startswith("computed")
    assert arch.derived["providers.orion.vehicle"].startswith("can reach gateway")
    assert arch.derived["providers.partner.vehicle"].startswith("not checked")
    assert "return_leg_days" in next(k for k in arch.derived if k.startswith("station."))
    prov = kernel_input(arch).prov
    assert prov[0, kernel.READINESS_D] == pytest.approx(365.0 + outbound_days)
    assert prov[1, kernel.RESCUE_READINESS_D] == pytest.approx(40.0 + outbound_days)
    r = run_risk(arch, trials=2_000, seed=3)
    assert r.derived == arch.derived
    # An Earth-orbit architecture computes nothing.
    assert load_architecture("iss-mixed").derived == {}


def test_explicit_transit_is_kept_and_overrides_recompute(tmp_path):
    from lifeboat.risk.model import with_overrides

    arch = load_architecture(write(tmp_path, LUNAR.format(vehicle="orion", launcher="sls",
                                                          extra="transit_days = 3.5")))
    assert arch.providers["a"].transit_days == 3.5
    assert "providers.a.transit_days" not in arch.derived
    computed = load_architecture("gateway-orion")
    again = with_overrides(computed, {"providers.orion.seats": 4}, source="test")
    assert again.providers["orion"].transit_days == computed.providers["orion"].transit_days
    assert again.derived["providers.orion.transit_days"].startswith("computed")
    fixed = with_overrides(computed, {"providers.orion.transit_days": 9.0}, source="test")
    assert fixed.providers["orion"].transit_days == 9.0
    assert "providers.orion.transit_days" not in fixed.derived


@pytest.mark.parametrize(("vehicle", "launcher", "words"), [
    ("crew-dragon", "falcon-9", "no lunar capability data"),
    ("soyuz-ms", "soyuz-2.1a", "cheapest return"),
])
def test_a_vehicle_that_cannot_reach_a_lunar_station_is_refused(tmp_path, vehicle, launcher, words):
    path = write(tmp_path, LUNAR.format(vehicle=vehicle, launcher=launcher, extra=""))
    with pytest.raises(InputError) as info:
        load_architecture(path)
    assert (info.value.source, info.value.where) == (str(path), "providers.a.vehicle")
    assert f"vehicle {vehicle!r} cannot reach gateway" in str(info.value) and words in str(info.value)


def test_an_unknown_station_id_names_the_field(tmp_path):
    path = write(tmp_path, LUNAR.format(vehicle="orion", launcher="sls", extra="").replace(
        'catalog_id = "gateway"', 'catalog_id = "gatewya"'))
    with pytest.raises(InputError) as info:
        load_architecture(path)
    assert info.value.where == "station.catalog_id" and "gateway" in str(info.value)


def test_the_transit_delays_a_rescue_past_the_consumables():
    """Closed form: a rescue launched R = 20 d after the need arrives R + T later. With T = 0 it
    beats a 30-d consumables limit and nobody is lost; with T = 15 d it arrives after 35 d and
    every crew hit by damage before H - L is stranded: P(LOC) = 1 - exp(-d (H - L))."""
    d_per_year, horizon_days, limit = 0.8, 150.0, 30.0
    base = {
        "id": "transit", "title": "t",
        "station": {"name": "S", "crew_size": 3, "horizon_years": horizon_days / DAYS_PER_YEAR,
                    "seatless_limit_days": limit},
        "providers": {
            "only": {"name": "P", "crew_per_flight": 3, "seats": 3, "rotation_interval_days": 400.0,
                     "docked_life_days": 1e5, "ascent_failure": 0.0, "abort_success": 0.0,
                     "emergency_return_failure": 0.0, "grounding_median_days": 400.0,
                     "grounding_sigma": 0.0, "replacement_readiness_days": 365.0,
                     "damage_rate_per_year": d_per_year, "cost_per_launch_musd": 1.0},
            "partner": {"name": "R", "vehicles": 0, "crew_per_flight": 0, "seats": 3,
                        "rotation_interval_days": 400.0, "docked_life_days": 100.0,
                        "ascent_failure": 0.0, "abort_success": 1.0, "emergency_return_failure": 0.0,
                        "grounding_median_days": 10.0, "grounding_sigma": 0.0,
                        "replacement_readiness_days": 0.0, "cost_per_launch_musd": 7.0,
                        "launch_on_need": True, "rescue_readiness_days": 20.0, "rescue_seats": 3},
        },
    }
    d = d_per_year / DAYS_PER_YEAR
    for transit in (0.0, 15.0):
        base["providers"]["partner"]["transit_days"] = transit
        r = run_risk(architecture_from_dict(base, source="test"), trials=100_000, seed=41)
        if transit == 0.0:
            assert r.metrics["people_lost"]["mean"] == 0.0
        else:
            expected = 1 - math.exp(-d * (horizon_days - limit))
            assert abs(r.metrics["p_loc"]["mean"] - expected) <= 4 * r.metrics["p_loc"]["mc_se"]
            assert r.loc_causes["stranded"]["mean"] > 0
