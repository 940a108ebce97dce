"""Pages of separate blocks: which pages are aggregators of the documents they share text with."""

from __future__ import annotations

from service.core.lineage.blocks import aggregator_adjust, made_of_blocks
from service.core.lineage.resolve import PairRecord, _text_against_dates, resolve


def _block(page: int, source: int, region: tuple[int, int], page_seqs: dict[int, float],
           page_cov: float, source_cov: float, direction: float = 0.0) -> PairRecord:
    """A link between a page (a) and a document whose text it holds in ``region``."""
    n = len(page_seqs)
    return PairRecord(page, source, 0.5, direction, 0, True, n, "aggregation", "aggregation", 1.0,
                      region, (0, n - 1), page_cov, source_cov, 0, page_seqs, {i: 1.0 for i in range(n)})


def test_a_lone_stock_sentence_does_not_merge_a_pages_blocks() -> None:
    # The page holds 1's text in passages 2-5 and 2's in 10-13; one stock sentence of 2 also
    # matches passage 3, in 1's block: the stored region 3-13 would overlap 1's block.
    records = [
        _block(9, 1, (2, 5), {2: 1.0, 3: 1.0, 4: 1.0, 5: 1.0}, 0.4, 0.9),
        _block(9, 2, (3, 13), {3: 0.9, 10: 1.0, 11: 1.0, 12: 1.0, 13: 1.0}, 0.4, 0.9),
    ]
    adjust = aggregator_adjust(records)
    assert adjust[(9, 1)] < 0 and adjust[(9, 2)] < 0  # negative: b, the embedded document, is the source
    assert made_of_blocks(records) == {(9, 1), (9, 2)}  # 0.8 of the page is the two blocks


def test_a_partner_holding_more_of_a_report_than_the_report_of_it_is_no_block() -> None:
    # A report (9): a roundup (1) embeds its first half, a brief (2) quotes its end. The roundup
    # holds the report more than the report holds the roundup: not a block of the report.
    records = [
        _block(9, 1, (0, 5), {i: 1.0 for i in range(6)}, 0.5, 0.3),
        _block(9, 2, (10, 12), {10: 1.0, 11: 1.0, 12: 1.0}, 0.25, 0.9),
    ]
    assert aggregator_adjust(records) == {}


def test_a_page_made_of_blocks_is_their_aggregator_whatever_its_other_cues_say() -> None:
    # The page's own evidence (first-hand cues of its other blocks) calls it 1's source (+3).
    records = [
        _block(9, 1, (2, 5), {2: 1.0, 3: 1.0, 4: 1.0, 5: 1.0}, 0.4, 0.9, direction=3.0),
        _block(9, 2, (10, 13), {10: 1.0, 11: 1.0, 12: 1.0, 13: 1.0}, 0.4, 0.9),
    ]
    result = resolve(records, {1: "a", 2: "b", 9: "p"})
    assert {p.parent for p in result.parents[9]} == {1, 2}
    assert result.parents[1] == []


def test_text_against_dates_leaves_the_dates_out() -> None:
    # a dated first (order +1) and its date weighs 2.5: a score of 1.0 is text pointing at b.
    assert _text_against_dates(PairRecord(1, 2, 0.8, 1.0, 0, True, 8, cited=0), 1)
    assert not _text_against_dates(PairRecord(1, 2, 0.8, 3.0, 0, True, 8, cited=0), 1)
    # The earlier side credits the later one (cited -1: a names b): the dates did not count.
    assert not _text_against_dates(PairRecord(1, 2, 0.8, 1.0, 0, True, 8, cited=-1), 1)
