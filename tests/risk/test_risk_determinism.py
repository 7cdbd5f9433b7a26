"""Same seed, same numbers: whatever the number of workers and however chunks are grouped."""

from __future__ import annotations

import dataclasses

import numpy as np

from lifeboat.risk.engine import CHUNK_TRIALS, chunk_sizes, run_risk, simulate_chunks, summarize
from lifeboat.risk.model import load_architecture

TRIALS = 4 * CHUNK_TRIALS + 1234  # a short last chunk on purpose


def numbers(result):
    """Everything except the timing and the worker count."""
    return dataclasses.replace(result, trials_per_s=0.0, workers=0)


def test_same_seed_same_numbers_for_1_2_4_workers():
    arch = load_architecture("iss-mixed")
    runs = [numbers(run_risk(arch, trials=TRIALS, seed=99, workers=w)) for w in (1, 2, 4)]
    assert runs[0] == runs[1] == runs[2]
    assert runs[0].trials == TRIALS


def test_chunk_grouping_does_not_change_results():
    """Chunks run one by one, all in one call, or in reverse order reduce to the same sums."""
    arch = load_architecture("textbook")
    jobs = list(enumerate(chunk_sizes(TRIALS)))
    one_call = simulate_chunks(arch, 7, jobs)
    reversed_rows = np.array([simulate_chunks(arch, 7, [job])[0] for job in reversed(jobs)])[::-1]
    assert np.array_equal(one_call, reversed_rows)
    a = summarize(arch, 7, one_call, trials_per_s=1.0, workers=1)
    b = run_risk(arch, trials=TRIALS, seed=7, workers=3)
    assert numbers(a) == numbers(b)


def test_different_seeds_differ_and_prefixes_are_consistent():
    arch = load_architecture("textbook")
    a = run_risk(arch, trials=TRIALS, seed=1)
    b = run_risk(arch, trials=TRIALS, seed=2)
    assert a.p_loc != b.p_loc or a.decrewed_days_mean != b.decrewed_days_mean
    # A longer run extends a shorter one: its first chunks are the same stream.
    rows = simulate_chunks(arch, 1, list(enumerate(chunk_sizes(2 * CHUNK_TRIALS))))
    longer = simulate_chunks(arch, 1, list(enumerate(chunk_sizes(3 * CHUNK_TRIALS))))
    assert np.array_equal(rows, longer[:2])
