"""Lineage from pairwise evidence: chains, ties, weak links, order independence."""

from __future__ import annotations

import random
from typing import Any

from service.core.lineage.resolve import PairRecord, resolve


def _chain_records() -> list[PairRecord]:
    # A -> B -> C: B changed a figure that C repeats, so C is closer to B than to A.
    return [
        PairRecord(1, 2, 0.8, 3.0, 1, True, 10, "verbatim", "verbatim"),
        PairRecord(2, 3, 0.7, 2.0, 0, True, 9, "paraphrase", "paraphrase"),
        PairRecord(1, 3, 0.5, 2.5, 1, True, 7, "paraphrase", "paraphrase"),
    ]


def test_a_chain_puts_each_document_under_the_closest_source() -> None:
    keys = {1: "x1", 2: "x2", 3: "x3"}
    result = resolve(_chain_records(), keys)
    assert result.parents[1] == []
    assert result.parents[2][0].parent == 1
    assert result.parents[3][0].parent == 2
    assert result.original_confidence[1] > 0.5


def test_lineage_does_not_depend_on_record_order() -> None:
    keys = {1: "x1", 2: "x2", 3: "x3"}
    expected = resolve(_chain_records(), keys).parents
    for seed in range(5):
        records = _chain_records()
        random.Random(seed).shuffle(records)
        assert resolve(records, keys).parents == expected


def test_a_weak_link_counts_only_with_a_clear_direction() -> None:
    keys = {1: "x1", 2: "x2"}
    unclear = [PairRecord(1, 2, 0.05, 0.3, 0, False, 2)]
    assert resolve(unclear, keys).parents == {}
    clear = [PairRecord(1, 2, 0.05, 4.0, 0, False, 2)]
    assert resolve(clear, keys).parents[2][0].parent == 1


def test_a_tie_between_copies_goes_to_the_one_a_child_names() -> None:
    records = [
        PairRecord(1, 2, 0.95, 0.0, 0, True, 15, "verbatim", "verbatim"),  # identical texts, no cue either way
        PairRecord(1, 3, 0.4, 8.5, 0, True, 5, "excerpt", "excerpt"),  # 3 names 1 (outlet and headline)
        PairRecord(2, 3, 0.4, 4.2, 0, True, 5, "excerpt", "excerpt"),
        PairRecord(1, 4, 0.3, 2.5, 0, True, 4, "paraphrase", "paraphrase"),
        PairRecord(2, 4, 0.3, 2.5, 0, True, 4, "paraphrase", "paraphrase"),
    ]
    result = resolve(records, {1: "b", 2: "a", 3: "c", 4: "d"})
    assert result.parents[2][0].parent == 1
    assert not result.parents[1]


def _credited_chain(closeness_to_b: float) -> list[PairRecord]:
    # A (1) -> B (2), which credits A; C (3) carries the same credit of A and shares text with B.
    return [
        PairRecord(1, 2, 0.5, 5.0, 0, True, 8, "excerpt", "excerpt"),
        PairRecord(2, 3, closeness_to_b, 1.0, 0, True, 14, "verbatim", "verbatim"),
        PairRecord(1, 3, 0.45, 5.0, 0, True, 7, "excerpt", "excerpt"),
    ]


def test_a_credit_line_copied_with_a_closer_source_does_not_make_its_outlet_the_parent() -> None:
    keys = {1: "x1", 2: "x2", 3: "x3"}
    # C is a near copy of B: the credit of A came with B's text.
    assert resolve(_credited_chain(0.75), keys).parents[3][0].parent == 2
    # C shares about as much with B as with A (B is a copy of A): C's own credit of A stands.
    assert resolve(_credited_chain(0.5), keys).parents[3][0].parent == 1


def _acyclic(parents: dict[int, list[Any]]) -> bool:
    seen: dict[int, int] = {}

    def visit(node: int) -> bool:
        if seen.get(node) == 1:
            return False
        if seen.get(node) == 2:
            return True
        seen[node] = 1
        ok = all(visit(p.parent) for p in parents.get(node, []))
        seen[node] = 2
        return ok

    return all(visit(n) for n in parents)


def test_contradictory_evidence_never_makes_a_cycle() -> None:
    # Each link, on its own evidence, says: 1 -> 2, 2 -> 3, 3 -> 1 (a loop), plus a weaker 1 -> 3.
    records = [
        PairRecord(1, 2, 0.9, 3.0, 0, True, 12, "verbatim", "verbatim"),
        PairRecord(2, 3, 0.8, 3.0, 0, True, 11, "verbatim", "verbatim"),
        PairRecord(1, 3, 0.3, -2.5, 0, True, 4, "excerpt", "excerpt"),
    ]
    result = resolve(records, {1: "a", 2: "b", 3: "c"})
    assert any(result.parents[n] for n in (1, 2, 3))
    assert _acyclic(result.parents)
    roots = [n for n in (1, 2, 3) if not result.parents[n]]
    assert roots, "every chain ends at a document without a parent"
    for node in (1, 2, 3):  # walking best parents always reaches a root
        seen = {node}
        while result.parents[node]:
            node = result.parents[node][0].parent
            assert node not in seen
            seen.add(node)
        assert node in roots


def test_parents_are_listed_in_decreasing_confidence() -> None:
    # 3 took from both 1 and 2 (a round-up): two parents, shares of one confidence.
    records = [
        PairRecord(1, 3, 0.6, 3.0, 0, True, 8, "excerpt", "excerpt"),
        PairRecord(2, 3, 0.5, 1.2, 0, True, 6, "excerpt", "excerpt"),
    ]
    parents = resolve(records, {1: "a", 2: "b", 3: "c"}).parents[3]
    assert [p.parent for p in parents] == [1, 2]
    confidences = [p.confidence for p in parents]
    assert confidences == sorted(confidences, reverse=True)
    assert 0 < sum(confidences) <= 0.99


def test_a_story_credited_by_others_is_the_source_of_an_uncredited_copy_with_an_earlier_date() -> None:
    from datetime import UTC, datetime

    # 1 is the story; 2 an uncredited near-copy dated (wrongly) an hour before it; 3 and 4 credit 1.
    records = [
        PairRecord(1, 2, 0.9, -1.5, 0, True, 12, "verbatim", "verbatim", copied_share=1.0, cited=0),
        PairRecord(1, 3, 0.6, 6.0, 0, True, 8, "excerpt", "excerpt", copied_share=1.0, cited=1),
        PairRecord(1, 4, 0.6, 6.0, 0, True, 8, "excerpt", "excerpt", copied_share=1.0, cited=1),
    ]
    published = {1: datetime(2026, 5, 1, 9, tzinfo=UTC), 2: datetime(2026, 5, 1, 8, tzinfo=UTC),
                 3: datetime(2026, 5, 1, 10, tzinfo=UTC), 4: datetime(2026, 5, 1, 11, tzinfo=UTC)}
    result = resolve(records, {1: "a", 2: "b", 3: "c", 4: "d"}, published)
    assert result.parents[1] == []
    assert [p.parent for p in result.parents[2]] == [1]
    # Without the credits the dates decide: the earlier copy would be the source.
    uncredited = [PairRecord(1, 2, 0.9, -1.5, 0, True, 12, "verbatim", "verbatim", copied_share=1.0, cited=0)]
    assert [p.parent for p in resolve(uncredited, {1: "a", 2: "b"}, published).parents[1]] == [2]


def test_a_copy_takes_from_the_upstream_source_when_a_sibling_copy_adds_nothing() -> None:
    # 1 is a wire story, 2 a long reprint of it and 3 a short one, wholly inside both: 3 shares
    # more with 2 (closer in length), but 1 explains all of 3 and is 2's source.
    records = [
        PairRecord(1, 2, 0.85, 3.0, 0, True, 12, "verbatim", "verbatim", coverage_a=0.8, coverage_b=0.95),
        PairRecord(1, 3, 0.75, 3.0, 0, True, 6, "excerpt", "excerpt", coverage_a=0.45, coverage_b=0.95),
        PairRecord(2, 3, 0.8, 2.0, 0, True, 6, "excerpt", "excerpt", coverage_a=0.55, coverage_b=0.95),
    ]
    result = resolve(records, {1: "x1", 2: "x2", 3: "x3"})
    assert result.parents[2][0].parent == 1
    assert result.parents[3][0].parent == 1


def test_a_copy_of_a_copy_keeps_the_copy_it_took_additions_from() -> None:
    # 3 copied 2, which framed 1's text with its own sentences: 1 explains much less of 3.
    records = [
        PairRecord(1, 2, 0.6, 3.0, 0, True, 8, "excerpt", "excerpt", coverage_a=0.4, coverage_b=0.7),
        PairRecord(1, 3, 0.55, 3.0, 0, True, 8, "excerpt", "excerpt", coverage_a=0.4, coverage_b=0.68),
        PairRecord(2, 3, 0.95, 2.0, 0, True, 12, "verbatim", "verbatim", coverage_a=0.98, coverage_b=0.98),
    ]
    result = resolve(records, {1: "x1", 2: "x2", 3: "x3"})
    assert result.parents[3][0].parent == 2


def test_a_sibling_with_fewer_changed_facts_keeps_its_place() -> None:
    # 3 repeats a figure that 2 changed and 1 did not: 2 is its source, however much 1 explains.
    records = [
        PairRecord(1, 2, 0.85, 3.0, 1, True, 12, "verbatim", "verbatim", coverage_a=0.9, coverage_b=0.95),
        PairRecord(1, 3, 0.8, 3.0, 1, True, 10, "verbatim", "verbatim", coverage_a=0.85, coverage_b=0.95),
        PairRecord(2, 3, 0.85, 2.0, 0, True, 10, "verbatim", "verbatim", coverage_a=0.9, coverage_b=0.95),
    ]
    result = resolve(records, {1: "x1", 2: "x2", 3: "x3"})
    assert result.parents[3][0].parent == 2


def test_a_copy_of_a_rewrite_keeps_the_rewrite() -> None:
    # 2 reworded 1; 3 copied 2 word for word: 1 explains as much of 3 only through rewording.
    records = [
        PairRecord(1, 2, 0.6, 3.0, 0, True, 8, "paraphrase", "paraphrase", 0.1, coverage_a=0.7, coverage_b=0.75),
        PairRecord(1, 3, 0.6, 3.0, 0, True, 8, "paraphrase", "paraphrase", 0.1, coverage_a=0.7, coverage_b=0.75),
        PairRecord(2, 3, 0.7, 2.0, 0, True, 6, "excerpt", "excerpt", 1.0, coverage_a=0.6, coverage_b=0.75),
    ]
    result = resolve(records, {1: "x1", 2: "x2", 3: "x3"})
    assert result.parents[3][0].parent == 2


def test_a_copy_naming_a_sibling_keeps_it() -> None:
    # 3 credits 2 (cited = +1: b names a), though 1, 2's source, explains as much of it.
    records = [
        PairRecord(1, 2, 0.85, 3.0, 0, True, 12, "verbatim", "verbatim", 1.0, coverage_a=0.8, coverage_b=0.95),
        PairRecord(1, 3, 0.75, 3.0, 0, True, 6, "excerpt", "excerpt", 1.0, coverage_a=0.45, coverage_b=0.95),
        PairRecord(2, 3, 0.8, 5.0, 0, True, 6, "excerpt", "excerpt", 1.0, coverage_a=0.55, coverage_b=0.95, cited=1),
    ]
    result = resolve(records, {1: "x1", 2: "x2", 3: "x3"})
    assert result.parents[3][0].parent == 2


def test_a_copy_of_the_first_version_keeps_it_over_the_update() -> None:
    # 2 is the outlet's own update of 1 (same outlet), oriented here as 1's source, as an undated
    # update that added sentences can be; 3 copied 1 whole: the update is no copy adding nothing.
    records = [
        PairRecord(2, 1, 0.85, 2.0, 0, True, 12, "excerpt", "excerpt", 1.0, coverage_a=0.8, coverage_b=0.97,
                   same_outlet=True),
        PairRecord(2, 3, 0.8, 2.0, 0, True, 12, "excerpt", "excerpt", 1.0, coverage_a=0.8, coverage_b=0.95),
        PairRecord(1, 3, 0.93, 2.0, 0, True, 12, "verbatim", "verbatim", 1.0, coverage_a=0.97, coverage_b=0.97),
    ]
    result = resolve(records, {1: "x1", 2: "x2", 3: "x3"})
    assert result.parents[3][0].parent == 1


def _embedded(node_coverage: float) -> list[PairRecord]:
    # Document 1 shares disjoint regions with 2 and 3, each wholly inside it (containment says 1
    # is the source, +2).
    return [
        PairRecord(1, 2, 0.5, 2.0, 0, True, 3, "excerpt", "excerpt", 1.0, (0, 2), (0, 2),
                   coverage_a=node_coverage, coverage_b=0.95),
        PairRecord(1, 3, 0.5, 2.0, 0, True, 3, "excerpt", "excerpt", 1.0, (10, 12), (0, 2),
                   coverage_a=node_coverage, coverage_b=0.95),
    ]


def test_a_page_made_of_embedded_documents_is_their_aggregator() -> None:
    result = resolve(_embedded(0.4), {1: "x1", 2: "x2", 3: "x3"})
    assert {c.parent for c in result.parents[1]} == {2, 3}


def test_a_long_report_excerpted_by_several_briefs_is_their_source() -> None:
    result = resolve(_embedded(0.15), {1: "x1", 2: "x2", 3: "x3"})
    assert result.parents[1] == []
    assert result.parents[2][0].parent == 1 and result.parents[3][0].parent == 1


def test_a_story_whose_copies_take_overlapping_parts_is_no_aggregator() -> None:
    # 1 is copied by 2..5: three take its lead (overlapping), one a later window.
    regions = {2: (0, 5), 3: (0, 7), 4: (0, 4), 5: (9, 13)}
    records = [PairRecord(1, c, 0.6, 1.0, 0, True, 5, "excerpt", "excerpt", 1.0, region, (0, region[1] - region[0]),
                          coverage_a=0.45, coverage_b=0.95) for c, region in regions.items()]
    result = resolve(records, {i: f"x{i}" for i in range(1, 6)})
    assert result.parents[1] == []
    assert all(result.parents[c][0].parent == 1 for c in regions)


def test_credits_by_others_win_against_the_dates_and_a_triad_not_against_strong_text() -> None:
    from datetime import UTC, datetime

    published = {1: datetime(2026, 5, 1, 9, tzinfo=UTC), 2: datetime(2026, 5, 1, 8, tzinfo=UTC),
                 3: datetime(2026, 5, 1, 10, tzinfo=UTC), 4: datetime(2026, 5, 1, 11, tzinfo=UTC)}
    keys = {1: "a", 2: "b", 3: "c", 4: "d"}
    credits = [PairRecord(1, 3, 0.6, 6.0, 0, True, 8, "excerpt", "excerpt", copied_share=1.0, cited=1),
               PairRecord(1, 4, 0.6, 6.0, 0, True, 8, "excerpt", "excerpt", copied_share=1.0, cited=1)]
    # The earlier, uncredited near-copy 2 with text leaning its way too (3.3 with the dates).
    dated = [PairRecord(1, 2, 0.9, -3.3, 0, True, 12, "verbatim", "verbatim", copied_share=1.0, cited=0)]
    assert [p.parent for p in resolve(dated + credits, keys, published).parents[2]] == [1]
    # 2 credited by 3 and 4, and an excerpt wholly inside 1 (strong text: -7): still 1's excerpt.
    excerpt = [PairRecord(1, 2, 0.4, 7.0, 0, True, 4, "excerpt", "excerpt", copied_share=1.0, cited=0),
               PairRecord(2, 3, 0.9, 6.0, 0, True, 8, "verbatim", "verbatim", copied_share=1.0, cited=1),
               PairRecord(2, 4, 0.9, 6.0, 0, True, 8, "verbatim", "verbatim", copied_share=1.0, cited=1)]
    later = {**published, 2: datetime(2026, 5, 1, 9, 30, tzinfo=UTC)}
    assert resolve(excerpt, keys, later).parents[1] == []
    assert [p.parent for p in resolve(excerpt, keys, later).parents[2]][0] == 1
