"""Reuse detection and document lineage over the stored corpus.

On ingest, a document is fingerprinted, its candidates are found through the fingerprint and
anchor-term indexes (never by scanning the corpus), each candidate is aligned with it passage
by passage, and the pairwise evidence is stored. The lineage of the connected component is then
recomputed from the stored evidence alone, so the graph is the same whatever the ingestion
order, and the same again after a delete and a re-ingest.

Read side: document provenance (parents, chain to the origin, changed facts, unsourced
passages), passage chains for statement checks, the whole graph, and page annotation for the
browser extension.
"""

from __future__ import annotations

import math
from collections import Counter, OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sqlalchemy import Connection, Row, Table, bindparam, delete, event, insert, or_, select, text, update
from sqlalchemy.orm import Session

from service.core.lineage.direction import (
    DirectionCue,
    DocInfo,
    detail_counts,
    direction,
    document_cues,
    quotes_headline,
    relation,
    source_probability,
)
from service.core.lineage.resolve import WEAK_LINK_SCORE, PairRecord, Resolution, resolve
from service.core.reuse.align import match_passages
from service.core.reuse.evidence import PairEvidence, PassageMatch, boilerplate_passages, judge_pair
from service.core.reuse.fingerprint import DocumentFeatures, document_features, term_hash
from service.core.text.normalize import normalize_text
from service.core.text.segment import sentence_spans
from service.db import chunks
from service.models import (
    AnchorFrequency,
    AnchorTerm,
    Document,
    Fingerprint,
    FingerprintFrequency,
    LineageNode,
    Passage,
    ReuseLink,
)

if TYPE_CHECKING:
    from service.ingest import PreparedDocument, StoredDocument

# Fingerprints held by this many documents are boilerplate (or a story everyone republished):
# they are not searched, and passages made of them are not evidence across outlets.
FREQUENT_DF = 12
MIN_SHARED_FINGERPRINTS = 3
MIN_FINGERPRINT_MASS = 1.0
FINGERPRINT_CANDIDATES = 30
# Anchor terms (names, figures, rare words) held by more documents than this are topic words.
TERM_MAX_DF = 30
MIN_SHARED_TERMS = 5
TERM_CANDIDATES = 5

# ---------------------------------------------------------------------------------------------
# Features, cached by content hash (the same text always has the same features).

_CACHE_MAX = 30_000
_features_cache: OrderedDict[str, tuple[DocumentFeatures, list[DirectionCue], str]] = OrderedDict()


def analyse(
    content_hash: str, text: str, spans: Sequence[tuple[int, int]]
) -> tuple[DocumentFeatures, list[DirectionCue]]:
    """Fingerprints and direction cues of a text, computed once per content hash (text kept too)."""
    hit = _features_cache.get(content_hash)
    if hit is not None:
        _features_cache.move_to_end(content_hash)
        return hit[0], hit[1]
    feats, cues = document_features(text, list(spans)), document_cues(text, spans)
    _remember(content_hash, feats, cues, text)
    return feats, cues


def _remember(content_hash: str, feats: DocumentFeatures, cues: list[DirectionCue], text: str) -> None:
    _features_cache[content_hash] = (feats, cues, text)
    if len(_features_cache) > _CACHE_MAX:
        _features_cache.popitem(last=False)


@dataclass(slots=True)
class Loaded:
    """A stored document with what alignment and direction reasoning need."""

    info: DocInfo
    text: str
    features: DocumentFeatures


def _load(session: Session, ids: Iterable[int]) -> dict[int, Loaded]:
    """Stored documents with features; texts and passages are read only for uncached ones."""
    ids = sorted(set(ids))
    out: dict[int, Loaded] = {}
    if not ids:
        return out
    for chunk in chunks(ids):
        rows = session.execute(
            select(Document.id, Document.content_hash, Document.outlet, Document.title,
                   Document.url, Document.published_at).where(Document.id.in_(chunk))
        ).all()
        missing = [r.id for r in rows if r.content_hash not in _features_cache]
        texts: dict[int, str] = {}
        spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
        if missing:
            texts = dict(session.execute(select(Document.id, Document.text).where(Document.id.in_(missing))).all())
            for doc_id, start, end in session.execute(
                select(Passage.document_id, Passage.start, Passage.end)
                .where(Passage.document_id.in_(missing))
                .order_by(Passage.document_id, Passage.seq)
            ):
                spans[doc_id].append((start, end))
        for row in rows:
            if row.id in texts:
                analyse(row.content_hash, texts[row.id], spans[row.id])
            feats, cues, text_ = _features_cache[row.content_hash]
            _features_cache.move_to_end(row.content_hash)
            info = DocInfo(id=row.id, key=row.content_hash, outlet=row.outlet, title=row.title, url=row.url,
                           published_at=_aware(row.published_at), cues=cues)
            out[row.id] = Loaded(info=info, text=text_, features=feats)
    return out


def _aware(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is not None:
        return value
    from datetime import UTC

    return value.replace(tzinfo=UTC)


@lru_cache(maxsize=1 << 14)
def _host(url: str | None) -> str:
    return (urlsplit(url).hostname or "").removeprefix("www.") if url else ""


def _source(outlet: str | None, url: str | None) -> tuple[str | None, str]:
    """What identifies a document's outlet: its folded name (None when unnamed) and web host."""
    return (outlet.strip().casefold() if outlet else None), _host(url)


def _one_source(a: tuple[str | None, str], b: tuple[str | None, str]) -> bool:
    return (a[0] is not None and a[0] == b[0]) or (bool(a[1]) and a[1] == b[1])


def _same_source(a: DocInfo, b: DocInfo) -> bool:
    """Two documents of one outlet (by name or web host): their shared template is not reuse."""
    return _one_source(_source(a.outlet, a.url), _source(b.outlet, b.url))


# ---------------------------------------------------------------------------------------------
# Index maintenance.


def _table(model: Any) -> Table:
    """The Core table of a model (Core inserts skip the ORM's per-row bookkeeping)."""
    table: Table = model.__table__
    return table


def _executemany(session: Session, sql: str, rows: list[tuple[Any, ...]]) -> None:
    """Run one statement for many rows of plain values straight through the driver.

    The index writes are tens of thousands of integer rows per batch; SQLAlchemy's per-row
    parameter processing would cost more than the database work. ``sql`` marks parameters
    with ``?``, rewritten to the driver's style.
    """
    if not rows:
        return
    connection = session.connection()
    connection.exec_driver_sql(sql.replace("?", _mark(connection)), rows)


def _mark(connection: Connection) -> str:
    """The driver's parameter marker (``?`` for sqlite3, ``%s`` for psycopg)."""
    return "%s" if connection.dialect.paramstyle in ("format", "pyformat") else "?"


def _add_counts(session: Session, model: Any, key: str, deltas: Mapping[int, int]) -> None:
    """Add each value's delta to its document frequency (dialect-neutral SQL)."""
    table = model.__tablename__
    items = sorted(deltas.items())
    _executemany(session, f"INSERT INTO {table} ({key}, df) VALUES (?, ?) "
                          f"ON CONFLICT ({key}) DO UPDATE SET df = {table}.df + excluded.df",
                 [(v, d) for v, d in items if d > 0])
    down = [(d, v) for v, d in items if d < 0]
    if down:
        _executemany(session, f"UPDATE {table} SET df = df + ? WHERE {key} = ?", down)
        session.execute(text(f"DELETE FROM {table} WHERE df <= 0"))


def _lookup(session: Session, sql: str, values: Iterable[int]) -> list[tuple[Any, ...]]:
    """Rows of ``sql`` (ending in ``IN``) for many integer values, in chunks, straight through the driver.

    A batch looks up tens of thousands of hashes; binding them as plain driver parameters
    avoids SQLAlchemy's per-value expansion of ``IN`` lists, which costs more than the query.
    """
    connection = session.connection()
    mark = _mark(connection)
    ordered = sorted(set(values))
    rows: list[tuple[Any, ...]] = []
    for i in range(0, len(ordered), _LOOKUP_CHUNK):
        chunk = tuple(ordered[i : i + _LOOKUP_CHUNK])
        rows.extend(connection.exec_driver_sql(f"{sql} ({', '.join([mark] * len(chunk))})", chunk).all())
    return rows


_LOOKUP_CHUNK = 2000


def _frequencies(session: Session, model: Any, key: str, values: Iterable[int]) -> dict[int, int]:
    """Document frequencies of the given index values (absent values have none)."""
    return dict(_lookup(session, f"SELECT {key}, df FROM {model.__tablename__} WHERE {key} IN", values))


def _anchor_terms(features: DocumentFeatures) -> list[int]:
    return sorted({term_hash(t) for t in features.anchors})


def _postings(session: Session, model: Any, key: str, values: Iterable[int]) -> dict[int, list[int]]:
    """Documents holding each value, from the index table ``model``."""
    out: dict[int, list[int]] = defaultdict(list)
    for value, doc_id in _lookup(session, f"SELECT {key}, document_id FROM {model.__tablename__} WHERE {key} IN",
                                 values):
        out[value].append(doc_id)
    return out


def rank_candidates(fps: Sequence[int], terms: Sequence[int], fp_df: Callable[[int], int],
                    term_df: Callable[[int], int], fp_holders: Callable[[int], Iterable[int]],
                    term_holders: Callable[[int], Iterable[int]]) -> list[int]:
    """Documents sharing enough rare fingerprints or rare anchor terms with a new one.

    ``*_df`` give document frequencies and ``*_holders`` the documents holding a value, both
    as the index stood just before the new document: the candidates are the same whether the
    index is read from the database one document at a time or a batch at once.
    """
    found: dict[int, float] = {}
    shared: dict[int, int] = defaultdict(int)
    mass: dict[int, float] = defaultdict(float)
    for h in fps:
        df = fp_df(h)
        if not 0 < df < FREQUENT_DF:
            continue
        for other in fp_holders(h):
            shared[other] += 1
            mass[other] += 1.0 / df
    # Stock phrases are shared by many documents; real reuse shares many rare fingerprints.
    ranked = sorted((o for o in shared if shared[o] >= MIN_SHARED_FINGERPRINTS and mass[o] >= MIN_FINGERPRINT_MASS),
                    key=lambda o: (-mass[o], o))
    for other in ranked[:FINGERPRINT_CANDIDATES]:
        found[other] = 1000.0 + mass[other]
    weight: dict[int, float] = defaultdict(float)
    counts: dict[int, int] = defaultdict(int)
    for t in terms:
        df = term_df(t)
        if df > TERM_MAX_DF:
            continue
        for other in term_holders(t):
            counts[other] += 1
            weight[other] += 1.0 / math.log(2.0 + max(df, 1))
    ranked = sorted((o for o in counts if counts[o] >= MIN_SHARED_TERMS), key=lambda o: (-weight[o], o))
    for other in ranked[:TERM_CANDIDATES]:
        found.setdefault(other, weight[other])
    return sorted(found)


# ---------------------------------------------------------------------------------------------
# Pairwise evidence.


def compare(a: Loaded, b: Loaded, frequent_a: set[int], frequent_b: set[int]) -> PairEvidence:
    """Align two stored documents; same-outlet template text and corpus boilerplate are not evidence."""
    key = (a.info.key, b.info.key)
    matches = _matches.get(key) if all(key) else None  # an unsaved page has no key
    if matches is None:
        matches = match_passages(a.features, b.features, a.text, b.text)
        if all(key):
            _matches[key] = matches
            if len(_matches) > _MATCHES_MAX:
                _matches.popitem(last=False)
    else:
        _matches.move_to_end(key)
    if _same_source(a.info, b.info):
        # One outlet's articles share its template; only a near-duplicate version is reuse.
        boiler_a: set[int] = {p.seq for p in a.features.passages}
        boiler_b: set[int] = {p.seq for p in b.features.passages}
        return judge_pair(a.features, b.features, matches, boiler_a=boiler_a, boiler_b=boiler_b, mass_copy=0.85,
                          boiler_facts=1_000)
    return judge_pair(a.features, b.features, matches, boiler_a=frequent_a, boiler_b=frequent_b)


# Matched passages by pair of content hashes: a link re-judged when its text turns boilerplate
# (see ``_reevaluate``), usually soon after it was made, is not aligned again.
_MATCHES_MAX = 50_000
_matches: OrderedDict[tuple[str, str], list[PassageMatch]] = OrderedDict()


def _link_row(a: Loaded, b: Loaded, ev: PairEvidence) -> dict[str, Any] | None:
    if not ev.pairs:
        return None
    fa, fb = a.features, b.features
    detail = detail_counts(ev, [p.numbers for p in fa.passages], [p.numbers for p in fb.passages])
    lengths = (
        sum(fa.passages[p.a_seq].size for p in ev.pairs if p.kind == "paraphrase"),
        sum(fb.passages[p.b_seq].size for p in ev.pairs if p.kind == "paraphrase"),
    )
    commentary = (
        _commentary(fa, {p.a_seq for p in ev.pairs}),
        _commentary(fb, {p.b_seq for p in ev.pairs}),
    )
    verdict = direction(ev, a.info, b.info, detail, lengths, (_quotes(a, b), _quotes(b, a)), commentary)
    substantial = sum(1 for p in ev.pairs if p.substantial)
    if not (ev.is_link() or (substantial and (len(ev.pairs) >= 2 or abs(verdict.score) >= WEAK_LINK_SCORE))):
        return None
    return {
        "a_id": a.info.id,
        "b_id": b.info.id,
        "linked": ev.is_link(),
        "strength": round(ev.strength, 4),
        "direction": verdict.score,
        "coverage_a": ev.coverage_a,
        "coverage_b": ev.coverage_b,
        "copied_share": ev.copied_share,
        "aligned": len(ev.pairs),
        "mutations": ev.mutation_count,
        "relation_a_child": relation(ev, child_is_a=True),
        "relation_b_child": relation(ev, child_is_a=False),
        **_regions(ev),
        "pairs": _stored_pairs(ev),
        "reasons": verdict.reasons,
    }


def _stored_pairs(ev: PairEvidence) -> list[list[Any]]:
    """The aligned pairs as a link row stores them (JSON)."""
    return [[p.a_seq, p.b_seq, p.similarity, p.kind, [[m.kind, m.a_value, m.b_value] for m in p.mutations]]
            for p in ev.pairs]


def _commentary(features: DocumentFeatures, aligned: set[int]) -> int:
    """Own sentences (not aligned with the other side) that name no fact: remarks, colour."""
    return sum(1 for p in features.passages if p.seq not in aligned and p.size >= 6 and not p.units)


def _quotes(doc: Loaded, other: Loaded) -> bool:
    """Whether ``doc`` carries ``other``'s headline among its lines."""
    lines = [doc.text[p.start : p.end] for p in doc.features.passages[:400] if p.size <= 40]
    return quotes_headline(other.info.title, doc.info.title, lines)


def _regions(ev: PairEvidence) -> dict[str, int]:
    copied = [p for p in ev.pairs if p.kind != "paraphrase" and p.substantial]
    if not copied:
        return {"a_first": -1, "a_last": -1, "b_first": -1, "b_last": -1}
    a = [p.a_seq for p in copied]
    b = [p.b_seq for p in copied]
    return {"a_first": min(a), "a_last": max(a), "b_first": min(b), "b_last": max(b)}


def _ordered(x: Loaded, y: Loaded) -> tuple[Loaded, Loaded]:
    """The pair in canonical order (smaller content hash first), independent of arrival order."""
    return (x, y) if (x.info.key, x.info.id) <= (y.info.key, y.info.id) else (y, x)


# ---------------------------------------------------------------------------------------------
# Hooks.


def on_document_prepared(prepared: PreparedDocument) -> None:
    """Compute a prepared document's features ahead of storing (runs in ingest worker processes)."""
    feats, cues = analyse(prepared.content_hash, prepared.text, prepared.spans)
    prepared.analysis["provenance"] = (feats, cues)


class _BatchIndex:
    """The fingerprint and term index as each document of a batch would have found it.

    Frequencies and holders read from the database for the whole batch at once, plus what the
    batch's earlier documents added: processing a batch gives the links that ingesting its
    documents one by one would have given.
    """

    def __init__(self, session: Session, fps: set[int], terms: set[int]) -> None:
        self.fp_df_db = _frequencies(session, FingerprintFrequency, "hash", sorted(fps))
        self.term_df_db = _frequencies(session, AnchorFrequency, "term", sorted(terms))
        self.fp_db = _postings(session, Fingerprint, "hash",
                               (h for h, n in self.fp_df_db.items() if n < FREQUENT_DF))
        self.term_db = _postings(session, AnchorTerm, "term",
                                 (t for t, n in self.term_df_db.items() if n <= TERM_MAX_DF))
        self.fp_new: dict[int, list[int]] = defaultdict(list)
        self.term_new: dict[int, list[int]] = defaultdict(list)

    def fp_df(self, h: int) -> int:
        return self.fp_df_db.get(h, 0) + len(self.fp_new.get(h, ()))

    def term_df(self, t: int) -> int:
        return self.term_df_db.get(t, 0) + len(self.term_new.get(t, ()))

    def fp_holders(self, h: int) -> list[int]:
        return self.fp_db.get(h, []) + self.fp_new.get(h, [])

    def term_holders(self, t: int) -> list[int]:
        return self.term_db.get(t, []) + self.term_new.get(t, [])

    def add(self, doc_id: int, fps: list[int], terms: list[int]) -> None:
        for h in fps:
            self.fp_new[h].append(doc_id)
        for t in terms:
            self.term_new[t].append(doc_id)


def on_documents_ingested(session: Session, documents: Sequence[StoredDocument]) -> None:
    """Index new documents, compare each with its candidates, store links, update lineage.

    The documents are handled in order, each against the corpus as it stood before it (the
    earlier ones of the batch included), with the index read and written once per batch.
    """
    news: list[Loaded] = []
    for doc in documents:
        ahead = doc.analysis.get("provenance")
        if ahead is not None and doc.content_hash not in _features_cache:
            _remember(doc.content_hash, ahead[0], ahead[1], doc.text)
        feats, cues = analyse(doc.content_hash, doc.text, doc.spans)
        meta = doc.metadata
        info = DocInfo(id=doc.id, key=doc.content_hash, outlet=meta.get("outlet"), title=meta.get("title"),
                       url=meta.get("url"), published_at=_aware(meta.get("published_at")), cues=cues)
        news.append(Loaded(info=info, text=doc.text, features=feats))
    fps_of = {n.info.id: sorted(set(n.features.fingerprints.tolist())) for n in news}
    terms_of = {n.info.id: _anchor_terms(n.features) for n in news}
    index = _BatchIndex(session, {h for v in fps_of.values() for h in v}, {t for v in terms_of.values() for t in v})

    plans: list[tuple[Loaded, list[int]]] = []
    crossing: set[int] = set()
    for new in news:
        doc_id = new.info.id
        fps, terms = fps_of[doc_id], terms_of[doc_id]
        plans.append((new, rank_candidates(fps, terms, index.fp_df, index.term_df, index.fp_holders,
                                           index.term_holders)))
        crossing.update(h for h in fps if index.fp_df(h) + 1 == FREQUENT_DF)
        index.add(doc_id, fps, terms)

    batch = {n.info.id: n for n in news}
    loaded = _load(session, {c for _, cands in plans for c in cands if c not in batch})
    # Both sides' boilerplate is judged by the frequencies the new document sees (itself counted),
    # as a later re-evaluation of the link would judge it.
    stored_fps = {doc_id: set(doc.features.fingerprints.tolist()) for doc_id, doc in loaded.items()}
    df_db = index.fp_df_db
    df_db.update(_frequencies(session, FingerprintFrequency, "hash",
                              {h for v in stored_fps.values() for h in v} - df_db.keys()))
    stored_fps.update((doc_id, set(fps)) for doc_id, fps in fps_of.items())
    loaded.update(batch)
    seen: Counter[int] = Counter()
    in_batch = Counter(h for fps in fps_of.values() for h in fps)
    # A document's fingerprints that can reach the threshold at some point of this batch (the
    # rest never can): most are rare, so the test below looks at a few hashes, not hundreds.
    near: dict[int, list[int]] = {}
    passages_of: dict[tuple[int, frozenset[int]], set[int]] = {}

    def frequent(doc: Loaded, new_fps: set[int]) -> set[int]:
        doc_id = doc.info.id
        if doc_id not in near:
            near[doc_id] = [h for h in stored_fps[doc_id] if df_db.get(h, 0) + in_batch[h] >= FREQUENT_DF]
        hashes = frozenset(h for h in near[doc_id] if df_db.get(h, 0) + seen[h] + (h in new_fps) >= FREQUENT_DF)
        key = (doc_id, hashes)
        if key not in passages_of:
            passages_of[key] = boilerplate_passages(doc.features, hashes)
        return passages_of[key]

    rows = []
    seeds: list[int] = []
    for new, candidates in plans:
        new_fps = stored_fps[new.info.id]
        frequent_new = frequent(new, new_fps)
        linked = False
        for other in (loaded[c] for c in candidates if c in loaded):
            a, b = _ordered(new, other)
            frequent_other = frequent(other, new_fps)
            fa, fb = (frequent_new, frequent_other) if a is new else (frequent_other, frequent_new)
            row = _link_row(a, b, compare(a, b, fa, fb))
            if row is not None:
                rows.append(row)
                linked = True
        # Even a link too weak to be a parent is evidence for its neighbours' triads.
        if linked:
            seeds.append(new.info.id)
        seen.update(new_fps)
    _write_index(session, news, fps_of, terms_of)
    if rows:
        session.execute(insert(_table(ReuseLink)), rows)
    touched = _reevaluate(session, sorted(crossing)) if crossing else set()
    if seeds or touched:
        recompute(session, sorted(set(seeds) | touched))


def _write_index(session: Session, news: Sequence[Loaded], fps_of: dict[int, list[int]],
                 terms_of: dict[int, list[int]]) -> None:
    """Insert the batch's fingerprints, terms and lineage nodes; bump document frequencies."""
    # Sorted, so the B-tree inserts walk the index in order instead of jumping around it.
    fp_rows = sorted((h, doc_id) for doc_id, fps in fps_of.items() for h in fps)
    term_rows = sorted((t, doc_id) for doc_id, terms in terms_of.items() for t in terms)
    _executemany(session, f"INSERT INTO {Fingerprint.__tablename__} (hash, document_id) VALUES (?, ?)", fp_rows)
    _add_counts(session, FingerprintFrequency, "hash", Counter(h for h, _ in fp_rows))
    _executemany(session, f"INSERT INTO {AnchorTerm.__tablename__} (term, document_id) VALUES (?, ?)", term_rows)
    _add_counts(session, AnchorFrequency, "term", Counter(t for t, _ in term_rows))
    session.execute(
        insert(_table(LineageNode)),
        [{"document_id": n.info.id, "rank": 0.0, "original_confidence": 0.0, "parents": [],
          "cues": [[c.seq, c.kind, c.name] for c in n.info.cues]} for n in news],
    )


def _reevaluate(session: Session, hashes: list[int]) -> set[int]:
    """Re-judge the stored links whose aligned passages turned boilerplate; return their documents.

    Text that was rare when two documents were linked may since have turned out to be
    boilerplate (``hashes`` just became frequent); re-deciding those links now keeps the graph
    what it would have been had the documents arrived in any other order. Only links of the
    documents holding those fingerprints can change, and only where an aligned passage holds one
    of them and is boilerplate now but was not without them.
    """
    holders = sorted({doc_id for docs in _postings(session, Fingerprint, "hash", hashes).values() for doc_id in docs})
    source: dict[int, tuple[str | None, str]] = {
        row.id: _source(row.outlet, row.url)
        for chunk in chunks(holders)
        for row in session.execute(select(Document.id, Document.outlet, Document.url).where(Document.id.in_(chunk)))
    }

    def may_lose(a_id: int, b_id: int) -> bool:
        # Not two of one outlet: their links never rest on frequent text (``compare``).
        return not _one_source(source.get(a_id, (None, "")), source.get(b_id, (None, "")))

    table = _table(ReuseLink)
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
    loaded = _load(session, {x for link in links.values() for x in (link.a_id, link.b_id)})
    crossing = set(hashes)
    # The aligned passages that hold a crossing fingerprint (only those can turn), per document.
    at_stake: dict[int, set[int]] = defaultdict(set)
    for link in links.values():
        if link.a_id in loaded and link.b_id in loaded:
            for doc_id, seqs in ((link.a_id, {p[0] for p in link.pairs}), (link.b_id, {p[1] for p in link.pairs})):
                passages = loaded[doc_id].features.passages
                at_stake[doc_id].update(s for s in seqs if not crossing.isdisjoint(passages[s].shingles))
    fps_of = {doc_id: set(loaded[doc_id].features.fingerprints.tolist()) for doc_id in at_stake if at_stake[doc_id]}
    df = _frequencies(session, FingerprintFrequency, "hash",
                      {h for doc_id, fps in fps_of.items()
                       for s in at_stake[doc_id] for h in loaded[doc_id].features.passages[s].shingles & fps})
    turned: dict[int, set[int]] = {}
    for doc_id, fps in fps_of.items():
        doc = loaded[doc_id]
        now = {h for h in fps if df.get(h, 0) >= FREQUENT_DF}
        # Passages that are boilerplate only because of the fingerprints that just crossed.
        turned[doc_id] = boilerplate_passages(doc.features, now, only=at_stake[doc_id]) \
            - boilerplate_passages(doc.features, now - crossing, only=at_stake[doc_id])
    links = {
        link_id: link for link_id, link in links.items()
        if turned.get(link.a_id, set()) & {p[0] for p in link.pairs}
        or turned.get(link.b_id, set()) & {p[1] for p in link.pairs}
    }
    if not links:
        return set()
    ends = {x for link in links.values() for x in (link.a_id, link.b_id)}
    all_fps = {doc_id: loaded[doc_id].features.fingerprints.tolist() for doc_id in ends}
    df.update(_frequencies(session, FingerprintFrequency, "hash",
                           {h for fps in all_fps.values() for h in fps} - df.keys()))
    frequent = {doc_id: boilerplate_passages(loaded[doc_id].features,
                                             {h for h in fps if df.get(h, 0) >= FREQUENT_DF})
                for doc_id, fps in all_fps.items()}
    touched: set[int] = set()
    gone: list[dict[str, Any]] = []
    rewritten: dict[int, dict[str, Any]] = {}
    for link_id, link in sorted(links.items()):
        a, b = loaded[link.a_id], loaded[link.b_id]
        ev = compare(a, b, frequent[a.info.id], frequent[b.info.id])
        if (ev.coverage_a, ev.coverage_b, ev.copied_share) == (link.coverage_a, link.coverage_b, link.copied_share) \
                and _stored_pairs(ev) == link.pairs:
            continue  # the same evidence again: the same row, no lineage to recompute
        row = _link_row(a, b, ev)
        if row is None:
            gone.append({"link_id": link_id})
        else:
            rewritten[link_id] = row
    stored = {
        row.id: row
        for chunk in chunks(sorted(rewritten))
        for row in session.execute(select(table).where(table.c.id.in_(chunk)))
    }
    changed = [{"link_id": link_id, **row} for link_id, row in rewritten.items()
               if any(getattr(stored[link_id], key) != value for key, value in row.items())]
    for item in gone + changed:
        link = links[item["link_id"]]
        touched.update((link.a_id, link.b_id))
    if gone:
        session.execute(delete(table).where(table.c.id == bindparam("link_id")), gone)
    if changed:
        session.execute(update(table).where(table.c.id == bindparam("link_id")), changed)
    return touched


def on_reset(session: Session) -> None:
    """Drop the reuse index, every link and every lineage node (before ``ingest.reanalyse``)."""
    for model in (ReuseLink, LineageNode, Fingerprint, FingerprintFrequency, AnchorTerm, AnchorFrequency):
        session.execute(delete(_table(model)))
    _matches.clear()  # alignments of the code that made them; features depend on the text alone


def on_document_deleted(session: Session, document_id: int) -> None:
    """Forget a document before it is deleted: index counts, links, and its neighbours' lineage."""
    neighbours = _neighbours(session, [document_id])
    fps = list(session.scalars(select(Fingerprint.hash).where(Fingerprint.document_id == document_id)))
    terms = list(session.scalars(select(AnchorTerm.term).where(AnchorTerm.document_id == document_id)))
    session.execute(delete(Fingerprint).where(Fingerprint.document_id == document_id))
    session.execute(delete(AnchorTerm).where(AnchorTerm.document_id == document_id))
    _add_counts(session, FingerprintFrequency, "hash", dict.fromkeys(fps, -1))
    _add_counts(session, AnchorFrequency, "term", dict.fromkeys(terms, -1))
    session.execute(delete(ReuseLink).where(or_(ReuseLink.a_id == document_id, ReuseLink.b_id == document_id)))
    session.execute(delete(LineageNode).where(LineageNode.document_id == document_id))
    # Children that pointed at the deleted document are recomputed with it gone.
    recompute(session, sorted(neighbours - {document_id}))


# ---------------------------------------------------------------------------------------------
# Lineage recomputation.


def _neighbours(session: Session, ids: Sequence[int]) -> set[int]:
    out: set[int] = set()
    for chunk in chunks(list(ids)):
        for a, b in session.execute(
            select(ReuseLink.a_id, ReuseLink.b_id).where(or_(ReuseLink.a_id.in_(chunk), ReuseLink.b_id.in_(chunk)))
        ):
            out.add(a)
            out.add(b)
    return out


def _within(session: Session, nodes: set[int], steps: int) -> set[int]:
    """The documents at most ``steps`` links away from ``nodes`` (``nodes`` included)."""
    reached = set(nodes)
    frontier = set(nodes)
    for _ in range(steps):
        frontier = _neighbours(session, sorted(frontier)) - reached
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
                       ReuseLink.b_first, ReuseLink.b_last).where(column.in_(chunk))
            ):
                rows[(r.a_id, r.b_id)] = r
    return [rows[k] for k in sorted(rows)]


def recompute(session: Session, seeds: Sequence[int]) -> Resolution | None:
    """Recompute the lineage around ``seeds`` (documents whose links changed) from the stored evidence.

    A document's lineage depends on the links of the documents up to two steps away: its own
    links, oriented with the triad and aggregator corrections (its neighbours' links) and
    tie-broken by its neighbours' authority (their links, with their own corrections). So the
    documents whose lineage can change are those within two steps of a seed, and the evidence
    they need is every link of the documents within two steps of them. The result is what
    resolving the whole graph at once would give (checked in the tests).
    """
    if not seeds:
        return None
    targets = _within(session, set(seeds), 2)
    around = _within(session, targets, 2)
    rows = _records_touching(session, around)
    nodes = around | {r.a_id for r in rows} | {r.b_id for r in rows}
    records = [
        PairRecord(r.a_id, r.b_id, r.strength, r.direction, r.mutations, r.linked, r.aligned,
                   r.relation_a_child, r.relation_b_child, r.copied_share,
                   (r.a_first, r.a_last) if r.a_first >= 0 else None,
                   (r.b_first, r.b_last) if r.b_first >= 0 else None)
        for r in rows
    ]
    keys: dict[int, str] = {}
    for chunk in chunks(sorted(nodes)):
        for doc_id, key in session.execute(select(Document.id, Document.content_hash).where(Document.id.in_(chunk))):
            keys[doc_id] = key
    result = resolve(records, keys)
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
        parents = [[c.parent, c.confidence, c.relation, round(c.score, 4)] for c in result.parents.get(node, [])]
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
    node_table = _table(LineageNode)
    if new_nodes:
        session.execute(insert(node_table), new_nodes)
    if changed:
        session.execute(update(node_table).where(node_table.c.document_id == bindparam("node_id")), changed)
    return result


# ---------------------------------------------------------------------------------------------
# Read side.


def document_ref(doc: Any) -> dict[str, Any]:
    """The short form of a document used in every provenance answer."""
    return {
        "id": doc.id,
        "external_id": doc.external_id,
        "title": doc.title,
        "outlet": doc.outlet,
        "url": doc.url,
        "published_at": doc.published_at,
    }


def _refs(session: Session, ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    ids = sorted(set(ids))
    out = {}
    for chunk in chunks(ids):
        for row in session.execute(
            select(Document.id, Document.external_id, Document.title, Document.outlet, Document.url,
                   Document.published_at).where(Document.id.in_(chunk))
        ):
            out[row.id] = document_ref(row)
    return out


def _passages(session: Session, keys: Iterable[tuple[int, int]]) -> dict[tuple[int, int], dict[str, Any]]:
    """Passages by (document id, seq), read through the (document_id, seq) index with two IN lists."""
    wanted = set(keys)
    docs = sorted({doc_id for doc_id, _ in wanted})
    seqs = sorted({seq for _, seq in wanted})
    out = {}
    for doc_chunk in chunks(docs):
        for seq_chunk in chunks(seqs):
            for p in session.execute(
                select(Passage.id, Passage.document_id, Passage.seq, Passage.start, Passage.end, Passage.text)
                .where(Passage.document_id.in_(doc_chunk), Passage.seq.in_(seq_chunk))
            ):
                if (p.document_id, p.seq) in wanted:
                    out[(p.document_id, p.seq)] = {"id": p.id, "seq": p.seq, "start": p.start, "end": p.end,
                                                   "text": p.text}
    return out


@dataclass(slots=True)
class LinkView:
    """A stored link seen from one document (``this``) towards ``other``."""

    other: int
    p_other_source: float
    coverage_this: float
    coverage_other: float
    strength: float
    # (this seq, other seq, similarity, kind, [(kind, this value, other value)])
    pairs: list[tuple[int, int, float, str, list[tuple[str, str, str]]]]


def _view(r: Any, *, from_a: bool) -> LinkView:
    """A stored link row seen from its ``a`` side (``from_a``) or its ``b`` side."""
    if from_a:
        pairs = [(p[0], p[1], p[2], p[3], [(m[0], m[1], m[2]) for m in p[4]]) for p in r.pairs]
        return LinkView(r.b_id, 1.0 - source_probability(r.direction), r.coverage_a, r.coverage_b, r.strength, pairs)
    pairs = [(p[1], p[0], p[2], p[3], [(m[0], m[2], m[1]) for m in p[4]]) for p in r.pairs]
    return LinkView(r.a_id, source_probability(r.direction), r.coverage_b, r.coverage_a, r.strength, pairs)


def links_of(session: Session, doc_id: int) -> dict[int, LinkView]:
    """Every stored link of a document, oriented from it."""
    out = {}
    rows = session.execute(
        select(ReuseLink).where(or_(ReuseLink.a_id == doc_id, ReuseLink.b_id == doc_id))
    ).scalars()
    for r in rows:
        view = _view(r, from_a=r.a_id == doc_id)
        out[view.other] = view
    return out


def _node_parents(session: Session, doc_id: int) -> list[list[Any]]:
    parents = session.scalar(select(LineageNode.parents).where(LineageNode.document_id == doc_id))
    return list(parents or [])


def chain_of(session: Session, doc_id: int) -> list[tuple[int, float]]:
    """Documents from ``doc_id`` up to its origin through best parents, with each hop's confidence."""
    chain = [(doc_id, 1.0)]
    seen = {doc_id}
    current = doc_id
    while True:
        parents = _node_parents(session, current)
        if not parents or parents[0][0] in seen:
            return chain
        current = int(parents[0][0])
        chain.append((current, float(parents[0][1])))
        seen.add(current)


def _upstream(session: Session, doc_id: int, links: dict[int, LinkView], chain: list[int]) -> list[int]:
    """Documents this one may have taken text from: its chain first, then other likely sources."""
    order = [d for d in chain[1:] if d in links]
    parents = [int(p[0]) for p in _node_parents(session, doc_id)]
    order += [p for p in parents if p not in order and p in links]
    rest = sorted((o for o in links if o not in order and links[o].p_other_source > 0.5),
                  key=lambda o: (-links[o].p_other_source * links[o].strength, o))
    return order + rest


def document_provenance(session: Session, doc_id: int) -> dict[str, Any] | None:
    """The provenance answer for one document, or None when it does not exist."""
    doc = session.get(Document, doc_id)
    if doc is None:
        return None
    parents = _node_parents(session, doc_id)
    links = links_of(session, doc_id)
    chain = chain_of(session, doc_id)
    chain_ids = [d for d, _ in chain]
    upstream = _upstream(session, doc_id, links, chain_ids)
    original_conf = session.scalar(
        select(LineageNode.original_confidence).where(LineageNode.document_id == doc_id)
    )
    wanted_passages: set[tuple[int, int]] = set()
    for parent in parents:
        view = links.get(int(parent[0]))
        if view:
            wanted_passages.update((doc_id, p[0]) for p in view.pairs)
            wanted_passages.update((view.other, p[1]) for p in view.pairs)
    mutation_rows = []
    seen_mut: set[tuple[int, str, str]] = set()
    for other in upstream:
        for this_seq, other_seq, _sim, _kind, muts in links[other].pairs:
            for kind, this_value, other_value in muts:
                key = (this_seq, this_value, other_value)
                if key in seen_mut:
                    continue
                seen_mut.add(key)
                mutation_rows.append((kind, this_seq, other, other_seq, this_value, other_value))
                wanted_passages.add((doc_id, this_seq))
                wanted_passages.add((other, other_seq))
    sourced = {p[0] for other in upstream for p in links[other].pairs}
    all_passages = session.execute(
        select(Passage.id, Passage.seq, Passage.start, Passage.end, Passage.text)
        .where(Passage.document_id == doc_id).order_by(Passage.seq)
    ).all()
    passages = _passages(session, wanted_passages)
    refs = _refs(session, set(chain_ids) | {int(p[0]) for p in parents} | {m[2] for m in mutation_rows})

    parent_items = []
    for parent_id, confidence, rel, _score in parents:
        view = links.get(int(parent_id))
        if view is None or int(parent_id) not in refs:
            continue
        parent_items.append({
            "document": refs[int(parent_id)],
            "relation": rel,
            "confidence": confidence,
            "coverage": round(view.coverage_this, 4),
            "source_coverage": round(view.coverage_other, 4),
            "aligned_passages": [
                {"this_passage": passages.get((doc_id, t)), "source_passage": passages.get((view.other, o)),
                 "similarity": sim, "kind": kind}
                for t, o, sim, kind, _ in view.pairs
            ],
        })
    is_original = not parent_items
    origin_conf = 1.0
    for _, conf in chain[1:]:
        origin_conf *= conf
    confidence = (original_conf or 0.0) if is_original else float(parents[0][1])
    if is_original and not links:
        confidence = 0.5  # nothing related is stored yet: original as far as the corpus knows
    unsourced = []
    if not is_original:
        unsourced = [
            {"id": p.id, "seq": p.seq, "start": p.start, "end": p.end, "text": p.text}
            for p in all_passages
            if p.seq not in sourced and len(p.text.split()) >= 5
        ]
    origin_id = chain_ids[-1]
    return {
        "document": refs.get(doc_id) or document_ref(doc),
        "is_original": is_original,
        "confidence": round(confidence, 4),
        "parents": parent_items,
        "chain": [refs[d] for d in chain_ids if d in refs],
        "origin": {
            "document": refs.get(origin_id),
            "confidence": round(confidence if is_original else origin_conf, 4),
        },
        "mutations": [
            {"kind": kind, "this_passage": passages.get((doc_id, t)), "source_passage": passages.get((o, os_)),
             "source_document": refs.get(o), "this_value": tv, "source_value": sv}
            for kind, t, o, os_, tv, sv in mutation_rows
        ],
        "unsourced_passages": unsourced,
    }


class _ChainData:
    """Links and lineage parents of documents, read in bulk (IN lists) and kept for chain walks.

    Walking passage chains one hop at a time with a query per link set and per parent list costs
    dozens of round trips per statement check; this loads each level of the walk for every
    document at once and answers the walks in memory.
    """

    def __init__(self) -> None:
        self.transaction: Any = None
        self.links: dict[int, dict[int, LinkView]] = {}
        self.parents: dict[int, list[list[Any]]] = {}
        self.starts: dict[int, tuple[int, int] | None] = {}
        self.refs: dict[int, dict[str, Any]] = {}
        self.passages: dict[tuple[int, int], dict[str, Any]] = {}

    def load_starts(self, session: Session, passage_ids: Iterable[int]) -> None:
        missing = sorted({p for p in passage_ids if p not in self.starts})
        for pid in missing:
            self.starts[pid] = None
        for chunk in chunks(missing):
            for pid, doc_id, seq in session.execute(
                select(Passage.id, Passage.document_id, Passage.seq).where(Passage.id.in_(chunk))
            ):
                self.starts[pid] = (int(doc_id), int(seq))

    def load_hops(self, session: Session, hops: Sequence[tuple[int, int, str, float]]) -> None:
        """Document references and passages of the hops' ends."""
        docs = {h[0] for h in hops if h[0] not in self.refs}
        if docs:
            self.refs.update(_refs(session, docs))
        keys = {(h[0], h[1]) for h in hops if (h[0], h[1]) not in self.passages}
        if keys:
            self.passages.update(_passages(session, keys))

    def load_links(self, session: Session, doc_ids: Iterable[int]) -> None:
        missing = sorted({d for d in doc_ids if d not in self.links})
        for d in missing:
            self.links[d] = {}
        for chunk in chunks(missing):
            rows = session.execute(
                select(ReuseLink.a_id, ReuseLink.b_id, ReuseLink.direction, ReuseLink.coverage_a,
                       ReuseLink.coverage_b, ReuseLink.strength, ReuseLink.pairs)
                .where(or_(ReuseLink.a_id.in_(chunk), ReuseLink.b_id.in_(chunk)))
            )
            wanted = set(chunk)
            for r in rows:
                if r.a_id in wanted:
                    self.links[r.a_id][r.b_id] = _view(r, from_a=True)
                if r.b_id in wanted:
                    self.links[r.b_id][r.a_id] = _view(r, from_a=False)

    def load_parents(self, session: Session, doc_ids: Iterable[int]) -> None:
        missing = sorted({d for d in doc_ids if d not in self.parents})
        for d in missing:
            self.parents[d] = []
        for chunk in chunks(missing):
            for doc_id, parents in session.execute(
                select(LineageNode.document_id, LineageNode.parents).where(LineageNode.document_id.in_(chunk))
            ):
                self.parents[doc_id] = list(parents or [])

    def load_chains(self, session: Session, doc_ids: Iterable[int]) -> None:
        """Parents of the documents and of every document on their best-parent chains, level by level."""
        frontier = set(doc_ids)
        while frontier:
            self.load_parents(session, frontier)
            frontier = {int(self.parents[d][0][0]) for d in frontier if self.parents[d]}
            frontier -= self.parents.keys()

    def chain(self, doc_id: int) -> list[int]:
        """Same walk as :func:`chain_of` (documents only), over parents :meth:`load_chains` read."""
        chain = [doc_id]
        seen = {doc_id}
        current = doc_id
        while True:
            parents = self.parents[current]
            if not parents or int(parents[0][0]) in seen:
                return chain
            current = int(parents[0][0])
            chain.append(current)
            seen.add(current)

    def upstream(self, doc_id: int) -> list[int]:
        """Same order as :func:`_upstream`, over loaded links and parents."""
        links = self.links[doc_id]
        order = [d for d in self.chain(doc_id)[1:] if d in links]
        parents = [int(p[0]) for p in self.parents[doc_id]]
        order += [p for p in parents if p not in order and p in links]
        rest = sorted((o for o in links if o not in order and links[o].p_other_source > 0.5),
                      key=lambda o: (-links[o].p_other_source * links[o].strength, o))
        return order + rest


@dataclass(slots=True)
class _Walk:
    """One passage's walk up its chain: where it is, documents passed, confidence, hops so far."""

    doc_id: int
    seq: int
    seen: set[int]
    confidence: float = 1.0
    hops: list[tuple[int, int, str, float]] = field(default_factory=list)


_CHAIN_DATA = "provenance.chain_data"


def _chain_data(session: Session) -> _ChainData:
    """The chain data loaded in the session's current transaction, or a new one.

    Data is kept per transaction (another transaction may see other rows) and dropped on any
    flush or write statement of the session, so it never answers from rows the session changed.
    Writes through ``session.connection()`` directly are not seen: call ``_forget_chain_data``.
    """
    transaction = session.get_transaction()
    data = session.info.get(_CHAIN_DATA)
    if not isinstance(data, _ChainData) or transaction is None or data.transaction is not transaction:
        data = _ChainData()
        data.transaction = transaction
        session.info[_CHAIN_DATA] = data
    return data


def _forget_chain_data(session: Session, *_args: Any) -> None:
    session.info.pop(_CHAIN_DATA, None)


def _forget_on_write(state: Any) -> None:
    if not state.is_select:
        _forget_chain_data(state.session)


for _event in ("after_flush", "after_commit", "after_rollback", "after_soft_rollback"):
    event.listen(Session, _event, _forget_chain_data)
event.listen(Session, "do_orm_execute", _forget_on_write)


def passage_chains(session: Session, passage_ids: Iterable[int], max_hops: int = 12) -> dict[int, list[dict[str, Any]]]:
    """:func:`passage_chain` of many passages at once, with a few set-based queries per hop level.

    Unknown passage ids map to an empty chain, as in :func:`passage_chain`.
    """
    ids = sorted(set(passage_ids))
    if not ids:
        return {}
    if session.autoflush:
        session.flush()  # as the first query would: pending changes are written (and chain data dropped) first
    data = _chain_data(session)
    data.load_starts(session, ids)
    starts = {pid: start for pid in ids if (start := data.starts[pid]) is not None}
    walks = {pid: _Walk(doc_id, seq, {doc_id}) for pid, (doc_id, seq) in starts.items()}
    active = set(walks)
    for _ in range(max_hops):
        if not active:
            break
        docs = {walks[pid].doc_id for pid in active}
        data.load_links(session, docs)
        data.load_chains(session, docs)
        for pid in sorted(active):
            walk = walks[pid]
            links = data.links[walk.doc_id]
            step = None
            for other in data.upstream(walk.doc_id):
                if other in walk.seen:
                    continue
                matches = [p for p in links[other].pairs if p[0] == walk.seq]
                if matches:
                    best = max(matches, key=lambda p: p[2])
                    step = (other, best[1], best[3], best[2] * links[other].p_other_source)
                    break
            if step is None:
                active.discard(pid)
                continue
            walk.confidence *= max(0.05, min(1.0, step[3] if step[2] == "paraphrase" else max(step[3], 0.5)))
            walk.hops.append((step[0], step[1], step[2], round(walk.confidence, 4)))
            walk.doc_id, walk.seq = step[0], step[1]
            walk.seen.add(step[0])
    hops_of = {pid: walks[pid].hops if pid in walks else [] for pid in ids}
    data.load_hops(session, [h for hops in hops_of.values() for h in hops])
    if data.transaction is None and session.info.get(_CHAIN_DATA) is data:
        data.transaction = session.get_transaction()  # the one the loads above began

    def copy(value: dict[str, Any] | None) -> dict[str, Any] | None:
        return dict(value) if value is not None else None

    return {
        pid: [
            {"document": copy(data.refs.get(d)), "passage": copy(data.passages.get((d, s))), "relation": rel,
             "confidence": conf}
            for d, s, rel, conf in hops
        ]
        for pid, hops in hops_of.items()
    }


def passage_chain(session: Session, passage_id: int, max_hops: int = 12) -> list[dict[str, Any]]:
    """Aligned passages from ``passage_id`` up to where its text first appeared, one hop per document.

    Each hop is ``{document, passage, relation, confidence}``; an empty list means the passage
    is itself the earliest known occurrence. Links and parents read for one call are kept on the
    session until its next write or transaction end, so the chains of a check's evidence items,
    which share their documents, cost one read of each document's links.
    """
    return passage_chains(session, [passage_id], max_hops).get(passage_id, [])


def statement_origin(items: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """Where the evidence chains of a statement check end, as ``{document, passage, confidence}``.

    ``items`` are evidence items carrying ``document``, ``passage``, ``stance``, a score
    (``confidence`` or ``score``) and ``provenance`` (their chains). Chain ends are voted for by
    the evidence reaching them, weighted by confidence; ends reached by several chains win over
    a passage only one document carries.
    """
    votes: dict[int, float] = defaultdict(float)
    ends: dict[int, dict[str, Any]] = {}
    # The statement came from where its supporting passages came from; contradicting passages
    # lead to the origin only when nothing supports it (a changed fact's source).
    if any(item.get("stance") == "supports" for item in items):
        weights = {"supports": 1.0, "contradicts": 0.15, "mentions": 0.05}
    else:
        weights = {"contradicts": 1.0, "mentions": 0.1}
    for item in items:
        passage = item.get("passage") or {}
        if passage.get("id") is None:
            continue
        chain = item.get("provenance") or []
        end: dict[str, Any] = chain[-1] if chain else {"document": item.get("document"), "passage": passage}
        end_passage = end.get("passage") or {}
        if end_passage.get("id") is None:
            continue
        score = item.get("confidence", item.get("score", 0.5))
        weight = weights.get(str(item.get("stance")), 0.0) * (0.5 + float(score or 0.0))
        if weight <= 0:
            continue
        votes[end_passage["id"]] += weight
        ends.setdefault(end_passage["id"], end)
    if not votes:
        return None
    best = max(votes, key=lambda k: (votes[k], -k))
    end = ends[best]
    total = sum(votes.values())
    return {"document": end.get("document"), "passage": end.get("passage"),
            "confidence": round(votes[best] / total, 4) if total else 0.0}


def graph(session: Session, min_confidence: float = 0.0, include_links: bool = False) -> dict[str, Any]:
    """The derivation graph: every document as a node, every parent link as a weighted edge."""
    nodes = []
    parents_of: dict[int, list[list[Any]]] = {}
    for row in session.execute(select(LineageNode.document_id, LineageNode.parents)):
        parents_of[row.document_id] = list(row.parents or [])
    for row in session.execute(
        select(Document.id, Document.external_id, Document.title, Document.outlet, Document.url,
               Document.published_at).order_by(Document.id)
    ):
        ref = document_ref(row)
        ref["is_original"] = not parents_of.get(row.id)
        nodes.append(ref)
    edges = []
    for child in sorted(parents_of):
        for rank_index, (parent, confidence, rel, _score) in enumerate(parents_of[child]):
            if confidence >= min_confidence:
                edges.append({"source": int(parent), "target": child, "relation": rel,
                              "confidence": confidence, "weight": confidence, "primary": rank_index == 0})
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


def warm_cache(session: Session, limit: int = _CACHE_MAX, batch: int = 500) -> int:
    """Compute the features of the ``limit`` newest stored documents (e.g. at start-up).

    Comparing with a document needs its features; a fresh process computes them on first use,
    which makes the first annotations slow. They are loaded oldest first, so that the newest
    are the most recently used entries of the cache and the last it would evict. Returns how
    many documents were analysed.
    """
    ids = list(session.scalars(select(Document.id).order_by(Document.id.desc()).limit(limit)))[::-1]
    for i in range(0, len(ids), batch):
        _load(session, ids[i : i + batch])
    return len(ids)


# ---------------------------------------------------------------------------------------------
# Page annotation (browser extension): compare an unsaved page with the corpus.


def annotate(session: Session, text: str, *, url: str | None = None, title: str | None = None,
             outlet: str | None = None) -> dict[str, Any]:
    """Each sentence of a page with its best upstream source, relation, confidence and changed facts."""
    text = normalize_text(text)
    spans = [(s.start, s.end) for s in sentence_spans(text)]
    feats, cues = document_features(text, spans), document_cues(text, spans)  # not cached: pages are one-off
    info = DocInfo(id=0, key="", outlet=outlet, title=title, url=url, cues=cues)
    page = Loaded(info=info, text=text, features=feats)
    fps = sorted(set(feats.fingerprints.tolist()))
    terms = _anchor_terms(feats)
    index = _BatchIndex(session, set(fps), set(terms))
    candidates = rank_candidates(fps, terms, index.fp_df, index.term_df, index.fp_holders, index.term_holders)
    loaded = _load(session, candidates)
    frequent = boilerplate_passages(feats, {h for h in fps if index.fp_df(h) >= FREQUENT_DF})
    best: dict[int, tuple[float, int, int, str, list[tuple[str, str, str]], float]] = {}
    for other_id in candidates:
        other = loaded.get(other_id)
        if other is None:
            continue
        ev = compare(page, other, frequent, set())
        if not (ev.is_link() or len(ev.pairs) >= 2):
            continue
        detail = detail_counts(ev, [p.numbers for p in feats.passages],
                               [p.numbers for p in other.features.passages])
        p_other = 1.0 - direction(ev, info, other.info, detail).p_a_source
        for p in ev.pairs:
            score = p.similarity * (0.5 + 0.5 * p_other)
            if p.a_seq not in best or score > best[p.a_seq][0]:
                best[p.a_seq] = (score, other_id, p.b_seq, p.kind,
                                 [(m.kind, m.a_value, m.b_value) for m in p.mutations], p_other)
    refs = _refs(session, {b[1] for b in best.values()})
    passages = _passages(session, [(b[1], b[2]) for b in best.values()])
    sentences = []
    counts: dict[str, int] = defaultdict(int)
    for seq, (start, end) in enumerate(spans):
        hit = best.get(seq)
        if hit is None:
            status = "unsourced"
            item: dict[str, Any] = {"seq": seq, "start": start, "end": end, "text": text[start:end],
                                    "status": status, "source": None, "relation": None, "confidence": 0.0,
                                    "mutations": []}
        else:
            score, other_id, other_seq, kind, muts, _p_other = hit
            status = "changed" if muts else ("copied" if kind != "paraphrase" else "paraphrased")
            item = {
                "seq": seq, "start": start, "end": end, "text": text[start:end], "status": status,
                "source": {"document": refs.get(other_id), "passage": passages.get((other_id, other_seq))},
                "relation": kind, "confidence": round(score, 4),
                "mutations": [{"kind": k, "this_value": tv, "source_value": sv} for k, tv, sv in muts],
            }
        counts[status] += 1
        sentences.append(item)
    return {"sentences": sentences, "summary": dict(counts), "candidates": len(candidates)}
