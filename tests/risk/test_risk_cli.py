"""End-to-end CLI: ``lifeboat risk``, ``lifeboat compare`` (with a plot) and bad input."""

from __future__ import annotations

import json
import math

from lifeboat.risk.engine import wilson_interval

KEYS = {"trials", "seed", "p_loc", "p_loc_ci95", "loc_per_flight", "decrewed_days_mean",
        "p_any_decrew", "seatless_crew_days_mean", "launches_mean", "cost_musd_mean",
        "loc_causes", "trials_per_s", "architecture"}


def test_risk_json(cli):
    code, out, _ = cli("risk", "textbook", "--trials", "200000", "--seed", "3", "--json")
    assert code == 0
    data = json.loads(out)
    assert KEYS <= set(data)
    assert (data["trials"], data["seed"], data["architecture"]) == (200000, 3, "textbook")
    # The interval is the Wilson interval of the reported proportion (checked independently).
    lo, hi = wilson_interval(data["p_loc"] * data["trials"], data["trials"])
    assert data["p_loc_ci95"] == [lo, hi] and lo < data["p_loc"] < hi
    assert math.isclose(sum(data["loc_causes"].values()), data["p_loc"], rel_tol=1e-12)
    # Textbook order of magnitude: ~20 flights x 0.02 x 0.03 + 10 yr x 0.05/yr x 0.005.
    assert 0.010 < data["p_loc"] < 0.020
    assert 19.5 < data["launches_mean"] < 20.5


def test_risk_from_a_file_and_workers_give_the_same_numbers(cli, tmp_path):
    from lifeboat.risk.model import ARCHITECTURE_DIR

    path = tmp_path / "copy.toml"
    path.write_text((ARCHITECTURE_DIR / "iss-mixed.toml").read_text(encoding="utf-8"), encoding="utf-8")
    _, one, _ = cli("risk", str(path), "--trials", "150000", "--json")
    _, two, _ = cli("risk", "iss-mixed", "--trials", "150000", "--workers", "2", "--json")
    a, b = json.loads(one), json.loads(two)
    assert a["architecture"] == "copy" and b["architecture"] == "iss-mixed"
    assert a["p_loc"] == b["p_loc"] and a["decrewed_days_mean"] == b["decrewed_days_mean"]


def test_compare_json_and_plot(cli, tmp_path):
    plot = tmp_path / "cmp.png"
    code, out, _ = cli("compare", "iss-soyuz-only", "iss-mixed", "--trials", "100000", "--plot", str(plot), "--json")
    assert code == 0
    rows = json.loads(out)
    assert [r["architecture"] for r in rows] == ["iss-soyuz-only", "iss-mixed"]
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    # Two providers with seat sharing keep the station crewed far more of the time.
    assert rows[1]["decrewed_days_mean"] < rows[0]["decrewed_days_mean"]


def test_compare_table(cli):
    code, out, _ = cli("compare", "textbook", "iss-us-only", "--trials", "20000")
    assert code == 0 and "textbook" in out and "iss-us-only" in out


def test_bad_architecture_file_exits_2_with_file_and_field(cli, tmp_path):
    from lifeboat.risk.model import ARCHITECTURE_DIR

    text = (ARCHITECTURE_DIR / "textbook.toml").read_text(encoding="utf-8")
    path = tmp_path / "bad.toml"
    path.write_text(text.replace("abort_success = 0.97", "abort_success = 1.5"), encoding="utf-8")
    code, out, err = cli("risk", str(path), "--trials", "1000")
    assert code == 2 and out == ""
    assert str(path) in err and "providers.single.abort_success" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) <= 3


def test_bad_options_exit_2(cli):
    code, _, err = cli("risk", "textbook", "--trials", "0")
    assert code == 2 and "--trials" in err
    code, _, err = cli("risk", "no-such-arch")
    assert code == 2 and "no-such-arch" in err and "textbook" in err


def test_unknown_catalog_vehicle_exits_2_naming_file_and_field(cli, tmp_path):
    from lifeboat.risk.model import ARCHITECTURE_DIR

    text = (ARCHITECTURE_DIR / "iss-2003-columbia.toml").read_text(encoding="utf-8")
    path = tmp_path / "tma.toml"
    path.write_text(text.replace('vehicle = "soyuz-ms"', 'vehicle = "soyuz-tma"'), encoding="utf-8")
    code, out, err = cli("risk", str(path), "--trials", "1000")
    assert code == 2 and out == ""
    assert str(path) in err and "providers.soyuz.vehicle" in err and "soyuz-tma" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) <= 3
