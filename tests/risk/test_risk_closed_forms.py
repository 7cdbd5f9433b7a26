"""Closed forms for special cases of the risk model (docs/risk-model.md, "Checks").

Each case builds a one-provider architecture in which the quantity has an exact expression and
checks the fast engine against it within 4 standard errors (or, for AC-12(b), that the engine's
own 95 % Wilson interval contains the analytic value).
"""

from __future__ import annotations

import math

import pytest

from lifeboat.risk.engine import run_risk
from lifeboat.risk.model import DAYS_PER_YEAR, architecture_from_dict


def one_provider(*, p_fail=0.0, p_abort=0.0, interval=180.0, horizon_years=10.0,
                 evac_rate_per_year=0.0, p_emergency_return=0.0, after_loss="end", **extra):
    """A single provider whose launches fall on a fixed calendar: the grounding after a failure
    lasts exactly one rotation interval (sigma 0), so a retry comes when the next rotation would
    have, and the number of flights is fixed. The docked life is longer than the horizon, so
    vehicles never expire; returns carry no risk."""
    return architecture_from_dict(
        {
            "id": "closed-form",
            "title": "closed form",
            "station": {"name": "S", "crew_size": 3, "horizon_years": horizon_years,
                        "after_loss": after_loss} | extra.pop("station", {}),
            "providers": {
                "only": {
                    "name": "P", "crew_per_flight": 3, "seats": 3,
                    "rotation_interval_days": interval, "docked_life_days": 1e5,
                    "ascent_failure": p_fail, "abort_success": p_abort,
                    "emergency_return_failure": p_emergency_return,
                    "grounding_median_days": interval, "grounding_sigma": 0.0,
                    "replacement_readiness_days": 0.0, "cost_per_launch_musd": 1.0,
                } | extra
            },
            "hazards": {"any": {"rate_per_year": evac_rate_per_year, "evacuation_probability": 1.0}},
        },
        source="test",
    )


def within(value, expected, se, k=4.0):
    assert abs(value - expected) <= k * se, f"{value} vs {expected} (SE {se})"


def test_only_ascent_failures():
    """n = 20 flights (at 180 d, 360 d, ... 3600 d < 3652.5 d); LOC per flight q = p_f (1 - p_a):
    P(LOC) = 1 - (1 - q)^n and E[launches] = sum_{k<n} (1 - q)^k = (1 - (1 - q)^n) / q."""
    p_f, p_a, n = 0.05, 0.5, 20
    q = p_f * (1 - p_a)
    r = run_risk(one_provider(p_fail=p_f, p_abort=p_a), trials=400_000, seed=21)
    within(r.p_loc, 1 - (1 - q) ** n, r.metrics["p_loc"]["mc_se"])
    within(r.launches_mean, (1 - (1 - q) ** n) / q, r.metrics["launches"]["mc_se"])
    assert r.cost_musd_mean == pytest.approx(r.launches_mean, rel=1e-12)  # 1 US$ M per launch
    assert r.loc_causes["ascent"]["mean"] == pytest.approx(3 * r.p_loc, rel=1e-12)  # 3 people per loss
    assert r.p_any_decrew == 0.0 and r.decrewed_days_mean == 0.0


@pytest.mark.parametrize(("n", "expected"), [(10, 0.036), (30, 0.105), (50, 0.169)])
def test_ac12b_per_mission_loc_1_in_270(n, expected):
    """AC-12(b): per-mission LOC 1/270 over N missions, 1 - (1 - p)^N; the estimator's 95 %
    interval must contain the analytic value."""
    p = 1 / 270
    analytic = 1 - (1 - p) ** n
    assert analytic == pytest.approx(expected, abs=0.001)
    arch = one_provider(p_fail=p, p_abort=0.0, horizon_years=(n + 0.5) * 180.0 / DAYS_PER_YEAR)
    r = run_risk(arch, trials=1_000_000, seed=270 + n)
    assert r.crewed_launches_mean <= n and r.launches_mean == pytest.approx(
        (1 - (1 - p) ** n) / p, rel=1e-2)
    lo, hi = r.p_loc_ci95
    assert lo <= analytic <= hi


def test_only_poisson_emergencies_loss_of_crew():
    """Evacuations at rate lambda, each return failing with p_r; after an evacuation the station
    stays decrewed until the next rotation (every I days, never failing), and emergencies then
    have no effect. So each rotation interval loses the crew with p_r (1 - exp(-lambda I)):
    P(LOC) = 1 - [1 - p_r (1 - e^{-lambda I})]^n [1 - p_r (1 - e^{-lambda r})], with n full
    intervals and a last partial one of r days. (1 - exp(-lambda T p_r) is only the limit of
    rare emergencies.)"""
    lam_per_year, p_r, interval = 2.0, 0.1, 180.0
    horizon = 10 * DAYS_PER_YEAR
    n, rest = 20, horizon - 20 * interval
    lam = lam_per_year / DAYS_PER_YEAR
    survive = (1 - p_r * (1 - math.exp(-lam * interval))) ** n * (1 - p_r * (1 - math.exp(-lam * rest)))
    r = run_risk(one_provider(evac_rate_per_year=lam_per_year, p_emergency_return=p_r), trials=400_000, seed=5)
    within(r.p_loc, 1 - survive, r.metrics["p_loc"]["mc_se"])
    assert r.loc_causes["emergency_return"]["mean"] == pytest.approx(3 * r.p_loc, rel=1e-12)
    # The naive rare-event formula is visibly off here (the decrewed gaps shelter the crew).
    assert abs((1 - math.exp(-lam * horizon * p_r)) - (1 - survive)) > 10 * r.metrics["p_loc"]["mc_se"]


def test_only_poisson_emergencies_decrewing():
    """With safe returns (p_r = 0): per interval of length L the decrewed time is L - min(tau, L)
    with tau ~ Exp(lambda), mean L - (1 - e^{-lambda L}) / lambda; the station is decrewed at
    least once iff any emergency happens, P = 1 - e^{-lambda T}; evacuations per trial
    sum 1 - e^{-lambda L} over the intervals."""
    lam_per_year, interval = 0.1, 180.0
    horizon = 10 * DAYS_PER_YEAR
    lam = lam_per_year / DAYS_PER_YEAR
    lengths = [interval] * 20 + [horizon - 20 * interval]
    decrewed = sum(length - (1 - math.exp(-lam * length)) / lam for length in lengths)
    evacuations = sum(1 - math.exp(-lam * length) for length in lengths)
    r = run_risk(one_provider(evac_rate_per_year=lam_per_year), trials=400_000, seed=8)
    assert r.p_loc == 0.0
    within(r.decrewed_days_mean, decrewed, r.metrics["decrewed_days"]["mc_se"])
    within(r.p_any_decrew, 1 - math.exp(-lam * horizon), r.metrics["p_any_decrew"]["mc_se"])
    assert r.evacuations_mean == pytest.approx(evacuations, rel=0.01)


def test_continuing_after_a_loss_with_a_stand_down():
    """Trials go on after a loss. With one provider whose launches fail with p (abort never
    works), flights at 180 d steps, and a stand-down of S = k * 180 d after each loss, the flights
    form a renewal process: each flight either succeeds (next flight 180 d later) or loses its
    crew (the next flight S days later, k slots on: the stand-down outlasts the 180-d grounding
    of the failed launch). Exact by dynamic
    programming over the 20 slots of the horizon: expected losses and people lost."""
    p, k, n = 0.05, 3, 20
    arch = one_provider(p_fail=p, after_loss="continue", stand_down_days=180.0 * k)
    r = run_risk(arch, trials=400_000, seed=31)
    # e[j]: expected losses from slot j on (slots j = 0 .. n-1 are the flight times 180 (j + 1)).
    e = [0.0] * (n + k + 2)
    for j in range(n - 1, -1, -1):
        e[j] = (1 - p) * e[j + 1] + p * (1 + e[j + k])
    within(r.metrics["loss_events"]["mean"], e[0], r.metrics["loss_events"]["mc_se"])
    within(r.metrics["people_lost"]["mean"], 3 * e[0], r.metrics["people_lost"]["mc_se"])
    # A loss does not end the trial: later flights still happen.
    assert r.metrics["loss_events"]["mean"] > 1.2 * r.metrics["p_loc"]["mean"]


def test_undetected_damage_fails_the_next_return():
    """Damage at rate d per day, none of it noticed (u = 1): the next return (the next
    rotation, every I days, launches never fail) loses the crew. A vehicle is hit before its
    rotation with q = 1 - exp(-d I); the calendar does not move (no replacement flights), so
    with 20 returns in the horizon, E[losses] = 20 q under after_loss = continue without a
    stand-down. (A noticed hit brings a replacement, which moves the rotation calendar; partial
    fractions are checked against the SimPy reference.)"""
    d_per_year, u, interval = 0.5, 1.0, 180.0
    arch = one_provider(after_loss="continue", damage_rate_per_year=d_per_year,
                        undetected_damage_fraction=u, interval=interval)
    r = run_risk(arch, trials=400_000, seed=32)
    q = 1 - math.exp(-d_per_year / DAYS_PER_YEAR * interval)
    within(r.metrics["loss_events"]["mean"], 20 * q, r.metrics["loss_events"]["mc_se"])
    assert r.loc_causes["undetected_damage"]["mean"] == pytest.approx(r.metrics["people_lost"]["mean"])


def test_seatless_crew_is_stranded_when_consumables_run_out():
    """Damage at rate d; the replacement takes R days and consumables last L < R, so every
    noticed damage strands the crew after L days. Damage clocks stop while the vehicle waits;
    after the loss the replacement still docks (empty) and the next rotation brings a crew.
    P(no stranding) in the first interval of I days is exp(-d (I - L)) for a hit early enough
    to run out before the rotation, approximately; here we check the exact first-passage case:
    a one-year horizon shorter than the first rotation, so P(LOC) = 1 - exp(-d (H - L))."""
    d_per_year, limit, horizon_days = 0.8, 30.0, 150.0
    arch = one_provider(
        after_loss="continue", interval=400.0, horizon_years=horizon_days / DAYS_PER_YEAR,
        damage_rate_per_year=d_per_year, replacement_readiness_days=365.0,
        station={"seatless_limit_days": limit})
    r = run_risk(arch, trials=400_000, seed=33)
    d = d_per_year / DAYS_PER_YEAR
    within(r.metrics["p_loc"]["mean"], 1 - math.exp(-d * (horizon_days - limit)), r.metrics["p_loc"]["mc_se"])
    assert r.loc_causes["stranded"]["mean"] == pytest.approx(r.metrics["people_lost"]["mean"])
    # Seatless crew-days: 3 crew from the hit to the stranding or the horizon.
    expected = 3 * sum_first_passage(d, horizon_days, limit)
    within(r.metrics["seatless_crew_days"]["mean"], expected, r.metrics["seatless_crew_days"]["mc_se"])


def sum_first_passage(d, horizon, limit):
    """E[min(H - T, L); T < H] for T ~ Exp(d): the waiting time of a crew hit at T."""
    # Hits in [0, H - L]: wait L. Hits in (H - L, H): wait H - T.
    early = (1 - math.exp(-d * (horizon - limit))) * limit
    late = sum_exp_tail(d, horizon - limit, horizon)
    return early + late


def sum_exp_tail(d, a, b):
    """Integral over t in (a, b) of (b - t) d exp(-d t)."""
    return (b - a) * math.exp(-d * a) - (math.exp(-d * a) - math.exp(-d * b)) / d


def test_medical_returns_at_the_per_person_rate():
    """Medical conditions at m per person-year, 3 aboard: each sends the vehicle home at once
    (failing with p_r), and the slot's next crew flies after the readiness R. Without other
    events, E[medical returns] over a horizon shorter than the first rotation is 1 - e^{-3 m H}
    (only the first counts: nobody is aboard afterwards, R being longer than the horizon)."""
    m_per_year, horizon_days, p_r = 0.4, 150.0, 0.2
    arch = one_provider(after_loss="continue", interval=400.0, horizon_years=horizon_days / DAYS_PER_YEAR,
                        p_emergency_return=p_r, replacement_readiness_days=365.0,
                        station={"medical_evacuation_rate_per_person_year": m_per_year})
    r = run_risk(arch, trials=400_000, seed=34)
    first = 1 - math.exp(-3 * m_per_year / DAYS_PER_YEAR * horizon_days)
    within(r.metrics["medical_evacuations"]["mean"], first, r.metrics["medical_evacuations"]["mc_se"])
    within(r.loc_causes["medical_return"]["mean"], 3 * p_r * first, r.loc_causes["medical_return"]["mc_se"])


def test_common_cause_damage_hits_every_vehicle_of_the_design():
    """Two vehicles of one design, each hit at rate d; with beta = 1 every hit makes both unfit.
    The first hit comes at rate 2 d, so P(both unfit before H) = P(first hit < H) = 1 - e^{-2 d H}
    with one-year rotations beyond the horizon and a replacement slower than the horizon; with
    no seat anywhere the crews wait, and consumables of L days strand both crews (6 people)."""
    d_per_year, horizon_days, limit = 0.5, 200.0, 20.0
    base = one_provider(after_loss="continue", interval=400.0, horizon_years=horizon_days / DAYS_PER_YEAR,
                        damage_rate_per_year=d_per_year, replacement_readiness_days=365.0,
                        common_cause_beta=1.0, vehicles=2, station={"seatless_limit_days": limit, "crew_size": 6})
    r = run_risk(base, trials=300_000, seed=35)
    d = d_per_year / DAYS_PER_YEAR
    p_first = 1 - math.exp(-2 * d * (horizon_days - limit))
    within(r.metrics["p_loc"]["mean"], p_first, r.metrics["p_loc"]["mc_se"])
    # Every loss takes both crews.
    within(r.metrics["people_lost"]["mean"], 6 * p_first, r.metrics["people_lost"]["mc_se"])


def test_launch_on_need_rescue_beats_the_consumables():
    """A damaged vehicle's crew waits L days of consumables; a partner launches a rescue that
    arrives R < L days after the need (never failing), so nobody is stranded; with R > L
    everyone hit is. Rescue flights = hits before H - R."""
    d_per_year, horizon_days = 0.8, 150.0
    partner = {"name": "P", "vehicles": 0, "crew_per_flight": 0, "seats": 3, "rotation_interval_days": 400.0,
               "docked_life_days": 100.0, "ascent_failure": 0.0, "abort_success": 1.0,
               "emergency_return_failure": 0.0, "grounding_median_days": 10.0, "grounding_sigma": 0.0,
               "replacement_readiness_days": 0.0, "cost_per_launch_musd": 7.0, "launch_on_need": True,
               "rescue_seats": 3}
    d = d_per_year / DAYS_PER_YEAR
    for readiness, limit in ((20.0, 40.0), (40.0, 20.0)):
        arch = one_provider(after_loss="continue", interval=400.0, horizon_years=horizon_days / DAYS_PER_YEAR,
                            damage_rate_per_year=d_per_year, replacement_readiness_days=365.0,
                            station={"seatless_limit_days": limit})
        data = arch.model_dump(mode="python")
        data["providers"]["partner"] = partner | {"rescue_readiness_days": readiness}
        r = run_risk(architecture_from_dict(data, source="test"), trials=200_000, seed=36)
        if readiness < limit:
            assert r.metrics["people_lost"]["mean"] == 0.0
            hits = 1 - math.exp(-d * (horizon_days - readiness))
            within(r.metrics["rescue_flights"]["mean"], hits, r.metrics["rescue_flights"]["mc_se"])
            assert r.providers["partner"]["cost_musd"]["mean"] == pytest.approx(7 * r.metrics["rescue_flights"]["mean"])
        else:
            assert r.metrics["rescue_flights"]["mean"] == 0.0
            within(r.metrics["p_loc"]["mean"], 1 - math.exp(-d * (horizon_days - limit)), r.metrics["p_loc"]["mc_se"])


def test_yearly_visits_closed_form():
    """A visited station (the visit fast forward): 3 crew arrive every 365 d (the first aboard
    at t = 0) and go home after 30 d. Over 3652.5 d there are 10 returns (at 30 + 365 k, k < 10)
    and 10 arrivals; crew-days 3 x (10 x 30 + 2.5), decrewed days the rest. With a planned-return
    failure p ending the trial: P(LOC) = 1 - (1 - p)^10."""
    r = run_risk(one_provider(interval=365.0, docked_life_days=30.0), trials=20_000, seed=5)
    assert r.metrics["crew_days"]["mean"] == pytest.approx(3 * 302.5, rel=1e-12)
    assert r.metrics["decrewed_days"]["mean"] == pytest.approx(3652.5 - 302.5, rel=1e-12)
    assert r.metrics["launches"]["mean"] == pytest.approx(10.0, rel=1e-12)
    assert r.metrics["person_missions"]["mean"] == pytest.approx(33.0, rel=1e-12)
    p = 0.05
    r = run_risk(one_provider(interval=365.0, docked_life_days=30.0, nominal_return_failure=p),
                 trials=200_000, seed=6)
    within(r.p_loc, 1 - (1 - p) ** 10, r.metrics["p_loc"]["mc_se"])
    assert r.loc_causes["nominal_return"]["mean"] == pytest.approx(3 * r.p_loc, rel=1e-12)
