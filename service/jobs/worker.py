"""The ``provenance worker`` process: RQ's forking worker, tuned for crash recovery.

Each job runs in a work horse forked from the worker, which inherits the app (and the feature
cache, warmed before the first fork when ``PROVENANCE_WARM_CACHE`` is set). What happens on a
crash:

* the work horse dies (killed, out of memory): the worker sees it at once and RQ retries the job
  (``PROVENANCE_JOB_RETRIES`` times);
* the worker itself dies (SIGKILL, host lost): its horse dies with it (``PR_SET_PDEATHSIG`` on
  Linux), the job's entry in RQ's started-job registry stops being refreshed and expires after
  ``heartbeat + max(2 x heartbeat, 5)`` seconds; the next registry clean-up by any live worker of
  the queue (every ``3 x heartbeat`` seconds, and when a worker starts) retries it, or marks it
  failed when no retry is left.

Either way the job runs again from the items it had not finished (``service.jobs.tasks``), and
ingest's idempotency makes a second store of the same document a no-op.
"""

from __future__ import annotations

import ctypes
import gc
import os
import signal
import socket
import sys
from collections.abc import Sequence
from typing import Any

from flask import Flask
from rq import Worker
from rq.job import Job
from rq.queue import Queue
from rq.serializers import JSONSerializer

from service.db import engines
from service.jobs.queue import get_queue

PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """Ask Linux to SIGKILL this process when its parent (the worker, ``parent``) dies; elsewhere do nothing."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the worker died before the request took effect
        os._exit(1)


class ProvenanceWorker(Worker):
    """RQ's ``Worker`` whose horse dies with it and whose jobs are found abandoned within seconds.

    RQ keeps a running job in the started-job registry for the heartbeat interval plus 60
    seconds; here the margin is ``max(2 x heartbeat, 5)`` seconds, so a job whose worker was
    killed is retried within about ``6 x heartbeat`` seconds rather than minutes.
    """

    app: Flask | None = None
    worker_pid: int = 0

    def get_heartbeat_ttl(self, job: Job) -> int:
        grace = max(2 * int(self.job_monitoring_interval), 5)
        if job.timeout and job.timeout > 0:
            remaining = job.timeout - self.current_job_working_time
            return int(min(remaining, self.job_monitoring_interval)) + grace
        return int(self.job_monitoring_interval) + grace

    def main_work_horse(self, job: Job, queue: Queue) -> None:
        _die_with_parent(self.worker_pid)
        if self.app is not None:
            for engine in engines(self.app):  # the worker's connections stay the worker's
                engine.dispose(close=False)
        super().main_work_horse(job, queue)


def record_error(job: Job, exc_type: type[BaseException], _exc: BaseException, _tb: Any) -> bool:
    """Exception handler: remember the exception's class (never its text: it may hold SQL) for the API."""
    try:
        job.meta["last_error"] = exc_type.__name__
        job.save_meta()
    except Exception:  # the job may be gone; RQ's own handling goes on
        pass
    return True


def build_worker(app: Flask, *, name: str | None = None, queues: Sequence[Queue] | None = None) -> ProvenanceWorker:
    """A worker on the app's queue, with the heartbeat of ``PROVENANCE_WORKER_HEARTBEAT``."""
    queue = get_queue(app.config)
    if queue is None:
        raise RuntimeError("No job queue: set PROVENANCE_REDIS_URL (or PROVENANCE_QUEUE_URL).")
    heartbeat = max(1, int(app.config.get("WORKER_HEARTBEAT") or 10))
    worker = ProvenanceWorker(
        list(queues or [queue]),
        name=name or f"{socket.gethostname()}.{os.getpid()}",
        connection=queue.connection,
        serializer=JSONSerializer,
        job_monitoring_interval=heartbeat,
        maintenance_interval=3 * heartbeat,
        worker_ttl=15 + 3 * heartbeat,  # RQ blocks on the queue for worker_ttl - 15 s between clean-ups
        exception_handlers=[record_error],
    )
    worker.app = app
    worker.worker_pid = os.getpid()
    return worker


def run_worker(app: Flask, *, burst: bool = False, name: str | None = None) -> bool:
    """Work on the app's queue until stopped (SIGTERM: finish the current job first); True if any job ran.

    The feature cache is warmed first (``PROVENANCE_WARM_CACHE``) and frozen, so every work horse
    starts with it, as gunicorn workers do.
    """
    from service.ops import warm_up

    worker = build_worker(app, name=name)
    warm_up(app)
    for engine in engines(app):
        engine.dispose()
    gc.collect()
    gc.freeze()
    with app.app_context():
        return bool(worker.work(burst=burst, logging_level=str(app.config.get("LOG_LEVEL") or "INFO")))
