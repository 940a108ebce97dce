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
        # Ingest passes the fingerprint set it holds already: the same answer.
        assert boilerplate_passages(full, frequent, indexed=fps) == boilerplate_passages(full, frequent)


def test_a_flash_inside_a_digest_links_though_its_byline_and_footer_are_half_its_words() -> None:
    """The flash's two sentences are whole in the digest, one of them a stock sentence; its
    outlet's byline and footer (its boilerplate, matched with nothing) are not its own text."""
    stock = "A decision by the authorities is expected later this year, according to a person close to the process."
    news = "Pellow Freight is planning to remove about 5,200 positions as it reorganises its depot unit, people said."
    flash = ("By Ana Lee and staff | The Vorlan Bulletin | Markets desk\n\nPellow Freight plans cuts in Tamsin\n\n"
             f"{news} {stock}\n\nThe Vorlan Bulletin is an independent regional newspaper. Subscribe for full access "
             "to local reporting, analysis and opinion from our newsroom every day of the week. Copyright The Vorlan "
             "Bulletin; all rights reserved.\n")
    digest = ("Evening digest: 3 stories to know\n\n[1] Pellow Freight plans cuts in Tamsin. " + news + " " + stock
              + " [2] Oloma Systems hired 40 engineers for its laboratory in Brellport, the company said. "
              "Its chief executive said the new site would open in March and would focus on battery research. "
              "[3] Vantrix Holdings will close its Brellport plant next spring and cut about 1,200 jobs. Unions said "
              "they would seek talks with management before the end of the month, and a strike vote is planned.\n")
    (ta, fa), (tb, fb) = features(flash), features(digest)
    own = {p.seq for p in fa.passages if any(w in ta[p.start : p.end] for w in ("Vorlan", "Subscribe", stock[:20]))}
    stock_b = {p.seq for p in fb.passages if stock[:20] in tb[p.start : p.end]}
    ev = align_documents(fa, fb, ta, tb, boiler_a=own, boiler_b=stock_b)
    stock_a = {s for s in own if stock[:20] in ta[fa.passages[s].start : fa.passages[s].end]}
    # Less than half its words, all of its story: the stock sentence is part of the copy.
    assert ev.is_link() and ev.coverage_a < 0.5 and stock_a <= {p.a_seq for p in ev.pairs}
    # Two pages sharing only the stock sentence stay apart, byline and footer aside or not.
    other = digest.replace(news, "Oloma Systems opened a second laboratory in Tamsin with 60 staff, it said.")
    (tc, fc) = features(other.replace("Pellow Freight plans cuts in Tamsin", "Oloma Systems grows"))
    stock_c = {p.seq for p in fc.passages if stock[:20] in tc[p.start : p.end]}
    assert not align_documents(fa, fc, ta, tc, boiler_a=own, boiler_b=stock_c).is_link()
