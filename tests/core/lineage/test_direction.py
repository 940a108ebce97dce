"""Direction of a pair: attribution, first-hand cues, containment, and the kind of reuse."""

from __future__ import annotations

from datetime import UTC, datetime

from service.core.lineage.direction import (
    DocInfo,
    cites,
    direction,
    document_cues,
    embeds_sources,
    passage_cues,
    quotes_headline,
    relation,
)
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


def test_a_short_text_wholly_inside_a_long_one_is_an_excerpt_of_it() -> None:
    small, article = DocInfo(1, "a"), DocInfo(2, "b")
    assert direction(_evidence(0.97, 0.3), small, article).score < -1.5
    # mostly made of the other's text, plus some of its own: an excerpt of it too
    assert direction(_evidence(0.6, 0.2), small, article).score < 0


def test_a_text_inside_a_page_of_numbered_sources_is_one_of_its_sources() -> None:
    page_text = "Two sources\n[1]\nFirst story.\n[2]\nSecond story."
    page = DocInfo(2, "b", cues=document_cues(page_text, [(12, 24), (29, 42)]))
    assert embeds_sources(page)
    assert direction(_evidence(0.97, 0.3), DocInfo(1, "a"), page).score > 2
    assert not embeds_sources(DocInfo(3, "c", cues=document_cues("[1] One footnote.", [(4, 17)])))


def test_dates_orient_a_link_unless_the_earlier_credits_the_later() -> None:
    early = DocInfo(1, "a", outlet="Harbor Ledger", published_at=datetime(2026, 3, 1, 8, tzinfo=UTC))
    late = DocInfo(2, "b", outlet="Pell Post", published_at=datetime(2026, 3, 1, 14, tzinfo=UTC))
    # near-identical texts, nothing in them says who came first: the earlier one did
    assert direction(_evidence(0.9, 0.9), early, late).score >= 2
    assert direction(_evidence(0.9, 0.9), late, early).score <= -2
    # the earlier text names the later one's outlet (an update crediting it): the text decides
    crediting = DocInfo(1, "a", outlet="Harbor Ledger", published_at=early.published_at,
                        cues=passage_cues(9, "Pell Post reported the figure first."))
    assert direction(_evidence(0.9, 0.9), crediting, late).score < 0
    # too little shared text to be a link: the dates are a hint, not a claim
    weak = PairEvidence([AlignedPair(0, 0, 0.5, "paraphrase", substantial=False)], 0.05, 0.05, 100, 100, 0.0)
    assert 0 < direction(weak, early, late).score < 1


def test_relation_names_the_kind_of_reuse() -> None:
    assert relation(_evidence(0.95, 0.95), child_is_a=True) == "verbatim"
    assert relation(_evidence(0.3, 0.98), child_is_a=True) == "aggregation"
    assert relation(_evidence(0.7, 0.2), child_is_a=True) == "excerpt"
    assert relation(_evidence(0.5, 0.5, "paraphrase"), child_is_a=True) == "paraphrase"


def test_a_via_credit_names_the_source_but_a_route_does_not() -> None:
    from service.core.lineage.direction import passage_cues

    def cited(text: str) -> list[str]:
        return [c.name for c in passage_cues(0, text) if c.kind == "cite"]

    assert cited("Quote of the day: Harlow Foods chief on the bakery (via The Castlemere Post)") == ["Castlemere Post"]
    assert cited("Harlow Foods shares fell 4% in early trading, via Newsline.") == ["Newsline"]
    assert cited("Harlow Foods bought the bakery via a $2 billion deal with Brellport Holdings.") == []
    assert cited("The chief executive spoke via Zoom to the committee on Tuesday.") == []


def test_an_update_does_not_quote_its_own_headline_under_a_version_label() -> None:
    lines = ["UPDATE 1-Dufles Holdings Weighs Probe in Tynicrast", "Dufles Holdings will cut 4,500 posts."]
    title = "Dufles Holdings Weighs Probe in Tynicrast"  # a copy kept the wire's headline
    assert not quotes_headline(title, "UPDATE 1-Dufles Holdings Weighs Probe in Tynicrast", lines)
    assert quotes_headline(title, "Morning digest", ["[1] Dufles Holdings Weighs Probe in Tynicrast"])
