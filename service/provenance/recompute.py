"""Recomputing the lineage around changed links, from the stored evidence alone.

A document's lineage depends on the links of the documents up to two steps away: its own
links, oriented with the triad and aggregator corrections (its neighbours' links) and
tie-broken by its neighbours' authority (their links, with their own corrections). So the
documents whose lineage can change are those within two steps of a changed link, and the
evidence they need is every link of the documents within two steps of them. The result is
what resolving the whole graph at once would give (checked in the tests).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, insert, or_, select, update
from sqlalchemy.orm import Session

from service.core.lineage.direction import A_CITES_B, B_CITES_A
from service.core.lineage.resolve import PairRecord, Resolution, resolve
from service.core.reuse.links import A_EARLIER, B_EARLIER, SAME_OUTLET
from service.core.reuse.records import parents_to_json
from service.db import chunks
from service.models import Document, LineageNode, ReuseLink
from service.provenance.documents import aware


def neighbours(session: Session, ids: Sequence[int]) -> set[int]:
    """The documents linked to any of ``ids`` (``ids`` themselves included when they have links)."""
    out: set[int] = set()
    for chunk in chunks(list(ids)):
        for a, b in session.execute(
            select(ReuseLink.a_id, ReuseLink.b_id).where(or_(ReuseLink.a_id.in_(chunk), ReuseLink.b_id.in_(chunk)))
        ):
            out.add(a)
            out.add(b)
    return out


def within(session: Session, nodes: set[int], steps: int) -> set[int]:
    """The documents at most ``steps`` links away from ``nodes`` (``nodes`` included)."""
    reached = set(nodes)
    frontier = set(nodes)
    for _ in range(steps):
        frontier = neighbours(session, sorted(frontier)) - reached
        if not frontier:
            break
        reached |= frontier
    return reached


def _records_touching(session: Session, nodes: set[int]) -> list[Row[Any]]:
    ids = sorted(nodes)
    rows: dict[tuple[int, int], Any] = {}
    for chunk in chunks(ids):
        for column in (ReuseLink.a_id, ReuseLink.b_id):
            for r in session.execute(
                select(ReuseLink.a_id, ReuseLink.b_id, ReuseLink.strength, ReuseLink.direction,
                       ReuseLink.mutations, ReuseLink.linked, ReuseLink.aligned, ReuseLink.relation_a_child,
                       ReuseLink.relation_b_child, ReuseLink.copied_share, ReuseLink.a_first, ReuseLink.a_last,
                       ReuseLink.b_first, ReuseLink.b_last, ReuseLink.coverage_a,
                       ReuseLink.coverage_b, ReuseLink.reasons, ReuseLink.pairs).where(column.in_(chunk))
            ):
                rows[(r.a_id, r.b_id)] = r
    return [rows[k] for k in sorted(rows)]


def credit_of(reasons: list[str] | None) -> int:
    """Who credits whom in a stored link: +1 b names a, -1 a names b, 0 neither (or both)."""
    found = set(reasons or ())
    return (B_CITES_A in found) - (A_CITES_B in found)


def version_of(reasons: list[str] | None) -> int:
    """Versions of one outlet's story in a stored link: +1 a is the earlier one, -1 b is, 0 neither."""
    found = set(reasons or ())
    return int(bool(found & A_EARLIER)) - int(bool(found & B_EARLIER))


def passage_maps(pairs: list[Any] | None) -> tuple[dict[int, float], dict[int, float]]:
    """Each side's aligned passages of a stored link, seq -> best similarity."""
    a: dict[int, float] = {}
    b: dict[int, float] = {}
    for p in pairs or ():
        a_seq, b_seq, similarity = int(p[0]), int(p[1]), float(p[2])
        a[a_seq] = max(a.get(a_seq, 0.0), similarity)
        b[b_seq] = max(b.get(b_seq, 0.0), similarity)
    return a, b


def recompute(session: Session, seeds: Sequence[int]) -> Resolution | None:
    """Recompute and store the lineage around ``seeds`` (documents whose links changed)."""
    if not seeds:
        return None
    targets = within(session, set(seeds), 2)
    around = within(session, targets, 2)
    rows = _records_touching(session, around)
    nodes = around | {r.a_id for r in rows} | {r.b_id for r in rows}
    records = [
        PairRecord(r.a_id, r.b_id, r.strength, r.direction, r.mutations, r.linked, r.aligned,
                   r.relation_a_child, r.relation_b_child, r.copied_share,
                   (r.a_first, r.a_last) if r.a_first >= 0 else None,
                   (r.b_first, r.b_last) if r.b_first >= 0 else None, r.coverage_a, r.coverage_b,
                   credit_of(r.reasons), *passage_maps(r.pairs), SAME_OUTLET in (r.reasons or ()),
                   version_of(r.reasons))
        for r in rows
    ]
    keys: dict[int, str] = {}
    published: dict[int, datetime | None] = {}
    for chunk in chunks(sorted(nodes)):
        for doc_id, key, when in session.execute(
            select(Document.id, Document.content_hash, Document.published_at).where(Document.id.in_(chunk))
        ):
            keys[doc_id] = key
            published[doc_id] = aware(when)
    result = resolve(records, keys, published)
    existing = {
        r.document_id: r
        for chunk in chunks(sorted(targets))
        for r in session.execute(
            select(LineageNode.document_id, LineageNode.rank, LineageNode.parents,
                   LineageNode.original_confidence).where(LineageNode.document_id.in_(chunk))
        )
    }
    new_nodes: list[dict[str, Any]] = []
    changed: list[dict[str, Any]] = []
    for node in sorted(targets):
        if node not in keys:
            continue
        parents = parents_to_json(result.parents.get(node, []))
        values = {
            "rank": round(result.ranks.get(node, 0.0), 6),
            "parents": parents,
            "original_confidence": result.original_confidence.get(node, 0.0),
        }
        old = existing.get(node)
        if old is None:
            new_nodes.append({"document_id": node, "cues": [], **values})
        elif (old.rank, old.parents, old.original_confidence) != (values["rank"], parents,
                                                                 values["original_confidence"]):
            changed.append({"node_id": node, **values})
    node_table: Any = LineageNode.__table__
    if new_nodes:
        session.execute(insert(node_table), new_nodes)
    if changed:
        session.execute(update(node_table).where(node_table.c.document_id == bindparam("node_id")), changed)
    return result
