"""A sentence that leaves its subject to its neighbours: "He came in through a $2 billion deal."

News copy names a person or a company once and then says "he", "the company" or "the deal".
Such a sentence, read alone, only mentions the statement's subject; read with the sentences
just before it, it can state the fact. ``leading_reference`` finds the word at the start of a
sentence that refers back (a personal or possessive pronoun, or a definite "the company", "this
deal"); the judge (``service.core.stance.judge``) then lets the statement words that the
preceding sentences hold count for the passage, while its facts are still read from the passage
alone. ``service.checking`` fetches those sentences (``CONTEXT_SENTENCES`` of them) for the
candidates that need them.
"""

from __future__ import annotations

import re

from service.core.stance.passage import passage_words
from service.core.stance.statement import Statement

# How many sentences before a passage are read as its context.
CONTEXT_SENTENCES = 2

_PRONOUN = r"(?:he|she|it|they|his|her|its|their|him|them)"
_DEFINITE = r"(?:the|this|that|these|those)\s+(?:[a-z][\w-]*\s+){0,2}?[a-z][\w-]*"
# A reference at the start, possibly after a short opener ("In 2024, he ...", "But the company ...").
_LEADING = re.compile(
    rf"^\W*(?:(?:but|and|so|then|later|meanwhile|now|still|also|yet|in\s+\w+(?:\s+\d{{4}})?|on\s+\w+),?\s+)?"
    rf"(?P<ref>{_PRONOUN}\b|{_DEFINITE}\b)",
    re.IGNORECASE,
)
_NOT_A_REFERENCE = re.compile(r"^(?:it\s+(?:is|was|has been|will be|would be|seems|appears)\s)", re.IGNORECASE)


def leading_reference(text: str) -> str | None:
    """The word or phrase at the start of ``text`` that refers to something named before it
    ("He", "The company", "this deal"), or None. An expletive "it" ("It is likely that ...")
    refers to nothing."""
    m = _LEADING.match(text)
    if m is None:
        return None
    ref = m.group("ref")
    if _NOT_A_REFERENCE.match(text[m.start("ref") :]):
        return None
    if ref[:1].isupper() and ref.split()[0].lower() not in ("he", "she", "it", "they", "his", "her", "its", "their",
                                                            "the", "this", "that", "these", "those"):
        return None
    # "The New York Times": a definite article before a name is no back-reference
    words = ref.split()
    if len(words) > 1 and any(w[:1].isupper() for w in words[1:]):
        return None
    return ref


def needs_context(stmt: Statement, text: str) -> frozenset[str]:
    """The stems of the statement's subject words that a passage lacks, when the passage may
    state the statement's claim about a subject it only refers to (it starts with a reference, has
    a word of what the statement claims and, when the statement has a figure or date, a figure);
    else an empty set."""
    if stmt.subject_end <= 0 or leading_reference(text) is None:
        return frozenset()
    stems = passage_words(text).stems
    missing = frozenset(t.stem for t in stmt.frame if t.start < stmt.subject_end and t.stem not in stems)
    if not missing:
        return frozenset()
    if (stmt.facts.quantities or stmt.facts.dates) and not any(ch.isdigit() for ch in text):
        return frozenset()  # the statement's figure is not there: nothing for the context to complete
    if any(t.stem in stems for t in stmt.frame if t.start >= stmt.subject_end):
        return missing
    return frozenset()


def context_helps(missing: frozenset[str], context: str) -> bool:
    """Whether the neighbouring sentences hold one of the subject words a passage lacks."""
    return not missing.isdisjoint(passage_words(context).stems)
