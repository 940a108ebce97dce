"""Same-event reports are not reuse: a shared headline, the facts and the quotations make no link.

Two outlets at one press conference state the event in the same few words ("Pellow Freight to
cut 300 jobs in Tamsin"), name the same figures and carry the same quoted words, each writing
its own sentences; a copy shares narrative sentences, and keeps the headline beside them.
"""

from __future__ import annotations

from service.core.reuse.align import align_documents
from service.core.reuse.fingerprint import is_headline
from tests.core.reuse.test_align import features

QUOTE = "\"We did not take this decision lightly, and we will support every worker in Tamsin,\" Ilse Varro said."

WIRE = (
    "Pellow Freight to cut 300 jobs in Tamsin\n\n"
    "Pellow Freight will cut 300 jobs at its Tamsin depot by March, its chief executive Ilse Varro said on "
    "Tuesday at a news briefing in the city. Freight volumes at the depot fell 18% last year as two large "
    "customers moved their contracts to rail. The company put the cost of the cuts at $42 million. "
    + QUOTE + " Unions said they would seek talks with management before the end of the month.\n"
)

OTHER_OUTLET = (
    "Pellow Freight confirms it will cut 300 jobs in Tamsin\n\n"
    "Speaking at a news briefing in Tamsin on Tuesday, chief executive Ilse Varro said the company intends "
    "to cut 300 jobs at its depot there by March. The depot handled 18% less freight last year after two big "
    "clients switched to rail. A budget of $42 million has been set aside for the plan. "
    + QUOTE + " Reporters filled the small room well before the briefing began.\n"
)


def test_a_headline_is_a_short_line_not_closed_like_a_sentence() -> None:
    text = "Pellow Freight to cut 300 jobs\n\nPellow Freight will cut 300 jobs.\nAna Lee\n"
    starts = [text.index(s) for s in ("Pellow Freight to", "Pellow Freight will", "Ana Lee")]
    assert is_headline(text, starts[0], starts[0] + len("Pellow Freight to cut 300 jobs"))
    assert not is_headline(text, starts[1], starts[1] + len("Pellow Freight will cut 300 jobs."))
    assert not is_headline(text, starts[2], starts[2] + len("Ana Lee"))  # too short for a headline
    # A sentence ending a paragraph without a full stop is not a line of its own when others precede it.
    inline = "The plan was approved. Work starts in May"
    assert not is_headline(inline, inline.index("Work"), len(inline))


def test_two_reports_of_one_press_conference_are_not_linked() -> None:
    (ta, fa), (tb, fb) = features(WIRE), features(OTHER_OUTLET)
    ev = align_documents(fa, fb, ta, tb)
    assert not ev.is_link()
    assert not any(fa.passages[p.a_seq].quoted for p in ev.pairs)
    # The shared headline is kept apart (a credit may still weigh it), never as link evidence.
    headline = [p for p in ev.pairs if fa.passages[p.a_seq].headline]
    assert headline and all(p.aside for p in headline)


def test_a_short_copy_headline_and_lead_still_links() -> None:
    lead = WIRE.split("\n\n")[1].split(". ")[0] + "."
    brief = "Pellow Freight to cut 300 jobs in Tamsin\n\n" + lead + "\n"
    (ta, fa), (tb, fb) = features(WIRE), features(brief)
    ev = align_documents(fa, fb, ta, tb)
    assert ev.is_link()
    # The headline counts beside the copied lead.
    assert any(fb.passages[p.b_seq].headline and not p.aside for p in ev.pairs)
    assert ev.coverage_b == 1.0


def test_a_credited_copy_still_links() -> None:
    body = WIRE.split("\n\n", 1)[1]
    credited = "Tamsin depot to lose 300 jobs\n\nThis article first appeared in the Harbor Ledger.\n" + body
    (ta, fa), (tb, fb) = features(WIRE), features(credited)
    ev = align_documents(fa, fb, ta, tb)
    assert ev.is_link() and ev.coverage_a > 0.8


def _quote_box(lead_in: str) -> str:
    return "Pellow Freight: quote of the day\n\n" + lead_in + " " + QUOTE + "\n"


def test_a_quote_box_lifting_a_quote_with_its_stock_lead_in_links() -> None:
    """A brief of a stock sentence and the quotation after it, in the source's order: the
    quotation is part of the copied passage, not merely the words everyone heard."""
    lead_in = "The company put the cost of the cuts, with severance and retraining for its drivers, at $42 million."
    source = WIRE.replace("The company put the cost of the cuts at $42 million.", lead_in)
    (ta, fa), (tb, fb) = features(source), features(_quote_box(lead_in))
    stock_a = {p.seq for p in fa.passages if lead_in[:20] in ta[p.start : p.end]}
    stock_b = {p.seq for p in fb.passages if lead_in[:20] in tb[p.start : p.end]}
    assert stock_a and stock_b
    ev = align_documents(fa, fb, ta, tb, boiler_a=stock_a, boiler_b=stock_b)
    assert ev.is_link()
    assert any(fb.passages[p.b_seq].quoted for p in ev.pairs)
    # The quotation alone, without the sentence it was lifted with, is what everyone heard.
    (tc, fc) = features("Pellow Freight: quote of the day\n\n" + QUOTE + "\n")
    assert not align_documents(fa, fc, ta, tc, boiler_a=stock_a).is_link()


def test_the_same_quote_after_an_own_sentence_is_still_no_link() -> None:
    """Another reporter's lead-in before the same quotation: no run, the quote alone is no copy."""
    (ta, fa), (tb, fb) = features(WIRE), features(_quote_box("Reporters filled the small room at the depot."))
    ev = align_documents(fa, fb, ta, tb)
    assert not ev.is_link()
    assert not any(fb.passages[p.b_seq].quoted for p in ev.pairs)


def test_a_stock_quote_before_each_outlets_footer_is_no_copied_run() -> None:
    """Two articles on different stories closing with the same stock quote and an outlet footer
    template filled with each outlet's own name: consecutive matched lines, but no copied
    narrative sentence among them."""
    quip = "\"Nobody saw this coming, not even the people inside,\" a former employee quipped."

    def page(outlet: str, story: str) -> str:
        return (f"{story} {quip}\nThis page may contain third-party content provided for information purposes "
                f"only and should not be considered an endorsement by The {outlet} Bulletin. Copyright The {outlet} "
                "Bulletin; all rights reserved and no part of this article may be reproduced without permission.\n")

    a = page("Vorlan", "Pellow Freight cut 300 jobs in Tamsin after a weak quarter, its chief financial officer said.")
    b = page("Quessa", "Oloma Systems hired 40 engineers for its new laboratory in Brellport, the company said.")
    (ta, fa), (tb, fb) = features(a), features(b)
    boiler_a = {p.seq for p in fa.passages if p.seq > 0}
    boiler_b = {p.seq for p in fb.passages if p.seq > 0}
    ev = align_documents(fa, fb, ta, tb, boiler_a=boiler_a, boiler_b=boiler_b)
    assert not ev.is_link()
    assert not any(fb.passages[p.b_seq].quoted for p in ev.pairs)
