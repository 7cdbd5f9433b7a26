"""Long computations off the event loop: a bounded queue of jobs, results cached by input hash.

A job is identified by the SHA-256 of its kind and inputs (canonical JSON), so the same request
made twice - by the same client or another - runs once and is then served from memory. At most
``max_active`` jobs are queued or running at a time; one more raises :class:`QueueFull`, which
the web app turns into HTTP 503 with ``Retry-After``. Finished jobs are kept, least recently
used first out, up to ``cache_size``.

Jobs run on a small thread pool (the risk kernel and numpy release the GIL for most of their
work); the event loop only awaits their futures, so cheap requests such as the catalog are
answered while assessments run.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from lifeboat.errors import InputError

ProgressCallback = Callable[[int, int], None]


class QueueFull(RuntimeError):
    """Too many jobs are queued or running; the client should retry later."""


def input_hash(kind: str, inputs: dict[str, Any]) -> str:
    """A stable id for a computation: SHA-256 of its kind and inputs (24 hex digits)."""
    text = json.dumps({"kind": kind, "inputs": inputs}, sort_keys=True, separators=(",", ":"),
                      default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


@dataclass
class Job:
    id: str
    kind: str
    inputs: dict[str, Any]
    future: Future
    submitted_s: float = field(default_factory=time.monotonic)
    started_s: float | None = None
    finished_s: float | None = None
    done: int = 0
    total: int = 0
    value: Any = None  # the service's result object
    error: InputError | None = None
    extras: dict[str, Any] = field(default_factory=dict)  # derived outputs (JSON bytes, report)

    @property
    def status(self) -> str:
        if self.finished_s is not None:
            return "failed" if self.error is not None else "done"
        return "running" if self.started_s is not None else "queued"

    def derived(self, name: str, make: Callable[[], Any]) -> Any:
        """A cached output derived from the result (rendered once, then reused)."""
        if name not in self.extras:
            self.extras[name] = make()
        return self.extras[name]


class JobRunner:
    """Runs jobs on ``workers`` threads with at most ``max_active`` queued or running."""

    def __init__(self, *, workers: int = 2, max_active: int = 8, cache_size: int = 64):
        if workers < 1 or max_active < workers or cache_size < 1:
            raise ValueError("expected workers >= 1, max_active >= workers and cache_size >= 1")
        self.workers = workers
        self.max_active = max_active
        self.cache_size = cache_size
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="lifeboat-job")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()

    def active(self) -> int:
        with self._lock:
            return sum(1 for j in self._jobs.values() if j.finished_s is None)

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None:
                self._jobs.move_to_end(job_id)
            return job

    def queued_ahead(self, job: Job) -> int:
        """How many queued jobs were submitted before ``job`` (0 once it runs)."""
        if job.status != "queued":
            return 0
        with self._lock:
            return sum(1 for j in self._jobs.values()
                       if j.status == "queued" and j.submitted_s < job.submitted_s)

    def submit(self, kind: str, inputs: dict[str, Any], work: Callable[[ProgressCallback], Any]) -> Job:
        """The job for these inputs: the cached or running one, or a new one.

        ``work(progress)`` computes the result and may call ``progress(done, total)``. An
        :class:`InputError` it raises is kept as the job's outcome (the same inputs fail the
        same way); any other exception is re-raised to the awaiting request and not cached.
        """
        job_id = input_hash(kind, inputs)
        with self._lock:
            job = self._jobs.get(job_id)
            if job is not None:
                self._jobs.move_to_end(job_id)
                return job
            if sum(1 for j in self._jobs.values() if j.finished_s is None) >= self.max_active:
                raise QueueFull(f"{self.max_active} computations are already queued or running")
            job = Job(id=job_id, kind=kind, inputs=inputs, future=Future())
            self._jobs[job_id] = job
            self._evict()
        self._pool.submit(self._run, job, work)
        return job

    def _run(self, job: Job, work: Callable[[ProgressCallback], Any]) -> None:
        job.started_s = time.monotonic()

        def progress(done: int, total: int) -> None:
            job.done, job.total = int(done), int(total)

        try:
            job.value = work(progress)
        except InputError as exc:
            job.error = exc
        except BaseException as exc:  # a bug: report it, do not keep it
            job.finished_s = time.monotonic()
            with self._lock:
                self._jobs.pop(job.id, None)
            job.future.set_exception(exc)
            return
        job.finished_s = time.monotonic()
        job.future.set_result(job)

    def _evict(self) -> None:
        finished = [k for k, j in self._jobs.items() if j.finished_s is not None]
        for key in finished[: max(0, len(self._jobs) - self.cache_size)]:
            del self._jobs[key]

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)
