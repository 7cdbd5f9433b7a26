"""Entry kernel and geometry helpers against closed forms and second implementations."""

from __future__ import annotations

import math

import numpy as np
import pytest
from matplotlib.path import Path

from lifeboat.orbits.entry import (
    MU_EARTH_M3_S2,
    R_MEAN_M,
    Capsule,
    exponential_density_kg_m3,
    simulate_entry,
    us1976_density_kg_m3,
)
from lifeboat.orbits.geo import (
    EARTH_MEAN_RADIUS_KM,
    destination,
    great_circle_distance_km,
    point_in_polygon,
)

VACUUM = {"density": lambda h: 0.0, "omega_rad_s": 0.0, "j2": 0.0}
BALL = Capsule(mass_kg=1000.0, drag_coefficient=1.0, reference_area_m2=1.0)


def _launch(altitude_m, speed_m_s, gamma_deg):
    """Equatorial start on the x axis, flying east (+y) with flight-path angle gamma."""
    g = math.radians(gamma_deg)
    r0 = np.array([R_MEAN_M + altitude_m, 0.0, 0.0])
    v0 = speed_m_s * np.array([math.sin(g), math.cos(g), 0.0])
    return r0, v0


@pytest.mark.parametrize(
    ("altitude_m", "rho_ref"),
    # U.S. Standard Atmosphere 1976 (NOAA-S/T 76-1562), density by geometric altitude.
    # 32,161.9 m geometric is the 32 km' geopotential base of the fourth layer.
    [
        (0.0, 1.2250),
        (11_000.0, 0.36480),
        (20_000.0, 8.8910e-2),
        (32_161.9, 1.3225e-2),
        (50_000.0, 1.0269e-3),
        (80_000.0, 1.8458e-5),
        (100_000.0, 5.604e-7),
    ],
)
def test_us1976_density_matches_published_table(altitude_m, rho_ref):
    assert us1976_density_kg_m3(altitude_m) == pytest.approx(rho_ref, rel=5e-3)


def test_vacuum_hop_apogee_matches_keplerian_closed_form():
    r0, v0 = _launch(100_000.0, 3_000.0, 45.0)
    out = simulate_entry(r0, v0, BALL, **VACUUM)
    r, v = np.linalg.norm(r0), np.linalg.norm(v0)
    a = 1.0 / (2.0 / r - v * v / MU_EARTH_M3_S2)
    h = np.linalg.norm(np.cross(r0, v0))
    e = math.sqrt(1.0 - h * h / (MU_EARTH_M3_S2 * a))
    assert out.apogee_altitude_m == pytest.approx(a * (1.0 + e) - R_MEAN_M, abs=10.0)


def test_short_vacuum_hop_matches_flat_earth_formula():
    r0, v0 = _launch(1_000.0, 200.0, 60.0)
    out = simulate_entry(r0, v0, BALL, **VACUUM)
    g = MU_EARTH_M3_S2 / R_MEAN_M**2
    rise = (200.0 * math.sin(math.radians(60.0))) ** 2 / (2.0 * g)
    assert out.apogee_altitude_m == pytest.approx(1_000.0 + rise, abs=0.005 * rise)


def test_terminal_velocity_under_parachute():
    capsule = Capsule(
        mass_kg=2_900.0,
        drag_coefficient=1.25,
        reference_area_m2=3.7,
        chute_drag_area_m2=750.0,
        chute_deploy_altitude_m=2_900.0,
    )
    r0, v0 = _launch(3_000.0, 0.0, 0.0)
    out = simulate_entry(r0, v0, capsule, density=lambda h: 1.2, omega_rad_s=0.0, j2=0.0)
    g = MU_EARTH_M3_S2 / R_MEAN_M**2
    v_t = math.sqrt(2.0 * 2_900.0 * g / (1.2 * (750.0 + 1.25 * 3.7)))
    assert out.touchdown_speed_m_s == pytest.approx(v_t, rel=1e-3)


def test_peak_deceleration_matches_allen_eggers():
    # Steep ballistic entry in an exponential atmosphere: a_max = V² sin γ / (2 e H)
    # (Allen & Eggers, NACA TR-1381), gravity neglected there -> a few % tolerance.
    scale_h = 7_200.0
    r0, v0 = _launch(120_000.0, 7_500.0, -45.0)
    out = simulate_entry(
        r0,
        v0,
        BALL,
        omega_rad_s=0.0,
        j2=0.0,
        density=lambda h: exponential_density_kg_m3(h, 1.225, scale_h),
    )
    expected_g = 7_500.0**2 * math.sin(math.radians(45.0)) / (2.0 * math.e * scale_h) / 9.80665
    assert out.peak_deceleration_g == pytest.approx(expected_g, rel=0.05)
    beta = BALL.ballistic_coefficient_kg_m2
    peak_alt = scale_h * math.log(1.225 * scale_h / (beta * math.sin(math.radians(45.0))))
    k = int(np.argmin(np.abs(out.t_s - out.peak_deceleration_t_s)))
    assert out.altitude_m[k] == pytest.approx(peak_alt, abs=1_500.0)


def test_coriolis_drop_deflects_east_by_closed_form():
    # Vacuum drop from rest (Earth-relative) at the equator: eastward drift (1/3)·ω·g·t³.
    height = 10_000.0
    r0 = np.array([R_MEAN_M + height, 0.0, 0.0])
    out = simulate_entry(r0, np.zeros(3), BALL, density=lambda h: 0.0, j2=0.0)
    g = MU_EARTH_M3_S2 / R_MEAN_M**2 - 7.292115e-5**2 * R_MEAN_M
    t = math.sqrt(2.0 * height / g)
    east = out.touchdown_r_ecef_m[1]
    assert east == pytest.approx(7.292115e-5 * g * t**3 / 3.0, rel=0.05)
    assert out.touchdown_t_s == pytest.approx(t, rel=0.01)


def test_state_in_orbit_never_lands():
    v_circ = math.sqrt(MU_EARTH_M3_S2 / (R_MEAN_M + 400e3))
    r0, v0 = _launch(400_000.0, v_circ, 0.0)
    with pytest.raises(ValueError, match="did not reach the ground"):
        simulate_entry(r0, v0, BALL, max_time_s=3_000.0, omega_rad_s=0.0, j2=0.0)


def test_point_in_polygon_agrees_with_matplotlib_path():
    polygon = [(46.0, 66.0), (48.5, 67.0), (48.0, 70.5), (46.5, 71.0), (45.5, 69.0), (47.0, 68.5)]
    rng = np.random.default_rng(7)
    lat = rng.uniform(44.0, 50.0, 5_000)
    lon = rng.uniform(64.0, 73.0, 5_000)
    ours = point_in_polygon(lat, lon, polygon)
    reference = Path([(b, a) for a, b in polygon], closed=False).contains_points(
        np.column_stack((lon, lat))
    )
    assert ours.sum() > 500
    assert np.array_equal(ours, reference)


def test_point_in_polygon_across_antimeridian():
    polygon = [(-10.0, 175.0), (-10.0, -175.0), (10.0, -175.0), (10.0, 175.0)]
    assert point_in_polygon(
        [0.0, 0.0, 0.0, 0.0], [179.0, -179.0, 170.0, -170.0], polygon
    ).tolist() == [True, True, False, False]


def test_destination_and_distance_are_consistent():
    lat, lon, _ = destination(45.92, 63.342, 62.0, 400.0)
    assert great_circle_distance_km(45.92, 63.342, lat, lon) == pytest.approx(400.0, abs=1e-6)
    lat_n, lon_n, course = destination(10.0, 20.0, 0.0, 1_000.0)
    assert lat_n == pytest.approx(10.0 + math.degrees(1_000.0 / EARTH_MEAN_RADIUS_KM))
    assert lon_n == pytest.approx(20.0)
    assert course == pytest.approx(0.0, abs=1e-9)
