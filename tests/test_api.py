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
    (("abort", "--launcher", "soyuz-fg", "--failure-time", "295", "--landing-elevation", "730"),
     lambda: api.abort("soyuz-fg", failure_time=295, landing_elevation=730)),
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


# --- element files: the CLI's reader, the CLI's JSON, the CLI's errors --------------------------

ISS_OMM = ROOT / "examples" / "iss-2018-12-02.omm.json"  # CelesTrak's ISS set of 2 Dec 2018
ISS_TIME = "2018-12-02T12:00:00Z"
CSS_TIME = "2026-05-30T12:00:00Z"
_MEAN = ("EPOCH", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE",
         "ARG_OF_PERICENTER", "MEAN_ANOMALY")
_TLE_PARAMETERS = ("EPHEMERIS_TYPE", "CLASSIFICATION_TYPE", "NORAD_CAT_ID", "ELEMENT_SET_NO",
                   "REV_AT_EPOCH", "BSTAR", "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT")


def _omm_xml(records: list[dict]) -> str:
    """CCSDS OMM in NDM/XML as CelesTrak serves it (``FORMAT=xml``): one ``<omm>`` per set."""
    from xml.sax.saxutils import escape

    def tags(record, keys):
        return "".join(f"<{k}>{escape(str(record[k]))}</{k}>" for k in keys)

    body = "".join(
        '<omm id="CCSDS_OMM_VERS" version="2.0"><header><CREATION_DATE/><ORIGINATOR/></header>'
        f"<body><segment><metadata>{tags(r, ('OBJECT_NAME', 'OBJECT_ID'))}<CENTER_NAME>EARTH"
        "</CENTER_NAME><REF_FRAME>TEME</REF_FRAME><TIME_SYSTEM>UTC</TIME_SYSTEM>"
        "<MEAN_ELEMENT_THEORY>SGP4</MEAN_ELEMENT_THEORY></metadata><data>"
        f"<meanElements>{tags(r, _MEAN)}</meanElements>"
        f"<tleParameters>{tags(r, _TLE_PARAMETERS)}</tleParameters></data></segment></body></omm>"
        for r in records)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<ndm xmlns:xsi="http://www.w3.org/2001/'
            'XMLSchema-instance" xsi:noNamespaceSchemaLocation="https://sanaregistry.org/r/'
            f'ndmxml_unqualified/ndmxml-2.0.0-master-2.0.xsd">\n{body}</ndm>\n')


def _omm_csv(records: list[dict]) -> str:
    """CCSDS OMM keywords as CSV columns (CelesTrak's ``FORMAT=csv``: a header row, CRLF)."""
    import csv
    import io

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(records[0]))
    writer.writeheader()
    writer.writerows(records)
    return out.getvalue()


@pytest.fixture(scope="module")
def element_files(tmp_path_factory) -> dict[str, Path]:
    """One real ISS element set (the example file, CelesTrak's of 2 Dec 2018; the catalog's ISS
    is the same set) as users have it, alone and with the catalog's Tiangong set (a file of
    several satellites), in every format the CLI reads."""
    from sgp4.api import Satrec
    from sgp4.exporter import export_omm, export_tle

    from lifeboat.catalog import load_catalog

    iss = json.loads(ISS_OMM.read_text(encoding="utf-8"))[0]
    css_tle = load_catalog().station("tiangong").tle
    css_omm = export_omm(Satrec.twoline2rv(*css_tle), "CSS (TIANHE)")
    css = {k: css_omm[k] for k in iss}  # CelesTrak's keywords, in its order
    iss_tle = export_tle(Satrec.twoline2rv(*load_catalog().station("iss").tle))
    texts = {
        "iss.omm.json": json.dumps([iss], indent=1), "iss.omm.xml": _omm_xml([iss]),
        "iss.omm.csv": _omm_csv([iss]), "iss.tle": "\n".join(iss_tle) + "\n",
        "stations.json": json.dumps([iss, css], indent=1), "stations.xml": _omm_xml([iss, css]),
        "stations.csv": _omm_csv([iss, css]),
        "stations.tle": "".join(f"{n}\n{a}\n{b}\n" for n, (a, b) in
                                (("ISS (ZARYA)", iss_tle), ("CSS (TIANHE)", css_tle))),
    }
    folder = tmp_path_factory.mktemp("elements")
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8", newline="")
    return {name: folder / name for name in texts}


def _launch_times(result) -> list[str]:
    return [o["launch_utc"] for o in api.to_jsonable(result)["opportunities"]]


@pytest.mark.parametrize(("name", "satellite"), [
    ("iss.omm.json", None), ("iss.omm.xml", None), ("iss.omm.csv", None), ("iss.tle", None),
    ("stations.json", 25544), ("stations.xml", "ISS (ZARYA)"), ("stations.csv", "zarya"),
    ("stations.tle", "25544"),
])
def test_windows_from_every_elements_format_is_the_cli_json(cli, element_files, name, satellite):
    path = element_files[name]
    result = api.windows("baikonur", tle_file=path, satellite=satellite, time=ISS_TIME, days=2)
    chosen = () if satellite is None else ("--satellite", str(satellite))
    _same(api.to_jsonable(result), _cli_json(cli, "windows", "--site", "baikonur", "--tle-file",
                                             path, *chosen, "--time", ISS_TIME, "--days", "2"))
    # The same element set as the catalog's ISS, so the same launches, whatever the format.
    catalog = api.windows("baikonur", station="iss", time=ISS_TIME, days=2)
    assert _launch_times(result) == _launch_times(catalog) and len(catalog.opportunities) >= 1


@pytest.mark.parametrize("name", ["stations.json", "stations.xml", "stations.csv", "stations.tle"])
def test_reach_and_landings_choose_the_satellite_as_the_cli_does(cli, element_files, name):
    path = element_files[name]
    reach = api.reach(tle_file=path, satellite=48274, days=2)  # from the elements' epoch
    _same(api.to_jsonable(reach),
          _cli_json(cli, "reach", "--tle-file", path, "--satellite", "48274", "--days", "2"))
    assert reach.station == "CSS (TIANHE)" and abs(reach.inclination_deg - 41.47) < 0.01
    landings = api.landings("shenzhou", tle_file=path, satellite="CSS (TIANHE)", time=CSS_TIME,
                            days=2)
    _same(api.to_jsonable(landings),
          _cli_json(cli, "landings", "--vehicle", "shenzhou", "--tle-file", path, "--satellite",
                    "CSS (TIANHE)", "--time", CSS_TIME, "--days", "2"))
    from_catalog = api.landings("shenzhou", station="tiangong", time=CSS_TIME, days=2)
    assert api.to_jsonable(landings)["opportunities"] == \
        api.to_jsonable(from_catalog)["opportunities"] != []


def test_assess_a_scenario_with_a_multi_satellite_omm_file_is_the_cli_json(cli, element_files,
                                                                            tmp_path):
    scenario = (ROOT / "src" / "lifeboat" / "scenarios" / "iss-2018-12.toml").read_text("utf-8")
    head = '[station]\nid = "iss"\n'
    assert head in scenario
    (tmp_path / "stations.xml").write_bytes(element_files["stations.xml"].read_bytes())
    path = tmp_path / "scenario.toml"
    path.write_text(scenario.replace(head, head + 'elements_file = "stations.xml"\n'
                                     "satellite = 25544\nmax_element_age_days = 7\n", 1),
                    encoding="utf-8")
    result = api.assess(path, trials=2_000, seed=5)
    printed = _cli_json(cli, "assess", path, "--trials", "2000", "--seed", "5")
    assert printed.pop("report_path") is None  # the CLI's own field: no --out, no report
    _same(api.to_jsonable(result), printed)


def _stale_and_bad(element_files, tmp_path) -> dict[str, Path]:
    fields = json.loads(ISS_OMM.read_text(encoding="utf-8"))[0]
    out = {}
    for name, key, value in (("bad.json", "INCLINATION", "51.64O1"),
                             ("decayed.json", "MEAN_MOTION", 17.5)):
        out[name] = tmp_path / name
        out[name].write_text(json.dumps([{**fields, key: value}]), encoding="utf-8")
    return out


@pytest.mark.parametrize(("case", "param", "where", "needle"), [
    ("several", "satellite", None, "holds 2 element sets"),
    ("unknown", "satellite", None, "no element set named or numbered 'HUBBLE'"),
    ("satellite without a file", "satellite", None, "chooses among the element sets"),
    ("station and file", "station", None, "exactly one of"),
    ("stale", None, None, "stale"),
    ("malformed", None, "INCLINATION", "not a number"),
    ("decayed", None, None, "decayed"),
])
def test_elements_file_errors_are_the_cli_errors(cli, element_files, tmp_path, case, param, where,
                                                 needle):
    from lifeboat.cli.common import option_name

    made = _stale_and_bad(element_files, tmp_path)
    stations, iss = element_files["stations.xml"], element_files["iss.omm.csv"]
    kwargs, args = {
        "several": ({"tle_file": stations}, ("--tle-file", stations)),
        "unknown": ({"tle_file": stations, "satellite": "HUBBLE"},
                    ("--tle-file", stations, "--satellite", "HUBBLE")),
        "satellite without a file": ({"station": "iss", "satellite": 25544},
                                     ("--station", "iss", "--satellite", "25544")),
        "station and file": ({"station": "iss", "tle_file": iss},
                             ("--station", "iss", "--tle-file", iss)),
        "stale": ({"tle_file": iss, "time": "2019-03-01T00:00:00Z"},
                  ("--tle-file", iss, "--time", "2019-03-01T00:00:00Z")),
        "malformed": ({"tle_file": made["bad.json"]}, ("--tle-file", made["bad.json"])),
        "decayed": ({"tle_file": made["decayed.json"]}, ("--tle-file", made["decayed.json"])),
    }[case]
    kwargs = {"time": ISS_TIME, **kwargs}
    args = args if "--time" in args else (*args, "--time", ISS_TIME)
    with pytest.raises(InputError) as info:
        api.windows("baikonur", days=1, **kwargs)
    error = info.value
    assert error.param == param and error.where == where and needle in error.message
    if param is None:  # a problem in the file: named with its path
        assert error.source is not None and str(kwargs["tle_file"]) in error.source
    assert "--" not in str(error)
    code, out, err = cli("windows", "--site", "baikonur", *args, "--days", "1", "--json")
    assert (code, out) == (2, "")
    assert err.strip() == "error: " + error.render(param_label=option_name)


@pytest.mark.parametrize(("kwargs", "param"), [
    ({"tle_file": ISS_OMM, "satellite": True}, "satellite"),
    ({"tle_file": ISS_OMM, "satellite": -25544}, "satellite"),
    ({"tle_file": ISS_OMM, "satellite": " "}, "satellite"),
    ({"tle_file": ISS_OMM, "satellite": 25544.0}, "satellite"),
    ({"tle_file": 25544}, "tle_file"),
    ({"tle_file": None}, "station"),
])
def test_bad_satellite_and_file_arguments_name_the_parameter(kwargs, param):
    with pytest.raises(InputError) as info:
        api.landings("soyuz-ms", time=ISS_TIME, days=1, **kwargs)
    assert info.value.param == param and "--" not in str(info.value)
    with pytest.raises(InputError) as info:
        api.reach(inclination=51.6, altitude=400, satellite=25544)
    assert info.value.param == "station"


@pytest.mark.parametrize(("key", "value"), [
    ("NORAD_CAT_ID", 10**20), ("NORAD_CAT_ID", "٣"), ("ELEMENT_SET_NO", 10**20),
    ("REV_AT_EPOCH", 10**20), ("EPHEMERIS_TYPE", 10), ("CLASSIFICATION_TYPE", "SECRET"),
    ("EPOCH", "0001-01-01T00:00:00"), ("EPOCH", "2200-01-01T00:00:00"),
])
def test_omm_fields_sgp4_cannot_take_are_refused_naming_the_field(tmp_path, key, value):
    path = tmp_path / "iss.json"
    path.write_text(json.dumps([{**json.loads(ISS_OMM.read_text("utf-8"))[0], key: value}]))
    with pytest.raises(InputError) as info:
        api.reach(tle_file=path, days=1)
    assert info.value.where == key and str(path) in info.value.source


def test_an_omm_epoch_with_a_utc_offset_is_the_same_instant(tmp_path):
    fields = json.loads(ISS_OMM.read_text("utf-8"))[0]
    assert fields["EPOCH"] == "2018-12-02T07:51:07.327296"
    path = tmp_path / "iss.json"
    path.write_text(json.dumps([{**fields, "EPOCH": "2018-12-02T12:51:07.327296+05:00"}]))
    shifted = api.windows("baikonur", tle_file=path, time=ISS_TIME, days=2)
    assert _launch_times(shifted) == _launch_times(api.windows("baikonur", tle_file=ISS_OMM,
                                                               time=ISS_TIME, days=2))


@pytest.mark.parametrize(("text", "needle"), [
    ("[" * 50_000 + "]" * 50_000, "nested too deeply"),
    ("<ndm><omm><body><segment><metadata/><data/></segment></body></omm></ndm>", "lacks"),
    ("<ndm><omm><body><segment><metadata/></segment></body></omm></ndm>", "lacks"),
    ("NORAD_CAT_ID,EPOCH\n25544,2018-12-02T07:51:07\n", "lacks"),
])
def test_malformed_omm_structures_are_one_clear_error(tmp_path, text, needle):
    path = tmp_path / "odd.omm"
    path.write_text(text)
    with pytest.raises(InputError) as info:
        api.windows("baikonur", tle_file=path, time=ISS_TIME, days=1)
    assert needle in info.value.message and str(path) in info.value.source
