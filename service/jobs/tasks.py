"""What a ``provenance worker`` runs: queued batch ingests and rebuilds.

A job may run more than once: RQ retries it when it raises, when its work horse dies, or when its
worker disappears (abandoned, see ``service.jobs.worker``). Running again is safe, since ingest
is idempotent (the same ``external_id`` and text, or the same text without one, is the stored
document) and a rebuild is one transaction. A batch also resumes: after each committed
transaction the per-item results are saved in the job's ``meta``, and a new attempt skips the
items listed there (items committed by an attempt that died before saving come back as
``existing``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from flask import Flask, current_app, has_app_context
from rq import get_current_job
from rq.job import Job

from service.db import session_scope
from service.ingest.batch import item_result, tally, validate
from service.ingest.pipeline import ingest_many
from service.ingest.rebuild import reanalyse

_app: Flask | None = None


def job_app() -> Flask:
    """The app whose configuration and database jobs use: the worker's (pushed as the app context)."""
    global _app
    if has_app_context():
        app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
        return app
    if _app is None:  # a job run by a plain ``rq worker``: build the app from the environment
        from service import create_app

        _app = create_app()
    return _app


def _job() -> Job:
    job = get_current_job()
    if job is None:
        raise RuntimeError("service.jobs.tasks functions run inside an RQ worker")
    job.meta["attempts"] = int(job.meta.get("attempts") or 0) + 1
    job.save_meta()
    return job


def _save(job: Job, done: dict[int, dict[str, Any]]) -> None:
    job.meta["items"] = [done[i] for i in sorted(done)]
    job.meta["done"] = len(done)
    job.save_meta()


def ingest_batch(items: Sequence[Sequence[Any]]) -> dict[str, int]:
    """Ingest ``[index, payload]`` items (payloads as the client sent them), a transaction per ``BATCH_LIMIT``.

    Progress and per-item results go to the job's ``meta`` after every transaction.
    """
    job = _job()
    app = job_app()
    instance = f"/v1/jobs/{job.id}"
    done = {int(r["index"]): r for r in job.meta.get("items") or []}
    pending = [(int(index), payload) for index, payload in items if int(index) not in done]
    size = max(1, int(app.config.get("BATCH_LIMIT") or 100))
    with app.app_context():
        for start in range(0, len(pending), size):
            valid, errors = validate(pending[start : start + size], instance)
            done.update((r["index"], r) for r in errors)
            if valid:
                with session_scope(app) as session:
                    outcomes = ingest_many(session, [p for _, p in valid], app.config, batch_size=len(valid))
                done.update((index, item_result(index, o, instance)) for (index, _), o in zip(valid, outcomes,
                                                                                             strict=True))
            _save(job, done)
    _save(job, done)
    return tally(list(done.values()))


def rebuild(workers: int = 0, batch_size: int = 1000) -> dict[str, int]:
    """Recompute the reuse index, links and lineage of every stored document (one transaction)."""
    job = _job()
    app = job_app()

    def progress(done: int, total: int) -> None:
        job.meta.update(done=done, total=total)
        job.save_meta()

    with app.app_context(), session_scope(app) as session:
        count = reanalyse(session, workers=workers, batch_size=batch_size, progress=progress)
    job.meta.update(done=count, total=count, documents=count)
    job.save_meta()
    return {"documents": count}
