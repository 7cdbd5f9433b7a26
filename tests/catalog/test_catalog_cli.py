"""``lifeboat catalog list|show`` end to end (typer CliRunner on the real app)."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from lifeboat.catalog import KINDS
from lifeboat.cli.app import app


@pytest.fixture(scope="module")
def run():
    runner = CliRunner()

    def invoke(*args):
        result = runner.invoke(app, list(args))
        return result.exit_code, result.stdout, result.stderr

    return invoke


def test_list_json_has_every_kind_with_sourced_records(run):
    code, out, _ = run("catalog", "list", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == set(KINDS)
    assert "soyuz-ms" in {v["id"] for v in data["vehicles"]}
    for records in data.values():
        for record in records:
            assert record["sources"] and record["confidence"]


def test_list_one_kind_by_alias(run):
    code, out, _ = run("catalog", "list", "zones", "--json")
    assert code == 0
    assert set(json.loads(out)) == {"recovery_zones"}


def test_show_soyuz_ms_json(run):
    code, out, _ = run("catalog", "show", "soyuz-ms", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["kind"] == "vehicles"
    record = data["record"]
    assert record["id"] == "soyuz-ms" and record["seats"] == 3
    assert [s["name"] for s in record["rendezvous"]] == ["2-orbit", "4-orbit", "2-day"]
    assert record["deorbit"]["delta_v_m_s"] == 128.0  # MS-11: CSA, David Saint-Jacques returns to Earth
    assert all(s["sources"] for s in record["rendezvous"])


def test_show_station_with_kind(run):
    code, out, _ = run("catalog", "show", "iss", "--kind", "stations", "--json")
    assert code == 0
    assert [c["id"] for c in json.loads(out)["record"]["configurations"]] == ["2018-12", "2024"]


def test_tables_and_record_print(run):
    code, out, _ = run("catalog", "list")
    assert code == 0 and "soyuz-ms" in out and "baikonur" in out
    code, out, _ = run("catalog", "show", "baikonur")
    assert code == 0 and "sources" in out and "KeepTrack" in out


@pytest.mark.parametrize("args, words", [
    (("catalog", "show", "soyuz"), ["unknown catalog id 'soyuz'", "soyuz-ms"]),
    (("catalog", "show", "crew-dragn", "--kind", "vehicles"), ["unknown vehicle id", "crew-dragon"]),
    (("catalog", "show", "soyuz-ms", "--kind", "sites"), ["unknown site id"]),
    (("catalog", "show", "iss", "--kind", "planets"), ["--kind", "unknown kind 'planets'"]),
    (("catalog", "list", "rockets"), ["KIND", "unknown kind 'rockets'"]),
])
def test_bad_input_gives_one_message_and_exit_2(run, args, words):
    code, out, err = run(*args)
    assert code == 2
    assert "Traceback" not in out + err
    message = " ".join(err.split())
    assert len(err.strip().splitlines()) <= 3
    for word in words:
        assert word in message, (word, message)


def test_find_record_asks_for_kind_when_an_id_is_shared():
    from dataclasses import replace

    from lifeboat.catalog import load_catalog
    from lifeboat.cli.catalog import find_record
    from lifeboat.errors import InputError

    cat = load_catalog()
    twin = cat.sites["baikonur"].model_copy(update={"id": "soyuz-ms"})
    mixed = replace(cat, sites={**cat.sites, "soyuz-ms": twin})
    with pytest.raises(InputError, match="several kinds"):
        find_record(mixed, "soyuz-ms")
    assert find_record(mixed, "soyuz-ms", "vehicles")[0] == "vehicles"
