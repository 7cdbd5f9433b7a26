"""Reachability matrix: sites × crew vehicles for the ISS and a hypothetical Tiangong-like orbit.

References: the plane-crossing count in closed form (two crossings per turn of the site relative
to the node, i.e. 2·(ω⊕ − Ω̇)/2π per day), the plane-change case (Baikonur cannot reach 41.5°,
588 m/s ±2 %), and the catalog's pads and launchers.
"""

from __future__ import annotations

import math
from datetime import UTC, datetime

import pytest

from lifeboat.orbits.reach import reachability
from lifeboat.orbits.station import StationOrbit

SIDEREAL_DAY_S = 86164.0905


@pytest.fixture(scope="module")
def iss_matrix():
    orbit = StationOrbit.from_catalog("iss")
    return orbit, reachability(orbit, start_utc=orbit.epoch_utc, days=10.0)


def _cell(matrix, site, vehicle):
    return next(c for c in matrix.cells if c.site == site and c.vehicle == vehicle)


def test_every_site_vehicle_pair_is_listed(iss_matrix):
    from lifeboat.catalog import load_catalog

    cat = load_catalog()
    _, matrix = iss_matrix
    assert len(matrix.cells) == len(cat.sites) * len(cat.vehicles)
    assert {s.site for s in matrix.sites} == set(cat.sites)


def test_crossing_rate_matches_closed_form(iss_matrix):
    orbit, matrix = iss_matrix
    # Relative to the node the site turns at ω⊕ − Ω̇: two crossings per relative turn.
    turns_per_day = (2 * math.pi / SIDEREAL_DAY_S * 86400 - math.radians(orbit.raan_rate_deg_per_day)) / (2 * math.pi)
    baikonur = next(s for s in matrix.sites if s.site == "baikonur")
    assert baikonur.plane_crossings_per_day == pytest.approx(2 * turns_per_day, abs=0.1 + 1 / matrix.days)
    # Only the north-east crossings are allowed from Baikonur (35–64°): about half.
    assert baikonur.allowed_crossings_per_day == pytest.approx(turns_per_day, abs=0.1 + 1 / matrix.days)


def test_iss_cells_and_reasons(iss_matrix):
    _, matrix = iss_matrix
    soyuz = _cell(matrix, "baikonur", "soyuz-ms")
    assert soyuz.reachable and soyuz.reason is None and soyuz.opportunities_per_day > 0.8
    assert 0 < soyuz.opportunities_with_scheme_per_day <= soyuz.opportunities_per_day
    assert _cell(matrix, "ksc-39a", "crew-dragon").reachable
    # Vostochny (51.87°) lies above the ISS plane (51.64°).
    orel = _cell(matrix, "vostochny", "orel")
    assert not orel.reachable and "latitude" in orel.reason
    # Jiuquan's south-east-only range cannot reach 51.6°.
    shenzhou = _cell(matrix, "jiuquan", "shenzhou")
    assert not shenzhou.reachable and "azimuth" in shenzhou.reason
    assert shenzhou.plane_change_delta_v_m_s > 0
    # A vehicle is never reachable from a site it does not fly from.
    dragon_baikonur = _cell(matrix, "baikonur", "crew-dragon")
    assert not dragon_baikonur.reachable and "not flown from this site" in dragon_baikonur.reason
    # A launcher that has not carried crew is reported as such.
    gaganyaan = _cell(matrix, "sriharikota", "gaganyaan")
    assert not gaganyaan.reachable and "crew" in gaganyaan.reason


def test_hypothetical_station_at_41_5_degrees():
    orbit = StationOrbit.hypothetical(41.5, 390.0, datetime(2025, 6, 1, tzinfo=UTC))
    matrix = reachability(orbit, start_utc=datetime(2025, 6, 1, tzinfo=UTC), days=5.0)
    baikonur = next(s for s in matrix.sites if s.site == "baikonur")
    assert not baikonur.reachable and "latitude" in baikonur.reason
    assert baikonur.plane_change_delta_v_m_s == pytest.approx(588.0, rel=0.02)  # 2 v sin(4.4°/2) at 7.66 km/s
    assert baikonur.plane_crossings_per_day == 0.0
    shenzhou = _cell(matrix, "jiuquan", "shenzhou")
    assert shenzhou.reachable and shenzhou.opportunities_per_day > 0.5


def test_equatorial_orbit_is_unreachable_from_every_pad_without_warnings():
    # tan 0 = 0: the crossing formula must not divide by it (no RuntimeWarning, no NaN).
    import warnings

    orbit = StationOrbit.hypothetical(0.0, 400.0, datetime(2026, 1, 1, tzinfo=UTC))
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        matrix = reachability(orbit, start_utc=orbit.epoch_utc, days=1.0)
    assert matrix.sites and all(not s.reachable for s in matrix.sites if abs(s.latitude_deg) > 0.5)
