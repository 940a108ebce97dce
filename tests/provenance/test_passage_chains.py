"""Passage chains (``service.provenance.read.passage_chain`` / ``passage_chains``): the batched, memoised walk
upstream from a passage, checked against a hop-by-hop reference walk on the reference corpus."""

from __future__ import annotations

import random
from typing import Any

from flask.testing import FlaskClient


def _stepwise_chain(session: Any, passage_id: int, max_hops: int = 12) -> list[dict[str, Any]]:
    """A passage chain read hop by hop with per-document queries: the reference for the batched walk."""
    from sqlalchemy import or_, select

    from service.core.lineage.chains import LinkView, PassageWalk, document_chain, link_view, upstream
    from service.core.reuse.records import parents_from_json
    from service.models import LineageNode, Passage, ReuseLink
    from service.provenance.lookups import document_refs, passages_by_seq

    def parents_of(doc_id: int) -> Any:
        return parents_from_json(session.scalar(select(LineageNode.parents).where(LineageNode.document_id == doc_id)))

    def links_of(doc_id: int) -> dict[int, LinkView]:
        rows = session.execute(
            select(ReuseLink).where(or_(ReuseLink.a_id == doc_id, ReuseLink.b_id == doc_id))
        ).scalars()
        views = [link_view(r, from_a=r.a_id == doc_id) for r in rows]
        return {v.other: v for v in views}

    start = session.execute(select(Passage.document_id, Passage.seq).where(Passage.id == passage_id)).first()
    if start is None:
        return []
    walk = PassageWalk(int(start.document_id), int(start.seq), {int(start.document_id)})
    for _ in range(max_hops):
        links = links_of(walk.doc_id)
        order = upstream(links, parents_of(walk.doc_id), [d for d, _ in document_chain(walk.doc_id, parents_of)])
        if not walk.step(links, order):
            break
    refs = document_refs(session, [h.document for h in walk.hops])
    passages = passages_by_seq(session, [(h.document, h.seq) for h in walk.hops])
    return [{"document": refs.get(h.document), "passage": passages.get((h.document, h.seq)), "relation": h.relation,
             "confidence": h.confidence} for h in walk.hops]


def test_batched_and_memoised_passage_chains_match_the_stepwise_walk(seeded_client: FlaskClient) -> None:
    from sqlalchemy import select

    from service.models import Passage
    from service.provenance.read import passage_chain, passage_chains

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
    from service.provenance.read import passage_chain

    app = seeded_client.application
    with app.extensions["sessionmaker"]() as session:
        chains = {pid: passage_chain(session, pid) for pid in session.scalars(select(Passage.id))}
        traced = [pid for pid, chain in chains.items() if chain]
        assert traced
        session.execute(delete(ReuseLink))
        assert all(passage_chain(session, pid) == [] for pid in traced)
        session.rollback()
        assert {pid: passage_chain(session, pid) for pid in traced} == {pid: chains[pid] for pid in traced}
