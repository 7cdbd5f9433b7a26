"""Rates from the record: Bayesian (Jeffreys) estimates of per-occasion failure probabilities,
fitted only on what was known at a date, and a back-test of their predictions.

A record (``records.toml``) holds snapshots of a system's cumulative occasions (launches, crewed
entries, aborts) through a date and its dated failures. A fit until a date D uses the latest
snapshot on or before D and the failures on or before that snapshot: Beta(f + 1/2, n - f + 1/2).
The back-test fits at each snapshot and predicts, with the Beta-binomial posterior predictive,
how many failures the occasions up to the next snapshot should hold; it reports whether the
failures that happened there fall inside the central 90 % predictive interval.

:func:`uncertain_tables` writes the fitted posteriors as ``[uncertain.NAME]`` tables of an
architecture file, so a provider can take a record's rate with its uncertainty
(``ascent_failure = "@falcon_9_ascent_failure"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from lifeboat.errors import InputError, from_validation_error
from lifeboat.fileio import read_toml

RECORDS = Path(__file__).with_name("records.toml")
INTERVAL = 0.90


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Snapshot(_Strict):
    through: date
    occasions: int = Field(ge=0)
    source: str = Field(min_length=1)
    confidence: Literal["high", "medium", "low"]


class Failure(_Strict):
    date: date
    what: str
    source: str = Field(min_length=1)


class Record(_Strict):
    system: str
    kind: Literal["launch", "entry", "abort"]
    name: str
    snapshots: list[Snapshot] = Field(min_length=1)
    failures: list[Failure] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self):
        dates = [s.through for s in self.snapshots]
        if dates != sorted(dates) or len(set(dates)) != len(dates):
            raise ValueError("snapshots must be in date order")
        for a, b in zip(self.snapshots, self.snapshots[1:], strict=False):
            if b.occasions < a.occasions:
                raise ValueError(f"occasions fall from {a.occasions} to {b.occasions}")
        for s in self.snapshots:
            if self.failures_through(s.through) > s.occasions:
                raise ValueError(f"more failures than occasions through {s.through}")
        return self

    def failures_through(self, day: date) -> int:
        return sum(f.date <= day for f in self.failures)


@dataclass(frozen=True)
class Rate:
    """The posterior of one system's per-occasion failure probability, as known at ``as_of``."""

    system: str
    kind: str
    name: str
    as_of: date
    occasions: int
    failures: int
    alpha: float
    beta: float
    mean: float
    p05: float
    p50: float
    p95: float


@dataclass(frozen=True)
class BacktestRow:
    """A fit at ``fit_as_of`` judged on the occasions up to ``judged_through``."""

    system: str
    kind: str
    fit_as_of: date
    fit_occasions: int
    fit_failures: int
    judged_through: date
    judged_occasions: int
    predicted_mean: float
    predicted_low: int
    predicted_high: int
    observed_failures: int
    inside: bool


@dataclass(frozen=True)
class RatesResult:
    until: date | None
    interval: float
    rates: list[Rate]
    backtest: list[BacktestRow]
    coverage: float | None  # share of back-test rows whose outcome fell inside the interval


def load_records(path: str | Path = RECORDS) -> list[Record]:
    data = read_toml(path)
    out = []
    for i, raw in enumerate(data.get("record", [])):
        try:
            out.append(Record.model_validate(raw))
        except ValidationError as exc:
            raise from_validation_error(exc, source=str(path), prefix=f"record[{i}]") from None
    return out


def fit(record: Record, until: date | None = None) -> Rate | None:
    """The Jeffreys posterior from the latest snapshot on or before ``until`` (None: no
    snapshot yet). Failures after that snapshot are not used, whatever ``until`` says."""
    from scipy import stats

    known = [s for s in record.snapshots if until is None or s.through <= until]
    if not known:
        return None
    snap = known[-1]
    f = record.failures_through(snap.through)
    a, b = f + 0.5, snap.occasions - f + 0.5
    q05, q50, q95 = (float(stats.beta.ppf(q, a, b)) for q in (0.05, 0.5, 0.95))
    return Rate(record.system, record.kind, record.name, snap.through, snap.occasions, f, a, b,
                a / (a + b), q05, q50, q95)


def predictive_interval(alpha: float, beta: float, n: int, level: float = INTERVAL) -> tuple[int, int, float]:
    """Central ``level`` interval and mean of the Beta-binomial count of failures in ``n``."""
    from scipy import stats

    dist = stats.betabinom(n, alpha, beta)
    tail = (1 - level) / 2
    return int(dist.ppf(tail)), int(dist.ppf(1 - tail)), float(dist.mean())


def backtest(records: list[Record], until: date | None = None) -> list[BacktestRow]:
    """Fit at each snapshot (or, with ``until``, at the last one known then) and judge the next
    stretch of the record."""
    rows = []
    for r in records:
        pairs = list(zip(r.snapshots, r.snapshots[1:], strict=False))
        if until is not None:
            pairs = [(a, b) for a, b in pairs if a.through <= until < b.through]
        for a, b in pairs:
            rate = fit(r, a.through)
            n = b.occasions - a.occasions
            low, high, mean = predictive_interval(rate.alpha, rate.beta, n)
            observed = r.failures_through(b.through) - r.failures_through(a.through)
            rows.append(BacktestRow(r.system, r.kind, a.through, rate.occasions, rate.failures,
                                    b.through, n, mean, low, high, observed, low <= observed <= high))
    return rows


def rates(until: date | None = None, *, path: str | Path = RECORDS) -> RatesResult:
    """Every record's rate as known at ``until`` (default: the whole record) and the back-test."""
    records = load_records(path)
    fitted = [r for r in (fit(rec, until) for rec in records) if r is not None]
    rows = backtest(records, until)
    coverage = sum(r.inside for r in rows) / len(rows) if rows else None
    return RatesResult(until, INTERVAL, fitted, rows, coverage)


def parse_until(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise InputError(f"expected a date YYYY-MM-DD, got {text!r}", param="until") from None


# The architecture field each kind of record estimates; an abort record counts failed aborts,
# the field is the success probability, whose posterior is the Beta with alpha and beta swapped.
FIELD_OF_KIND = {"launch": "ascent_failure", "entry": "nominal_return_failure",
                 "abort": "abort_success"}


def uncertain_name(rate: Rate) -> str:
    """The ``[uncertain.NAME]`` a fitted rate is written as: system and field, e.g.
    ``falcon_9_ascent_failure``."""
    return f"{rate.system}_{FIELD_OF_KIND[rate.kind]}".replace("-", "_").replace(".", "_")


def uncertain_tables(result: RatesResult) -> str:
    """The fitted posteriors as ``[uncertain.NAME]`` TOML tables (Beta distributions, each with
    its source: the record, the date it was known through and the fit), each preceded by a
    comment naming the field that takes it."""
    from lifeboat.risk.model import Uncertain

    lines = ["# Beta posteriors from `lifeboat rates"
             + (f" --until {result.until}" if result.until else "") + "` (Jeffreys prior)."]
    for r in result.rates:
        field = FIELD_OF_KIND[r.kind]
        a, b = (r.beta, r.alpha) if r.kind == "abort" else (r.alpha, r.beta)
        what = "successful aborts" if r.kind == "abort" else "failures"
        count = r.occasions - r.failures if r.kind == "abort" else r.failures
        source = (f"lifeboat rates: {r.name}, {count} {what} in {r.occasions} through {r.as_of} "
                  f"({_snapshot_source(r)}); Jeffreys Beta({a:g}, {b:g})")
        Uncertain(distribution="beta", alpha=a, beta=b, source=source)  # the file will load
        lines += ["", f"# providers.KEY.{field} = \"@{uncertain_name(r)}\"",
                  f"[uncertain.{uncertain_name(r)}]", 'distribution = "beta"',
                  f"alpha = {a!r}", f"beta = {b!r}", f"source = {_toml_string(source)}"]
    return "\n".join(lines) + "\n"


def _snapshot_source(rate: Rate) -> str:
    for record in load_records():
        if (record.system, record.kind) == (rate.system, rate.kind):
            return next(s.source for s in record.snapshots if s.through == rate.as_of)
    return "record"


def _toml_string(text: str) -> str:
    import json

    return json.dumps(text, ensure_ascii=False)  # a JSON string is a TOML basic string
