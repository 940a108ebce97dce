"""The pages resource: annotate a page a reader is looking at (the browser extension)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from service.collector import paused_collector
from service.core.text.html import extract_article
from service.db import get_read_session, get_session
from service.ingest.pipeline import ingest_document
from service.ingest.types import IngestError
from service.provenance.annotate import annotate
from service.provenance.lookups import document_ref
from service.schemas.pages import AnnotateSchema, AnnotationSchema

blp = Blueprint(
    "pages", __name__, url_prefix="/v1/pages",
    description="Annotate a page: each sentence's upstream source, relation, confidence and changed facts.",
)


@blp.route("/annotate")
class Annotate(MethodView):
    """Page annotation."""

    @blp.arguments(AnnotateSchema)
    @blp.response(200, AnnotationSchema)
    def post(self, payload: dict[str, Any]) -> dict[str, Any]:
        """Annotate a page's sentences as copied, changed, paraphrased or unsourced (not stored unless asked)."""
        with paused_collector():
            return self._annotate(payload)

    @staticmethod
    def _annotate(payload: dict[str, Any]) -> dict[str, Any]:
        """The annotation of one page (and its stored document, when asked)."""
        title, outlet = payload.get("title"), payload.get("outlet")
        if payload.get("html") is not None:
            article = extract_article(payload["html"], url=payload.get("url"))
            text = article.text
            title = title or article.title
            outlet = outlet or article.outlet
        else:
            text = payload["text"]
        if not text.strip():
            abort(422, message="The page has no article text.", messages={"json": {"html": ["No article text found."]}})
        result = annotate(get_read_session(), text, url=payload.get("url"), title=title, outlet=outlet)
        result["document"] = None
        if payload["store"]:
            body = {k: v for k, v in (("url", payload.get("url")), ("title", title), ("outlet", outlet)) if v}
            body["text"] = text
            try:
                document, _created = ingest_document(get_session(), body, current_app.config)
            except IngestError as exc:
                abort(exc.status, message=exc.detail, messages={"json": exc.errors} if exc.errors else None)
                raise
            result["document"] = document_ref(document)
        return result
