"""Schemas of the page-annotation resource (the browser extension's endpoint)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import validate

from service.schemas.provenance import DocumentRefSchema, PassageRefSchema


class AnnotateSchema(ma.Schema):
    """A page the user is reading: its text or HTML, and whether to keep it in the corpus."""

    class Meta:
        unknown = ma.RAISE

    url = ma.fields.Url(schemes={"http", "https"}, allow_none=True, validate=validate.Length(max=2048))
    title = ma.fields.String(allow_none=True, validate=validate.Length(max=1000))
    outlet = ma.fields.String(allow_none=True, validate=validate.Length(max=255))
    text = ma.fields.String()
    html = ma.fields.String()
    store = ma.fields.Boolean(load_default=False, metadata={"description": "Also ingest the page."})

    @ma.validates_schema
    def _exactly_one_source(self, data: dict[str, Any], **_kwargs: Any) -> None:
        sources = [key for key in ("text", "html") if data.get(key) is not None]
        if len(sources) != 1:
            message = "Give exactly one of text or html."
            raise ma.ValidationError({key: [message] for key in (sources or ["text", "html"])})
        if not data[sources[0]].strip():
            raise ma.ValidationError({sources[0]: ["Must not be empty."]})


class SentenceSourceSchema(ma.Schema):
    """Where a sentence was taken from."""

    document = ma.fields.Nested(DocumentRefSchema, allow_none=True)
    passage = ma.fields.Nested(PassageRefSchema, allow_none=True)


class SentenceMutationSchema(ma.Schema):
    """A fact of the sentence that differs from its source."""

    kind = ma.fields.String()
    this_value = ma.fields.String()
    source_value = ma.fields.String()


class AnnotatedSentenceSchema(ma.Schema):
    """One sentence of the page with its best upstream source."""

    seq = ma.fields.Integer()
    start = ma.fields.Integer(metadata={"description": "Offset into the normalised page text."})
    end = ma.fields.Integer()
    text = ma.fields.String()
    status = ma.fields.String(metadata={"description": "copied, changed, paraphrased or unsourced."})
    source = ma.fields.Nested(SentenceSourceSchema, allow_none=True, metadata={
        "description": "Where the sentence first appeared: the earliest stored passage its text traces back "
                       "to (the direct match when that is itself the first occurrence)."})
    via = ma.fields.Nested(SentenceSourceSchema, allow_none=True, metadata={
        "description": "The stored copy the page matched directly, when it is not the earliest source "
                       "(e.g. an aggregator page that embeds the original report); null otherwise."})
    relation = ma.fields.String(allow_none=True, metadata={"description": "verbatim, near or paraphrase."})
    confidence = ma.fields.Float()
    mutations = ma.fields.List(ma.fields.Nested(SentenceMutationSchema))


class AnnotationSchema(ma.Schema):
    """The annotated page."""

    sentences = ma.fields.List(ma.fields.Nested(AnnotatedSentenceSchema))
    summary = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer())
    candidates = ma.fields.Integer(metadata={"description": "Stored documents compared with the page."})
    document = ma.fields.Nested(DocumentRefSchema, allow_none=True,
                                metadata={"description": "The stored page, when store was true."})
