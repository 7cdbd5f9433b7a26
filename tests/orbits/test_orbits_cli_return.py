"""``lifeboat landings`` and ``lifeboat abort`` end to end (JSON parsed and checked, bad input)."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from matplotlib.path import Path

from lifeboat.catalog import load_catalog


def _utc(text: str) -> datetime:
    assert text.endswith("Z")
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


# Real ISS elements, epoch 2018-12-21 15:00 UTC (as found in a public GitHub script), for the
# Soyuz MS-09 return of 20 Dec 2018 (RussianSpaceWeb, Soyuz MS-09).
ISS_2018_12_21 = (
    "1 25544U 98067A   18355.62429255  .00000834  00000-0  19892-4 0  9995\n"
    "2 25544  51.6392 164.6201 0004717 167.6800 317.8237 15.54085122147663\n"
)


@pytest.fixture
def tle_file(tmp_path):
    path = tmp_path / "iss.tle"
    path.write_text(ISS_2018_12_21, encoding="utf-8")
    return path


@pytest.mark.slow
def test_landings_json(cli, tle_file):
    code, out, _ = cli(
        "landings", "--vehicle", "soyuz-ms", "--tle-file", tle_file,
        "--undock", "2018-12-20T00:00:00Z", "--days", "1", "--json",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert data["vehicle"] == "soyuz-ms" and data["station"]
    assert data["opportunities"]
    cat = load_catalog()
    for o in data["opportunities"]:
        undock, burn, land = _utc(o["undock_utc"]), _utc(o["burn_utc"]), _utc(o["landing_utc"])
        assert undock < burn < land
        polygon = cat.zone(o["zone"]).polygon
        assert Path([(b, a) for a, b in polygon]).contains_point(
            (o["longitude_deg"], o["latitude_deg"])
        )
        assert isinstance(o["daylight"], bool)
        assert undock >= _utc("2018-12-20T00:00:00Z")


def test_landings_human_output(cli, tle_file):
    code, out, _ = cli(
        "landings",
        "--vehicle",
        "soyuz-ms",
        "--tle-file",
        tle_file,
        "--undock",
        "2018-12-20T00:00:00Z",
        "--days",
        "0.5",
        "--daylight",
    )
    assert code == 0
    assert "Landing opportunities" in out and "deorbit:" in out


def test_landings_refuses_stale_elements(cli, tle_file):
    code, _, err = cli(
        "landings",
        "--vehicle",
        "soyuz-ms",
        "--tle-file",
        tle_file,
        "--undock",
        "2019-06-01T00:00:00Z",
    )
    assert code == 2
    assert "stale" in err


def test_abort_json(cli):
    code, out, _ = cli(
        "abort", "--launcher", "soyuz-fg", "--failure-time", "118", "--azimuth", "62", "--json"
    )
    assert code == 0
    data = json.loads(out)
    for key in (
        "apogee_km",
        "peak_deceleration_g",
        "downrange_km",
        "landing_latitude_deg",
        "landing_longitude_deg",
        "liftoff_to_touchdown_s",
        "abort_state",
    ):
        assert key in data
    assert data["abort_state"]["t_s"] == 118.0
    # Touchdown after the failure, on the ground track's side of the pad (north-east).
    assert data["liftoff_to_touchdown_s"] > 118.0
    assert data["landing_longitude_deg"] > load_catalog().site(data["site"]).longitude_deg


def test_abort_human_output(cli):
    code, out, _ = cli("abort", "--launcher", "soyuz-fg", "--failure-time", "118")
    assert code == 0
    assert "apogee" in out


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("abort", "--launcher", "soyuz-fg", "--failure-time", "100000"), "--failure-time"),
        (("abort", "--launcher", "no-such-rocket", "--failure-time", "118"), "--launcher"),
        (("abort", "--launcher", "soyuz-fg", "--failure-time", "118", "--vehicle", "orion"), "--vehicle"),
        (
            ("landings", "--vehicle", "soyuz-ms", "--station", "iss", "--undock", "2018-12-02T12:00:00Z",
             "--max-tle-age-days", "-5"),
            "--max-tle-age-days",
        ),
        (
            ("landings", "--vehicle", "soyuz-ms", "--station", "iss", "--undock", "yesterday"),
            "--undock",
        ),
        (
            (
                "landings",
                "--vehicle",
                "no-such-ship",
                "--station",
                "iss",
                "--undock",
                "2018-12-20T00:00:00Z",
            ),
            "--vehicle",
        ),
    ],
)
def test_bad_input_exits_2_with_one_message(cli, args, needle):
    code, out, err = cli(*args)
    assert code == 2
    assert needle in err
    assert "Traceback" not in err + out
    assert len(err.strip().splitlines()) <= 2
