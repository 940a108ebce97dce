"""Checkable facts of one sentence: its tokens, quantities, dates, negations and refuting cues.

A statement check compares *facts*, not strings. ``extract_facts`` reads them all at once with
character offsets, settling the overlaps between extractors (a date's day is no quantity, a
figure of money or percent is no year), so the stance judge (``service.core.stance``) can pair
them up and name exactly what differs.

Written by hand because it is our core idea (explainable fact comparison); the pieces that are
not (stemming, fuzzy matching) come from snowballstemmer (which runs on PyStemmer's C
implementation when it is installed, as it is here: stemming every new passage word is on
the latency path) and rapidfuzz.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from service.core.facts.cues import CueSpan, extract_negations, extract_refutations
from service.core.facts.dates import DateRef, extract_dates
from service.core.facts.quantities import Quantity, extract_quantities
from service.core.text.tokens import StemmedToken, stemmed_tokens


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything checkable in one sentence, with offsets into it."""

    text: str
    tokens: tuple[StemmedToken, ...]
    quantities: tuple[Quantity, ...]
    dates: tuple[DateRef, ...]
    negations: tuple[CueSpan, ...]
    refutations: tuple[CueSpan, ...]


def extract_facts(text: str, reference: date | None = None, tokens: list[StemmedToken] | None = None) -> Facts:
    """Tokens, quantities, dates, negations and refutation cues of ``text``.

    Spans claimed by a date ("April 2025") are not also read as quantities, and a number
    in a money/percent expression is never read as a year.
    """
    dates = extract_dates(text, reference)
    quantities = [
        q for q in extract_quantities(text) if not any(d.start <= q.start < d.end or q.start <= d.start < q.end
                                                        for d in dates if d.month is not None or d.day is not None)
    ]
    dates = [d for d in dates if not any(q.start <= d.start < q.end for q in quantities)]
    if tokens is None:
        tokens = stemmed_tokens(text)
    return Facts(
        text,
        tuple(tokens),
        tuple(quantities),
        tuple(dates),
        tuple(extract_negations(text)),
        tuple(extract_refutations(text, tokens)),
    )
