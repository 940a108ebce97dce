"""Text work of a bulk ingest in worker processes, and the memory discipline of a long ingest.

Preparing text (extraction, normalisation, segmentation, reuse features, passage vectors) is pure and costs
more than storing it, so a bulk ingest runs it in a process pool ahead of the storing process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from functools import partial
from typing import Any

from service.core.semantic.embed import Int8Matrix
from service.ingest.prepare import prepare
from service.ingest.types import IngestError, PreparedDocument
from service.provenance.on_ingest import NewDocument, analyse_ahead
from service.semantic.store import embed_ahead

# Documents prepared ahead of storing, per window (two windows at most are held).
AHEAD = 2000


def default_workers() -> int:
    """Worker processes for a bulk ingest: all CPUs but one, which the storing process keeps busy."""
    return max(1, (os.cpu_count() or 1) - 1)


def prepared(items: list[Mapping[str, Any]], config: Mapping[str, Any],
             workers: int) -> Iterator[PreparedDocument | IngestError]:
    """Prepared documents (or their errors) in input order, computed by ``workers`` processes if any."""
    # Workers get the plain settings (limits, fetch options), not objects an app may keep there.
    plain = {k: v for k, v in config.items() if isinstance(v, str | int | float | bool | None)}
    job = partial(_prepare_one, config=plain)
    if workers < 1 or len(items) < 2:
        yield from map(job, items)
        return
    with pool_of(workers) as pool:
        # Windows of AHEAD documents, the next one queued while this one is consumed: the
        # workers stay ahead of storing, but at most two windows of prepared documents (features
        # and vectors, ~100 KB each) are held, whatever the size of the ingest. ``imap`` alone
        # would queue every result as the faster workers made it: 2.8 GB at 11,000 documents of
        # a 100,000-document run.
        windows = [items[i : i + AHEAD] for i in range(0, len(items), AHEAD)]
        upcoming = pool.imap(job, windows[0], chunksize=8)
        for k in range(len(windows)):
            current = upcoming
            if k + 1 < len(windows):
                upcoming = pool.imap(job, windows[k + 1], chunksize=8)
            yield from current


def _prepare_one(payload: Mapping[str, Any], config: Mapping[str, Any]) -> PreparedDocument | IngestError:
    try:
        document = prepare(payload, config)
    except IngestError as exc:
        return exc
    document.analysis = analyse_ahead(document.text, document.spans)
    document.vectors = embed_ahead(document.text, document.spans)
    return document


Analysed = tuple[NewDocument, Int8Matrix | None]


class _Done:
    """The result of work done here, with the interface of ``multiprocessing.pool.AsyncResult.get``."""

    def __init__(self, value: list[Analysed]) -> None:
        self.value = value

    def get(self) -> list[Analysed]:
        return self.value


def analyse_in(pool: Any, documents: list[NewDocument]) -> Any:
    """Compute the reuse features and passage vectors of stored documents, in the pool (ahead,
    asynchronously) or here.

    Returns an object whose ``get()`` gives ``(document with its analysis, its vectors)`` pairs.
    """
    if pool is None:
        return _Done([_analysed(d) for d in documents])
    return pool.map_async(_analysed, documents, chunksize=8)


def _analysed(document: NewDocument) -> Analysed:
    document.analysis = analyse_ahead(document.text, document.spans)
    return document, embed_ahead(document.text, document.spans)


@contextmanager
def pool_of(workers: int) -> Iterator[Any]:
    """A pool of ``workers`` processes, or None for none.

    Forked where possible (fast start, the parent's imports shared). Forked workers inherit a
    collector paused by ``collection_per_batch``; theirs runs as usual.
    """
    if workers < 1:
        yield None
        return
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    with context.Pool(workers, initializer=gc.enable) as pool:
        yield pool


@contextmanager
def collection_per_batch() -> Iterator[Callable[[], None]]:
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
