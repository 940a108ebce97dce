"""The provenance resource: where a document came from, up to the original report."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from service.db import get_read_session
from service.provenance.read import document_provenance
from service.schemas.provenance import ProvenanceSchema

blp = Blueprint(
    "provenance",
    __name__,
    url_prefix="/v1/documents",
    description="Document lineage: parents, chain to the original, changed facts and added material.",
)


@blp.route("/<int:document_id>/provenance")
class DocumentProvenance(MethodView):
    """A document's provenance."""

    @blp.response(200, ProvenanceSchema)
    def get(self, document_id: int) -> dict[str, Any]:
        """Trace a document to its parents and origin, with changed facts and unsourced passages."""
        answer = document_provenance(get_read_session(), document_id)
        if answer is None:
            abort(404, message=f"No document with id {document_id}.")
        return answer  # type: ignore[return-value]
