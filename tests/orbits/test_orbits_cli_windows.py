"""CLI end to end: ``lifeboat windows`` and ``lifeboat reach`` with --json, and bad input."""

from __future__ import annotations

import json
import math
import re
from datetime import datetime

ISS_L1 = "1 25544U 98067A   18336.32716814  .00001474  00000-0  29615-4 0  9996"
ISS_L2 = "2 25544  51.6401 260.8120 0005200 105.4624 347.8845 15.54045418144664"
WINDOWS = ("windows", "--site", "baikonur", "--start", "2018-12-01T00:00:00Z", "--days", "3", "--json")


def _parse_z(text: str) -> datetime:
    assert text.endswith("Z")
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_windows_json_shape(cli):
    code, out, _ = cli(*WINDOWS, "--station", "iss")
    assert code == 0
    data = json.loads(out)
    assert data["site"] == "baikonur" and data["station"]
    opportunities = data["opportunities"]
    assert len(opportunities) == 3  # one north-east crossing a day from Baikonur
    for o in opportunities:
        launch = _parse_z(o["launch_utc"])
        assert o["direction"] == "ENE"  # the compass word of the ~62° azimuth
        assert 60.0 < o["azimuth_deg"] < 64.0
        assert 0.0 <= o["phase_angle_deg"] < 360.0
        for s in o["schemes"]:
            assert set(s) >= {"name", "dock_utc", "duration_h"}
            dock = _parse_z(s["dock_utc"])
            assert math.isclose((dock - launch).total_seconds() / 3600.0, s["duration_h"], abs_tol=1 / 3600)
    assert any(o["schemes"] for o in opportunities)


def test_windows_from_tle_files(cli, tmp_path):
    two = tmp_path / "iss.tle"
    two.write_text(f"{ISS_L1}\n{ISS_L2}\n")
    three = tmp_path / "iss3.tle"
    three.write_text(f"ISS (ZARYA)\n{ISS_L1}\n{ISS_L2}\n")
    code_station, out_station, _ = cli(*WINDOWS, "--station", "iss")
    for path in (two, three):
        code, out, _ = cli(*WINDOWS, "--tle-file", path)
        assert code == 0 == code_station
        data = json.loads(out)
        # Same elements as the catalog ISS: same launch times.
        assert [o["launch_utc"] for o in data["opportunities"]] == [
            o["launch_utc"] for o in json.loads(out_station)["opportunities"]
        ]
    assert json.loads(cli(*WINDOWS, "--tle-file", three)[1])["station"] == "ISS (ZARYA)"


def _assert_one_line_error(code, out, err, *needles):
    assert code == 2
    assert "Traceback" not in out + err
    message = err.strip()
    assert message.startswith("error:")
    for needle in needles:
        assert needle in message


def test_windows_bad_input_exits_2(cli, tmp_path):
    code, out, err = cli("windows", "--site", "baikonurr", "--station", "iss", "--start", "2018-12-01T00:00:00Z")
    _assert_one_line_error(code, out, err, "--site", "baikonur")
    code, out, err = cli("windows", "--site", "baikonur", "--station", "iss", "--start", "yesterday")
    _assert_one_line_error(code, out, err, "--start", "ISO 8601")
    code, out, err = cli("windows", "--site", "baikonur", "--tle-file", tmp_path / "none.tle", "--start",
                         "2018-12-01T00:00:00Z")
    _assert_one_line_error(code, out, err, "none.tle")
    binary = tmp_path / "binary.tle"
    binary.write_bytes(b"\xff\xfe\x00 not a TLE")
    code, out, err = cli("windows", "--site", "baikonur", "--tle-file", binary, "--start", "2018-12-01T00:00:00Z")
    _assert_one_line_error(code, out, err, "binary.tle", "text")
    code, out, err = cli("windows", "--site", "baikonur", "--station", "iss", "--start", "2019-03-01T00:00:00Z")
    _assert_one_line_error(code, out, err, "stale", "days old")
    # A bad site id is named even when the elements would also be stale at the start time.
    code, out, err = cli("windows", "--site", "nowhere", "--station", "iss", "--start", "2019-03-01T00:00:00Z")
    _assert_one_line_error(code, out, err, "--site", "unknown site")
    code, out, err = cli("windows", "--site", "baikonur", "--station", "iss", "--start", "2018-12-02T12:00:00Z",
                         "--max-tle-age-days", "0")
    _assert_one_line_error(code, out, err, "--max-tle-age-days")


def test_windows_human_output_keeps_times_whole(cli):
    code, out, _ = cli("windows", "--site", "baikonur", "--station", "iss", "--start", "2018-12-02T12:00:00Z",
                       "--days", "1")
    assert code == 0
    assert "soyuz-fg" in out and "None" not in out
    # Every docking time is printed whole (not folded or cut by the table) on an 80-column console.
    assert re.search(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", out) and "…" not in out
    code, out, _ = cli("windows", "--site", "baikonur", "--station", "iss", "--start", "2018-12-02T12:00:00Z",
                       "--days", "1", "--launcher", "falcon-9")
    assert code == 0 and "unreachable" in out and "None" not in out


def test_reach_json_for_catalog_and_hypothetical_station(cli):
    code, out, _ = cli("reach", "--station", "iss", "--days", "5", "--json")
    assert code == 0
    data = json.loads(out)
    cell = next(c for c in data["cells"] if c["site"] == "baikonur" and c["vehicle"] == "soyuz-ms")
    assert cell["reachable"] is True and cell["opportunities_per_day"] > 0.5
    code, out, _ = cli("reach", "--inclination", "41.5", "--altitude", "390", "--days", "3", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["inclination_deg"] == 41.5
    baikonur = next(s for s in data["sites"] if s["site"] == "baikonur")
    assert baikonur["reachable"] is False and 570 < baikonur["plane_change_delta_v_m_s"] < 610
    code, out, err = cli("reach", "--inclination", "41.5", "--json")
    _assert_one_line_error(code, out, err, "--altitude")


def test_time_option_and_its_hidden_old_name(cli):
    base = ("windows", "--site", "baikonur", "--station", "iss", "--days", "1", "--json")
    code, new, _ = cli(*base, "--time", "2018-12-02T00:00:00Z")
    assert code == 0
    code, old, _ = cli(*base, "--start", "2018-12-02T00:00:00Z")
    assert code == 0 and json.loads(old) == json.loads(new)
    code, out, err = cli(*base, "--time", "2018-12-02T00:00:00Z", "--start", "2018-12-02T00:00:00Z")
    _assert_one_line_error(code, out, err, "--time", "old name")
    code, out, err = cli(*base)
    _assert_one_line_error(code, out, err, "--time", "missing")
    code, out, _ = cli("windows", "--help")
    assert "--time" in out and "--start" not in out


def test_time_now_is_checked_against_the_elements_age(cli):
    # The catalog ISS elements are from 2018: 'now' is far beyond the age limit, one clear line.
    code, out, err = cli("windows", "--site", "baikonur", "--station", "iss", "--time", "now")
    _assert_one_line_error(code, out, err, "stale")
