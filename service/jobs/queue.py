"""The job queue: where it is, enqueueing batch ingests and rebuilds, and reading a job's state.

Jobs live in Redis (RQ, JSON-serialised). A job's ``meta`` holds what a client polls: its kind,
``total`` and ``done`` (progress) and the per-item results so far, saved by the worker after each
committed transaction; a retried job resumes from them. Nothing here needs Flask: the API and the
CLI pass their configuration.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from redis import Redis
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from rq.serializers import JSONSerializer

INGEST_BATCH = "ingest-batch"
REBUILD = "rebuild"
# What each kind of job runs (imported by name in the worker).
FUNCTIONS = {INGEST_BATCH: "service.jobs.tasks.ingest_batch", REBUILD: "service.jobs.tasks.rebuild"}
# RQ's statuses as this API reports them.
STATES = {
    JobStatus.QUEUED: "queued", JobStatus.DEFERRED: "queued", JobStatus.SCHEDULED: "queued",
    JobStatus.STARTED: "started", JobStatus.FINISHED: "finished",
    JobStatus.FAILED: "failed", JobStatus.STOPPED: "failed", JobStatus.CANCELED: "failed",
}
JOB_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")

_connections: dict[str, Redis] = {}
_lock = threading.Lock()


class QueueUnavailable(Exception):
    """Redis did not answer: the job could not be enqueued or read."""


def queue_url(config: Mapping[str, Any]) -> str | None:
    """The Redis URL of the job queue: ``QUEUE_URL``, else ``REDIS_URL``, else None (no queue)."""
    url = str(config.get("QUEUE_URL") or config.get("REDIS_URL") or "").strip()
    return url or None


def connection(url: str) -> Redis:
    """One Redis client per URL and process, with short timeouts so a dead Redis fails fast."""
    with _lock:
        client = _connections.get(url)
        if client is None:
            client = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=10, health_check_interval=30)
            _connections[url] = client
        return client


def get_queue(config: Mapping[str, Any], redis: Redis | None = None) -> Queue | None:
    """The configured job queue, or None when no Redis is configured."""
    url = queue_url(config)
    if url is None:
        return None
    return Queue(str(config.get("QUEUE_NAME") or "provenance"), connection=redis or connection(url),
                 serializer=JSONSerializer)


def _enqueue(queue: Queue, config: Mapping[str, Any], kind: str, args: Sequence[Any], meta: dict[str, Any],
             description: str) -> Job:
    retries = int(config.get("JOB_RETRIES", 3))
    keep = int(config.get("JOB_RESULT_TTL", 86400))
    try:
        return queue.enqueue(
            FUNCTIONS[kind], *args, meta={"kind": kind, **meta}, description=description,
            job_timeout=int(config.get("JOB_TIMEOUT", 3600)), result_ttl=keep, failure_ttl=keep,
            retry=Retry(max=retries) if retries > 0 else None,
        )
    except Exception as exc:  # redis.exceptions.ConnectionError, TimeoutError...
        raise QueueUnavailable(str(exc)) from exc


def enqueue_batch(queue: Queue, config: Mapping[str, Any], items: Sequence[tuple[int, Any]], total: int,
                  errors: Sequence[dict[str, Any]] = ()) -> Job:
    """Queue a batch ingest of ``items`` (``(index, payload as received)``) out of ``total``.

    ``errors`` are the per-item results of items that failed validation already (reported with
    the others). Raises ``QueueUnavailable`` when Redis does not answer.
    """
    meta = {"total": total, "done": len(errors), "items": sorted(errors, key=lambda r: r["index"])}
    return _enqueue(queue, config, INGEST_BATCH, [[[i, p] for i, p in items]], meta,
                    f"ingest a batch of {total} documents")


def enqueue_rebuild(queue: Queue, config: Mapping[str, Any], *, workers: int = 0, batch_size: int = 1000) -> Job:
    """Queue a rebuild of the reuse index, links and lineage (``provenance rebuild --async``)."""
    return _enqueue(queue, config, REBUILD, [workers, batch_size], {"total": 0, "done": 0, "items": []},
                    "rebuild links and lineage")


def fetch(queue: Queue, job_id: str) -> Job | None:
    """The job with this id on this queue (of a kind this service runs), or None."""
    if not JOB_ID.fullmatch(job_id):
        return None
    try:
        job = Job.fetch(job_id, connection=queue.connection, serializer=JSONSerializer)
    except NoSuchJobError:
        return None
    except Exception as exc:
        raise QueueUnavailable(str(exc)) from exc
    if job.origin != queue.name or job.func_name not in FUNCTIONS.values():
        return None
    return job


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def describe(job: Job) -> dict[str, Any]:
    """A job as the API reports it: state, progress, per-item results (``document_id``), times, error."""
    meta = job.meta or {}
    status = job.get_status(refresh=False)
    state = STATES.get(status, "queued") if status is not None else "queued"
    items = list(meta.get("items") or [])
    answer: dict[str, Any] = {
        "id": job.id,
        "kind": meta.get("kind"),
        "state": state,
        "progress": {"done": int(meta.get("done") or 0), "total": int(meta.get("total") or 0)},
        "items": items,
        "created": sum(1 for r in items if r.get("result") == "created"),
        "existing": sum(1 for r in items if r.get("result") == "existing"),
        "failed": sum(1 for r in items if r.get("result") == "error"),
        "documents": meta.get("documents"),
        "attempts": int(meta.get("attempts") or 0),
        "enqueued_at": _iso(job.enqueued_at),
        "started_at": _iso(job.started_at),
        "ended_at": _iso(job.ended_at),
        "error": None,
    }
    if state == "failed":
        cause = meta.get("last_error")
        answer["error"] = (f"The job failed ({cause}) after {answer['attempts']} attempt(s); see the worker's log."
                           if cause else "The job failed; see the worker's log.")
    return answer
