"""The risk metrics: what each one sums, over what, and which way is better.

Every metric is a ratio of sums over trials of the kernel's per-trial columns (see
``lifeboat.risk.kernel``); the engine estimates each with its Monte Carlo error.
"""

from __future__ import annotations

from dataclasses import dataclass

DAYS_PER_YEAR = 365.25  # Julian year, d


@dataclass(frozen=True)
class MetricDef:
    """A metric: sum of ``numerator`` over sum of ``denominator`` (column names), times
    ``scale``; ``lower_is_better`` decides what an improvement is (None: not a risk measure)."""

    numerator: str
    denominator: str
    scale: float = 1.0
    lower_is_better: bool | None = True
    description: str = ""


METRICS: dict[str, MetricDef] = {
    "loc_per_person_mission": MetricDef(
        "people_lost", "person_missions", description="people lost per person flown (the 1-in-270 requirement is per mission)"),
    "loc_per_crew_year": MetricDef(
        "people_lost", "crew_days", DAYS_PER_YEAR, description="people lost per crew-year aboard"),
    "p_loc": MetricDef("loc", "trials", description="probability of at least one loss of crew over the horizon"),
    "people_lost": MetricDef("people_lost", "trials", description="expected people lost over the horizon"),
    "loss_events": MetricDef("loss_events", "trials", description="expected losses of crew (events)"),
    "crew_days": MetricDef("crew_days", "trials", lower_is_better=False, description="expected crew-days aboard"),
    "person_missions": MetricDef("person_missions", "trials", lower_is_better=None, description="expected persons flown (incl. the crew aboard at the start)"),
    "decrewed_days": MetricDef("decrewed_days", "trials", description="expected days with nobody aboard"),
    "p_any_decrew": MetricDef("any_decrew", "trials", description="probability the station is decrewed at least once"),
    "seatless_crew_days": MetricDef("seatless_crew_days", "trials", description="expected crew-days without a usable seat home"),
    "launches": MetricDef("launches", "trials", lower_is_better=None, description="expected launches (crewed or not)"),
    "crewed_launches": MetricDef("crewed_launches", "trials", lower_is_better=None, description="expected crewed launches"),
    "cost_musd": MetricDef("cost_musd", "trials", description="expected launch cost, US$ M"),
    "evacuations": MetricDef("evacuations", "trials", lower_is_better=None, description="expected station evacuations"),
    "medical_evacuations": MetricDef("medical_evacuations", "trials", lower_is_better=None, description="expected medical returns"),
    "rescue_flights": MetricDef("rescue_flights", "trials", lower_is_better=None, description="expected launch-on-need rescue flights"),
}
PROVIDER_METRICS: dict[str, MetricDef] = {
    "loc_per_person_mission": MetricDef("people_lost_{p}", "person_missions_{p}"),
    "people_lost": MetricDef("people_lost_{p}", "trials"),
    "person_missions": MetricDef("person_missions_{p}", "trials", lower_is_better=None),
    "crew_days": MetricDef("crew_days_{p}", "trials", lower_is_better=False),
    "launches": MetricDef("launches_{p}", "trials", lower_is_better=None),
    "cost_musd": MetricDef("cost_musd_{p}", "trials"),
}
