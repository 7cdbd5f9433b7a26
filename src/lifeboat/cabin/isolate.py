"""Hatch-closure isolation: which hatches to close, in which order, to find the leaking module.

The procedure modelled (docs/references.md: the crew's leak procedure): first measure the
reserve time (the time for a pressure drop of one sensor step at station level); then split the
station by closing hatches and watch which side keeps losing pressure; repeat inside the losing
side until one module is left; then search that module for the hole (ultrasonic detector).

A *test* closes a set of hatches, splitting the candidate region into parts. If the leak is in
part P, P's pressure falls at p·C/c_P (C = leak coefficient, c_P = P's gas capacity in kg/Pa), so
its drop reaches the sensor resolution r after r/rate_P. Every part but the largest reacts faster
than the largest, so the test lasts until the second-slowest part would have shown the drop (then
silence means: the slowest part), plus the time to close the hatches. The closed hatches stay
closed, keeping the ruled-out parts safe.

The plan minimises the expected time to locate over the prior: an exact dynamic programme over the
regions the tests can produce, C(S) = min over tests of [P(S)·duration + Σ C(part)], when the
number of regions is small; otherwise greedy steps (the test of most information — entropy drop —
per hour) until a region is small enough for the exact programme ("greedy+dp").

When to shelter instead (reported by both the plan and the simulation): (1) the 10-minute rule —
the linear reserve time of the region the crew works in is under 10 min; (2) the margin rule —
the time still needed to locate, times SHELTER_MARGIN, exceeds the physical time left before that
region reaches the limit (the crew would otherwise finish with no margin for the repair).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from lifeboat.cabin import physics
from lifeboat.cabin.leak import DEFAULT_LIMIT_MMHG, EVACUATE_NOW_RESERVE_H, resolve_module
from lifeboat.cabin.network import CabinNetwork, Leak, simulate
from lifeboat.errors import InputError

# The crew reads the time for a 1 mmHg drop (T1mm) to get the reserve time (Cristoforetti's
# logbook, forumastronautico L-108; docs/references.md): a 1 mmHg sensor step.
DEFAULT_RESOLUTION_MMHG = 1.0
# Cabin pressure sensors read to 0.1 mmHg at best; below 0.001 mmHg a "step" is numerical noise,
# and a step above 100 mmHg would never see a leak before the evacuation limit.
MIN_RESOLUTION_MMHG, MAX_RESOLUTION_MMHG = 1e-3, 100.0
# ASSUMPTION: time to close one hatch after clearing ducts and cables through it.
DEFAULT_HATCH_OPERATION_H = 0.25
# ASSUMPTION: ultrasonic search of one module for the hole once it is isolated (the MS-09 hole
# was behind a panel in the orbital module; Seradata, 30 Aug 2018).
DEFAULT_PINPOINT_H = 2.0
SHELTER_MARGIN = 2.0  # margin rule: shelter if 2 × time still needed > physical time left
DP_REGION_LIMIT = 20_000
# Watch 20 % longer than one sensor step takes at the present rate: the drop of an exponential
# decay lags the straight line, and the crew wants the step clearly seen.
DETECTION_MARGIN = 1.2  # above this many regions the greedy planner is used


@dataclass(frozen=True)
class IsolationTest:
    """One node of the plan: close ``close``, watch ``parts``; ``next`` holds, for each part, the
    following test or the located module's id."""

    close: list[tuple[str, str]]
    parts: list[list[str]]
    duration_h: float
    next: list[IsolationTest | str]


@dataclass(frozen=True)
class IsolationPlan:
    network: str
    candidates: list[str]
    prior: dict[str, float]
    leak_area_mm2: float
    sensor_resolution_mmhg: float
    hatch_operation_h: float
    pinpoint_h: float
    measure_reserve_h: float  # first step: time for one sensor step of drop, whole region
    tree: IsolationTest | str
    planned_time_h: dict[str, float]  # time to locate if the leak is in each module
    expected_time_h: float
    worst_time_h: float
    method: str  # "dp", "greedy" or "greedy+dp" (greedy at the top, exact below)
    time_to_limit_h: float  # physical, whole region, from the plan's start
    shelter: bool  # margin rule on the worst planned time, or the 10-minute rule
    shelter_reason: str


@dataclass(frozen=True)
class IsolationStep:
    start_h: float
    end_h: float
    action: str
    closed: list[tuple[str, str]]
    losing_part: list[str]
    pressure_mmhg: dict[str, float]  # at the end of the step, per module
    reserve_time_linear_h: float  # of the region still searched, at the end of the step


@dataclass(frozen=True)
class IsolationRun:
    true_module: str
    located_module: str | None  # None: the crew sheltered before locating it
    time_to_locate_h: float  # from the leak's detection, wake-up delay included (nan: sheltered)
    wake_delay_h: float
    steps: list[IsolationStep] = field(default_factory=list)
    final_pressure_mmhg: dict[str, float] = field(default_factory=dict)
    min_crew_pressure_mmhg: float = math.nan  # lowest pressure of the region being searched
    shelter: bool = False
    shelter_at_h: float | None = None
    shelter_reason: str = ""


def _bits(mask: int):
    """Indices of the set bits of ``mask``, lowest first."""
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


class _Planner:
    """Regions are bit masks over the network's modules (bit i = module i)."""

    def __init__(self, network, prior, coef, resolution_pa, p0_pa, hatch_h, pinpoint_h):
        self.ids = network.module_ids
        volume, temperature, _ = network.arrays()
        self.capacity = list(volume / (physics.R_AIR_J_PER_KG_K * temperature))
        self.prior = [prior.get(m, 0.0) for m in self.ids]
        self.coef = coef
        self.resolution_pa = resolution_pa
        self.p0 = p0_pa
        self.hatch_h = hatch_h
        self.pinpoint_h = pinpoint_h
        pos = {m: i for i, m in enumerate(self.ids)}
        self.edges = [(pos[h.a], pos[h.b]) for h in network.hatches if h.open]
        self.neighbours = [0] * len(self.ids)
        for a, b in self.edges:
            self.neighbours[a] |= 1 << b
            self.neighbours[b] |= 1 << a
        n_groups = int(network.group_labels().max()) + 1
        # In a forest (the usual station layout) removing edge (a, b) leaves b's side fixed, so
        # a region's parts are bit-mask intersections with these precomputed sides.
        self.side = None
        if len(set(map(frozenset, self.edges))) == len(self.ids) - n_groups:
            self.side = {}
            for a, b in self.edges:
                self.side[(a, b)] = self._reach(b, ~(1 << a))
                self.side[(b, a)] = self._reach(a, ~(1 << b))
        self.memo: dict[int, tuple[float, IsolationTest | str]] = {}
        self.prob_cache: dict[int, float] = {}
        self.detect_cache: dict[int, float] = {}

    def _reach(self, start: int, allowed: int) -> int:
        seen = frontier = 1 << start
        while frontier:
            grown = 0
            for i in _bits(frontier):
                grown |= self.neighbours[i]
            frontier = grown & allowed & ~seen
            seen |= frontier
        return seen

    def names(self, mask: int) -> list[str]:
        return [self.ids[i] for i in _bits(mask)]

    def probability(self, mask: int) -> float:
        if mask not in self.prob_cache:
            self.prob_cache[mask] = sum(self.prior[i] for i in _bits(mask))
        return self.prob_cache[mask]

    def detect_h(self, mask: int) -> float:
        """Watch time (h) for a part to fall by one resolution step if the leak is in it."""
        if mask not in self.detect_cache:
            rate = self.p0 * self.coef / sum(self.capacity[i] for i in _bits(mask))
            self.detect_cache[mask] = DETECTION_MARGIN * self.resolution_pa / rate / 3600.0
        return self.detect_cache[mask]

    def _parts(self, region: int, cut: frozenset) -> list[int]:
        if self.side is not None:
            parts = set()
            for a, b in cut:
                parts.add(region & self.side[(a, b)])
                parts.add(region & self.side[(b, a)])
            # Keep the smallest sides (those holding no other side); what they leave is the
            # module whose hatches were all closed (empty for a single hatch).
            inner = [p for p in parts if not any(q != p and p & q == q for q in parts)]
            covered = 0
            for part in inner:
                covered |= part
            if region & ~covered:
                inner.append(region & ~covered)
            return sorted(inner, key=lambda m: m & -m)
        parts, left = [], region
        for a, b in cut:
            self.neighbours[a] &= ~(1 << b)
            self.neighbours[b] &= ~(1 << a)
        try:
            while left:
                part = self._reach((left & -left).bit_length() - 1, region)
                parts.append(part)
                left &= ~part
        finally:
            for a, b in cut:
                self.neighbours[a] |= 1 << b
                self.neighbours[b] |= 1 << a
        return parts

    def tests(self, region: int):
        """Candidate tests in ``region``: close one hatch, or all hatches of one module."""
        inside = [(a, b) for a, b in self.edges if region >> a & 1 and region >> b & 1]
        cuts = {frozenset([e]) for e in inside}
        for m in _bits(region):
            own = frozenset(e for e in inside if m in e)
            if own:
                cuts.add(own)
        out = []
        for cut in cuts:
            parts = self._parts(region, cut)
            if len(parts) < 2:
                continue
            detect = sorted(self.detect_h(part) for part in parts)
            duration = self.hatch_h * len(cut) + detect[-2]
            hatches = sorted((self.ids[a], self.ids[b]) for a, b in cut)
            out.append((hatches, parts, duration))
        return sorted(out, key=lambda t: (t[2], t[0]))

    def dp(self, region: int) -> tuple[float, IsolationTest | str]:
        """(probability-weighted time, subtree) of the best plan for ``region``."""
        if region in self.memo:
            return self.memo[region]
        if len(self.memo) > DP_REGION_LIMIT:
            raise OverflowError
        p = self.probability(region)
        if region & (region - 1) == 0:
            result = (p * self.pinpoint_h, self.ids[region.bit_length() - 1])
        elif p == 0.0:
            result = (0.0, self.names(region)[0])
        else:
            best = None
            for hatches, parts, duration in self.tests(region):
                subs = [self.dp(part) for part in parts]
                cost = p * duration + sum(sub[0] for sub in subs)
                if best is None or cost < best[0] - 1e-12:
                    best = (cost, hatches, parts, duration, subs)
            cost, hatches, parts, duration, subs = best
            result = (cost, IsolationTest(hatches, [self.names(x) for x in parts], duration,
                                          [sub[1] for sub in subs]))
        self.memo[region] = result
        return result

    def subtree_count(self, region: int) -> int | None:
        """Connected sub-regions of ``region`` (the regions the DP may visit); None unless the
        station is a forest. Sum over tops v of Π over children (1 + count below child)."""
        if self.side is None:
            return None
        total = 0
        root = (region & -region).bit_length() - 1
        stack = [(root, -1, False)]
        below: dict[int, int] = {}
        while stack:
            v, parent, done = stack.pop()
            children = [c for c in _bits(self.neighbours[v] & region) if c != parent]
            if not done:
                stack.append((v, parent, True))
                stack.extend((c, v, False) for c in children)
                continue
            below[v] = math.prod(1 + below[c] for c in children)
            total += below[v]
        return total

    def greedy(self, region: int, exact_below: bool = False) -> IsolationTest | str:
        """Most entropy drop per hour at each step; with ``exact_below`` a region small enough
        for the DP is planned exactly."""
        if exact_below:
            count = self.subtree_count(region)
            if count is not None and count <= DP_REGION_LIMIT:
                return self.dp(region)[1]
        if region & (region - 1) == 0:
            return self.ids[region.bit_length() - 1]
        p = self.probability(region)
        if p == 0.0:
            return self.names(region)[0]

        def entropy(mask):
            q = np.array([self.prior[i] for i in _bits(mask) if self.prior[i] > 0])
            q = q / q.sum() if q.size else q
            return float(-(q * np.log(q)).sum())

        def score(test):
            _, parts, duration = test
            gain = entropy(region) - sum(self.probability(x) / p * entropy(x) for x in parts)
            return gain / duration

        hatches, parts, duration = max(self.tests(region), key=score)
        return IsolationTest(hatches, [self.names(x) for x in parts], duration,
                             [self.greedy(x, exact_below) for x in parts])


def _planned_times(tree, start_h: float, pinpoint_h: float, out: dict[str, float]) -> None:
    if isinstance(tree, str):
        out[tree] = start_h + pinpoint_h
        return
    for part, sub in zip(tree.parts, tree.next, strict=True):
        if isinstance(sub, str):
            for m in part:  # zero-prior modules end with the part's representative
                out.setdefault(m, start_h + tree.duration_h + pinpoint_h)
        _planned_times(sub, start_h + tree.duration_h, pinpoint_h, out)


def default_prior(network: CabinNetwork, region: list[str], kind: str = "volume") -> dict[str, float]:
    """Prior leak location over ``region``: proportional to module volume or uniform."""
    if kind not in ("volume", "uniform"):
        raise InputError(f"expected prior 'volume' or 'uniform', got {kind!r}", param="prior")
    weights = {m.id: (m.volume_m3 if kind == "volume" else 1.0)
               for m in network.modules if m.id in region}
    total = sum(weights.values())
    return {m: w / total for m, w in weights.items()}


def plan_isolation(
    network: CabinNetwork,
    leak_prior: dict[str, float] | None,
    leak_area_m2: float,
    *,
    sensor_resolution_mmhg: float = DEFAULT_RESOLUTION_MMHG,
    hatch_operation_h: float = DEFAULT_HATCH_OPERATION_H,
    pinpoint_h: float = DEFAULT_PINPOINT_H,
    limit_mmhg: float = DEFAULT_LIMIT_MMHG,
    method: str = "auto",
) -> IsolationPlan:
    """Plan hatch closures minimising the expected time to locate a hole of Cd·A
    ``leak_area_m2`` (m²) given ``leak_prior`` {module: probability} (None: by volume over the
    largest open segment). Times in hours; ``method`` is ``"auto"``, ``"dp"`` or ``"greedy"``."""
    if not (leak_area_m2 > 0 and math.isfinite(leak_area_m2)):
        raise InputError(f"expected a leak area > 0 m², got {leak_area_m2!r}", param="hole_mm")
    for value, name in ((sensor_resolution_mmhg, "resolution_mmhg"),
                        (hatch_operation_h, "hatch_h"), (pinpoint_h, "pinpoint_h")):
        if not (value >= 0 and math.isfinite(value)):
            raise InputError(f"expected a number >= 0, got {value!r}", param=name)
    if not MIN_RESOLUTION_MMHG <= sensor_resolution_mmhg <= MAX_RESOLUTION_MMHG:
        raise InputError(f"the sensor resolution must be {MIN_RESOLUTION_MMHG:g} to "
                         f"{MAX_RESOLUTION_MMHG:g} mmHg, got {sensor_resolution_mmhg:g}",
                         param="resolution_mmhg")
    if method not in ("auto", "dp", "greedy"):
        raise InputError(f"expected method auto, dp or greedy, got {method!r}", param="method")
    if leak_prior is None:
        leak_prior = default_prior(network, network.segment(network.largest_segment_module()))
    prior = {resolve_module(network, m, source="prior"): float(p) for m, p in leak_prior.items()}
    if any(p < 0 or not math.isfinite(p) for p in prior.values()) or sum(prior.values()) <= 0:
        raise InputError("prior probabilities must be >= 0 with a positive sum", source="prior")
    total = sum(prior.values())
    prior = {m: p / total for m, p in prior.items()}
    region = network.segment(next(iter(prior)))
    if not set(prior) <= set(region):
        raise InputError("the prior's modules must share one open segment (sensors already tell "
                         "segments apart)", source="prior")
    capacity_kg_per_pa, p0, temperature_k = network.pooled_gas(region)
    if not 0 < limit_mmhg * physics.PA_PER_MMHG < p0:
        raise InputError(f"the evacuation limit must be between 0 and the cabin pressure "
                         f"{p0 / physics.PA_PER_MMHG:.1f} mmHg, got {limit_mmhg:g} mmHg",
                         param="limit_mmhg")
    coef = float(physics.leak_coefficient_kg_per_s_pa(leak_area_m2, temperature_k))
    resolution_pa = sensor_resolution_mmhg * physics.PA_PER_MMHG
    planner = _Planner(network, prior, coef, resolution_pa, p0, hatch_operation_h, pinpoint_h)
    region_mask = sum(1 << network.module_ids.index(m) for m in region)
    measure_h = planner.detect_h(region_mask)
    count = planner.subtree_count(region_mask)
    used = method
    if method == "dp" or (method == "auto" and (count is None or count <= DP_REGION_LIMIT)):
        try:
            tree = planner.dp(region_mask)[1]
            used = "dp"
        except OverflowError:
            if method == "dp":
                raise InputError(f"too many regions for the exact plan (> {DP_REGION_LIMIT}); "
                                 "use the greedy method", param="method") from None
            planner.memo.clear()
            used = "greedy"
    elif method == "auto":
        used = "greedy+dp"  # greedy at the top, exact once a region is small enough
        tree = planner.greedy(region_mask, exact_below=True)
    if used == "greedy":
        tree = planner.greedy(region_mask)
    planned: dict[str, float] = {}
    _planned_times(tree, measure_h, pinpoint_h, planned)
    expected = sum(prior.get(m, 0.0) * t for m, t in planned.items())
    worst = max(planned[m] for m in prior if prior[m] > 0)
    tau_h = capacity_kg_per_pa / coef / 3600.0
    limit_pa = limit_mmhg * physics.PA_PER_MMHG
    to_limit_h = float(physics.time_to_pressure_s(p0, limit_pa, tau_h))
    reserve_h = max(p0 - limit_pa, 0.0) / (p0 / tau_h)
    shelter, reason = _shelter_rule(reserve_h, worst, to_limit_h)
    return IsolationPlan(network.name, region, prior, leak_area_m2 * 1e6, sensor_resolution_mmhg,
                         hatch_operation_h, pinpoint_h, measure_h, tree, planned, expected, worst,
                         used, to_limit_h, shelter, reason)


def _shelter_rule(reserve_linear_h: float, time_needed_h: float, time_left_h: float):
    if reserve_linear_h < EVACUATE_NOW_RESERVE_H:
        return True, (f"reserve time {reserve_linear_h * 60:.1f} min < 10 min: stop the search "
                      "and shelter in the lifeboat now")
    if SHELTER_MARGIN * time_needed_h > time_left_h:
        return True, (f"locating needs up to {time_needed_h:.2f} h; with a margin of "
                      f"{SHELTER_MARGIN:g}x that exceeds the {time_left_h:.2f} h left before "
                      "the limit: prepare the lifeboat and shelter")
    return False, ""


def simulate_isolation(
    network: CabinNetwork,
    plan: IsolationPlan,
    true_module: str,
    *,
    wake_delay_h: float = 0.0,
    limit_mmhg: float = DEFAULT_LIMIT_MMHG,
    samples_per_step: int = 400,
) -> IsolationRun:
    """Carry out ``plan`` on the physics model with the hole (Cd·A = plan.leak_area_mm2) in
    ``true_module``, from the leak's detection: the crew does nothing for ``wake_delay_h``
    (asleep), measures the reserve time, then runs the tests, each until a part's pressure has
    fallen by one sensor step (read from the simulated pressures), and finally searches the
    located module. Returns the steps and the time to locate (h)."""
    true_module = resolve_module(network, true_module, param="leak_in")
    if true_module not in plan.candidates:
        raise InputError(f"{true_module!r} is not among the plan's candidate modules",
                         param="leak_in")
    if not (wake_delay_h >= 0 and math.isfinite(wake_delay_h)):
        raise InputError(f"expected a wake-up delay >= 0 h, got {wake_delay_h!r}",
                         param="wake_delay_h")
    cda_m2 = plan.leak_area_mm2 * 1e-6
    leak = [Leak(true_module, cda_m2)]
    resolution_pa = plan.sensor_resolution_mmhg * physics.PA_PER_MMHG
    limit_pa = limit_mmhg * physics.PA_PER_MMHG
    state = {"net": network, "t_h": 0.0}
    steps: list[IsolationStep] = []
    crew_min = [math.inf]
    shelter: dict = {}

    def advance(duration_h: float, action: str, closed, region: list[str],
                watch: list[list[str]] = ()):
        """Run the physics for ``duration_h``; stop early when a watched part has fallen by one
        sensor step, and return that part (None if none did)."""
        net = state["net"]
        ids = net.module_ids
        times = np.linspace(0.0, max(duration_h, 0.0) * 3600.0, samples_per_step)
        hist = simulate(net, max(times[-1], 1e-6), leaks=leak, times_s=times)
        fell, end = None, len(times) - 1
        if watch:
            drops = hist.pressure_pa[0] - hist.pressure_pa  # (time, module)
            first = [int(np.argmax(drops[:, ids.index(part[0])] >= resolution_pa))
                     if np.any(drops[:, ids.index(part[0])] >= resolution_pa) else None
                     for part in watch]
            seen = [(k, i) for i, k in enumerate(first) if k is not None]
            if seen:
                end, which = min(seen)
                fell = watch[which]
        region_index = [ids.index(m) for m in region]
        crew_min[0] = min(crew_min[0], float(hist.pressure_pa[: end + 1, region_index].min()))
        pressures = hist.pressure_pa[end]
        state["net"] = replace(net, modules=tuple(replace(m, pressure_pa=float(pressures[i]))
                                                  for i, m in enumerate(net.modules)))
        start = state["t_h"]
        state["t_h"] = start + times[end] / 3600.0
        reserve = _reserve_linear_h(state["net"], region, cda_m2, limit_pa,
                                    true_module in region)
        steps.append(IsolationStep(start, state["t_h"], action, list(closed), fell or [],
                                   {m: float(pressures[i]) / physics.PA_PER_MMHG
                                    for i, m in enumerate(ids)}, reserve))
        if not shelter and reserve < EVACUATE_NOW_RESERVE_H:
            shelter.update(at=state["t_h"], reason="reserve time under 10 min: stop the search "
                           "and shelter in the lifeboat")
        return fell

    def detect_h(part: list[str]) -> float:
        """Watch time (h) for ``part`` to show one sensor step at its present pressure."""
        net = state["net"]
        volume, temperature, pressure = net.arrays()
        chosen = np.isin(net.module_ids, part)
        capacity = float((volume[chosen] / (physics.R_AIR_J_PER_KG_K * temperature[chosen])).sum())
        p = float(pressure[chosen].max())
        rate = p * float(physics.leak_coefficient_kg_per_s_pa(cda_m2, temperature[chosen].mean())) \
            / capacity
        return DETECTION_MARGIN * resolution_pa / rate / 3600.0

    region = list(plan.candidates)
    node: IsolationTest | str | None = plan.tree
    if wake_delay_h > 0:
        advance(wake_delay_h, "crew asleep; no action until wake-up", [], region)
    if not shelter and advance(2.0 * detect_h(region), "measure the reserve time (time for one "
                               "sensor step)", [], region, [region]) is None:
        raise RuntimeError("the region did not lose pressure; is the leak in the candidates?")
    while not shelter and not isinstance(node, str):
        hatch_h = plan.hatch_operation_h * len(node.close)
        state["net"] = state["net"].with_hatches(closed=node.close)
        if hatch_h > 0:
            advance(hatch_h, f"close hatches {', '.join(f'{a}/{b}' for a, b in node.close)}",
                    node.close, region)
        # Watch every part but the largest; silence for the second-slowest part's detection time
        # means the largest part holds the leak.
        by_speed = sorted(node.parts, key=detect_h)
        fell = advance(detect_h(by_speed[-2]), "watch which part loses pressure", [], region,
                       by_speed[:-1])
        if fell is None:
            fell = by_speed[-1]
            steps[-1] = replace(steps[-1], losing_part=fell)
        region = fell
        node = node.next[node.parts.index(fell)]
    located = None
    if not shelter:
        located = node
        # The crew searches the module from inside with its hatches reopened, so the station's
        # air buffers the leak while they work.
        state["net"] = replace(state["net"], hatches=network.hatches)
        advance(plan.pinpoint_h, f"reopen hatches; search {located} for the hole (ultrasonic "
                "detector)", [], state["net"].segment(located))
        if shelter:
            located = None
    return IsolationRun(
        true_module=true_module,
        located_module=located,
        time_to_locate_h=state["t_h"] if located else math.nan,
        wake_delay_h=wake_delay_h,
        steps=steps,
        final_pressure_mmhg=steps[-1].pressure_mmhg,
        min_crew_pressure_mmhg=crew_min[0] / physics.PA_PER_MMHG,
        shelter=bool(shelter),
        shelter_at_h=shelter.get("at"),
        shelter_reason=shelter.get("reason", ""),
    )


def _reserve_linear_h(network: CabinNetwork, region: list[str], cda_m2: float, limit_pa: float,
                      leaking: bool) -> float:
    """Linear reserve time (h) of ``region``'s segment if it holds the leak (inf otherwise)."""
    if not leaking:
        return math.inf
    capacity_kg_per_pa, p, temperature_k = network.pooled_gas(network.segment(region[0]))
    if p <= limit_pa:
        return 0.0
    rate = p * float(physics.leak_coefficient_kg_per_s_pa(cda_m2, temperature_k)) / capacity_kg_per_pa
    return (p - limit_pa) / rate / 3600.0


@dataclass(frozen=True)
class IsolationResult:
    """A plan and its simulation for one true leak location (what ``lifeboat leak isolate``
    prints)."""

    plan: IsolationPlan
    run: IsolationRun
    time_to_locate_h: float
    shelter: bool
    shelter_reason: str


def isolate_leak(
    network: CabinNetwork,
    true_module: str,
    leak_area_m2: float,
    *,
    prior: dict[str, float] | None = None,
    wake_delay_h: float = 0.0,
    limit_mmhg: float = DEFAULT_LIMIT_MMHG,
    **plan_options,
) -> IsolationResult:
    """Plan the isolation (see :func:`plan_isolation`) and run it with the leak in
    ``true_module``; the crew should shelter if the plan or the run says so."""
    plan = plan_isolation(network, prior, leak_area_m2, limit_mmhg=limit_mmhg, **plan_options)
    run = simulate_isolation(network, plan, true_module, wake_delay_h=wake_delay_h,
                             limit_mmhg=limit_mmhg)
    shelter = plan.shelter or run.shelter
    reason = plan.shelter_reason or run.shelter_reason
    return IsolationResult(plan, run, run.time_to_locate_h, shelter, reason)
