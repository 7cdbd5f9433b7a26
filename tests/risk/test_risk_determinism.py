"""Same seed, same numbers: whatever the number of workers and however chunks are grouped."""

from __future__ import annotations

import dataclasses

import numpy as np

from lifeboat.risk.engine import (
    CHUNK_TRIALS,
    batch_trials,
    chunk_sizes,
    compare_paired,
    kernel_input,
    run_risk,
    simulate_chunk_batches,
)
from lifeboat.risk.model import load_architecture

TRIALS = 4 * CHUNK_TRIALS + 1234  # a short last chunk on purpose


def numbers(result):
    """Everything except the timing and the worker count."""
    return dataclasses.replace(result, trials_per_s=0.0, workers=0)


def test_same_seed_same_numbers_for_1_2_4_workers():
    arch = load_architecture("iss-7-dragon-soyuz")
    runs = [numbers(run_risk(arch, trials=TRIALS, seed=99, workers=w)) for w in (1, 2, 4)]
    assert runs[0] == runs[1] == runs[2]
    assert runs[0].trials == TRIALS


def test_chunks_in_any_order_give_the_same_batches():
    """A chunk's numbers depend only on the seed and its index, not on what ran before."""
    inp = [kernel_input(load_architecture("textbook"))]
    size = batch_trials(TRIALS)
    jobs = list(enumerate(chunk_sizes(TRIALS)))
    forward = [simulate_chunk_batches(inp, 7, i, n, size)[0] for i, n in jobs]
    backward = [simulate_chunk_batches(inp, 7, i, n, size)[0] for i, n in reversed(jobs)][::-1]
    assert all(np.array_equal(a, b) for a, b in zip(forward, backward, strict=True))


def test_different_seeds_differ_and_a_run_alone_equals_the_same_run_in_a_comparison():
    arch = load_architecture("textbook")
    a = run_risk(arch, trials=TRIALS, seed=1)
    b = run_risk(arch, trials=TRIALS, seed=2)
    assert a.metrics["p_loc"] != b.metrics["p_loc"] or a.metrics["decrewed_days"] != b.metrics["decrewed_days"]
    # Common random numbers: in a comparison each architecture sees the same streams as alone.
    pair = compare_paired(["iss-us-only", "textbook"], trials=TRIALS, seed=1, workers=2)
    assert numbers(pair.results[1]) == numbers(a)
