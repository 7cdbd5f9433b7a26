"""Bad scenario input: one clear message naming the file, the field and what was expected; exit 2."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from lifeboat.model.scenario import load_scenario, scenario_json_schema

BUILTIN = resources.files("lifeboat.scenarios").joinpath("iss-2018-12.toml").read_text("utf-8")


def _variant(old: str, new: str) -> str:
    assert old in BUILTIN, old
    return BUILTIN.replace(old, new, 1)


# (case name, file text, words the message must contain)
CASES = [
    ("malformed toml", BUILTIN.replace('title = "ISS', 'title = ISS', 1), ["malformed TOML", "line"]),
    ("unknown top-level key", _variant("epoch_utc =", "epoch_utx ="), ["epoch_utx", "unknown key"]),
    ("missing field", _variant('title = "ISS, 2 December 2018: Expedition 57 after the MS-10 abort"\n', ""),
     ["title", "missing"]),
    ("unknown station id", _variant('id = "iss"', 'id = "isss"'), ["station.id", "isss", "iss"]),
    ("unknown configuration", _variant('configuration = "2018-12"', 'configuration = "1999"'),
     ["station.configuration", "1999"]),
    ("out-of-range value", _variant("cd = 0.6", "cd = 1.5"), ["emergency.cd", "1.5"]),
    ("negative hole", _variant("hole_mm = 2.0", "hole_mm = -2.0"), ["emergency.hole_mm"]),
    ("bad time", _variant("epoch_utc = 2018-12-02T12:00:00Z", 'epoch_utc = "yesterday"'),
     ["epoch_utc", "yesterday"]),
    ("seat in a vehicle that is not docked", _variant('seat = "soyuz-ms-09:1"', 'seat = "soyuz-ms-11:1"'),
     ["crew[0].seat", "soyuz-ms-11"]),
    ("seat number beyond the vehicle", _variant('seat = "soyuz-ms-09:3"', 'seat = "soyuz-ms-09:4"'),
     ["crew[2].seat", "3 seat"]),
    ("two crew in one seat", _variant('seat = "soyuz-ms-09:2"', 'seat = "soyuz-ms-09:1"'),
     ["crew[1].seat", "already assigned"]),
    ("malformed seat", _variant('seat = "soyuz-ms-09:2"', 'seat = "soyuz-ms-09 seat 2"'),
     ["crew[1].seat", "pattern"]),
    ("unknown vehicle", _variant('vehicle = "soyuz-ms"\ndocked_utc', 'vehicle = "soyuz-tma"\ndocked_utc'),
     ["docked[0].vehicle", "soyuz-tma"]),
    ("unknown key in a table", _variant('agency = "esa"', 'agencey = "esa"'),
     ["crew[1].agencey", "unknown key"]),
    ("leak without a hole size", _variant("hole_mm = 2.0\n", ""), ["emergency", "hole_mm"]),
    ("unknown emergency kind", _variant('kind = "leak"', 'kind = "meteor"'), ["emergency.kind", "meteor"]),
    ("unknown health", _variant('health = "nominal"', 'health = "fine"'), ["docked[0].health", "fine"]),
    ("unknown provider", _variant('provider = "boeing"', 'provider = "boing"'),
     ["fleet[2].provider", "boing"]),
    ("unknown emergency module", _variant('module = "soyuz-ms-09-om"', 'module = "zvezdaa"'),
     ["emergency.module", "zvezdaa"]),
]


@pytest.mark.parametrize("name,text,words", CASES, ids=[c[0] for c in CASES])
def test_bad_scenario_gives_one_clear_message(cli, tmp_path, name, text, words):
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    code, out, err = cli("scenario", "validate", str(path))
    assert code == 2, (name, out, err)
    message = err.strip()
    assert "Traceback" not in out + err
    assert str(path) in " ".join(message.split()), message
    for word in words:
        assert word in message, (word, message)


def test_missing_file(cli, tmp_path):
    code, _, err = cli("scenario", "validate", str(tmp_path / "nowhere.toml"))
    assert code == 2 and "file not found" in err


def test_unknown_builtin_lists_the_builtins(cli):
    code, _, err = cli("scenario", "validate", "iss-2019")
    assert code == 2 and "iss-2018-12" in err


def test_builtin_scenario_validates_and_round_trips(cli, tmp_path):
    code, out, _ = cli("scenario", "show", "iss-2018-12")
    assert code == 0
    data = json.loads(out)
    assert [c["seat"] for c in data["crew"]] == ["soyuz-ms-09:1", "soyuz-ms-09:2", "soyuz-ms-09:3"]
    # The JSON dump is itself a valid scenario: write it as TOML-free JSON -> model -> equal.
    from lifeboat.model.scenario import Scenario

    again = Scenario.model_validate(data)
    assert again == load_scenario("iss-2018-12")


def test_schema_forbids_unknown_keys():
    schema = scenario_json_schema()
    assert schema["additionalProperties"] is False
    assert all(d.get("additionalProperties") is False for d in schema["$defs"].values()
               if d.get("type") == "object")
