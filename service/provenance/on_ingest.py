"""Reuse detection when documents arrive: index them, compare each with its candidates, store links.

``index_documents`` is called by ingest inside the storing transaction with the documents
just inserted. Each is handled in order against the corpus as it stood before it (the earlier
ones of the batch included), with the index read and written once per batch, so a batch gives
exactly the links that ingesting its documents one by one would have given. Links whose text
has just turned boilerplate are re-judged (``reevaluate``), and lineage is recomputed around
every changed link (``recompute``).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.core.lineage.direction import DocInfo
from service.core.reuse.candidates import FREQUENT_DF, STORY_MAX_DF, TERM_MAX_DF, rank_candidates
from service.core.reuse.evidence import boilerplate_passages
from service.core.reuse.fingerprint import DocumentFeatures, term_hash
from service.core.reuse.links import (
    Comparable,
    LinkEvidence,
    Source,
    compare,
    link_evidence,
    one_source,
    ordered,
    source_of,
)
from service.db import chunks
from service.models import Document, LineageNode, ReuseLink
from service.provenance import feature_cache, index_sql
from service.provenance.documents import aware, load_documents
from service.provenance.pairs import matched
from service.provenance.recompute import recompute
from service.provenance.reevaluate import reevaluate


@dataclass(slots=True)
class NewDocument:
    """A document just inserted (no ORM object: inserts are bulk), with any analysis computed ahead."""

    id: int
    text: str
    content_hash: str
    spans: list[tuple[int, int]]
    metadata: dict[str, Any]
    analysis: feature_cache.Analysis | None = None


def analyse_ahead(text: str, spans: Sequence[tuple[int, int]]) -> feature_cache.Analysis:
    """A text's features, computed before storing (runs in ingest worker processes: pure)."""
    return feature_cache.compute(text, spans)


def anchor_terms(features: DocumentFeatures) -> list[int]:
    """The hashed anchor terms of a document, as the term index holds them."""
    return sorted({term_hash(t) for t in features.anchors})


class BatchIndex:
    """The fingerprint and term index as each document of a batch would have found it.

    Frequencies and holders read from the database for the whole batch at once, plus what the
    batch's earlier documents added: processing a batch gives the links that ingesting its
    documents one by one would have given.
    """

    def __init__(self, session: Session, fps: set[int], terms: set[int]) -> None:
        self.fp_df_db = index_sql.fingerprint_frequencies(session, sorted(fps))
        self.term_df_db = index_sql.term_frequencies(session, sorted(terms))
        # Holders and frequencies of the batch's values, stored ones first, extended by ``add``.
        # Frequencies are kept for every value of the batch and looked up by ``dict.__getitem__``
        # (C code): ranking a document's candidates asks for hundreds of them.
        self._fp_holders: defaultdict[int, list[int]] = defaultdict(list, index_sql.fingerprint_holders(
            session, (h for h, n in self.fp_df_db.items() if n <= STORY_MAX_DF)))
        self._term_holders: defaultdict[int, list[int]] = defaultdict(list, index_sql.term_holders(
            session, (t for t, n in self.term_df_db.items() if n <= TERM_MAX_DF)))
        self._fp_df = {h: self.fp_df_db.get(h, 0) for h in fps}
        self._term_df = {t: self.term_df_db.get(t, 0) for t in terms}
        # Frequencies and holders of values of the batch (documents of the batch hold no others).
        self.fp_df: Callable[[int], int] = self._fp_df.__getitem__
        self.term_df: Callable[[int], int] = self._term_df.__getitem__
        self.fp_holders: Callable[[int], list[int]] = self._fp_holders.__getitem__
        self.term_holders: Callable[[int], list[int]] = self._term_holders.__getitem__
        self.session = session
        # Fingerprint counts of documents (the batch's from ``add``, stored ones looked up when a
        # short one may be contained in a new document: ``candidates.containing``).
        self.counts: dict[int, int] = {}
        self.sources: dict[int, Source] = {}  # outlet identities of story candidates, looked up once

    def candidates(self, fps: Sequence[int], terms: Sequence[int], source: Source | None = None,
                   overflow: list[int] | None = None) -> list[int]:
        """The stored documents a document with these fingerprints and terms is compared with
        (``source``: the document's outlet identity, to leave its own outlet's template aside;
        ``overflow`` receives the story candidates cut by the cap, see ``rank_candidates``)."""
        same = None if source is None else (lambda ids: self._same_source(ids, source))
        return rank_candidates(fps, terms, self.fp_df, self.term_df, self.fp_holders, self.term_holders,
                               self.fp_count, same, overflow)

    def fp_count(self, ids: Sequence[int]) -> dict[int, int]:
        """How many fingerprints these documents hold (one grouped query for those not known yet)."""
        missing = [i for i in ids if i not in self.counts]
        if missing:
            self.counts.update(dict.fromkeys(missing, 0) | index_sql.fingerprint_counts(self.session, missing))
        return {i: self.counts[i] for i in ids}

    def _look_up(self, ids: Sequence[int]) -> None:
        """Remember the outlet identities of these documents (one query per chunk of unknown ones)."""
        missing = [i for i in ids if i not in self.sources]
        for chunk in chunks(missing):
            for row in self.session.execute(
                select(Document.id, Document.outlet, Document.url).where(Document.id.in_(chunk))
            ):
                self.sources[row.id] = source_of(row.outlet, row.url)

    def _same_source(self, ids: Sequence[int], source: Source) -> set[int]:
        self._look_up(ids)
        return {i for i in ids if i in self.sources and one_source(self.sources[i], source)}

    def add(self, doc_id: int, fps: list[int], terms: list[int], source: Source | None = None) -> None:
        if source is not None:
            self.sources[doc_id] = source
        self.counts[doc_id] = len(fps)
        fp_df, fp_holders = self._fp_df, self._fp_holders
        for h in fps:
            fp_df[h] += 1
            fp_holders[h].append(doc_id)
        term_df, term_holders = self._term_df, self._term_holders
        for t in terms:
            term_df[t] += 1
            term_holders[t].append(doc_id)


def _comparable(doc: NewDocument) -> Comparable:
    if doc.analysis is not None:
        feature_cache.remember(doc.content_hash, doc.analysis)
    analysis = feature_cache.analyse(doc.content_hash, doc.text, doc.spans)
    meta = doc.metadata
    info = DocInfo(id=doc.id, key=doc.content_hash, outlet=meta.get("outlet"), title=meta.get("title"),
                   url=meta.get("url"), published_at=aware(meta.get("published_at")), cues=analysis.cues)
    return Comparable(info=info, text=doc.text, features=analysis.features)


def _cut_copies(new_id: int, headed: set[int], cut: list[int], parents: dict[int, int | None]) -> list[int]:
    """Story candidates cut by the cap that a new document must still be compared with, because
    it arrived after copies it now heads in the lineage.

    The story channel keeps the 60 stored documents sharing most text with a new one (best
    first). A source arriving after hundreds of copies keeps the longest; the shorter ones, each
    compared with its own best 60 when it arrived, were never compared with it, and take another
    copy as parent (in the other order each copy finds its source near the top of its own
    search). Of the documents compared with the new one (``headed``), those whose lineage now
    names it as parent are copies it heads; the cut candidates (``cut``) whose parent is one of
    them are returned (and leave ``cut``), to be compared with it -- and then theirs, until none
    is left. When the new document arrived after its source, that source stays its copies'
    parent and nothing is added: the cost is paid by out-of-order arrivals only.
    """
    heads = {d for d in headed if parents.get(d) == new_id}
    todo = [c for c in cut if parents.get(c) in heads]
    taken = set(todo)
    cut[:] = [c for c in cut if c not in taken]
    return todo


def _parents(session: Session, ids: Sequence[int]) -> dict[int, int | None]:
    """Stored documents' top parents in the lineage (None: an original so far)."""
    out: dict[int, int | None] = {}
    for chunk in chunks(list(ids)):
        for doc_id, raw in session.execute(
            select(LineageNode.document_id, LineageNode.parents).where(LineageNode.document_id.in_(chunk))
        ):
            parents = json.loads(raw) if isinstance(raw, str) else raw
            out[doc_id] = int(parents[0][0]) if parents else None
    return out


def index_documents(session: Session, documents: Sequence[NewDocument]) -> None:
    """Index new documents, compare each with its candidates, store links, update lineage.

    Holds the reuse-index lock (``index_sql.lock_index``) until the caller's transaction ends.
    """
    index_sql.lock_index(session)
    news = [_comparable(doc) for doc in documents]
    fps_of = {n.info.id: sorted(set(n.features.fingerprints.tolist())) for n in news}
    terms_of = {n.info.id: anchor_terms(n.features) for n in news}
    index = BatchIndex(session, {h for v in fps_of.values() for h in v}, {t for v in terms_of.values() for t in v})

    plans: list[tuple[Comparable, list[int]]] = []
    overflows: dict[int, list[int]] = {}
    crossing: set[int] = set()
    for new in news:
        doc_id = new.info.id
        fps, terms = fps_of[doc_id], terms_of[doc_id]
        source = source_of(new.info.outlet, new.info.url)
        overflows[doc_id] = []
        plans.append((new, index.candidates(fps, terms, source, overflows[doc_id])))
        crossing.update(h for h in fps if index.fp_df(h) + 1 == FREQUENT_DF)
        index.add(doc_id, fps, terms, source)

    batch = {n.info.id: n for n in news}
    loaded = load_documents(session, {c for _, cands in plans for c in cands if c not in batch})
    # Both sides' boilerplate is judged by the frequencies the new document sees (itself counted),
    # as a later re-evaluation of the link would judge it.
    stored_fps = {doc_id: set(doc.features.fingerprints.tolist()) for doc_id, doc in loaded.items()}
    df_db = index.fp_df_db
    df_db.update(index_sql.fingerprint_frequencies(session, {h for v in stored_fps.values() for h in v} - df_db.keys()))
    stored_fps.update((doc_id, set(fps)) for doc_id, fps in fps_of.items())
    loaded.update(batch)

    def load_more(ids: set[int]) -> None:
        """Load stored documents reached after the candidate search (``copied_from_it``)."""
        more = load_documents(session, ids - loaded.keys())
        fresh = {doc_id: set(doc.features.fingerprints.tolist()) for doc_id, doc in more.items()}
        df_db.update(index_sql.fingerprint_frequencies(session, {h for v in fresh.values() for h in v} - df_db.keys()))
        stored_fps.update(fresh)
        loaded.update(more)

    seen: Counter[int] = Counter()
    in_batch = Counter(h for fps in fps_of.values() for h in fps)
    # The fingerprints that can reach the threshold at some point of this batch (the rest never
    # can), found once for the batch: most are rare, so the test below looks at a few hashes of
    # a document, not hundreds, and finding a document's few is one set intersection (C code).
    reachable = {h for h, n in df_db.items() if n + in_batch.get(h, 0) >= FREQUENT_DF}
    reachable.update(h for h, n in in_batch.items() if n >= FREQUENT_DF and h not in df_db)
    near: dict[int, set[int]] = {}
    passages_of: dict[tuple[int, frozenset[int]], set[int]] = {}

    def frequent(doc: Comparable, new_fps: set[int]) -> set[int]:
        doc_id = doc.info.id
        if doc_id not in near:
            near[doc_id] = reachable.intersection(stored_fps[doc_id])
        hashes = frozenset(h for h in near[doc_id] if df_db.get(h, 0) + seen.get(h, 0) + (h in new_fps) >= FREQUENT_DF)
        key = (doc_id, hashes)
        if key not in passages_of:
            passages_of[key] = boilerplate_passages(doc.features, hashes, indexed=stored_fps[doc_id])
        return passages_of[key]

    links: list[LinkEvidence] = []
    # Each link's boilerplate passages as judged here: a re-evaluation at the end of the batch
    # that finds the same ones has nothing to re-judge (``reevaluate``).
    judged: dict[tuple[int, int], tuple[set[int], set[int]]] = {}
    seeds: list[int] = []
    def link_with(new: Comparable, other: Comparable, new_fps: set[int], frequent_new: set[int]) -> bool:
        a, b = ordered(new, other)
        frequent_other = frequent(other, new_fps)
        fa, fb = (frequent_new, frequent_other) if a is new else (frequent_other, frequent_new)
        link = link_evidence(a, b, compare(a, b, fa, fb, matched=matched))
        if link is None:
            return False
        links.append(link)
        judged[(link.a_id, link.b_id)] = (fa, fb)
        return True

    for new, candidates in plans:
        new_fps = stored_fps[new.info.id]
        frequent_new = frequent(new, new_fps)
        linked = False
        for other in (loaded[c] for c in candidates if c in loaded):
            linked = link_with(new, other, new_fps, frequent_new) or linked
        # Even a link too weak to be a parent is evidence for its neighbours' triads.
        if linked:
            seeds.append(new.info.id)
        seen.update(new_fps)
    index_sql.add_documents(session, fps_of, terms_of)
    index_sql.insert_rows(
        session, LineageNode.__table__,  # type: ignore[arg-type]
        [{"document_id": n.info.id, "rank": 0.0, "original_confidence": 0.0, "parents": [],
          "cues": [[c.seq, c.kind, c.name] for c in n.info.cues]} for n in news],
    )
    if links:
        index_sql.insert_rows(session, ReuseLink.__table__, [link.to_row() for link in links])  # type: ignore[arg-type]
    touched = reevaluate(session, sorted(crossing), judged) if crossing else set()
    if seeds or touched:
        recompute(session, sorted(set(seeds) | touched))
    cut = {n.info.id: [c for c in overflows[n.info.id] if c not in set(cands)] for n, cands in plans}
    heading = {n.info.id: set(cands) for n, cands in plans if cut[n.info.id]}
    while heading:
        # A source that arrived after its copies now heads some of them in the lineage: compare
        # it with their copies that the story channel's cap cut (``_cut_copies``).
        parents = _parents(session, sorted(set().union(*heading.values(), *(cut[n] for n in heading))))
        links.clear()
        todo: dict[int, list[int]] = {}
        for new_id, headed in heading.items():
            todo[new_id] = _cut_copies(new_id, headed, cut[new_id], parents)
        load_more({c for cs in todo.values() for c in cs if c not in loaded})
        for new_id, copies in todo.items():
            new = batch[new_id]
            new_fps = stored_fps[new_id]
            frequent_new = frequent(new, new_fps)
            for other in (loaded[c] for c in copies if c in loaded):
                link_with(new, other, new_fps, frequent_new)
        heading = {n: set(cs) for n, cs in todo.items() if cs and cut[n]}
        if not links:
            break
        index_sql.insert_rows(session, ReuseLink.__table__, [link.to_row() for link in links])  # type: ignore[arg-type]
        recompute(session, sorted({i for link in links for i in (link.a_id, link.b_id)}))
