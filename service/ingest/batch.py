"""A batch as clients send it: validation item by item, and the per-item results of ``POST /v1/documents/batch``.

Shared by the synchronous batch (``service.api.documents``) and the queued one
(``service.jobs.tasks``), so both report every item the same way: ``index`` in the request,
the ``status`` it would get on its own, ``created``/``existing``/``error`` and, for an error, a
problem document. Results are plain dicts with a ``document_id``; the API puts the document in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import marshmallow as ma

from service.errors import problem_body
from service.ingest.types import IngestResult
from service.schemas.documents import DocumentCreateSchema

_SCHEMA = DocumentCreateSchema()


def item_error(index: int, status: int, detail: str, errors: Any = None, instance: str | None = None
               ) -> dict[str, Any]:
    """The result of an item that failed: its problem document in ``error``."""
    body = problem_body(status, detail, errors=errors, instance=instance)
    return {"index": index, "status": status, "result": "error", "document_id": None, "error": body}


def validate(items: Sequence[tuple[int, Any]], instance: str | None = None
             ) -> tuple[list[tuple[int, dict[str, Any]]], list[dict[str, Any]]]:
    """``(index, item)`` pairs as received -> ``(index, validated payload)`` pairs and the errors of the rest."""
    valid: list[tuple[int, dict[str, Any]]] = []
    errors: list[dict[str, Any]] = []
    for index, item in items:
        if not isinstance(item, dict):
            errors.append(item_error(index, 422, "Each item must be a JSON object.", None, instance))
            continue
        try:
            valid.append((index, _SCHEMA.load(item)))
        except ma.ValidationError as exc:
            errors.append(item_error(index, 422, "The item failed validation.", exc.messages, instance))
    return valid, errors


def item_result(index: int, outcome: IngestResult, instance: str | None = None) -> dict[str, Any]:
    """The result of an item that went through ``ingest_many``."""
    if outcome.error is not None:
        return item_error(index, outcome.error.status, outcome.error.detail, outcome.error.errors or None, instance)
    return {"index": index, "status": 201 if outcome.created else 200,
            "result": "created" if outcome.created else "existing", "document_id": outcome.document_id,
            "error": None}


def tally(results: Sequence[dict[str, Any]]) -> dict[str, int]:
    """How many items were created, existing, failed."""
    return {
        "created": sum(r["result"] == "created" for r in results),
        "existing": sum(r["result"] == "existing" for r in results),
        "failed": sum(r["result"] == "error" for r in results),
    }
