"""Single and bulk ingest: validated payloads in, per-item results out, in input order.

Data flows one way: a payload is prepared (``prepare``: clean text and passages, in worker
processes for a bulk ingest), then stored in batches (``store``), each batch updating the
reuse index and lineage in its own transaction. Re-posting the same ``external_id`` with the
same text, or the same text without an ``external_id``, returns the stored document; the same
``external_id`` with other text is a conflict.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from sqlalchemy.orm import Session

from service.ingest.prepare import prepare
from service.ingest.statistics import refresh_statistics
from service.ingest.store import store_batch
from service.ingest.types import IngestError, IngestResult, PreparedDocument
from service.ingest.workers import collection_per_batch, prepared
from service.metrics import track_ingest
from service.models import Document


def ingest_document(session: Session, payload: Mapping[str, Any], config: Mapping[str, Any]) -> tuple[Document, bool]:
    """Store one article and commit; return ``(document, created)``.

    Safe under concurrency: if another worker stores the same document between our lookup and
    our insert, the unique constraint fails, and the stored document is returned instead.
    """
    with track_ingest():
        document = prepare(payload, config)
        (result,) = store_batch(session, [(0, document)])
    refresh_statistics(session)
    if result.error is not None:
        raise result.error
    stored = session.get(Document, result.document_id)
    assert stored is not None
    return stored, result.created


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

    Text work (extraction, normalisation, segmentation and the reuse features) runs in
    ``workers`` processes, ahead of storing (``0``: here, in turn); storing runs here,
    ``batch_size`` documents per transaction (the first ones smaller with workers, see
    ``batch_sizes``), so that index look-ups and writes are a few statements per batch instead
    of a few per document. A batch is committed before the next starts: an error later on loses
    nothing stored before it; after it, tables it changed a lot are analysed on PostgreSQL
    (``statistics``). ``progress`` is called with the number of payloads finished after
    each batch.
    """
    items = list(payloads)
    results: list[IngestResult] = []
    pending: list[tuple[int, PreparedDocument]] = []

    def flush(collect: Callable[[], None]) -> None:
        with track_ingest(len(pending)):
            results.extend(store_batch(session, pending))
        pending.clear()
        refresh_statistics(session)  # the next batch's look-ups, and the queries after, plan on them
        collect()
        if progress is not None:
            progress(len(results))

    sizes = batch_sizes(batch_size, workers)
    limit = next(sizes)
    with collection_per_batch() as collect:
        for index, outcome in enumerate(prepared(items, config, workers)):
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


def batch_sizes(batch_size: int, workers: int) -> Iterator[int]:
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
