"""Sweeps: planning (grid/tornado, seeds, keys), the DuckDB store, resume after an interruption."""

from __future__ import annotations

import dataclasses
import json
import math

import numpy as np
import pytest

from lifeboat.errors import InputError
from lifeboat.risk.engine import run_risk
from lifeboat.risk.sweep import plan_sweep, point_seed, run_sweep

pytestmark = pytest.mark.xdist_group("dask")

GRID = """
architecture = "textbook"
trials = 70000
seed = 5
kind = "grid"
[parameters]
"providers.single.ascent_failure" = [0.01, 0.02, 0.04]
"hazards.emergency.rate_per_year" = [0.05, 0.5]
"""

TORNADO = """
architecture = "iss-mixed"
trials = 40000
seed = 9
kind = "tornado"
common_seed = true
[parameters]
"providers.soyuz.ascent_failure" = [0.01, 0.04]
"policies.seat_sharing" = [false, true]
"""


def numbers(result):
    return dataclasses.replace(result, trials_per_s=0.0, workers=0)


@pytest.fixture(scope="module")
def scheduler():
    """An in-process Dask cluster (threads), shared by the tests of this module."""
    from dask.distributed import LocalCluster

    cluster = LocalCluster(n_workers=1, threads_per_worker=2, processes=False, dashboard_address=":0")
    yield cluster.scheduler_address
    cluster.close()


def test_plan_grid_and_tornado(tmp_path):
    (tmp_path / "g.toml").write_text(GRID)
    sweep, base, points = plan_sweep(tmp_path / "g.toml")
    assert base.id == "textbook" and len(points) == 6
    assert points[1].parameters == {"providers.single.ascent_failure": 0.01, "hazards.emergency.rate_per_year": 0.5}
    assert [p.seed for p in points] == [point_seed(5, i) for i in range(6)]
    seeds = {int(np.random.SeedSequence(5, spawn_key=(i,)).generate_state(1, np.uint64)[0] >> np.uint64(1)) for i in range(6)}
    assert {p.seed for p in points} == seeds
    assert len({p.key for p in points}) == 6
    _, _, again = plan_sweep(tmp_path / "g.toml")
    assert [p.key for p in again] == [p.key for p in points]  # keys are deterministic

    (tmp_path / "t.toml").write_text(TORNADO)
    _, _, tpoints = plan_sweep(tmp_path / "t.toml")
    assert [p.parameters for p in tpoints] == [
        {}, {"providers.soyuz.ascent_failure": 0.01}, {"providers.soyuz.ascent_failure": 0.04},
        {"policies.seat_sharing": False}, {"policies.seat_sharing": True},
    ]
    assert len({p.seed for p in tpoints}) == 1  # common_seed


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (GRID.replace('kind = "grid"', 'kind = "random"'), "kind"),
        ("bogus = 1\n" + GRID, "unknown key"),
        (GRID.replace('"providers.single.ascent_failure"', '"providers.single.ascent_failur"'), "no field"),
        (GRID.replace("[0.01, 0.02, 0.04]", "[0.01, 2.0]"), "ascent_failure"),
        (TORNADO.replace("[0.01, 0.04]", "[0.01]"), "needs .low, high."),
    ],
)
def test_bad_sweep_files(tmp_path, text, words):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(InputError, match=words) as info:
        plan_sweep(path)
    assert str(path) in str(info.value)


def test_store_round_trip_keeps_every_field(tmp_path):
    """A result read back from DuckDB equals the one written, an undefined metric (no loss,
    so no cost per loss) included."""
    from lifeboat.risk.model import load_architecture, with_overrides
    from lifeboat.risk.store import SweepStore

    short = with_overrides(load_architecture("gateway-orion"), {"station.horizon_years": 0.5}, source="t")
    result = run_risk(short, trials=50, seed=1)
    assert result.fussell_vesely["ascent"] is None  # nobody lost in these trials: shares undefined
    with SweepStore(tmp_path / "s.duckdb") as db:
        db.put(key="k", sweep="s.toml", index=0, parameters={"a": 1}, result=result)
        db.put(key="k", sweep="s.toml", index=0, parameters={"a": 1}, result=result)  # replaces
        assert db.count() == 1
        back = db.results(["k", "missing"])
    assert set(back) == {"k"}
    assert back["k"] == result


@pytest.mark.slow
def test_interrupted_sweep_resumes_with_only_the_missing_points(tmp_path, scheduler):
    (tmp_path / "g.toml").write_text(GRID)
    store = tmp_path / "s.duckdb"
    stored = []

    def interrupt_after_two(point):
        stored.append(point.index)
        if len(stored) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run_sweep(tmp_path / "g.toml", scheduler=scheduler, store=store, on_stored=interrupt_after_two)
    resumed = run_sweep(tmp_path / "g.toml", scheduler=scheduler, store=store)
    assert (resumed.computed, resumed.reused) == (4, 2)
    assert {p.index for p in resumed.points if p.reused} == set(stored)
    again = run_sweep(tmp_path / "g.toml", scheduler=scheduler, store=store)
    assert (again.computed, again.reused) == (0, 6)
    # Every point equals a direct run of the engine with the point's seed.
    _, _, points = plan_sweep(tmp_path / "g.toml")
    for plan, got in zip(points, resumed.points, strict=True):
        direct = run_risk(plan.architecture, trials=plan.trials, seed=plan.seed)
        assert numbers(got.result) == numbers(direct)


@pytest.mark.slow
def test_tornado_sweep_and_store_contents(tmp_path, scheduler):
    import duckdb

    (tmp_path / "t.toml").write_text(TORNADO)
    result = run_sweep(tmp_path / "t.toml", scheduler=scheduler)
    assert result.store == str(tmp_path / "lifeboat-sweep.duckdb")
    assert [b.parameter for b in result.tornado][0] == "providers.soyuz.ascent_failure"
    bar = result.tornado[0]
    assert bar.p_loc_low < result.base_p_loc < bar.p_loc_high
    with duckdb.connect(result.store, read_only=True) as db:
        rows = db.execute("SELECT point_index, parameters, p_loc FROM sweep_points ORDER BY point_index").fetchall()
    assert [r[0] for r in rows] == [0, 1, 2, 3, 4]
    assert json.loads(rows[1][1]) == {"providers.soyuz.ascent_failure": 0.01}
    assert [r[2] for r in rows] == [p.result.p_loc for p in result.points]
    # With a common seed, the base point and "seat_sharing = true" (its base value) coincide.
    assert numbers(result.points[0].result) == numbers(result.points[4].result)


@pytest.mark.slow
def test_sweep_cli_json_on_a_default_local_cluster(cli, tmp_path):
    (tmp_path / "t.toml").write_text(TORNADO.replace("trials = 40000", "trials = 20000"))
    plot = tmp_path / "tornado.png"
    code, out, _ = cli("sweep", str(tmp_path / "t.toml"), "--store", str(tmp_path / "x.duckdb"),
                       "--plot", str(plot), "--json")
    assert code == 0
    assert plot.read_bytes()[:4] == b"\x89PNG"
    data = json.loads(out)
    assert (data["computed"], data["reused"], data["kind"]) == (5, 0, "tornado")
    assert len(data["points"]) == 5 and data["points"][0]["result"]["trials"] == 20000
    code, _, err = cli("sweep", str(tmp_path / "missing.toml"))
    assert code == 2 and "missing.toml" in err


@pytest.mark.slow
def test_tornado_on_another_metric(tmp_path, scheduler):
    """A tornado ranks parameters by the sweep's metric: here crew-days without a seat, which
    seat sharing moves far more than the Soyuz launch record does."""
    (tmp_path / "m.toml").write_text(TORNADO.replace('kind = "tornado"', 'kind = "tornado"\nmetric = "seatless_crew_days"'))
    result = run_sweep(tmp_path / "m.toml", scheduler=scheduler)
    assert result.metric == "seatless_crew_days"
    assert [b.parameter for b in result.tornado][0] == "policies.seat_sharing"
    by_name = {b.parameter: b for b in result.tornado}
    share = by_name["policies.seat_sharing"]
    assert share.value_low == result.points[3].result.metrics["seatless_crew_days"]["mean"]
    assert share.value_high == result.points[4].result.metrics["seatless_crew_days"]["mean"]
    assert share.swing == abs(share.value_high - share.value_low) > 0
    (tmp_path / "bad.toml").write_text(TORNADO.replace('kind = "tornado"', 'kind = "tornado"\nmetric = "luck"'))
    with pytest.raises(InputError, match="unknown metric"):
        plan_sweep(tmp_path / "bad.toml")


DIFFERENCE = """
architecture = "iss-7-dragon-soyuz"
baseline = "iss-7-dragon"
metric = "difference:loc_per_person_mission"
trials = 30000
seed = 13
kind = "tornado"
common_seed = true
[parameters]
"providers.soyuz.ascent_failure" = [0.005, 0.08]
"providers.soyuz.abort_success" = [0.5, 0.99]
"""


def test_tornado_on_a_difference_matches_a_direct_paired_compare(tmp_path, scheduler):
    """Each point of a difference tornado is the swept architecture minus the unchanged baseline
    on the point's seed: exactly what ``compare_paired`` gives for that pair, with the paired
    (common random numbers) error below the unpaired one."""
    from lifeboat.risk.engine import compare_paired
    from lifeboat.risk.model import load_architecture, with_overrides

    (tmp_path / "d.toml").write_text(DIFFERENCE)
    result = run_sweep(tmp_path / "d.toml", scheduler=scheduler)
    assert (result.metric, result.baseline) == ("difference:loc_per_person_mission", "iss-7-dragon")
    base, baseline = load_architecture("iss-7-dragon-soyuz"), load_architecture("iss-7-dragon")
    _, _, planned = plan_sweep(tmp_path / "d.toml")
    for point, plan in zip(result.points, planned, strict=True):
        arch = with_overrides(base, point.parameters, source="test")
        direct = compare_paired([baseline, arch], baseline="iss-7-dragon", trials=30000, seed=plan.seed)
        want = direct.differences["iss-7-dragon-soyuz"]["loc_per_person_mission"]
        got = point.result.difference["metrics"]["loc_per_person_mission"]
        assert got == want
        a, b = (r.metrics["loc_per_person_mission"]["mc_se"] for r in direct.results)
        assert got["mc_se"] < math.hypot(a, b)
    assert result.base_value == result.points[0].result.difference["metrics"]["loc_per_person_mission"]["mean"]
    by_name = {b.parameter: b for b in result.tornado}
    ascent = by_name["providers.soyuz.ascent_failure"]
    assert ascent.value_low == result.points[1].result.difference["metrics"]["loc_per_person_mission"]["mean"]
    assert ascent.value_low < ascent.value_high  # a worse Soyuz launcher makes the partner worse
    # Rerunning reuses the stored points, differences included.
    again = run_sweep(tmp_path / "d.toml", scheduler=scheduler)
    assert again.reused == 5 and again.points[2].result.difference == result.points[2].result.difference


def test_a_difference_metric_needs_a_baseline(tmp_path):
    (tmp_path / "d.toml").write_text(DIFFERENCE.replace('baseline = "iss-7-dragon"\n', ""))
    with pytest.raises(InputError, match="needs a baseline"):
        plan_sweep(tmp_path / "d.toml")
    (tmp_path / "e.toml").write_text(DIFFERENCE.replace("difference:loc_per", "difference:luck_per"))
    with pytest.raises(InputError, match="unknown metric 'luck_per_person_mission'"):
        plan_sweep(tmp_path / "e.toml")
