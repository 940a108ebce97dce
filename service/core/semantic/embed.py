"""Static sentence embeddings: the mean of a text's token vectors, normalised, and their int8 form.

A static model (WordLlama: one learned vector per token of the Llama-2 vocabulary, trained to be
mean-pooled) embeds a passage with a table look-up and a sum: about 0.04 ms per passage on one
core with its tokenizer, against 10-13 ms for a six-layer transformer (all-MiniLM-L6-v2), which
is what lets every passage of a bulk ingest be embedded inside the ingest budget
(docs/checking.md, "Semantic retrieval: model choice").
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

Tokenize = Callable[[Sequence[str]], list[list[int]]]
FloatMatrix = npt.NDArray[np.float32]
Int8Matrix = npt.NDArray[np.int8]


class StaticEmbedder:
    """Texts -> unit vectors: mean of the token vectors of ``table`` (vocabulary x dimensions).

    ``tokenize`` maps texts to token ids (no special tokens). A text without tokens gets the zero
    vector, which is similar to nothing.
    """

    def __init__(self, table: FloatMatrix, tokenize: Tokenize) -> None:
        self.table = np.ascontiguousarray(table, dtype=np.float32)
        self.tokenize = tokenize

    @property
    def dim(self) -> int:
        return int(self.table.shape[1])

    def embed(self, texts: Sequence[str]) -> FloatMatrix:
        """Unit vectors of ``texts``, one row each (float32)."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        if not texts:
            return out
        token_ids = self.tokenize(texts)
        lengths = np.fromiter((len(ids) for ids in token_ids), dtype=np.int64, count=len(token_ids))
        present = lengths > 0
        if not present.any():
            return out
        flat = np.fromiter((i for ids in token_ids for i in ids), dtype=np.int64, count=int(lengths.sum()))
        np.clip(flat, 0, self.table.shape[0] - 1, out=flat)
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))[present]
        sums = np.add.reduceat(self.table[flat], starts, axis=0)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        out[present] = sums / np.maximum(norms, 1e-12)
        return out


def quantize(vectors: FloatMatrix) -> Int8Matrix:
    """int8 rows, each scaled so that its largest component is +-127 (cosine is scale-free)."""
    vectors = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
    peak = np.abs(vectors).max(axis=1, keepdims=True)
    scaled = vectors * (127.0 / np.maximum(peak, 1e-12))
    return np.clip(np.rint(scaled), -127, 127).astype(np.int8)


def to_bytes(vector: Int8Matrix) -> bytes:
    """One int8 vector as stored (``dim`` bytes)."""
    return np.ascontiguousarray(vector, dtype=np.int8).tobytes()


def from_bytes(rows: Sequence[bytes], dim: int) -> Int8Matrix:
    """Stored vectors back to an int8 matrix (rows of another length are an error)."""
    if not rows:
        return np.zeros((0, dim), dtype=np.int8)
    matrix = np.frombuffer(b"".join(rows), dtype=np.int8)
    if matrix.size != len(rows) * dim:
        raise ValueError(f"stored vectors are not {dim}-dimensional")
    return matrix.reshape(len(rows), dim)


def cosine(a: Int8Matrix | FloatMatrix, b: Int8Matrix | FloatMatrix) -> float:
    """Cosine similarity of two vectors (0 when either is zero)."""
    x, y = np.asarray(a, dtype=np.float32).ravel(), np.asarray(b, dtype=np.float32).ravel()
    norm = float(np.linalg.norm(x) * np.linalg.norm(y))
    return float(x @ y) / norm if norm else 0.0
