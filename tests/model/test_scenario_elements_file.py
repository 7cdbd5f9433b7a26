"""A scenario names an element-set file next to it: ``[station] elements_file``."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from lifeboat.catalog import load_catalog
from lifeboat.errors import InputError
from lifeboat.model.scenario import load_scenario
from lifeboat.orbits.station import StationOrbit
from lifeboat.rescue.assess import preflight
from lifeboat.rescue.services import Services
from lifeboat.timeutil import datetime_to_jd

ROOT = Path(__file__).resolve().parents[2]
OMM = ROOT / "examples" / "iss-2018-12-02.omm.json"
SCENARIO = ROOT / "src" / "lifeboat" / "scenarios" / "iss-2018-12.toml"
# The same element set as the OMM example, in its TLE form (CelesTrak serves both).
ISS_TLE = ("1 25544U 98067A   18336.32716814  .00001474  00000-0  29615-4 0  9996",
           "2 25544  51.6401 260.8120 0005200 105.4624 347.8845 15.54045418144664")
ONSET = datetime(2018, 12, 2, 12, 0, tzinfo=UTC)  # the scenario's epoch


def _scenario(folder: Path, station_keys: str, *, copy_elements: bool = True) -> Path:
    """The shipped 2 December 2018 ISS scenario with extra ``[station]`` keys, in ``folder``."""
    if copy_elements:
        (folder / "data").mkdir()
        shutil.copy(OMM, folder / "data" / "iss.omm.json")
    text = SCENARIO.read_text(encoding="utf-8")
    text = text.replace('[station]\nid = "iss"\n', '[station]\nid = "iss"\n' + station_keys, 1)
    assert station_keys in text
    path = folder / "scenario.toml"
    path.write_text(text, encoding="utf-8")
    return path


def _checksum(line: str) -> str:
    return line[:68] + str(sum(int(c) if c.isdigit() else c == "-" for c in line[:68]) % 10)


def test_the_orbit_comes_from_the_file_next_to_the_scenario(tmp_path, monkeypatch):
    path = _scenario(tmp_path, 'elements_file = "data/iss.omm.json"\nsatellite = "ISS (ZARYA)"\n')
    # The catalog's ISS elements are this very set: turn the file's node 10 degrees east, so an
    # orbit taken from the catalog instead of the file cannot pass.
    elements = tmp_path / "data" / "iss.omm.json"
    text = elements.read_text(encoding="utf-8")
    assert '"RA_OF_ASC_NODE": 260.812,' in text
    elements.write_text(text.replace('"RA_OF_ASC_NODE": 260.812,', '"RA_OF_ASC_NODE": 270.812,'),
                        encoding="utf-8")
    monkeypatch.chdir(ROOT)  # relative to the scenario file, not to the working directory
    scenario = load_scenario(path)
    assert scenario.elements_path() == tmp_path / "data" / "iss.omm.json"
    assert "station orbit at the onset" in preflight(scenario)

    orbit = Services(load_catalog()).orbit(scenario, ONSET)  # what assess propagates
    assert orbit.epoch_utc.replace(microsecond=0) == datetime(2018, 12, 2, 7, 51, 7, tzinfo=UTC)
    turned = StationOrbit.from_tle(ISS_TLE[0], _checksum(ISS_TLE[1].replace(" 260.8120 ", " 270.8120 ")),
                                   name="ISS (ZARYA)", reference_utc=ONSET)
    catalog = StationOrbit.from_tle(*ISS_TLE, name="ISS (ZARYA)", reference_utc=ONSET)
    jd = datetime_to_jd(ONSET) + np.linspace(0.0, 2.0, 9)
    r_file = orbit.state_teme(jd)[0]
    # The TLE rounds the OMM's fields (B* to 5 digits): the same orbit to well under 1 km.
    assert np.max(np.linalg.norm(r_file - turned.state_teme(jd)[0], axis=1)) < 1.0
    assert np.min(np.linalg.norm(r_file - catalog.state_teme(jd)[0], axis=1)) > 500.0


def test_satellite_by_catalog_number(tmp_path):
    scenario = load_scenario(_scenario(tmp_path, 'elements_file = "data/iss.omm.json"\nsatellite = 25544\n'))
    assert scenario.station.satellite == "25544"
    preflight(scenario)


def test_unknown_satellite_names_the_scenario_field(tmp_path):
    path = _scenario(tmp_path, 'elements_file = "data/iss.omm.json"\nsatellite = "TIANHE"\n')
    with pytest.raises(InputError) as caught:
        preflight(load_scenario(path))
    assert caught.value.source == str(path) and caught.value.where == "station.satellite"
    assert "TIANHE" in caught.value.message


def test_missing_file_is_refused_on_load(tmp_path):
    path = _scenario(tmp_path, 'elements_file = "iss.omm.json"\n', copy_elements=False)
    with pytest.raises(InputError) as caught:
        load_scenario(path)
    assert caught.value.source == str(path) and caught.value.where == "station.elements_file"


def test_max_element_age_is_applied_at_the_onset(tmp_path):
    # The elements are 4.1 h old at the onset: accepted at 0.5 days, refused at 0.1 days.
    ok = _scenario(tmp_path, 'elements_file = "data/iss.omm.json"\nmax_element_age_days = 0.5\n')
    preflight(load_scenario(ok))
    stale = ok.read_text(encoding="utf-8").replace("max_element_age_days = 0.5",
                                                   "max_element_age_days = 0.1")
    ok.write_text(stale, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        preflight(load_scenario(ok))
    assert caught.value.where == "station.elements_file" and "stale" in caught.value.message


@pytest.mark.parametrize("keys, words", [
    ('elements_file = "data/iss.omm.json"\ntle = ["a", "b"]\n', "give one of"),
    ('satellite = "ISS (ZARYA)"\n', "satellite chooses"),
    ('max_element_age_days = 3.0\n', "max_element_age_days applies"),
    ('elements_file = "data/iss.omm.json"\nmax_element_age_days = inf\n', "less than or equal"),
])
def test_inconsistent_station_keys_are_refused(tmp_path, keys, words):
    with pytest.raises(InputError) as caught:
        load_scenario(_scenario(tmp_path, keys))
    assert words in str(caught.value)


def test_validate_from_the_command_line(tmp_path, cli):
    path = _scenario(tmp_path, 'elements_file = "data/iss.omm.json"\n')
    code, out, _ = cli("scenario", "validate", str(path))
    assert code == 0, out
    (tmp_path / "data" / "iss.omm.json").write_text("[{}]", encoding="utf-8")
    code, _, err = cli("scenario", "validate", str(path))
    assert code == 2 and "scenario.toml" in err and "station.elements_file" in err
