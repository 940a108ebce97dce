"""Pages of separate blocks: aggregators, from where each link's copied text lies on each side.

A page that copies two or more stored documents into separate regions of itself (a digest, a
roundup) is their aggregator: each embedded document is its source, however much of it was
taken and whatever the page's date says. A source copied by many, each copy taking its own
sentences, shares overlapping regions with them instead; and a long report that a few briefs each
excerpted is mostly in none of them. Used by ``service.core.lineage.resolve`` (the aggregator
correction, and leaving pages of blocks out of the hub and witness rules).

Pure: works on the stored pairwise evidence (each link's copied region and aligned passages).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from service.core.lineage.records import PairRecord

# A page's separate blocks: its links to the partners it embeds, their regions on the page, and
# the indices of those regions grouped by overlap (two or more groups).
Blocks = dict[int, tuple[list[PairRecord], list[tuple[int, int]], list[list[int]]]]


def separate_blocks(records: Sequence[PairRecord]) -> Blocks:
    """Documents sharing separate (non-overlapping) blocks with two or more partners, with those
    blocks; computed once per ``resolve`` and handed to the three rules below."""
    out: Blocks = {}
    for node, items in _block_regions(records).items():
        if len(items) < 2:
            continue
        regions = [region for _, region in items]
        groups = _overlap_groups(regions)
        if len(groups) >= 2:
            out[node] = ([r for r, _ in items], regions, groups)
    return out


def aggregator_adjust(records: Sequence[PairRecord], blocks: Blocks | None = None) -> dict[tuple[int, int], float]:
    """Direction corrections for pages that embed several sources in separate blocks.

    A document copying two or more others into disjoint regions of itself is an aggregator:
    each embedded document is its source, however much of it was taken. The blocks must be
    separate: the regions taken by a node's partners are grouped where they overlap, and only
    a node with two or more such groups embeds separate documents. A source copied by many
    (a wire story excerpted by a dozen outlets, each taking its own sentences) has partners
    whose regions overlap one another into one group: it is their source, not their aggregator.
    Nor is a long report that several briefs each took a few separate sentences from: the
    embedded documents must make up most of an aggregator (``AGGREGATE_COVERAGE`` of its
    words, where coverages are known), and most of such a report is in none of them.
    """
    adjust: dict[tuple[int, int], float] = {}
    for node, (items, _) in _aggregators(separate_blocks(records) if blocks is None else blocks).items():
        for r in items:
            # positive direction means "a is the source": push towards the side that is not node
            adjust[(r.a, r.b)] = adjust.get((r.a, r.b), 0.0) + (3.0 if r.b == node else -3.0)
    return adjust


def _aggregators(blocks: Blocks) -> dict[int, tuple[list[PairRecord], float]]:
    """Pages embedding two or more documents in separate blocks: their links to those documents
    and the share of the page's words the blocks make up (0.0: unknown)."""
    out: dict[int, tuple[list[PairRecord], float]] = {}
    for node, (items, _regions, groups) in blocks.items():
        covered = _embedded_share(node, items, groups)
        if covered and covered < AGGREGATE_COVERAGE:
            continue
        out[node] = (items, covered)
    return out


def made_of_blocks(records: Sequence[PairRecord], blocks: Blocks | None = None) -> set[tuple[int, int]]:
    """Links of pages made almost wholly of the documents they embed (``MADE_OF_BLOCKS`` of their
    words): a digest or roundup, whose orientation the aggregator rule decides. The cues such a
    page carries in its other blocks (first-hand sourcing, figures) are not its own, so the pair's
    evidence does not count against it; a page only half made of blocks may still be a report
    that several briefs each excerpted, and there the rule is one cue among the others."""
    pages = _aggregators(separate_blocks(records) if blocks is None else blocks)
    return {(r.a, r.b) for items, covered in pages.values() if covered >= MADE_OF_BLOCKS for r in items}


# Share of a page's words that the documents it embeds in separate blocks must make up for it
# to be their aggregator (a roundup or digest is made of them; an original excerpted by several
# briefs is mostly in none of them).
AGGREGATE_COVERAGE = 0.5
MADE_OF_BLOCKS = 0.75


def _embedded_share(node: int, records: Sequence[PairRecord], groups: Sequence[Sequence[int]]) -> float:
    """The share of ``node``'s words held by its partners, one per overlap group (0.0: unknown)."""
    total = 0.0
    for group in groups:
        total += max((records[i].coverage_a if records[i].a == node else records[i].coverage_b) for i in group)
    return total


def _block_regions(records: Sequence[PairRecord]) -> dict[int, list[tuple[PairRecord, tuple[int, int]]]]:
    """Each document's regions copied (not reworded) from or into its linked partners.

    Only partners that could be blocks of the document count: a partner more of which lies inside
    the document than of the document inside it (a page holds its blocks, not the reverse). A
    report whose first half a roundup embeds and whose end a brief quotes is no page of blocks.
    """
    regions: dict[int, list[tuple[PairRecord, tuple[int, int]]]] = {}
    for r in records:
        if not r.linked or r.copied_share < 0.5:
            continue
        known = r.coverage_a > 0.0 and r.coverage_b > 0.0
        if r.a_region and (not known or r.coverage_b >= r.coverage_a):
            regions.setdefault(r.a, []).append((r, _main_block(r.a_region, r.a_passages)))
        if r.b_region and (not known or r.coverage_a >= r.coverage_b):
            regions.setdefault(r.b, []).append((r, _main_block(r.b_region, r.b_passages)))
    return regions


# Passages between two copied passages of one block at most (a sentence or two left out).
BLOCK_GAP = 3
# Similarity of an aligned pair copied word for word or nearly (not reworded).
COPIED = 0.75


def _main_block(region: tuple[int, int], passages: Mapping[int, float] | None) -> tuple[int, int]:
    """A side's copied region without lone copied passages far from the rest.

    A stock sentence matched far from the copied block ("the people asked not to be identified")
    stretches the first-to-last region over a page's other blocks; the block is where copied
    passages lie together (gaps of at most ``BLOCK_GAP``), so a lone passage more than that away
    from any other is left out (unless every passage is lone). Unknown passages: the region as stored.
    """
    if not passages:
        return region
    seqs = sorted(seq for seq, sim in passages.items() if region[0] <= seq <= region[1] and sim >= COPIED)
    if not seqs:
        return region
    runs: list[list[int]] = [[seqs[0]]]
    for seq in seqs[1:]:
        if seq - runs[-1][-1] > BLOCK_GAP:
            runs.append([])
        runs[-1].append(seq)
    kept = [run for run in runs if len(run) > 1] or runs
    return kept[0][0], kept[-1][-1]


def pages_of_blocks(records: Sequence[PairRecord]) -> set[int]:
    """Documents sharing separate (non-overlapping) blocks with two or more partners."""
    return set(separate_blocks(records))


def _overlap_groups(regions: Sequence[tuple[int, int]]) -> list[list[int]]:
    """Indices of ``regions`` grouped by overlap (more than 30% of the shorter), transitively.

    Equal regions always overlap, so the pairs tested are of distinct regions: a story's 200
    reprints mostly took its first k sentences, some 20 distinct regions. Groups come ordered
    by first index, members ascending, as testing every pair gives them.
    """
    distinct: dict[tuple[int, int], int] = {}
    for region in regions:
        distinct.setdefault(region, len(distinct))
    unique = list(distinct)
    group = list(range(len(unique)))

    def root(i: int) -> int:
        while group[i] != i:
            group[i] = group[group[i]]
            i = group[i]
        return i

    for i, (s1, e1) in enumerate(unique):
        for j in range(i + 1, len(unique)):
            s2, e2 = unique[j]
            overlap = max(0, min(e1, e2) - max(s1, s2) + 1)
            if overlap > 0.3 * min(e1 - s1 + 1, e2 - s2 + 1):
                group[root(i)] = root(j)
    out: dict[int, list[int]] = {}
    for i, region in enumerate(regions):
        out.setdefault(root(distinct[region]), []).append(i)
    return list(out.values())
