"""The fast Monte Carlo kernel: one event loop per trial, compiled with numba.

Pure numerics: provider parameters come in as a float array (columns below), times are in days,
rates per day. The semantics are those of ``docs/risk-model.md``; ``reference.py`` is an
independent SimPy implementation of the same rules.

Exact shortcuts keep the loop fast without changing the distribution of anything:

* launch failures of a provider are drawn as the number of launches until its next failure
  (a geometric variate) instead of one Bernoulli draw per launch, and likewise the failures of
  its nominal returns;
* the damage clock of a docked vehicle is exponential, hence memoryless: a vehicle replaced by a
  rotation hands its clock on to its successor instead of drawing a new one;
* the station hazards are merged into one Poisson stream of evacuation-forcing emergencies, with
  rate sum(rate_k * p_evacuation_k) (superposition and thinning of Poisson processes);
* a run of successful rotations with nothing else happening in between is applied in one step
  (``_fast_forward``): those arrivals draw nothing and change no tally.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

# Columns of the provider parameter array (all floats; times in days, rates per day).
CREW = 0
SEATS = 1
INTERVAL_D = 2
PHASE_D = 3
DOCKED_LIFE_D = 4
P_ASCENT_FAIL = 5
P_ABORT_OK = 6
P_NOMINAL_RETURN_FAIL = 7
P_EMERGENCY_RETURN_FAIL = 8
DAMAGE_RATE_PER_D = 9
GROUNDING_LN_MEDIAN = 10  # ln(median grounding / 1 d); -inf for a zero grounding
GROUNDING_SIGMA = 11
READINESS_D = 12
COST_MUSD = 13
N_PROVIDER_COLUMNS = 14

# LOC causes, in the order of the statistics array.
CAUSES = ("ascent", "emergency_return", "no_seat", "nominal_return")

# Statistics accumulated per chunk (sums over trials), in this order.
STATS = (
    "trials",
    "loc",
    "loc_ascent",
    "loc_emergency_return",
    "loc_no_seat",
    "loc_nominal_return",
    "decrewed_days",
    "decrewed_days_sq",
    "any_decrew",
    "seatless_crew_days",
    "seatless_crew_days_sq",
    "launches",
    "launches_sq",
    "crewed_launches",
    "cost_musd",
    "cost_musd_sq",
    "evacuations",
)
N_STATS = len(STATS)
_FIRST_CAUSE = 2

_NEVER = np.inf
_NO_FAILURE = 1 << 62

# Event kinds of the loop.
_HORIZON, _ROTATION, _REPLACEMENT, _EXPIRY, _DAMAGE, _EMERGENCY = range(6)


@njit(cache=True, nogil=True, inline="always")
def _trials_to_failure(rng, p_fail):
    """Bernoulli trials (launches, returns) up to and including the next failure: a geometric
    variate on {1, 2, ...}."""
    if p_fail <= 0.0:
        return _NO_FAILURE
    if p_fail >= 1.0:
        return 1
    k = 1.0 + math.floor(math.log1p(-rng.random()) / math.log1p(-p_fail))
    return int(min(k, float(_NO_FAILURE)))


@njit(cache=True, nogil=True, inline="always")
def _grounding_days(rng, ln_median, sigma):
    """A lognormal grounding, d: exp(ln_median + sigma Z); zero when ln_median is -inf."""
    if ln_median == -np.inf:
        return 0.0
    if sigma == 0.0:
        return math.exp(ln_median)
    return math.exp(ln_median + sigma * rng.standard_normal())


@njit(cache=True, nogil=True, inline="always")
def _exponential_or_never(rng, rate_per_day):
    """Waiting time to the next Poisson event, d (inf for a zero rate)."""
    if rate_per_day <= 0.0:
        return _NEVER
    return rng.exponential(1.0 / rate_per_day)


@njit(cache=True, nogil=True, inline="always")
def _reseat(prov, docked, damaged, occupants, src, n_movers):
    """Move up to ``n_movers`` crew of vehicle ``src`` into free seats of the other usable
    docked vehicles, in provider order. Returns how many moved."""
    moved = 0
    for q in range(prov.shape[0]):
        if moved == n_movers:
            break
        if q == src or not docked[q] or damaged[q]:
            continue
        free = int(prov[q, SEATS]) - occupants[q]
        if free > 0:
            k = min(free, n_movers - moved)
            occupants[q] += k
            moved += k
    occupants[src] -= moved
    return moved


@njit(cache=True, nogil=True, inline="always")
def _reseat_damaged(prov, docked, damaged, occupants):
    """Seat sharing: crew in damaged vehicles take free seats in usable ones."""
    for p in range(prov.shape[0]):
        if docked[p] and damaged[p] and occupants[p] > 0:
            _reseat(prov, docked, damaged, occupants, p, occupants[p])


@njit(cache=True, nogil=True, inline="always")
def _fast_forward(p, prov, docked, damaged, dock_t, next_rotation, replacement_due, next_damage,
                  to_failure, returns_to_failure, next_emergency, horizon_d):
    """After a successful arrival of provider ``p``, apply at once the further rotations of ``p``
    that come strictly before any other event and whose launch and nominal return both succeed.
    Exact: those rotations draw no random numbers and change no tally. Returns their number."""
    t_other = min(horizon_d, next_emergency, next_damage[p])
    for q in range(prov.shape[0]):
        if q != p:
            due = replacement_due[q] if replacement_due[q] < _NEVER else next_rotation[q]
            t_other = min(t_other, due)
            if docked[q] and not damaged[q]:
                t_other = min(t_other, dock_t[q] + prov[q, DOCKED_LIFE_D], next_damage[q])
    if prov[p, DOCKED_LIFE_D] <= prov[p, INTERVAL_D]:
        t_other = min(t_other, dock_t[p] + prov[p, DOCKED_LIFE_D])
    max_skip = to_failure[p] - 1
    if prov[p, CREW] > 0:  # each skipped arrival sends the previous crew home
        max_skip = min(max_skip, returns_to_failure[p] - 1)
    first = next_rotation[p]
    if not first < t_other or max_skip <= 0:
        return 0
    interval = prov[p, INTERVAL_D]
    # Rotations at first + j * interval (j = 0 .. skipped - 1), all strictly before t_other.
    skipped = int(min(math.ceil((t_other - first) / interval), 1e18))
    while skipped > 1 and not first + (skipped - 1) * interval < t_other:
        skipped -= 1
    while first + skipped * interval < t_other:
        skipped += 1
    skipped = min(skipped, max_skip)
    dock_t[p] = first + (skipped - 1) * interval
    next_rotation[p] = first + skipped * interval
    to_failure[p] -= skipped
    if prov[p, CREW] > 0:
        returns_to_failure[p] -= skipped
    return skipped


@njit(cache=True, nogil=True)
def simulate_chunk(rng, n_trials, prov, evacuation_rate_per_d, horizon_d, seat_sharing, mixed_crews, out):
    """Simulate ``n_trials`` trials and add their statistics (see ``STATS``) to ``out``.

    ``rng`` is a numpy ``Generator``; ``prov`` is the (providers × N_PROVIDER_COLUMNS) array;
    ``evacuation_rate_per_d`` the rate of evacuation-forcing emergencies, 1/d; ``horizon_d`` the
    trial length, d; ``seat_sharing`` and ``mixed_crews`` the policies (booleans).
    """
    n_prov = prov.shape[0]
    docked = np.zeros(n_prov, dtype=np.bool_)
    damaged = np.zeros(n_prov, dtype=np.bool_)
    occupants = np.zeros(n_prov, dtype=np.int64)
    dock_t = np.zeros(n_prov)
    next_rotation = np.zeros(n_prov)
    replacement_due = np.zeros(n_prov)
    grounded_until = np.zeros(n_prov)
    next_damage = np.zeros(n_prov)
    to_failure = np.zeros(n_prov, dtype=np.int64)
    returns_to_failure = np.zeros(n_prov, dtype=np.int64)
    by_cause = np.zeros(4)
    n_done = n_loc = n_any_decrew = 0.0
    sum_decrewed = sum_decrewed_sq = sum_seatless = sum_seatless_sq = 0.0
    sum_launches = sum_launches_sq = sum_crewed = sum_cost = sum_cost_sq = sum_evacuations = 0.0

    for _ in range(n_trials):
        for p in range(n_prov):
            docked[p] = True
            damaged[p] = False
            occupants[p] = int(prov[p, CREW])
            dock_t[p] = -prov[p, PHASE_D]
            next_rotation[p] = prov[p, INTERVAL_D] - prov[p, PHASE_D]
            replacement_due[p] = _NEVER
            grounded_until[p] = -_NEVER
            next_damage[p] = _exponential_or_never(rng, prov[p, DAMAGE_RATE_PER_D])
            to_failure[p] = _trials_to_failure(rng, prov[p, P_ASCENT_FAIL])
            returns_to_failure[p] = _trials_to_failure(rng, prov[p, P_NOMINAL_RETURN_FAIL])
        next_emergency = _exponential_or_never(rng, evacuation_rate_per_d)

        t = 0.0
        decrewed = 0.0
        seatless_days = 0.0
        any_decrew = False
        launches = 0
        crewed_launches = 0
        cost = 0.0
        evacuations = 0
        cause = -1

        while True:
            # The next event, and the crew counts that hold until it. On equal times, arrivals
            # come before expiries, then damage, then emergencies, lower provider indices first;
            # nothing happens at the horizon itself (it wins every tie).
            t_next = horizon_d
            rank = -1
            kind = _HORIZON
            who = -1
            crew = 0
            seatless = 0
            for p in range(n_prov):
                if replacement_due[p] < _NEVER:
                    t_launch = replacement_due[p]
                    launch_kind = _REPLACEMENT
                else:
                    t_launch = next_rotation[p]
                    launch_kind = _ROTATION
                if t_launch < t_next or (t_launch == t_next and rank > 0):
                    t_next, rank, kind, who = t_launch, 0, launch_kind, p
                if docked[p]:
                    crew += occupants[p]
                    if damaged[p]:
                        seatless += occupants[p]
                    else:
                        expiry = dock_t[p] + prov[p, DOCKED_LIFE_D]
                        if expiry < t_next or (expiry == t_next and rank > 1):
                            t_next, rank, kind, who = expiry, 1, _EXPIRY, p
                        if next_damage[p] < t_next or (next_damage[p] == t_next and rank > 2):
                            t_next, rank, kind, who = next_damage[p], 2, _DAMAGE, p
            if next_emergency < t_next:
                t_next = next_emergency
                kind = _EMERGENCY

            # Time-weighted tallies up to the event.
            dt = t_next - t
            if crew == 0 and dt > 0.0:
                decrewed += dt
                any_decrew = True
            seatless_days += seatless * dt
            t = t_next
            if kind == _HORIZON:
                break

            if kind == _ROTATION or kind == _REPLACEMENT:
                p = who
                launches += 1
                cost += prov[p, COST_MUSD]
                crewed = kind == _ROTATION and prov[p, CREW] > 0
                if crewed:
                    crewed_launches += 1
                to_failure[p] -= 1
                if to_failure[p] == 0:
                    to_failure[p] = _trials_to_failure(rng, prov[p, P_ASCENT_FAIL])
                    if crewed and rng.random() >= prov[p, P_ABORT_OK]:
                        cause = 0
                        break
                    grounded_until[p] = t + _grounding_days(
                        rng, prov[p, GROUNDING_LN_MEDIAN], prov[p, GROUNDING_SIGMA]
                    )
                    if kind == _ROTATION:
                        next_rotation[p] = grounded_until[p]
                    else:
                        replacement_due[p] = grounded_until[p]
                    continue
                # A usable vehicle at the port keeps its (memoryless) damage clock running for
                # its successor; otherwise the new vehicle starts a fresh one.
                keeps_clock = docked[p] and not damaged[p]
                if kind == _ROTATION:
                    # The old vehicle takes everyone assigned to it home.
                    if docked[p] and occupants[p] > 0:
                        returns_to_failure[p] -= 1
                        if returns_to_failure[p] == 0:
                            cause = 3
                            break
                    occupants[p] = int(prov[p, CREW])
                else:
                    # The damaged vehicle leaves empty; its crew boards the replacement.
                    replacement_due[p] = _NEVER
                docked[p] = True
                damaged[p] = False
                dock_t[p] = t
                if not keeps_clock:
                    next_damage[p] = t + _exponential_or_never(rng, prov[p, DAMAGE_RATE_PER_D])
                next_rotation[p] = t + prov[p, INTERVAL_D]
                if seat_sharing and seatless > 0:  # (seatless: crew in damaged vehicles)
                    _reseat_damaged(prov, docked, damaged, occupants)
                if kind == _ROTATION and occupants[p] == prov[p, CREW]:
                    skipped = _fast_forward(
                        p, prov, docked, damaged, dock_t, next_rotation, replacement_due,
                        next_damage, to_failure, returns_to_failure, next_emergency, horizon_d,
                    )
                    launches += skipped
                    cost += skipped * prov[p, COST_MUSD]
                    if crewed:
                        crewed_launches += skipped

            elif kind == _EXPIRY:
                p = who
                if mixed_crews:
                    _reseat(prov, docked, damaged, occupants, p, occupants[p])
                if occupants[p] > 0:
                    returns_to_failure[p] -= 1
                    if returns_to_failure[p] == 0:
                        cause = 3
                        break
                docked[p] = False
                occupants[p] = 0

            elif kind == _DAMAGE:
                p = who
                damaged[p] = True
                replacement_due[p] = max(t + prov[p, READINESS_D], grounded_until[p])
                if seat_sharing:
                    _reseat(prov, docked, damaged, occupants, p, occupants[p])

            else:  # _EMERGENCY
                next_emergency = t + _exponential_or_never(rng, evacuation_rate_per_d)
                if crew == 0:
                    continue
                evacuations += 1
                if seatless > 0:
                    cause = 2
                    break
                for p in range(n_prov):
                    if docked[p] and not damaged[p] and occupants[p] > 0:
                        if rng.random() < prov[p, P_EMERGENCY_RETURN_FAIL]:
                            cause = 1
                            break
                        docked[p] = False
                        occupants[p] = 0
                if cause >= 0:
                    break

        n_done += 1.0
        if cause >= 0:
            n_loc += 1.0
            by_cause[cause] += 1.0
        sum_decrewed += decrewed
        sum_decrewed_sq += decrewed * decrewed
        if any_decrew:
            n_any_decrew += 1.0
        sum_seatless += seatless_days
        sum_seatless_sq += seatless_days * seatless_days
        sum_launches += launches
        sum_launches_sq += launches * launches
        sum_crewed += crewed_launches
        sum_cost += cost
        sum_cost_sq += cost * cost
        sum_evacuations += evacuations

    out[0] += n_done
    out[1] += n_loc
    for c in range(4):
        out[_FIRST_CAUSE + c] += by_cause[c]
    out[6] += sum_decrewed
    out[7] += sum_decrewed_sq
    out[8] += n_any_decrew
    out[9] += sum_seatless
    out[10] += sum_seatless_sq
    out[11] += sum_launches
    out[12] += sum_launches_sq
    out[13] += sum_crewed
    out[14] += sum_cost
    out[15] += sum_cost_sq
    out[16] += sum_evacuations
