"""``lifeboat serve`` on loopback: it answers, and holds up under load while slow work queues.

The load test sends 500 requests from 20 threads to the real server (uvicorn) while 30 uncached
Monte Carlo requests compete for a queue of 4: every cheap request must succeed and every slow
one must end in a result or a 503, never a hang. It reports p50/p99 latencies in pytest's warnings
summary (reported, not asserted: tests never time anything).
"""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

REQUESTS = 500
CONCURRENCY = 20
SLOW_REQUESTS = 30


@pytest.mark.slow
def test_serve_answers_on_loopback(server, get):
    status, body, headers = get(server + "/api/catalog/sites")
    assert status == 200 and any(s["id"] == "baikonur" for s in json.loads(body))
    assert headers.get("x-content-type-options") == "nosniff"
    # A Host header naming another machine is refused (DNS rebinding).
    request = urllib.request.Request(server + "/api/status", headers={"Host": "attacker.example"})
    try:
        urllib.request.urlopen(request, timeout=10)
        raise AssertionError("expected a 403")
    except urllib.error.HTTPError as e:
        assert e.code == 403 and json.loads(e.read())["code"] == "forbidden"


@pytest.mark.slow
def test_load_from_loopback(server, get, tell, record_property):
    assert get(server + "/api/risk/textbook?trials=20000&seed=1")[0] == 200  # cached from now on
    cheap = ["/api/status", "/api/catalog/sites", "/api/scenarios/iss-2018-12",
             "/api/risk/textbook?trials=20000&seed=1", "/static/app.js"]
    slow_codes: list[int] = []

    def slow(i: int) -> None:
        status, body, headers = get(f"{server}/api/risk/iss-mixed?trials=100000&seed={1000 + i}")
        if status == 503:
            assert json.loads(body)["code"] == "busy" and int(headers.get("retry-after")) > 0
        slow_codes.append(status)

    def timed(i: int) -> tuple[int, float]:
        start = time.perf_counter()
        status, _, _ = get(server + cheap[i % len(cheap)], timeout=60)
        return status, time.perf_counter() - start

    slow_threads = [threading.Thread(target=slow, args=(i,)) for i in range(SLOW_REQUESTS)]
    for t in slow_threads:
        t.start()
    with ThreadPoolExecutor(CONCURRENCY) as pool:
        results = list(pool.map(timed, range(REQUESTS)))
    for t in slow_threads:
        t.join(timeout=300)
    assert not any(t.is_alive() for t in slow_threads), "a slow request hung"

    errors = sum(1 for status, _ in results if status != 200)
    latencies_ms = np.array([s for _, s in results]) * 1000.0
    p50, p99 = np.percentile(latencies_ms, [50, 99])
    record_property("p50_ms", round(float(p50), 1))
    record_property("p99_ms", round(float(p99), 1))
    tell(f"load test: {REQUESTS} requests, {CONCURRENCY} concurrent, {SLOW_REQUESTS} slow requests "
         f"competing: p50 {p50:.1f} ms, p99 {p99:.1f} ms, {errors} errors; slow: "
         f"{slow_codes.count(200)} computed, {slow_codes.count(503)} refused with 503")
    assert errors == 0
    assert set(slow_codes) <= {200, 503} and len(slow_codes) == SLOW_REQUESTS
    assert slow_codes.count(503) > 0, "the queue of 4 must refuse some of 30 simultaneous runs"
