"""Cue words of a sentence: negation and its scope, refutation, attribution, polar words.

These are the words that flip or weaken a claim ("not", "denied", "reportedly", "closed" for
"open"). They are found with offsets, and a negation with the stretch of the clause it covers,
so the stance judge can tell which word of a passage is negated or refuted. The word lists
themselves (hedges, refutation, attribution, poles) are in ``service.core.text.lexicon``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.core.text.lexicon import POLE_OF, REFUTATION
from service.core.text.tokens import StemmedToken, stemmed_tokens

_NEGATION = re.compile(
    r"\b(?:not|never|no|none|neither|nor|without|cannot|no\s+longer|nobody|nothing)\b|n't\b",
    re.IGNORECASE,
)
# "not only ... but", "not just", "no doubt" and friends do not deny what follows
_NOT_NEGATION = re.compile(
    r"^(?:\s*(?:only|just|merely|simply|least|necessarily\s+the\s+only|to\s+mention|surprisingly"
    r"|doubt|wonder|matter|exception|sooner|later|less|fewer|more)\b)",
    re.IGNORECASE,
)
_NEGATION_REACH = 4
_NEG_BEFORE_EXCLUDE = re.compile(r"\b(?:if|whether)\s*$|\bno\s*$", re.IGNORECASE)
_CLAUSE_END = re.compile(r"[,;:.!?()\"]|\s-\s|\s--\s|\b(?:but|while|whereas|although|though|however|yet)\b")
_ATTRIBUTION_PHRASES = re.compile(
    r"\b(?:(?:reports?|rumou?rs?|claims?|speculation|allegations?)\s+(?:that|of|from|suggest|say)"
    r"|(?:it\s+(?:was|is|has\s+been)\s+reported)|according\s+to\s+(?:[\w-]+\s+){0,2}?(?:reports?|rumou?rs|sources?)"
    r"|according\s+to\s+unconfirmed|sources?\s+(?:say|says|said|claim|claimed|told)|(?:cited|citing)\s+(?:\w+\s+)?sources"
    r"|(?:is|are|was|were)\s+said\s+to)\b",
    re.IGNORECASE,
)


def attributes_claim(text: str) -> bool:
    """True when ``text`` reports a claim as someone else's ("reports that", "it was reported",
    "is said to") rather than asserting it; single words are in ``lexicon.ATTRIBUTION``."""
    return _ATTRIBUTION_PHRASES.search(text) is not None


def attributes_claim_span(text: str) -> str | None:
    """The attribution phrase of ``text`` ("reports that"), or None (see ``attributes_claim``)."""
    m = _ATTRIBUTION_PHRASES.search(text)
    return m.group() if m else None


_REFUTATION_PHRASES = re.compile(
    r"\b(?:not\s+true|no\s+evidence|no\s+truth|did\s+not\s+happen|never\s+happened|shoots?\s+down"
    r"|shot\s+down)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class CueSpan:
    """A cue word or phrase with its offsets; ``scope_end`` bounds what a negation covers."""

    text: str
    start: int
    end: int
    scope_end: int = -1


def pole(norm: str) -> tuple[str, int] | None:
    """The (property, +1/-1) a folded word asserts, e.g. "closed-source" -> ("openness", -1)."""
    return POLE_OF.get(norm)


def clause_bounds(text: str, pos: int) -> tuple[int, int]:
    """The clause around ``pos``: delimited by punctuation, dashes and contrast words."""
    start = 0
    for before in _CLAUSE_END.finditer(text, 0, pos):
        start = before.end()
    after = _CLAUSE_END.search(text, pos)
    return start, (after.start() if after else len(text))


def extract_negations(text: str) -> list[CueSpan]:
    """Negation cues with their scope (to the end of the clause); "not only", "not just",
    "no doubt" and "won't just" are not negations."""
    out: list[CueSpan] = []
    for m in _NEGATION.finditer(text):
        after = text[m.end() :]
        if _NOT_NEGATION.match(after):
            continue
        if m.group().lower() == "no" and re.match(r"\s*(?:one\s+knows|later|sooner)", after):
            continue
        if _NEG_BEFORE_EXCLUDE.search(text[max(0, m.start() - 10) : m.start()]) and m.group().lower() == "no":
            continue
        start = m.start()
        if m.group() == "n't":  # include the auxiliary: "won't", "didn't"
            while start > 0 and text[start - 1].isalpha():
                start -= 1
        if re.search(r"\b(?:whether\s+)?or\s*$", text[max(0, m.start() - 12) : m.start()], re.IGNORECASE):
            continue  # "whether or not", "... or not"
        clause = _CLAUSE_END.search(text, m.end())
        scope_end = clause.start() if clause else len(text)
        # a negation covers the predicate right after it, not the rest of a long clause
        words = list(re.finditer(r"\S+", text[m.end() : scope_end]))
        if len(words) > _NEGATION_REACH:
            scope_end = m.end() + words[_NEGATION_REACH - 1].end()
        out.append(CueSpan(text[start : m.end()], start, m.end(), scope_end))
    return out


def extract_refutations(text: str, tokens: list[StemmedToken] | None = None) -> list[CueSpan]:
    """Words that call a claim false ("denied", "hoax", "debunked", "not true")."""
    out = [
        CueSpan(t.text, t.start, t.end)
        for t in (stemmed_tokens(text) if tokens is None else tokens)
        if t.norm in REFUTATION
    ]
    out.extend(CueSpan(m.group(), m.start(), m.end()) for m in _REFUTATION_PHRASES.finditer(text))
    return sorted(out, key=lambda c: c.start)
