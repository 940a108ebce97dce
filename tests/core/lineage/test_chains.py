"""The one document walk and the one passage walk, over plain mappings."""

from __future__ import annotations

from service.core.lineage.chains import LinkView, PassageWalk, document_chain, upstream
from service.core.lineage.direction import source_probability
from service.core.lineage.resolve import ParentChoice
from service.core.reuse.records import AlignedRef


def _parents(table: dict[int, list[int]]) -> dict[int, list[ParentChoice]]:
    return {doc: [ParentChoice(p, 0.8 - 0.1 * i, "verbatim", 1.0) for i, p in enumerate(ps)]
            for doc, ps in table.items()}


def test_the_document_chain_follows_best_parents_to_the_origin() -> None:
    parents = _parents({3: [2, 9], 2: [1], 1: []})
    assert document_chain(3, lambda d: parents.get(d, [])) == [(3, 1.0), (2, 0.8), (1, 0.8)]


def test_the_document_chain_ends_whatever_it_reads() -> None:
    parents = _parents({1: [2], 2: [3], 3: [1]})  # a cycle, as corrupt data could hold
    chain = document_chain(1, lambda d: parents.get(d, []))
    assert [d for d, _ in chain] == [1, 2, 3]


def _view(other: int, p_other: float, pairs: list[AlignedRef], strength: float = 1.0) -> LinkView:
    return LinkView(other, p_other, 0.5, 0.5, strength, pairs)


def test_upstream_puts_the_chain_first_then_parents_then_likely_sources() -> None:
    links = {
        2: _view(2, 0.9, []),
        5: _view(5, 0.7, []),
        6: _view(6, 0.9, [], strength=0.5),
        7: _view(7, 0.3, []),  # more likely a copy of this one: not upstream
        8: _view(8, 0.6, []),
    }
    parents = [ParentChoice(2, 0.9, "verbatim", 1.0), ParentChoice(8, 0.5, "excerpt", 0.2)]
    assert upstream(links, parents, [1, 2, 4]) == [2, 8, 5, 6]


def test_a_passage_walks_to_the_best_aligned_passage_upstream() -> None:
    links = {
        2: _view(2, 1.0, [AlignedRef(0, 3, 0.6, "paraphrase", ()), AlignedRef(0, 4, 0.99, "verbatim", ())]),
    }
    walk = PassageWalk(1, 0, {1})
    assert walk.step(links, [2])
    assert (walk.doc_id, walk.seq) == (2, 4)
    assert walk.hops[0].relation == "verbatim" and walk.hops[0].confidence == 0.99
    assert not walk.step({}, [])


def test_a_passage_walk_never_revisits_a_document() -> None:
    links = {1: _view(1, 1.0, [AlignedRef(0, 0, 1.0, "verbatim", ())])}
    walk = PassageWalk(2, 0, {2, 1})
    assert not walk.step(links, [1])
    assert walk.hops == []


def test_source_probability_is_centred_on_zero() -> None:
    assert source_probability(0.0) == 0.5
    assert 0.5 < source_probability(2.0) < 1.0 and 0.0 < source_probability(-2.0) < 0.5


def test_a_link_view_parses_its_stored_pairs_only_when_read() -> None:
    import json
    from types import SimpleNamespace

    from service.core.lineage.chains import link_view
    from service.core.reuse.records import pairs_from_json

    stored = [[0, 3, 0.98, "verbatim", []], [1, 4, 0.7, "paraphrase", [["number", "5", "50"]]],
              [1, 5, 0.9, "excerpt", []]]
    row = SimpleNamespace(a_id=10, b_id=20, direction=2.0, coverage_a=0.4, coverage_b=0.6, strength=0.8,
                          pairs=json.dumps(stored))
    for from_a, seq in ((True, 1), (False, 4)):
        view = link_view(row, from_a=from_a)
        assert view._pairs is None and isinstance(view._raw, str)  # nothing parsed yet
        expected = pairs_from_json(stored, from_a=from_a)
        assert view.pairs_at(seq) == [p for p in expected if p.this_seq == seq]
        assert view._pairs is None  # only the passage's pairs were built
        assert view.pairs == expected
        assert view.pairs_at(seq) == [p for p in expected if p.this_seq == seq]
    assert link_view(row, from_a=True).other == 20 and link_view(row, from_a=False).other == 10
    assert link_view(row, from_a=False).p_other_source == source_probability(2.0)
