"""Integrity of the built-in catalog: provenance, ranges, references, polygons, required ids.

The checks re-read the TOML files directly where that makes them independent of the loader.
"""

from __future__ import annotations

import tomllib
from importlib import resources

import pytest
from pydantic import BaseModel

from lifeboat.catalog import KINDS, load_catalog
from lifeboat.catalog.models import Source

CONFIDENCES = {"high", "medium", "low", "derived", "assumption"}

# Ids that scenarios, architectures and tests rely on.
REQUIRED = {
    "sites": {"baikonur", "baikonur-31", "vostochny", "ksc-39a", "ksc-39b", "ccsfs-40", "ccsfs-41",
              "jiuquan", "wenchang", "sriharikota", "alcantara", "kourou", "tanegashima"},
    "launchers": {"soyuz-fg", "soyuz-2.1a", "falcon-9", "atlas-v-n22", "long-march-2f", "sls",
                  "lvm3", "angara-a5", "long-march-10"},
    "vehicles": {"soyuz-ms", "crew-dragon", "starliner", "shenzhou", "orion", "gaganyaan",
                 "mengzhou", "orel"},
    "stations": {"iss", "tiangong", "gateway"},
    "providers": {"roscosmos", "nasa", "spacex", "boeing", "cmsa", "isro"},
}


@pytest.fixture(scope="module")
def cat():
    return load_catalog()


def _raw(kind: str) -> list[dict]:
    file_name, array, _ = KINDS[kind]
    text = resources.files("lifeboat.catalog").joinpath("data", file_name).read_text("utf-8")
    return tomllib.loads(text)[array]


def _walk(model: BaseModel, path: str):
    """Yield (path, model) for a record and every nested record that carries sources."""
    fields = type(model).model_fields
    if "sources" in fields:
        yield path, model
    for name in fields:
        value = getattr(model, name)
        for i, item in enumerate(value if isinstance(value, list) else [value]):
            if isinstance(item, BaseModel) and not isinstance(item, Source):
                yield from _walk(item, f"{path}.{name}[{i}]")


def _all_records(cat):
    for kind in KINDS:
        yield from getattr(cat, kind).items()


@pytest.mark.parametrize("kind", list(REQUIRED))
def test_required_ids_exist(cat, kind):
    assert REQUIRED[kind] <= set(getattr(cat, kind)), REQUIRED[kind] - set(getattr(cat, kind))


@pytest.mark.parametrize("kind", list(KINDS))
def test_ids_are_unique_in_each_file(kind):
    ids = [item["id"] for item in _raw(kind)]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)


def test_every_record_and_nested_record_has_a_titled_source_and_a_valid_confidence(cat):
    checked = 0
    for record_id, record in _all_records(cat):
        for path, model in _walk(record, record_id):
            assert model.sources, path
            assert all(s.title.strip() for s in model.sources), path
            assert model.confidence in CONFIDENCES, path
            checked += 1
    assert checked > 100  # records plus schemes, deorbit profiles and modules


def test_assumed_or_derived_records_explain_themselves(cat):
    for record_id, record in _all_records(cat):
        if record.confidence in ("assumption", "derived"):
            assert len(record.notes) > 40, record_id


def test_coordinates_and_azimuths_in_range(cat):
    for site in cat.sites.values():
        assert -90 <= site.latitude_deg <= 90 and -180 <= site.longitude_deg <= 180, site.id
        for lo, hi in site.azimuth_ranges_deg:
            assert 0 <= lo <= hi <= 360, site.id
    for zone in cat.recovery_zones.values():
        for lat, lon in zone.polygon:
            assert -90 <= lat <= 90 and -180 <= lon <= 180, zone.id


def test_all_references_resolve(cat):
    """A second, independent pass over the references the loader also checks."""
    for site in cat.sites.values():
        assert set(site.launchers) <= set(cat.launchers), site.id
    for v in cat.vehicles.values():
        assert set(v.launchers) <= set(cat.launchers), v.id
        assert set(v.sites) <= set(cat.sites), v.id
        assert set(v.recovery_zones) <= set(cat.recovery_zones), v.id
        assert v.provider in cat.providers, v.id
        assert v.id in cat.providers[v.provider].vehicles, v.id
    for st in cat.stations.values():
        assert set(st.vehicles) <= set(cat.vehicles), st.id
    for z in cat.recovery_zones.values():
        assert set(z.vehicles) <= set(cat.vehicles), z.id
        for vid in z.vehicles:
            assert z.id in cat.vehicles[vid].recovery_zones, (z.id, vid)
    for p in cat.providers.values():
        assert set(p.vehicles) <= set(cat.vehicles) and set(p.launchers) <= set(cat.launchers)


def test_each_vehicle_site_offers_one_of_its_launchers(cat):
    for v in cat.vehicles.values():
        for site_id in v.sites:
            assert set(cat.sites[site_id].launchers) & set(v.launchers), (v.id, site_id)
        assert v.seats <= v.seats_max, v.id


def _segments_cross(p1, p2, p3, p4) -> bool:
    def orient(a, b, c):
        value = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])
        return (value > 0) - (value < 0)

    return (orient(p1, p2, p3) * orient(p1, p2, p4) < 0
            and orient(p3, p4, p1) * orient(p3, p4, p2) < 0)


def _point_in_polygon(lat, lon, ring) -> bool:
    inside = False
    for (y1, x1), (y2, x2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def test_polygons_are_simple_rings(cat):
    for zone in cat.recovery_zones.values():
        ring = list(zone.polygon)
        assert len(ring) >= 3 and len(set(ring)) == len(ring), zone.id
        edges = list(zip(ring, ring[1:] + ring[:1], strict=True))
        for i, (a, b) in enumerate(edges):
            for j, (c, d) in enumerate(edges):
                if abs(i - j) > 1 and {i, j} != {0, len(edges) - 1}:
                    assert not _segments_cross(a, b, c, d), (zone.id, i, j)


@pytest.mark.parametrize("zone_id, lat, lon, why", [
    # The Soyuz zones are checked against recorded landings in tests/orbits/test_recovery_zones.py.
    ("dongfeng", 41.1, 100.3, "Dongfeng site (China Daily, catalog zone sources)"),
    ("siziwang", 41.53, 111.68, "Siziwang Banner (China Daily, catalog zone sources)"),
])
def test_zones_contain_their_sourced_points(cat, zone_id, lat, lon, why):
    assert _point_in_polygon(lat, lon, list(cat.recovery_zones[zone_id].polygon)), why


def test_zone_mode_matches_vehicle_landing_mode(cat):
    for z in cat.recovery_zones.values():
        for vid in z.vehicles:
            expected = "land" if cat.vehicles[vid].landing_mode == "land" else "sea"
            assert z.mode == expected, (z.id, vid)


def test_only_orion_is_cislunar_capable(cat):
    assert {v.id for v in cat.vehicles.values() if v.cislunar_capable} == {"orion"}
