"""Passage alignment: copies, changed facts, paraphrases and formulas."""

from __future__ import annotations

import pytest

from service.core.reuse.align import align_documents, match_passages, ordered_rewordings
from service.core.reuse.fingerprint import DocumentFeatures, document_features
from service.core.text.segment import sentence_spans

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
    ev = align_documents(fa, fb, ta, tb)
    assert ev.coverage_a == 1.0 and ev.coverage_b > 0.85
    assert all(p.kind == "verbatim" for p in ev.pairs)
    assert ev.copied_share == 1.0 and ev.is_link()


def test_a_changed_figure_in_a_copied_sentence_is_a_mutation() -> None:
    changed = ORIGINAL.replace("$14.3 billion", "$1.43 billion")
    (ta, fa), (tb, fb) = features(ORIGINAL), features(changed)
    ev = align_documents(fa, fb, ta, tb)
    muts = [m for p in ev.pairs for m in p.mutations]
    assert [(m.kind, m.a_value, m.b_value) for m in muts] == [("amount", "$14.3 billion", "$1.43 billion")]


def test_hedge_dropped_in_a_copy_is_reported() -> None:
    a = "The Avalon model may be launched as a closed product by Vantrix Holdings next spring, people familiar said."
    b = "The Avalon model will be launched as a closed product by Vantrix Holdings next spring, people familiar said."
    (ta, fa), (tb, fb) = features(a), features(b)
    changes = [m for p in align_documents(fa, fb, ta, tb).pairs for m in p.mutations]
    assert [(m.kind, m.a_value, m.b_value) for m in changes] == [("modality", "may", "asserted")]


def _changes(a: str, b: str) -> list[tuple[str, str, str]]:
    (ta, fa), (tb, fb) = features(a), features(b)
    return [(m.kind, m.a_value, m.b_value) for p in align_documents(fa, fb, ta, tb).pairs for m in p.mutations]


def test_a_possessive_is_not_a_changed_name() -> None:
    a = "Analysts said Quillen's plan for the Brellport plant would cost Vantrix Holdings about $2 billion next year."
    b = "Analysts said Quillen plan for the Brellport plant would cost Vantrix Holdings about $2 billion next year."
    assert _changes(a, b) == []


def test_a_possessive_on_a_figure_is_not_a_changed_figure() -> None:
    a = "The weak launch of Zorbex7 in April 2025 left Vantrix Holdings looking for a new plan in Brellport."
    b = "After Zorbex7's weak launch in April 2025, Vantrix Holdings went looking for a new plan in Brellport."
    assert [c for c in _changes(a, b) if c[0] in ("number", "amount", "percent", "year")] == []
    c = "After Zorbex8's weak launch in April 2025, Vantrix Holdings went looking for a new plan in Brellport."
    assert [k for k, *_ in _changes(b, c)] == ["number"]


def test_a_spelling_variant_is_evidence_but_not_a_changed_fact() -> None:
    a = "Chief executive Alexander Quillen said Vantrix Holdings would close the Brellport plant by March 2027."
    b = "Chief executive Alexandr Quillen said Vantrix Holdings would close the Brellport plant by March 2027."
    assert _changes(a, b) == [("spelling", "alexander", "alexandr")]
    c = "Chief executive Mara Quillen said Vantrix Holdings would close the Brellport plant by March 2027."
    d = "Chief executive Mira Quillen said Vantrix Holdings would close the Brellport plant by March 2027."
    assert [kind for kind, *_ in _changes(c, d)] in (["entity"], [])


def test_figures_get_the_statement_checks_kinds() -> None:
    base = "Vantrix Holdings said turnover at the Brellport unit fell {} last year, citing weaker orders."
    assert [k for k, *_ in _changes(base.format("17%"), base.format("27%"))] == ["percent"]
    assert [k for k, *_ in _changes(base.format("by $2.7 billion"), base.format("by $0.27 billion"))] == ["amount"]
    assert [k for k, *_ in _changes(base.format("to 6,000 units"), base.format("to 600 units"))] == ["number"]


def test_reworded_and_reordered_sentences_are_aligned_as_paraphrase() -> None:
    rewrite = (
        "Oloma Systems, a maker of satellite parts for Kestrel Aerospace with 4,200 staff, is being bought. "
        "Vantrix Holdings will pay $14.3 billion for Oloma Systems, insiders say. "
        "Mara Quillen, the boss of Vantrix Holdings, championed the purchase from Brellport."
    )
    (ta, fa), (tb, fb) = features(ORIGINAL), features(rewrite)
    ev = align_documents(fa, fb, ta, tb)
    assert len(ev.pairs) >= 2
    assert {p.kind for p in ev.pairs} == {"paraphrase"}
    assert ev.coverage_b > 0.5


def test_the_same_formula_about_other_facts_is_not_reuse() -> None:
    a = "Regulators are expected to review the transaction, which could take until November of next year."
    b = "Regulators are expected to review the transaction, which could take until December of next year."
    other = "Regulators in Tamsin opened a review of the Pellow merger after complaints from rival shippers."
    (ta, fa), (tb, fb), (tc, fc) = features(a), features(b), features(other)
    assert not align_documents(fa, fc, ta, tc).pairs
    assert not align_documents(fa, fb, ta, tb).is_link()


def test_one_pattern_stating_other_facts_is_not_a_copy_with_changes() -> None:
    a = "Pellow Freight will present the plan at an event in Tamsin on August 15, the people said."
    b = "Pellow Freight will present the plan at an event in Brellport on September 19, the people said."
    (ta, fa), (tb, fb) = features(a), features(b)
    assert not align_documents(fa, fb, ta, tb).pairs
    # One changed figure in an otherwise identical sentence is still a copy with a mutation.
    c = a.replace("August 15", "August 18")
    (tc, fc) = features(c)
    ev = align_documents(fa, fc, ta, tc)
    assert [p.kind for p in ev.pairs] == ["near"] and ev.mutation_count == 1


# An explanation naming few facts (no figures, one name), and a heavy rewrite of it that keeps
# about half of each sentence's wording, sentence by sentence, in the same order.
EXPLANATION = (
    "A garbage collector reclaims memory that a running program can no longer reach from its roots. "
    "The collector first marks every object reachable from the stack and the global variables. "
    "Objects left unmarked after this traversal are considered dead and their memory is freed. "
    "Some collectors then compact the surviving objects to reduce fragmentation of the heap. "
    "Generational collectors exploit the observation that most objects die young and scan them more often."
)
REWRITE = (
    "Memory that a program can no longer reach is reclaimed automatically by a garbage collector. "
    "To begin, every object that can be reached from the stack or from global variables gets marked. "
    "Whatever remains unmarked once the traversal ends is dead, so its memory can be freed. "
    "Many designs also compact surviving objects afterwards, which reduces heap fragmentation. "
    "Because most objects die young, generational collectors scan the young ones more often."
)


def test_a_rewrite_keeping_half_the_wording_in_order_is_a_reworded_passage() -> None:
    (ta, fa), (tb, fb) = features(EXPLANATION), features(REWRITE)
    ev = align_documents(fa, fb, ta, tb)
    assert ev.is_link()
    assert len(ev.pairs) >= 4 and {p.kind for p in ev.pairs} == {"paraphrase"}
    assert [p.b_seq for p in ev.pairs] == sorted(p.b_seq for p in ev.pairs)


def test_without_the_ordered_channel_the_rewrite_is_missed(monkeypatch: pytest.MonkeyPatch) -> None:
    from service.core.reuse import align

    monkeypatch.setattr(align, "ORDERED_RUN", 1_000)
    (ta, fa), (tb, fb) = features(EXPLANATION), features(REWRITE)
    assert not align_documents(fa, fb, ta, tb).is_link()


def test_the_same_reworded_sentences_in_no_common_order_are_not_a_passage() -> None:
    # Texts on one topic share phrasings here and there, in no particular order.
    sentences = [s for s in REWRITE.split(". ") if s]
    shuffled = ". ".join(sentences[i].rstrip(".") for i in (4, 2, 0, 3, 1)) + "."
    (ta, fa), (tb, fb) = features(EXPLANATION), features(shuffled)
    ev = align_documents(fa, fb, ta, tb)
    assert not ev.is_link()


def test_two_reports_of_one_press_conference_are_not_linked() -> None:
    # Same event, same names, figures and quotation, in the same order -- but each reporter
    # wrote their own sentences: shared facts are not shared wording.
    first = (
        "Mayor Ilsa Varnow said on Tuesday that Dellmoor will spend $42 million on flood barriers "
        "along the Corran River. "
        "The barriers, planned for the eastern districts, should be finished by 2028, "
        "Varnow told a news conference at city hall. "
        '"We cannot keep rebuilding the same streets every spring," Varnow said. '
        "Opposition councillor Tobin Achterberg called the plan overdue and questioned how the city would pay for it. "
        "Last year's floods damaged about 1,300 homes in Dellmoor, according to municipal figures."
    )
    second = (
        "Dellmoor is putting $42 million into walls to hold back the Corran River, its mayor announced. "
        "Speaking at city hall, Ilsa Varnow said construction in the east of the city would wrap up in 2028. "
        '"We cannot keep rebuilding the same streets every spring," Varnow said. '
        "Tobin Achterberg, who sits on the council for the opposition, said the money should have come "
        "years ago but asked where it would be found. "
        "Some 1,300 houses were hit when the river burst its banks last year."
    )
    (ta, fa), (tb, fb) = features(first), features(second)
    assert not ordered_rewordings(fa, fb, ta, tb, match_passages(fa, fb, ta, tb))
    assert not align_documents(fa, fb, ta, tb).is_link()


_OVERLAPS = """
import random
from service.core.reuse.align import wording_overlap, _weighted_overlap, _default_rarity
from service.core.reuse.fingerprint import passage_features
rng = random.Random(5)
def word():
    return "".join(rng.choice("bcdfghklmnprstvz") + rng.choice("aeiou") for _ in range(rng.randint(2, 5)))
vocab = [word() for _ in range(400)]
out = []
for _ in range(300):
    shared = rng.sample(vocab, 12)
    a = " ".join(shared + rng.sample(vocab, 9))
    b = " ".join(rng.sample(shared, 10) + rng.sample(vocab, 11))
    pa, pb = passage_features(a, 0, 0, len(a)), passage_features(b, 1, 0, len(b))
    out.append(repr((wording_overlap(pa, pb), _weighted_overlap(pa, pb, _default_rarity))))
print("\\n".join(out))
"""


def test_overlap_scores_do_not_depend_on_the_process_string_hash() -> None:
    # Sums over sets of words follow the set's order, which follows the per-process string hash:
    # two workers (or a rebuild) must score a pair alike to the last bit.
    import os
    import subprocess
    import sys

    def run(seed: str) -> str:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        return subprocess.run([sys.executable, "-c", _OVERLAPS], env=env, capture_output=True, text=True,
                              check=True).stdout

    first = run("1")
    assert first.count("\n") >= 299
    assert all(run(seed) == first for seed in ("2", "3"))


def test_a_short_fact_free_sentence_with_a_word_swapped_stays_aligned() -> None:
    # A desk edit: one word swapped in a sentence of under 20 words that names no fact.
    source = ORIGINAL + " Regulators are expected to review the transaction, which could take some time to finish."
    copy = ORIGINAL + " Regulators are expected to examine the transaction, which could take some time to finish."
    (ta, fa), (tb, fb) = features(source), features(copy)
    matches = match_passages(fa, fb, ta, tb)
    last_a, last_b = len(fa.passages) - 1, len(fb.passages) - 1
    assert any(m.pair.a_seq == last_a and m.pair.b_seq == last_b and m.pair.kind == "near" for m in matches)


def test_a_stock_sentence_filled_in_with_another_month_or_name_is_not_kept_as_edited() -> None:
    # The same formula with another fact in it (a month, an analyst's bank): frequent text whose
    # filled-in word hides it from the boilerplate test, not a desk's edit of one sentence.
    for first, second in (
        ("The merger is expected to close in June, subject to the approval of shareholders.",
         "The merger is expected to close in September, subject to the approval of shareholders."),
        ("Analysts at Dorvel Capital called the price high but said the plants were rare assets.",
         "Analysts at Imrath Capital called the price high but said the plants were rare assets."),
    ):
        source, copy = ORIGINAL + " " + first, ORIGINAL + " " + second
        (ta, fa), (tb, fb) = features(source), features(copy)
        last_a, last_b = len(fa.passages) - 1, len(fb.passages) - 1
        assert not any(m.pair.a_seq == last_a and m.pair.b_seq == last_b for m in match_passages(fa, fb, ta, tb))
