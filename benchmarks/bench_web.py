"""The web app's speed against the CLI, measured in the same run (goals: a cached report served in
<= 100 ms; an uncached assessment through the API within 1.2x the CLI's time).

Baselines:
- ``lifeboat assess --json`` in a fresh subprocess (what a CLI user waits for), median of 3 after a
  first run that fills the on-disk caches (numba, bytecode);
- the same report's first, uncached request.

Measured on a freshly started ``lifeboat serve`` on loopback: the first assessment (cold server:
lazy imports, catalog load, numba kernels loaded from the on-disk cache), then uncached
assessments with other seeds (warm server), then the cached report (median of 20 requests).
"""

from __future__ import annotations

import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

LIFEBOAT = str(Path(sys.executable).with_name("lifeboat"))
RUNS = 3
CACHED_REQUESTS = 20
CACHED_GOAL_MS = 100.0
API_GOAL_RATIO = 1.2


def cli_s(cwd: str) -> float:
    start = time.perf_counter()
    done = subprocess.run([LIFEBOAT, "assess", "--json", "--report", "r.html"], cwd=cwd,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"lifeboat assess failed:\n{done.stderr}")
    return time.perf_counter() - start


def fetch_s(url: str) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=300) as r:
        r.read()
        if r.status != 200:
            raise SystemExit(f"{url}: HTTP {r.status}")
    return time.perf_counter() - start


def main() -> None:
    with tempfile.TemporaryDirectory() as cwd:
        cli_s(cwd)  # fills the on-disk caches
        cli = statistics.median(cli_s(cwd) for _ in range(RUNS))

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen([LIFEBOAT, "serve", "--port", str(port), "--workers", "1"], cwd=cwd,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    fetch_s(base + "/api/status")
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
            cold = fetch_s(base + "/api/assess/iss-2018-12")  # the CLI's defaults: 200,000 trials, seed 2018
            warm = statistics.median(fetch_s(f"{base}/api/assess/iss-2018-12?seed={2019 + i}")
                                     for i in range(RUNS))
            report_url = base + "/report/iss-2018-12?seed=3000"
            uncached_report = fetch_s(report_url)
            cached = statistics.median(fetch_s(report_url) for _ in range(CACHED_REQUESTS))
        finally:
            server.terminate()
            server.wait(timeout=10)

    print(f"baseline `lifeboat assess --json` (fresh process, caches filled): {cli:.2f} s")
    print(f"API, first assessment on a fresh server: {cold:.2f} s, ratio {cold / cli:.2f}x vs the CLI "
          f"(goal <= {API_GOAL_RATIO}x)")
    print(f"API, uncached assessment on a warm server: {warm:.2f} s, ratio {warm / cli:.2f}x vs the CLI")
    print(f"report, first request (assessment and rendering): {uncached_report:.2f} s")
    print(f"report, cached: {cached * 1000:.1f} ms (goal <= {CACHED_GOAL_MS:g} ms), ratio "
          f"{cached / uncached_report:.4f}x vs its first request")
    if cold / cli > API_GOAL_RATIO or cached * 1000 > CACHED_GOAL_MS:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
