"""The fast Monte Carlo kernel: one event loop per trial, compiled with numba.

Pure numerics: parameters come in as float arrays (columns below), times are in days, rates per
day. The semantics are those of ``docs/risk-model.md``; ``reference.py`` is an independent SimPy
implementation of the same rules. Each trial writes one row of per-trial tallies (``COLUMNS``);
the service reduces them.

The station has *slots*: each is one docked crew vehicle of a provider, replaced by that slot's
rotation flights. A provider with ``vehicles = 2`` has two staggered slots. Random numbers come
from per-trial streams (emergencies, medical events, each slot, each rescuer), so that
architectures compared with one seed share them (common random numbers). Exact shortcuts keep
the loop fast without changing the distribution of anything:

* launch failures of a slot are drawn as the number of launches until its next failure (a
  geometric variate) instead of one Bernoulli draw per launch, and likewise the failures of its
  nominal returns (every launch is an independent Bernoulli trial, whichever slot counts it);
* the damage clock of a docked vehicle is exponential, hence memoryless: a usable vehicle
  replaced by a rotation hands its clock on to its successor;
* the station hazards are merged into one Poisson stream of evacuation-forcing emergencies
  (superposition and thinning), and medical events are one stream at the full-crew rate, thinned
  by the crew aboard;
* all rotations of slots in their nominal state that come strictly before the next event that
  could change anything (a hazard, a damage, a slot's next failing launch or return, an expiry,
  any other slot's next event, the horizon) are applied in one step (the fast forward): they
  draw nothing and only add launches, cost and person-missions;
* at a visited station (one crewed slot whose vehicle leaves before the next crew comes, every
  other slot uncrewed), the visits before the next event of anything else are applied in one
  step with the same draws (a damage clock per arrival) and the same tallies (the visit fast
  forward).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

# Slot columns (one row per docked vehicle slot).
S_PROVIDER = 0
S_CREW = 1
S_SEATS = 2
S_INTERVAL_D = 3
S_PHASE_D = 4
S_DOCKED_LIFE_D = 5
N_SLOT_COLUMNS = 6

# Provider columns.
P_ASCENT_FAIL = 0
P_ABORT_OK = 1
P_NOMINAL_RETURN_FAIL = 2
P_EMERGENCY_RETURN_FAIL = 3
DAMAGE_RATE_PER_D = 4
UNDETECTED_FRACTION = 5
CCF_BETA = 6
DESIGN = 7  # integer id of the vehicle design (common-cause group)
GROUNDING_LN_MEDIAN = 8  # ln(median grounding / 1 d); -inf for a zero grounding
GROUNDING_SIGMA = 9
READINESS_D = 10
COST_MUSD = 11
STAND_DOWN_D = 12
RESCUE = 13  # 1: launches an uncrewed rescue vehicle on need
RESCUE_READINESS_D = 14
RESCUE_SEATS = 15
LAUNCHER = 16  # integer id of the launcher: a launch failure grounds every provider on it
N_PROVIDER_COLUMNS = 17

# Station parameters.
EVACUATION_RATE_PER_D = 0
MEDICAL_RATE_PER_PERSON_D = 1
SEATLESS_LIMIT_D = 2  # consumables for a crew without a usable seat; inf = no limit
HORIZON_D = 3
SEAT_SHARING = 4
MIXED_CREWS = 5
END_AT_LOSS = 6  # 1: the first loss of crew ends the trial (the textbook contract)
MAX_EVENTS = 7
N_STATION = 8

MAX_PROVIDERS = 4
CAUSES = ("ascent", "nominal_return", "emergency_return", "no_seat", "stranded",
          "undetected_damage", "medical_return")
(C_ASCENT, C_NOMINAL_RETURN, C_EMERGENCY_RETURN, C_NO_SEAT, C_STRANDED, C_UNDETECTED,
 C_MEDICAL) = range(7)

# Per-trial tallies, one row per trial.
COLUMNS = (
    ("loc", "loss_events", "people_lost")
    + tuple(f"lost_{c}" for c in CAUSES)
    + ("person_missions", "crew_days", "decrewed_days", "any_decrew", "seatless_crew_days",
       "launches", "crewed_launches", "cost_musd", "evacuations", "medical_evacuations",
       "rescue_flights", "truncated")
    + tuple(f"{name}_{p}" for p in range(MAX_PROVIDERS)
            for name in ("people_lost", "person_missions", "crew_days", "launches", "cost_musd"))
)
COL = {name: i for i, name in enumerate(COLUMNS)}
N_COLUMNS = len(COLUMNS)
_LOC, _EVENTS, _LOST = 0, 1, 2
_LOST_CAUSE = 3
_PM = COL["person_missions"]
_CREW_DAYS = COL["crew_days"]
_DECREWED = COL["decrewed_days"]
_ANY_DECREW = COL["any_decrew"]
_SEATLESS = COL["seatless_crew_days"]
_LAUNCHES = COL["launches"]
_CREWED = COL["crewed_launches"]
_COST = COL["cost_musd"]
_EVAC = COL["evacuations"]
_MEDEVAC = COL["medical_evacuations"]
_RESCUES = COL["rescue_flights"]
_TRUNC = COL["truncated"]
_PROV0 = COL["people_lost_0"]
_PER_PROV = 5

_NEVER = np.inf
_NO_FAILURE = 1 << 62

_HORIZON, _ROTATION, _REPLACEMENT, _EXPIRY, _DAMAGE, _STRANDED, _RESCUE, _EMERGENCY, _MEDICAL = range(9)


# Random streams. Every trial gets fresh, independent streams: one for emergencies, one for
# medical events, one per slot and one per launch-on-need provider, each a SplitMix64 sequence
# seeded from (chunk seed, trial, stream). Two architectures run with the same seed therefore
# see the same random numbers for the same slot, hazard or rescuer in every trial, whatever the
# other slots draw: common random numbers that stay aligned.
EMERGENCY_STREAM = 0
MEDICAL_STREAM = 1
_SLOT_STREAM0 = 2
_MAX_SLOTS = 8
_RESCUE_STREAM0 = _SLOT_STREAM0 + _MAX_SLOTS
N_STREAMS = _RESCUE_STREAM0 + MAX_PROVIDERS
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_TWO_M53 = 1.0 / 9007199254740992.0


@njit(cache=True, nogil=True, inline="always")
def _mix(z):
    """The SplitMix64 finaliser (a bijection of 64-bit words)."""
    z = (z ^ (z >> np.uint64(30))) * _M1
    z = (z ^ (z >> np.uint64(27))) * _M2
    return z ^ (z >> np.uint64(31))


@njit(cache=True, nogil=True, inline="always")
def _seed_stream(rs, k, chunk_seed, trial):
    rs[k] = _mix(chunk_seed ^ _mix(np.uint64(trial) * np.uint64(64) + np.uint64(k) + _GOLDEN))


@njit(cache=True, nogil=True, inline="always")
def _uniform(rs, k):
    """A uniform variate in (0, 1) from stream ``k``."""
    rs[k] += _GOLDEN
    # The top 53 bits fit an int64, whose conversion to float is one instruction (a uint64's
    # is several): the same value.
    return (float(np.int64(_mix(rs[k]) >> np.uint64(11))) + 0.5) * _TWO_M53


@njit(cache=True, nogil=True, inline="always")
def _trials_to_failure(rs, k, p_fail, log_q):
    """Bernoulli trials (launches, returns) up to and including the next failure: a geometric
    variate on {1, 2, ...}; ``log_q`` is log(1 - p_fail), computed once per run."""
    if p_fail <= 0.0:
        return _NO_FAILURE
    if p_fail >= 1.0:
        return 1
    n = 1.0 + math.floor(math.log(_uniform(rs, k)) / log_q)
    return int(min(n, float(_NO_FAILURE)))


@njit(cache=True, nogil=True, inline="always")
def _grounding_days(rs, k, ln_median, sigma):
    """A lognormal grounding, d: exp(ln_median + sigma Z) (Z by Box-Muller); zero when
    ln_median is -inf."""
    if ln_median == -np.inf:
        return 0.0
    if sigma == 0.0:
        return math.exp(ln_median)
    z = math.sqrt(-2.0 * math.log(_uniform(rs, k))) * math.cos(2.0 * math.pi * _uniform(rs, k))
    return math.exp(ln_median + sigma * z)


@njit(cache=True, nogil=True, inline="always")
def _exponential_or_never(rs, k, rate_per_day):
    """Waiting time to the next Poisson event, d (inf for a zero rate)."""
    if rate_per_day <= 0.0:
        return _NEVER
    return -math.log(_uniform(rs, k)) / rate_per_day


@njit(cache=True, nogil=True, inline="always")  # a call passing arrays costs more
def _ground(prov, grounded_until, column, p, until):
    """No launch before ``until`` for every provider sharing provider ``p``'s launcher
    (``column = LAUNCHER``) or vehicle design (``column = DESIGN``)."""
    for r in range(prov.shape[0]):
        if prov[r, column] == prov[p, column] and until > grounded_until[r]:
            grounded_until[r] = until


@njit(cache=True, nogil=True, inline="always")  # a call passing arrays costs more
def _reseat(slots, docked, damaged, occupants, src, n_movers):
    """Move up to ``n_movers`` crew of slot ``src`` into free seats of the other usable docked
    vehicles, in slot order. Returns how many moved."""
    moved = 0
    for q in range(slots.shape[0]):
        if moved == n_movers:
            break
        if q == src or not docked[q] or damaged[q]:
            continue
        free = int(slots[q, S_SEATS]) - occupants[q]
        if free > 0:
            k = min(free, n_movers - moved)
            occupants[q] += k
            moved += k
    occupants[src] -= moved
    return moved


@njit(cache=True, nogil=True, inline="always")
def _lose(out, i, prov_of_slot, cause, persons):
    """Book a loss of crew of ``persons`` people of the slot's provider, by cause, in trial
    ``i``'s row of ``out``."""
    out[i, _EVENTS] += 1.0
    out[i, _LOST] += persons
    out[i, _LOST_CAUSE + cause] += persons
    out[i, _PROV0 + _PER_PROV * prov_of_slot] += persons


@njit(cache=True, nogil=True, error_model="numpy")
def simulate_trials(chunk_seed, slots, prov, station, out):
    """Simulate ``out.shape[0]`` trials; trial ``i`` writes its tallies (``COLUMNS``) to
    ``out[i]`` (which must start at zero).

    ``chunk_seed`` is a 64-bit word (``np.uint64``) from which every trial's streams derive;
    ``slots`` the (slots × N_SLOT_COLUMNS) array, ``prov`` the
    (providers × N_PROVIDER_COLUMNS) array, ``station`` the N_STATION parameters.
    """
    n_slots = slots.shape[0]
    n_prov = prov.shape[0]
    evac_rate = station[EVACUATION_RATE_PER_D]
    full_crew = 0
    for s in range(n_slots):
        full_crew += int(slots[s, S_CREW])
    medical_rate = station[MEDICAL_RATE_PER_PERSON_D] * full_crew
    seatless_limit = station[SEATLESS_LIMIT_D]
    horizon = station[HORIZON_D]
    seat_sharing = station[SEAT_SHARING] > 0
    mixed_crews = station[MIXED_CREWS] > 0
    end_at_loss = station[END_AT_LOSS] > 0
    max_events = int(station[MAX_EVENTS])

    docked = np.zeros(n_slots, dtype=np.bool_)
    damaged = np.zeros(n_slots, dtype=np.bool_)
    latent = np.zeros(n_slots, dtype=np.bool_)
    occupants = np.zeros(n_slots, dtype=np.int64)
    dock_t = np.zeros(n_slots)
    next_rotation = np.zeros(n_slots)
    replacement_due = np.zeros(n_slots)
    seatless_since = np.zeros(n_slots)
    next_damage = np.zeros(n_slots)
    to_failure = np.zeros(n_slots, dtype=np.int64)
    returns_to_failure = np.zeros(n_slots, dtype=np.int64)
    grounded_until = np.zeros(n_prov)
    rescue_due = np.zeros(n_prov)
    nominal = np.zeros(n_slots, dtype=np.bool_)
    log_q_ascent = np.zeros(n_prov)
    log_q_return = np.zeros(n_prov)
    for p in range(n_prov):
        if 0.0 < prov[p, P_ASCENT_FAIL] < 1.0:
            log_q_ascent[p] = math.log1p(-prov[p, P_ASCENT_FAIL])
        if 0.0 < prov[p, P_NOMINAL_RETURN_FAIL] < 1.0:
            log_q_return[p] = math.log1p(-prov[p, P_NOMINAL_RETURN_FAIL])

    # The visit fast forward applies to the one crewed slot whose vehicle leaves before the
    # next crew comes (a visited station such as the Gateway) when every other slot is uncrewed.
    visit = -1
    for s in range(n_slots):
        if slots[s, S_CREW] > 0:
            if visit == -1 and slots[s, S_DOCKED_LIFE_D] < slots[s, S_INTERVAL_D] and not mixed_crews:
                visit = s
            else:
                visit = -2
    if visit < 0:
        visit = -1

    rs = np.zeros(N_STREAMS, dtype=np.uint64)
    for i in range(out.shape[0]):
        # Only the streams this architecture uses (a stream's numbers do not depend on which
        # others exist).
        _seed_stream(rs, EMERGENCY_STREAM, chunk_seed, i)
        _seed_stream(rs, MEDICAL_STREAM, chunk_seed, i)
        for s in range(n_slots):
            _seed_stream(rs, _SLOT_STREAM0 + s, chunk_seed, i)
        for r in range(n_prov):
            if prov[r, RESCUE] > 0:
                _seed_stream(rs, _RESCUE_STREAM0 + r, chunk_seed, i)
        for p in range(n_prov):
            grounded_until[p] = -_NEVER
            rescue_due[p] = _NEVER
        for s in range(n_slots):
            p = int(slots[s, S_PROVIDER])
            docked[s] = True
            damaged[s] = False
            latent[s] = False
            occupants[s] = int(slots[s, S_CREW])
            dock_t[s] = -slots[s, S_PHASE_D]
            next_rotation[s] = slots[s, S_INTERVAL_D] - slots[s, S_PHASE_D]
            replacement_due[s] = _NEVER
            next_damage[s] = _exponential_or_never(rs, _SLOT_STREAM0 + s, prov[p, DAMAGE_RATE_PER_D])
            to_failure[s] = _trials_to_failure(rs, _SLOT_STREAM0 + s, prov[p, P_ASCENT_FAIL], log_q_ascent[p])
            returns_to_failure[s] = _trials_to_failure(rs, _SLOT_STREAM0 + s, prov[p, P_NOMINAL_RETURN_FAIL], log_q_return[p])
            # The crew aboard at t = 0 are on their mission: count it once.
            out[i, _PM] += slots[s, S_CREW]
            out[i, _PROV0 + _PER_PROV * p + 1] += slots[s, S_CREW]
        next_emergency = _exponential_or_never(rs, EMERGENCY_STREAM, evac_rate)
        next_medical = _exponential_or_never(rs, MEDICAL_STREAM, medical_rate)

        t = 0.0
        events = 0
        stop = False
        while not stop:
            if events >= max_events:
                out[i, _TRUNC] = 1.0
                break
            events += 1
            if visit >= 0:
                # Visit fast forward: apply the visits of slot ``visit`` (arrival; return home at
                # the end of its docked life; the station empty until the next arrival) that
                # come strictly before the next event of anything else, exactly as the events
                # below would: the same draws from its stream (a damage clock per arrival), the
                # same tallies. It stops before a failing launch or return, a damage, a
                # grounding, an emergency or medical event and any other slot's next event
                # (the other slots are uncrewed; their nominal rotations catch up below).
                v = visit
                vp = int(slots[v, S_PROVIDER])
                v_crew = int(slots[v, S_CREW])
                ok = not damaged[v] and not latent[v] and replacement_due[v] == _NEVER
                ok = ok and occupants[v] == (v_crew if docked[v] else 0)
                for r in range(n_prov):
                    if rescue_due[r] < _NEVER:
                        ok = False
                v_stop = min(horizon, next_emergency, next_medical)
                for s in range(n_slots):
                    if not ok:
                        break
                    if s == v:
                        continue
                    if occupants[s] > 0:
                        ok = False
                        break
                    q = int(slots[s, S_PROVIDER])
                    s_interval = slots[s, S_INTERVAL_D]
                    s_life = slots[s, S_DOCKED_LIFE_D]
                    if (docked[s] and not damaged[s] and not latent[s] and replacement_due[s] == _NEVER
                            and slots[s, S_CREW] == 0 and next_rotation[s] >= grounded_until[q]):
                        v_stop = min(v_stop, next_damage[s])
                        if s_life <= s_interval or next_rotation[s] >= dock_t[s] + s_life:
                            v_stop = min(v_stop, dock_t[s] + s_life)
                        if to_failure[s] < _NO_FAILURE:
                            v_stop = min(v_stop, next_rotation[s] + (to_failure[s] - 1) * s_interval)
                    else:
                        v_stop = min(v_stop, next_rotation[s], replacement_due[s])
                        if docked[s]:
                            v_stop = min(v_stop, dock_t[s] + s_life, next_damage[s])
                v_interval = slots[v, S_INTERVAL_D]
                v_life = slots[v, S_DOCKED_LIFE_D]
                v_days = _PROV0 + _PER_PROV * vp + 2
                while ok:
                    if docked[v]:  # the visit ends: its crew goes home
                        e = dock_t[v] + v_life
                        if (not (e < v_stop and e < next_damage[v] and e < next_rotation[v])
                                or returns_to_failure[v] <= 1):
                            break
                        out[i, _CREW_DAYS] += v_crew * (e - t)
                        out[i, v_days] += v_crew * (e - t)
                        t = e
                        returns_to_failure[v] -= 1
                        docked[v] = False
                        occupants[v] = 0
                    else:  # the next crew arrives
                        a = next_rotation[v]
                        if not (a < v_stop and a >= grounded_until[vp]) or to_failure[v] <= 1:
                            break
                        if a > t:
                            out[i, _DECREWED] += a - t
                            out[i, _ANY_DECREW] = 1.0
                        t = a
                        out[i, _LAUNCHES] += 1.0
                        out[i, _COST] += prov[vp, COST_MUSD]
                        out[i, _PROV0 + _PER_PROV * vp + 3] += 1.0
                        out[i, _PROV0 + _PER_PROV * vp + 4] += prov[vp, COST_MUSD]
                        out[i, _CREWED] += 1.0
                        out[i, _PM] += v_crew
                        out[i, _PROV0 + _PER_PROV * vp + 1] += v_crew
                        to_failure[v] -= 1
                        occupants[v] = v_crew
                        docked[v] = True
                        dock_t[v] = t
                        next_damage[v] = t + _exponential_or_never(rs, _SLOT_STREAM0 + v, prov[vp, DAMAGE_RATE_PER_D])
                        next_rotation[v] = t + v_interval
            # Fast forward (written out here: a call with this many arrays costs more than it
            # saves). Apply every rotation of every slot in its nominal state that comes
            # strictly before the next event that could change anything (any other slot's next
            # event included); such rotations draw no random numbers and change no
            # time-weighted tally.
            can_skip = True
            for r in range(n_prov):
                if rescue_due[r] < _NEVER:
                    can_skip = False
            t_stop = min(horizon, next_emergency, next_medical)
            n_nominal = 0
            if can_skip:
                for s in range(n_slots):
                    p = int(slots[s, S_PROVIDER])
                    interval = slots[s, S_INTERVAL_D]
                    life = slots[s, S_DOCKED_LIFE_D]
                    nominal[s] = False
                    if docked[s] and damaged[s]:
                        if occupants[s] > 0:
                            if seat_sharing:  # arrivals would reseat them
                                can_skip = False
                                break
                            t_stop = min(t_stop, seatless_since[s] + seatless_limit)
                        t_stop = min(t_stop, replacement_due[s])
                        continue
                    if (docked[s] and not latent[s] and replacement_due[s] == _NEVER
                            and occupants[s] == int(slots[s, S_CREW])
                            and next_rotation[s] >= grounded_until[p]):
                        nominal[s] = True
                        n_nominal += 1
                        t_stop = min(t_stop, next_damage[s])
                        if life <= interval or next_rotation[s] >= dock_t[s] + life:
                            t_stop = min(t_stop, dock_t[s] + life)
                        k = to_failure[s]
                        if slots[s, S_CREW] > 0:
                            k = min(k, returns_to_failure[s])
                        if k < _NO_FAILURE:  # the k-th rotation from now fails: stop before it
                            t_stop = min(t_stop, next_rotation[s] + (k - 1) * interval)
                    else:  # its next event, whatever it is, bounds the skip
                        t_stop = min(t_stop, next_rotation[s], replacement_due[s])
                        if docked[s]:
                            t_stop = min(t_stop, dock_t[s] + life, next_damage[s])
            if can_skip and n_nominal > 0:
                for s in range(n_slots):
                    first = next_rotation[s]
                    if not nominal[s] or not first < t_stop:
                        continue
                    interval = slots[s, S_INTERVAL_D]
                    n = int(min(math.ceil((t_stop - first) / interval), 1e15))
                    while n > 1 and not first + (n - 1) * interval < t_stop:
                        n -= 1
                    while first + n * interval < t_stop:
                        n += 1
                    p = int(slots[s, S_PROVIDER])
                    crew_up = slots[s, S_CREW]
                    dock_t[s] = first + (n - 1) * interval
                    next_rotation[s] = first + n * interval
                    to_failure[s] -= n
                    cost = n * prov[p, COST_MUSD]
                    out[i, _LAUNCHES] += n
                    out[i, _COST] += cost
                    out[i, _PROV0 + _PER_PROV * p + 3] += n
                    out[i, _PROV0 + _PER_PROV * p + 4] += cost
                    if crew_up > 0:
                        returns_to_failure[s] -= n
                        out[i, _CREWED] += n
                        out[i, _PM] += n * crew_up
                        out[i, _PROV0 + _PER_PROV * p + 1] += n * crew_up
            # The next event, and the crew counts that hold until it. Ties: the horizon first
            # (nothing happens at it), then launches, expiries, damage, stranding, rescues in
            # slot/provider order, then emergencies and medical events.
            t_next = horizon
            kind = _HORIZON
            who = -1
            crew = 0
            seatless = 0
            for s in range(n_slots):
                if replacement_due[s] < _NEVER:
                    if replacement_due[s] < t_next:
                        t_next, kind, who = replacement_due[s], _REPLACEMENT, s
                elif next_rotation[s] < t_next:
                    t_next, kind, who = next_rotation[s], _ROTATION, s
                if docked[s]:
                    crew += occupants[s]
                    if damaged[s]:
                        seatless += occupants[s]
                        if occupants[s] > 0 and seatless_since[s] + seatless_limit < t_next:
                            t_next, kind, who = seatless_since[s] + seatless_limit, _STRANDED, s
                    else:
                        expiry = dock_t[s] + slots[s, S_DOCKED_LIFE_D]
                        if expiry < t_next:
                            t_next, kind, who = expiry, _EXPIRY, s
                        if next_damage[s] < t_next:
                            t_next, kind, who = next_damage[s], _DAMAGE, s
            for r in range(n_prov):
                if rescue_due[r] < t_next:
                    t_next, kind, who = rescue_due[r], _RESCUE, r
            if next_emergency < t_next:
                t_next, kind = next_emergency, _EMERGENCY
            if next_medical < t_next:
                t_next, kind = next_medical, _MEDICAL

            # Time-weighted tallies up to the event.
            dt = t_next - t
            if dt > 0.0:
                if crew == 0:
                    out[i, _DECREWED] += dt
                    out[i, _ANY_DECREW] = 1.0
                out[i, _CREW_DAYS] += crew * dt
                out[i, _SEATLESS] += seatless * dt
                for s in range(n_slots):
                    if docked[s] and occupants[s] > 0:
                        out[i, _PROV0 + _PER_PROV * int(slots[s, S_PROVIDER]) + 2] += occupants[s] * dt
            t = t_next
            if kind == _HORIZON:
                break

            if kind == _ROTATION or kind == _REPLACEMENT:
                s = who
                p = int(slots[s, S_PROVIDER])
                if t < grounded_until[p]:  # grounded, standing down: the launch waits
                    if kind == _ROTATION:
                        next_rotation[s] = grounded_until[p]
                    else:
                        replacement_due[s] = grounded_until[p]
                    continue
                crew_up = int(slots[s, S_CREW]) if kind == _ROTATION else 0
                out[i, _LAUNCHES] += 1.0
                out[i, _COST] += prov[p, COST_MUSD]
                out[i, _PROV0 + _PER_PROV * p + 3] += 1.0
                out[i, _PROV0 + _PER_PROV * p + 4] += prov[p, COST_MUSD]
                if crew_up > 0:
                    out[i, _CREWED] += 1.0
                    out[i, _PM] += crew_up
                    out[i, _PROV0 + _PER_PROV * p + 1] += crew_up
                to_failure[s] -= 1
                if to_failure[s] == 0:
                    to_failure[s] = _trials_to_failure(rs, _SLOT_STREAM0 + s, prov[p, P_ASCENT_FAIL], log_q_ascent[p])
                    _ground(prov, grounded_until, LAUNCHER, p, t + _grounding_days(
                        rs, _SLOT_STREAM0 + s, prov[p, GROUNDING_LN_MEDIAN], prov[p, GROUNDING_SIGMA]))
                    if crew_up > 0 and _uniform(rs, _SLOT_STREAM0 + s) >= prov[p, P_ABORT_OK]:
                        _lose(out, i, p, C_ASCENT, crew_up)
                        if end_at_loss:
                            stop = True
                            continue
                        _ground(prov, grounded_until, DESIGN, p, t + prov[p, STAND_DOWN_D])
                    if kind == _ROTATION:
                        next_rotation[s] = grounded_until[p]
                    else:
                        replacement_due[s] = grounded_until[p]
                    continue
                keeps_clock = docked[s] and not damaged[s] and not latent[s]
                if kind == _ROTATION:
                    # The old vehicle takes everyone assigned to it home.
                    if docked[s] and occupants[s] > 0:
                        if latent[s]:
                            _lose(out, i, p, C_UNDETECTED, occupants[s])
                            if end_at_loss:
                                stop = True
                                continue
                            _ground(prov, grounded_until, DESIGN, p, t + prov[p, STAND_DOWN_D])
                        else:
                            returns_to_failure[s] -= 1
                            if returns_to_failure[s] <= 0:
                                returns_to_failure[s] = _trials_to_failure(rs, _SLOT_STREAM0 + s, prov[p, P_NOMINAL_RETURN_FAIL], log_q_return[p])
                                _lose(out, i, p, C_NOMINAL_RETURN, occupants[s])
                                if end_at_loss:
                                    stop = True
                                    continue
                                _ground(prov, grounded_until, DESIGN, p, t + prov[p, STAND_DOWN_D])
                    occupants[s] = crew_up
                else:
                    # The damaged vehicle leaves empty; its crew (if still aboard) boards the
                    # replacement.
                    replacement_due[s] = _NEVER
                docked[s] = True
                damaged[s] = False
                latent[s] = False
                dock_t[s] = t
                if not keeps_clock:
                    next_damage[s] = t + _exponential_or_never(rs, _SLOT_STREAM0 + s, prov[p, DAMAGE_RATE_PER_D])
                next_rotation[s] = t + slots[s, S_INTERVAL_D]
                if seat_sharing and seatless > 0:
                    for q in range(n_slots):
                        if docked[q] and damaged[q] and occupants[q] > 0:
                            _reseat(slots, docked, damaged, occupants, q, occupants[q])

            elif kind == _EXPIRY:
                s = who
                p = int(slots[s, S_PROVIDER])
                if mixed_crews:
                    _reseat(slots, docked, damaged, occupants, s, occupants[s])
                if occupants[s] > 0:
                    if latent[s]:
                        _lose(out, i, p, C_UNDETECTED, occupants[s])
                        if end_at_loss:
                            break
                        _ground(prov, grounded_until, DESIGN, p, t + prov[p, STAND_DOWN_D])
                    else:
                        returns_to_failure[s] -= 1
                        if returns_to_failure[s] <= 0:
                            returns_to_failure[s] = _trials_to_failure(rs, _SLOT_STREAM0 + s, prov[p, P_NOMINAL_RETURN_FAIL], log_q_return[p])
                            _lose(out, i, p, C_NOMINAL_RETURN, occupants[s])
                            if end_at_loss:
                                break
                            _ground(prov, grounded_until, DESIGN, p, t + prov[p, STAND_DOWN_D])
                docked[s] = False
                latent[s] = False
                occupants[s] = 0

            elif kind == _DAMAGE:
                s = who
                p = int(slots[s, S_PROVIDER])
                next_damage[s] = _NEVER
                if _uniform(rs, _SLOT_STREAM0 + s) < prov[p, UNDETECTED_FRACTION]:
                    latent[s] = True  # unnoticed: the next return in it fails
                    continue
                damaged[s] = True
                seatless_since[s] = t
                replacement_due[s] = t + prov[p, READINESS_D]
                if _uniform(rs, _SLOT_STREAM0 + s) < prov[p, CCF_BETA]:
                    # A common cause: every docked vehicle of the design is unfit, and every
                    # provider flying it stands down for a grounding.
                    design = prov[p, DESIGN]
                    for r in range(n_prov):
                        if prov[r, DESIGN] == design:
                            grounded_until[r] = max(grounded_until[r], t + _grounding_days(
                                rs, _SLOT_STREAM0 + s, prov[r, GROUNDING_LN_MEDIAN], prov[r, GROUNDING_SIGMA]))
                    for q in range(n_slots):
                        r = int(slots[q, S_PROVIDER])
                        if q != s and docked[q] and not damaged[q] and prov[r, DESIGN] == design:
                            damaged[q] = True
                            latent[q] = False
                            next_damage[q] = _NEVER
                            seatless_since[q] = t
                            replacement_due[q] = t + prov[r, READINESS_D]
                if seat_sharing:
                    for q in range(n_slots):
                        if docked[q] and damaged[q] and occupants[q] > 0:
                            _reseat(slots, docked, damaged, occupants, q, occupants[q])
                waiting = False
                for q in range(n_slots):
                    if docked[q] and damaged[q] and occupants[q] > 0:
                        waiting = True
                if waiting:
                    for r in range(n_prov):
                        if prov[r, RESCUE] > 0 and rescue_due[r] == _NEVER:
                            rescue_due[r] = t + prov[r, RESCUE_READINESS_D]
                            break

            elif kind == _STRANDED:
                s = who
                p = int(slots[s, S_PROVIDER])
                _lose(out, i, p, C_STRANDED, occupants[s])
                occupants[s] = 0
                if end_at_loss:
                    break
                _ground(prov, grounded_until, DESIGN, p, t + prov[p, STAND_DOWN_D])

            elif kind == _RESCUE:
                r = who
                if t < grounded_until[r]:
                    rescue_due[r] = grounded_until[r]
                    continue
                rescue_due[r] = _NEVER
                waiting = 0
                for q in range(n_slots):
                    if docked[q] and damaged[q]:
                        waiting += occupants[q]
                if waiting == 0:
                    continue  # nobody left to rescue: the flight is called off
                out[i, _LAUNCHES] += 1.0
                out[i, _COST] += prov[r, COST_MUSD]
                out[i, _PROV0 + _PER_PROV * r + 3] += 1.0
                out[i, _PROV0 + _PER_PROV * r + 4] += prov[r, COST_MUSD]
                if _uniform(rs, _RESCUE_STREAM0 + r) < prov[r, P_ASCENT_FAIL]:  # uncrewed: costs time only
                    _ground(prov, grounded_until, LAUNCHER, r, t + _grounding_days(
                        rs, _RESCUE_STREAM0 + r, prov[r, GROUNDING_LN_MEDIAN], prov[r, GROUNDING_SIGMA]))
                    rescue_due[r] = grounded_until[r]
                    continue
                out[i, _RESCUES] += 1.0
                seats = int(prov[r, RESCUE_SEATS])
                boarded = 0
                for q in range(n_slots):
                    if docked[q] and damaged[q] and occupants[q] > 0 and boarded < seats:
                        k = min(occupants[q], seats - boarded)
                        occupants[q] -= k
                        boarded += k
                if _uniform(rs, _RESCUE_STREAM0 + r) < prov[r, P_NOMINAL_RETURN_FAIL]:
                    _lose(out, i, r, C_NOMINAL_RETURN, boarded)
                    if end_at_loss:
                        break
                    _ground(prov, grounded_until, DESIGN, r, t + prov[r, STAND_DOWN_D])
                if waiting > boarded:
                    rescue_due[r] = t + prov[r, RESCUE_READINESS_D]

            elif kind == _EMERGENCY:
                next_emergency = t + _exponential_or_never(rs, EMERGENCY_STREAM, evac_rate)
                if crew == 0:
                    continue
                out[i, _EVAC] += 1.0
                for s in range(n_slots):
                    if not docked[s]:
                        continue
                    p = int(slots[s, S_PROVIDER])
                    if occupants[s] > 0:
                        if damaged[s]:
                            _lose(out, i, p, C_NO_SEAT, occupants[s])
                        elif latent[s]:
                            _lose(out, i, p, C_UNDETECTED, occupants[s])
                        elif _uniform(rs, _SLOT_STREAM0 + s) < prov[p, P_EMERGENCY_RETURN_FAIL]:
                            _lose(out, i, p, C_EMERGENCY_RETURN, occupants[s])
                        else:
                            occupants[s] = 0
                        if occupants[s] > 0:
                            occupants[s] = 0
                            if end_at_loss:
                                stop = True
                                break
                            _ground(prov, grounded_until, DESIGN, p, t + prov[p, STAND_DOWN_D])
                    if replacement_due[s] < _NEVER:  # the rotation it held back flies now
                        replacement_due[s] = _NEVER
                        next_rotation[s] = max(next_rotation[s], t)
                    docked[s] = False
                    damaged[s] = False
                    latent[s] = False
                for r in range(n_prov):
                    rescue_due[r] = _NEVER

            else:  # _MEDICAL: one person aboard needs to go home now
                next_medical = t + _exponential_or_never(rs, MEDICAL_STREAM, medical_rate)
                # Thinning (the stream runs at the full-crew rate) and the patient: both drawn
                # every time, so the stream stays aligned across architectures.
                accept = _uniform(rs, MEDICAL_STREAM) * full_crew
                pick = int(_uniform(rs, MEDICAL_STREAM) * crew)
                if crew == 0 or accept >= crew:
                    continue
                s = 0
                while not docked[s] or pick >= occupants[s]:
                    if docked[s]:
                        pick -= occupants[s]
                    s += 1
                if damaged[s]:
                    continue  # a patient without a usable seat waits with the others
                p = int(slots[s, S_PROVIDER])
                out[i, _MEDEVAC] += 1.0
                if latent[s]:
                    _lose(out, i, p, C_UNDETECTED, occupants[s])
                    lost = True
                elif _uniform(rs, _SLOT_STREAM0 + s) < prov[p, P_EMERGENCY_RETURN_FAIL]:
                    _lose(out, i, p, C_MEDICAL, occupants[s])
                    lost = True
                else:
                    lost = False
                docked[s] = False
                latent[s] = False
                occupants[s] = 0
                if lost:
                    if end_at_loss:
                        break
                    _ground(prov, grounded_until, DESIGN, p, t + prov[p, STAND_DOWN_D])
                # The slot's next crew flies as soon as the provider is ready.
                next_rotation[s] = min(next_rotation[s], t + prov[p, READINESS_D])

        if out[i, _EVENTS] > 0:
            out[i, _LOC] = 1.0
