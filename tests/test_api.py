"""``lifeboat.api``: one front door, the CLI's names, the CLI's JSON, errors naming parameters."""

from __future__ import annotations

import dataclasses
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from lifeboat import api
from lifeboat.cli.app import COMMANDS
from lifeboat.errors import InputError

ROOT = Path(__file__).resolve().parents[1]
TELEMETRY = ROOT / "examples" / "ms-09-like-telemetry.csv"

# CLI command -> the api functions that offer it.
FRONT_DOOR = {
    "assess": ["assess", "write_report"], "catalog": ["catalog", "catalog_record"],
    "scenario": ["scenarios", "load_scenario", "validate_scenario"], "windows": ["windows"],
    "reach": ["reach"], "landings": ["landings"], "abort": ["abort"],
    "leak": ["leak", "fit", "isolate"], "nrho": ["nrho"], "gateway-access": ["gateway_access"],
    "risk": ["risk"], "compare": ["compare"], "importance": ["importance"], "rates": ["rates"],
    "sweep": ["sweep"], "history": ["history", "replay"], "elements": ["elements_fetch"],
    "lunar": ["lunar_return", "lunar_transfer", "lunar_abort"],
}
NOT_IN_PYTHON = {"serve"}  # starts a web server: use lifeboat.web.app.create_app


def test_every_command_has_a_function():
    assert set(COMMANDS) == set(FRONT_DOOR) | NOT_IN_PYTHON
    for names in FRONT_DOOR.values():
        for name in names:
            assert callable(getattr(api, name)) and name in api.__all__


def test_import_is_light():
    code = ("import sys, lifeboat.api; heavy = [m for m in ('numpy', 'scipy', 'skyfield', "
            "'pydantic', 'numba', 'duckdb', 'typer') if m in sys.modules]; print(heavy)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_python_dash_m():
    out = subprocess.run([sys.executable, "-m", "lifeboat", "--version"], capture_output=True,
                         text=True, check=True)
    assert out.stdout.startswith("lifeboat ")


def _cli_json(cli, *args):
    code, out, err = cli(*args, "--json")
    assert code == 0, err
    return json.loads(out)


def _same(a, b, ignore=("trials_per_s",)):
    """Equal, except the measured speed of the risk engine."""
    if isinstance(a, list):
        assert isinstance(b, list) and len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            _same(x, y)
        return
    if isinstance(a, dict):
        assert isinstance(b, dict)
        a = {k: v for k, v in a.items() if k not in ignore}
        b = {k: v for k, v in b.items() if k not in ignore}
        assert a.keys() == b.keys()
        for key in a:
            _same(a[key], b[key])
        return
    assert a == b


@pytest.mark.parametrize(("args", "call"), [
    (("abort", "--launcher", "soyuz-fg", "--failure-time", "119"),
     lambda: api.abort("soyuz-fg", failure_time=119)),
    (("leak", "--station", "iss", "--hole-mm", "2", "--module", "zvezda"),
     lambda: api.leak(station="iss", hole_mm=2, module="zvezda")),
    (("leak", "fit", str(TELEMETRY), "--volume-m3", "916"),
     lambda: api.fit(TELEMETRY, volume_m3=916)),
    (("nrho",), lambda: api.nrho()),
    (("catalog", "show", "soyuz-ms"), lambda: api.catalog_record("soyuz-ms")),
    (("catalog", "list", "sites"), lambda: api.catalog("sites")),
    (("scenario", "validate", "iss-2018-12"), lambda: api.validate_scenario("iss-2018-12")),
    (("scenario", "list"), lambda: api.scenarios()),
    (("history", "list"), lambda: api.history()),
    (("history", "replay", "ms-10-abort"), lambda: api.replay("ms-10-abort")),
    (("risk", "textbook", "--trials", "20000", "--seed", "3"),
     lambda: api.risk("textbook", trials=20_000, seed=3)),
    (("windows", "--site", "baikonur", "--station", "iss", "--start", "2018-12-01T00:00:00Z",
      "--days", "2"),
     lambda: api.windows("baikonur", station="iss", time="2018-12-01T00:00:00Z", days=2)),
    (("gateway-access", "--vehicle", "orion", "--time", "2027-01-01T00:00:00Z"),
     lambda: api.gateway_access("orion", time="2027-01-01T00:00:00Z")),
    (("reach", "--inclination", "41.5", "--altitude", "390", "--start", "2026-01-01T00:00:00Z",
      "--days", "2"),
     lambda: api.reach(inclination=41.5, altitude=390, time="2026-01-01T00:00:00Z", days=2)),
    (("compare", "textbook", "iss-mixed", "--trials", "5000", "--seed", "4"),
     lambda: api.compare(["textbook", "iss-mixed"], trials=5_000, seed=4)),
    (("compare", "iss-6-soyuz", "iss-6-soyuz-dragon", "--baseline", "iss-6-soyuz", "--trials",
      "5000", "--seed", "4"),
     lambda: api.compare(["iss-6-soyuz", "iss-6-soyuz-dragon"], baseline="iss-6-soyuz",
                         trials=5_000, seed=4)),
    (("importance", "textbook", "--trials", "5000", "--seed", "2"),
     lambda: api.importance("textbook", trials=5_000, seed=2)),
    (("rates", "--until", "2010-01-01"), lambda: api.rates(until="2010-01-01")),
    (("lunar", "return", "--station", "gateway", "--phase-deg", "180", "--perilune-epoch",
      "2027-01-01T00:00:00Z"),
     lambda: api.lunar_return("gateway", phase_deg=180, perilune_epoch="2027-01-01T00:00:00Z")),
])
def test_api_json_is_the_cli_json(cli, args, call):
    _same(api.to_jsonable(call()), _cli_json(cli, *args))


def test_results_are_the_service_types_with_short_reprs():
    from lifeboat.orbits.abort import AbortResult

    result = api.abort("soyuz-fg", failure_time=119)
    assert isinstance(result, AbortResult) and isinstance(result, api.Abort)
    assert dataclasses.is_dataclass(result)
    text = repr(result)
    assert text.startswith("Abort(") and len(text) < 200 and "apogee_km=" in text
    assert len(repr(api.replay("ms-10-abort"))) < 200


def test_to_frame_gives_one_row_per_item():
    pytest.importorskip("pandas")
    w = api.windows("baikonur", station="iss", time="2018-12-01T00:00:00Z", days=2)
    frame = w.to_frame()
    assert len(frame) == len(w.opportunities)
    assert {"launch_utc", "azimuth_deg", "schemes"} <= set(frame.columns)
    assert list(frame["azimuth_deg"]) == [o.azimuth_deg for o in w.opportunities]
    both = api.compare(["textbook", "iss-mixed"], trials=5_000, seed=2)
    assert list(both.to_frame()["architecture"]) == ["textbook", "iss-mixed"]
    assert len(api.history().to_frame()) == len(api.history())


@pytest.mark.parametrize(("call", "param"), [
    (lambda: api.leak(station="iss", hole_mm=math.inf), "hole_mm"),
    (lambda: api.leak(station="iss", hole_mm=-1), "hole_mm"),
    (lambda: api.leak(station="iss", hole_mm=2, cd=1.5), "cd"),
    (lambda: api.leak(hole_mm=2), "station"),
    (lambda: api.leak(station="iss", hole_mm=2, docked=["bad"]), "docked"),
    (lambda: api.windows("baikonur", station="iss", time="2018-12-01", days=math.nan), "days"),
    (lambda: api.windows("baikonur", station="iss", time="2018-12-01", days=1e9), "days"),
    (lambda: api.windows("baikonr", station="iss", time="2018-12-01"), "site"),
    (lambda: api.windows("baikonur", station="iss", time="yesterday"), "time"),
    (lambda: api.windows("baikonur", station="iss", time="0001-01-01T00:00:00+05:00"), "time"),
    (lambda: api.abort("soyuz-fg", failure_time=-5), "failure_time"),
    (lambda: api.reach(inclination=51.6), "altitude"),
    (lambda: api.risk("textbook", trials=0), "trials"),
    (lambda: api.risk("textbook", trials=2.5), "trials"),
    (lambda: api.compare("textbook"), "architectures"),
    (lambda: api.isolate("nowhere", station="iss"), "leak_in"),
    (lambda: api.fit(TELEMETRY), "station"),
    (lambda: api.nrho(period_days=-1), "period_days"),
    (lambda: api.gateway_access("orion", time="2027-01-01", readiness_days=-1), "readiness_days"),
    (lambda: api.catalog("planets"), "kind"),
])
def test_errors_are_value_errors_naming_the_parameter(call, param):
    with pytest.raises(ValueError) as info:
        call()
    assert isinstance(info.value, InputError) and info.value.param == param
    assert "--" not in str(info.value)  # a Python user never sees a CLI flag


def test_the_cli_shows_the_same_error_against_the_option(cli):
    code, _, err = cli("leak", "--station", "iss", "--hole-mm", "inf")
    assert code == 2 and "--hole-mm" in err and "finite" in err
    code, _, err = cli("leak", "fit", str(TELEMETRY))
    assert code == 2 and "--station" in err and "--volume-m3" in err


def test_write_report_is_atomic_and_refuses_a_directory(tmp_path):
    assessment = api.assess("iss-2018-12", trials=2_000)
    with pytest.raises(InputError) as info:
        api.write_report(assessment, tmp_path)
    assert info.value.param == "out"
    path = api.write_report(assessment, tmp_path / "r.html")
    assert path.read_text(encoding="utf-8").lstrip().lower().startswith("<!doctype html")
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


def test_the_lazy_command_table_matches_what_the_modules_register():
    import typer

    from lifeboat.cli import app as cli_app

    group = typer.main.get_command(cli_app.app)
    for module in dict.fromkeys(entry.module for entry in COMMANDS.values()):
        group._load(module)
    assert set(group.commands) == set(COMMANDS), "add new commands to COMMANDS in cli/app.py"


def test_help_imports_no_command_module():
    code = ("import sys; from lifeboat.cli.app import main; sys.argv = ['lifeboat', '--help']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith('lifeboat.cli.') "
            "and m not in ('lifeboat.cli.app',)) + [m for m in ('numpy', 'pydantic') "
            "if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_a_sweep_too_large_to_run_is_refused_before_anything_starts(tmp_path):
    path = tmp_path / "huge.toml"
    values = ", ".join(str(0.001 * k) for k in range(1, 400))
    head = 'architecture = "textbook"\nseed = 1\nkind = "grid"\n'
    too_many_trials = head + ("trials = 1000000000\n[parameters]\n"
                              f'"providers.single.ascent_failure" = [{values}]\n')
    too_many_points = head + ("trials = 100\n[parameters]\n"
                              f'"providers.single.ascent_failure" = [{values}]\n'
                              f'"providers.single.abort_success" = [{values}]\n')
    for text in (too_many_trials, too_many_points):
        path.write_text(text)
        with pytest.raises(InputError) as info:
            api.sweep(path, store=tmp_path / "s.duckdb")
        assert str(path) in str(info.value) and "split the sweep" in str(info.value)
        assert not (tmp_path / "s.duckdb").exists()
