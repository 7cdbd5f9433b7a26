"""End-to-end CLI: ``lifeboat nrho`` and ``lifeboat gateway-access``."""

import json
from types import SimpleNamespace

import pytest
from typer.testing import CliRunner

import lifeboat.catalog as catalog_pkg
from lifeboat.catalog import Catalog, load_catalog
from lifeboat.cli.app import app

runner = CliRunner()


def test_nrho_json_default_is_the_gateway_orbit(tmp_path):
    png = tmp_path / "nrho.png"
    result = runner.invoke(app, ["nrho", "--resonance", "9:2", "--json", "--plot", str(png)])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    for key in ("period_days", "perilune_radius_km", "apolune_radius_km", "jacobi", "state0",
                "stability_index", "family"):
        assert key in data
    assert data["family"] == "l2-south"
    assert data["period_days"] == pytest.approx(2 * 29.530589 / 9, abs=1e-6)
    assert 3100 <= data["perilune_radius_km"] <= 3400  # NASA MEM NRHO perilune band, https://fireballs.ndc.nasa.gov/mem/library/nrho.html
    assert len(data["state0"]) == 6 and data["state0"][1] == 0.0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_nrho_by_period_and_by_perilune():
    by_p = json.loads(runner.invoke(app, ["nrho", "--period-days", "7.5", "--json"]).stdout)
    assert by_p["period_days"] == pytest.approx(7.5, abs=1e-9)
    by_r = json.loads(runner.invoke(app, ["nrho", "--family", "l1-south", "--perilune-km", "5000",
                                          "--json"]).stdout)
    assert by_r["perilune_radius_km"] == pytest.approx(5000, abs=0.5)
    assert by_r["state0"][2] < 0


@pytest.mark.parametrize("args, option", [
    (["--resonance", "nine:two"], "--resonance"),
    (["--resonance", "9:0"], "--resonance"),
    (["--period-days", "40"], "--period-days"),
    (["--period-days", "-1"], "--period-days"),
    (["--family", "l4-south"], "--family"),
    (["--period-days", "7", "--resonance", "9:2"], "--period-days"),
])
def test_nrho_bad_input_exits_2_with_one_message(args, option):
    result = runner.invoke(app, ["nrho", *args])
    assert result.exit_code == 2
    assert option in result.output and "Traceback" not in result.output


def test_nrho_plot_to_an_unwritable_path_exits_2(tmp_path):
    result = runner.invoke(app, ["nrho", "--json", "--plot", str(tmp_path)])  # a directory
    assert result.exit_code == 2
    assert "--plot" in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.fixture
def fake_catalog(monkeypatch):
    # Two made-up vehicles built from a real record, so the CLI path is tested independently of
    # what the catalog says about real vehicles; the real stations and sites place them.
    real = load_catalog()
    base = real.vehicle("orion")
    vehicles = {
        "capsule": base.model_copy(update={
            "id": "capsule", "lunar": base.lunar.model_copy(update={"planned_to_serve": []})}),
        "leo-taxi": base.model_copy(update={"id": "leo-taxi", "lunar": None}),
    }
    cat = Catalog(sites=real.sites, launchers=real.launchers, vehicles=vehicles,
                  stations=real.stations, recovery_zones=real.recovery_zones,
                  providers=real.providers)
    monkeypatch.setattr(catalog_pkg, "load_catalog", lambda: cat)
    return SimpleNamespace(catalog=cat)


def test_gateway_access_json(fake_catalog):
    result = runner.invoke(app, ["gateway-access", "--vehicle", "capsule",
                                 "--time", "2027-03-01T00:00:00Z", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["reachable"] is True and data["can_return_crew"] is True
    assert data["planned_to_serve"] is False  # policy: the made-up capsule serves no station
    for key in ("launch_utc", "arrival_utc", "outbound_days", "insertion_dv_km_s",
                "docked_departure_utc", "docked_return_utc", "docked_return_dv_km_s"):
        assert data[key] is not None
    assert data["arrival_utc"].endswith("Z") and data["arrival_utc"] > data["launch_utc"]
    assert data["launch_utc"] >= "2027-03-01T00:00:00Z"
    assert "NaN" not in result.stdout and "Infinity" not in result.stdout
    text = runner.invoke(app, ["gateway-access", "--vehicle", "capsule", "--decision", "2027-03-01"])
    assert text.exit_code == 0 and "arrival at Gateway" in text.stdout


def test_gateway_access_unreachable_and_bad_input(fake_catalog):
    data = json.loads(runner.invoke(app, ["gateway-access", "--vehicle", "leo-taxi", "--time",
                                          "2027-03-01T00:00:00Z", "--json"]).stdout)
    assert data["reachable"] is False and data["arrival_utc"] is None
    assert data["docked_return_utc"] is None and any("no lunar capability" in r for r in data["reasons"])
    bad = runner.invoke(app, ["gateway-access", "--vehicle", "capsul", "--time", "2027-03-01"])
    assert bad.exit_code == 2 and "capsule" in bad.output and "Traceback" not in bad.output
    bad = runner.invoke(app, ["gateway-access", "--vehicle", "capsule", "--time", "soon"])
    assert bad.exit_code == 2 and "--time" in bad.output
    bad = runner.invoke(app, ["gateway-access", "--vehicle", "capsule", "--decision", "soon"])
    assert bad.exit_code == 2 and "--decision" in bad.output


def test_gateway_access_all_vehicles(fake_catalog):
    result = runner.invoke(app, ["gateway-access", "--vehicle", "all", "--time",
                                 "2027-03-01T00:00:00Z", "--json"])
    assert result.exit_code == 0, result.output
    data = {row["vehicle"]: row for row in json.loads(result.stdout)}
    assert data["capsule"]["reachable"] and not data["leo-taxi"]["reachable"]
    table = runner.invoke(app, ["gateway-access", "--vehicle", "all", "--time", "2027-03-01"])
    assert table.exit_code == 0 and "leo-taxi" in table.stdout
