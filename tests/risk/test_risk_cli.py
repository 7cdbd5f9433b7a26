"""End-to-end CLI: ``lifeboat risk``, ``lifeboat compare`` (with a plot) and bad input."""

from __future__ import annotations

import json
import math

FIELDS = {"mean", "mc_se"}
METRICS = {"p_loc", "loc_per_person_mission", "loc_per_crew_year", "people_lost", "decrewed_days",
           "seatless_crew_days", "cost_musd", "crew_days", "person_missions"}


def test_risk_json(cli):
    code, out, _ = cli("risk", "textbook", "--trials", "200000", "--seed", "3", "--json")
    assert code == 0
    data = json.loads(out)
    assert {"trials", "seed", "architecture", "crew_size", "metrics", "providers", "loc_causes",
            "fussell_vesely", "trials_per_s"} <= set(data)
    assert (data["trials"], data["seed"], data["architecture"], data["crew_size"]) == (200000, 3, "textbook", 3)
    assert METRICS <= set(data["metrics"])
    for m in data["metrics"].values():
        assert set(m) == FIELDS  # no percentiles without input uncertainty
    p = data["metrics"]["p_loc"]
    # The standard error of a proportion, checked independently of the engine's batch method.
    assert math.isclose(p["mc_se"], math.sqrt(p["mean"] * (1 - p["mean"]) / data["trials"]), rel_tol=0.1)
    # Textbook order of magnitude: ~20 flights x 0.02 x 0.03 + 10 yr x 0.05/yr x 0.005.
    assert 0.010 < p["mean"] < 0.020
    assert 19.5 < data["metrics"]["launches"]["mean"] < 20.5
    # Three people per loss (the trial ends at the first): people lost = 3 P(LOC).
    assert math.isclose(data["metrics"]["people_lost"]["mean"], 3 * p["mean"], rel_tol=1e-12)
    assert math.isclose(sum(c["mean"] for c in data["loc_causes"].values()), 3 * p["mean"], rel_tol=1e-9)


def test_risk_from_a_file_and_workers_give_the_same_numbers(cli, tmp_path):
    from lifeboat.risk.model import ARCHITECTURE_DIR

    path = tmp_path / "copy.toml"
    path.write_text((ARCHITECTURE_DIR / "iss-7-dragon-soyuz.toml").read_text(encoding="utf-8"), encoding="utf-8")
    _, one, _ = cli("risk", str(path), "--trials", "150000", "--json")
    _, two, _ = cli("risk", "iss-7-dragon-soyuz", "--trials", "150000", "--workers", "2", "--json")
    a, b = json.loads(one), json.loads(two)
    assert a["architecture"] == "copy" and b["architecture"] == "iss-7-dragon-soyuz"
    assert a["metrics"] == b["metrics"] and a["providers"] == b["providers"]


def test_compare_with_baseline_json_and_plot(cli, tmp_path):
    plot = tmp_path / "cmp.png"
    code, out, _ = cli("compare", "iss-6-soyuz", "iss-6-soyuz-dragon", "--baseline", "iss-6-soyuz",
                       "--trials", "100000", "--out", str(plot), "--json")
    assert code == 0
    data = json.loads(out)
    assert [r["architecture"] for r in data["results"]] == ["iss-6-soyuz", "iss-6-soyuz-dragon"]
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    diff = data["differences"]["iss-6-soyuz-dragon"]
    assert METRICS <= set(diff)
    a, b = (r["metrics"] for r in data["results"])
    for name in METRICS:
        assert math.isclose(diff[name]["mean"], b[name]["mean"] - a[name]["mean"], rel_tol=1e-9, abs_tol=1e-12)
        assert diff[name]["p_improvement"] is None or 0.0 <= diff[name]["p_improvement"] <= 1.0
    # A partner's vehicle keeps the six-person station crewed far more of the time.
    assert diff["decrewed_days"]["mean"] < -50 and diff["decrewed_days"]["p_improvement"] > 0.99
    # Common random numbers: the Soyuz slot, the hazards and the medical events draw the same
    # numbers in both architectures, so the paired error of a difference is well below the
    # errors of the two estimates combined as if independent.
    for name in ("people_lost", "cost_musd", "loc_per_person_mission"):
        unpaired = math.hypot(a[name]["mc_se"], b[name]["mc_se"])
        assert diff[name]["mc_se"] < 0.7 * unpaired, name


def test_compare_old_plot_option_and_bad_baseline(cli, tmp_path):
    plot = tmp_path / "old.png"
    code, _, _ = cli("compare", "textbook", "iss-us-only", "--trials", "20000", "--plot", str(plot))
    assert code == 0 and plot.is_file()
    code, out, err = cli("compare", "textbook", "iss-us-only", "--baseline", "nope", "--trials", "1000")
    assert code == 2 and out == "" and "--baseline" in err and "nope" in err


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


def test_two_level_json_has_bands_and_p_improvement(cli):
    code, out, _ = cli("compare", "iss-7-dragon", "iss-7-dragon-soyuz", "--baseline", "iss-7-dragon",
                       "--trials", "2000", "--uncertainty", "8", "--workers", "2", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["uncertainty_draws"] == 8 and data["p_improvement_basis"] == "input_draws"
    for r in data["results"]:
        assert {"mean", "mc_se", "p05", "p50", "p95"} <= set(r["metrics"]["loc_per_person_mission"])
    d = data["differences"]["iss-7-dragon-soyuz"]["loc_per_person_mission"]
    assert {"mean", "mc_se", "p05", "p50", "p95", "p_improvement"} <= set(d)
    code, out, _ = cli("risk", "iss-7-dragon", "--trials", "2000", "--uncertainty", "4")
    assert code == 0 and "5 % – 95 %" in out


def test_importance_command(cli):
    code, out, _ = cli("importance", "iss-us-only", "--trials", "20000", "--json")
    assert code == 0
    data = json.loads(out)
    events = {e["field"]: e for e in data["events"]}
    assert "providers.dragon.ascent_failure" in events
    # A certain failure can only raise the risk, an impossible one only lower it.
    assert all(e["raw"] >= 1.0 and e["rrw"] >= 1.0 for e in data["events"])
    code, _, err = cli("importance", "iss-us-only", "--metric", "crew_days")
    assert code == 2 and "--metric" in err


def test_runaway_and_bad_distribution_files_exit_2(cli, tmp_path):
    from lifeboat.risk.model import ARCHITECTURE_DIR

    text = (ARCHITECTURE_DIR / "iss-7-dragon.toml").read_text(encoding="utf-8")
    for old, new, where in (
        ("alpha = 1.5\nbeta = 471.5", "alpha = 0.0\nbeta = 471.5", "uncertain.falcon9_ascent.alpha"),
        ('"@dragon_entry"', '"@dragon_entyr"', "providers.dragon.nominal_return_failure"),
        ("rotation_interval_days = 180.0", "rotation_interval_days = -180.0", "providers.dragon.rotation_interval_days"),
    ):
        path = tmp_path / "bad.toml"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")
        code, out, err = cli("risk", str(path), "--trials", "1000")
        assert code == 2 and out == "", where
        assert str(path) in err and where in err, err
        assert "Traceback" not in err and len(err.strip().splitlines()) <= 3
