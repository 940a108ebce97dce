"""Static sentence embeddings and their int8 form (``service.core.semantic.embed``)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from service.core.semantic.embed import StaticEmbedder, cosine, from_bytes, quantize, to_bytes

VOCAB = {"ferry": 0, "crews": 1, "strike": 2, "boat": 3, "workers": 4, "bread": 5}
TABLE = np.array(
    [[1.0, 0.0, 0.0], [0.8, 0.2, 0.0], [0.0, 1.0, 0.0], [0.9, 0.1, 0.0], [0.7, 0.3, 0.0], [0.0, 0.0, 1.0]],
    dtype=np.float32,
)


def tokenize(texts: Sequence[str]) -> list[list[int]]:
    return [[VOCAB[w] for w in text.lower().split() if w in VOCAB] for text in texts]


def test_a_text_is_the_normalised_mean_of_its_token_vectors() -> None:
    vectors = StaticEmbedder(TABLE, tokenize).embed(["ferry strike"])
    expected = (TABLE[0] + TABLE[2]) / np.linalg.norm(TABLE[0] + TABLE[2])
    assert vectors.shape == (1, 3) and vectors.dtype == np.float32
    np.testing.assert_allclose(vectors[0], expected, rtol=1e-6)


def test_rewordings_are_nearer_than_other_subjects() -> None:
    embedder = StaticEmbedder(TABLE, tokenize)
    ferry, boat, bread = embedder.embed(["Ferry crews strike", "Boat workers strike", "bread"])
    assert cosine(ferry, boat) > 0.95
    assert cosine(ferry, bread) < 0.1


def test_texts_without_tokens_get_the_zero_vector_and_order_is_kept() -> None:
    embedder = StaticEmbedder(TABLE, tokenize)
    vectors = embedder.embed(["", "bread", "nothing known here", "ferry"])
    assert not vectors[0].any() and not vectors[2].any()
    np.testing.assert_allclose(vectors[1], [0.0, 0.0, 1.0])
    np.testing.assert_allclose(vectors[3], [1.0, 0.0, 0.0])
    assert embedder.embed([]).shape == (0, 3)


def test_token_ids_outside_the_table_are_clipped() -> None:
    embedder = StaticEmbedder(TABLE, lambda texts: [[99] for _ in texts])
    np.testing.assert_allclose(embedder.embed(["x"])[0], [0.0, 0.0, 1.0])


def test_quantize_scales_each_row_to_127_and_keeps_the_cosine() -> None:
    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((50, 64)).astype(np.float32)
    q = quantize(vectors)
    assert q.dtype == np.int8
    assert (np.abs(q).max(axis=1) == 127).all()
    for a, b in [(0, 1), (2, 3), (4, 4)]:
        assert cosine(q[a], q[b]) == pytest.approx(cosine(vectors[a], vectors[b]), abs=0.01)
    assert not quantize(np.zeros((1, 4), dtype=np.float32)).any()


def test_bytes_round_trip_and_a_wrong_dimension_is_an_error() -> None:
    q = quantize(np.arange(12, dtype=np.float32).reshape(3, 4) - 5)
    rows = [to_bytes(row) for row in q]
    assert all(len(r) == 4 for r in rows)
    np.testing.assert_array_equal(from_bytes(rows, 4), q)
    assert from_bytes([], 4).shape == (0, 4)
    with pytest.raises(ValueError):
        from_bytes(rows, 3)
