"""The documents resource: ingest articles (one, a batch, or by URL), list, read and delete them."""

from __future__ import annotations

import logging
from typing import Any

from flask import Response, current_app, jsonify, request, url_for
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from sqlalchemy import func, select
from werkzeug.exceptions import ServiceUnavailable

from service.api.jobs import job_answer
from service.db import get_session
from service.ingest.batch import item_result, tally, validate
from service.ingest.pipeline import ingest_document, ingest_many
from service.ingest.store import delete_document
from service.ingest.types import IngestError
from service.jobs.queue import QueueUnavailable, describe, enqueue_batch, get_queue
from service.models import Document
from service.schemas.documents import (
    BatchResultSchema,
    DocumentCreateSchema,
    DocumentDetailSchema,
    DocumentPageSchema,
    DocumentQuerySchema,
    DocumentSchema,
)
from service.schemas.jobs import JobSchema

log = logging.getLogger(__name__)

blp = Blueprint(
    "documents", __name__, url_prefix="/v1/documents", description="Articles in the corpus: ingest, list, read, delete."
)


def _ingest_or_abort(payload: dict[str, Any]) -> tuple[Document, bool]:
    try:
        return ingest_document(get_session(), payload, current_app.config)
    except IngestError as exc:
        abort(exc.status, message=exc.detail, messages={"json": exc.errors} if exc.errors else None)
        raise  # abort() raises; this keeps type checkers informed


def get_document_or_404(document_id: int) -> Document:
    """The stored document with ``document_id``, or a 404 problem."""
    document = get_session().get(Document, document_id)
    if document is None:
        abort(404, message=f"No document with id {document_id}.")
        raise AssertionError("unreachable")
    return document


@blp.route("")
class Documents(MethodView):
    """The collection of documents."""

    @blp.arguments(DocumentQuerySchema, location="query")
    @blp.response(200, DocumentPageSchema)
    def get(self, query: dict[str, Any]) -> dict[str, Any]:
        """List documents, newest first, filtered by outlet or external_id."""
        session = get_session()
        stmt = select(Document)
        if "outlet" in query:
            stmt = stmt.where(Document.outlet == query["outlet"])
        if "external_id" in query:
            stmt = stmt.where(Document.external_id == query["external_id"])
        total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        page, per_page = query["page"], query["per_page"]
        items = session.scalars(stmt.order_by(Document.id.desc()).offset((page - 1) * per_page).limit(per_page)).all()
        return {"items": items, "total": total, "page": page, "per_page": per_page}

    @blp.arguments(DocumentCreateSchema)
    @blp.response(201, DocumentSchema)
    @blp.alt_response(200, schema=DocumentSchema, description="The document was already stored.")
    def post(self, payload: dict[str, Any]) -> Any:
        """Ingest an article from text, HTML or a URL (idempotent on external_id and content)."""
        document, created = _ingest_or_abort(payload)
        return document, 201 if created else 200


@blp.route("/batch")
class DocumentBatch(MethodView):
    """Many documents at once."""

    @blp.response(200, BatchResultSchema)
    @blp.alt_response(
        202, schema=JobSchema, success=True,
        description=(
            "Queued (with `Prefer: respond-async`, or a batch over PROVENANCE_ASYNC_BATCH_OVER items, when a job "
            "queue is configured): follow `Location: /v1/jobs/<id>`. `Preference-Applied: respond-async` "
            "answers the header."
        ),
    )
    @blp.doc(
        requestBody={
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/DocumentCreate"}}
                }
            },
        },
        parameters=[{
            "in": "header", "name": "Prefer", "required": False, "schema": {"type": "string"},
            "description": "`respond-async`: queue the batch and answer 202 at once (ignored without a job queue).",
        }],
    )
    def post(self) -> Any:
        """Ingest a JSON array of articles; each item succeeds or fails on its own (202 and a job when queued)."""
        items = request.get_json(silent=True)
        if not isinstance(items, list):
            abort(422, message="The body must be a JSON array of documents.")
            raise AssertionError("unreachable")
        config = current_app.config
        sync_limit = int(config["BATCH_LIMIT"])
        queue = get_queue(config)
        asked = prefers_async()
        queued = queue is not None and (asked or len(items) > int(config["ASYNC_BATCH_OVER"]))
        limit = max(int(config["ASYNC_BATCH_LIMIT"]), sync_limit) if queued else sync_limit
        if not items or len(items) > limit:
            hint = "" if queue is not None else " (larger batches need the job queue: PROVENANCE_REDIS_URL)"
            abort(422, message=f"A batch holds between 1 and {limit} documents; this one has {len(items)}{hint}.")
        valid, errors = validate(list(enumerate(items)))
        if queue is not None and queued:
            accepted = _enqueue_or_none(queue, items, valid, errors, must=len(items) > sync_limit)
            if accepted is not None:
                return accepted if not asked else _applied(accepted)
        session = get_session()
        outcomes = ingest_many(session, [payload for _, payload in valid], config, batch_size=sync_limit)
        results = errors + [item_result(index, o) for (index, _), o in zip(valid, outcomes, strict=True)]
        results.sort(key=lambda r: r["index"])
        ids = [r["document_id"] for r in results if r["document_id"] is not None]
        stored = {d.id: d for d in session.scalars(select(Document).where(Document.id.in_(ids)))} if ids else {}
        return {"items": [{**r, "document": stored.get(r["document_id"])} for r in results], **tally(results)}


def prefers_async() -> bool:
    """Whether the request carries ``Prefer: respond-async`` (RFC 7240; other preferences are ignored)."""
    for header in request.headers.getlist("Prefer"):
        for preference in header.split(","):
            if preference.split(";", 1)[0].split("=", 1)[0].strip().lower() == "respond-async":
                return True
    return False


def _enqueue_or_none(queue: Any, items: list[Any], valid: list[tuple[int, Any]], errors: list[dict[str, Any]],
                     *, must: bool) -> Response | None:
    """Queue the valid items (as received) and answer 202; None to answer synchronously when Redis is away.

    A batch that the synchronous path cannot take (over ``BATCH_LIMIT``) gets a 503 instead.
    """
    try:
        job = enqueue_batch(queue, current_app.config, [(index, items[index]) for index, _ in valid], len(items),
                            errors)
    except QueueUnavailable as exc:
        log.warning("job queue unreachable: %s", type(exc.__cause__).__name__)
        if must:
            raise ServiceUnavailable("The job queue is unreachable; try again shortly, or send smaller batches.",
                                     retry_after=30) from None
        return None
    body = JobSchema().dump(job_answer(describe(job)))
    response = jsonify(body)
    response.status_code = 202
    response.headers["Location"] = url_for("jobs.JobById", job_id=job.id)
    return response


def _applied(response: Response) -> Response:
    response.headers["Preference-Applied"] = "respond-async"
    return response


@blp.route("/<int:document_id>")
class DocumentById(MethodView):
    """One document."""

    @blp.response(200, DocumentDetailSchema)
    def get(self, document_id: int) -> Document:
        """Read a document with its text and passages."""
        return get_document_or_404(document_id)

    @blp.response(204)
    def delete(self, document_id: int) -> None:
        """Delete a document, its passages and its links."""
        delete_document(get_session(), get_document_or_404(document_id))
