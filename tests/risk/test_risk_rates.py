"""`lifeboat rates`: Jeffreys posteriors from the flight records, fitted only on what was known at
a date, and a back-test that judges each fit on the later record it never saw."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pytest

from lifeboat.risk.rates import (
    RECORDS,
    Record,
    backtest,
    fit,
    load_records,
    predictive_interval,
    rates,
)


def test_every_later_stretch_of_the_record_falls_in_its_predicted_interval():
    """The validation: each fit (Falcon 9 to 2019, the Shuttle's launches to 1985 and entries to
    2002, Soyuz aborts to 1983) predicts the failures in the record after it, which it never
    saw; the observed count must lie inside the central 90 % Beta-binomial interval."""
    rows = backtest(load_records())
    assert len(rows) >= 4
    for row in rows:
        assert row.judged_occasions > 0
        assert row.inside, row


def test_a_fit_uses_nothing_after_its_date(tmp_path):
    """No hindsight: adding a failure and a later snapshot after the date leaves the fit at that
    date unchanged; a failure dated after the last snapshot but before the date is not used
    either (its occasion is not in the count yet)."""
    (record,) = [r for r in load_records() if r.system == "falcon-9"]
    day = date(2020, 6, 1)
    before = fit(record, day)
    data = record.model_dump()
    data["failures"].append({"date": date(2020, 3, 1), "what": "invented", "source": "test"})
    data["snapshots"].append({"through": date(2026, 1, 1), "occasions": 900, "source": "test", "confidence": "low"})
    changed = Record.model_validate(data)
    assert fit(changed, day) == before
    assert before.as_of == date(2019, 12, 31) and before.failures == 1
    # The same edit changes the fit once its date is reached: the test can fail.
    assert fit(changed, date(2026, 6, 1)) != fit(record, date(2026, 6, 1))


def test_jeffreys_posterior_from_the_record():
    """Soyuz-FG: 1 failure in 70 launches (the record's own snapshot) -> Beta(1.5, 69.5)."""
    (record,) = [r for r in load_records() if r.system == "soyuz-fg"]
    rate = fit(record)
    n = record.snapshots[-1].occasions
    f = len(record.failures)
    assert (rate.alpha, rate.beta) == (f + 0.5, n - f + 0.5)
    assert rate.mean == pytest.approx((f + 0.5) / (n + 1))
    assert fit(record, date(2019, 1, 1)) is None  # nothing known before the snapshot


def test_predictive_interval_against_a_direct_simulation():
    rng = np.random.default_rng(5)
    a, b, n = 1.5, 76.5, 423
    p = rng.beta(a, b, 200_000)
    x = rng.binomial(n, p)
    low, high, mean = predictive_interval(a, b, n)
    assert mean == pytest.approx(x.mean(), rel=0.02)
    assert np.mean(x < low) <= 0.05 + 0.005 and np.mean(x > high) <= 0.05 + 0.005
    assert np.mean(x <= low) >= 0.05 - 0.005 and np.mean(x >= high) >= 0.05 - 0.005


def test_every_snapshot_and_failure_has_a_public_source():
    for r in load_records():
        for item in [*r.snapshots, *r.failures]:
            assert "http" in item.source, (r.system, item)
    assert RECORDS.is_file()


def test_rates_until_and_cli(cli):
    early = rates(date(1990, 1, 1))
    assert {(r.system, r.kind) for r in early.rates} == {("space-shuttle", "launch"), ("soyuz", "abort")}
    assert all(b.fit_as_of <= date(1990, 1, 1) for b in early.backtest)
    code, out, _ = cli("rates", "--until", "2020-01-01", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["until"] == "2020-01-01" and data["interval"] == 0.9
    assert all(r["as_of"] <= "2020-01-01" for r in data["rates"])
    code, _, err = cli("rates", "--until", "last tuesday")
    assert code == 2 and "--until" in err
