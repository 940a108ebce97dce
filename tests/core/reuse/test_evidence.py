"""Pair evidence: boilerplate, templates and the view from the other side."""

from __future__ import annotations

import random

from service.core.reuse.align import align_documents
from service.core.reuse.evidence import boilerplate_passages, boilerplate_seqs
from service.core.reuse.fingerprint import document_features, passage_fingerprints
from service.core.text.segment import sentence_spans
from tests.core.reuse.test_align import ORIGINAL, features


def test_boilerplate_passages_are_not_evidence_unless_everything_is_shared() -> None:
    footer = "This page may contain third-party content and should not be considered an endorsement by us."
    a = ORIGINAL + "\n" + footer
    b = "Pellow Freight cut 300 jobs in Tamsin after a weak quarter, its chief financial officer said.\n" + footer
    (ta, fa), (tb, fb) = features(a), features(b)
    frequent = set(fa.fingerprints.tolist()) & set(fb.fingerprints.tolist())
    boiler_a = boilerplate_passages(fa, frequent)
    assert boiler_a == {len(fa.passages) - 1}
    ev = align_documents(fa, fb, ta, tb, boiler_a=boiler_a)
    assert not ev.pairs and ev.boilerplate_pairs == 1 and not ev.is_link()


def test_swapped_evidence_mirrors_sides() -> None:
    changed = ORIGINAL.replace("$14.3 billion", "$1.43 billion")
    (ta, fa), (tb, fb) = features(ORIGINAL), features(changed)
    ev = align_documents(fa, fb, ta, tb)
    mirrored = ev.swapped()
    assert mirrored.coverage_a == ev.coverage_b
    assert [(m.a_value, m.b_value) for p in mirrored.pairs for m in p.mutations] == [("$1.43 billion", "$14.3 billion")]


def test_a_footer_template_with_each_outlets_name_does_not_make_short_pages_copies() -> None:
    def page(outlet: str, story: str) -> str:
        return (f"{story}\nCopyright The {outlet} Bulletin; all rights reserved and no part of this article may be "
                "reproduced without permission.")

    a = page("Vorlan", "Pellow Freight cut 300 jobs in Tamsin.")
    b = page("Quessa", "Oloma Systems hired 40 engineers.")
    (ta, fa), (tb, fb) = features(a), features(b)
    ev = align_documents(fa, fb, ta, tb, boiler_a={1}, boiler_b={1})
    assert not ev.pairs and ev.boilerplate_pairs == 1 and not ev.is_link()
    # The same footer with the same name on both sides is copied text when the story is too.
    (tc, fc) = features(page("Vorlan", "Pellow Freight cut 300 jobs in Tamsin."))
    assert align_documents(fa, fc, ta, tc, boiler_a={1}, boiler_b={1}).coverage_b == 1.0


def test_a_credit_in_front_of_copied_text_is_attribution_not_a_hedge() -> None:
    """"X reported that ..." names who said it; only the passive "was reported" is hearsay."""
    from tests.core.reuse.test_align import _changes

    source = "Vantrix Holdings will close its Brellport plant next spring and cut about 1,200 jobs, executives said."
    credited = "The Harbor Ledger reported that " + source[0].lower() + source[1:]
    assert _changes(source, credited) == []
    hearsay = "It was reported that " + source[0].lower() + source[1:]
    assert [kind for kind, _, _ in _changes(source, hearsay)] == ["modality"]


def test_boilerplate_from_passage_fingerprints_alone_is_the_same() -> None:
    # Re-judging links reads a document's fingerprints per passage without its full features
    # (passage_fingerprints, boilerplate_seqs): the passages found must be the same.
    footer = "This page may contain third-party content and should not be considered an endorsement by us."
    text = "Short line.\n" + ORIGINAL + "\nThree word line\n" + footer + "\nAnd a last sentence of the page here."
    spans = [(s.start, s.end) for s in sentence_spans(text)]
    full = document_features(text, spans)
    fps, inside = passage_fingerprints(text, spans)
    assert fps == set(full.fingerprints.tolist())
    assert inside == [p.shingles & fps for p in full.passages]
    rng = random.Random(7)
    every = range(len(spans))
    for _ in range(50):
        frequent = set(rng.sample(sorted(fps), rng.randint(0, len(fps))))
        assert boilerplate_seqs(dict(enumerate(inside)), frequent, every) == boilerplate_passages(full, frequent)
