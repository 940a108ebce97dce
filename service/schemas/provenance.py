"""Schemas of the provenance and graph resources."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from service.schemas.documents import DocumentRefSchema
from service.schemas.documents import PassageSchema as PassageRefSchema


class AlignedPassageSchema(ma.Schema):
    """A passage of this document aligned with a passage of the source."""

    this_passage = ma.fields.Nested(PassageRefSchema, allow_none=True)
    source_passage = ma.fields.Nested(PassageRefSchema, allow_none=True)
    similarity = ma.fields.Float()
    kind = ma.fields.String(metadata={"description": "verbatim, near (copied with edits) or paraphrase."})


class ParentSchema(ma.Schema):
    """A document this one was taken from."""

    document = ma.fields.Nested(DocumentRefSchema)
    relation = ma.fields.String(metadata={"description": "verbatim, excerpt, aggregation or paraphrase."})
    confidence = ma.fields.Float()
    coverage = ma.fields.Float(metadata={"description": "Share of this document's words aligned with the parent."})
    source_coverage = ma.fields.Float(metadata={"description": "Share of the parent's words reused here."})
    aligned_passages = ma.fields.List(ma.fields.Nested(AlignedPassageSchema))


class OriginRefSchema(ma.Schema):
    """Where the chain of parents ends."""

    document = ma.fields.Nested(DocumentRefSchema, allow_none=True)
    confidence = ma.fields.Float()


class MutationSchema(ma.Schema):
    """A fact changed between this document and an upstream one."""

    kind = ma.fields.String(metadata={"description": "number, date, name, hedge or negation."})
    this_passage = ma.fields.Nested(PassageRefSchema, allow_none=True)
    source_passage = ma.fields.Nested(PassageRefSchema, allow_none=True)
    source_document = ma.fields.Nested(DocumentRefSchema, allow_none=True)
    this_value = ma.fields.String()
    source_value = ma.fields.String()


class ProvenanceSchema(ma.Schema):
    """Where a document came from."""

    document = ma.fields.Nested(DocumentRefSchema)
    is_original = ma.fields.Boolean()
    confidence = ma.fields.Float()
    parents = ma.fields.List(ma.fields.Nested(ParentSchema), metadata={"description": "Best first."})
    chain = ma.fields.List(ma.fields.Nested(DocumentRefSchema), metadata={"description": "This one up to the origin."})
    origin = ma.fields.Nested(OriginRefSchema)
    mutations = ma.fields.List(ma.fields.Nested(MutationSchema))
    unsourced_passages = ma.fields.List(
        ma.fields.Nested(PassageRefSchema),
        metadata={"description": "Passages of a derivative that match nothing upstream (added material)."},
    )


class ProvenanceHopSchema(ma.Schema):
    """One step of a passage's chain towards the original."""

    document = ma.fields.Nested(DocumentRefSchema, allow_none=True)
    passage = ma.fields.Nested(PassageRefSchema, allow_none=True)
    relation = ma.fields.String(metadata={"description": "verbatim, near or paraphrase."})
    confidence = ma.fields.Float()


class GraphQuerySchema(ma.Schema):
    """Options of the graph export."""

    format = ma.fields.String(validate=validate.OneOf(["json", "graphml"]), load_default=None)
    min_confidence = ma.fields.Float(validate=validate.Range(min=0, max=1), load_default=0.0)
    links = ma.fields.Boolean(load_default=False, metadata={"description": "Also list the raw pairwise links."})


class GraphNodeSchema(DocumentRefSchema):
    """A document in the graph."""

    is_original = ma.fields.Boolean()


class GraphEdgeSchema(ma.Schema):
    """A derivation: ``target`` was taken from ``source``."""

    source = ma.fields.Integer()
    target = ma.fields.Integer()
    relation = ma.fields.String()
    confidence = ma.fields.Float()
    weight = ma.fields.Float()
    primary = ma.fields.Boolean(metadata={"description": "The target's best parent."})


class GraphLinkSchema(ma.Schema):
    """Raw pairwise evidence between two documents."""

    a = ma.fields.Integer()
    b = ma.fields.Integer()
    strength = ma.fields.Float()
    direction = ma.fields.Float()
    linked = ma.fields.Boolean()
    aligned = ma.fields.Integer()


class GraphSchema(ma.Schema):
    """The whole derivation graph."""

    nodes = ma.fields.List(ma.fields.Nested(GraphNodeSchema))
    edges = ma.fields.List(ma.fields.Nested(GraphEdgeSchema))
    links = ma.fields.List(ma.fields.Nested(GraphLinkSchema))
