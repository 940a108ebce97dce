"""Direction and lineage: attribution, first-hand cues, containment, chains, order independence."""

from __future__ import annotations

import random

from service.core.align import AlignedPair, PairEvidence
from service.core.lineage import (
    DocInfo,
    PairRecord,
    cites,
    direction,
    passage_cues,
    relation,
    resolve,
)


def test_attribution_cues_name_the_cited_outlet() -> None:
    cues = passage_cues(0, "According to a recent Harbor Ledger report, the plant will close.")
    assert [(c.kind, c.name) for c in cues] == [("cite", "Harbor Ledger")]
    after = passage_cues(0, "After the Kestrel Wire reported the talks, shares rose.")
    assert [c.name for c in after] == ["Kestrel Wire"]
    assert [c.name for c in passage_cues(0, "This story was originally published by The Daily Pell.")] == ["Daily Pell"]


def test_first_hand_sourcing_is_not_a_citation() -> None:
    text = "The plant will close, according to people familiar with the matter, who declined to comment."
    cues = passage_cues(0, text)
    assert {c.kind for c in cues} == {"first"}
    assert [c.kind for c in passage_cues(0, "The firm reportedly used the model.")] == ["hearsay"]


def test_a_cited_name_matches_outlet_or_host_but_not_a_company_headline_prefix() -> None:
    ledger = DocInfo(1, "k1", outlet="The Harbor Ledger", url="https://www.harborledger.example/a")
    assert cites("Harbor Ledger", ledger)
    assert cites("harborledger", ledger)
    assert not cites("Kestrel Wire", ledger)
    headline = DocInfo(2, "k2", title="Vantrix Holdings Weighs Sale of Satellite Unit")
    assert not cites("Vantrix Holdings", headline)


def _evidence(cov_a: float, cov_b: float, kind: str = "verbatim", pairs: int = 5) -> PairEvidence:
    aligned = [AlignedPair(i, i, 1.0 if kind != "paraphrase" else 0.5, kind) for i in range(pairs)]
    copied = 1.0 if kind != "paraphrase" else 0.0
    return PairEvidence(aligned, cov_a, cov_b, 100, 100, copied)


def test_the_side_citing_the_other_is_the_derivative() -> None:
    source = DocInfo(1, "a", outlet="Harbor Ledger")
    rewrite = DocInfo(2, "b", outlet="Pell Post", cues=passage_cues(9, "Harbor Ledger reported the deal on Monday."))
    verdict = direction(_evidence(0.4, 0.4, "paraphrase"), source, rewrite)
    assert verdict.score > 2 and verdict.p_a_source > 0.8
    assert direction(_evidence(0.4, 0.4, "paraphrase"), rewrite, source).score < -2


def test_a_document_embedded_whole_in_a_page_is_its_source() -> None:
    small, page = DocInfo(1, "a"), DocInfo(2, "b")
    assert direction(_evidence(0.97, 0.3), small, page).score > 2
    # mostly made of the other's text, plus some of its own: an excerpt of it
    assert direction(_evidence(0.6, 0.2), small, page).score < 0


def test_relation_names_the_kind_of_reuse() -> None:
    assert relation(_evidence(0.95, 0.95), child_is_a=True) == "verbatim"
    assert relation(_evidence(0.3, 0.98), child_is_a=True) == "aggregation"
    assert relation(_evidence(0.7, 0.2), child_is_a=True) == "excerpt"
    assert relation(_evidence(0.5, 0.5, "paraphrase"), child_is_a=True) == "paraphrase"


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
