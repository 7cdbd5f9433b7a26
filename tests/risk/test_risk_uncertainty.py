"""Two-level Monte Carlo: input draws from Beta and lognormal distributions, one seed whatever
the number of workers (threads or Dask), per-draw results in DuckDB, bands on every metric and
difference."""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pytest

from lifeboat.errors import InputError
from lifeboat.risk.engine import compare_paired, run_risk
from lifeboat.risk.model import load_architecture
from lifeboat.risk.uncertainty import draw_inputs, shared_inputs

PAIR = ["iss-6-soyuz", "iss-6-soyuz-dragon"]


def numbers(c):
    return dataclasses.replace(c, results=[dataclasses.replace(r, trials_per_s=0.0, workers=0) for r in c.results])


def test_draws_follow_their_distributions():
    """Many draws of a Beta and a lognormal: sample moments against the distributions'
    (independently computed) mean and quantiles."""
    inputs = shared_inputs([load_architecture("iss-7-dragon-soyuz")])
    values = [draw_inputs(inputs, 3, d) for d in range(4000)]
    soyuz = np.array([v["soyuz_ascent"] for v in values])  # Beta(1.5, 69.5)
    assert soyuz.mean() == pytest.approx(1.5 / 71.0, rel=0.05)
    entry = np.array([v["soyuz_entry"] for v in values])  # lognormal, median 0.002, EF 5
    assert np.median(entry) == pytest.approx(0.002, rel=0.08)
    assert np.quantile(entry, 0.95) / np.median(entry) == pytest.approx(5.0, rel=0.15)
    # A draw depends on (seed, draw, name) only: the same name in another comparison agrees.
    other = shared_inputs([load_architecture("iss-6-soyuz")])
    assert draw_inputs(other, 3, 17)["soyuz_entry"] == values[17]["soyuz_entry"]


def test_two_level_compare_is_reproducible_across_workers_and_gives_bands():
    one = compare_paired(PAIR, baseline=PAIR[0], trials=3000, seed=9, uncertainty=12, workers=1)
    two = compare_paired(PAIR, baseline=PAIR[0], trials=3000, seed=9, uncertainty=12, workers=2)
    assert numbers(one) == numbers(two)
    for r in one.results:
        assert r.uncertainty_draws == 12
        for m in r.metrics.values():
            assert {"mean", "mc_se", "p05", "p50", "p95"} <= set(m)
        m = r.metrics["loc_per_person_mission"]
        assert m["p05"] < m["p50"] < m["p95"]
    diff = one.differences[PAIR[1]]
    assert 0.0 <= diff["loc_per_person_mission"]["p_improvement"] <= 1.0
    assert one.p_improvement_basis == "input_draws"
    # Drivers rank the uncertain inputs of either architecture.
    names = {d["input"] for d in one.drivers[PAIR[1]]}
    assert names <= set(shared_inputs([load_architecture(a) for a in PAIR]))
    # The JSON has no NaN or Infinity.
    from lifeboat.cli.common import dumps

    text = dumps(one)
    assert "NaN" not in text and "Infinity" not in text
    json.loads(text)


def test_input_uncertainty_dominates_monte_carlo_noise():
    """With inputs fixed (no uncertain input drawn), the spread over draws would be Monte Carlo
    noise only; with uncertain inputs the 5-95 % band is far wider than that noise."""
    r = run_risk("iss-7-dragon-soyuz", trials=4000, seed=2, uncertainty=30, workers=2)
    point = run_risk("iss-7-dragon-soyuz", trials=4000, seed=2)
    m, noise = r.metrics["loc_per_person_mission"], point.metrics["loc_per_person_mission"]["mc_se"]
    assert m["p95"] - m["p05"] > 6 * noise


def test_dask_and_store_give_the_same_draws_and_resume(tmp_path):
    from dask.distributed import LocalCluster

    store = tmp_path / "uq.duckdb"
    local = compare_paired(PAIR, baseline=PAIR[0], trials=2000, seed=4, uncertainty=6)
    cluster = LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0")
    try:
        on_dask = compare_paired(PAIR, baseline=PAIR[0], trials=2000, seed=4, uncertainty=6,
                                 scheduler=cluster.scheduler_address, store=store)
    finally:
        cluster.close()
    assert numbers(local) == numbers(on_dask)
    import duckdb

    with duckdb.connect(str(store)) as db:
        assert db.execute("SELECT count(DISTINCT draw) FROM uq_inputs").fetchone()[0] == 6
        assert db.execute("SELECT count(*) FROM uq_metrics WHERE metric = 'p_loc'").fetchone()[0] == 12
    # Rerun with the store: every draw is read back, none computed (so no Dask needed).
    again = compare_paired(PAIR, baseline=PAIR[0], trials=2000, seed=4, uncertainty=6, store=store)
    assert numbers(again) == numbers(local)


def test_bad_two_level_requests(tmp_path):
    with pytest.raises(InputError, match="no uncertain inputs"):
        run_risk("textbook", trials=100, uncertainty=3)
    with pytest.raises(InputError) as info:
        run_risk("iss-7-dragon", trials=100, uncertainty=-1)
    assert info.value.param == "uncertainty"
    # One name, two distributions: refused.
    a = load_architecture("iss-6-soyuz")
    b = load_architecture("iss-6-soyuz-dragon")
    changed = b.uncertain["soyuz_entry"].model_copy(update={"median": 0.01})
    b = b.model_copy(update={"id": "changed", "uncertain": b.uncertain | {"soyuz_entry": changed}})
    with pytest.raises(InputError, match="differs between"):
        compare_paired([a, b], trials=100, uncertainty=2)
