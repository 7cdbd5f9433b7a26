"""Architecture files: built-ins are complete and sourced; bad files fail clearly."""

from __future__ import annotations

import re

import pytest

from lifeboat.errors import InputError
from lifeboat.risk.model import (
    Architecture,
    Hazard,
    Policies,
    Provider,
    Station,
    list_architectures,
    load_architecture,
    with_overrides,
)

BUILTINS = {
    "textbook", "iss-soyuz-only", "iss-us-only", "iss-mixed", "iss-2003-columbia",
    "tiangong-shenzhou", "gateway-orion", "gateway-orion-partner-reserve",
    "gateway-orion-partner-on-need", "iss-7-dragon", "iss-7-dragon-soyuz", "iss-6-soyuz",
    "iss-6-soyuz-dragon",
}
PAIRS = [("iss-7-dragon", "iss-7-dragon-soyuz"), ("iss-6-soyuz", "iss-6-soyuz-dragon"),
         ("gateway-orion", "gateway-orion-partner-reserve", "gateway-orion-partner-on-need")]


def test_builtins_are_listed_and_load():
    assert BUILTINS <= set(list_architectures())
    for name in BUILTINS:
        assert load_architecture(name).id == name


@pytest.mark.parametrize("name", sorted(BUILTINS))
def test_every_number_of_a_builtin_has_a_source(name):
    """Each number set in the file (every section) names a source or says it is an assumption;
    a number taken from an uncertain input is sourced by that input's table."""
    arch = load_architecture(name)
    for key, dist in arch.uncertain.items():
        assert dist.source.strip(), f"{name}: uncertain.{key} has no source"
    sections = [("station", arch.station), ("policies", arch.policies)]
    sections += [(f"providers.{k}", p) for k, p in arch.providers.items()]
    sections += [(f"hazards.{k}", h) for k, h in arch.hazards.items()]
    for label, section in sections:
        for field in section.model_fields_set:
            value = getattr(section, field)
            path = f"{label}.{field}"
            if isinstance(value, int | float) and path not in arch.uses and path not in arch.derived:
                assert section.sources.get(field, "").strip(), f"{name}: {label}.{field} has no source"


def test_textbook_is_the_perf_anchors_contract():
    """The textbook architecture's numbers (docs/risk-model.md), exactly."""
    a = load_architecture("textbook")
    (p,) = a.providers.values()
    assert a.station.horizon_days == 3652.5
    assert (p.rotation_interval_days, p.docked_life_days) == (180.0, 210.0)
    assert (p.ascent_failure, p.abort_success, p.emergency_return_failure) == (0.02, 0.97, 0.005)
    assert (p.grounding_median_days, p.grounding_sigma) == (60.0, 1.0)
    assert (p.nominal_return_failure, p.damage_rate_per_year, p.phase_days) == (0.0, 0.0, 0.0)
    assert a.evacuation_rate_per_year == 0.05
    assert not a.policies.seat_sharing and not a.policies.mixed_crews


def test_textbook_ends_at_the_first_loss():
    assert load_architecture("textbook").station.after_loss == "end"


@pytest.mark.parametrize("pair", PAIRS, ids=lambda p: p[0])
def test_built_in_pairs_carry_the_same_crew_and_share_inputs(pair):
    archs = [load_architecture(a) for a in pair]
    assert len({a.crew_size for a in archs}) == 1
    assert len({a.station.horizon_years for a in archs}) == 1
    # The same uncertain input has one definition everywhere, so draws are shared.
    for a in archs[1:]:
        for name in set(a.uncertain) & set(archs[0].uncertain):
            assert a.uncertain[name] == archs[0].uncertain[name], name


def test_no_builtin_cites_the_background_notes():
    from lifeboat.risk.model import ARCHITECTURE_DIR

    for name in BUILTINS - {"textbook"}:
        text = (ARCHITECTURE_DIR / f"{name}.toml").read_text(encoding="utf-8")
        cited = re.search(r"\b(facts|catalog-data|perf-anchors|anchors)\.md\b", text)
        assert cited is None, f"{name} cites {cited and cited.group(0)}"


def test_builtins_reflect_the_debate():
    assert set(load_architecture("iss-mixed").providers) == {"soyuz", "dragon"}
    assert load_architecture("iss-mixed").policies.seat_sharing
    columbia = load_architecture("iss-2003-columbia")
    assert columbia.station.crew_size == 2 and list(columbia.providers) == ["soyuz"]
    reserve = load_architecture("gateway-orion-partner-reserve")
    assert reserve.providers["reserve"].crew_per_flight == 0


GOOD = """
id = "mine"
title = "t"
[station]
name = "S"
crew_size = 3
horizon_years = 1.0
[providers.a]
name = "A"
crew_per_flight = 3
seats = 3
rotation_interval_days = 180.0
docked_life_days = 210.0
ascent_failure = 0.02
abort_success = 0.97
emergency_return_failure = 0.005
grounding_median_days = 60.0
grounding_sigma = 1.0
replacement_readiness_days = 0.0
cost_per_launch_musd = 0.0
"""


UNCERTAIN = """
[uncertain.lv]
distribution = "beta"
alpha = 1.5
beta = 70.0
source = "a record"
"""


def write(tmp_path, text, name="arch.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_minimal_file_loads(tmp_path):
    arch = load_architecture(write(tmp_path, GOOD))
    assert isinstance(arch, Architecture) and arch.id == "mine"


@pytest.mark.parametrize(
    ("edit", "where", "words"),
    [
        (lambda t: t + "colour = 'red'\n", "providers.a.colour", "unknown key"),
        (lambda t: t.replace("[station]", "surprise = 1\n[station]"), "surprise", "unknown key"),
        (lambda t: t.replace("ascent_failure = 0.02", "ascent_failure = -0.1"), "providers.a.ascent_failure", "greater than or equal to 0"),
        (lambda t: t.replace("abort_success = 0.97\n", ""), "providers.a.abort_success", "missing"),
        (lambda t: t + "sources.seatz = 'x'\n", "providers.a", "seatz"),
        (lambda t: t.replace("crew_size = 3", "crew_size = 4"), None, "crew_per_flight x vehicles add up to 3"),
        (lambda t: t.replace("seats = 3", "seats = 2"), "providers.a", "exceeds seats"),
        (lambda t: t.replace("rotation_interval_days = 180.0", "rotation_interval_days = -5.0"),
         "providers.a.rotation_interval_days", "greater than or equal to 1"),
        (lambda t: t.replace("docked_life_days = 210.0", "docked_life_days = -1.0"),
         "providers.a.docked_life_days", "greater than 0"),
        (lambda t: t + "damage_rate_per_year = 1e12\n", "providers.a.damage_rate_per_year", "less than or equal to 1000"),
        (lambda t: t + "damage_rate_per_year = inf\n", "providers.a.damage_rate_per_year", "less than or equal to 1000"),
        (lambda t: t + "damage_rate_per_year = nan\n", "providers.a.damage_rate_per_year", ""),
        (lambda t: t.replace("ascent_failure = 0.02", "ascent_failure = 1.0").replace(
            "grounding_median_days = 60.0", "grounding_median_days = 0.0"), "providers.a", "every launch fails"),
        (lambda t: t.replace("ascent_failure = 0.02", 'ascent_failure = "@lv"'), "providers.a.ascent_failure",
         "no [uncertain.lv] table"),
        (lambda t: t.replace("ascent_failure = 0.02", 'ascent_failure = "@lv"') + UNCERTAIN.replace("alpha = 1.5", "alpha = -1"),
         "uncertain.lv.alpha", "greater than 0"),
        (lambda t: t.replace("ascent_failure = 0.02", 'ascent_failure = "@lv"') + UNCERTAIN.replace("alpha = 1.5\n", ""),
         "uncertain.lv", "needs alpha"),
        (lambda t: t.replace("ascent_failure = 0.02", 'ascent_failure = "@lv"') + UNCERTAIN.replace(
            'distribution = "beta"\nalpha = 1.5\nbeta = 70.0', 'distribution = "lognormal"\nmedian = 0.5\nerror_factor = 3.0'),
         "providers.a.ascent_failure", "more than 5 %"),
        (lambda t: t.replace("[station]", "[uses]\n'providers.a.seats' = 'nothing'\n[station]"), None, "'nothing'"),
        (lambda t: t.replace("horizon_years = 1.0", "horizon_years = 1.0\nseatless_limit_days = -3.0"),
         "station.seatless_limit_days", "greater than 0"),
    ],
    ids=["unknown-provider-key", "unknown-top-key", "negative-probability", "missing-field",
         "unknown-source-key", "crew-mismatch", "crew-over-seats", "negative-interval",
         "negative-life", "huge-rate", "infinite-rate", "nan-rate", "certain-failure-no-grounding",
         "unknown-shared-name", "bad-beta", "beta-missing-parameter", "lognormal-probability-over-1",
         "uses-unknown-name", "negative-seatless-limit"],
)
def test_bad_files_name_file_and_field(tmp_path, edit, where, words):
    path = write(tmp_path, edit(GOOD))
    with pytest.raises(InputError) as info:
        load_architecture(path)
    err = info.value
    assert err.source == str(path)
    if where:
        assert err.where == where
    assert words in str(err)


def test_an_uncertain_input_gives_its_mean_and_is_recorded(tmp_path):
    text = GOOD.replace("ascent_failure = 0.02", 'ascent_failure = "@lv"') + UNCERTAIN
    arch = load_architecture(write(tmp_path, text))
    assert arch.providers["a"].ascent_failure == pytest.approx(1.5 / 71.5)
    assert arch.uses == {"providers.a.ascent_failure": "lv"}
    lognormal = arch.uncertain["lv"].model_copy(update={"distribution": "lognormal", "alpha": None, "beta": None,
                                                         "median": 2.0, "error_factor": 3.0})
    # Error factor = 95th percentile / median.
    assert lognormal.quantile(0.95) == pytest.approx(6.0)


def test_runaway_architectures_are_refused_before_running(tmp_path):
    from lifeboat.risk.engine import run_risk

    text = GOOD.replace("grounding_median_days = 60.0", "grounding_median_days = 1.0").replace(
        "ascent_failure = 0.02", "ascent_failure = 1.0").replace("horizon_years = 1.0", "horizon_years = 100.0")
    with pytest.raises(InputError, match="events"):
        run_risk(load_architecture(write(tmp_path, text)), trials=10)


@pytest.mark.parametrize(
    ("ids", "where", "words"),
    [
        ('vehicle = "soyuz-tma"\nlauncher = "soyuz-fg"\n', "providers.a.vehicle", ["unknown vehicle id 'soyuz-tma'", "soyuz-ms"]),
        ('vehicle = "orion"\nlauncher = "sls-block-1"\n', "providers.a.launcher", ["unknown launcher id 'sls-block-1'", "sls"]),
        ('vehicle = "crew-dragon"\nlauncher = "soyuz-2.1a"\n', "providers.a.launcher", ["'crew-dragon' does not fly on 'soyuz-2.1a'", "falcon-9"]),
    ],
    ids=["unknown-vehicle", "unknown-launcher", "vehicle-not-on-launcher"],
)
def test_catalog_ids_are_checked(tmp_path, ids, where, words):
    """Provider vehicle and launcher ids must exist in the catalog and belong together."""
    from lifeboat.catalog import load_catalog

    catalog = load_catalog()
    assert "soyuz-tma" not in catalog.vehicles and "sls-block-1" not in catalog.launchers
    path = write(tmp_path, GOOD.replace('name = "A"\n', 'name = "A"\n' + ids))
    with pytest.raises(InputError) as info:
        load_architecture(path)
    assert (info.value.source, info.value.where) == (str(path), where)
    for word in words:
        assert word in str(info.value)
    # The same ids, correctly paired, load.
    good = write(tmp_path, GOOD.replace('name = "A"\n', 'name = "A"\nvehicle = "orion"\nlauncher = "sls"\n'), "ok.toml")
    assert load_architecture(good).providers["a"].launcher == "sls"


def test_builtin_catalog_ids_exist():
    from lifeboat.catalog import load_catalog

    catalog = load_catalog()
    for name in BUILTINS:
        for provider in load_architecture(name).providers.values():
            if provider.vehicle:
                assert provider.launcher in catalog.vehicles[provider.vehicle].launchers, name


def test_bad_toml_and_unknown_id(tmp_path):
    path = write(tmp_path, "[station\nname = 1")
    with pytest.raises(InputError, match="malformed TOML"):
        load_architecture(path)
    with pytest.raises(InputError, match="built-ins: .*textbook"):
        load_architecture("no-such-architecture")


def test_overrides_use_dotted_paths():
    arch = with_overrides(load_architecture("textbook"), {"providers.single.seats": 4}, source="t")
    assert arch.providers["single"].seats == 4
    with pytest.raises(InputError, match="no field 'providers.single.seatz'"):
        with_overrides(arch, {"providers.single.seatz": 4}, source="t")


def test_section_models_are_strict():
    for model in (Station, Provider, Hazard, Policies):
        assert model.model_config["extra"] == "forbid"
