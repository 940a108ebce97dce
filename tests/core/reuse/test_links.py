"""Pair evidence as a link stores it: an outlet's update of its own article, copies across outlets,
and the commentary cue (only between reports)."""

from __future__ import annotations

from service.core.lineage.direction import DocInfo, document_cues
from service.core.reuse.fingerprint import document_features
from service.core.reuse.links import SAME_OUTLET, Comparable, compare, link_evidence
from service.core.text.segment import sentence_spans
from tests.core.reuse.test_align import EXPLANATION, ORIGINAL

FIRST = [
    "The Harlow county council approved a new tram line between the station and the hospital on Monday.",
    "The line will run for 7.5 kilometres and carry about 12,000 passengers a day, officials estimate.",
    "Construction is due to start next spring and take three years, according to the transport committee.",
    "Council leader Marta Oyelaran said the project had been discussed for more than a decade.",
    "Residents along the route raised concerns about noise and parking during the consultation.",
    "The regional government will cover half of the estimated 310 million euro cost.",
]
ADDED = [
    "Later in the day, opposition councillors said they would ask for an independent audit of the budget.",
    "Shopkeepers on Mill Street welcomed the decision but asked for compensation during the works.",
    "The council expects to publish the tender documents within six weeks of the vote.",
]


def _doc(doc_id: int, sentences: list[str], outlet: str) -> Comparable:
    text = "\n".join(sentences)
    spans = [(s.start, s.end) for s in sentence_spans(text)]
    info = DocInfo(id=doc_id, key=f"k{doc_id}", outlet=outlet, title=None, url=None, published_at=None,
                   cues=document_cues(text, spans))
    return Comparable(info=info, text=text, features=document_features(text, spans))


def _link(outlet_b: str, added: list[str] = ADDED) -> tuple[float, list[str]]:
    first, update = _doc(1, FIRST, "Harlow Courier"), _doc(2, FIRST + added, outlet_b)
    link = link_evidence(first, update, compare(first, update, set(), set()))
    assert link is not None and link.linked
    return link.direction, link.reasons


def test_an_outlets_longer_version_of_its_own_article_is_its_update() -> None:
    score, reasons = _link("Harlow Courier")
    assert score > 0  # the first, shorter version is the source
    assert SAME_OUTLET in reasons and "a updated by b" in reasons


def test_across_outlets_the_text_wholly_inside_the_longer_one_is_its_excerpt() -> None:
    score, reasons = _link("Valley Post")
    assert score < 0
    assert SAME_OUTLET not in reasons and "a contained in b" in reasons


def test_an_update_adding_one_sentence_is_still_the_later_version() -> None:
    score, reasons = _link("Harlow Courier", ADDED[:1])
    assert score > 0 and "a updated by b" in reasons


def comparable(doc_id: int, text: str) -> Comparable:
    spans = [(s.start, s.end) for s in sentence_spans(text)]
    info = DocInfo(id=doc_id, key=str(doc_id), outlet=f"outlet {doc_id}", cues=document_cues(text, spans))
    return Comparable(info=info, text=text, features=document_features(text, spans))


def test_a_long_explanation_is_not_taken_for_commentary_on_its_short_copy() -> None:
    # An explanation names no fact in any sentence: the longer side has more sentences of its
    # own that name none, which says nothing about who added remarks to whom.
    more = (" Reference counting is an alternative that frees an object as soon as nothing refers to it."
            " It cannot reclaim cycles of objects that refer to one another without extra work."
            " Tracing and counting are often combined in modern language runtimes.")
    source = comparable(1, EXPLANATION + more)
    short = comparable(2, EXPLANATION.rsplit(". ", 2)[0] + ". This is a very clever idea, in my view.")
    link = link_evidence(source, short, compare(source, short, set(), set()))
    assert link is not None and link.linked
    assert not any(r.startswith("commentary") for r in link.reasons)
    assert link.direction > 0  # the excerpt is the child


def test_remarks_added_to_a_report_mark_the_rewrite() -> None:
    # A report's sentences name facts; a copy that drops some and adds remarks naming none is
    # the rewrite.
    copy = (ORIGINAL.rsplit(". ", 2)[0] + ". "
            "It is hard to see how anyone could have expected anything else. "
            "Observers will be watching closely to see what happens next, as always in such cases.")
    source, child = comparable(1, ORIGINAL), comparable(2, copy)
    link = link_evidence(source, child, compare(source, child, set(), set()))
    assert link is not None
    assert any(r.startswith("commentary") for r in link.reasons)
    assert link.direction > 0


def test_a_labelled_correction_is_the_later_version_though_it_adds_nothing() -> None:
    headline = "Harlow council approves tram line to the hospital"
    corrected = [s.replace("12,000", "21,000") for s in FIRST]
    first, update = _doc(1, FIRST, "Harlow Courier"), _doc(2, corrected, "Harlow Courier")
    update.info.title, first.info.title = f"CORRECTED-{headline}", headline
    link = link_evidence(update, first, compare(update, first, set(), set()))
    assert link is not None and link.direction < 0  # b, the unlabelled first version, is the source
    assert "b earlier version" in link.reasons
    first.info.outlet = "Valley Post"  # across outlets a republisher drops labels: they order nothing
    link = link_evidence(update, first, compare(update, first, set(), set()))
    assert link is not None and "b earlier version" not in link.reasons


def test_two_articles_of_one_outlet_closing_with_a_stock_quote_and_its_footer_are_no_link() -> None:
    """One outlet's articles share its footer (its own name both times) and may share a stock
    quote before it: consecutive copied lines, but its template; a quotation joins no run there."""
    quip = "\"Nobody saw this coming, not even the people inside,\" a former employee quipped."
    footer = ["This page may contain third-party content provided for information purposes only and should not "
              "be considered an endorsement by The Harlow Courier.",
              "Copyright The Harlow Courier; all rights reserved and no part of this article may be reproduced."]
    a = _doc(1, [FIRST[0], FIRST[1], quip, *footer], "Harlow Courier")
    b = _doc(2, [ADDED[0], ADDED[1], quip, *footer], "Harlow Courier")
    ev = compare(a, b, set(), set())
    assert not ev.pairs and link_evidence(a, b, ev) is None
