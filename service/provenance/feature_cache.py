"""Bounded, thread-safe caches of per-document comparison work.

A document's fingerprints and direction cues depend on its text alone, so they are computed
once per content hash and kept; so are the matched passages of a pair of texts, which a link
re-judged later (when its text turns boilerplate) reuses. Both caches are LRU-bounded, so a
worker's memory does not grow with the corpus, and locked, because ``provenance serve`` runs
threaded and gunicorn may too: a look-up returns the entry itself (never "check, then read",
which another thread's eviction could break).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

import numpy as np

from service.core.lineage.direction import DirectionCue, document_cues
from service.core.reuse.fingerprint import DocumentFeatures, document_features, share_passages

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

def _capacity(name: str, default: int) -> int:
    """A cache size from the environment (``PROVENANCE_FEATURE_CACHE`` ...), else ``default``."""
    value = os.environ.get(name, "").strip()
    return max(1, int(value)) if value.isdigit() else default


# Documents whose features are kept: the most recently used 5,000, so that a worker's cache stays
# bounded whatever the corpus size. A generated news article takes about 54 KB alone, 32 KB on
# average when copies are cached too (a copy shares its source's per-sentence sets: 1,000 documents
# of a generated corpus, tracemalloc), so the cache is about 160-270 MB when full.
# New documents are compared mostly with recent ones (their story's), which stay cached; an
# evicted candidate is analysed again from its stored text (about 1 ms). Raise it with
# ``PROVENANCE_FEATURE_CACHE`` where memory allows (30,000 was the default before: 1.8 GB).
FEATURES_MAX = _capacity("PROVENANCE_FEATURE_CACHE", 5_000)
# ... and at most this many MB of them (``PROVENANCE_FEATURE_CACHE_MB``), by an estimate of each
# entry's size: the bound that keeps a worker's memory in budget whatever its documents' length.
# 128 MB hold about 2,800 articles of the generated corpus (1,700 characters).
FEATURES_MB = _capacity("PROVENANCE_FEATURE_CACHE_MB", 128)
# Bytes an analysis holds per character of its text, the text included (tracemalloc: 600
# documents of the generated 10,000-document corpus, seed 11: 26-27; a copy sharing sentences
# with cached documents holds less, so the estimate errs on the safe side).
BYTES_PER_CHAR = 28
# Matched passages by pair of texts.
MATCHES_MAX = _capacity("PROVENANCE_MATCH_CACHE", 20_000)


class LockedLRU(Generic[K, V]):
    """A least-recently-used mapping of at most ``capacity`` entries, safe to share between threads.

    With ``max_bytes`` and ``size`` (an entry's estimated bytes), also at most ``max_bytes`` of
    entries by that estimate (the newest entry is kept even if it alone is larger).
    """

    def __init__(self, capacity: int, max_bytes: int | None = None, size: Callable[[V], int] | None = None,
                 on_evict: Callable[[K, V], None] | None = None) -> None:
        self.capacity = capacity
        self.max_bytes = max_bytes
        self._size = size
        self._on_evict = on_evict  # called with each evicted entry (under the lock: keep it short)
        self._bytes = 0
        self._data: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    @property
    def nbytes(self) -> int:
        """The estimated bytes held (0 without a ``size`` function)."""
        return self._bytes

    def _added(self, key: K, value: V, old: V | None) -> None:
        """Account for ``value`` stored at ``key`` (replacing ``old``) and evict down to the bounds."""
        if self._size is not None:
            self._bytes += self._size(value) - (self._size(old) if old is not None else 0)
        while len(self._data) > self.capacity or (
            self.max_bytes is not None and self._bytes > self.max_bytes and len(self._data) > 1
        ):
            evicted_key, evicted = self._data.popitem(last=False)
            if self._size is not None:
                self._bytes -= self._size(evicted)
            if self._on_evict is not None:
                self._on_evict(evicted_key, evicted)

    def get(self, key: K) -> V | None:
        """The entry for ``key`` (now the most recently used), or None."""
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> None:
        """Store ``value``, evicting the least recently used entry when full."""
        with self._lock:
            old = self._data.get(key)
            self._data[key] = value
            self._data.move_to_end(key)
            self._added(key, value, old)

    def setdefault(self, key: K, value: V) -> V:
        """The stored entry for ``key``, or ``value`` stored now (first writer wins)."""
        with self._lock:
            stored = self._data.get(key)
            if stored is not None:
                self._data.move_to_end(key)
                return stored
            self._data[key] = value
            self._added(key, value, None)
            return value

    def keys(self) -> list[K]:
        """The keys, least recently used first (a snapshot)."""
        with self._lock:
            return list(self._data)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._data

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self._bytes = 0


@dataclass(slots=True)
class Analysis:
    """What comparing with a document needs from its text: features, direction cues, the text.

    The cues may be left to be computed on first use (``found_cues`` None): re-judging links
    loads documents out of the cache for their features and needs cues only for the few links
    that change (a third of an analysis's cost). Computing them twice (two threads) gives the same.
    """

    features: DocumentFeatures
    found_cues: list[DirectionCue] | None
    text: str

    @property
    def cues(self) -> list[DirectionCue]:
        if self.found_cues is None:
            self.found_cues = document_cues(self.text, [(p.start, p.end) for p in self.features.passages])
        return self.found_cues


def analysis_bytes(analysis: Analysis) -> int:
    """An analysis's estimated size: ``BYTES_PER_CHAR`` per character of its text."""
    return BYTES_PER_CHAR * len(analysis.text)


# What re-judging links needs of a document out of the feature cache: its fingerprints per passage
# (``PassagePrints``, about 1.5 KB for a generated article: tracemalloc, 300 documents), kept for
# the most recent 20,000 documents the feature cache evicted (about 30 MB when full), so that a
# document's text is not read and tokenized again for it (``documents.passage_fingerprints``).
PRINTS_MAX = _capacity("PROVENANCE_PASSAGE_PRINTS_CACHE", 20_000)


@dataclass(frozen=True, slots=True)
class PassagePrints:
    """A document's fingerprints (sorted) and, per passage, the positions among them of those
    inside it (``shingles & fingerprints``): compact, a few numpy arrays."""

    fingerprints: np.ndarray  # int64
    offsets: np.ndarray  # int32, passage ``s``'s members are ``members[offsets[s]:offsets[s + 1]]``
    members: np.ndarray  # int32 positions in ``fingerprints``

    @classmethod
    def of(cls, features: DocumentFeatures) -> PassagePrints:
        """From a document's features."""
        fps = set(features.fingerprints.tolist())
        return cls.from_sets(fps, [p.shingles.intersection(fps) for p in features.passages])

    @classmethod
    def from_sets(cls, fps: Iterable[int], inside: Sequence[Iterable[int]]) -> PassagePrints:
        """From the fingerprints and those inside each passage (``fingerprint.passage_fingerprints``)."""
        ordered = sorted(fps)
        position = {h: k for k, h in enumerate(ordered)}
        offsets = [0]
        members: list[int] = []
        for held in inside:
            members.extend(sorted(position[h] for h in held))
            offsets.append(len(members))
        return cls(np.array(ordered, dtype=np.int64), np.array(offsets, dtype=np.int32),
                   np.array(members, dtype=np.int32))

    def expand(self, seqs: Iterable[int]) -> tuple[set[int], dict[int, frozenset[int]]]:
        """The fingerprints as a set and, for the passages ``seqs``, those inside each."""
        fps = self.fingerprints.tolist()
        offsets = self.offsets.tolist()
        members = self.members
        return set(fps), {s: frozenset(fps[k] for k in members[offsets[s] : offsets[s + 1]].tolist()) for s in seqs}


PRINTS: LockedLRU[str, PassagePrints] = LockedLRU(PRINTS_MAX)


def _keep_prints(content_hash: str, analysis: Analysis) -> None:
    PRINTS.put(content_hash, PassagePrints.of(analysis.features))


FEATURES: LockedLRU[str, Analysis] = LockedLRU(FEATURES_MAX, FEATURES_MB * 2**20, analysis_bytes, _keep_prints)


def compute(text: str, spans: Sequence[tuple[int, int]]) -> Analysis:
    """Features and cues of a text (pure; what a worker process computes ahead of storing)."""
    return Analysis(document_features(text, list(spans)), document_cues(text, spans), text)


def analyse(content_hash: str, text: str, spans: Sequence[tuple[int, int]], *, cues: bool = True) -> Analysis:
    """The analysis of a text, computed once per content hash (``cues=False``: its direction
    cues computed only when first asked for)."""
    hit = FEATURES.get(content_hash)
    if hit is not None:
        return hit
    if not cues:
        return FEATURES.setdefault(content_hash, Analysis(document_features(text, list(spans)), None, text))
    return FEATURES.setdefault(content_hash, compute(text, spans))


def remember(content_hash: str, analysis: Analysis) -> Analysis:
    """Keep an analysis computed elsewhere (a worker process); returns the cached one. Its
    sentences that cached documents already hold are shared with them (``share_passages``)."""
    stored = FEATURES.get(content_hash)
    if stored is not None:
        return stored
    share_passages(analysis.features, analysis.text)
    return FEATURES.setdefault(content_hash, analysis)


def cached(content_hash: str) -> Analysis | None:
    """The cached analysis of a text, if any."""
    return FEATURES.get(content_hash)


def cached_prints(content_hash: str) -> PassagePrints | None:
    """The kept fingerprints per passage of a text out of the feature cache, if any."""
    return PRINTS.get(content_hash)


def keep_prints(content_hash: str, prints: PassagePrints) -> None:
    """Keep the fingerprints per passage of a text (computed from its stored text)."""
    PRINTS.put(content_hash, prints)


def memo(cache: LockedLRU[K, V], key: K, make: Callable[[], V]) -> V:
    """``cache[key]``, computed by ``make`` when absent."""
    hit = cache.get(key)
    if hit is not None:
        return hit
    return cache.setdefault(key, make())
