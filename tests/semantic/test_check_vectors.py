"""``service.check_vectors``: the stored passage vectors a check hands to the learned layer."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest
from flask.testing import FlaskClient

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


def test_document_passages_carry_their_stored_vectors(client: FlaskClient) -> None:
    """The learned layer's passages of several documents, in reading order, each with its stored
    vector (None once it is gone), read by key and not by a join over the whole vector table
    (a join PostgreSQL's planner chose over a table scan when it overestimated the passages)."""
    from sqlalchemy import delete, select

    from service.check_vectors import document_passages, passages_query
    from service.db import get_session
    from service.models import Passage, PassageVector

    ids = [client.post("/v1/documents", json={"text": text}).get_json()["id"] for text in (
        "The council approved the budget. Rain fell in the valley.", "The mayor resigned on Monday.")]
    with client.application.app_context():
        session = get_session()
        first = session.scalars(select(Passage.id).where(Passage.document_id == ids[0]).order_by(Passage.seq)).all()
        session.execute(delete(PassageVector).where(PassageVector.passage_id == first[0]))
        stored = {pid: v for pid, v in session.execute(select(PassageVector.passage_id, PassageVector.vector))}
        rows = document_passages(session, ids)
        assert sorted(rows) == sorted(ids)
        assert [r.id for r in rows[ids[0]]] == list(first)
        assert [r.text for r in rows[ids[0]]] == ["The council approved the budget.", "Rain fell in the valley."]
        for r in rows[ids[0]] + rows[ids[1]]:
            assert r.vector == stored.get(r.id)
        assert rows[ids[0]][0].vector is None
        assert "JOIN" not in str(passages_query(ids)).upper()
