"""Schemas of the provenance and graph resources."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from service.schemas.documents import DocumentRefSchema
from service.schemas.documents import PassageSchema as PassageRefSchema


class AlignedPassageSchema(ma.Schema):
    """A passage of this document aligned with a passage of the source."""

    this_passage = ma.fields.Nested(PassageRefSchema, allow_none=True,
                                    metadata={"description": "The passage of this document."})
    source_passage = ma.fields.Nested(PassageRefSchema, allow_none=True,
                                      metadata={"description": "The passage of the parent it was aligned with."})
    similarity = ma.fields.Float(metadata={"description": (
        "How alike the two passages are, 0-1 (1 for the same words; word overlap for near copies, shared "
        "meaning for paraphrases).")})
    kind = ma.fields.String(metadata={"description": "verbatim, near (copied with edits) or paraphrase."})


class ParentSchema(ma.Schema):
    """A document this one was taken from."""

    document = ma.fields.Nested(DocumentRefSchema, metadata={"description": "The parent document."})
    relation = ma.fields.String(metadata={"description": "verbatim, excerpt, aggregation or paraphrase."})
    confidence = ma.fields.Float(metadata={"description": (
        "Probability that this is a right parent of the document (its true parent, or a verbatim copy of "
        "it), calibrated on corpora of known lineage; parents are listed in decreasing confidence.")})
    coverage = ma.fields.Float(metadata={"description": "Share of this document's words aligned with the parent."})
    source_coverage = ma.fields.Float(metadata={"description": "Share of the parent's words reused here."})
    aligned_passages = ma.fields.List(ma.fields.Nested(AlignedPassageSchema), metadata={
        "description": "The passage pairs the link rests on, in this document's order."})


class OriginRefSchema(ma.Schema):
    """Where the chain of parents ends."""

    document = ma.fields.Nested(DocumentRefSchema, allow_none=True,
                                metadata={"description": "The original report the chain of best parents ends at."})
    confidence = ma.fields.Float(allow_none=True, metadata={"description": (
        "For a derivative, the probability that this is its true original report (calibrated, from the "
        "chain's hops); for an original, the same as the document's confidence (null when nothing stored is "
        "related).")})


class MutationSchema(ma.Schema):
    """A fact changed between this document and an upstream one."""

    kind = ma.fields.String(metadata={"description": (
        "The kind of fact, in the statement check's vocabulary: amount, percent, number, date, year, "
        "entity, modality (a hedge added or dropped) or negation. Spelling variants of a name are not "
        "changed facts and are not listed.")})
    this_passage = ma.fields.Nested(PassageRefSchema, allow_none=True,
                                    metadata={"description": "The passage of this document that states the fact."})
    source_passage = ma.fields.Nested(PassageRefSchema, allow_none=True,
                                      metadata={"description": "The upstream passage it was taken from."})
    source_document = ma.fields.Nested(DocumentRefSchema, allow_none=True,
                                       metadata={"description": "The upstream document (a parent or further up)."})
    this_value = ma.fields.String(metadata={"description": "The fact as this document states it (e.g. $1.43 billion)."})
    source_value = ma.fields.String(metadata={"description": "The fact as the upstream passage states it."})


class ProvenanceSchema(ma.Schema):
    """Where a document came from."""

    document = ma.fields.Nested(DocumentRefSchema, metadata={"description": "The document asked about."})
    is_original = ma.fields.Boolean(metadata={"description": "True when no stored document is a parent of it."})
    confidence = ma.fields.Float(allow_none=True, metadata={"description": (
        "For a derivative, the probability that its best parent is right. For an original, the probability "
        "that it has no parent in the corpus. Null when no stored document shares text with it: original as "
        "far as the corpus knows, with nothing to measure that by. Calibrated (docs/lineage.md).")})
    parents = ma.fields.List(ma.fields.Nested(ParentSchema), metadata={"description": "Best first."})
    chain = ma.fields.List(ma.fields.Nested(DocumentRefSchema), metadata={"description": "This one up to the origin."})
    origin = ma.fields.Nested(OriginRefSchema, metadata={"description": "Where the chain of best parents ends."})
    mutations = ma.fields.List(ma.fields.Nested(MutationSchema), metadata={
        "description": "Facts that differ from the upstream text this document took (each change once)."})
    unsourced_passages = ma.fields.List(
        ma.fields.Nested(PassageRefSchema),
        metadata={"description": "Passages of a derivative that match nothing upstream (added material)."},
    )


class ProvenanceHopSchema(ma.Schema):
    """One step of a passage's chain towards the original."""

    document = ma.fields.Nested(DocumentRefSchema, allow_none=True,
                                metadata={"description": "The upstream document of this hop."})
    passage = ma.fields.Nested(PassageRefSchema, allow_none=True,
                               metadata={"description": "Its passage that the previous hop's passage was taken from."})
    relation = ma.fields.String(metadata={"description": "verbatim, near or paraphrase."})
    confidence = ma.fields.Float(metadata={"description": (
        "Score (0-1) that the walk is right up to this hop: cumulative, each hop multiplying by the aligned "
        "passages' similarity and the chance that this document is the source (docs/lineage.md).")})


class GraphQuerySchema(ma.Schema):
    """Options of the graph export."""

    format = ma.fields.String(validate=validate.OneOf(["json", "graphml"]), load_default=None)
    min_confidence = ma.fields.Float(validate=validate.Range(min=0, max=1), load_default=0.0)
    links = ma.fields.Boolean(load_default=False, metadata={"description": "Also list the raw pairwise links."})


class GraphNodeSchema(DocumentRefSchema):
    """A document in the graph."""

    is_original = ma.fields.Boolean(metadata={"description": "True when no stored document is a parent of it."})


class GraphEdgeSchema(ma.Schema):
    """A derivation: ``target`` was taken from ``source``."""

    source = ma.fields.Integer(metadata={"description": "Id of the parent document (where the text came from)."})
    target = ma.fields.Integer(metadata={"description": "Id of the child document."})
    relation = ma.fields.String(metadata={"description": "verbatim, excerpt, aggregation or paraphrase."})
    confidence = ma.fields.Float(metadata={"description": (
        "Probability that source is a right parent of target (calibrated, as parents[].confidence of the "
        "provenance answer). Parents of one target are listed in decreasing confidence, so a min_confidence "
        "filter keeps the primary edge whenever it keeps any.")})
    weight = ma.fields.Float(metadata={"description": "Same as confidence (for graph tools)."})
    primary = ma.fields.Boolean(metadata={"description": "The target's best parent (the first of its parents)."})


class GraphLinkSchema(ma.Schema):
    """Raw pairwise evidence between two documents."""

    a = ma.fields.Integer(metadata={"description": "Id of one document of the pair (the pair is unordered)."})
    b = ma.fields.Integer(metadata={"description": "Id of the other document."})
    strength = ma.fields.Float(metadata={
        "description": "How much text they share, 0 to 1 (the larger coverage counts most)."})
    direction = ma.fields.Float(metadata={"description": (
        "Evidence score for who took from whom: positive when a is the source of b, negative when b is "
        "the source of a, near 0 when the text cannot tell. A log-odds-like score, not a probability: "
        "0.5 + 0.5 * tanh(direction / 2) is the probability that a is the source.")})
    linked = ma.fields.Boolean(metadata={"description": (
        "Whether the shared text alone is enough to say one copied the other. A pair that is not linked "
        "can still be an edge when its direction is clear (a rewrite naming its source).")})
    aligned = ma.fields.Integer(metadata={"description": "Number of aligned passage pairs."})


class GraphSchema(ma.Schema):
    """The whole derivation graph."""

    nodes = ma.fields.List(ma.fields.Nested(GraphNodeSchema), metadata={"description": "Every stored document."})
    edges = ma.fields.List(ma.fields.Nested(GraphEdgeSchema), metadata={
        "description": "Parent -> child derivations at or above min_confidence, children in id order."})
    links = ma.fields.List(ma.fields.Nested(GraphLinkSchema), metadata={
        "description": "Only with links=true: every stored pairwise link, edge or not."})
