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

    url = ma.fields.Url(schemes={"http", "https"}, allow_none=True, validate=validate.Length(max=2048),
                        metadata={"description": "The page's address (stored with it when store is true)."})
    title = ma.fields.String(allow_none=True, validate=validate.Length(max=1000), metadata={"description": "Headline."})
    outlet = ma.fields.String(allow_none=True, validate=validate.Length(max=255),
                              metadata={"description": "Publisher name."})
    text = ma.fields.String(metadata={"description": "The page's article text (give this or html)."})
    html = ma.fields.String(metadata={"description": "The page's HTML; the article is extracted from it."})
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

    document = ma.fields.Nested(DocumentRefSchema, allow_none=True, metadata={"description": "The stored document."})
    passage = ma.fields.Nested(PassageRefSchema, allow_none=True, metadata={"description": "Its matching passage."})


class SentenceMutationSchema(ma.Schema):
    """A fact of the sentence that differs from its source."""

    kind = ma.fields.String(metadata={"description": (
        "amount, percent, number, date, year, entity, modality or negation (as in provenance mutations).")})
    this_value = ma.fields.String(metadata={"description": "The fact as the page states it."})
    source_value = ma.fields.String(metadata={"description": "The fact as the source states it."})


class AnnotatedSentenceSchema(ma.Schema):
    """One sentence of the page with its best upstream source."""

    seq = ma.fields.Integer(metadata={"description": "Position of the sentence in the page, from 0."})
    start = ma.fields.Integer(metadata={"description": "Offset into the normalised page text."})
    end = ma.fields.Integer(metadata={"description": "Offset just past the sentence."})
    text = ma.fields.String(metadata={"description": "The sentence."})
    status = ma.fields.String(metadata={"description": "copied, changed, paraphrased or unsourced."})
    source = ma.fields.Nested(SentenceSourceSchema, allow_none=True, metadata={
        "description": "Where the sentence first appeared: the earliest stored passage its text traces back "
                       "to (the direct match when that is itself the first occurrence)."})
    via = ma.fields.Nested(SentenceSourceSchema, allow_none=True, metadata={
        "description": "The stored copy the page matched directly, when it is not the earliest source "
                       "(e.g. an aggregator page that embeds the original report); null otherwise."})
    relation = ma.fields.String(allow_none=True, metadata={"description": "verbatim, near or paraphrase."})
    confidence = ma.fields.Float(allow_none=True, metadata={"description": (
        "Score (0-1) that source is where the sentence was taken from: the match's similarity times the "
        "chance that each hop up to the earliest source is right.")})
    mutations = ma.fields.List(ma.fields.Nested(SentenceMutationSchema),
                               metadata={"description": "Facts of the sentence that differ from the source."})


class AnnotationSchema(ma.Schema):
    """The annotated page."""

    sentences = ma.fields.List(ma.fields.Nested(AnnotatedSentenceSchema), metadata={"description": "In page order."})
    summary = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Integer(),
                             metadata={"description": "Number of sentences per status."})
    candidates = ma.fields.Integer(metadata={"description": "Stored documents compared with the page."})
    document = ma.fields.Nested(DocumentRefSchema, allow_none=True,
                                metadata={"description": "The stored page, when store was true."})
