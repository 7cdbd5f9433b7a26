"""Property-based checks (hypothesis): arbitrary bytes as every file type, arbitrary numbers for
the API's numeric parameters. The only outcomes allowed are a result with finite numbers or an
InputError naming the file or the parameter."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lifeboat import api
from lifeboat.errors import InputError
from lifeboat.jsonable import to_jsonable

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
ROOT = Path(__file__).resolve().parents[2]
TELEMETRY_HEAD = (ROOT / "examples" / "ms-09-like-telemetry.csv").read_text().splitlines()[:60]


def _finite(value) -> bool:
    data = to_jsonable(value)
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, float) and not math.isfinite(item):
            return False
    return True


def _reader(kind: str):
    from lifeboat import catalog
    from lifeboat.cabin.fit import read_telemetry
    from lifeboat.fileio import read_toml
    from lifeboat.model.scenario import load_scenario
    from lifeboat.orbits.elements import orbit_from_file
    from lifeboat.risk.model import load_architecture

    def overlay(path):
        catalog.use_overlays([path])
        try:
            return catalog.load_catalog()
        finally:
            catalog.use_overlays(None)

    return {
        "toml": read_toml, "scenario": load_scenario, "architecture": load_architecture,
        "telemetry": read_telemetry, "overlay": overlay,
        "tle": lambda p: orbit_from_file(p, max_age_days=1e9),
    }[kind]


texts = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=400).map(lambda t: t.encode("utf-8")),
    st.lists(st.sampled_from(["[[site]]", "id = 'x'", "a = [", "]", "{", "= 1", "\ufeff", "nan",
                              "inf", "utc,pressure_mmhg", "2018-08-29T13:00:00Z,760", "1 25544U",
                              "2 25544", "\x00", "\r\n", '[{"NORAD_CAT_ID": "25544",', '"EPOCH": null}',
                              "<omm><body>", "<MEAN_MOTION>nan</MEAN_MOTION>", "NORAD_CAT_ID,EPOCH,BSTAR",
                              "25544,2018-12-02T07:51:07,1e999"]), max_size=30)
    .map(lambda parts: "\n".join(parts).encode("utf-8")),
)


@pytest.mark.parametrize("kind", ["toml", "scenario", "architecture", "telemetry", "overlay", "tle"])
@SETTINGS
@given(data=texts)
def test_arbitrary_bytes_are_read_or_refused_naming_the_file(kind, data, tmp_path):
    path = tmp_path / f"input.{kind}"
    path.write_bytes(data)
    try:
        _reader(kind)(str(path))
    except InputError as exc:
        assert str(path) in str(exc) or exc.source, exc


@SETTINGS
@given(row=st.integers(1, 59), value=st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(repr), st.text(max_size=12)))
def test_telemetry_with_one_odd_reading(row, value, tmp_path):
    lines = list(TELEMETRY_HEAD)
    stamp = lines[row].split(",")[0]
    lines[row] = f"{stamp},{value}"
    path = tmp_path / "t.csv"
    path.write_text("\n".join(lines) + "\n")
    try:
        result = api.fit(path, volume_m3=916.0)
    except InputError as exc:
        assert "t.csv" in str(exc)
    else:
        assert _finite(result)


numbers = st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                    st.floats(min_value=-1e6, max_value=1e6), st.integers(-10, 10**12))


@SETTINGS
@given(hole_mm=numbers, cd=numbers, limit_mmhg=numbers)
def test_leak_numbers(hole_mm, cd, limit_mmhg):
    try:
        result = api.leak(station="iss", hole_mm=hole_mm, cd=cd, limit_mmhg=limit_mmhg)
    except InputError as exc:
        assert exc.param in ("hole_mm", "cd", "limit_mmhg"), exc
    else:
        assert _finite(result)


@SETTINGS
@given(failure_time=numbers, azimuth=st.one_of(st.none(), numbers))
def test_abort_numbers(failure_time, azimuth):
    try:
        result = api.abort("soyuz-fg", failure_time=failure_time, azimuth=azimuth)
    except InputError as exc:
        assert exc.param in ("failure_time", "azimuth"), exc
    else:
        assert _finite(result)


@SETTINGS
@given(text=st.one_of(st.text(max_size=40), st.datetimes().map(lambda d: d.isoformat()),
                      st.sampled_from(["now", "NOW ", "2018-12-01T00:00:00+14:00",
                                       "0001-01-01T00:00:00+05:00", "9999-12-31T23:59:59-01:00"])))
def test_times_parse_or_are_refused(text):
    from lifeboat.timeutil import parse_utc

    try:
        value = parse_utc(text, source="--time")
    except InputError as exc:
        assert exc.source == "--time"
    else:
        assert value.tzinfo is not None and 1900 <= value.year < 2200
