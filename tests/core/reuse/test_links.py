"""Pair evidence as a link stores it: an outlet's update of its own article, copies across outlets."""

from __future__ import annotations

from service.core.lineage.direction import DocInfo, document_cues
from service.core.reuse.fingerprint import document_features
from service.core.reuse.links import SAME_OUTLET, Comparable, compare, link_evidence
from service.core.text.segment import sentence_spans

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
