"""Passage vectors through a database: written at ingest, gone with the document, rebuilt, and the
per-process index kept in step (runs on whichever database the suite uses)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from flask import Flask
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from service.db import session_scope
from service.ingest import rebuild
from service.ingest.pipeline import ingest_many
from service.models import Passage, PassageVector, VectorState
from service.semantic import index as semantic_index
from service.semantic import model
from service.semantic.store import embed_ahead
from tests.helpers import generated_payloads

FERRY = "Ferry crews at the harbour walked off the job on Monday over unpaid overtime. Commuters waited."
BAKERY = "Bakers at the county fair entered a rye loaf in the contest. The judges liked its crust."
MUSEUM = "The town museum reopened after a long renovation. Visitors praised the gallery lighting."
REWORDED = "Boat workers went on strike because extra hours were not paid"


def _candidates(app: Flask, statement: str, **kwargs: Any) -> list[tuple[int, float]]:
    with app.app_context(), session_scope(app) as session:
        return semantic_index.semantic_candidates(session, statement, min_similarity=-1.0, **kwargs)


def _texts(app: Flask, ids: list[int]) -> list[str]:
    with app.app_context(), session_scope(app) as session:
        by_id = dict(session.execute(select(Passage.id, Passage.text).where(Passage.id.in_(ids))).all())
        return [by_id[i] for i in ids]


def _counts(app: Flask) -> tuple[int, int, int]:
    with app.app_context(), session_scope(app) as session:
        vectors = session.scalar(select(func.count()).select_from(PassageVector))
        passages = session.scalar(select(func.count()).select_from(Passage))
        generation = session.scalar(select(VectorState.generation))
        return int(vectors or 0), int(passages or 0), int(generation or 0)


def test_ingest_stores_one_vector_per_passage(app: Flask) -> None:
    client = app.test_client()
    for text in (FERRY, BAKERY):
        assert client.post("/v1/documents", json={"text": text}).status_code == 201
    vectors, passages, generation = _counts(app)
    assert vectors == passages == 4
    assert generation == 2  # one per storing transaction
    with app.app_context(), session_scope(app) as session:
        rows = session.execute(select(PassageVector.model, func.length(PassageVector.vector))).all()
    assert {tuple(r) for r in rows} == {(model.MODEL_NAME, model.DIM)}


def test_the_nearest_passage_is_the_rewording(app: Flask) -> None:
    client = app.test_client()
    for text in (BAKERY, FERRY, MUSEUM):
        client.post("/v1/documents", json={"text": text})
    hits = _candidates(app, REWORDED)
    assert _texts(app, [hits[0][0]]) == [FERRY.split(". ")[0] + "."]
    assert hits == sorted(hits, key=lambda h: -h[1])


def test_outlet_filter(app: Flask) -> None:
    client = app.test_client()
    client.post("/v1/documents", json={"text": FERRY, "outlet": "Harbour News"})
    client.post("/v1/documents", json={"text": BAKERY, "outlet": "Fair Times"})
    hits = _candidates(app, REWORDED, outlets=["Fair Times"])
    assert hits and set(_texts(app, [pid for pid, _ in hits])) <= set(BAKERY.replace(". ", ".\n").split("\n"))
    assert _candidates(app, REWORDED, outlets=["Nobody"]) == []


def test_two_processes_stay_in_step_with_ingest_and_delete(make_app: Callable[..., Flask]) -> None:
    """Two apps on one database stand for two server processes, each with its own index."""
    writer, reader = make_app(), make_app()
    client = writer.test_client()
    ferry = client.post("/v1/documents", json={"text": FERRY}).get_json()["id"]
    assert _texts(reader, [_candidates(reader, REWORDED)[0][0]])[0].startswith("Ferry crews")
    client.post("/v1/documents", json={"text": BAKERY})
    client.post("/v1/documents", json={"text": MUSEUM})
    assert len(_candidates(reader, REWORDED)) == 6  # the new passages are appended
    assert client.delete(f"/v1/documents/{ferry}").status_code == 204
    vectors, passages, _ = _counts(writer)
    assert vectors == passages == 4  # the cascade took the ferry passages' vectors
    after = _candidates(reader, REWORDED)
    assert len(after) == 4
    assert not any(t.startswith(("Ferry", "Commuters")) for t in _texts(reader, [pid for pid, _ in after]))
    index = semantic_index.index_for_engine(reader.extensions["engine"])
    assert len(index.vectors) == 4 and len(set(index.vectors.ids.tolist())) == 4


def test_an_emptied_table_resets_the_index(app: Flask) -> None:
    client = app.test_client()
    doc = client.post("/v1/documents", json={"text": FERRY}).get_json()["id"]
    assert _candidates(app, REWORDED)
    client.delete(f"/v1/documents/{doc}")
    with app.app_context(), session_scope(app) as session:
        session.execute(delete(VectorState))  # as a test database emptied between tests
    assert _candidates(app, REWORDED) == []
    client.post("/v1/documents", json={"text": BAKERY})
    assert len(_candidates(app, REWORDED)) == 2


def test_bulk_ingest_with_workers_stores_the_vectors_single_ingest_would(make_app: Callable[..., Flask]) -> None:
    payloads = generated_payloads(12, seed=4)
    app = make_app()
    with app.app_context(), session_scope(app) as session:
        results = ingest_many(session, payloads, app.config, workers=1, batch_size=5)
        assert all(r.error is None for r in results)
        stored = _vectors_by_text(session)
        texts = list(session.execute(select(Passage.text).order_by(Passage.id)).scalars())
    direct = model.embed_texts(texts)
    assert direct is not None
    assert len(stored) == len(set(texts))
    for text, vector in zip(texts, direct, strict=True):
        np.testing.assert_array_equal(stored[text], vector)


def test_rebuild_recomputes_the_vectors_and_the_index_follows(app: Flask) -> None:
    client = app.test_client()
    for text in (FERRY, BAKERY, MUSEUM):
        client.post("/v1/documents", json={"text": text})
    before = _candidates(app, REWORDED)
    with app.app_context(), session_scope(app) as session:
        session.execute(delete(PassageVector))  # vectors lost (or made by another model)
    with app.app_context(), session_scope(app) as session:
        assert rebuild.reanalyse(session, batch_size=2) == 3
    vectors, passages, _ = _counts(app)
    assert vectors == passages == 6
    assert _candidates(app, REWORDED) == before
    index = semantic_index.index_for_engine(app.extensions["engine"])
    assert sorted(index.vectors.ids.tolist()) == sorted(set(index.vectors.ids.tolist()))


def test_without_a_model_nothing_is_stored_and_checks_still_work(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(model, "embedder", lambda: None)
    client = app.test_client()
    assert client.post("/v1/documents", json={"text": FERRY}).status_code == 201
    assert _counts(app)[0] == 0
    assert embed_ahead(FERRY, [(0, 10)]) is None
    response = client.post("/v1/statements/check", json={"statement": REWORDED})
    assert response.status_code == 200


def _vectors_by_text(session: Session) -> dict[str, np.ndarray]:
    rows = session.execute(
        select(Passage.text, PassageVector.vector).join(PassageVector, PassageVector.passage_id == Passage.id)
    ).all()
    return {text: np.frombuffer(vector, dtype=np.int8) for text, vector in rows}


def test_warm_up_loads_the_index_before_the_first_check(make_app: Callable[..., Flask]) -> None:
    from service.ops import warm_up

    app = make_app(WARM_CACHE=10)
    for text in (FERRY, BAKERY):
        app.test_client().post("/v1/documents", json={"text": text})
    warmed = make_app(WARM_CACHE=10)  # a fresh process: a new engine, an empty index
    assert len(semantic_index.index_for_engine(warmed.extensions["engine"]).vectors) == 0
    warm_up(warmed)
    assert len(semantic_index.index_for_engine(warmed.extensions["engine"]).vectors) == 4


def test_the_index_reads_its_rows_a_chunk_at_a_time(make_app: Callable[..., Flask],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Read two rows per query (``READ_CHUNK``), the index holds what one read would: every
    vector, in passage-id order, in an array reserved for exactly them."""
    writer = make_app()
    for text in (FERRY, BAKERY, MUSEUM):
        writer.test_client().post("/v1/documents", json={"text": text})
    whole = make_app()
    expected = _candidates(whole, REWORDED)
    monkeypatch.setattr(semantic_index, "READ_CHUNK", 2)
    chunked = make_app()
    assert _candidates(chunked, REWORDED) == expected
    index = semantic_index.index_for_engine(chunked.extensions["engine"])
    ids = index.vectors.ids.tolist()
    assert len(ids) == 6 and ids == sorted(ids)
    assert index.vectors.capacity == 1024  # reserved up front: no growth while reading
