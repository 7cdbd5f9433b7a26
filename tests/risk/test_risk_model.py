"""Architecture files: built-ins are complete and sourced; bad files fail clearly."""

from __future__ import annotations

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
}


def test_builtins_are_listed_and_load():
    assert BUILTINS <= set(list_architectures())
    for name in BUILTINS:
        assert load_architecture(name).id == name


@pytest.mark.parametrize("name", sorted(BUILTINS))
def test_every_number_of_a_builtin_has_a_source(name):
    """Each number set in the file (every section) names a source or says it is an assumption."""
    arch = load_architecture(name)
    sections = [("station", arch.station), ("policies", arch.policies)]
    sections += [(f"providers.{k}", p) for k, p in arch.providers.items()]
    sections += [(f"hazards.{k}", h) for k, h in arch.hazards.items()]
    for label, section in sections:
        for field in section.model_fields_set:
            value = getattr(section, field)
            if isinstance(value, int | float) and field != "sources":
                assert section.sources.get(field, "").strip(), f"{name}: {label}.{field} has no source"


def test_textbook_is_the_perf_anchors_contract():
    """perf-anchors.md §5 and issue 5: the textbook numbers, exactly."""
    a = load_architecture("textbook")
    (p,) = a.providers.values()
    assert a.station.horizon_days == 3652.5
    assert (p.rotation_interval_days, p.docked_life_days) == (180.0, 210.0)
    assert (p.ascent_failure, p.abort_success, p.emergency_return_failure) == (0.02, 0.97, 0.005)
    assert (p.grounding_median_days, p.grounding_sigma) == (60.0, 1.0)
    assert (p.nominal_return_failure, p.damage_rate_per_year, p.phase_days) == (0.0, 0.0, 0.0)
    assert a.evacuation_rate_per_year == 0.05
    assert not a.policies.seat_sharing and not a.policies.mixed_crews


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
        (lambda t: t.replace("crew_size = 3", "crew_size = 4"), None, "crew_per_flight add up to 3"),
        (lambda t: t.replace("seats = 3", "seats = 2"), "providers.a", "exceeds seats"),
    ],
    ids=["unknown-provider-key", "unknown-top-key", "negative-probability", "missing-field",
         "unknown-source-key", "crew-mismatch", "crew-over-seats"],
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
