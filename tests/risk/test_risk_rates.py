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


def test_rates_feed_an_architecture_with_their_uncertainty(cli, tmp_path):
    """`rates --until D --out F` writes Beta tables an architecture loads with "@NAME": counts
    known on D only (a later failure must not show), the abort record turned into a success
    probability (alpha and beta swapped), and --toml prints the same text."""
    from lifeboat.risk.model import load_architecture

    tables = tmp_path / "rates.toml"
    code, _, _ = cli("rates", "--until", "2020-01-01", "--out", str(tables))
    assert code == 0
    code, printed, _ = cli("rates", "--until", "2020-01-01", "--toml")
    assert code == 0 and printed == tables.read_text("utf-8")
    records = {(r.system, r.kind): r for r in load_records()}
    f9 = records[("falcon-9", "launch")]
    snap = max((s for s in f9.snapshots if s.through <= date(2020, 1, 1)), key=lambda s: s.through)
    failures = sum(f.date <= snap.through for f in f9.failures)
    assert failures == 1  # CRS-7 only: the 2024 Starlink 9-3 failure is after the date
    soyuz = records[("soyuz", "abort")]
    s_snap = max((s for s in soyuz.snapshots if s.through <= date(2020, 1, 1)), key=lambda s: s.through)
    s_fail = sum(f.date <= s_snap.through for f in soyuz.failures)
    arch_text = """
id = "fed"
title = "t"
[station]
name = "S"
crew_size = 3
horizon_years = 1.0
[providers.a]
name = "A"
crew_per_flight = 3
seats = 3
rotation_interval_days = 180.0
docked_life_days = 210.0
ascent_failure = "@falcon_9_ascent_failure"
abort_success = "@soyuz_abort_success"
emergency_return_failure = 0.005
grounding_median_days = 60.0
grounding_sigma = 1.0
replacement_readiness_days = 0.0
cost_per_launch_musd = 0.0
"""
    path = tmp_path / "fed.toml"
    path.write_text(arch_text + tables.read_text("utf-8"), encoding="utf-8")
    arch = load_architecture(path)
    launch, abort = arch.uncertain["falcon_9_ascent_failure"], arch.uncertain["soyuz_abort_success"]
    assert (launch.alpha, launch.beta) == (failures + 0.5, snap.occasions - failures + 0.5)
    assert (abort.alpha, abort.beta) == (s_snap.occasions - s_fail + 0.5, s_fail + 0.5)
    assert arch.providers["a"].ascent_failure == pytest.approx((failures + 0.5) / (snap.occasions + 1))
    assert arch.uses == {"providers.a.ascent_failure": "falcon_9_ascent_failure",
                         "providers.a.abort_success": "soyuz_abort_success"}
    assert "2019-12-31" in launch.source and "https://" in launch.source
