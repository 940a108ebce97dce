"""Schemas of the statement-check resource."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import validate

from service.schemas.documents import DocumentRefSchema, PassageSchema
from service.schemas.provenance import ProvenanceHopSchema

MAX_STATEMENT_CHARS = 2000
MAX_LIMIT = 200


class StatementCheckSchema(ma.Schema):
    """A statement to check against the corpus."""

    class Meta:
        unknown = ma.RAISE

    statement = ma.fields.String(
        required=True,
        validate=validate.Length(min=1, max=MAX_STATEMENT_CHARS),
        metadata={"description": "The claim to check, in plain text (at most 2,000 characters)."},
    )
    limit = ma.fields.Integer(
        load_default=20,
        validate=validate.Range(min=1, max=MAX_LIMIT),
        strict=True,
        metadata={"description": "At most this many evidence passages (1-200, default 20)."},
    )
    outlets = ma.fields.List(
        ma.fields.String(validate=validate.Length(min=1, max=255)),
        validate=validate.Length(min=1, max=50),
        load_default=None,
        metadata={"description": "Only look at documents from these outlets."},
    )
    min_confidence = ma.fields.Float(
        load_default=0.0,
        validate=validate.Range(min=0.0, max=1.0),
        metadata={"description": "Drop evidence whose stance confidence is below this probability."},
    )

    @ma.validates("statement")
    def _not_blank(self, value: str, **_kwargs: Any) -> None:
        if not value.strip():
            raise ma.ValidationError("Must not be empty or whitespace only.")


class ConflictSchema(ma.Schema):
    """The fact that differs between the statement and a contradicting passage."""

    kind = ma.fields.String(
        metadata={
            "description": "amount, number, percent, date, year, entity, negation, antonym, modality or refutation."
        }
    )
    statement = ma.fields.String(metadata={"description": "The statement's wording of the fact."})
    passage = ma.fields.String(metadata={"description": "The passage's wording of the fact."})


class MatchSchema(ma.Schema):
    """Aligned spans of the statement and the passage that carry the judgement."""

    statement = ma.fields.String()
    passage = ma.fields.String()


class EvidenceSchema(ma.Schema):
    """One passage with its stance towards the statement."""

    document = ma.fields.Nested(DocumentRefSchema)
    passage = ma.fields.Nested(PassageSchema)
    stance = ma.fields.String(metadata={"description": "supports, contradicts or mentions."})
    confidence = ma.fields.Float(
        metadata={
            "description": "Probability that the stance is right: that the passage's document, read as a whole, "
            "supports / contradicts / only mentions the statement (calibrated on held-out data)."
        }
    )
    relevance = ma.fields.Float(metadata={"description": "How closely the passage matches the statement (0-1)."})
    conflicts = ma.fields.List(ma.fields.Nested(ConflictSchema))
    matched = ma.fields.List(ma.fields.Nested(MatchSchema))
    provenance = ma.fields.List(
        ma.fields.Nested(ProvenanceHopSchema),
        metadata={"description": "Aligned passages from this one up to the original, one hop per document."},
    )


class TallySchema(ma.Schema):
    """How many passages of each stance the verdict rests on."""

    supports = ma.fields.Integer()
    contradicts = ma.fields.Integer()
    mentions = ma.fields.Integer()


class OriginSchema(ma.Schema):
    """The earliest supporting passage the service can justify as the statement's source."""

    document = ma.fields.Nested(DocumentRefSchema)
    passage = ma.fields.Nested(PassageSchema)
    confidence = ma.fields.Float()


class StatementCheckResultSchema(ma.Schema):
    """The verdict on a statement and the evidence for it."""

    statement = ma.fields.String()
    verdict = ma.fields.String(metadata={"description": "supported, contradicted, mixed or unverified."})
    confidence = ma.fields.Float(
        metadata={
            "description": "Probability that the verdict is right for this corpus (calibrated on held-out data); "
            "for unverified: that no document in it supports or contradicts the statement."
        }
    )
    tally = ma.fields.Nested(TallySchema)
    evidence = ma.fields.List(ma.fields.Nested(EvidenceSchema))
    origin = ma.fields.Nested(OriginSchema, allow_none=True)
