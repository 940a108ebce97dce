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
    title = ma.fields.String(validate=validate.Length(max=1000), allow_none=True)
    outlet = ma.fields.String(validate=validate.Length(max=255), allow_none=True)
    url = ma.fields.Url(validate=validate.Length(max=2048), allow_none=True, schemes={"http", "https"})
    published_at = ma.fields.AwareDateTime(
        default_timezone=None, allow_none=True, metadata={"description": "ISO 8601; a date alone is accepted."}
    )
    language = ma.fields.String(validate=validate.Length(min=2, max=16), allow_none=True)
    author = ma.fields.String(validate=validate.Length(max=500), allow_none=True)
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

    id = ma.fields.Integer()
    external_id = ma.fields.String(allow_none=True)
    title = ma.fields.String(allow_none=True)
    outlet = ma.fields.String(allow_none=True)
    url = ma.fields.String(allow_none=True)
    published_at = ma.fields.AwareDateTime(allow_none=True)


class DocumentSchema(DocumentRefSchema):
    """A stored document."""

    language = ma.fields.String(allow_none=True)
    author = ma.fields.String(allow_none=True)
    content_hash = ma.fields.String(metadata={"description": "SHA-256 of the normalised text."})
    passage_count = ma.fields.Integer()
    created_at = ma.fields.DateTime()


class PassageSchema(ma.Schema):
    """A sentence of a document; ``text == document.text[start:end]``."""

    id = ma.fields.Integer()
    seq = ma.fields.Integer()
    start = ma.fields.Integer()
    end = ma.fields.Integer()
    text = ma.fields.String()


class DocumentDetailSchema(DocumentSchema):
    """A stored document with its text and passages."""

    text = ma.fields.String()
    passages = ma.fields.List(ma.fields.Nested(PassageSchema))


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

    items = ma.fields.List(ma.fields.Nested(DocumentSchema))
    total = ma.fields.Integer()
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()


class BatchItemResultSchema(ma.Schema):
    """The outcome of one item of a batch: ``created``, ``existing`` or ``error``."""

    index = ma.fields.Integer()
    status = ma.fields.Integer(metadata={"description": "The status this item would get on its own."})
    result = ma.fields.String(validate=validate.OneOf(["created", "existing", "error"]))
    document = ma.fields.Nested(DocumentSchema, allow_none=True)
    error = ma.fields.Dict(allow_none=True, metadata={"description": "A problem document for this item."})


class BatchResultSchema(ma.Schema):
    """Per-item results of a batch ingest."""

    items = ma.fields.List(ma.fields.Nested(BatchItemResultSchema))
    created = ma.fields.Integer()
    existing = ma.fields.Integer()
    failed = ma.fields.Integer()
