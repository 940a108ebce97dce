"""Schemas of the documents resource."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import validate


class DocumentCreateSchema(ma.Schema):
    """An article to ingest: metadata plus exactly one of ``text``, ``html`` or ``fetch_url``."""

    class Meta:
        unknown = ma.RAISE

    external_id = ma.fields.String(
        validate=validate.Length(min=1, max=255),
        metadata={"description": "Your identifier; re-posting it is idempotent."},
    )
    title = ma.fields.String(validate=validate.Length(max=1000), allow_none=True,
                             metadata={"description": "Headline (a copy quoting it is evidence of direction)."})
    outlet = ma.fields.String(validate=validate.Length(max=255), allow_none=True, metadata={
        "description": "Publisher name (a credit line naming it is evidence of direction)."})
    url = ma.fields.Url(validate=validate.Length(max=2048), allow_none=True, schemes={"http", "https"},
                        metadata={"description": "Where it was published (its host counts as a name)."})
    published_at = ma.fields.AwareDateTime(
        default_timezone=None, allow_none=True, metadata={"description": "ISO 8601; a date alone is accepted."}
    )
    language = ma.fields.String(validate=validate.Length(min=2, max=16), allow_none=True,
                                metadata={"description": "Language code, e.g. en."})
    author = ma.fields.String(validate=validate.Length(max=500), allow_none=True, metadata={"description": "Byline."})
    text = ma.fields.String(metadata={"description": "Plain article text."})
    html = ma.fields.String(metadata={"description": "An HTML page; the article is extracted from it."})
    fetch_url = ma.fields.Url(
        schemes={"http", "https"}, metadata={"description": "Fetch this page and extract the article."}
    )

    @ma.pre_load
    def _date_only(self, data: Any, **_kwargs: Any) -> Any:
        """Accept ``YYYY-MM-DD`` for ``published_at`` (midnight UTC)."""
        if isinstance(data, dict):
            value = data.get("published_at")
            if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
                data = {**data, "published_at": value + "T00:00:00+00:00"}
            elif isinstance(value, str) and "T" in value and not _has_offset(value):
                data = {**data, "published_at": value + "+00:00"}
        return data

    @ma.validates_schema
    def _exactly_one_source(self, data: dict[str, Any], **_kwargs: Any) -> None:
        sources = [key for key in ("text", "html", "fetch_url") if data.get(key) is not None]
        if len(sources) != 1:
            message = "Give exactly one of text, html or fetch_url."
            raise ma.ValidationError({key: [message] for key in (sources or ["text", "html", "fetch_url"])})
        for key in ("text", "html"):
            if key in data and not data[key].strip():
                raise ma.ValidationError({key: ["Must not be empty."]})


def _has_offset(value: str) -> bool:
    tail = value.split("T", 1)[1]
    return tail.endswith("Z") or "+" in tail or "-" in tail


class DocumentRefSchema(ma.Schema):
    """A document as cited by other resources."""

    id = ma.fields.Integer(metadata={"description": "The service's id of the document."})
    external_id = ma.fields.String(allow_none=True, metadata={"description": "The caller's id, when given at ingest."})
    title = ma.fields.String(allow_none=True, metadata={"description": "Headline."})
    outlet = ma.fields.String(allow_none=True, metadata={"description": "Publisher name."})
    url = ma.fields.String(allow_none=True, metadata={"description": "Where it was published."})
    published_at = ma.fields.AwareDateTime(allow_none=True, metadata={
        "description": "Publication time (ISO 8601 with offset), when known; lineage uses it as evidence."})


class DocumentSchema(DocumentRefSchema):
    """A stored document."""

    language = ma.fields.String(allow_none=True, metadata={"description": "Language code given at ingest."})
    author = ma.fields.String(allow_none=True, metadata={"description": "Byline given at ingest."})
    content_hash = ma.fields.String(metadata={"description": "SHA-256 of the normalised text."})
    passage_count = ma.fields.Integer(metadata={"description": "Number of passages (sentences) stored."})
    created_at = ma.fields.DateTime(metadata={"description": "When the service stored it (UTC)."})


class PassageSchema(ma.Schema):
    """A sentence of a document; ``text == document.text[start:end]``."""

    id = ma.fields.Integer(metadata={"description": "The service's id of the passage."})
    seq = ma.fields.Integer(metadata={"description": "Its position in the document, from 0."})
    start = ma.fields.Integer(metadata={"description": "Offset of its first character in the document text."})
    end = ma.fields.Integer(metadata={"description": "Offset just past its last character."})
    text = ma.fields.String(metadata={"description": "The passage's text."})


class DocumentDetailSchema(DocumentSchema):
    """A stored document with its text and passages."""

    text = ma.fields.String(metadata={"description": "The normalised text passages point into."})
    passages = ma.fields.List(ma.fields.Nested(PassageSchema), metadata={"description": "In order."})


class DocumentQuerySchema(ma.Schema):
    """Filters and paging of the document list."""

    class Meta:
        unknown = ma.RAISE

    outlet = ma.fields.String()
    external_id = ma.fields.String()
    page = ma.fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = ma.fields.Integer(load_default=20, validate=validate.Range(min=1, max=200))


class DocumentPageSchema(ma.Schema):
    """One page of documents."""

    items = ma.fields.List(ma.fields.Nested(DocumentSchema), metadata={"description": "Newest first."})
    total = ma.fields.Integer(metadata={"description": "Documents matching the filters, all pages."})
    page = ma.fields.Integer(metadata={"description": "This page's number, from 1."})
    per_page = ma.fields.Integer(metadata={"description": "Page size."})


class BatchItemResultSchema(ma.Schema):
    """The outcome of one item of a batch: ``created``, ``existing`` or ``error``."""

    index = ma.fields.Integer(metadata={"description": "Position of the item in the request, from 0."})
    status = ma.fields.Integer(metadata={"description": "The status this item would get on its own."})
    result = ma.fields.String(validate=validate.OneOf(["created", "existing", "error"]), metadata={
        "description": "created, existing (the same text or external_id was stored already) or error."})
    document = ma.fields.Nested(DocumentSchema, allow_none=True,
                                metadata={"description": "The stored document; null on error."})
    error = ma.fields.Dict(allow_none=True, metadata={"description": "A problem document for this item."})


class BatchResultSchema(ma.Schema):
    """Per-item results of a batch ingest."""

    items = ma.fields.List(ma.fields.Nested(BatchItemResultSchema), metadata={"description": "In request order."})
    created = ma.fields.Integer(metadata={"description": "Items stored by this request."})
    existing = ma.fields.Integer(metadata={"description": "Items that were stored already."})
    failed = ma.fields.Integer(metadata={"description": "Items rejected (each with its problem in error)."})
