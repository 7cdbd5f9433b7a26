"""User catalog overlays: --catalog FILE, LIFEBOAT_CATALOG and api.use_catalog."""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lifeboat import catalog
from lifeboat.cli.app import app
from lifeboat.errors import CatalogOverrideWarning, InputError

EXAMPLES = Path(__file__).parents[2] / "examples"
HAVEN = EXAMPLES / "catalog-haven-1.toml"
VANDENBERG = EXAMPLES / "catalog-vandenberg.toml"
SOURCE = '[[site.sources]]\ntitle = "A public source"\nurl = "https://example.org"\n'


@pytest.fixture(autouse=True)
def _shipped_only(monkeypatch):
    monkeypatch.delenv(catalog.OVERLAY_ENV, raising=False)
    catalog.use_overlays(None)
    yield
    catalog.use_overlays(None)


def _site(site_id: str, lat: float = 10.0, launchers: str = '["falcon-9"]', extra: str = "") -> str:
    return (f'[[site]]\nid = "{site_id}"\nname = "Test pad"\noperator = "x"\ncountry = "y"\n'
            f'latitude_deg = {lat}\nlongitude_deg = 20.0\ncrewed_pad = false\n'
            f'launchers = {launchers}\nazimuth_ranges_deg = [[40.0, 120.0]]\n'
            f'confidence = "assumption"\n{extra}{SOURCE}')


def test_example_overlays_add_records_and_keep_the_shipped_ones():
    shipped = catalog.load_catalog()
    catalog.use_overlays([HAVEN, VANDENBERG])
    cat = catalog.load_catalog()
    assert "haven-1" in cat.stations and "vandenberg-slc-4e" in cat.sites
    assert set(shipped.stations) < set(cat.stations)
    assert cat.stations["haven-1"].sources and cat.sites["vandenberg-slc-4e"].sources
    assert cat.stations["haven-1"].configurations[0].modules[0].volume_m3 == 80.0


def test_environment_variable_takes_several_paths(monkeypatch):
    monkeypatch.setenv(catalog.OVERLAY_ENV, os.pathsep.join([str(HAVEN), str(VANDENBERG)]))
    cat = catalog.load_catalog()
    assert "haven-1" in cat.stations and "vandenberg-slc-4e" in cat.sites


def test_replacing_a_shipped_id_warns_and_wins(tmp_path):
    path = tmp_path / "pad.toml"
    path.write_text(_site("baikonur", lat=12.5))
    catalog.use_overlays([path])
    with pytest.warns(CatalogOverrideWarning, match="baikonur"):
        cat = catalog.load_catalog()
    assert cat.sites["baikonur"].latitude_deg == 12.5


@pytest.mark.parametrize(("text", "fragment"), [
    (_site("new-pad").replace(SOURCE, ""), "sources"),
    (_site("new-pad", lat=95.0), "latitude_deg"),
    (_site("new-pad", launchers='["no-such-rocket"]'), "unknown launcher id 'no-such-rocket'"),
    ("[[planet]]\nid = 'x'\n", "unknown top-level key"),
    (_site("new-pad") + _site("new-pad"), "duplicate id"),
    ("site = 3\n", "array of tables"),
    ("[[site]\n", "malformed TOML"),
    ("# nothing here\n", "no records"),
    ("\ufeff" + _site("bom-pad"), None),  # a byte-order mark is fine
])
def test_bad_overlays_are_refused_naming_the_file(tmp_path, text, fragment):
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    catalog.use_overlays([path])
    if fragment is None:
        assert "bom-pad" in catalog.load_catalog().sites
        return
    with pytest.raises(InputError) as info:
        catalog.load_catalog()
    assert str(path) in str(info.value) and fragment in str(info.value)


def test_missing_overlay_file_is_named(tmp_path):
    catalog.use_overlays([tmp_path / "nope.toml"])
    with pytest.raises(InputError, match="not found"):
        catalog.load_catalog()


def test_cli_catalog_option_and_its_errors(tmp_path):
    runner = CliRunner()
    shown = runner.invoke(app, ["--catalog", str(HAVEN), "catalog", "show", "haven-1", "--json"])
    assert shown.exit_code == 0 and '"haven-1"' in shown.stdout
    # The next run without --catalog sees the shipped catalog again.
    again = runner.invoke(app, ["catalog", "show", "haven-1"])
    assert again.exit_code == 2 and "unknown" in again.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text(_site("new-pad", lat=95.0))
    refused = runner.invoke(app, ["--catalog", str(bad), "catalog", "list"])
    assert refused.exit_code == 2 and "Traceback" not in refused.stderr
    assert str(bad) in " ".join(refused.stderr.split()) and len(refused.stderr.splitlines()) <= 3


def test_cli_prints_an_override_as_one_warning_line(tmp_path):
    path = tmp_path / "pad.toml"
    path.write_text(_site("baikonur", lat=12.5))
    with warnings.catch_warnings():
        result = CliRunner().invoke(app, ["--catalog", str(path), "catalog", "show", "baikonur",
                                          "--json"])
    assert result.exit_code == 0
    assert "warning:" in result.stderr and "replaces" in result.stderr
    assert '"latitude_deg": 12.5' in result.stdout


def test_a_leak_on_an_overlay_station_uses_its_modules():
    from lifeboat import api

    api.use_catalog(HAVEN)
    try:
        haven = api.leak(station="haven-1", hole_mm=2.0)
        iss = api.leak(station="iss", hole_mm=2.0)
    finally:
        api.use_catalog()
    # Same hole, same cabin pressure: the drop rate scales with 1/volume.
    assert haven.volume_m3 == 80.0
    assert haven.initial_rate_mmhg_per_h * haven.volume_m3 == pytest.approx(
        iss.initial_rate_mmhg_per_h * iss.volume_m3, rel=1e-6)


def test_a_catalog_option_does_not_outlive_its_command(cli):
    """The CLI may run inside a longer-lived process (a notebook, these tests): the overlays of
    one ``--catalog`` run must not leak into what the process computes next."""
    catalog.use_overlays([VANDENBERG])
    code, _, err = cli("--catalog", HAVEN, "leak", "--station", "haven-1", "--hole-mm", "2", "--json")
    assert code == 0, err
    assert catalog.overlay_setting() == (str(VANDENBERG),)
    assert "haven-1" not in catalog.load_catalog().stations
