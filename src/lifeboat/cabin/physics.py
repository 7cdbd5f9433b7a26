"""Cabin-gas kernels: orifice flow of an ideal gas, blowdown closed forms, the network ODE.

Pure functions on floats and numpy arrays in SI units (Pa, K, kg, m², m³, s). No I/O.

Air is an ideal gas with γ = 1.4 and R = 287.05 J/(kg·K) (docs/references.md). Flow through an orifice
of effective area Cd·A from an upstream reservoir at (p_up, T_up) to a downstream pressure p_down is
isentropic-nozzle flow (e.g. Anderson, *Modern Compressible Flow*, ch. 5; NASA Glenn "Mass Flow
Choking"): choked while p_down/p_up is at or below the critical ratio (2/(γ+1))^(γ/(γ−1)) ≈ 0.528,

    ṁ = Cd·A · p_up · √(γ/(R·T_up)) · (2/(γ+1))^((γ+1)/(2(γ−1))),

and subsonic otherwise,

    ṁ = Cd·A · p_up · √( 2γ/((γ−1)·R·T_up) · (r^(2/γ) − r^((γ+1)/γ)) ),  r = p_down/p_up.

A hole to vacuum is always choked, so a vented volume of gas mass M (any mix of module
temperatures at one pressure) obeys dM/dt = −M/τ with τ = M₀/(C·p₀), C = Σ Cd·A·√(γ/(R·T))·Γ
over its holes, Γ = (2/(γ+1))^((γ+1)/(2(γ−1))).
"""

from __future__ import annotations

import numpy as np

GAMMA_AIR = 1.4
R_AIR_J_PER_KG_K = 287.05
PA_PER_MMHG = 101_325.0 / 760.0
STANDARD_PRESSURE_PA = 101_325.0


def critical_pressure_ratio(gamma: float = GAMMA_AIR) -> float:
    """Downstream/upstream pressure ratio at or below which an orifice is choked (≈0.528)."""
    return (2.0 / (gamma + 1.0)) ** (gamma / (gamma - 1.0))


def choked_flow_factor(gamma: float = GAMMA_AIR) -> float:
    """Γ = (2/(γ+1))^((γ+1)/(2(γ−1))), dimensionless (≈0.5787 for γ = 1.4)."""
    return (2.0 / (gamma + 1.0)) ** ((gamma + 1.0) / (2.0 * (gamma - 1.0)))


def choked_flux_per_pa(
    temperature_k, gamma: float = GAMMA_AIR, r_j_per_kg_k: float = R_AIR_J_PER_KG_K
):
    """Choked mass flux per unit effective area and per pascal upstream, s/m (√(γ/(R·T))·Γ).

    ≈ 2.3524e-3 s/m at 295.15 K for air (docs/references.md).
    """
    return np.sqrt(gamma / (r_j_per_kg_k * np.asarray(temperature_k, float))) * choked_flow_factor(
        gamma
    )


def orifice_mass_flow_kg_s(
    cda_m2,
    p_up_pa,
    t_up_k,
    p_down_pa=0.0,
    gamma: float = GAMMA_AIR,
    r_j_per_kg_k: float = R_AIR_J_PER_KG_K,
):
    """Mass flow (kg/s) through an orifice of effective area ``cda_m2`` (m²) from upstream to
    downstream; choked or subsonic by the pressure ratio. Requires p_up_pa ≥ p_down_pa ≥ 0
    (the ratio is clipped to [0, 1]); vectorised over numpy arrays."""
    p_up = np.asarray(p_up_pa, float)
    ratio = np.clip(np.divide(p_down_pa, p_up, out=np.ones_like(p_up), where=p_up > 0), 0.0, 1.0)
    ratio_used = np.maximum(ratio, critical_pressure_ratio(gamma))
    psi = np.sqrt(
        np.maximum(
            2.0
            * gamma
            / (gamma - 1.0)
            * (ratio_used ** (2.0 / gamma) - ratio_used ** ((gamma + 1.0) / gamma)),
            0.0,
        )
    )
    # At the critical ratio both branches agree (psi = √γ·Γ), so taking max(ratio, critical)
    # gives the choked branch below it and the subsonic one above it.
    return np.asarray(cda_m2, float) * p_up * psi / np.sqrt(r_j_per_kg_k * np.asarray(t_up_k, float))


def orifice_flow_between_kg_s(
    cda_m2,
    p_a_pa,
    t_a_k,
    p_b_pa,
    t_b_k,
    gamma: float = GAMMA_AIR,
    r_j_per_kg_k: float = R_AIR_J_PER_KG_K,
    dp_linear_pa: float = 0.0,
):
    """Signed mass flow (kg/s) from side a to side b through an orifice (negative: b → a).

    ``dp_linear_pa`` > 0 replaces the flow for |Δp| below it by the secant through the flow at
    that Δp, i.e. a linear (laminar-like) law. The exact law has an infinite slope dṁ/dΔp at
    Δp = 0, which stalls implicit ODE solvers; the regularised law has the same equilibria and
    the same flows once |Δp| exceeds the threshold.
    """
    p_a = np.asarray(p_a_pa, float)
    p_b = np.asarray(p_b_pa, float)
    a_up = p_a >= p_b
    p_up = np.where(a_up, p_a, p_b)
    p_dn = np.where(a_up, p_b, p_a)
    t_up = np.where(a_up, t_a_k, t_b_k)
    flow = orifice_mass_flow_kg_s(cda_m2, p_up, t_up, p_dn, gamma, r_j_per_kg_k)
    if dp_linear_pa > 0.0:
        dp = p_up - p_dn
        small = dp < dp_linear_pa
        if np.any(small):
            at_threshold = orifice_mass_flow_kg_s(
                cda_m2, p_up, t_up, p_up - dp_linear_pa, gamma, r_j_per_kg_k
            )
            flow = np.where(small, at_threshold * dp / dp_linear_pa, flow)
    return np.where(a_up, flow, -flow)


def leak_coefficient_kg_per_s_pa(
    cda_m2, temperature_k, gamma: float = GAMMA_AIR, r_j_per_kg_k: float = R_AIR_J_PER_KG_K
):
    """C = Cd·A·√(γ/(R·T))·Γ (kg/(s·Pa)): choked mass flow to vacuum per pascal of cabin pressure."""
    return np.asarray(cda_m2, float) * choked_flux_per_pa(temperature_k, gamma, r_j_per_kg_k)


def blowdown_time_constant_s(
    volume_m3,
    temperature_k,
    cda_m2,
    gamma: float = GAMMA_AIR,
    r_j_per_kg_k: float = R_AIR_J_PER_KG_K,
):
    """τ = V/(R·T·C) (s) of one volume at temperature T venting to vacuum through Cd·A."""
    return np.asarray(volume_m3, float) / (
        r_j_per_kg_k
        * np.asarray(temperature_k, float)
        * leak_coefficient_kg_per_s_pa(cda_m2, temperature_k, gamma, r_j_per_kg_k)
    )


def isothermal_blowdown_pa(t_s, p0_pa, tau_s):
    """Pressure (Pa) of an isothermal volume venting through a choked hole: p₀·exp(−t/τ)."""
    return np.asarray(p0_pa, float) * np.exp(-np.asarray(t_s, float) / tau_s)


def adiabatic_blowdown_pa(t_s, p0_pa, tau_s, gamma: float = GAMMA_AIR):
    """Pressure (Pa) of an adiabatic (isentropic) volume venting through a choked hole.

    With ρ/ρ₀ = x, p ∝ x^γ and T ∝ x^(γ−1) the mass balance V·dρ/dt = −C·p gives
    dx/dt = −x^((γ+1)/2)/τ (τ the isothermal time constant at the initial state), whose solution
    is x = (1 + (γ−1)/2·t/τ)^(−2/(γ−1)); hence p/p₀ = (1 + (γ−1)/2·t/τ)^(−2γ/(γ−1)).
    """
    base = 1.0 + 0.5 * (gamma - 1.0) * np.asarray(t_s, float) / tau_s
    return np.asarray(p0_pa, float) * base ** (-2.0 * gamma / (gamma - 1.0))


def adiabatic_blowdown_temperature_k(t_s, t0_k, tau_s, gamma: float = GAMMA_AIR):
    """Gas temperature (K) during the adiabatic blowdown: T/T₀ = (1 + (γ−1)/2·t/τ)^(−2)."""
    base = 1.0 + 0.5 * (gamma - 1.0) * np.asarray(t_s, float) / tau_s
    return np.asarray(t0_k, float) * base**-2.0


def time_to_pressure_s(p0_pa, p_limit_pa, tau_s, *, adiabatic: bool = False,
                       gamma: float = GAMMA_AIR):
    """Time (s) for a vented volume to fall from p₀ to p_limit (0 if already below; inf if τ = inf)."""
    p0 = np.asarray(p0_pa, float)
    ratio = np.maximum(p0 / np.asarray(p_limit_pa, float), 1.0)
    if adiabatic:
        return 2.0 * tau_s / (gamma - 1.0) * (ratio ** ((gamma - 1.0) / (2.0 * gamma)) - 1.0)
    return tau_s * np.log(ratio)


def vented_mass_with_source_kg(t_s, m0_kg, tau_s, source_kg_s):
    """Mass M(t) (kg) and vented mass (kg) of an isothermal volume with leak time constant τ and a
    constant net gas source q: dM/dt = −M/τ + q, so M = qτ + (M₀ − qτ)·e^(−t/τ) and the vented
    mass ∫M/τ dt = q·t + (M₀ − qτ)·(1 − e^(−t/τ)). τ = inf means no leak. Returns (M, vented)."""
    t = np.asarray(t_s, float)
    if not np.isfinite(tau_s):
        return m0_kg + source_kg_s * t, np.zeros_like(t)
    decay = np.exp(-t / tau_s)
    steady = source_kg_s * tau_s
    mass = steady + (m0_kg - steady) * decay
    vented = source_kg_s * t + (m0_kg - steady) * (-np.expm1(-t / tau_s))
    return mass, vented


def network_rhs(
    mass_kg,
    volume_m3,
    temperature_k,
    hatch_a,
    hatch_b,
    hatch_cda_m2,
    leak_cda_m2,
    source_kg_s,
    gamma: float = GAMMA_AIR,
    r_j_per_kg_k: float = R_AIR_J_PER_KG_K,
    dp_linear_pa: float = 1.0,
):
    """Right-hand side of the isothermal module-network ODE.

    ``mass_kg`` (n,) module gas masses; ``hatch_a``/``hatch_b`` (h,) module indices of the open
    hatches, ``hatch_cda_m2`` (h,) their Cd·A; ``leak_cda_m2`` (n,) holes to vacuum per module;
    ``source_kg_s`` (n,) net gas added per module. Returns (dm/dt (n,) in kg/s, vent rate kg/s).
    """
    m = np.maximum(np.asarray(mass_kg, float), 0.0)
    pressure = m * r_j_per_kg_k * temperature_k / volume_m3
    flow = orifice_flow_between_kg_s(
        hatch_cda_m2,
        pressure[hatch_a],
        temperature_k[hatch_a],
        pressure[hatch_b],
        temperature_k[hatch_b],
        gamma,
        r_j_per_kg_k,
        dp_linear_pa,
    )
    vent = leak_coefficient_kg_per_s_pa(leak_cda_m2, temperature_k, gamma, r_j_per_kg_k) * pressure
    dm = source_kg_s - vent
    np.subtract.at(dm, hatch_a, flow)
    np.add.at(dm, hatch_b, flow)
    return dm, float(vent.sum())
