"""Passage alignment: copies, changed facts, paraphrases, formulas and boilerplate."""

from __future__ import annotations

from service.core.align import align, boilerplate_passages
from service.core.fingerprint import DocumentFeatures, document_features
from service.core.segment import sentence_spans

ORIGINAL = (
    "Vantrix Holdings agreed to buy Oloma Systems for $14.3 billion, people familiar with the matter said. "
    "The deal would be the largest in the history of Vantrix Holdings and is expected to close in March 2026. "
    "Chief executive Mara Quillen has pushed for the acquisition since taking over in Brellport. "
    "Oloma Systems employs about 4,200 people and makes satellite components for Kestrel Aerospace. "
    "A spokesperson for Vantrix Holdings declined to comment on the talks."
)


def features(text: str) -> tuple[str, DocumentFeatures]:
    spans = [(s.start, s.end) for s in sentence_spans(text)]
    return text, document_features(text, spans)


def test_a_verbatim_copy_is_aligned_passage_by_passage() -> None:
    copy = "Republished from the Harbor Ledger.\n" + ORIGINAL
    (ta, fa), (tb, fb) = features(ORIGINAL), features(copy)
    ev = align(fa, fb, ta, tb)
    assert ev.coverage_a == 1.0 and ev.coverage_b > 0.85
    assert all(p.kind == "verbatim" for p in ev.pairs)
    assert ev.copied_share == 1.0 and ev.is_link()


def test_a_changed_figure_in_a_copied_sentence_is_a_mutation() -> None:
    changed = ORIGINAL.replace("$14.3 billion", "$1.43 billion")
    (ta, fa), (tb, fb) = features(ORIGINAL), features(changed)
    ev = align(fa, fb, ta, tb)
    muts = [m for p in ev.pairs for m in p.mutations]
    assert [(m.kind, m.a_value, m.b_value) for m in muts] == [("number", "$14.3 billion", "$1.43 billion")]


def test_hedge_dropped_in_a_copy_is_reported() -> None:
    a = "The Avalon model may be launched as a closed product by Vantrix Holdings next spring, people familiar said."
    b = "The Avalon model will be launched as a closed product by Vantrix Holdings next spring, people familiar said."
    (ta, fa), (tb, fb) = features(a), features(b)
    kinds = {m.kind for p in align(fa, fb, ta, tb).pairs for m in p.mutations}
    assert "hedge" in kinds


def test_reworded_and_reordered_sentences_are_aligned_as_paraphrase() -> None:
    rewrite = (
        "Oloma Systems, a maker of satellite parts for Kestrel Aerospace with 4,200 staff, is being bought. "
        "Vantrix Holdings will pay $14.3 billion for Oloma Systems, insiders say. "
        "Mara Quillen, the boss of Vantrix Holdings, championed the purchase from Brellport."
    )
    (ta, fa), (tb, fb) = features(ORIGINAL), features(rewrite)
    ev = align(fa, fb, ta, tb)
    assert len(ev.pairs) >= 2
    assert {p.kind for p in ev.pairs} == {"paraphrase"}
    assert ev.coverage_b > 0.5


def test_the_same_formula_about_other_facts_is_not_reuse() -> None:
    a = "Regulators are expected to review the transaction, which could take until November of next year."
    b = "Regulators are expected to review the transaction, which could take until December of next year."
    other = "Regulators in Tamsin opened a review of the Pellow merger after complaints from rival shippers."
    (ta, fa), (tb, fb), (tc, fc) = features(a), features(b), features(other)
    assert not align(fa, fc, ta, tc).pairs
    assert not align(fa, fb, ta, tb).is_link()


def test_boilerplate_passages_are_not_evidence_unless_everything_is_shared() -> None:
    footer = "This page may contain third-party content and should not be considered an endorsement by us."
    a = ORIGINAL + "\n" + footer
    b = "Pellow Freight cut 300 jobs in Tamsin after a weak quarter, its chief financial officer said.\n" + footer
    (ta, fa), (tb, fb) = features(a), features(b)
    frequent = set(fa.fingerprints.tolist()) & set(fb.fingerprints.tolist())
    boiler_a = boilerplate_passages(fa, frequent)
    assert boiler_a == {len(fa.passages) - 1}
    ev = align(fa, fb, ta, tb, boiler_a=boiler_a)
    assert not ev.pairs and ev.boilerplate_pairs == 1 and not ev.is_link()


def test_swapped_evidence_mirrors_sides() -> None:
    changed = ORIGINAL.replace("$14.3 billion", "$1.43 billion")
    (ta, fa), (tb, fb) = features(ORIGINAL), features(changed)
    ev = align(fa, fb, ta, tb)
    mirrored = ev.swapped()
    assert mirrored.coverage_a == ev.coverage_b
    assert [(m.a_value, m.b_value) for p in mirrored.pairs for m in p.mutations] == [("$1.43 billion", "$14.3 billion")]


def test_one_pattern_stating_other_facts_is_not_a_copy_with_changes() -> None:
    a = "Pellow Freight will present the plan at an event in Tamsin on August 15, the people said."
    b = "Pellow Freight will present the plan at an event in Brellport on September 19, the people said."
    (ta, fa), (tb, fb) = features(a), features(b)
    assert not align(fa, fb, ta, tb).pairs
    # One changed figure in an otherwise identical sentence is still a copy with a mutation.
    c = a.replace("August 15", "August 18")
    (tc, fc) = features(c)
    ev = align(fa, fc, ta, tc)
    assert [p.kind for p in ev.pairs] == ["near"] and ev.mutation_count == 1


def test_a_footer_template_with_each_outlets_name_does_not_make_short_pages_copies() -> None:
    def page(outlet: str, story: str) -> str:
        return (f"{story}\nCopyright The {outlet} Bulletin; all rights reserved and no part of this article may be "
                "reproduced without permission.")

    a = page("Vorlan", "Pellow Freight cut 300 jobs in Tamsin.")
    b = page("Quessa", "Oloma Systems hired 40 engineers.")
    (ta, fa), (tb, fb) = features(a), features(b)
    ev = align(fa, fb, ta, tb, boiler_a={1}, boiler_b={1})
    assert not ev.pairs and ev.boilerplate_pairs == 1 and not ev.is_link()
    # The same footer with the same name on both sides is copied text when the story is too.
    (tc, fc) = features(page("Vorlan", "Pellow Freight cut 300 jobs in Tamsin."))
    assert align(fa, fc, ta, tc, boiler_a={1}, boiler_b={1}).coverage_b == 1.0
