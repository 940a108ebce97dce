"""Bulk ingest (``service.ingest.pipeline.ingest_many``): per-item outcomes, batching, the graph of one by one."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.db import session_scope
from service.ingest import pipeline, rebuild, store
from service.models import Base, Document, LineageNode, Passage, ReuseLink
from service.provenance.on_ingest import NewDocument
from service.provenance.recompute import recompute
from tests.helpers import generated_payloads

STORY = (
    "Harbour authorities in Velmora approved a 2.4 billion euro expansion of the container port on Tuesday, "
    "according to documents seen by reporters. The plan adds four deep-water berths by 2031. "
    "Dockworkers' unions said they were not consulted."
)


def _graph(session: Session) -> tuple[dict[Any, Any], dict[Any, Any]]:
    """Links (all their evidence) and lineage nodes keyed by external ids, so two databases can be compared."""
    ext = {doc_id: external_id for doc_id, external_id in session.execute(select(Document.id, Document.external_id))}
    columns = [c.key for c in ReuseLink.__table__.columns if c.key not in ("id", "a_id", "b_id")]
    links = {
        (ext[r.a_id], ext[r.b_id]): tuple(getattr(r, c) for c in columns) for r in session.scalars(select(ReuseLink))
    }
    nodes = {
        ext[n.document_id]: (n.rank, n.original_confidence, [(ext[p[0]], *p[1:]) for p in n.parents])
        for n in session.scalars(select(LineageNode))
    }
    return links, nodes


def _resolved_at_once(session: Session) -> dict[Any, Any]:
    """Lineage nodes as resolving all stored links at once gives them (keyed as in ``_graph``)."""
    ext = dict(session.execute(select(Document.id, Document.external_id)).all())
    ids = set(ext)
    result = recompute(session, sorted(ids))
    assert result is not None
    return {
        ext[doc_id]: (round(result.ranks.get(doc_id, 0.0), 6), result.original_confidence.get(doc_id, 0.0),
                      [(ext[c.parent], c.confidence, c.relation, round(c.score, 4))
                       for c in result.parents.get(doc_id, [])])
        for doc_id in ids
    }


def test_outcomes_are_reported_per_item_in_input_order(app: Flask) -> None:
    items = [
        {"external_id": "a", "text": STORY},
        {"external_id": "a", "text": STORY},  # the same document again, within the batch
        {"external_id": "a", "text": STORY + " A correction was appended."},  # same id, other text
        {"text": "1234 5678"},  # no sentence with words
        {"text": STORY},  # the same text without an external id: the stored document
        {"text": "Rainfall in Ostrava broke a record in March."},  # anonymous and new
        {"text": "Rainfall in Ostrava broke a record in March."},  # ... and again, within the batch
    ]
    with app.app_context(), session_scope(app) as session:
        results = pipeline.ingest_many(session, items, app.config, batch_size=4)
        assert [r.index for r in results] == list(range(7))
        assert [(r.created, r.error.status if r.error else None) for r in results] == [
            (True, None), (False, None), (False, 409), (False, 422), (False, None), (True, None), (False, None)
        ]
        assert results[1].document_id == results[4].document_id == results[0].document_id
        assert results[6].document_id == results[5].document_id != results[0].document_id
        assert session.scalar(select(Document.passage_count).where(Document.external_id == "a")) == 3
        assert len(session.scalars(select(Passage)).all()) == 4


def test_reposting_a_batch_creates_nothing(app: Flask) -> None:
    items = generated_payloads(12, seed=5)
    with app.app_context(), session_scope(app) as session:
        first = pipeline.ingest_many(session, items, app.config, batch_size=5)
        again = pipeline.ingest_many(session, items, app.config, batch_size=5)
    assert all(r.created for r in first)
    assert [r.document_id for r in again] == [r.document_id for r in first]
    assert not any(r.created for r in again)


def test_progress_is_reported_after_each_batch(app: Flask) -> None:
    seen: list[int] = []
    with app.app_context(), session_scope(app) as session:
        pipeline.ingest_many(session, generated_payloads(11, seed=5), app.config, batch_size=4, progress=seen.append)
    assert seen == [4, 8, 11]


@pytest.mark.parametrize(("batch_size", "workers"), [(1, 0), (9, 0), (25, 2)])
def test_bulk_ingest_builds_the_graph_of_one_by_one_ingest(app: Flask, batch_size: int, workers: int) -> None:
    """Batches read the index as each document would have found it: the same links and parents."""
    items = generated_payloads(200, seed=3)  # enough for stock text to cross the frequency threshold
    one_by_one = app
    with one_by_one.app_context():
        for item in items:
            with session_scope(one_by_one) as session:
                pipeline.ingest_document(session, item, one_by_one.config)
        with session_scope(one_by_one) as session:
            expected = _graph(session)
        with session_scope(one_by_one) as session:
            for table in reversed(Base.metadata.sorted_tables):
                session.execute(table.delete())

    with one_by_one.app_context(), session_scope(one_by_one) as session:
        results = pipeline.ingest_many(session, items, one_by_one.config, batch_size=batch_size, workers=workers)
        assert all(r.created for r in results)
        links, parents = _graph(session)
        at_once = _resolved_at_once(session)
    assert expected[0], "the generated corpus has reuse links"
    # Exactly the same evidence and lineage, which is also what resolving the whole graph at once gives.
    assert links == expected[0]
    assert parents == expected[1] == at_once


def _fail_second_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the second batch a feature hook sees fail, as a full disk would."""
    calls = 0

    index_documents = store.index_documents

    def failing_index(session: Session, documents: list[NewDocument]) -> None:
        nonlocal calls
        calls += 1
        index_documents(session, documents)
        if calls == 2:
            raise RuntimeError("disk full")

    monkeypatch.setattr(store, "index_documents", failing_index)
    monkeypatch.setattr(rebuild, "index_documents", failing_index)


def test_a_failing_batch_loses_nothing_stored_before_it(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    items = generated_payloads(10, seed=5)
    _fail_second_batch(monkeypatch)
    with app.app_context():
        with pytest.raises(RuntimeError), session_scope(app) as session:
            pipeline.ingest_many(session, items, app.config, batch_size=4)
        with session_scope(app) as session:
            stored = session.scalars(select(Document.external_id).order_by(Document.id)).all()
            nodes = session.scalars(select(LineageNode.document_id)).all()
    assert stored == [item["external_id"] for item in items[:4]]
    assert len(nodes) == 4



@pytest.mark.parametrize("enabled", [True, False])
def test_the_garbage_collector_is_restored_after_a_bulk_ingest(app: Flask, enabled: bool) -> None:
    import gc

    seen: list[tuple[bool, int]] = []
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        with app.app_context(), session_scope(app) as session:
            pipeline.ingest_many(session, generated_payloads(6, seed=3), app.config, batch_size=2,
                               progress=lambda _done: seen.append((gc.isenabled(), gc.get_freeze_count())))
        # Paused while batches are stored, survivors frozen after each; all undone at the end.
        assert [on for on, _ in seen] == [False, False, False]
        assert all(frozen > 0 for _, frozen in seen)
        assert gc.isenabled() is enabled
        assert gc.get_freeze_count() == 0
    finally:
        (gc.enable if was else gc.disable)()


def test_batch_sizes_ramp_up_only_with_workers() -> None:
    sizes = pipeline.batch_sizes(1000, workers=1)
    assert [next(sizes) for _ in range(7)] == [62, 124, 248, 496, 992, 1000, 1000]
    sizes = pipeline.batch_sizes(1000, workers=0)
    assert [next(sizes) for _ in range(2)] == [1000, 1000]


def test_deletes_leave_the_lineage_of_the_whole_graph(app: Flask) -> None:
    """After deletes, every stored lineage node is what resolving all remaining links at once gives."""
    items = generated_payloads(80, seed=3)
    with app.app_context(), session_scope(app) as session:
        pipeline.ingest_many(session, items, app.config, batch_size=40)
        linked = sorted({r.a_id for r in session.scalars(select(ReuseLink))})
        assert linked, "the generated corpus has reuse links"
        for doc_id in linked[::3]:
            document = session.get(Document, doc_id)
            assert document is not None
            store.delete_document(session, document)
        _links, nodes = _graph(session)
        assert nodes == _resolved_at_once(session)


def test_objects_frozen_before_a_bulk_ingest_stay_frozen(app: Flask) -> None:
    """A server worker's inherited, frozen cache is not unfrozen by a batch request."""
    import gc

    gc.freeze()
    try:
        with app.app_context(), session_scope(app) as session:
            pipeline.ingest_many(session, generated_payloads(3, seed=3), app.config, batch_size=2)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()


def _wipe(app: Flask) -> None:
    with session_scope(app) as session:
        for table in reversed(Base.metadata.sorted_tables):
            session.execute(table.delete())


@pytest.mark.parametrize(("batch_size", "workers"), [(1000, 0), (7, 2)])
def test_reanalyse_rebuilds_the_graph_ingest_built(app: Flask, batch_size: int, workers: int) -> None:
    items = generated_payloads(60, seed=3)
    with app.app_context(), session_scope(app) as session:
        pipeline.ingest_many(session, items, app.config, batch_size=20)
        expected = _graph(session)
        # Stale or damaged evidence: a link gone, another one's direction reversed.
        first, second = session.scalars(select(ReuseLink).order_by(ReuseLink.id).limit(2)).all()
        second.direction = -second.direction
        session.delete(first)
        session.commit()
        assert _graph(session) != expected
        done: list[tuple[int, int]] = []
        assert rebuild.reanalyse(session, workers=workers, batch_size=batch_size,
                                progress=lambda d, t: done.append((d, t))) == 60
        assert done[-1] == (60, 60)
        assert _graph(session) == expected
        assert (session.scalar(select(func.count()).select_from(Passage)) or 0) > 0


def test_reanalyse_after_deletes_gives_the_graph_of_a_fresh_ingest(app: Flask) -> None:
    """Deletes can bring text back under the boilerplate threshold; a rebuild re-links what that allows."""
    items = generated_payloads(120, seed=3)
    with app.app_context():
        with session_scope(app) as session:
            results = pipeline.ingest_many(session, items, app.config)
            for result in results[::2]:
                document = session.get(Document, result.document_id)
                assert document is not None
                store.delete_document(session, document)
            rebuild.reanalyse(session)
            rebuilt = _graph(session)
        _wipe(app)
        with session_scope(app) as session:
            pipeline.ingest_many(session, items[1::2], app.config)
            assert _graph(session) == rebuilt


def test_a_failing_reanalyse_keeps_the_old_graph(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    items = generated_payloads(30, seed=3)
    with app.app_context(), session_scope(app) as session:
        pipeline.ingest_many(session, items, app.config)
        before = _graph(session)
    _fail_second_batch(monkeypatch)
    with app.app_context():
        with pytest.raises(RuntimeError), session_scope(app) as session:
            rebuild.reanalyse(session, batch_size=10)
        with session_scope(app) as session:
            assert _graph(session) == before
