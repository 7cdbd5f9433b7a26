"""`lifeboat history list|replay` end to end with --json."""

import json

from typer.testing import CliRunner

from lifeboat.cli.app import app

runner = CliRunner()


def test_history_list_json():
    result = runner.invoke(app, ["history", "list", "--json"])
    assert result.exit_code == 0, result.output
    ids = [item["id"] for item in json.loads(result.stdout)]
    assert ids == sorted(["ms-09-leak", "ms-10-abort", "ms-22-coolant", "starliner-cft", "columbia",
                          "mir-1997", "shenzhou-20-window", "crew-11-medical"])


def test_history_replay_json_has_matching_keys():
    result = runner.invoke(app, ["history", "replay", "ms-22-coolant", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data["computed"]) == set(data["recorded"]) == set(data["differences"])
    # Durations are plain numbers of days; times are ISO 8601 UTC with Z.
    assert isinstance(data["computed"]["days_without_nominal_lifeboat"], float)
    assert data["recorded"]["replacement_dock_utc"] == "2023-02-26T00:58:00Z"
    assert data["computed"]["replacement_dock_utc"].endswith("Z")
    diff = data["differences"]["days_without_nominal_lifeboat"]
    assert set(diff) >= {"computed", "recorded", "delta", "explanation", "within_tolerance"}
    assert abs(diff["delta"] - (diff["computed"] - diff["recorded"])) < 1e-9
    assert data["timeline"] and data["sources"]


def test_history_replay_readable():
    result = runner.invoke(app, ["history", "replay", "columbia"])
    assert result.exit_code == 0, result.output
    assert "vehicle_unavailable_days" in result.output


def test_history_unknown_id_is_one_clear_error():
    result = runner.invoke(app, ["history", "replay", "apollo-13"])
    assert result.exit_code == 2
    assert "apollo-13" in result.output and "ms-22-coolant" in result.output
    assert "Traceback" not in result.output


def test_history_replay_shows_a_recorded_bound_as_a_bound(monkeypatch):
    """MS-09: the record gives only 'at least 740 mmHg' after the repair, so the
    difference is a bound, not a ±0 tolerance."""
    data = json.loads(runner.invoke(app, ["history", "replay", "ms-09-leak", "--json"]).stdout)
    bound = data["differences"]["pressure_after_event_mmhg"]
    assert bound["comparison"] == "at-least" and bound["recorded"] == 740.0
    assert bound["within_tolerance"] == (bound["computed"] >= 740.0)
    assert data["differences"]["leak_rate_mmhg_per_h"]["comparison"] == "value"
    from lifeboat.cli import common

    monkeypatch.setattr(common.console, "width", 200)  # the console is made once, at import
    result = runner.invoke(app, ["history", "replay", "ms-09-leak"])
    assert result.exit_code == 0, result.output
    assert "≥ recorded" in result.output and "±0)" not in result.output
