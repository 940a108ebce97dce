"""Application metrics: counters and histograms that domain code records.

Domain modules (ingest, checking) import this module only -- never ``service.ops``, which
wires Flask, the rate limiter and the exposition endpoint. Under gunicorn the metrics live in
``PROMETHEUS_MULTIPROC_DIR`` (set by docker/gunicorn.conf.py) and ``/metrics`` aggregates every
worker; in a single process they come from the app's registry (``service.ops``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import Gauge, Histogram

# Buckets for work that takes milliseconds (a check) to tens of seconds (a long article).
DURATION_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0)

# In multiprocess mode every metric below writes to a file in this directory as soon as it is
# created; a CLI process that inherited the variable must not fail to import for want of it.
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

INGEST_DURATION = Histogram(
    "provenance_ingest_duration_seconds",
    "Time to ingest one document (normalise, segment, store, run ingest hooks).",
    buckets=DURATION_BUCKETS,
    registry=None,
)
CHECK_DURATION = Histogram(
    "provenance_check_duration_seconds",
    "Time to check one statement against the corpus.",
    buckets=DURATION_BUCKETS,
    registry=None,
)
# Refreshed from the database on every scrape, so the most recent value is the true one.
CORPUS_DOCUMENTS = Gauge(
    "provenance_corpus_documents", "Documents in the corpus.", registry=None, multiprocess_mode="mostrecent"
)
CORPUS_PASSAGES = Gauge(
    "provenance_corpus_passages", "Passages in the corpus.", registry=None, multiprocess_mode="mostrecent"
)
APP_METRICS = (INGEST_DURATION, CHECK_DURATION, CORPUS_DOCUMENTS, CORPUS_PASSAGES)


@contextmanager
def track_ingest(documents: int = 1) -> Iterator[None]:
    """Time the enclosed block as the ingest of ``documents`` documents (each gets an equal share)."""
    start = time.perf_counter()
    yield
    if documents > 0:
        share = (time.perf_counter() - start) / documents
        for _ in range(documents):
            INGEST_DURATION.observe(share)


@contextmanager
def track_check() -> Iterator[None]:
    """Time the enclosed block as one statement check."""
    with CHECK_DURATION.time():
        yield
