"""A candidate passage as the stance judge reads it: its words, its facts, and where each stem sits.

The same passages come back check after check, so both readings are cached per process: the
words alone (enough to find most candidates unrelated) and the full analysis with facts.
Coverage helpers measure how much of a statement's frame a passage has, and where: by stem
(snowballstemmer), by folded form, and for names by fuzzy match (rapidfuzz).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from rapidfuzz import fuzz, process

from service.core.facts.cues import clause_bounds
from service.core.facts.dates import has_relative_date
from service.core.facts.sentence import Facts, extract_facts
from service.core.stance.statement import Statement, Term
from service.core.text.tokens import StemmedToken, stemmed_tokens


@dataclass(frozen=True)
class AnalysedPassage:
    """A passage read once for every statement it is judged against: facts, stems and where each stem is."""

    facts: Facts
    stems: frozenset[str]
    norms: frozenset[str]
    long_norms: tuple[str, ...]
    stem_positions: dict[str, tuple[int, ...]]


@dataclass(frozen=True)
class PassageWords:
    """The words of a passage alone, enough to settle that it is unrelated without reading its facts."""

    tokens: tuple[StemmedToken, ...]
    stems: frozenset[str]
    norms: frozenset[str]
    long_norms: tuple[str, ...]


# Per-process caches of analysed passages: bounded so a web worker stays small (each entry is
# a sentence's tokens and facts, a few kilobytes), large enough for a working set of stories.
PASSAGE_CACHE = 8192


@lru_cache(maxsize=PASSAGE_CACHE)
def passage_words(text: str) -> PassageWords:
    """Tokens of a passage, cached: the same passages come back check after check."""
    tokens = tuple(stemmed_tokens(text))
    norms = frozenset(t.norm for t in tokens)
    return PassageWords(
        tokens,
        frozenset(t.stem for t in tokens),
        norms,
        tuple(n for n in norms if len(n) >= 4 and n.isalpha()),
    )


@lru_cache(maxsize=PASSAGE_CACHE)
def analyse_passage(text: str, reference: date | None) -> AnalysedPassage:
    """Facts and stem positions of a passage, cached like ``passage_words``."""
    words = passage_words(text)
    facts = extract_facts(text, reference, list(words.tokens))
    positions: dict[str, list[int]] = {}
    for tok in facts.tokens:
        positions.setdefault(tok.stem, []).append(tok.start)
    return AnalysedPassage(
        facts=facts,
        stems=words.stems,
        norms=words.norms,
        long_norms=words.long_norms,
        stem_positions={k: tuple(v) for k, v in positions.items()},
    )


def passage_reference(text: str, reference: date | None) -> date | None:
    """The publication date the analysis of ``text`` depends on: ``reference`` when the text has a
    relative date ("next spring") whose year it resolves, else None. A passage without one reads
    the same whatever its date, so its copies published on other days share one analysis (and one
    judgement: ``service.checking`` keys its ``JudgementMemo`` with this)."""
    return reference if reference is not None and has_relative_date(text) else None


def covers(term: Term, passage: AnalysedPassage | PassageWords) -> bool:
    """Whether the passage has the frame term (its stem, its folded form, or a spelling variant of a name)."""
    if term.stem in passage.stems or term.norm in passage.norms:
        return True
    if term.proper and len(term.norm) >= 5 and passage.long_norms:
        # spelling variants of names ("Jakob" / "Jacob"), never short words
        return process.extractOne(term.norm, passage.long_norms, scorer=fuzz.ratio, score_cutoff=85) is not None
    return False


def anchors_near(stmt: Statement, passage: AnalysedPassage, start: int, end: int, window: int = 60) -> int:
    """How many frame terms of the statement occur within ``window`` characters of a span."""
    lo, hi = start - window, end + window
    return sum(
        1 for t in stmt.frame if any(lo <= p <= hi for p in passage.stem_positions.get(t.stem, ()))
    )


def anchors_in_clause(stmt: Statement, passage: AnalysedPassage, pos: int) -> int:
    """How many frame terms of the statement occur in the passage clause around ``pos``."""
    lo, hi = clause_bounds(passage.facts.text, pos)
    return sum(1 for t in stmt.frame if any(lo <= p < hi for p in passage.stem_positions.get(t.stem, ())))
