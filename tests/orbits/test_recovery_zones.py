"""The catalog's Soyuz recovery zones, derived from recorded landings and judged on later ones.

``tests/data/soyuz_landing_points.toml`` holds recorded Soyuz touchdown points with their public
sources, grouped by the landing area the sources name. Each area's zone is derived from its
``fit`` (earlier) landings only: the box, in a local east/north frame about their mean point,
that holds every fit landing plus the Soyuz landing accuracy on each side. The catalog must hold
exactly that box (so the zone names the data it was fitted to), and the ``held_out`` (later)
landings, never used in the derivation, must fall inside it (docs/orbits.md, "Soyuz landing
areas", has the figures).
"""

from __future__ import annotations

import dataclasses
import math
import re
import tomllib
from datetime import date
from functools import cache
from pathlib import Path

import numpy as np
import pytest

from lifeboat.catalog import load_catalog
from lifeboat.orbits.geo import EARTH_MEAN_RADIUS_KM, great_circle_distance_km, point_in_polygon

DATA = Path(__file__).resolve().parents[1] / "data" / "soyuz_landing_points.toml"

# Soyuz landing accuracy, ~28 km (RussianSpaceWeb, Soyuz landing:
# https://russianspaceweb.com./soyuz-landing.html): the day's aim point is met to about this.
LANDING_ACCURACY_KM = 28.0

# Catalog zone derived from each landing area of the dataset.
ZONE_OF_AREA = {
    "zhezkazgan-se": "soyuz-area-zhezkazgan-se",
    "arkalyk": "soyuz-area-arkalyk",
    "zhezkazgan-ne": "soyuz-area-zhezkazgan-ne",
    "ballistic-arkalyk": "soyuz-area-ballistic-arkalyk",
}
_KM_PER_DEG = math.radians(1.0) * EARTH_MEAN_RADIUS_KM


@dataclasses.dataclass(frozen=True)
class Landing:
    id: str
    area: str
    landing_date: date
    split: str
    published: str
    latitude_deg: float
    longitude_deg: float
    sources: tuple[dict, ...]


@cache
def _landings() -> tuple[Landing, ...]:
    rows = tomllib.loads(DATA.read_text(encoding="utf-8"))["landing"]
    return tuple(Landing(**{**r, "sources": tuple(r["sources"])}) for r in rows)


def derive_zone(points: list[tuple[float, float]], margin_km: float = LANDING_ACCURACY_KM):
    """Box (ring of [lat_deg, lon_deg], rounded to 0.001 deg) holding ``points`` plus ``margin_km``.

    The box is axis-aligned in a local east/north frame about the points' mean (equirectangular;
    exact enough for areas ~100 km across), so it is a latitude/longitude rectangle.
    """
    lat = np.array([p[0] for p in points])
    lon = np.array([p[1] for p in points])
    lat0, lon0 = float(lat.mean()), float(lon.mean())
    coslat = math.cos(math.radians(lat0))
    half_east_km = float(np.max(np.abs(lon - lon0))) * _KM_PER_DEG * coslat + margin_km
    half_north_km = float(np.max(np.abs(lat - lat0))) * _KM_PER_DEG + margin_km
    dlat = half_north_km / _KM_PER_DEG
    dlon = half_east_km / (_KM_PER_DEG * coslat)
    n, s = round(lat0 + dlat, 3), round(lat0 - dlat, 3)
    w, e = round(lon0 - dlon, 3), round(lon0 + dlon, 3)
    return [[n, w], [n, e], [s, e], [s, w]]


def _fit_zone(area: str, landings=None):
    rows = _landings() if landings is None else landings
    return derive_zone([(r.latitude_deg, r.longitude_deg) for r in rows if r.area == area and r.split == "fit"])


def _parse_published(text: str) -> tuple[float, float]:
    values = []
    for part in text.split(","):
        m = re.fullmatch(r"\s*(\d+)°(?:(\d+)')?(?:([\d.]+)\")?\s*([NSEW])\s*", part)
        assert m, text
        deg = float(m[1]) + float(m[2] or 0) / 60 + float(m[3] or 0) / 3600
        values.append(-deg if m[4] in "SW" else deg)
    return values[0], values[1]


@pytest.mark.parametrize("row", _landings(), ids=lambda r: r.id)
def test_rows_are_sourced_and_transcribed(row):
    assert row.area in ZONE_OF_AREA and row.split in ("fit", "held_out")
    assert row.sources and all(s["title"] and s["url"].startswith("http") for s in row.sources)
    lat, lon = _parse_published(row.published)
    assert (row.latitude_deg, row.longitude_deg) == pytest.approx((lat, lon), abs=1e-4)


@pytest.mark.parametrize("area", sorted(ZONE_OF_AREA))
def test_split_is_chronological(area):
    rows = [r for r in _landings() if r.area == area]
    fit = [r.landing_date for r in rows if r.split == "fit"]
    held = [r.landing_date for r in rows if r.split == "held_out"]
    assert fit, area
    assert not held or max(fit) < min(held), area


@pytest.mark.parametrize("area, zone_id", sorted(ZONE_OF_AREA.items()))
def test_catalog_zone_is_the_fit_of_the_fit_landings(area, zone_id):
    zone = load_catalog().zone(zone_id)
    assert zone.confidence == "derived"
    assert [list(p) for p in zone.polygon] == _fit_zone(area)


@pytest.mark.parametrize("row", [r for r in _landings() if r.split == "held_out"], ids=lambda r: r.id)
def test_held_out_landing_falls_in_the_zone_derived_without_it(row):
    cat = load_catalog()
    inside = {
        zone_id
        for zone_id in ZONE_OF_AREA.values()
        if point_in_polygon(row.latitude_deg, row.longitude_deg, cat.zone(zone_id).polygon)
    }
    assert inside == {ZONE_OF_AREA[row.area]}, (row.id, inside)


def test_derivation_does_not_use_the_held_out_landings():
    moved = tuple(
        dataclasses.replace(r, latitude_deg=r.latitude_deg + 3.0) if r.split == "held_out" else r
        for r in _landings()
    )
    for area in ZONE_OF_AREA:
        assert _fit_zone(area, moved) == _fit_zone(area)
    # ... while moving a fit landing moves the zone.
    first_fit = next(i for i, r in enumerate(moved) if r.split == "fit")
    shifted = list(moved)
    shifted[first_fit] = dataclasses.replace(moved[first_fit], latitude_deg=moved[first_fit].latitude_deg + 0.5)
    assert _fit_zone(moved[first_fit].area, shifted) != _fit_zone(moved[first_fit].area)


def test_search_aim_point_lies_in_the_recorded_area():
    aim = load_catalog().zone("soyuz-kazakhstan").aim_deg
    assert point_in_polygon(*aim, load_catalog().zone("soyuz-area-zhezkazgan-se").polygon)


def test_every_recovery_response_has_its_measure_sources_and_confidence():
    for zone in load_catalog().recovery_zones.values():
        if zone.recovery_response_s is None:
            assert zone.recovery_response_confidence is None and not zone.recovery_response_sources
        else:
            assert zone.recovery_response_confidence is not None, zone.id
            assert zone.recovery_response_sources and all(s.url for s in zone.recovery_response_sources)
            assert "crew" in zone.recovery_response_measure, zone.id


def held_out_figures() -> list[dict]:
    """Per area: held-out landings inside their zone, and their distance to the fit mean point."""
    cat = load_catalog()
    out = []
    for area, zone_id in ZONE_OF_AREA.items():
        rows = [r for r in _landings() if r.area == area]
        fit = [r for r in rows if r.split == "fit"]
        held = [r for r in rows if r.split == "held_out"]
        lat0 = float(np.mean([r.latitude_deg for r in fit]))
        lon0 = float(np.mean([r.longitude_deg for r in fit]))
        dist = [float(great_circle_distance_km(r.latitude_deg, r.longitude_deg, lat0, lon0)) for r in held]
        inside = sum(bool(point_in_polygon(r.latitude_deg, r.longitude_deg, cat.zone(zone_id).polygon)) for r in held)
        out.append({"area": area, "zone": zone_id, "fit": len(fit), "held_out": len(held), "inside": inside,
                    "median_km": float(np.median(dist)) if dist else None, "worst_km": max(dist, default=None)})
    return out


# Recorded landings outside the (assumed, wider) landing-search box of their area, and why.
_OUTSIDE_SEARCH_BOX = {"soyuz-tma-18": "landed ~25 km south of Arkalyk, south of the box north-east of it"}
_SEARCH_ZONE_OF_AREA = {"zhezkazgan-se": "soyuz-kazakhstan", "arkalyk": "soyuz-arkalyk"}


@pytest.mark.parametrize("row", [r for r in _landings() if r.area in _SEARCH_ZONE_OF_AREA], ids=lambda r: r.id)
def test_search_box_covers_the_recorded_landings_of_its_area(row):
    zone = load_catalog().zone(_SEARCH_ZONE_OF_AREA[row.area])
    inside = bool(point_in_polygon(row.latitude_deg, row.longitude_deg, zone.polygon))
    assert inside is (row.id not in _OUTSIDE_SEARCH_BOX), row.id


if __name__ == "__main__":  # the figures of docs/orbits.md, "Soyuz landing areas"
    for f in held_out_figures():
        dist = "-" if f["median_km"] is None else f"{f['median_km']:.1f} / {f['worst_km']:.1f} km"
        print(f"{f['zone']:32s} fit {f['fit']}  held out {f['held_out']}  inside {f['inside']}  "
              f"from fit mean (median / worst) {dist}")
