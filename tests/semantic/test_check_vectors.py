"""``service.check_vectors``: the stored passage vectors a check hands to the learned layer."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from service.check_vectors import document_vectors
from service.semantic import model as semantic_model
from service.semantic.index import embed_passages


def _row(pid: int, text: str, vector: bytes | None) -> SimpleNamespace:
    return SimpleNamespace(id=pid, text=text, vector=vector)


def test_stored_vectors_are_used_and_missing_ones_embedded() -> None:
    if semantic_model.embedder() is None:
        pytest.skip("no embedding model installed")
    texts = {1: "The council approved the budget.", 2: "Rain fell all day.", 3: "The mayor resigned on Monday."}
    embedded = embed_passages(list(texts.items()))
    stored = np.full(semantic_model.DIM, 7, dtype=np.int8)  # not what the model would give: proves it was read
    docs = [
        [_row(1, texts[1], stored.tobytes()), _row(2, texts[2], None)],  # one stored, one to embed now
        [_row(3, texts[3], b"short")],  # a vector of the wrong size counts as missing
    ]
    out = document_vectors("The council approved the budget.", docs)
    assert out is not None
    assert out.statement.shape == (semantic_model.DIM,)
    first, second = out.documents
    assert first is not None and second is not None
    assert np.array_equal(first[0], stored)
    assert np.array_equal(first[1], embedded[2])
    assert np.array_equal(second[0], embedded[3])
