"""Re-judging stored links whose aligned text has just turned boilerplate.

Text that was rare when two documents were linked may since have turned out to be
boilerplate (its fingerprints just reached the frequency threshold); re-deciding those links
keeps the graph what it would have been had the documents arrived in any other order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from sqlalchemy import bindparam, delete, select, update
from sqlalchemy.orm import Session

from service.core.reuse.candidates import FREQUENT_DF
from service.core.reuse.evidence import boilerplate_passages, boilerplate_seqs
from service.core.reuse.links import (
    LinkEvidence,
    Source,
    aligned_refs,
    compare,
    link_evidence,
    one_source,
    source_of,
)
from service.core.reuse.records import a_seqs, b_seqs, pairs_to_json
from service.db import chunks
from service.models import Document, ReuseLink
from service.provenance import index_sql
from service.provenance.documents import load_documents, passage_fingerprints, with_cues
from service.provenance.pairs import matched


def reevaluate(session: Session, hashes: list[int],
               judged: Mapping[tuple[int, int], tuple[set[int], set[int]]] | None = None) -> set[int]:
    """Re-judge the stored links whose aligned passages turned boilerplate; return their documents.

    Only links of the documents holding ``hashes`` (fingerprints that just became frequent)
    can change, and only where an aligned passage holds one of them and is boilerplate now but
    was not without them. ``judged``: the boilerplate passages of both sides that links made in
    this transaction were judged with, by ``(a_id, b_id)``; such a link judged with the
    boilerplate of now would be judged the same (``compare`` depends on nothing else), so it is
    not compared again. In a batch holding a widely copied story, that is most of the links its
    crossing fingerprints bring here: copies arriving after the crossing were judged with it.
    """
    holders = sorted({doc_id for docs in index_sql.fingerprint_holders(session, hashes).values() for doc_id in docs})
    source: dict[int, Source] = {
        row.id: source_of(row.outlet, row.url)
        for chunk in chunks(holders)
        for row in session.execute(select(Document.id, Document.outlet, Document.url).where(Document.id.in_(chunk)))
    }

    def may_lose(a_id: int, b_id: int) -> bool:
        # Not two of one outlet: their links never rest on frequent text (``compare``).
        return not one_source(source.get(a_id, (None, "")), source.get(b_id, (None, "")))

    table: Any = ReuseLink.__table__
    links = {
        link.id: link
        for chunk in chunks(holders)
        for column in (table.c.a_id, table.c.b_id)
        for link in session.execute(
            select(table.c.id, table.c.a_id, table.c.b_id, table.c.pairs, table.c.coverage_a, table.c.coverage_b,
                   table.c.copied_share).where(column.in_(chunk))
        )
        if may_lose(link.a_id, link.b_id)
    }
    if not links:
        return set()
    # Only a holder of a crossing fingerprint can have a passage turn: another document's
    # frequent fingerprints are the same with or without them. And a passage turns only through
    # the fingerprints inside it, so what is read here is each holder's fingerprints per passage
    # (from the feature cache, or computed from the stored text at a quarter of the cost of the
    # full features) -- not the features of every document linked to a holder: mostly old ones,
    # out of the cache, whose analysis cost grew with the corpus. The ends of the few links that
    # do change are loaded below.
    holding = set(holders)
    aligned: dict[int, set[int]] = defaultdict(set)  # a holder's aligned passages
    for link in links.values():
        for doc_id, seqs in ((link.a_id, a_seqs(link.pairs)), (link.b_id, b_seqs(link.pairs))):
            if doc_id in holding:
                aligned[doc_id].update(seqs)
    inside = passage_fingerprints(session, aligned)
    crossing = set(hashes)
    # The aligned passages that hold a crossing fingerprint (only those can turn), per document.
    stake: dict[int, set[int]] = {}
    for doc_id, seqs in aligned.items():
        per_passage = inside[doc_id][1]
        held = {s for s in seqs if not crossing.isdisjoint(per_passage[s])}
        if held:
            stake[doc_id] = held
    df = index_sql.fingerprint_frequencies(
        session, {h for doc_id, seqs in stake.items() for s in seqs for h in inside[doc_id][1][s]})
    # Frequent now: only fingerprints read into ``df`` can be (absent ones have no frequency).
    frequent_now = {h for h, n in df.items() if n >= FREQUENT_DF}
    turned: dict[int, set[int]] = {}
    for doc_id, seqs in stake.items():
        fps, per_passage = inside[doc_id]
        now = frequent_now.intersection(fps)
        # Passages that are boilerplate only because of the fingerprints that just crossed.
        turned[doc_id] = boilerplate_seqs(per_passage, now, seqs) - boilerplate_seqs(per_passage, now - crossing, seqs)
    links = {
        link_id: link for link_id, link in links.items()
        if turned.get(link.a_id, set()) & a_seqs(link.pairs) or turned.get(link.b_id, set()) & b_seqs(link.pairs)
    }
    if not links:
        return set()
    ends = {x for link in links.values() for x in (link.a_id, link.b_id)}
    # Features only for ends out of the cache: most links re-judged keep their evidence, and
    # only those that change need direction cues (``with_cues``, for ``link_evidence``).
    loaded = load_documents(session, ends, cues=False)
    all_fps = {doc_id: set(loaded[doc_id].features.fingerprints.tolist()) for doc_id in ends}
    df.update(index_sql.fingerprint_frequencies(session, set().union(*all_fps.values()) - df.keys()))
    frequent_now = {h for h, n in df.items() if n >= FREQUENT_DF}
    frequent = {doc_id: boilerplate_passages(loaded[doc_id].features, frequent_now.intersection(fps), indexed=fps)
                for doc_id, fps in all_fps.items()}
    touched: set[int] = set()
    gone: list[dict[str, Any]] = []
    rewritten: dict[int, LinkEvidence] = {}
    for link_id, link in sorted(links.items()):
        a, b = loaded[link.a_id], loaded[link.b_id]
        if judged and judged.get((link.a_id, link.b_id)) == (frequent[a.info.id], frequent[b.info.id]):
            continue  # judged in this transaction with the boilerplate of now: the same evidence
        ev = compare(a, b, frequent[a.info.id], frequent[b.info.id], matched=matched)
        if (ev.coverage_a, ev.coverage_b, ev.copied_share) == (link.coverage_a, link.coverage_b, link.copied_share) \
                and pairs_to_json(aligned_refs(ev)) == link.pairs:
            continue  # the same evidence again: the same row, no lineage to recompute
        new = link_evidence(with_cues(a), with_cues(b), ev)
        if new is None:
            gone.append({"link_id": link_id})
        else:
            rewritten[link_id] = new
    stored = {
        row.id: row
        for chunk in chunks(sorted(rewritten))
        for row in session.execute(select(table).where(table.c.id.in_(chunk)))
    }
    changed = []
    for link_id, evidence in rewritten.items():
        row = evidence.to_row()
        if any(getattr(stored[link_id], key) != value for key, value in row.items()):
            changed.append({"link_id": link_id, **row})
    for item in gone + changed:
        link = links[item["link_id"]]
        touched.update((link.a_id, link.b_id))
    if gone:
        session.execute(delete(table).where(table.c.id == bindparam("link_id")), gone)
    if changed:
        session.execute(update(table).where(table.c.id == bindparam("link_id")), changed)
    return touched
