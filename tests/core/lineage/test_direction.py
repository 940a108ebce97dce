"""Direction of a pair: attribution, first-hand cues, containment, and the kind of reuse."""

from __future__ import annotations

from service.core.lineage.direction import DocInfo, cites, direction, passage_cues, relation
from service.core.reuse.evidence import AlignedPair, PairEvidence


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
