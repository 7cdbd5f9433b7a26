"""CR3BP kernel checks against independent references (numpy.roots, scipy solve_ivp, finite
differences) and published CR3BP constants (degenerateconic; Spreen 2021)."""

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from lifeboat.cislunar import physics as phy

KM = phy.LENGTH_UNIT_KM
# Approximate 9:2 NRHO state (a timing state; closes only to ~67 km).
NRHO_APPROX = np.array([1.0221, 0.0, -0.1821, 0.0, -0.1033, 0.0])
NRHO_APPROX_T = 1.5111


def test_constants_match_published_values():
    # T* = 375,190.26 s (degenerateconic: 375190.25852 s) and μ = 0.0121505856.
    assert phy.TIME_UNIT_S == pytest.approx(375190.26, abs=0.5)
    assert phy.MU == pytest.approx(0.0121505856, rel=2e-7)
    assert phy.tu_to_days(2 * np.pi) == pytest.approx(27.285, abs=0.001)


def test_collinear_points_are_roots_of_the_equilibrium_condition():
    mu = phy.MU
    l1, l2, l3 = phy.collinear_points()
    # Independent: the quintics in the distance from the Moon, solved with numpy.roots.
    g1 = np.roots([1, -(3 - mu), 3 - 2 * mu, -mu, 2 * mu, -mu])
    g2 = np.roots([1, 3 - mu, 3 - 2 * mu, -mu, -2 * mu, -mu])
    g1 = min(r.real for r in g1 if abs(r.imag) < 1e-12 and r.real > 0)
    g2 = min(r.real for r in g2 if abs(r.imag) < 1e-12 and r.real > 0)
    assert l1 == pytest.approx(1 - mu - g1, abs=1e-12)
    assert l2 == pytest.approx(1 - mu + g2, abs=1e-12)
    # AC-11: L1 = 0.836915, L2 = 1.155682 (58,019 km / 64,515 km from the Moon).
    assert l1 == pytest.approx(0.836915, abs=1e-6)
    assert l2 == pytest.approx(1.155682, abs=1e-6)
    assert (1 - mu - l1) * KM == pytest.approx(58019, abs=2)
    assert (l2 - 1 + mu) * KM == pytest.approx(64515, abs=2)
    # And each point is an equilibrium: zero acceleration in the rotating frame.
    for x in (l1, l2, l3):
        assert np.abs(phy.eom(np.array([x, 0, 0, 0, 0, 0]))).max() < 1e-12


def test_eom_matches_the_numpy_reference():
    rng = np.random.default_rng(4)
    for _ in range(20):
        s = np.concatenate([rng.uniform(-1.5, 1.5, 3), rng.uniform(-1, 1, 3)])
        assert np.allclose(phy.eom(s), phy.eom_numpy(0.0, s), rtol=1e-13, atol=1e-13)


def test_one_period_agrees_with_scipy_dop853_to_a_kilometre():
    ours = phy.propagate(NRHO_APPROX, NRHO_APPROX_T)
    ref = solve_ivp(phy.eom_numpy, (0, NRHO_APPROX_T), NRHO_APPROX, method="DOP853",
                    rtol=1e-12, atol=1e-12)
    assert np.linalg.norm(ours[:3] - ref.y[:3, -1]) * KM < 1.0
    assert np.linalg.norm(ours[3:] - ref.y[3:, -1]) * phy.VELOCITY_UNIT_KM_S < 1e-5


def test_jacobi_drift_over_one_period_below_1e_10():
    times = np.linspace(0, NRHO_APPROX_T, 200)[1:]
    path = phy.sample(NRHO_APPROX, times)
    drift = np.abs(phy.jacobi(path) - phy.jacobi(NRHO_APPROX)).max()
    assert drift < 1e-10


def test_backward_propagation_returns_to_start():
    fwd = phy.propagate(NRHO_APPROX, 0.7)
    back = phy.propagate(fwd, -0.7)
    assert np.linalg.norm(back[:3] - NRHO_APPROX[:3]) * KM < 1e-3


def test_state_transition_matrix_matches_finite_differences_of_scipy():
    t = 0.6
    _, phi = phy.propagate_stm(NRHO_APPROX, t)
    eps = 1e-7
    fd = np.empty((6, 6))
    for j in range(6):
        d = np.zeros(6)
        d[j] = eps
        hi = solve_ivp(phy.eom_numpy, (0, t), NRHO_APPROX + d, method="DOP853", rtol=1e-13, atol=1e-13)
        lo = solve_ivp(phy.eom_numpy, (0, t), NRHO_APPROX - d, method="DOP853", rtol=1e-13, atol=1e-13)
        fd[:, j] = (hi.y[:, -1] - lo.y[:, -1]) / (2 * eps)
    assert np.allclose(phi, fd, rtol=1e-5, atol=1e-5)
    # Liouville: the CR3BP flow preserves phase-space volume, det Φ = 1.
    assert np.linalg.det(phi) == pytest.approx(1.0, abs=1e-8)


def test_batch_equals_single_propagations():
    rng = np.random.default_rng(7)
    states = NRHO_APPROX + rng.normal(0, 1e-6, (8, 6))
    batch = phy.propagate_batch(states, NRHO_APPROX_T)
    single = np.array([phy.propagate(s, NRHO_APPROX_T) for s in states])
    assert np.abs(batch - single).max() < 1e-14


def test_dimensional_conversion():
    r_km, v_km_s = phy.to_dimensional(np.array([1.0, 0, 0, 0, 1.0, 0]))
    assert r_km[0] == pytest.approx(384400.0)
    assert v_km_s[1] == pytest.approx(384400.0 / 375190.26, rel=1e-6)
