"""Cabin kernels against closed forms and an independent numerical solution.

References: docs/references.md (AC-1 constants: γ = 1.4, R = 287.05 J/(kg·K), choked flux
2.3524e-3 s/m at 295.15 K); isentropic nozzle flow (Anderson, Modern Compressible Flow, ch. 5).
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from lifeboat.cabin import physics
from lifeboat.cabin.network import CabinModule, CabinNetwork, Leak, simulate

GAMMA, R = 1.4, 287.05


def test_choked_flux_matches_facts_constant():
    # docs/references.md: √(γ/(R·T₀))·(2/(γ+1))^((γ+1)/(2(γ−1))) = 2.3524e-3 s/m at T₀ = 295.15 K.
    assert physics.choked_flux_per_pa(295.15) == pytest.approx(2.3524e-3, rel=1e-4)
    assert physics.critical_pressure_ratio() == pytest.approx(0.5283, abs=1e-4)


def test_orifice_flow_is_continuous_at_the_critical_ratio_and_zero_at_equal_pressure():
    r = physics.critical_pressure_ratio()
    below = physics.orifice_mass_flow_kg_s(1e-4, 1e5, 295.0, r * 1e5 * (1 - 1e-9))
    above = physics.orifice_mass_flow_kg_s(1e-4, 1e5, 295.0, r * 1e5 * (1 + 1e-9))
    assert below == pytest.approx(above, rel=1e-6)
    assert physics.orifice_mass_flow_kg_s(1e-4, 1e5, 295.0, 1e5) == 0.0
    # Choked: independent of the downstream pressure.
    assert physics.orifice_mass_flow_kg_s(1e-4, 1e5, 295.0, 0.0) == pytest.approx(below, rel=1e-9)


def test_subsonic_orifice_tends_to_bernoulli_for_small_pressure_difference():
    # Incompressible limit: ṁ = Cd·A·√(2ρΔp), ρ = p/(R·T).
    p, t, dp, cda = 101325.0, 295.0, 10.0, 0.3
    rho = p / (R * t)
    expected = cda * math.sqrt(2 * rho * dp)
    got = physics.orifice_mass_flow_kg_s(cda, p, t, p - dp)
    assert got == pytest.approx(expected, rel=1e-3)


def test_signed_flow_reverses_and_regularisation_keeps_large_flows():
    f_ab = physics.orifice_flow_between_kg_s(0.3, 1e5, 295.0, 0.9e5, 295.0, dp_linear_pa=1.0)
    f_ba = physics.orifice_flow_between_kg_s(0.3, 0.9e5, 295.0, 1e5, 295.0, dp_linear_pa=1.0)
    assert f_ab > 0 and f_ba == pytest.approx(-f_ab)
    exact = physics.orifice_mass_flow_kg_s(0.3, 1e5, 295.0, 0.9e5)
    assert f_ab == pytest.approx(exact, rel=1e-12)


def test_isothermal_blowdown_of_one_volume_is_exponential():
    # τ = ρ₀V/ṁ₀ from the docs/references.md formulas, computed here by hand.
    volume, temperature, p0, d = 50.0, 295.15, 101325.0, 5e-3
    cda = 0.6 * math.pi * d**2 / 4
    m_dot0 = cda * p0 * 2.3524e-3 * math.sqrt(295.15 / temperature)
    tau = p0 / (R * temperature) * volume / m_dot0
    net = CabinNetwork("one", (CabinModule("v", volume, temperature, p0),))
    hist = simulate(net, 3 * tau, leaks=[Leak("v", cda)], n_points=50)
    expected = p0 * np.exp(-hist.times_s / tau)
    np.testing.assert_allclose(hist.pressure_pa[:, 0], expected, rtol=2e-4)


def _adiabatic_tank_reference(volume, t0, p0, cda, t_end):
    """Independent solution: mass and energy balance of a vented adiabatic tank,
    dm/dt = −ṁ and d(m·cv·T)/dt = −ṁ·cp·T (the gas leaving carries its enthalpy)."""
    cv = R / (GAMMA - 1.0)
    cp = cv + R

    def rhs(_t, y):
        m, temp = y
        p = m * R * temp / volume
        m_dot = cda * p * math.sqrt(GAMMA / (R * temp)) * (2 / (GAMMA + 1)) ** (
            (GAMMA + 1) / (2 * (GAMMA - 1)))
        dm = -m_dot
        dtemp = (-m_dot * cp * temp - cv * temp * dm) / (m * cv)
        return [dm, dtemp]

    m0 = p0 * volume / (R * t0)
    times = np.linspace(0, t_end, 40)
    sol = solve_ivp(rhs, (0, t_end), [m0, t0], t_eval=times, rtol=1e-10, atol=1e-12,
                    method="LSODA")
    return times, sol.y[0] * R * sol.y[1] / volume, sol.y[1]


def test_adiabatic_blowdown_matches_energy_balance_integration():
    volume, t0, p0, cda = 6.0, 295.15, 101325.0, 0.6 * math.pi * (20e-3) ** 2 / 4
    tau = float(physics.blowdown_time_constant_s(volume, t0, cda))
    times, p_ref, t_ref = _adiabatic_tank_reference(volume, t0, p0, cda, 3 * tau)
    np.testing.assert_allclose(physics.adiabatic_blowdown_pa(times, p0, tau), p_ref, rtol=1e-6)
    np.testing.assert_allclose(physics.adiabatic_blowdown_temperature_k(times, t0, tau), t_ref,
                               rtol=1e-6)
    net = CabinNetwork("one", (CabinModule("v", volume, t0, p0),))
    hist = simulate(net, 3 * tau, leaks=[Leak("v", cda)], times_s=times, thermal="adiabatic")
    np.testing.assert_allclose(hist.pressure_pa[:, 0], p_ref, rtol=1e-6)
    # Time to a pressure inverts the closed form.
    t_half = physics.time_to_pressure_s(p0, p0 / 2, tau, adiabatic=True)
    assert physics.adiabatic_blowdown_pa(t_half, p0, tau) == pytest.approx(p0 / 2, rel=1e-12)


def test_source_and_leak_closed_form_against_quadrature():
    m0, tau, q = 1000.0, 3600.0 * 50, 2e-4
    t = np.linspace(0, 3600.0 * 100, 11)
    mass, vented = physics.vented_mass_with_source_kg(t, m0, tau, q)
    sol = solve_ivp(lambda _t, y: [-y[0] / tau + q, y[0] / tau], (0, t[-1]), [m0, 0.0],
                    t_eval=t, rtol=1e-11, atol=1e-9)
    np.testing.assert_allclose(mass, sol.y[0], rtol=1e-8)
    np.testing.assert_allclose(vented, sol.y[1], rtol=1e-6, atol=1e-6)
