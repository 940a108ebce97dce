"""The jobs resource: the state, progress and results of queued batch ingests and rebuilds."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from sqlalchemy import select
from werkzeug.exceptions import ServiceUnavailable

from service.db import get_session
from service.jobs.queue import QueueUnavailable, describe, fetch, get_queue
from service.models import Document
from service.schemas.jobs import JobSchema

blp = Blueprint(
    "jobs", __name__, url_prefix="/v1/jobs",
    description="Background jobs: batches posted with `Prefer: respond-async` (or above the async size), rebuilds.",
)


def job_answer(job_status: dict[str, Any]) -> dict[str, Any]:
    """A job as ``JobSchema`` renders it: each item's ``document`` read from the primary database."""
    items = job_status["items"]
    ids = [r["document_id"] for r in items if r.get("document_id") is not None]
    documents = {d.id: d for d in get_session().scalars(select(Document).where(Document.id.in_(ids)))} if ids else {}
    job_status["items"] = [{**r, "document": documents.get(r.get("document_id"))} for r in items]
    return job_status


@blp.route("/<job_id>")
class JobById(MethodView):
    """One job."""

    @blp.response(200, JobSchema)
    @blp.alt_response(404, description="No such job (unknown, expired, or no job queue configured).")
    @blp.alt_response(503, description="The job queue (Redis) is unreachable.")
    def get(self, job_id: str) -> dict[str, Any]:
        """A job's state (queued, started, finished, failed), progress, per-item results and error."""
        queue = get_queue(current_app.config)
        job = None
        if queue is not None:
            try:
                job = fetch(queue, job_id)
            except QueueUnavailable:
                raise ServiceUnavailable("The job queue is unreachable; try again shortly.", retry_after=10) from None
        if job is None:
            kept = int(current_app.config.get("JOB_RESULT_TTL") or 0)
            abort(404, message=f"No job with id {job_id!r} (jobs are kept {kept} s after they end).")
            raise AssertionError("unreachable")
        return job_answer(describe(job))
