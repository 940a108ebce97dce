"""A growing set of int8 passage vectors with exact nearest-neighbour search (usearch, SIMD).

The rows live in one preallocated array, so appending the passages of a new document copies only
them, and a search scans ``size`` rows in place. A caller that knows how many rows are coming
(the index's first load) reserves them exactly (``reserve``); otherwise the array grows by an
eighth when full, resized in place (``realloc``: for an array this large, glibc moves its pages
with ``mremap`` rather than copying them, so growing does not briefly need the old and the new
array at once). Memory is ``capacity * (dim + 8)`` bytes, at most an eighth more than the rows
held: 128 dimensions cost about 136 bytes per passage, 41 MB for 300,000 passages. Search is
exact (every row is compared): about 1-2 ms for 20,000 passages and 20-30 ms for 300,000 on one
core; a graph index (HNSW) would answer faster on large corpora but costs about 1 ms of CPU per
passage to build in every process.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import numpy.typing as npt
from usearch.index import MetricKind, search

from service.core.semantic.embed import Int8Matrix

IdArray = npt.NDArray[np.int64]


class VectorSet:
    """Passage ids with their int8 vectors; append, keep a subset, find the nearest."""

    def __init__(self, dim: int, capacity: int = 1024) -> None:
        self.dim = dim
        self.size = 0
        self._ids: IdArray = np.zeros(capacity, dtype=np.int64)
        self._vectors: Int8Matrix = np.zeros((capacity, dim), dtype=np.int8)

    def __len__(self) -> int:
        return self.size

    @property
    def ids(self) -> IdArray:
        return self._ids[: self.size]

    @property
    def nbytes(self) -> int:
        """Bytes held (capacity included)."""
        return int(self._ids.nbytes + self._vectors.nbytes)

    @property
    def capacity(self) -> int:
        return len(self._ids)

    def reserve(self, capacity: int) -> None:
        """Make room for ``capacity`` rows in all (no-op when there is room already)."""
        if capacity > len(self._ids):
            self._resize(capacity)

    def _resize(self, capacity: int) -> None:
        try:  # in place, new rows zeroed; refused while another reference (a view) to the array is alive
            self._ids.resize((capacity,), refcheck=True)
        except ValueError:
            self._ids = np.concatenate([self._ids[: self.size], np.zeros(capacity - self.size, dtype=np.int64)])
        try:
            self._vectors.resize((capacity, self.dim), refcheck=True)
        except ValueError:
            grown = np.zeros((capacity, self.dim), dtype=np.int8)
            grown[: self.size] = self._vectors[: self.size]
            self._vectors = grown

    def add(self, ids: Iterable[int], vectors: Int8Matrix) -> None:
        """Append rows (``vectors`` is ``len(ids) x dim``)."""
        new_ids = np.fromiter(ids, dtype=np.int64)
        if vectors.shape != (len(new_ids), self.dim):
            raise ValueError(f"expected {len(new_ids)} x {self.dim} vectors, got {vectors.shape}")
        need = self.size + len(new_ids)
        if need > len(self._ids):
            self._resize(max(need, len(self._ids) + len(self._ids) // 8, 1024))
        self._ids[self.size : need] = new_ids
        self._vectors[self.size : need] = vectors
        self.size = need

    def keep(self, alive: IdArray) -> int:
        """Drop every row whose id is not in ``alive``; returns how many were dropped."""
        mask = np.isin(self._ids[: self.size], alive)
        dropped = int(self.size - mask.sum())
        if dropped:
            kept = int(mask.sum())
            self._ids[:kept] = self._ids[: self.size][mask]
            self._vectors[:kept] = self._vectors[: self.size][mask]
            self.size = kept
        return dropped

    def clear(self) -> None:
        self.size = 0

    def nearest(self, query: Int8Matrix, k: int) -> list[tuple[int, float]]:
        """The ``k`` rows most cosine-similar to ``query``, best first, as (id, similarity)."""
        query = np.asarray(query, dtype=np.int8).reshape(-1)
        if self.size == 0 or k < 1 or not query.any():
            return []
        k = min(k, self.size)
        matches = search(self._vectors[: self.size], query, k, MetricKind.Cos, exact=True, threads=1)
        rows = np.asarray(matches.keys, dtype=np.int64)
        similarity = 1.0 - np.asarray(matches.distances, dtype=np.float64)
        return [(int(self._ids[r]), round(float(s), 4)) for r, s in zip(rows, similarity, strict=True)]
