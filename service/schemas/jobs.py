"""Schemas of the jobs resource: queued batch ingests and rebuilds, their state, progress and results."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from service.schemas.documents import BatchItemResultSchema


class JobProgressSchema(ma.Schema):
    """How far a job is: items (or documents, for a rebuild) finished out of all."""

    done = ma.fields.Integer(metadata={"description": "Items finished so far (stored, found stored, or failed)."})
    total = ma.fields.Integer(metadata={"description": "Items in the job (documents, for a rebuild)."})


class JobSchema(ma.Schema):
    """A background job: ``queued`` -> ``started`` -> ``finished`` or ``failed``."""

    id = ma.fields.String(metadata={"description": "The job id, as in `Location: /v1/jobs/<id>`."})
    kind = ma.fields.String(validate=validate.OneOf(["ingest-batch", "rebuild"]),
                            metadata={"description": "`ingest-batch` (POST /v1/documents/batch) or `rebuild`."})
    state = ma.fields.String(
        validate=validate.OneOf(["queued", "started", "finished", "failed"]),
        metadata={"description": "`queued` (also while waiting for a retry), `started`, `finished` or `failed`."},
    )
    progress = ma.fields.Nested(JobProgressSchema, metadata={"description": "Items done out of all."})
    items = ma.fields.List(
        ma.fields.Nested(BatchItemResultSchema),
        metadata={"description": "Per-item results so far, by index, in the shape of the synchronous batch's items."},
    )
    created = ma.fields.Integer(metadata={"description": "Items stored by this job so far."})
    existing = ma.fields.Integer(metadata={"description": "Items that were stored already."})
    failed = ma.fields.Integer(metadata={"description": "Items that failed (each with its problem in `error`)."})
    documents = ma.fields.Integer(allow_none=True,
                                  metadata={"description": "A finished rebuild: documents whose lineage was rebuilt."})
    attempts = ma.fields.Integer(metadata={"description": "Times a worker started the job (over 1 after a retry)."})
    enqueued_at = ma.fields.String(allow_none=True, metadata={"description": "ISO 8601, UTC."})
    started_at = ma.fields.String(allow_none=True, metadata={"description": "Start of the latest attempt."})
    ended_at = ma.fields.String(allow_none=True, metadata={"description": "When it finished or failed."})
    error = ma.fields.String(allow_none=True, metadata={"description": "Why a failed job failed."})
