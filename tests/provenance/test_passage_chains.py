"""Passage chains (``service.provenance.passage_chain`` / ``passage_chains``): the batched, memoised walk
upstream from a passage, checked against a hop-by-hop reference walk on the reference corpus."""

from __future__ import annotations

import random
from typing import Any

from flask.testing import FlaskClient


def _stepwise_chain(session: Any, passage_id: int, max_hops: int = 12) -> list[dict[str, Any]]:
    """A passage chain read hop by hop with per-document queries: the reference for the batched walk."""
    from sqlalchemy import select

    from service.models import Passage
    from service.provenance import _passages, _refs, _upstream, chain_of, links_of

    start = session.execute(select(Passage.document_id, Passage.seq).where(Passage.id == passage_id)).first()
    if start is None:
        return []
    doc_id, seq = int(start.document_id), int(start.seq)
    hops: list[tuple[int, int, str, float]] = []
    seen = {doc_id}
    confidence = 1.0
    for _ in range(max_hops):
        links = links_of(session, doc_id)
        step = None
        for other in _upstream(session, doc_id, links, [d for d, _ in chain_of(session, doc_id)]):
            matches = [p for p in links[other].pairs if p[0] == seq] if other not in seen else []
            if matches:
                best = max(matches, key=lambda p: p[2])
                step = (other, best[1], best[3], best[2] * links[other].p_other_source)
                break
        if step is None:
            break
        confidence *= max(0.05, min(1.0, step[3] if step[2] == "paraphrase" else max(step[3], 0.5)))
        hops.append((step[0], step[1], step[2], round(confidence, 4)))
        doc_id, seq = step[0], step[1]
        seen.add(doc_id)
    refs = _refs(session, [h[0] for h in hops])
    passages = _passages(session, [(h[0], h[1]) for h in hops])
    return [{"document": refs.get(d), "passage": passages.get((d, s)), "relation": rel, "confidence": conf}
            for d, s, rel, conf in hops]


def test_batched_and_memoised_passage_chains_match_the_stepwise_walk(seeded_client: FlaskClient) -> None:
    from sqlalchemy import select

    from service.models import Passage
    from service.provenance import passage_chain, passage_chains

    app = seeded_client.application
    with app.extensions["sessionmaker"]() as session:
        ids = list(session.scalars(select(Passage.id).order_by(Passage.id)))
        expected = {pid: _stepwise_chain(session, pid) for pid in ids + [10**9]}
    assert any(len(chain) >= 2 for chain in expected.values())  # the corpus has multi-hop chains
    assert sum(1 for chain in expected.values() if chain) >= 10
    with app.extensions["sessionmaker"]() as session:
        shuffled = ids + [10**9]
        random.Random(7).shuffle(shuffled)
        assert [passage_chain(session, pid) for pid in shuffled] == [expected[pid] for pid in shuffled]
    with app.extensions["sessionmaker"]() as session:
        assert passage_chains(session, ids + [10**9]) == expected
        subset = shuffled[::3]
        assert passage_chains(session, subset) == {pid: expected[pid] for pid in subset}


def test_passage_chains_see_a_write_made_in_the_same_session(seeded_client: FlaskClient) -> None:
    from sqlalchemy import delete, select

    from service.models import Passage, ReuseLink
    from service.provenance import passage_chain

    app = seeded_client.application
    with app.extensions["sessionmaker"]() as session:
        chains = {pid: passage_chain(session, pid) for pid in session.scalars(select(Passage.id))}
        traced = [pid for pid, chain in chains.items() if chain]
        assert traced
        session.execute(delete(ReuseLink))
        assert all(passage_chain(session, pid) == [] for pid in traced)
        session.rollback()
        assert {pid: passage_chain(session, pid) for pid in traced} == {pid: chains[pid] for pid in traced}
