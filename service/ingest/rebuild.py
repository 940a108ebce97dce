"""Rebuilding what was derived from the stored documents: reuse index, links, lineage, passage vectors."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db import chunks
from service.ingest.statistics import refresh_statistics
from service.ingest.types import METADATA_FIELDS
from service.ingest.workers import analyse_in, collection_per_batch, pool_of
from service.models import Document, Passage
from service.provenance.index_sql import lock_index
from service.provenance.on_delete import forget_all
from service.provenance.on_ingest import NewDocument, index_documents
from service.semantic import store as vectors


def reanalyse(
    session: Session,
    *,
    workers: int = 0,
    batch_size: int = 1000,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Recompute the reuse index, links, lineage and passage vectors of every stored document; commit.

    Derived data is computed when a document arrives, by the code of that day: after an
    upgrade of the detector, or after deletes that brought text back under the boilerplate
    threshold, stored evidence is stale. This clears it and indexes every stored document
    again, oldest first, ``batch_size`` at a time, with their text work in ``workers``
    processes. The stored documents and passages are not touched. Everything happens in one
    transaction: readers see the old graph until the commit, and a failure rolls back and loses
    nothing. ``progress(done, total)`` is called after each batch. Returns the number of documents.
    """
    lock_index(session)  # ingest and deletes wait until the rebuilt graph is committed
    ids = list(session.scalars(select(Document.id).order_by(Document.id)))
    forget_all(session)
    vectors.forget_all(session)
    batches = [ids[i : i + batch_size] for i in range(0, len(ids), batch_size)]
    done = 0
    try:
        with pool_of(workers) as pool, collection_per_batch() as collect:
            ahead = analyse_in(pool, stored_documents(session, batches[0])) if batches else None
            for k in range(len(batches)):
                assert ahead is not None
                analysed = ahead.get()
                if k + 1 < len(batches):  # the next batch is analysed while this one is indexed
                    ahead = analyse_in(pool, stored_documents(session, batches[k + 1]))
                documents = [document for document, _ in analysed]
                index_documents(session, documents)
                vectors.add_documents(session, [vectors.DocumentPassages(d.id, d.text, d.spans, v)
                                                for d, v in analysed])
                collect()
                done += len(documents)
                if progress is not None:
                    progress(done, len(ids))
        session.commit()
        session.expire_all()  # rows were replaced behind the ORM's back (new links may reuse old ids)
        refresh_statistics(session)  # every index row was replaced: dead rows, new statistics (PostgreSQL)
    except BaseException:
        session.rollback()
        raise
    return len(ids)


def stored_documents(session: Session, ids: Sequence[int]) -> list[NewDocument]:
    """Stored documents as the reuse index takes them, with their passage spans."""
    documents: dict[int, NewDocument] = {}
    for chunk in chunks(list(ids)):
        for row in session.execute(
            select(Document.id, Document.text, Document.content_hash,
                   *(getattr(Document, key) for key in METADATA_FIELDS)).where(Document.id.in_(chunk))
        ):
            metadata = {key: getattr(row, key) for key in METADATA_FIELDS if getattr(row, key) is not None}
            documents[row.id] = NewDocument(id=row.id, text=row.text, content_hash=row.content_hash, spans=[],
                                            metadata=metadata)
        for doc_id, start, end in session.execute(
            select(Passage.document_id, Passage.start, Passage.end)
            .where(Passage.document_id.in_(chunk)).order_by(Passage.document_id, Passage.seq)
        ):
            documents[doc_id].spans.append((start, end))
    return [documents[doc_id] for doc_id in ids if doc_id in documents]
