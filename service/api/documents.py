"""The documents resource: ingest articles (one, a batch, or by URL), list, read and delete them."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import current_app, request
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from sqlalchemy import func, select

from service.db import get_session
from service.errors import problem
from service.ingest.pipeline import ingest_document, ingest_many
from service.ingest.store import delete_document
from service.ingest.types import IngestError
from service.models import Document
from service.schemas.documents import (
    BatchResultSchema,
    DocumentCreateSchema,
    DocumentDetailSchema,
    DocumentPageSchema,
    DocumentQuerySchema,
    DocumentSchema,
)

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
    @blp.doc(
        requestBody={
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"type": "array", "items": {"$ref": "#/components/schemas/DocumentCreate"}}
                }
            },
        }
    )
    def post(self) -> dict[str, Any]:
        """Ingest a JSON array of articles; each item succeeds or fails on its own."""
        items = request.get_json(silent=True)
        limit = int(current_app.config["BATCH_LIMIT"])
        if not isinstance(items, list):
            abort(422, message="The body must be a JSON array of documents.")
            raise AssertionError("unreachable")
        if not items or len(items) > limit:
            abort(422, message=f"A batch holds between 1 and {limit} documents; this one has {len(items)}.")
        schema = DocumentCreateSchema()
        results: dict[int, dict[str, Any]] = {}
        valid: list[tuple[int, dict[str, Any]]] = []
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                results[index] = _item_error(index, 422, "Each item must be a JSON object.", None)
                continue
            try:
                valid.append((index, schema.load(item)))
            except ma.ValidationError as exc:
                results[index] = _item_error(index, 422, "The item failed validation.", exc.messages)
        session = get_session()
        outcomes = ingest_many(session, [payload for _, payload in valid], current_app.config, batch_size=limit)
        stored = {
            d.id: d
            for d in session.scalars(
                select(Document).where(Document.id.in_([o.document_id for o in outcomes if o.document_id]))
            )
        }
        for (index, _), outcome in zip(valid, outcomes, strict=True):
            if outcome.error is not None:
                error = outcome.error
                results[index] = _item_error(index, error.status, error.detail, error.errors)
                continue
            results[index] = {
                "index": index,
                "status": 201 if outcome.created else 200,
                "result": "created" if outcome.created else "existing",
                "document": stored[outcome.document_id] if outcome.document_id is not None else None,
            }
        return {
            "items": [results[i] for i in sorted(results)],
            "created": sum(r["result"] == "created" for r in results.values()),
            "existing": sum(r["result"] == "existing" for r in results.values()),
            "failed": sum(r["result"] == "error" for r in results.values()),
        }


def _item_error(index: int, status: int, detail: str, errors: Any) -> dict[str, Any]:
    body = problem(status, detail, errors=errors).get_json()
    return {"index": index, "status": status, "result": "error", "document": None, "error": body}


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
