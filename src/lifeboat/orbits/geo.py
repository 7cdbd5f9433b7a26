"""Spherical-Earth geometry on latitude/longitude in degrees: great circles and zone polygons.

Pure functions on floats or numpy arrays. Distances in km on a sphere of radius
``EARTH_MEAN_RADIUS_KM`` (IUGG mean radius; the spherical model is good to ~0.5 % in distance).
"""

from __future__ import annotations

import numpy as np

EARTH_MEAN_RADIUS_KM = 6371.0088


def great_circle_distance_km(lat1_deg, lon1_deg, lat2_deg, lon2_deg):
    """Great-circle distance (km) between two points (haversine formula)."""
    p1, p2 = np.radians(lat1_deg), np.radians(lat2_deg)
    dphi = p2 - p1
    dlam = np.radians(np.asarray(lon2_deg) - np.asarray(lon1_deg))
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlam / 2) ** 2
    return 2.0 * EARTH_MEAN_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def destination(lat_deg, lon_deg, azimuth_deg, distance_km):
    """Point reached from (lat, lon) along a great circle with initial azimuth (deg from north).

    Returns ``(lat_deg, lon_deg, azimuth_deg)`` where the last is the course at the destination.
    Longitude is wrapped to [-180, 180).
    """
    p1, l1, a1 = np.radians(lat_deg), np.radians(lon_deg), np.radians(azimuth_deg)
    c = np.asarray(distance_km) / EARTH_MEAN_RADIUS_KM
    p2 = np.arcsin(np.sin(p1) * np.cos(c) + np.cos(p1) * np.sin(c) * np.cos(a1))
    l2 = l1 + np.arctan2(np.sin(a1) * np.sin(c) * np.cos(p1), np.cos(c) - np.sin(p1) * np.sin(p2))
    # Course at the destination = reverse of the initial azimuth from the destination back, + 180°.
    back = np.arctan2(
        np.sin(l1 - l2) * np.cos(p1),
        np.cos(p2) * np.sin(p1) - np.sin(p2) * np.cos(p1) * np.cos(l1 - l2),
    )
    lon = (np.degrees(l2) + 180.0) % 360.0 - 180.0
    return np.degrees(p2), lon, (np.degrees(back) + 180.0) % 360.0


def point_in_polygon(lat_deg, lon_deg, polygon) -> np.ndarray:
    """Whether points lie inside a zone polygon given as a ring of (lat_deg, lon_deg) vertices.

    Even-odd ray casting with edges drawn as straight lines in (longitude, latitude); longitudes
    are unwrapped around the first vertex, so zones crossing the antimeridian work. Meant for
    zones much smaller than a hemisphere (recovery zones are a few hundred km across, where a
    straight lat/lon edge departs from the great-circle edge by a few km at most). Points on an
    edge may fall either way.
    """
    ring = np.asarray(polygon, float)
    vlat = ring[:, 0]
    ref = ring[0, 1]
    vlon = (ring[:, 1] - ref + 180.0) % 360.0 - 180.0
    lat = np.asarray(lat_deg, float)
    lon = (np.asarray(lon_deg, float) - ref + 180.0) % 360.0 - 180.0
    inside = np.zeros(np.broadcast(lat, lon).shape, bool)
    n = len(ring)
    for i in range(n):
        y1, x1 = vlat[i], vlon[i]
        y2, x2 = vlat[(i + 1) % n], vlon[(i + 1) % n]
        straddles = (y1 > lat) != (y2 > lat)
        with np.errstate(divide="ignore", invalid="ignore"):
            x_cross = x1 + (lat - y1) * (x2 - x1) / (y2 - y1)
        inside ^= straddles & (lon < x_cross)
    return inside


def polygon_centroid(polygon) -> tuple[float, float]:
    """Mean of the vertices (lat_deg, lon_deg), longitudes unwrapped around the first vertex."""
    ring = np.asarray(polygon, float)
    ref = ring[0, 1]
    lon = (ring[:, 1] - ref + 180.0) % 360.0 - 180.0
    return float(ring[:, 0].mean()), float((lon.mean() + ref + 180.0) % 360.0 - 180.0)


def enu_basis(lat_deg: float, lon_deg: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Unit vectors (east, north, up) in Earth-fixed axes at a geodetic (lat, lon) in degrees."""
    la, lo = np.radians(lat_deg), np.radians(lon_deg)
    east = np.array([-np.sin(lo), np.cos(lo), 0.0])
    north = np.array([-np.sin(la) * np.cos(lo), -np.sin(la) * np.sin(lo), np.cos(la)])
    up = np.array([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])
    return east, north, up
