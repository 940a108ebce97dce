"""The stance model's sentence-embedding features (service/core/stance/model/embedding.py)."""

from __future__ import annotations

import numpy as np
import pytest

from service.core.stance.model import embedding as emb
from service.core.stance.model.embedding import (
    CLOSENESS,
    embedding_features,
    feature_names,
    missing_features,
)


def test_names_match_the_feature_vector() -> None:
    u = np.array([1.0, 0.0, 0.0, 0.0])
    v = np.eye(4)
    assert len(feature_names(2)) == len(embedding_features(u, v, 2)) == len(CLOSENESS) + 4


def test_closeness_reads_the_nearest_passage_and_the_document() -> None:
    u = np.array([1.0, 0.0, 0.0])
    passages = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]])
    f = embedding_features(u, passages, 1)
    best, top3, mean, docvec = f[:4]
    assert best == pytest.approx(1.0)
    assert top3 == pytest.approx(1 / 3)
    assert mean == pytest.approx(1 / 3)
    assert docvec == pytest.approx(1 / np.sqrt(3))


def test_interaction_is_product_and_absolute_difference_of_statement_and_nearest_passage() -> None:
    u = np.array([0.6, 0.8])
    near = np.array([0.8, 0.6])
    far = np.array([-1.0, 0.0])
    f = embedding_features(u, np.vstack([far, near]), 2)
    assert f[4:6] == pytest.approx(u * near)
    assert f[6:8] == pytest.approx(np.abs(u - near))


def test_storage_scale_does_not_matter() -> None:
    """int8 vectors (scaled so the largest component is 127) give the float vectors' features."""
    rng = np.random.default_rng(3)
    u, v = rng.normal(size=8), rng.normal(size=(5, 8))
    scaled_u = np.rint(u * 127 / np.abs(u).max())
    scaled_v = np.rint(v * 127 / np.abs(v).max(axis=1, keepdims=True))
    assert embedding_features(scaled_u, scaled_v, 4) == pytest.approx(embedding_features(u, v, 4), abs=0.02)


def test_a_document_without_vectors_or_a_blank_statement_gets_the_missing_row() -> None:
    assert np.array_equal(embedding_features(np.ones(3), np.zeros((0, 3)), 2), missing_features(2))
    assert np.array_equal(embedding_features(np.zeros(3), np.ones((2, 3)), 2), missing_features(2))
    assert not missing_features(2).any()


def _plain_unit_embedding_features(u: np.ndarray, v: np.ndarray, dims: int) -> np.ndarray:
    """The features as first written (``np.linalg.norm``, ``ndarray.mean``), the reference the
    leaner ``unit_embedding_features`` must equal bit for bit."""
    def unit_rows(m: np.ndarray) -> np.ndarray:
        a = np.atleast_2d(np.asarray(m, dtype=np.float64))
        return a / np.maximum(np.linalg.norm(a, axis=1, keepdims=True), 1e-12)

    vs = unit_rows(v)
    sims = vs @ u
    order = np.argsort(-sims, kind="stable")
    best = vs[order[0]]
    mean_vec = unit_rows(vs.mean(axis=0))[0]
    closeness = [float(sims[order[0]]), float(sims[order[:3]].mean()), float(sims.mean()), float(mean_vec @ u)]
    return np.concatenate([closeness, u[:dims] * best[:dims], np.abs(u[:dims] - best[:dims])])


def test_lean_features_equal_the_plain_definition_bit_for_bit() -> None:
    """Stored int8 vectors and float ones, one to 60 passages, zero rows included: the same bytes."""
    rng = np.random.default_rng(5)
    for i in range(300):
        n = int(rng.integers(1, 60))
        v = rng.integers(-127, 128, (n, 48)).astype(np.int8) if i % 2 else rng.normal(size=(n, 48))
        if i % 7 == 0:
            v[0] = 0
        u = emb.unit(rng.normal(size=48))
        expected = _plain_unit_embedding_features(u, v, 16).tobytes()
        assert emb.unit_embedding_features(u, v, 16).tobytes() == expected
        assert emb.unit_embedding_features(u, v, 16, live=True).tobytes() == expected
