"""The whole derivation graph: every document a node, every parent link a weighted edge."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.core.lineage.calibration import parent_probability
from service.core.lineage.resolve import ParentChoice
from service.core.reuse.records import parents_from_json
from service.models import Document, LineageNode, ReuseLink
from service.provenance.lookups import document_ref


def graph(session: Session, min_confidence: float = 0.0, include_links: bool = False) -> dict[str, Any]:
    """Nodes (documents, ``is_original``), edges parent -> child, and optionally every stored link."""
    nodes = []
    parents_of: dict[int, list[ParentChoice]] = {}
    for row in session.execute(select(LineageNode.document_id, LineageNode.parents)):
        parents_of[row.document_id] = parents_from_json(row.parents)
    for row in session.execute(
        select(Document.id, Document.external_id, Document.title, Document.outlet, Document.url,
               Document.published_at).order_by(Document.id)
    ):
        ref = document_ref(row)
        ref["is_original"] = not parents_of.get(row.id)
        nodes.append(ref)
    edges = []
    for child in sorted(parents_of):
        for rank_index, parent in enumerate(parents_of[child]):
            confidence = parent_probability(parent.confidence)
            if confidence >= min_confidence:
                edges.append({"source": parent.parent, "target": child, "relation": parent.relation,
                              "confidence": confidence, "weight": confidence,
                              "primary": rank_index == 0})
    out: dict[str, Any] = {"nodes": nodes, "edges": edges}
    if include_links:
        out["links"] = [
            {"a": r.a_id, "b": r.b_id, "strength": r.strength, "direction": r.direction, "linked": r.linked,
             "aligned": r.aligned}
            for r in session.execute(
                select(ReuseLink.a_id, ReuseLink.b_id, ReuseLink.strength, ReuseLink.direction,
                       ReuseLink.linked, ReuseLink.aligned).order_by(ReuseLink.a_id, ReuseLink.b_id)
            )
        ]
    return out
