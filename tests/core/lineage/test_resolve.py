"""Lineage from pairwise evidence: chains, ties, weak links, order independence."""

from __future__ import annotations

import random
from dataclasses import replace
from typing import Any

from service.core.lineage.resolve import PairRecord, _aggregator_adjust, _hub_adjust, resolve


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


def _copy(a: int, b: int, strength: float, direction: float, a_seqs: dict[int, float],
          b_seqs: dict[int, float], a_region: tuple[int, int] | None = None,
          b_region: tuple[int, int] | None = None) -> PairRecord:
    """A linked pair of copied text with the aligned passages of each side."""
    return PairRecord(a, b, strength, direction, 0, True, len(a_seqs), "excerpt", "excerpt", 1.0,
                      a_region, b_region, 0.5, 0.5, 0, a_seqs, b_seqs)


def test_a_source_whose_copies_overlap_in_it_is_not_their_aggregator() -> None:
    # Source 1; copies 2, 3, 4 took overlapping stretches of it (0-3, 2-5, 4-7): one group.
    records = [
        _copy(1, 2, 0.4, 0.0, {0: 1.0, 1: 1.0, 2: 1.0, 3: 1.0}, {0: 1.0, 1: 1.0, 2: 1.0, 3: 1.0}, (0, 3), (0, 3)),
        _copy(1, 3, 0.4, 0.0, {2: 1.0, 3: 1.0, 4: 1.0, 5: 1.0}, {0: 1.0, 1: 1.0, 2: 1.0, 3: 1.0}, (2, 5), (0, 3)),
        _copy(1, 4, 0.4, 0.0, {4: 1.0, 5: 1.0, 6: 1.0, 7: 1.0}, {0: 1.0, 1: 1.0, 2: 1.0, 3: 1.0}, (4, 7), (0, 3)),
    ]
    assert _aggregator_adjust(records) == {}


def test_a_long_article_built_on_two_separate_briefs_takes_them_as_sources() -> None:
    # A wire flash (2) and a second flash (3), later expanded into one article (1) holding both
    # in separate places: the article embeds separate documents, so both are its sources.
    records = [
        _copy(1, 2, 0.3, 0.0, {1: 1.0, 2: 1.0}, {0: 1.0, 1: 1.0}, (1, 2), (0, 1)),
        _copy(1, 3, 0.3, 0.0, {8: 1.0, 9: 1.0}, {0: 1.0, 1: 1.0}, (8, 9), (0, 1)),
    ]
    adjust = _aggregator_adjust(records)
    assert adjust[(1, 2)] < 0 and adjust[(1, 3)] < 0  # negative: b (the brief) is the source
    result = resolve(records, {1: "a", 2: "b", 3: "c"})
    assert {p.parent for p in result.parents[1]} == {2, 3}


def _star(sibling_sim: float) -> list[PairRecord]:
    # Source 1 (dated first) copied by 2 and 3; 2 and 3 share passages of 1 with each other.
    # 2's passages 0-1 are aligned with 3 (at ``sibling_sim``) and, with passage 2, with 1.
    return [
        _copy(1, 2, 0.25, 3.0, {0: 0.9, 1: 0.9, 2: 0.9}, {0: 0.9, 1: 0.9, 2: 0.9}),
        _copy(1, 3, 0.5, 3.0, {0: 1.0, 1: 1.0, 5: 1.0, 6: 1.0}, {0: 1.0, 1: 1.0, 2: 1.0, 3: 1.0}),
        _copy(3, 2, 0.45, 0.5, {0: sibling_sim, 1: sibling_sim}, {0: sibling_sim, 1: sibling_sim}),
    ]


def test_a_sibling_sharing_only_the_sources_text_is_not_a_parent() -> None:
    # 3 shares more with 2 (a shorter text) than the source does, but only text 2 also
    # shares, as closely, with the source 1, which accounts for more of 2.
    result = resolve(_star(0.9), {1: "a", 2: "b", 3: "c"})
    assert [p.parent for p in result.parents[2]] == [1]
    assert result.parents[3][0].parent == 1


def test_a_copy_of_what_a_sibling_changed_keeps_the_sibling_as_parent() -> None:
    # 2 is closer to 3 than to 1 on the passages they share: it copied 3's version (1 -> 3 -> 2).
    result = resolve(_star(1.0), {1: "a", 2: "b", 3: "c"})
    assert result.parents[2][0].parent == 3


def _hub(copy_seqs: list[dict[int, float]]) -> list[PairRecord]:
    # Source 1 copied by 2, 3, 4 (undated, no text cue); copies sharing passages of 1 are linked.
    records = [_copy(1, c, 0.4, 0.0, seqs, {i: 1.0 for i in range(len(seqs))})
               for c, seqs in zip((2, 3, 4), copy_seqs, strict=True)]
    for x, y in ((2, 3), (3, 4), (2, 4)):
        common = sorted(set(copy_seqs[x - 2]) & set(copy_seqs[y - 2]))
        if common:
            xs = {sorted(copy_seqs[x - 2]).index(s): 1.0 for s in common}
            ys = {sorted(copy_seqs[y - 2]).index(s): 1.0 for s in common}
            records.append(_copy(x, y, 0.3, 0.0, xs, ys))
    return records


def test_the_document_accounting_for_what_its_copies_share_is_their_source() -> None:
    # Each copy took its own passages of 1 (some in common): whatever a copy shares with
    # another lies inside what it shares with 1, and no copy accounts for what 1 shares.
    seqs = [{0: 1.0, 1: 1.0, 2: 1.0}, {2: 1.0, 3: 1.0, 4: 1.0}, {4: 1.0, 5: 1.0, 6: 1.0}]
    records = _hub(seqs)
    adjust = _hub_adjust(records)
    assert adjust[(1, 2)] > 0 and adjust[(1, 3)] > 0 and adjust[(1, 4)] > 0
    result = resolve(records, {1: "z", 2: "a", 3: "b", 4: "c"})
    assert not result.parents.get(1)
    assert all(result.parents[c][0].parent == 1 for c in (2, 3, 4))


def test_copies_of_the_same_passages_say_nothing_about_the_hub() -> None:
    # Every document shares the same passages with every other: none accounts for more.
    seqs = [{0: 1.0, 1: 1.0, 2: 1.0}] * 3
    assert _hub_adjust(_hub(seqs)) == {}


def test_a_page_of_separate_blocks_is_left_to_the_aggregator_rule() -> None:
    # Page 1 embeds 2 whole (passages 0-2) and 3 (passages 6-8); 4 reprints 2. The page accounts
    # for what 2 shares with its reprint, but it is a page of blocks: not a hub of its sources.
    records = [
        _copy(1, 2, 0.5, 0.0, {0: 1.0, 1: 1.0, 2: 1.0}, {0: 1.0, 1: 1.0, 2: 1.0}, (0, 2), (0, 2)),
        _copy(1, 3, 0.5, 0.0, {6: 1.0, 7: 1.0, 8: 1.0}, {0: 1.0, 1: 1.0, 2: 1.0}, (6, 8), (0, 2)),
        _copy(2, 4, 0.9, 0.0, {0: 1.0, 1: 1.0, 2: 1.0}, {0: 1.0, 1: 1.0, 2: 1.0}, (0, 2), (0, 2)),
    ]
    assert _hub_adjust(records) == {}
    result = resolve(records, {1: "a", 2: "b", 3: "c", 4: "d"})
    assert {p.parent for p in result.parents[1]} >= {3}
    assert 1 not in {p.parent for p in result.parents.get(2, [])}


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


def test_a_long_report_excerpted_by_several_briefs_is_their_source() -> None:
    result = resolve(_embedded(0.15), {1: "x1", 2: "x2", 3: "x3"})
    assert result.parents[1] == []
    assert result.parents[2][0].parent == 1 and result.parents[3][0].parent == 1


def test_two_briefs_of_one_paragraph_say_nothing_about_each_other() -> None:
    # Article 3 (passages 0-9); briefs 1 and 2 each took its passages 2-4: each accounts for all
    # of what the other shares with the article.
    brief = {0: 1.0, 1: 1.0, 2: 1.0}
    records = [
        _copy(3, 1, 0.3, 0.0, {2: 1.0, 3: 1.0, 4: 1.0}, brief),
        _copy(3, 2, 0.3, 0.0, {2: 1.0, 3: 1.0, 4: 1.0}, brief),
        _copy(1, 2, 0.9, 0.0, brief, brief),
    ]
    assert (1, 2) not in _hub_adjust(records)


def _framed(node_with_sibling: dict[int, float]) -> list[PairRecord]:
    """1 a wire story; 2 and 3 copies of passages 2-6 of it by two newspapers of one template."""
    story = {seq: 1.0 for seq in range(2, 7)}
    wire = {seq + 3: 1.0 for seq in range(2, 7)}
    return [
        PairRecord(1, 2, 0.7, 3.0, 0, True, 5, "excerpt", "excerpt", 1.0, coverage_a=0.4, coverage_b=0.8,
                   a_passages=wire, b_passages=story),
        PairRecord(1, 3, 0.65, 3.0, 0, True, 5, "excerpt", "excerpt", 1.0, coverage_a=0.4, coverage_b=0.75,
                   a_passages=wire, b_passages=story),
        PairRecord(2, 3, 0.85, 0.5, 0, True, len(node_with_sibling), "verbatim", "verbatim", 1.0,
                   coverage_a=0.85, coverage_b=0.85, a_passages=node_with_sibling, b_passages=node_with_sibling),
    ]


def test_a_sign_off_two_copies_share_does_not_make_one_the_others_source() -> None:
    # 2 and 3 also share their newspapers' stock closing lines (8, 9), which the wire lacks: framing.
    result = resolve(_framed({2: 1.0, 3: 1.0, 4: 1.0, 5: 1.0, 6: 1.0, 8: 1.0, 9: 1.0}), {1: "x1", 2: "x2", 3: "x3"})
    assert result.parents[3][0].parent == 1
    assert result.parents[2][0].parent == 1


def test_a_sentence_a_copy_added_inside_the_story_still_keeps_it() -> None:
    # 3 carries passage 4, which only 2 has (2 added it inside the story; the wire lacks it).
    records = _framed({2: 1.0, 3: 1.0, 4: 1.0, 5: 1.0, 6: 1.0})
    for r in records[:2]:
        r.b_passages = {seq: 1.0 for seq in (2, 3, 5, 6)}
        r.a_passages = {seq + 3: 1.0 for seq in (2, 3, 5, 6)}
    records[2].direction = 3.0  # 2 is 3's source on the pair's own evidence
    result = resolve(records, {1: "x1", 2: "x2", 3: "x3"})
    assert result.parents[3][0].parent == 2


def _versions(copy_of_update: dict[int, float]) -> list[PairRecord]:
    """1 a story, 2 its outlet's update (a paragraph added at 4), 3 a copy by another outlet."""
    first = {seq: 1.0 for seq in (2, 3, 5, 6, 7)}
    return [
        PairRecord(1, 2, 0.9, 3.0, 0, True, 5, "verbatim", "verbatim", 1.0, coverage_a=1.0, coverage_b=0.85,
                   a_passages=first, b_passages=first, same_outlet=True),
        PairRecord(1, 3, 0.8, 3.0, 0, True, 5, "verbatim", "verbatim", 1.0, coverage_a=1.0, coverage_b=0.8,
                   a_passages=first, b_passages=first),
        PairRecord(2, 3, 0.85, 0.8, 0, True, len(copy_of_update), "verbatim", "verbatim", 1.0,
                   coverage_a=0.9, coverage_b=0.9, a_passages=copy_of_update, b_passages=copy_of_update),
    ]


def test_a_copy_holding_what_an_update_added_takes_from_the_update() -> None:
    # 1 explains all that 3 shares with it, with a clearer direction; but 3 has 2's new paragraph.
    result = resolve(_versions({2: 1.0, 3: 1.0, 4: 1.0, 5: 1.0, 6: 1.0, 7: 1.0}), {1: "x1", 2: "x2", 3: "x3"})
    assert result.parents[2][0].parent == 1
    assert result.parents[3][0].parent == 2


def test_a_copy_of_the_first_version_is_not_moved_to_the_update() -> None:
    result = resolve(_versions({2: 1.0, 3: 1.0, 5: 1.0, 6: 1.0, 7: 1.0}), {1: "x1", 2: "x2", 3: "x3"})
    assert result.parents[3][0].parent == 1


def _wording(via_source: dict[int, float], via_sibling: dict[int, float]) -> list[PairRecord]:
    # 1 is the source, 2 a copy of it (dated first among the copies), 3 the copy in question;
    # 3's passages aligned with 1 (``via_source``) and with 2 (``via_sibling``). 2 shares more with 3.
    return [
        PairRecord(1, 2, 0.85, 3.0, 0, True, 6, "verbatim", "verbatim", 1.0, coverage_a=0.9, coverage_b=0.9),
        PairRecord(1, 3, 0.8, 3.0, 0, True, 5, "verbatim", "verbatim", 1.0, coverage_a=0.9, coverage_b=0.9,
                   a_passages=dict(via_source), b_passages=dict(via_source)),
        PairRecord(2, 3, 0.9, 2.5, 0, True, 5, "verbatim", "verbatim", 1.0, coverage_a=0.9, coverage_b=0.9,
                   a_passages=dict(via_sibling), b_passages=dict(via_sibling)),
    ]


def test_a_copy_holding_the_sources_wording_where_a_sibling_changed_it_takes_the_source() -> None:
    # 3 shares one edit with 2 (passage 1) but has 1's wording where 2 changed it (2 and 3):
    # a copy of 2 could not have restored them, while two desks may make one swap alike.
    records = _wording({0: 1.0, 1: 0.95, 2: 1.0, 3: 1.0, 4: 1.0}, {0: 1.0, 1: 1.0, 2: 0.95, 3: 0.95, 4: 1.0})
    assert resolve(records, {1: "x1", 2: "x2", 3: "x3"}).parents[3][0].parent == 1


def test_a_copy_sharing_more_of_a_siblings_edits_than_the_sources_wording_keeps_the_sibling() -> None:
    records = _wording({0: 1.0, 1: 0.95, 2: 0.95, 3: 1.0, 4: 1.0}, {0: 1.0, 1: 1.0, 2: 1.0, 3: 0.95, 4: 1.0})
    assert resolve(records, {1: "x1", 2: "x2", 3: "x3"}).parents[3][0].parent == 2


def _dated(hours: dict[int, int]) -> dict[int, Any]:
    from datetime import UTC, datetime, timedelta

    return {node: datetime(2026, 3, 2, tzinfo=UTC) + timedelta(hours=h) for node, h in hours.items()}


def _excerpt_pair(coverage_a: float, coverage_b: float, text: float) -> list[PairRecord]:
    # 1 a long report, 2 a shorter text; ``text``: the pair's own evidence that 1 is the source;
    # 2 is dated ten hours before 1, which the stored direction holds (-DATE_WEIGHT).
    from service.core.lineage.direction import DATE_WEIGHT

    return [PairRecord(1, 2, 0.7, text - DATE_WEIGHT, 0, True, 8, "excerpt", "excerpt", copied_share=1.0,
                       coverage_a=coverage_a, coverage_b=coverage_b, cited=0)]


def test_an_excerpt_dated_before_the_report_it_is_made_of_is_still_its_excerpt() -> None:
    # A cut copy with a wrong, early date: most of it lies inside the report, and its text
    # (first-hand sourcing on the report's side) says so. The dates are only a hint then.
    published = _dated({1: 10, 2: 0})
    result = resolve(_excerpt_pair(0.45, 0.85, 2.0), {1: "a", 2: "b"}, published)
    assert [p.parent for p in result.parents[2]] == [1]
    assert not result.parents.get(1)


def test_dates_decide_against_text_that_is_no_excerpt_or_does_not_point_the_other_way() -> None:
    published = _dated({1: 10, 2: 0})
    # Both sides about as much inside each other (two versions of one text): the dates decide.
    same_share = resolve(_excerpt_pair(0.75, 0.8, 2.0), {1: "a", 2: "b"}, published)
    assert [p.parent for p in same_share.parents[1]] == [2]
    # An excerpt whose text is silent (containment alone, outweighed by the other cues): dates.
    silent = resolve(_excerpt_pair(0.45, 0.85, -0.5), {1: "a", 2: "b"}, published)
    assert [p.parent for p in silent.parents[1]] == [2]


def test_a_source_dated_after_its_copies_stays_their_source_when_the_hub_says_so() -> None:
    # 1 a wire story with a wrong, late date; 2, 3, 4 copies of its passages, each dated before
    # it; the pair's text (first-hand sourcing, +1) points to 1, the dates (-2.5) to the copies.
    # What the copies share with one another lies inside what each shares with 1 (the hub).
    seqs = [{0: 1.0, 1: 1.0, 2: 1.0}, {2: 1.0, 3: 1.0, 4: 1.0}, {4: 1.0, 5: 1.0, 6: 1.0}]
    records = [replace(r, direction=-1.5, cited=0) if r.a == 1 else replace(r, cited=0) for r in _hub(seqs)]
    result = resolve(records, {1: "z", 2: "a", 3: "b", 4: "c"}, _dated({1: 20, 2: 0, 3: 2, 4: 4}))
    assert not result.parents.get(1)
    assert all(result.parents[c][0].parent == 1 for c in (2, 3, 4))
    # Text that agrees with the dates is not turned by the hub (the date floor holds).
    agreeing = [replace(r, direction=-3.5) if r.a == 1 else r for r in records]
    turned = resolve(agreeing, {1: "z", 2: "a", 3: "b", 4: "c"}, _dated({1: 20, 2: 0, 3: 2, 4: 4}))
    assert turned.parents.get(1)


def test_a_copy_holding_the_sources_wording_as_often_as_a_siblings_edit_took_from_the_source() -> None:
    # 1 the source of 2 and 3. Where 3 differs from 1, 2 follows 3 once (a synonym two desks both
    # chose: passage 0) and 1 once (passage 1, which 3 changed and no copy of 3 could restore):
    # 2 took from 1, however closer 3 is in length.
    records = [
        _copy(1, 2, 0.3, 3.0, {0: 0.9, 1: 1.0}, {0: 0.9, 1: 1.0}),
        _copy(1, 3, 0.5, 3.0, {0: 1.0, 1: 1.0, 5: 1.0, 6: 1.0}, {0: 1.0, 1: 0.8, 2: 1.0, 3: 1.0}),
        _copy(3, 2, 0.45, 0.5, {0: 1.0, 1: 0.8}, {0: 1.0, 1: 0.8}),
    ]
    result = resolve(records, {1: "a", 2: "b", 3: "c"})
    assert result.parents[2][0].parent == 1
    # Following the sibling's edit with nothing of the source's own wording: the sibling.
    records[0] = _copy(1, 2, 0.3, 3.0, {0: 0.9, 1: 0.8}, {0: 0.9, 1: 0.8})
    assert resolve(records, {1: "a", 2: "b", 3: "c"}).parents[2][0].parent == 3


def test_a_fuller_sibling_is_not_made_the_source_of_an_earlier_cut_against_the_dates() -> None:
    # 1 (undated) is the source of two cuts; 3, the fuller one, is dated ten hours after 2 and
    # holds it, its text reading as 2's source (+1; the dates: -2.5). Copies of a common source:
    # the excerpt rule leaves them to the dates, so 3 is no parent of 2.
    from service.core.lineage.direction import DATE_WEIGHT
    from service.core.lineage.resolve import _excerpt_against_dates
    from service.core.lineage.witnesses import own_sources

    pair = PairRecord(3, 2, 0.7, 1.0 - DATE_WEIGHT, 0, True, 6, "excerpt", "excerpt", copied_share=1.0,
                      coverage_a=0.45, coverage_b=0.85, cited=0)
    records = [PairRecord(1, 2, 0.6, 3.0, 0, True, 6, "excerpt", "excerpt", copied_share=1.0, cited=0),
               PairRecord(1, 3, 0.8, 3.0, 0, True, 8, "excerpt", "excerpt", copied_share=1.0, cited=0), pair]
    assert _excerpt_against_dates(pair, -1)
    assert own_sources(records)[2] & own_sources(records)[3] == {1}
    result = resolve(records, {1: "a", 2: "b", 3: "c"}, _dated({2: 0, 3: 10}))
    assert 3 not in {p.parent for p in result.parents[2]}


def test_dates_months_apart_decide_against_an_excerpt_shaped_earlier_text() -> None:
    # A reference article (1) dated months before an answer (2) built on it: the article lies
    # mostly inside the longer answer, but dates that far apart are no clock error.
    from datetime import UTC, datetime

    published = {1: datetime(2008, 1, 1, tzinfo=UTC), 2: datetime(2008, 6, 1, tzinfo=UTC)}
    records = [PairRecord(1, 2, 0.7, -2.0 + 2.5, 0, True, 8, "excerpt", "excerpt", copied_share=1.0,
                          coverage_a=0.85, coverage_b=0.45, cited=0)]
    result = resolve(records, {1: "a", 2: "b"}, published)
    assert not result.parents.get(1)
    assert [p.parent for p in result.parents[2]] == [1]
    # The same two texts a few hours apart: the text decides (an excerpt of the later one).
    hours = {1: datetime(2008, 1, 1, 8, tzinfo=UTC), 2: datetime(2008, 1, 1, 18, tzinfo=UTC)}
    assert [p.parent for p in resolve(records, {1: "a", 2: "b"}, hours).parents[1]] == [2]


class _Aligned:
    """A stored pair as ``_explained_siblings`` reads it: each side's aligned passages."""

    def __init__(self, passages: dict[int, dict[int, float]]) -> None:
        self.passages = passages

    def passages_of(self, doc: int) -> dict[int, float]:
        return self.passages.get(doc, {})


def test_a_footer_two_briefs_share_does_not_keep_the_shorter_brief_as_parent() -> None:
    """Brief 3 holds brief 2's three sentences and one more of their source 1 (four in all),
    and shares its outlet-kind footer (passage 6) with brief 2 only: the footer frames the
    story, so the source, which accounts for more of brief 3, explains brief 2 away."""
    from service.core.lineage.resolve import _explained_siblings

    by_pair: dict[tuple[int, int], Any] = {
        (1, 3): _Aligned({3: {2: 1.0, 3: 1.0, 4: 1.0, 5: 1.0}}),
        (2, 3): _Aligned({3: {2: 1.0, 3: 1.0, 4: 1.0, 6: 1.0}}),
    }
    sources_of = {3: {1, 2}, 2: {1}}
    assert _explained_siblings(3, sources_of, by_pair) == {2}
    # A sentence the sibling added inside the story (passage 4 not in the source) keeps it.
    by_pair[(1, 3)] = _Aligned({3: {2: 1.0, 3: 1.0, 5: 1.0, 7: 1.0}})
    assert _explained_siblings(3, sources_of, by_pair) == set()
