"""A sweep on a real Dask cluster (one `dask scheduler`, two `dask worker` processes on
localhost) survives losing a worker mid-way and gives the same numbers as a local run."""

from __future__ import annotations

import dataclasses
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lifeboat.risk.sweep import run_sweep

pytestmark = [pytest.mark.xdist_group("dask"), pytest.mark.cluster, pytest.mark.slow]

DASK = str(Path(sys.executable).with_name("dask"))

SWEEP = """
architecture = "textbook"
trials = 1500000
seed = 11
kind = "grid"
[parameters]
"providers.single.ascent_failure" = [0.01, 0.02, 0.03]
"providers.single.grounding_median_days" = [30.0, 90.0]
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def cluster(tmp_path):
    """Scheduler and two single-threaded workers without nannies (killing one really loses it).
    Every process is killed at the end, whatever happens."""
    procs: list[subprocess.Popen] = []

    def spawn(name: str, *args: str) -> subprocess.Popen:
        log = open(tmp_path / f"{name}.log", "wb")  # noqa: SIM115 (closed with the process)
        proc = subprocess.Popen([DASK, *args], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        log.close()
        procs.append(proc)
        return proc

    try:
        port = free_port()
        address = f"tcp://127.0.0.1:{port}"
        spawn("scheduler", "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard")
        workers = [
            spawn(f"worker{i}", "worker", address, "--nworkers", "1", "--nthreads", "1",
                  "--no-nanny", "--no-dashboard", "--name", f"w{i}", "--host", "127.0.0.1")
            for i in range(2)
        ]
        from dask.distributed import Client

        deadline = time.monotonic() + 40
        while True:
            try:
                with Client(address, timeout="5s") as client:
                    client.wait_for_workers(2, timeout=30)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        yield address, workers
    finally:
        for proc in procs:
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            proc.wait(timeout=10)


def numbers(result):
    return dataclasses.replace(result, trials_per_s=0.0, workers=0)


def test_sweep_survives_a_killed_worker_and_matches_a_local_run(tmp_path, cluster):
    address, workers = cluster
    (tmp_path / "grid.toml").write_text(SWEEP)
    events = []

    def kill_one_worker_after_first_result(point):
        events.append(point.index)
        if len(events) == 1:
            workers[1].kill()
            workers[1].wait(timeout=10)

    remote = run_sweep(tmp_path / "grid.toml", scheduler=address, store=tmp_path / "remote.duckdb",
                       on_stored=kill_one_worker_after_first_result)
    assert workers[1].poll() is not None and len(events) == 6  # points kept coming after the kill
    local = run_sweep(tmp_path / "grid.toml", store=tmp_path / "local.duckdb")
    assert remote.computed == local.computed == 6
    for a, b in zip(remote.points, local.points, strict=True):
        assert a.key == b.key
        assert numbers(a.result) == numbers(b.result)
