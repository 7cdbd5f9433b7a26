"""Cold-start wall time of `lifeboat assess` on the built-in scenario (goal < 10 s).

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


def main() -> None:
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
