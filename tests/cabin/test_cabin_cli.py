"""``lifeboat leak`` end to end (CliRunner), on a stand-in catalog station."""

from __future__ import annotations

import json
import math
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from cabin_fixtures import fake_catalog  # noqa: E402


@pytest.fixture
def station(monkeypatch):
    cat = fake_catalog()
    monkeypatch.setattr("lifeboat.catalog.load_catalog", lambda: cat)
    return "teststation"


def test_leak_json_matches_hand_arithmetic(cli, station, tmp_path):
    png = tmp_path / "leak.png"
    code, out, _ = cli("leak", "--station", station, "--hole-mm", "2", "--cd", "0.6",
                       "--module", "destiny", "--plot", png, "--json")
    assert code == 0
    data = json.loads(out)
    volume = data["volume_m3"]
    # dp/dt = p·Cd·A·2.3524e-3·R·T/V (docs/references.md), in mmHg/h.
    rate = 760 * 0.6 * math.pi * 1e-6 * 2.3524e-3 * 287.05 * 295.15 / volume * 3600
    assert data["initial_rate_mmhg_per_h"] == pytest.approx(rate, rel=1e-3)
    assert data["reserve_time_linear_h"] == pytest.approx(270 / rate, rel=1e-3)
    assert data["time_to_limit_h"] == pytest.approx(math.log(760 / 490) * 760 / rate, rel=1e-3)
    assert data["limit_mmhg"] == 490 and data["evacuate_now"] is False
    assert data["effective_area_mm2"] == pytest.approx(0.6 * math.pi, rel=1e-9)
    assert data["mass_flow_kg_per_day"] > 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_leak_isolated_soyuz_and_evacuate_now(cli, station):
    code, out, _ = cli("leak", "--station", station, "--hole-mm", "40", "--module", "soyuz-ms-09",
                       "--docked", "soyuz-ms-09=soyuz-ms@rassvet", "--isolated", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["module"] == "soyuz-ms-09-om" and data["volume_m3"] == 6.0
    assert data["evacuate_now"] is True and data["reserve_time_linear_h"] < 10 / 60


def test_leak_fit_from_csv(cli, station, tmp_path):
    # The stand-in station (906.7 m³ open volume) losing air through Cd·A = 1 mm² from 06:00:
    # p = 760·exp(−t/τ), τ = V/(R·T·Cd·A·2.3524e-3) (docs/references.md).
    t0 = datetime(2018, 8, 29, tzinfo=UTC)
    rng = np.random.default_rng(11)
    lines = ["utc,pressure_mmhg"]
    volume = 906.7
    tau_h = volume / (287.05 * 295.15 * 1e-6 * 2.3524e-3) / 3600
    for k in range(0, 24 * 60, 2):
        hours = k / 60
        p = 760.0 * math.exp(-max(hours - 6.0, 0.0) / tau_h) + rng.normal(0, 0.05)
        lines.append(f"{(t0 + timedelta(minutes=k)).isoformat()},{round(p, 1)}")
    path = tmp_path / "telemetry.csv"
    path.write_text("\n".join(lines) + "\n")
    code, out, err = cli("leak", "fit", path, "--station", station, "--json")
    assert code == 0, err
    data = json.loads(out)
    lo, hi = data["effective_area_ci95_mm2"]
    assert lo <= 1.0 <= hi and data["effective_area_mm2"] == pytest.approx(1.0, rel=0.05)
    assert data["hole_diameter_mm"] == pytest.approx(math.sqrt(4 / (0.6 * math.pi)), rel=0.03)
    assert data["onset_utc"].endswith("Z") and data["start_utc"] == "2018-08-29T00:00:00Z"
    onset = datetime.fromisoformat(data["onset_utc"].replace("Z", "+00:00"))
    assert abs((onset - (t0 + timedelta(hours=6))).total_seconds()) < 1800


def test_leak_fit_bad_files_exit_2(cli, station, tmp_path):
    lines = ["utc,pressure_mmhg"] + [f"2018-08-29T00:{m:02d}:00Z,760" for m in range(30)]
    no_volume = tmp_path / "ok.csv"
    no_volume.write_text("\n".join(lines) + "\n")
    code, _, err = cli("leak", "fit", no_volume)
    assert code == 2 and "--station" in err and "--volume-m3" in err
    # A file that is not telemetry: the header is named, not a later line's value count.
    toml = tmp_path / "sweep.toml"
    toml.write_text('# a comment, with a comma\narchitecture = "x"\n')
    code, _, err = cli("leak", "fit", toml, "--station", station)
    assert code == 2 and "header" in err and "expected columns utc" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_leak_isolate_json(cli, station):
    code, out, err = cli("leak", "isolate", "--station", station, "--leak-in", "soyuz-ms-09",
                         "--docked", "soyuz-ms-09=soyuz-ms@rassvet", "--hole-mm", "1.5",
                         "--wake-delay-h", "7", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["run"]["located_module"] == "soyuz-ms-09-om"
    assert 12 <= data["time_to_locate_h"] <= 18  # AC-3 window (see test_cabin_isolate.py)
    assert data["shelter"] is False
    assert data["plan"]["tree"]["close"] and data["run"]["steps"][0]["end_h"] == 7


@pytest.mark.parametrize("args, fragment", [
    (["leak", "--station", "nope", "--hole-mm", "2"], "--station"),
    (["leak", "--station", "teststation"], "--hole-mm"),
    (["leak", "--station", "teststation", "--hole-mm", "2", "--cd", "2"], "--cd"),
    (["leak", "--station", "teststation", "--hole-mm", "2", "--module", "destinyy"], "destiny"),
    (["leak", "isolate", "--station", "teststation", "--leak-in", "nowhere"], "--leak-in"),
    (["leak", "fit", "missing.csv", "--station", "teststation"], "file not found"),
    (["leak", "--station", "teststation", "--hole-mm", "2", "--limit-mmhg", "800"],
     "below the cabin pressure 760.0 mmHg"),
    (["leak", "isolate", "--station", "teststation", "--leak-in", "destiny", "--limit-mmhg", "800"],
     "--limit-mmhg"),
    (["leak", "isolate", "--station", "teststation", "--leak-in", "destiny", "--hatch-h", "-1"],
     "--hatch-h"),
])
def test_bad_input_exits_2_with_one_line(cli, station, args, fragment):
    code, out, err = cli(*args)
    assert code == 2
    assert fragment in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
