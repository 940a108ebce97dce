"""The one JSON form of stored pairs and parents."""

from __future__ import annotations

from service.core.lineage.resolve import ParentChoice
from service.core.reuse.records import (
    AlignedRef,
    FactChange,
    a_seqs,
    b_seqs,
    pairs_from_json,
    pairs_to_json,
    parents_from_json,
    parents_to_json,
)

PAIR = AlignedRef(2, 5, 0.9, "near", (FactChange("number", "$14 billion", "$1.4 billion"),))


def test_a_pair_round_trips_through_json() -> None:
    raw = pairs_to_json([PAIR])
    assert raw == [[2, 5, 0.9, "near", [["number", "$14 billion", "$1.4 billion"]]]]
    assert pairs_from_json(raw) == [PAIR]
    assert a_seqs(raw) == {2} and b_seqs(raw) == {5}


def test_a_pair_seen_from_the_other_side_swaps_passages_and_values() -> None:
    (flipped,) = pairs_from_json(pairs_to_json([PAIR]), from_a=False)
    assert (flipped.this_seq, flipped.other_seq) == (5, 2)
    assert flipped.changes == (FactChange("number", "$1.4 billion", "$14 billion"),)
    assert flipped.flipped() == PAIR


def test_parents_round_trip_with_the_score_rounded() -> None:
    choice = ParentChoice(parent=4, confidence=0.83, relation="verbatim", score=2.123456)
    raw = parents_to_json([choice])
    assert raw == [[4, 0.83, "verbatim", 2.1235]]
    assert parents_from_json(raw) == [ParentChoice(4, 0.83, "verbatim", 2.1235)]
    assert parents_from_json(None) == []
