"""What a passage-chain walk reads (``service.provenance.chain_data.ChainData``): a document's links
to its chain and parents first, its links to likelier sources only when those did not hold the
passage, and never a partial link set where all of a document's links are needed.

A hand-made lineage (rows written directly) so that each kind of link is present:

- ``child`` has the best parent ``parent``; their link's direction score leans the other way
  (the lineage chose the parent on other cues), so only the chain-and-parents read finds it;
- ``side_b_source`` took ``child``'s passage 1 (not a parent; the link's ``a`` side, direction > 0);
- ``side_a_source`` took ``child``'s passage 2 (not a parent; the link's ``b`` side, direction < 0);
- ``copy`` is a copy of ``child`` (its parent): ``child`` is the source of that link.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask


def _document(session: Any, name: str, passages: int) -> int:
    from service.models import Document, Passage

    texts = [f"{name} passage number {i} says something of its own here." for i in range(passages)]
    doc = Document(title=name, outlet=name, text=" ".join(texts), content_hash=name, passage_count=passages)
    session.add(doc)
    session.flush()
    start = 0
    for seq, text in enumerate(texts):
        session.add(Passage(document_id=doc.id, seq=seq, start=start, end=start + len(text), text=text))
        start += len(text) + 1
    return int(doc.id)


def _link(session: Any, a: int, b: int, direction: float, pairs: list[tuple[int, int]]) -> None:
    from service.models import ReuseLink

    session.add(ReuseLink(
        a_id=a, b_id=b, linked=True, strength=0.8, direction=direction, coverage_a=0.5, coverage_b=0.5,
        copied_share=0.5, aligned=len(pairs), mutations=0, relation_a_child="copy", relation_b_child="copy",
        pairs=[[sa, sb, 0.97, "verbatim", []] for sa, sb in pairs], reasons=[],
    ))


@pytest.fixture()
def lineage(app: Flask) -> dict[str, int]:
    from service.models import LineageNode

    with app.extensions["sessionmaker"]() as session:
        ids = {name: _document(session, name, 3)
               for name in ("parent", "side_b_source", "child", "side_a_source", "copy", "unrelated")}
        _link(session, ids["child"], ids["parent"], 0.5, [(0, 0)])  # leans to child as the source
        _link(session, ids["side_b_source"], ids["child"], 2.0, [(0, 1)])
        _link(session, ids["child"], ids["side_a_source"], -2.0, [(2, 0)])
        _link(session, ids["child"], ids["copy"], 2.0, [(1, 1), (2, 2)])
        for name, parents in (("child", [[ids["parent"], 0.9, "copy", 1.0]]),
                              ("copy", [[ids["child"], 0.9, "copy", 1.0]])):
            session.add(LineageNode(document_id=ids[name], parents=parents))
        for name in ("parent", "side_b_source", "side_a_source", "unrelated"):
            session.add(LineageNode(document_id=ids[name], original_confidence=0.7, parents=[]))
        session.commit()
    return ids


def _passage(session: Any, doc_id: int, seq: int) -> int:
    from sqlalchemy import select

    from service.models import Passage

    return int(session.scalar(select(Passage.id).where(Passage.document_id == doc_id, Passage.seq == seq)))


def _hops(chain: list[dict[str, Any]]) -> list[tuple[int, int]]:
    return [(h["document"]["id"], h["passage"]["seq"]) for h in chain]


def test_a_walk_reads_its_chain_first_and_other_sources_only_when_needed(app: Flask,
                                                                         lineage: dict[str, int]) -> None:
    from service.provenance.chain_data import chain_data
    from service.provenance.read import passage_chains

    ids = lineage
    with app.extensions["sessionmaker"]() as session:
        from_parent = _passage(session, ids["child"], 0)
        own = _passage(session, ids["copy"], 0)  # the copy's own passage: its walk reads the child link
        first = passage_chains(session, [from_parent, own])
        assert _hops(first[from_parent]) == [(ids["parent"], 0)]
        assert first[own] == []
        data = chain_data(session)
        # the parent held the passage: the child's other links (to its copy among them: read for
        # the copy, not kept as the child's) were not read
        assert set(data.links[ids["child"]]) == {ids["parent"]}
        assert set(data.links[ids["copy"]]) == {ids["child"]}
        assert not data.upstream_known(ids["child"])
        with pytest.raises(LookupError):
            data.upstream(ids["child"])

        # in the same transaction, walks that need the child's non-parent sources still find them,
        # whichever side of the stored link the child is
        starts = {seq: _passage(session, ids["child"], seq) for seq in (1, 2)}
        from_copy = _passage(session, ids["copy"], 1)
        chains = passage_chains(session, [*starts.values(), from_copy])
        assert _hops(chains[starts[1]]) == [(ids["side_b_source"], 0)]
        assert _hops(chains[starts[2]]) == [(ids["side_a_source"], 0)]
        assert _hops(chains[from_copy]) == [(ids["child"], 1), (ids["side_b_source"], 0)]
        # the copy is never upstream of the child, so its link was still not read from the child's side
        assert set(data.links[ids["child"]]) == {ids["parent"], ids["side_b_source"], ids["side_a_source"]}
        assert data.upstream(ids["child"]) == [ids["parent"], *sorted([ids["side_a_source"], ids["side_b_source"]])]


def test_a_partial_link_set_is_completed_before_a_document_answer(app: Flask, lineage: dict[str, int]) -> None:
    from service.provenance.read import document_provenance, passage_chains

    ids = lineage
    with app.extensions["sessionmaker"]() as session:
        expected = {d: document_provenance(session, d) for d in ids.values()}
    with app.extensions["sessionmaker"]() as session:
        # the walks read some links of each document (none of a source's links to its copies)...
        passage_chains(session, [_passage(session, d, seq) for d in ids.values() for seq in range(3)])
        # ...and a document answer in the same transaction still sees all of them
        got = {d: document_provenance(session, d) for d in ids.values()}
    assert got == expected
    source = expected[ids["side_b_source"]]
    assert source is not None and source["is_original"] and source["confidence"] is not None
    assert expected[ids["unrelated"]]["confidence"] is None  # type: ignore[index]
