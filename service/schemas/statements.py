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
    collapse_copies = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "Report verbatim copies of a passage in documents the provenance graph links as "
                                 "verbatim copies (a republished wire story) as one evidence item listing the "
                                 "others under copies, so they do not fill limit. Default false: every document "
                                 "keeps its own item (copies are judged once either way)."},
    )

    @ma.validates("statement")
    def _not_blank(self, value: str, **_kwargs: Any) -> None:
        if not value.strip():
            raise ma.ValidationError("Must not be empty or whitespace only.")


class ConflictSchema(ma.Schema):
    """The fact that differs between the statement and a contradicting passage (each one once)."""

    kind = ma.fields.String(
        metadata={
            "description": "amount, number, percent, age, date, year, entity, negation, antonym, modality, "
            "refutation, or argument (the learned model reads the document as arguing against the statement "
            "without a refuting word: the passage is the sentence it read that from)."
        }
    )
    statement = ma.fields.String(metadata={"description": "The statement's wording of the fact."})
    passage = ma.fields.String(metadata={"description": "The passage's wording of the fact."})


class MatchSchema(ma.Schema):
    """Aligned spans of the statement and the passage that carry the judgement."""

    statement = ma.fields.String(metadata={"description": "The statement's wording."})
    passage = ma.fields.String(metadata={"description": "The passage's wording of the same thing."})


class CueSchema(ma.Schema):
    """A word of the passage that made it report the claim rather than assert it."""

    kind = ma.fields.String(metadata={"description": "hedge (may, could), attribution (reportedly, reports that), "
                                                     "refutation (hoax, denied) or question (the passage asks "
                                                     "whether the claim holds; text '?')."})
    text = ma.fields.String(metadata={"description": "The cue as written in the passage."})


class ContextSchema(ma.Schema):
    """The neighbouring sentences a passage was read with, when it refers back to them."""

    passages = ma.fields.List(
        ma.fields.Integer(),
        metadata={"description": "Ids of the sentences just before the passage in its document, read with it."},
    )
    reference = ma.fields.String(
        allow_none=True,
        metadata={"description": "The passage's word that refers back to them (\"He\", \"the company\")."},
    )
    terms = ma.fields.List(
        ma.fields.String(),
        metadata={"description": "The statement's words that only those sentences hold (who \"he\" is)."},
    )


class CopySchema(ma.Schema):
    """A verbatim copy of an evidence passage in another document."""

    document = ma.fields.Nested(DocumentRefSchema, metadata={"description": "The other document holding it."})
    passage = ma.fields.Nested(PassageSchema, metadata={"description": "Its copy of the passage."})


class EvidenceSchema(ma.Schema):
    """One passage with its stance towards the statement."""

    document = ma.fields.Nested(DocumentRefSchema, metadata={"description": "The document the passage is in."})
    passage = ma.fields.Nested(PassageSchema, metadata={"description": "The passage judged."})
    stance = ma.fields.String(metadata={"description": "supports, contradicts or mentions."})
    confidence = ma.fields.Float(
        metadata={
            "description": "Probability that the stance is right: that the passage's document, read as a whole, "
            "supports / contradicts / only mentions the statement (calibrated on held-out data)."
        }
    )
    relevance = ma.fields.Float(metadata={"description": "How closely the passage matches the statement (0-1)."})
    reason = ma.fields.String(
        metadata={
            "description": "Why the passage has its stance: facts-match, wording-match, conflict, reported, quoted, "
            "subject-only, not-asserted, fact-missing, partial or model (docs/checking.md)."
        }
    )
    role = ma.fields.String(
        metadata={
            "description": "Where the passage sits in its article: body, list-item, heading, title, byline or "
            "caption. Headings, titles, bylines and captions are evidence only when they assert the predicate."
        }
    )
    conflicts = ma.fields.List(
        ma.fields.Nested(ConflictSchema), metadata={"description": "The facts that differ, each once."}
    )
    matched = ma.fields.List(
        ma.fields.Nested(MatchSchema), metadata={"description": "Aligned spans that carry the judgement, each once."}
    )
    cues = ma.fields.List(
        ma.fields.Nested(CueSchema),
        metadata={"description": "For reason \"reported\": the passage's hedge, attribution or refutation words."},
    )
    context = ma.fields.Nested(
        ContextSchema,
        allow_none=True,
        metadata={"description": "Set when the passage was judged with the sentences before it (it refers back to "
                                 "them); null otherwise."},
    )
    provenance = ma.fields.List(
        ma.fields.Nested(ProvenanceHopSchema),
        metadata={"description": "Aligned passages from this one up to the original, one hop per document."},
    )
    copies = ma.fields.List(
        ma.fields.Nested(CopySchema),
        metadata={"description": "Verbatim copies of this passage, judged the same, in documents the provenance "
                                 "graph links to this one as reuse (a republished wire story): reported here "
                                 "instead of as items of their own; the tally counts each of them."},
    )


class TallySchema(ma.Schema):
    """How many passages of each stance the verdict rests on."""

    supports = ma.fields.Integer(metadata={"description": "Passages that support the statement."})
    contradicts = ma.fields.Integer(metadata={"description": "Passages that contradict it."})
    mentions = ma.fields.Integer(metadata={"description": "Passages that only mention its subject."})


class OriginSchema(ma.Schema):
    """The earliest supporting passage the service can justify as the statement's source."""

    document = ma.fields.Nested(DocumentRefSchema, metadata={"description": "The earliest document stating it."})
    passage = ma.fields.Nested(PassageSchema, metadata={"description": "Its passage that states it."})
    confidence = ma.fields.Float(metadata={"description": (
        "Score (0-1) that this is where the statement's fact first appeared in the corpus: the share of the "
        "evidence whose provenance leads here times the evidence's confidence; without lineage, from "
        "publication dates (halved when nothing is dated).")})


class StatementCheckResultSchema(ma.Schema):
    """The verdict on a statement and the evidence for it."""

    statement = ma.fields.String(metadata={"description": "The statement as checked."})
    verdict = ma.fields.String(metadata={"description": "supported, contradicted, mixed or unverified."})
    confidence = ma.fields.Float(
        metadata={
            "description": "Probability that the verdict is right for this corpus (calibrated on held-out data); "
            "for unverified: that no document in it supports or contradicts the statement."
        }
    )
    tally = ma.fields.Nested(TallySchema, metadata={"description": "Passages per stance, before limit."})
    evidence = ma.fields.List(ma.fields.Nested(EvidenceSchema), metadata={
        "description": "At most limit items: those that support or contradict first, then those that only "
                       "mention the subject; each group by relevance to the statement, then confidence."})
    origin = ma.fields.Nested(OriginSchema, allow_none=True, metadata={
        "description": "Where the statement's fact first appeared (from the supporting evidence, else the "
                       "contradicting); null when nothing supports or contradicts it."})
