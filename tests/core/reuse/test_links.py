"""Link evidence between two documents: the commentary cue only between reports."""

from __future__ import annotations

from service.core.lineage.direction import DocInfo, document_cues
from service.core.reuse.fingerprint import document_features
from service.core.reuse.links import Comparable, compare, link_evidence
from service.core.text.segment import sentence_spans
from tests.core.reuse.test_align import EXPLANATION, ORIGINAL


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
