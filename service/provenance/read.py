"""The read side of provenance: a document's lineage answer, and passage chains for statement checks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.core.lineage.calibration import origin_probability, original_probability, parent_probability
from service.core.lineage.chains import PassageWalk
from service.models import Document, LineageNode, Passage
from service.provenance.chain_data import adopt_transaction, chain_data
from service.provenance.lookups import document_ref, document_refs, passages_by_seq

# Passages shorter than this (in words) are never reported as unsourced: datelines, bylines.
UNSOURCED_MIN_WORDS = 5


def document_provenance(session: Session, doc_id: int) -> dict[str, Any] | None:
    """The provenance answer for one document, or None when it does not exist."""
    doc = session.get(Document, doc_id)
    if doc is None:
        return None
    data = chain_data(session)
    data.load_links(session, [doc_id])
    data.load_chains(session, [doc_id])
    adopt_transaction(session, data)
    parents = data.parents[doc_id]
    links = data.links[doc_id]
    chain = data.chain(doc_id)
    chain_ids = [d for d, _ in chain]
    upstream = data.upstream(doc_id)
    original_conf = session.scalar(
        select(LineageNode.original_confidence).where(LineageNode.document_id == doc_id)
    )
    wanted_passages: set[tuple[int, int]] = set()
    for parent in parents:
        view = links.get(parent.parent)
        if view:
            wanted_passages.update((doc_id, p.this_seq) for p in view.pairs)
            wanted_passages.update((view.other, p.other_seq) for p in view.pairs)
    mutation_rows = []
    seen_mut: set[tuple[int, str, str]] = set()
    for other in upstream:
        for pair in links[other].pairs:
            for change in pair.changes:
                if not change.is_fact:
                    continue
                key = (pair.this_seq, change.this_value, change.other_value)
                if key in seen_mut:
                    continue
                seen_mut.add(key)
                mutation_rows.append((change.kind, pair.this_seq, other, pair.other_seq, change.this_value,
                                      change.other_value))
                wanted_passages.add((doc_id, pair.this_seq))
                wanted_passages.add((other, pair.other_seq))
    sourced = {p.this_seq for other in upstream for p in links[other].pairs}
    all_passages = session.execute(
        select(Passage.id, Passage.seq, Passage.start, Passage.end, Passage.text)
        .where(Passage.document_id == doc_id).order_by(Passage.seq)
    ).all()
    passages = passages_by_seq(session, wanted_passages)
    refs = document_refs(session, set(chain_ids) | {p.parent for p in parents} | {m[2] for m in mutation_rows})

    parent_items = []
    for parent in parents:
        view = links.get(parent.parent)
        if view is None or parent.parent not in refs:
            continue
        parent_items.append({
            "document": refs[parent.parent],
            "relation": parent.relation,
            "confidence": parent_probability(parent.confidence),
            "coverage": round(view.coverage_this, 4),
            "source_coverage": round(view.coverage_other, 4),
            "aligned_passages": [
                {"this_passage": passages.get((doc_id, p.this_seq)),
                 "source_passage": passages.get((view.other, p.other_seq)),
                 "similarity": p.similarity, "kind": p.kind}
                for p in view.pairs
            ],
        })
    is_original = not parent_items
    # Stored scores are mapped to probabilities here, at the edge (core/lineage/calibration.py).
    origin_conf = origin_probability(conf for _, conf in chain[1:])
    confidence: float | None = (
        original_probability(original_conf or 0.0) if is_original else parent_probability(parents[0].confidence)
    )
    if is_original and not links:
        confidence = None  # nothing related is stored: no evidence either way
    unsourced = []
    if not is_original:
        unsourced = [
            {"id": p.id, "seq": p.seq, "start": p.start, "end": p.end, "text": p.text}
            for p in all_passages
            if p.seq not in sourced and len(p.text.split()) >= UNSOURCED_MIN_WORDS
        ]
    origin_id = chain_ids[-1]
    return {
        "document": refs.get(doc_id) or document_ref(doc),
        "is_original": is_original,
        "confidence": None if confidence is None else round(confidence, 4),
        "parents": parent_items,
        "chain": [refs[d] for d in chain_ids if d in refs],
        "origin": {
            "document": refs.get(origin_id),
            "confidence": (None if confidence is None else round(confidence, 4)) if is_original
            else round(origin_conf, 4),
        },
        "mutations": [
            {"kind": kind, "this_passage": passages.get((doc_id, t)), "source_passage": passages.get((o, os_)),
             "source_document": refs.get(o), "this_value": tv, "source_value": sv}
            for kind, t, o, os_, tv, sv in mutation_rows
        ],
        "unsourced_passages": unsourced,
    }


def passage_chains(session: Session, passage_ids: Iterable[int], max_hops: int = 12) -> dict[int, list[dict[str, Any]]]:
    """The chain of each passage: aligned passages up to where its text first appeared, one hop per document.

    Each hop is ``{document, passage, relation, confidence}``; an empty list means the passage
    is itself the earliest known occurrence (unknown ids get an empty chain too). Links and
    parents read for one call are kept on the session until its next write or transaction end,
    so the chains of a check's evidence items, which share their documents, cost one read of
    each document's links, and each hop level is a few set-based queries for all passages.
    At each hop only the links between a document and its chain and parents are read first
    (the head of the upstream order, where the source usually is); the document's links to
    likelier sources only for walks the head did not move: a viral story's documents have
    hundreds of links, mostly to their copies, which a walk upstream never reads.
    """
    ids = sorted(set(passage_ids))
    if not ids:
        return {}
    if session.autoflush:
        session.flush()  # as the first query would: pending changes are written (and chain data dropped) first
    data = chain_data(session)
    data.load_starts(session, ids)
    starts = {pid: start for pid in ids if (start := data.starts[pid]) is not None}
    walks = {pid: PassageWalk(doc_id, seq, {doc_id}) for pid, (doc_id, seq) in starts.items()}
    active = set(walks)
    for _ in range(max_hops):
        if not active:
            break
        docs = {walks[pid].doc_id for pid in active}
        data.load_chains(session, docs)
        data.load_near_links(session, docs)
        retry = []
        for pid in sorted(active):
            walk = walks[pid]
            known = data.upstream_known(walk.doc_id)
            if walk.step(data.links[walk.doc_id], data.upstream(walk.doc_id, head_only=True)):
                continue
            if known:
                active.discard(pid)
            else:
                retry.append(pid)
        # Not taken from its chain or parents: the document's other links, where the other side is
        # more likely the source, are read for these walks only (the head is tried again, in vain).
        data.load_source_links(session, {walks[pid].doc_id for pid in retry})
        for pid in retry:
            walk = walks[pid]
            if not walk.step(data.links[walk.doc_id], data.upstream(walk.doc_id)):
                active.discard(pid)
    hops_of = {pid: walks[pid].hops if pid in walks else [] for pid in ids}
    data.load_hops(session, [h for hops in hops_of.values() for h in hops])
    adopt_transaction(session, data)

    def copy(value: dict[str, Any] | None) -> dict[str, Any] | None:
        return dict(value) if value is not None else None

    return {
        pid: [
            {"document": copy(data.refs.get(h.document)), "passage": copy(data.passages.get((h.document, h.seq))),
             "relation": h.relation, "confidence": h.confidence}
            for h in hops
        ]
        for pid, hops in hops_of.items()
    }


def passage_chain(session: Session, passage_id: int, max_hops: int = 12) -> list[dict[str, Any]]:
    """:func:`passage_chains` of one passage."""
    return passage_chains(session, [passage_id], max_hops).get(passage_id, [])
