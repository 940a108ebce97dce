"""Direction from third documents: the side whose text others share beyond the pair is the source."""

from __future__ import annotations

from service.core.lineage.resolve import PairRecord, resolve
from service.core.lineage.witnesses import closer, witness_adjust


def _link(a: int, b: int, a_seqs: dict[int, float], b_seqs: dict[int, float], direction: float = 0.0,
          same_outlet: bool = False) -> PairRecord:
    share = len(a_seqs) / 10
    return PairRecord(a, b, 0.3 + 0.5 * share, direction, 0, True, len(a_seqs), "excerpt", "excerpt", 1.0,
                      coverage_a=share, coverage_b=share, a_passages=a_seqs, b_passages=b_seqs,
                      same_outlet=same_outlet)


def _same(seqs: range | list[int], similarity: float = 1.0) -> dict[int, float]:
    return {s: similarity for s in seqs}


def _hub(direction: float = 0.0) -> list[PairRecord]:
    """A source (1) of ten sentences; a near-complete copy (2) that reworded sentence 3 and dropped
    sentence 9; three short excerpts (3, 4, 5), each taking its own sentences of the source word for word.
    The copy's sentences are numbered as the source's (it keeps their order)."""
    records = [_link(1, 2, {**_same([0, 1, 2, 4, 5, 6, 7, 8]), 3: 0.6},
                     {**_same([0, 1, 2, 4, 5, 6, 7, 8]), 3: 0.6}, direction)]
    excerpts = {3: [2, 3], 4: [8, 9], 5: [3, 4, 5]}
    for node, taken in excerpts.items():
        # The excerpt's own sentences are numbered 0.. in the order taken.
        records.append(_link(1, node, _same(taken), _same(range(len(taken))), 2.0))
        kept = [s for s in taken if s not in (3, 9)]  # what the copy still holds as the source wrote it
        if kept:
            records.append(_link(2, node, _same(kept), _same([taken.index(s) for s in kept]), 0.0))
    return records


def test_a_third_document_is_closer_to_the_side_that_kept_its_text() -> None:
    # Sentence 0 is aligned word for word with x and reworded in y; sentence 1 only with x.
    assert closer({0: 1.0, 1: 0.95}, {0: 0.6}) == 2
    assert closer({0: 0.6}, {0: 1.0, 1: 0.95}) == 0
    # Differences within the noise of rewording say nothing.
    assert closer({0: 0.7}, {0: 0.66}) == 0


def test_the_source_of_many_excerpts_is_not_the_child_of_its_near_complete_copy() -> None:
    adjust = witness_adjust(_hub())
    # Every excerpt holds text the copy dropped or changed: all witness for the source.
    assert adjust[(1, 2)] > 1.0
    # The pair's own evidence leaning slightly the wrong way (the copy is a bit longer) is overruled.
    result = resolve(_hub(direction=-0.5), {n: f"k{n}" for n in range(1, 6)})
    assert result.parents[1] == []
    assert result.parents[2][0].parent == 1


def test_identical_texts_have_no_witnesses_either_way() -> None:
    # Two word-for-word copies of each other; every excerpt took the same text from both.
    records = [_link(1, 2, _same(range(10)), _same(range(10)))]
    for node, taken in {3: [0, 1], 4: [5, 6], 5: [8, 9]}.items():
        records.append(_link(1, node, _same(taken), _same(range(2))))
        records.append(_link(2, node, _same(taken), _same(range(2))))
    assert (1, 2) not in witness_adjust(records)


def test_one_further_copy_is_not_enough() -> None:
    # A single document closer to one side is also what a copy of a copy looks like.
    records = [
        _link(1, 2, _same(range(8)), _same(range(8))),
        _link(1, 3, _same([8, 9]), _same([0, 1])),
    ]
    assert witness_adjust(records) == {}


def test_an_outlets_update_and_pages_of_blocks_are_left_to_their_own_rules() -> None:
    # v1 (1) and its update v2 (2) by one outlet; copies of v2 carry what it added.
    records = [_link(1, 2, _same(range(6)), _same(range(6)), same_outlet=True)]
    for node in (3, 4, 5):
        records.append(_link(2, node, _same([6, 7, 8]), _same([0, 1, 2])))
        records.append(_link(1, node, _same([0]), _same([3])))
    assert (1, 2) not in witness_adjust(records)
    assert not any(1 in pair for pair in witness_adjust(_hub(), pages={1}))


def test_copies_of_a_common_source_are_siblings_not_source_and_copy() -> None:
    # A wire story (1) reprinted whole (2) and in part (3, its sentences 4-9), each reprint credited
    # (a clear direction on its own evidence); three more reprints (4, 5, 6) took sentences 0-3,
    # which the fuller reprint 2 holds and 3 lacks.
    records = [_link(1, 2, _same(range(10)), _same(range(10)), 4.0),
               _link(1, 3, _same(range(4, 10)), _same(range(6)), 4.0),
               _link(2, 3, _same(range(4, 10)), _same(range(6)))]
    for node in (4, 5, 6):
        records.append(_link(1, node, _same(range(4)), _same(range(4)), 4.0))
        records.append(_link(2, node, _same(range(4)), _same(range(4))))
    assert (2, 3) not in witness_adjust(records)
    # Without the common source's clear direction, the fuller text would count as the hub.
    for r in records:
        r.direction = 0.0
    assert witness_adjust(records).get((2, 3), 0.0) > 0


def test_a_copy_of_an_update_is_not_the_source_of_the_first_version() -> None:
    # v1 (1) and its update v2 (2) by one outlet; 3 copies v2 whole by another outlet, and
    # copies of v2 (4, 5, 6) share v2's new sentences 6-8 with it; 3 holds v1's text and more.
    records = [_link(1, 2, _same(range(6)), _same(range(6)), same_outlet=True),
               _link(2, 3, _same(range(9)), _same(range(9))),
               _link(1, 3, _same(range(6)), _same(range(6)))]
    records[2].coverage_a, records[2].coverage_b = 0.9, 0.75  # v1 mostly inside the copy
    for node in (4, 5, 6):
        records.append(_link(2, node, _same([6, 7, 8]), _same([0, 1, 2])))
        records.append(_link(3, node, _same([6, 7, 8]), _same([0, 1, 2])))
    records[1].coverage_a = records[1].coverage_b = 0.9
    assert (1, 3) not in witness_adjust(records)
