"""Element sets as users have them: TLE (2/3-line, many satellites) and CCSDS OMM JSON/XML/CSV,
field-by-field checks, and choosing one satellite."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest

from lifeboat.errors import InputError
from lifeboat.orbits.elements import orbit_from_file, parse_element_sets, select_element_set
from lifeboat.orbits.station import StationOrbit, tle_checksum

ROOT = Path(__file__).resolve().parents[2]
OMM_JSON = ROOT / "examples" / "iss-2018-12-02.omm.json"
ISS = ("1 25544U 98067A   18336.32716814  .00001474  00000-0  29615-4 0  9996",
       "2 25544  51.6401 260.8120 0005200 105.4624 347.8845 15.54045418144664")
# A second real element set (Tiangong, from the catalog) for multi-satellite files.
CSS = ("1 48274U 21035A   26150.44047303  .00029586  00000+0  35725-3 0  9999",
       "2 48274  41.4693  69.9411 0010599 308.7458  51.2433 15.60022969290394")


def _fields():
    return json.loads(OMM_JSON.read_text())[0]


def _positions(orbit, jd0):
    r, _ = orbit.state_teme(jd0 + np.array([0.0, 0.3, 1.7]))
    return r


def test_omm_json_example_is_the_same_orbit_as_its_tle():
    from_omm = orbit_from_file(OMM_JSON)
    from_tle = StationOrbit.from_tle(*ISS)
    assert from_omm.name == "ISS (ZARYA)"
    jd0 = from_tle.epoch_jd_utc
    assert np.max(np.abs(_positions(from_omm, jd0) - _positions(from_tle, jd0))) < 1e-3  # km


def _xml(fields: dict) -> str:
    meta = "".join(f"<{k}>{fields[k]}</{k}>" for k in ("OBJECT_NAME", "OBJECT_ID"))
    mean = "".join(f"<{k}>{fields[k]}</{k}>" for k in (
        "EPOCH", "MEAN_MOTION", "ECCENTRICITY", "INCLINATION", "RA_OF_ASC_NODE", "ARG_OF_PERICENTER",
        "MEAN_ANOMALY"))
    tle = "".join(f"<{k}>{fields[k]}</{k}>" for k in (
        "EPHEMERIS_TYPE", "CLASSIFICATION_TYPE", "NORAD_CAT_ID", "ELEMENT_SET_NO", "REV_AT_EPOCH", "BSTAR",
        "MEAN_MOTION_DOT", "MEAN_MOTION_DDOT"))
    return ('<?xml version="1.0" encoding="UTF-8"?><ndm><omm id="CCSDS_OMM_VERS" version="2.0"><body><segment>'
            f"<metadata>{meta}</metadata><data><meanElements>{mean}</meanElements>"
            f"<tleParameters>{tle}</tleParameters></data></segment></body></omm></ndm>")


def _csv(fields: dict) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(fields))
    writer.writeheader()
    writer.writerow(fields)
    return out.getvalue()


@pytest.mark.parametrize("fmt", ["xml", "csv"])
def test_omm_xml_and_csv_give_the_same_orbit(fmt, tmp_path):
    path = tmp_path / f"iss.{fmt}"
    path.write_text(_xml(_fields()) if fmt == "xml" else _csv(_fields()))
    orbit = orbit_from_file(path)
    jd0 = orbit.epoch_jd_utc
    assert np.max(np.abs(_positions(orbit, jd0) - _positions(StationOrbit.from_tle(*ISS), jd0))) < 1e-3


def test_multi_satellite_tle_file_chooses_by_name_or_number():
    text = "ISS (ZARYA)\n" + "\n".join(ISS) + "\nCSS (TIANHE)\n" + "\n".join(CSS) + "\n"
    sets = parse_element_sets(text, "stations.txt")
    assert [(s.name, s.catalog_number) for s in sets] == [("ISS (ZARYA)", 25544), ("CSS (TIANHE)", 48274)]
    assert select_element_set(sets, "48274").name == "CSS (TIANHE)"
    assert select_element_set(sets, "iss (zarya)").catalog_number == 25544
    assert select_element_set(sets, "TIANHE").catalog_number == 48274  # unique part of a name
    with pytest.raises(InputError, match="holds 2 element sets"):
        select_element_set(sets)
    with pytest.raises(InputError, match="no element set"):
        select_element_set(sets, "HUBBLE")
    with pytest.raises(InputError, match="matches 2"):
        select_element_set(sets, "(")


def _with_checksum(line: str) -> str:
    return line[:68] + str(tle_checksum(line[:68] + "0"))


@pytest.mark.parametrize(
    ("line2", "field"),
    [
        # The letter O for a zero counts 0 in the checksum as the digit did: the checksum holds.
        (ISS[1][:8] + " 51.64O1" + ISS[1][16:], "inclination"),
        (ISS[1][:26] + "00052 0" + ISS[1][33:], "eccentricity"),
        (ISS[1][:52] + "15.5404541B" + ISS[1][63:], "mean motion"),
    ],
)
def test_a_typo_that_keeps_the_checksum_is_refused(line2, field):
    with pytest.raises(InputError, match=field):
        StationOrbit.from_tle(ISS[0], _with_checksum(line2))


def test_typo_with_the_original_checksum_digit_still_valid_is_refused():
    typo = ISS[1][:8] + " 51.64O1" + ISS[1][16:]
    assert tle_checksum(typo) == int(typo[68])  # the checksum alone cannot see it
    with pytest.raises(InputError, match="inclination"):
        StationOrbit.from_tle(ISS[0], typo)


@pytest.mark.parametrize(
    ("key", "value", "needle"),
    [("ECCENTRICITY", "NaN", "outside"), ("INCLINATION", "abc", "not a number"), ("MEAN_MOTION", 0, "outside"),
     ("EPOCH", "yesterday", "ISO 8601"), ("NORAD_CAT_ID", "25544x", "whole number"), ("BSTAR", None, "lacks")],
)
def test_bad_omm_fields_are_refused_never_nan(key, value, needle, tmp_path):
    fields = _fields()
    fields[key] = value
    path = tmp_path / "bad.json"
    path.write_text(json.dumps([fields]))
    with pytest.raises(InputError, match=needle):
        orbit_from_file(path)


def test_stale_elements_refused_with_the_age_limit():
    with pytest.raises(InputError, match="stale"):
        orbit_from_file(OMM_JSON, reference_utc=datetime(2019, 1, 15, tzinfo=UTC), max_age_days=14.0)
    orbit_from_file(OMM_JSON, reference_utc=datetime(2019, 1, 15, tzinfo=UTC), max_age_days=60.0)


@pytest.mark.parametrize("text", ["", "hello\n", "1 25544U\n", "{not json", "<omm><x></omm>"])
def test_malformed_files_are_one_clear_error(text, tmp_path):
    path = tmp_path / "bad.txt"
    path.write_text(text)
    with pytest.raises(InputError):
        orbit_from_file(path)


def test_cli_satellite_option_on_a_multi_satellite_file(cli, tmp_path):
    path = tmp_path / "stations.txt"
    path.write_text("ISS (ZARYA)\n" + "\n".join(ISS) + "\nCSS (TIANHE)\n" + "\n".join(CSS) + "\n")
    base = ("windows", "--site", "baikonur", "--tle-file", path, "--time", "2018-12-02T00:00:00Z", "--days", "1")
    code, out, err = cli(*base, "--json")
    assert code == 2 and "--satellite" in err and "holds 2 element sets" in err
    code, out, _ = cli(*base, "--satellite", "25544", "--json")
    assert code == 0 and json.loads(out)["station"] == "ISS (ZARYA)"
