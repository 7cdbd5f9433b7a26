"""Cold-start wall time of `lifeboat assess` on the built-in scenario (goal < 10 s), and the warm
time of `assess()` in a process that has already run it once (the issue's goal: <= 2 s warm).

Runs the CLI in a fresh subprocess (a new interpreter: nothing imported or computed in memory) from
an empty temporary directory, as a user would, and the named baseline `lifeboat --version`
(interpreter start and CLI import) in the same run. Prints the median of a few runs of each and
their ratio, after one first run that fills the on-disk caches (numba's compiled kernels,
bytecode) as the first use after installation does.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

LIFEBOAT = str(Path(sys.executable).with_name("lifeboat"))
RUNS = 3
GOAL_S = 10.0


def wall_time_s(args: list[str], cwd: str) -> float:
    start = time.perf_counter()
    done = subprocess.run([LIFEBOAT, *args], cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"lifeboat {' '.join(args)} failed:\n{done.stderr}")
    return elapsed


def warm_assess_s() -> tuple[float, float]:
    """In one process: the first `assess()` (imports, compiled kernels, catalog) and the median
    of the next runs (warm), each with a fresh services object as the CLI and the web use."""
    from lifeboat.rescue.assess import assess

    start = time.perf_counter()
    assess("iss-2018-12")
    first = time.perf_counter() - start
    runs = []
    for _ in range(RUNS):
        start = time.perf_counter()
        assess("iss-2018-12")
        runs.append(time.perf_counter() - start)
    return first, statistics.median(runs)


def main() -> None:
    first_in_process, warm = warm_assess_s()
    print(f"in one process: first assess() {first_in_process:.2f} s, warm assess() {warm:.2f} s "
          f"(ratio {warm / first_in_process:.2f} vs the first; goal warm <= 2 s)")
    with tempfile.TemporaryDirectory() as cwd:
        first = wall_time_s(["assess"], cwd)  # fills the on-disk caches (numba, __pycache__)
        baseline = statistics.median(wall_time_s(["--version"], cwd) for _ in range(RUNS))
        assess = statistics.median(wall_time_s(["assess"], cwd) for _ in range(RUNS))
    print(f"first run (fills the numba and bytecode caches): {first:.2f} s")
    print(f"baseline `lifeboat --version` cold start: {baseline:.2f} s")
    print(f"assess cold start: {assess:.2f} s (goal < {GOAL_S:g} s)")
    print(f"ratio: {assess / baseline:.1f}x vs lifeboat --version (assess does the whole analysis; "
          f"goal: assess < {GOAL_S:g} s)")
    if assess >= GOAL_S:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
