"""A text wholly inside another is its excerpt unless third documents hold the other's extra text in its wording."""

from __future__ import annotations

from collections.abc import Mapping

from service.core.lineage.direction import EXCERPT
from service.core.lineage.readings import reading_counts, readings_adjust, witness_readings
from service.core.lineage.resolve import PairRecord, resolve

SHORT, LONG = 1, 2


def _link(a: int, b: int, a_seqs: dict[int, float], b_seqs: dict[int, float], direction: float = 0.0,
          coverage: tuple[float, float] = (0.5, 0.5), same_outlet: bool = False) -> PairRecord:
    return PairRecord(a, b, 0.6, direction, 0, True, len(a_seqs), "excerpt", "excerpt", 1.0,
                      coverage_a=coverage[0], coverage_b=coverage[1], a_passages=a_seqs, b_passages=b_seqs,
                      same_outlet=same_outlet)


def _pair(direction: float = -EXCERPT, same_outlet: bool = False) -> PairRecord:
    """SHORT (sentences 0-5) wholly inside LONG (sentences 0-9), LONG reworded sentences 1 and 3:
    the excerpt rule makes SHORT the child (direction < 0: b is the source)."""
    seqs = {0: 1.0, 1: 0.7, 2: 1.0, 3: 0.7, 4: 1.0, 5: 1.0}
    return _link(SHORT, LONG, seqs, dict(seqs), direction, (0.95, 0.6), same_outlet)


def _fuller_text_witnesses(n: int, first: int = 3) -> list[PairRecord]:
    """Third documents that took from a fuller text: SHORT's wording of sentence 1 (which LONG
    reworded) and LONG's sentences 7-8, which SHORT lacks. A witness's own sentences: 0 = the
    source's sentence 1, 1-2 = its sentences 7-8."""
    records = []
    for z in range(first, first + n):
        records.append(_link(SHORT, z, {1: 1.0}, {0: 1.0}))
        records.append(_link(LONG, z, {1: 0.7, 7: 1.0, 8: 1.0}, {0: 0.7, 1: 1.0, 2: 1.0}))
    return records


def _copies_of_long(n: int, first: int = 10) -> list[PairRecord]:
    """Copies of LONG: its wording of sentence 1 and its sentences 7-8."""
    records = []
    for z in range(first, first + n):
        records.append(_link(SHORT, z, {1: 0.7}, {0: 0.7}))
        records.append(_link(LONG, z, {1: 1.0, 7: 1.0, 8: 1.0}, {0: 1.0, 1: 1.0, 2: 1.0}))
    return records


def test_a_passage_is_read_as_the_side_it_is_closer_to() -> None:
    # Passage 0 in the short side's wording, passage 1 only in the long side: a mixed witness.
    assert reading_counts({0: 1.0}, {0: 0.7, 1: 1.0}) == (1, 0, 1)
    # The long side's wording of common text.
    assert reading_counts({0: 0.7}, {0: 1.0, 1: 1.0}) == (0, 1, 1)
    # Within the noise of rewording: neither side's reading.
    assert reading_counts({0: 0.7}, {0: 0.68}) == (0, 0, 0)


def test_witnesses_of_a_fuller_text_undo_the_excerpt_rule() -> None:
    records = [_pair()] + _fuller_text_witnesses(3)
    shared: dict[int, dict[int, Mapping[int, float]]] = {}
    for r in records:
        assert r.a_passages is not None and r.b_passages is not None
        shared.setdefault(r.a, {})[r.b] = r.a_passages
        shared.setdefault(r.b, {})[r.a] = r.b_passages
    assert witness_readings(shared, SHORT, LONG) == (3, 0, 3)
    adjust = readings_adjust(records)
    # The excerpt push is withdrawn and the pair leans to the short side.
    assert adjust[(SHORT, LONG)] > EXCERPT
    result = resolve(records, {n: f"k{n:02d}" for n in range(1, 8)})
    assert result.parents[SHORT] == []
    assert result.parents[LONG][0].parent == SHORT


def test_copies_of_the_longer_side_keep_the_excerpt_rule() -> None:
    # A wire story with full copies, and an excerpt with a few words changed: no mixed witness.
    assert readings_adjust([_pair()] + _copies_of_long(3)) == {}
    # Mixed witnesses outnumbered by copies of the longer side: no clear balance either.
    assert readings_adjust([_pair()] + _fuller_text_witnesses(2) + _copies_of_long(3)) == {}


def test_one_mixed_witness_is_not_enough() -> None:
    # One document holding both sides' text is what a digest quoting both looks like.
    assert readings_adjust([_pair()] + _fuller_text_witnesses(1)) == {}


def test_pairs_the_excerpt_rule_did_not_orient_are_left_alone() -> None:
    # The pair's own evidence already makes the short side the source, or is undecided.
    assert readings_adjust([_pair(direction=1.0)] + _fuller_text_witnesses(3)) == {}
    # One outlet's versions: the update rule decides.
    assert readings_adjust([_pair(same_outlet=True)] + _fuller_text_witnesses(3)) == {}
    # Pages of separate blocks embed their sources.
    assert readings_adjust([_pair()] + _fuller_text_witnesses(3), pages={LONG}) == {}


def test_siblings_of_a_stored_source_are_left_to_their_parents() -> None:
    # The fuller text is stored (9) and is, on each pair's own evidence, the source of both:
    # the two are siblings, and each one's parent is 9, not the other.
    source = [_link(9, SHORT, {0: 1.0}, {0: 1.0}, direction=2.0), _link(9, LONG, {0: 1.0}, {0: 1.0}, direction=2.0)]
    assert readings_adjust([_pair()] + _fuller_text_witnesses(3) + source) == {}


def test_a_few_mixed_witnesses_among_many_copies_are_no_fuller_text() -> None:
    # Copies of the longer side that hold its extra material and share no reading difference
    # with either side (word-for-word copies of common text): 3 mixed of 12 holders is too few.
    plain = []
    for z in range(20, 29):
        plain.append(_link(SHORT, z, {1: 1.0}, {0: 1.0}))
        plain.append(_link(LONG, z, {1: 1.0, 7: 1.0}, {0: 1.0, 1: 1.0}))
    assert readings_adjust([_pair()] + _fuller_text_witnesses(3) + plain) == {}
    assert readings_adjust([_pair()] + _fuller_text_witnesses(3) + plain[:8]) != {}
