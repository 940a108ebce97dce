"""Sentence-embedding features of the learned stance model: how close a document is in meaning to a statement.

The cue and overlap features (``features.py``) read words; a reader's comment that argues against a
claim, or a paraphrase, often shares few of them. These features read the static sentence
embeddings the semantic channel already stores for every passage (WordLlama, see
``service.semantic.model``), so they cost one look-up per passage at check time:

* closeness: the cosine of the statement with its nearest passage, with the mean of the 3
  nearest, with the mean of all passages, and with the document's mean vector;
* interaction: the element-wise product ``u * v`` and absolute difference ``|u - v|`` of the
  statement vector ``u`` and its nearest passage ``v``, over the first ``dims`` dimensions (the
  model is trained Matryoshka-style, so a prefix is itself an embedding). These are the usual
  sentence-pair features of natural-language-inference classifiers: which directions of meaning
  the two sentences share, and which they differ in.

Vectors may be int8 (as stored) or float; every row is normalised here, so the features do not
depend on the storage scale. A document without vectors (none stored, no embedding model) gets
``missing_features``: zero closeness and zero interaction, which the trees were also fitted on
(``bench/train_stance.py`` blanks a share of the training rows).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

# How many of the nearest passages the "top" closeness averages.
TOP = 3
CLOSENESS: tuple[str, ...] = ("emb_cos_best", "emb_cos_top3", "emb_cos_mean", "emb_cos_docvec")


def feature_names(dims: int) -> tuple[str, ...]:
    """Names of the embedding features for interaction width ``dims`` (in ``embedding_features`` order)."""
    return CLOSENESS + tuple(f"emb_prod_{i}" for i in range(dims)) + tuple(f"emb_absdiff_{i}" for i in range(dims))


def _unit(m: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Rows of ``m`` as float unit vectors (zero rows stay zero)."""
    a = np.atleast_2d(np.asarray(m, dtype=np.float64))
    norms = np.linalg.norm(a, axis=1, keepdims=True)
    out: npt.NDArray[np.float64] = a / np.maximum(norms, 1e-12)
    return out


def unit(m: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """The first row of ``m`` as a float unit vector (as ``embedding_features`` normalises the statement's)."""
    return _unit(m)[0]


def best_similarity(statement_vector: npt.ArrayLike, passage_vectors: npt.ArrayLike | None) -> float | None:
    """The cosine similarity of the statement to its closest passage (None without vectors):
    how close in meaning a document comes to the statement at best."""
    if passage_vectors is None:
        return None
    v = np.asarray(passage_vectors)
    u = unit(statement_vector)
    if v.size == 0 or not np.any(u):
        return None
    return float(np.max(_unit_rows(v) @ u))


def embedding_features(statement_vector: npt.ArrayLike, passage_vectors: npt.ArrayLike, dims: int) -> np.ndarray:
    """The embedding features of one (statement, document) pair; see the module docstring.

    ``passage_vectors`` has one row per passage of the document, in order; an empty matrix (or
    a zero statement vector) gives ``missing_features``.
    """
    return unit_embedding_features(_unit(statement_vector)[0], passage_vectors, dims)


def _unit_rows(m: np.ndarray) -> npt.NDArray[np.float64]:
    """``_unit`` without its generic conversions: the same operations, so the same floats.

    ``np.linalg.norm(a, axis=1)`` of a real matrix is ``sqrt(add.reduce(a * a, axis=1))``; calling
    those directly skips its argument handling, which cost more than the arithmetic on a
    document's few dozen rows (a check computes this for up to 120 documents).
    ``tests/core/stance/model/test_embedding.py`` compares the two bit for bit."""
    a = m if m.dtype == np.float64 else m.astype(np.float64)
    if a.ndim == 1:
        a = a[np.newaxis]
    norms = np.sqrt(np.add.reduce(a * a, axis=1, keepdims=True))
    out: npt.NDArray[np.float64] = a / np.maximum(norms, 1e-12)
    return out


def unit_embedding_features(u: np.ndarray, passage_vectors: npt.ArrayLike, dims: int,
                            live: bool | None = None) -> np.ndarray:
    """``embedding_features`` for a statement vector ``u`` already normalised (``unit``): a check
    normalises it once for all its documents, and may say once whether it is non-zero (``live``).

    The means are ``add.reduce`` divided by the count, which is what ``ndarray.mean`` computes,
    without its per-call overhead: the features are the same floats."""
    v = np.asarray(passage_vectors)
    if v.size == 0 or not (np.any(u) if live is None else live):
        return missing_features(dims)
    vs = _unit_rows(v)
    sims = vs @ u
    order = np.argsort(-sims, kind="stable")
    best = vs[order[0]]
    n = len(sims)
    mean_vec = _unit_rows(np.add.reduce(vs, axis=0) / n)[0]
    top = sims[order[:TOP]]
    closeness = [float(sims[order[0]]), float(np.add.reduce(top) / len(top)), float(np.add.reduce(sims) / n),
                 float(mean_vec @ u)]
    head = slice(0, dims)
    return np.concatenate([closeness, u[head] * best[head], np.abs(u[head] - best[head])])


def missing_features(dims: int) -> np.ndarray:
    """The features of a document whose passages have no vectors."""
    return np.zeros(len(CLOSENESS) + 2 * dims)
