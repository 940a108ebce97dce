"""Ingesting articles: source -> clean text -> passages -> store, idempotently.

Data flows one way: a validated payload is turned into normalised text (extracting it from
HTML or a fetched page first), cut into sentence passages, and stored. Re-posting the same
``external_id`` with the same text, or the same text without an ``external_id``, returns the
stored document; the same ``external_id`` with other text is a conflict.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.core.text.html import extract_article
from service.core.text.normalize import normalize_text
from service.core.text.segment import sentence_spans
from service.db import chunks
from service.fetch import FetchError, fetch_page
from service.models import Document, Passage
from service.ops import track_ingest

METADATA_FIELDS = ("external_id", "title", "outlet", "url", "published_at", "language", "author")


class IngestError(Exception):
    """An article that cannot be stored; carries the HTTP status and per-field messages."""

    def __init__(self, status: int, detail: str, errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or {}


@dataclass(slots=True)
class PreparedDocument:
    """An article ready to store: metadata, normalised text, its hash and passage spans."""

    metadata: dict[str, Any]
    text: str
    content_hash: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    # What features computed ahead from the text alone (see ``PREPARE``), by feature name.
    analysis: dict[str, Any] = field(default_factory=dict)


def content_hash(text: str) -> str:
    """SHA-256 of the normalised text: equal texts are the same document."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def prepare(payload: Mapping[str, Any], config: Mapping[str, Any]) -> PreparedDocument:
    """Turn a validated payload into normalised text and passages (fetching and extracting if needed)."""
    metadata = {key: payload.get(key) for key in METADATA_FIELDS if payload.get(key) is not None}
    if payload.get("text") is not None:
        raw = str(payload["text"])
        source_field = "text"
    else:
        source_field = "html" if payload.get("html") is not None else "fetch_url"
        if source_field == "html":
            html, page_url = str(payload["html"]), metadata.get("url")
        else:
            try:
                page = fetch_page(str(payload["fetch_url"]), config)
            except FetchError as exc:
                raise IngestError(exc.status, exc.detail, {exc.field: [exc.detail]}) from exc
            html, page_url = page.body, page.url
            metadata.setdefault("url", page.url)
            if page.content_type == "text/plain":
                html = ""
                raw = page.body
        if html:
            article = extract_article(html, url=page_url)
            raw = article.text
            for key in ("title", "author", "outlet", "published_at", "language", "url"):
                value = getattr(article, key)
                if value is not None and metadata.get(key) is None:
                    metadata[key] = value
    text = normalize_text(raw)
    if not text:
        raise IngestError(422, "The document has no article text.", {source_field: ["No article text found."]})
    max_chars = int(config.get("MAX_DOCUMENT_CHARS", 2_000_000))
    if len(text) > max_chars:
        raise IngestError(
            413,
            f"The article text is longer than {max_chars} characters.",
            {source_field: [f"Longer than {max_chars} characters."]},
        )
    spans = [(s.start, s.end) for s in sentence_spans(text)]
    if not spans:
        raise IngestError(422, "The document has no sentences with words.", {source_field: ["No sentences found."]})
    if isinstance(metadata.get("published_at"), datetime) is False:
        metadata.pop("published_at", None)
    return PreparedDocument(metadata=metadata, text=text, content_hash=content_hash(text), spans=spans)


@dataclass(slots=True)
class StoredDocument:
    """A document just inserted, as feature hooks see it (no ORM object: inserts are bulk)."""

    id: int
    text: str
    content_hash: str
    spans: list[tuple[int, int]]
    metadata: dict[str, Any]
    analysis: dict[str, Any]


@dataclass(slots=True)
class IngestResult:
    """What became of one payload of a bulk ingest: a document id, or the error it failed with."""

    index: int
    document_id: int | None = None
    created: bool = False
    error: IngestError | None = None


def find_existing(session: Session, prepared: PreparedDocument) -> Document | None:
    """The stored document this one duplicates, or None; raise 409 on an external_id with other text."""
    external_id = prepared.metadata.get("external_id")
    if external_id is not None:
        existing = session.scalars(select(Document).where(Document.external_id == external_id)).first()
        if existing is None:
            return None
        if existing.content_hash != prepared.content_hash:
            raise _conflict(external_id)
        return existing
    return session.scalars(
        select(Document)
        .where(Document.content_hash == prepared.content_hash)
        .order_by(Document.external_id.is_not(None), Document.id)
    ).first()


def _conflict(external_id: str) -> IngestError:
    return IngestError(
        409,
        f"A document with external_id {external_id!r} already exists with different content.",
        {"external_id": ["Already used for a document with different content."]},
    )


def ingest_document(session: Session, payload: Mapping[str, Any], config: Mapping[str, Any]) -> tuple[Document, bool]:
    """Store one article and commit; return ``(document, created)``.

    Safe under concurrency: if another worker stores the same document between our lookup and
    our insert, the unique constraint fails, and the stored document is returned instead.
    """
    with track_ingest():
        prepared = prepare(payload, config)
        (result,) = store_batch(session, [(0, prepared)])
    if result.error is not None:
        raise result.error
    document = session.get(Document, result.document_id)
    assert document is not None
    return document, result.created


def ingest_many(
    session: Session,
    payloads: Iterable[Mapping[str, Any]],
    config: Mapping[str, Any],
    *,
    workers: int = 0,
    batch_size: int = 1000,
    progress: Callable[[int], None] | None = None,
) -> list[IngestResult]:
    """Ingest many validated payloads; each succeeds or fails on its own, in input order.

    Text work (extraction, normalisation, segmentation and what features compute ahead in
    ``PREPARE``) runs in ``workers`` processes, ahead of storing (``0``: here, in turn); storing
    runs here, ``batch_size`` documents per transaction (the first ones smaller with workers, see
    ``_batch_sizes``), so that index look-ups and writes are a few statements per batch instead
    of a few per document. A batch is committed before the next starts: an error later on loses
    nothing stored before it. ``progress`` is called with the number of payloads finished after
    each batch.
    """
    items = list(payloads)
    results: list[IngestResult] = []
    pending: list[tuple[int, PreparedDocument]] = []

    def flush(collect: Callable[[], None]) -> None:
        with track_ingest(len(pending)):
            results.extend(store_batch(session, pending))
        pending.clear()
        collect()
        if progress is not None:
            progress(len(results))

    sizes = _batch_sizes(batch_size, workers)
    limit = next(sizes)
    with _collection_per_batch() as collect:
        for index, outcome in enumerate(_prepared(items, config, workers)):
            if isinstance(outcome, IngestError):
                results.append(IngestResult(index, error=outcome))
                continue
            pending.append((index, outcome))
            if len(pending) >= limit:
                flush(collect)
                limit = next(sizes)
        if pending:
            flush(collect)
    results.sort(key=lambda r: r.index)
    return results


def _batch_sizes(batch_size: int, workers: int) -> Iterator[int]:
    """Batch sizes of a bulk ingest: ``batch_size`` throughout, or with workers a ramp up to it.

    With workers preparing text ahead, a first batch of full size would leave this process idle
    until the workers had prepared all of it (about 2 s for 1,000 articles). Starting at a
    sixteenth and doubling lets storing start at once; storing a batch takes longer than the
    workers need to prepare one twice its size, so no later batch waits either.
    """
    size = max(1, batch_size // 16) if workers >= 1 else batch_size
    while True:
        yield min(size, batch_size)
        size *= 2


@contextmanager
def _collection_per_batch() -> Iterator[Callable[[], None]]:
    """Run Python's cyclic garbage collector once per stored batch, over that batch's objects only.

    Why: a bulk ingest builds a large long-lived heap (the feature and alignment caches of
    thousands of documents), and every automatic full collection walks all of it: at 10,000
    documents that was over a quarter of the storing process's time, for almost no garbage
    (nearly everything here is freed by reference counting). So the collector is paused while
    a batch is stored; after it, one collection frees the batch's cyclic garbage and what
    survived is frozen (``gc.freeze``), so the next collection walks only newer objects. At the
    end the collector is restored as it was, and everything is unfrozen -- unless objects were
    frozen already (a server worker sharing its master's warmed cache, see
    ``docker/gunicorn.conf.py``): unfreezing those would let the next collection copy them.
    """
    was_enabled = gc.isenabled()
    was_frozen = gc.get_freeze_count() > 0
    gc.disable()

    def collect() -> None:
        gc.collect()
        gc.freeze()

    try:
        yield collect
    finally:
        if not was_frozen:
            gc.unfreeze()
        if was_enabled:
            gc.enable()


def default_workers() -> int:
    """Worker processes for a bulk ingest: all CPUs but one, which the storing process keeps busy."""
    return max(1, (os.cpu_count() or 1) - 1)


def _prepared(items: list[Mapping[str, Any]], config: Mapping[str, Any],
              workers: int) -> Iterator[PreparedDocument | IngestError]:
    """Prepared documents (or their errors) in input order, computed by ``workers`` processes if any."""
    # Workers get the plain settings (limits, fetch options), not objects an app may keep there.
    plain = {k: v for k, v in config.items() if isinstance(v, str | int | float | bool | None)}
    job = partial(_prepare_one, config=plain)
    if workers < 1 or len(items) < 2:
        yield from map(job, items)
        return
    with _pool(workers) as pool:
        yield from pool.imap(job, items, chunksize=8)


def _prepare_one(payload: Mapping[str, Any], config: Mapping[str, Any]) -> PreparedDocument | IngestError:
    try:
        prepared = prepare(payload, config)
    except IngestError as exc:
        return exc
    for hook in PREPARE:
        hook(prepared)
    return prepared


def store_batch(session: Session, batch: Sequence[tuple[int, PreparedDocument]]) -> list[IngestResult]:
    """Store prepared documents in one transaction, skipping duplicates, then commit.

    Duplicates are found for the whole batch at once, in the database and within the batch:
    the same ``external_id`` with the same text, or the same text without an ``external_id``,
    is the stored document; the same ``external_id`` with other text is a 409. If a concurrent
    writer stores one of these documents first, the batch is rolled back and stored again one
    document at a time, so each duplicate resolves to the winner's row.
    """
    if not batch:
        return []
    try:
        results = _store(session, batch)
        session.commit()
    except IntegrityError:
        session.rollback()
        if len(batch) == 1:
            results = _store(session, batch)  # the winner is stored now: this finds it
            session.commit()
            return results
        return [r for item in batch for r in store_batch(session, [item])]
    return results


def _store(session: Session, batch: Sequence[tuple[int, PreparedDocument]]) -> list[IngestResult]:
    by_external, by_hash = _existing(session, [p for _, p in batch])
    results: list[IngestResult] = []
    new: list[tuple[IngestResult, PreparedDocument]] = []
    for index, prepared in batch:
        external_id = prepared.metadata.get("external_id")
        known = by_external.get(external_id) if external_id is not None else by_hash.get(prepared.content_hash)
        result = IngestResult(index)
        results.append(result)
        if known is not None:
            known_id, known_hash = known
            if known_hash != prepared.content_hash:
                result.error = _conflict(str(external_id))
            else:
                result.document_id = known_id
            continue
        result.created = True
        new.append((result, prepared))
        # A later payload of this batch with the same key is this document.
        marker = (-len(new), prepared.content_hash)
        if external_id is not None:
            by_external[external_id] = marker
        by_hash.setdefault(prepared.content_hash, marker)
    if not new:
        return results
    ids = list(session.scalars(
        insert(Document).returning(Document.id, sort_by_parameter_order=True),
        [{**p.metadata, "text": p.text, "content_hash": p.content_hash, "passage_count": len(p.spans)}
         for _, p in new],
    ))
    for (result, _), doc_id in zip(new, ids, strict=True):
        result.document_id = doc_id
    for result in results:
        if result.document_id is not None and result.document_id < 0:
            result.document_id = ids[-result.document_id - 1]
    session.execute(
        insert(Passage.__table__),  # type: ignore[arg-type]
        [{"document_id": doc_id, "seq": i, "start": start, "end": end, "text": p.text[start:end]}
         for (_, p), doc_id in zip(new, ids, strict=True) for i, (start, end) in enumerate(p.spans)],
    )
    stored = [StoredDocument(id=doc_id, text=p.text, content_hash=p.content_hash, spans=p.spans,
                             metadata=p.metadata, analysis=p.analysis)
              for (_, p), doc_id in zip(new, ids, strict=True)]
    for hook in AFTER_STORE:
        hook(session, stored)
    return results


def _existing(session: Session, prepared: list[PreparedDocument]
              ) -> tuple[dict[Any, tuple[int, str]], dict[str, tuple[int, str]]]:
    """Stored documents by external_id and by content hash (an anonymous copy preferred), for a batch."""
    external_ids = sorted({p.metadata["external_id"] for p in prepared if p.metadata.get("external_id") is not None})
    hashes = sorted({p.content_hash for p in prepared if p.metadata.get("external_id") is None})
    by_external: dict[Any, tuple[int, str]] = {}
    by_hash: dict[str, tuple[int, str]] = {}
    for chunk in chunks(external_ids):
        for doc_id, external_id, digest in session.execute(
            select(Document.id, Document.external_id, Document.content_hash).where(Document.external_id.in_(chunk))
        ):
            by_external[external_id] = (doc_id, digest)
    for chunk in chunks(hashes):
        for doc_id, digest in session.execute(
            select(Document.id, Document.content_hash)
            .where(Document.content_hash.in_(chunk))
            .order_by(Document.external_id.is_not(None), Document.id)
        ):
            by_hash.setdefault(digest, (doc_id, digest))
    return by_external, by_hash


def reanalyse(
    session: Session,
    *,
    workers: int = 0,
    batch_size: int = 1000,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recompute what features derive from the stored documents (reuse index, links, lineage); commit.

    Derived data is computed when a document arrives, by the code of that day: after an
    upgrade of the detector, or after deletes that brought text back under the boilerplate
    threshold, stored evidence is stale. This clears it (``RESET`` hooks) and runs the
    features over every stored document again, oldest first, ``batch_size`` at a time, with
    their text work in ``workers`` processes. The stored documents and passages are not
    touched. Everything happens in one transaction: readers see the old graph until the commit,
    and a failure rolls back and loses nothing. ``progress(done, total)`` is called after each
    batch. Returns the number of documents.
    """
    ids = list(session.scalars(select(Document.id).order_by(Document.id)))
    for reset in RESET:
        reset(session)
    batches = [ids[i : i + batch_size] for i in range(0, len(ids), batch_size)]
    done = 0
    try:
        with _pool(workers) as pool, _collection_per_batch() as collect:
            ahead = _submit(pool, _stored_batch(session, batches[0])) if batches else None
            for k in range(len(batches)):
                assert ahead is not None
                documents = ahead.get()
                if k + 1 < len(batches):  # the next batch is analysed while this one is indexed
                    ahead = _submit(pool, _stored_batch(session, batches[k + 1]))
                for hook in AFTER_STORE:
                    hook(session, documents)
                collect()
                done += len(documents)
                if progress is not None:
                    progress(done, len(ids))
        session.commit()
        session.expire_all()  # rows were replaced behind the ORM's back (new links may reuse old ids)
    except BaseException:
        session.rollback()
        raise
    return len(ids)


def _stored_batch(session: Session, ids: Sequence[int]) -> list[StoredDocument]:
    """Stored documents as feature hooks see them, with their passage spans."""
    documents: dict[int, StoredDocument] = {}
    for chunk in chunks(list(ids)):
        for row in session.execute(
            select(Document.id, Document.text, Document.content_hash,
                   *(getattr(Document, key) for key in METADATA_FIELDS)).where(Document.id.in_(chunk))
        ):
            metadata = {key: getattr(row, key) for key in METADATA_FIELDS if getattr(row, key) is not None}
            documents[row.id] = StoredDocument(id=row.id, text=row.text, content_hash=row.content_hash, spans=[],
                                               metadata=metadata, analysis={})
        for doc_id, start, end in session.execute(
            select(Passage.document_id, Passage.start, Passage.end)
            .where(Passage.document_id.in_(chunk)).order_by(Passage.document_id, Passage.seq)
        ):
            documents[doc_id].spans.append((start, end))
    return [documents[doc_id] for doc_id in ids if doc_id in documents]


class _Done:
    """The result of work done here, with the interface of ``multiprocessing.pool.AsyncResult.get``."""

    def __init__(self, value: list[StoredDocument]) -> None:
        self.value = value

    def get(self) -> list[StoredDocument]:
        return self.value


def _submit(pool: Any, documents: list[StoredDocument]) -> Any:
    """Run the ``PREPARE`` hooks on stored documents, in the pool (ahead, asynchronously) or here."""
    if pool is None:
        return _Done([_analysed(d) for d in documents])
    return pool.map_async(_analysed, documents, chunksize=8)


def _analysed(document: StoredDocument) -> StoredDocument:
    prepared = PreparedDocument(metadata=document.metadata, text=document.text,
                                content_hash=document.content_hash, spans=document.spans)
    for hook in PREPARE:
        hook(prepared)
    document.analysis = prepared.analysis
    return document


@contextmanager
def _pool(workers: int) -> Iterator[Any]:
    """A pool of ``workers`` processes, or None for none.

    Forked where possible (fast start, the parent's imports shared). Forked workers inherit a
    collector paused by ``_collection_per_batch``; theirs runs as usual.
    """
    if workers < 1:
        yield None
        return
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    with context.Pool(workers, initializer=gc.enable) as pool:
        yield pool


def delete_document(session: Session, document: Document) -> None:
    """Delete a document with its passages and let features forget it; commits."""
    document_id = document.id
    for hook in BEFORE_DELETE:
        hook(session, document_id)
    session.delete(document)
    session.commit()


# Feature hooks. ``PREPARE`` runs on each prepared document, possibly in a worker process (pure
# text work: it may fill ``prepared.analysis``); ``AFTER_STORE`` and ``BEFORE_DELETE`` run inside
# the ingest/delete transaction. Features register themselves here explicitly, below.
PREPARE: list[Callable[[PreparedDocument], None]] = []
AFTER_STORE: list[Callable[[Session, list[StoredDocument]], None]] = []
BEFORE_DELETE: list[Callable[[Session, int], None]] = []
# ``RESET`` runs before ``reanalyse``: a feature drops everything it derived from the documents.
RESET: list[Callable[[Session], None]] = []

from service import provenance as _provenance  # noqa: E402  (reuse detection and lineage)

PREPARE.append(_provenance.on_document_prepared)
AFTER_STORE.append(_provenance.on_documents_ingested)
BEFORE_DELETE.append(_provenance.on_document_deleted)
RESET.append(_provenance.on_reset)
