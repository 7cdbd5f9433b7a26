"""`lifeboat assess` end to end: a subprocess from a clean directory, --json, and bad input."""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from lifeboat.cli.app import app

LIFEBOAT = Path(sys.executable).with_name("lifeboat")


@pytest.mark.slow
def test_assess_subprocess_from_clean_directory(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    done = subprocess.run([str(LIFEBOAT), "assess", "--trials", "20000"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    report = tmp_path / "reports" / "iss-2018-12.html"
    assert report.is_file() and report.stat().st_size > 100_000
    assert "reports/iss-2018-12.html" in done.stdout.replace("\n", "")
    assert "Recommended:" in done.stdout
    assert list(tmp_path.iterdir()) == [tmp_path / "reports"]


def test_assess_json_has_every_section(tmp_path):
    target = tmp_path / "out.html"
    result = CliRunner().invoke(app, ["assess", "iss-2018-12", "--report", str(target), "--json",
                                      "--trials", "20000"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["report_path"] == str(target) and target.is_file()
    assert data["scenario_id"] == "iss-2018-12"
    assert len(data["situation"]["crew"]) == 3
    leak = data["emergency"]["leak"]
    # Acceptance case AC-1: a 2 mm hole, Cd 0.6, into 916 m³ at 760 mmHg gives 1.12 mmHg/h (±3 %); the
    # pressure rate of a choked leak scales as 1/V, so the scenario's vented volume rescales it.
    expected_rate = 1.12 * 916.0 / leak["volume_m3"]
    assert abs(leak["initial_rate_mmhg_per_h"] - expected_rate) <= 0.03 * expected_rate
    # The crew-chart reserve time is the straight line from the initial pressure to the limit.
    linear_h = (leak["initial_pressure_mmhg"] - leak["limit_mmhg"]) / leak["initial_rate_mmhg_per_h"]
    assert abs(leak["reserve_time_linear_h"] - linear_h) < 0.01
    plan = data["rescue"]
    # The tightest limit: the linear reserve (~254 h) is far below MS-09's docked life (200 d from
    # 8 Jun 2018, i.e. > 500 h after the epoch).
    assert abs(plan["time_available_h"] - leak["reserve_time_linear_h"]) < 1e-6
    kinds = {o["kind"] for o in plan["options"]}
    assert {"evacuate", "isolate", "replacement", "crewed-rescue"} <= kinds
    # Recommended: keep MS-09 as the lifeboat and bring an uncrewed Soyuz from the first Baikonur
    # window once Soyuz flies again. That window is the one MS-11 really used: launched
    # 3 Dec 2018 11:31:52 UTC (ms-10-abort incident file, RussianSpaceWeb), ±15 min.
    best = plan["options"][0]
    assert plan["recommendation"] == best["name"] and best["kind"] == "replacement"
    assert best["provider"] == "roscosmos" and best["hours_without_lifeboat"] == 0.0
    launch = next(s for s in best["steps"] if s["label"].startswith("launch from baikonur"))
    launched = datetime.fromisoformat(launch["start_utc"].replace("Z", "+00:00"))
    assert abs((launched - datetime(2018, 12, 3, 11, 31, 52, tzinfo=UTC)).total_seconds()) <= 15 * 60
    isolate = next(o for o in plan["options"] if o["kind"] == "isolate")
    assert isolate["hours_without_lifeboat"] > 0  # closing off the leaking MS-09 strands the crew
    for o in plan["options"]:
        for step in o["steps"]:
            assert step["start_utc"].endswith("Z") and step["end_utc"].endswith("Z")
    assert all(o["name"] for o in plan["options"])
    assert data["launch_opportunities"] and data["landing_opportunities"]
    assert data["risk_baseline"] == "iss-6-soyuz" and set(data["risk_differences"]) == {"iss-6-soyuz-dragon"}
    assert len(data["risk"]) == 2 and all(0 <= r["metrics"]["p_loc"]["mean"] <= 1 for r in data["risk"])
    assert data["sources"] and all(s["title"] for s in data["sources"])
    assert data["rescue"]["onset_utc"].endswith("Z")


def test_assess_unknown_scenario_is_one_clear_error():
    result = CliRunner().invoke(app, ["assess", "no-such-scenario"])
    assert result.exit_code == 2
    assert "no-such-scenario" in result.output and "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_assess_bad_scenario_file_names_the_field(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('id = "x"\ntitle = "t"\nepoch_utc = 2018-12-02T12:00:00Z\ncrew = []\n'
                   '[station]\nid = "iss"\nconfigration = "2018-12"\n', encoding="utf-8")
    result = CliRunner().invoke(app, ["assess", str(bad)])
    assert result.exit_code == 2
    assert "bad.toml" in result.output and "configration" in result.output
    assert "Traceback" not in result.output


def test_assess_report_path_that_is_a_directory_is_one_clear_error(tmp_path):
    result = CliRunner().invoke(app, ["assess", "--report", str(tmp_path)])
    assert result.exit_code == 2
    assert "--out" in result.output and "directory" in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1


def test_assess_unwritable_report_path_is_one_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")  # a file where the report's parent directory should be
    result = CliRunner().invoke(app, ["assess", "--report", str(blocker / "r.html")])
    assert result.exit_code == 2
    assert "--out" in result.output and "cannot write" in result.output
    assert "Traceback" not in result.output


def test_assess_json_writes_no_report_unless_asked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["assess", "iss-2018-12", "--json", "--trials", "1000"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["report_path"] is None and list(tmp_path.iterdir()) == []
    plan = data["rescue"]
    assert {p["vehicle"] for p in plan["partners"]} == {"soyuz-ms", "crew-dragon", "starliner"}
    best = plan["options"][0]
    assert {"crew_returning", "crew_staying", "crew_home_utc", "landing_zone", "landing_lat_deg",
            "landing_lon_deg", "crew_without_seat", "added_phases"} <= set(best)
