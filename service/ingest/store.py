"""Storing prepared documents: one transaction per batch, duplicates resolved, reuse index updated."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service.db import chunks
from service.ingest.types import IngestResult, PreparedDocument, conflict
from service.models import Document, Passage
from service.provenance.index_sql import insert_rows, lock_index
from service.provenance.on_delete import forget_document
from service.provenance.on_ingest import NewDocument, index_documents
from service.semantic.store import DocumentPassages, add_documents, note_removal


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
    # Writers take turns from here to the commit: duplicates are then found against everything
    # stored before, and the reuse index is read as the previous writer left it. Text work was
    # done before (in parallel, in as many processes as there are).
    lock_index(session)
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
                result.error = conflict(str(external_id))
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
    insert_rows(
        session, Passage.__table__,  # type: ignore[arg-type]
        [{"document_id": doc_id, "seq": i, "start": start, "end": end, "text": p.text[start:end]}
         for (_, p), doc_id in zip(new, ids, strict=True) for i, (start, end) in enumerate(p.spans)],
    )
    index_documents(session, [
        NewDocument(id=doc_id, text=p.text, content_hash=p.content_hash, spans=p.spans, metadata=p.metadata,
                    analysis=p.analysis)
        for (_, p), doc_id in zip(new, ids, strict=True)
    ])
    # Last: it takes the vector change counter's row lock, held until the commit.
    add_documents(session, [DocumentPassages(doc_id, p.text, p.spans, p.vectors)
                            for (_, p), doc_id in zip(new, ids, strict=True)])
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


def delete_document(session: Session, document: Document) -> None:
    """Delete a document with its passages after the reuse index forgets it; commits.

    Its passage vectors go with the passages (``ON DELETE CASCADE``); the vector change counter
    is moved after the delete, so that its row lock is the last one taken.
    """
    forget_document(session, document.id)
    session.delete(document)
    session.flush()
    note_removal(session)
    session.commit()
