"""Stored documents as the comparison needs them: metadata, text and (cached) features."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping
from dataclasses import replace
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.core.lineage.direction import DocInfo, document_cues
from service.core.reuse import fingerprint
from service.core.reuse.links import Comparable
from service.db import chunks
from service.models import Document, Passage
from service.provenance import feature_cache
from service.provenance.feature_cache import Analysis


def aware(value: datetime | None) -> datetime | None:
    """A stored time as an aware datetime (SQLite returns naive UTC)."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def load_documents(session: Session, ids: Iterable[int], *, cues: bool = True) -> dict[int, Comparable]:
    """Stored documents with features; texts and passages are read only for uncached ones.

    Cached analyses are taken (not just looked up) before anything is computed, so an eviction
    by this call or another thread cannot make one disappear between the look-up and its use.
    With ``cues=False`` an uncached document is analysed without its direction cues (cached so,
    ``info.cues`` None): for a caller that judges alignments and needs cues only for a few of
    them (``with_cues``); the cues are a third of an analysis's cost.
    """
    wanted = sorted(set(ids))
    out: dict[int, Comparable] = {}
    for chunk in chunks(wanted):
        rows = session.execute(
            select(Document.id, Document.content_hash, Document.outlet, Document.title,
                   Document.url, Document.published_at).where(Document.id.in_(chunk))
        ).all()
        analyses: dict[int, Analysis | None] = {row.id: feature_cache.cached(row.content_hash) for row in rows}
        missing = [doc_id for doc_id, analysis in analyses.items() if analysis is None]
        if missing:
            texts = dict(session.execute(select(Document.id, Document.text).where(Document.id.in_(missing))).all())
            spans = _spans(session, missing)
            hashes = {row.id: row.content_hash for row in rows}
            for doc_id in missing:
                analyses[doc_id] = feature_cache.analyse(hashes[doc_id], texts[doc_id], spans[doc_id], cues=cues)
        for row in rows:
            analysis = analyses[row.id]
            assert analysis is not None
            info = DocInfo(id=row.id, key=row.content_hash, outlet=row.outlet, title=row.title, url=row.url,
                           published_at=aware(row.published_at),
                           cues=analysis.cues if cues else analysis.found_cues)  # type: ignore[arg-type]
            out[row.id] = Comparable(info=info, text=analysis.text, features=analysis.features)
    return out


def with_cues(doc: Comparable) -> Comparable:
    """``doc`` with its direction cues (computed now if it was loaded without, ``load_documents``,
    and kept with its cached analysis)."""
    if doc.info.cues is not None:
        return doc
    analysis = feature_cache.cached(doc.info.key)
    if analysis is not None and analysis.features is doc.features:
        found = analysis.cues
    else:
        found = document_cues(doc.text, [(p.start, p.end) for p in doc.features.passages])
    return Comparable(info=replace(doc.info, cues=found), text=doc.text, features=doc.features)


def passage_fingerprints(session: Session, wanted: Mapping[int, Collection[int]]
                         ) -> dict[int, tuple[set[int], dict[int, frozenset[int]]]]:
    """Stored documents' fingerprints and, for the passages ``wanted[doc_id]``, those inside each
    (``shingles & fingerprints``): from the feature cache when it holds the document, else from
    what it kept of the document when evicting it (``feature_cache.PassagePrints``), else from
    its stored text (``fingerprint.passage_fingerprints``: not the rest of the features, and not
    cached)."""
    out: dict[int, tuple[set[int], dict[int, frozenset[int]]]] = {}
    for chunk in chunks(sorted(wanted)):
        missing = []
        hashes: dict[int, str] = {}
        for doc_id, content_hash in session.execute(
            select(Document.id, Document.content_hash).where(Document.id.in_(chunk))
        ):
            analysis = feature_cache.cached(content_hash)
            if analysis is None:
                prints = feature_cache.cached_prints(content_hash)
                if prints is None:
                    missing.append(doc_id)
                    hashes[doc_id] = content_hash
                else:
                    out[doc_id] = prints.expand(wanted[doc_id])
                continue
            fps = set(analysis.features.fingerprints.tolist())
            passages = analysis.features.passages
            out[doc_id] = fps, {s: passages[s].shingles.intersection(fps) for s in wanted[doc_id]}
        if not missing:
            continue
        texts = dict(session.execute(select(Document.id, Document.text).where(Document.id.in_(missing))).all())
        spans = _spans(session, missing)
        for doc_id in missing:
            fps, inside = fingerprint.passage_fingerprints(texts[doc_id], spans[doc_id])
            out[doc_id] = fps, {s: inside[s] for s in wanted[doc_id]}
            feature_cache.keep_prints(hashes[doc_id], feature_cache.PassagePrints.from_sets(fps, inside))
    return out


def _spans(session: Session, ids: list[int]) -> dict[int, list[tuple[int, int]]]:
    """The passage spans of stored documents, in order."""
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for doc_id, start, end in session.execute(
        select(Passage.document_id, Passage.start, Passage.end)
        .where(Passage.document_id.in_(ids))
        .order_by(Passage.document_id, Passage.seq)
    ):
        spans[doc_id].append((start, end))
    return spans


def warm_cache(session: Session, limit: int = feature_cache.FEATURES_MAX, batch: int = 500) -> int:
    """Compute the features of the ``limit`` newest stored documents (e.g. at start-up).

    Comparing with a document needs its features; a fresh process computes them on first use,
    which makes the first annotations slow. They are loaded oldest first, so that the newest
    are the most recently used entries of the cache and the last it would evict. Returns how
    many documents were analysed.
    """
    ids = list(session.scalars(select(Document.id).order_by(Document.id.desc()).limit(limit)))[::-1]
    for i in range(0, len(ids), batch):
        load_documents(session, ids[i : i + batch])
    return len(ids)
