"""A statement prepared for checking: its frame (what it is about) and its facts (what it claims).

The statement is analysed once per check and then judged against every candidate passage, so
everything the judge needs from it is computed here: the *frame* (the content words that say
what it is about: who, what, which action; names weigh more), the names it contains, its
*facts* (quantities, dates, polar words such as "open"/"closed", negation) and its modality
(certain, hedged, reported, refuting).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from service.core.facts.cues import CueSpan, pole
from service.core.facts.sentence import Facts, extract_facts
from service.core.stance.claim import ClaimReading, read_claim
from service.core.stance.meaning import Meaning, PoleForm, read_meaning
from service.core.text.lexicon import (
    ATTRIBUTION,
    FRAME_STOPWORDS,
    HEDGES,
    SAYING_WORDS,
    STOPWORDS,
    STRONG_MODALS,
    WEAK_MODALS,
)
from service.core.text.normalize import fold, normalize_text
from service.core.text.tokens import StemmedToken


def is_stopword(norm: str) -> bool:
    """Whether a folded word says nothing about what a statement is about (no frame term)."""
    return norm in STOPWORDS or norm in FRAME_STOPWORDS or len(norm) < 2 and not norm.isdigit()


def _in_spans(tok: StemmedToken, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s <= tok.start < e for s, e in spans)


def is_negated(pos: int, negations: Iterable[CueSpan]) -> bool:
    """Whether the word at ``pos`` lies in the scope of one of ``negations``."""
    return any(c.end <= pos < c.scope_end for c in negations)


@dataclass(frozen=True, slots=True)
class Term:
    """A content word of the statement: its stem, weight and whether it names something."""

    stem: str
    norm: str
    text: str
    weight: float
    proper: bool
    start: int


@dataclass(frozen=True, slots=True)
class Polar:
    """A polar word ("open-source", "rose", "confirmed") with its sign after negation."""

    prop: str
    sign: int
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Statement:
    """A statement prepared once per check: facts, frame terms, polar words, modality."""

    text: str
    folded: str
    facts: Facts
    frame: tuple[Term, ...]
    entities: tuple[tuple[int, int, frozenset[str]], ...]
    polars: tuple[Polar, ...]
    strong_modal: bool
    hedged: bool
    refuting: bool
    negated: bool
    title_case: bool
    attributed: bool
    # where the predicate starts (the words before it name the subject) and what WordNet says
    # the words mean (``service.core.stance.meaning``)
    subject_end: int = 0
    predicate: tuple[tuple[int, int], ...] = ()
    meaning: Meaning = field(default_factory=lambda: read_meaning((), 0, set()))
    wn_polars: tuple[Polar, ...] = ()
    question: bool = False

    @property
    def denies(self) -> bool:
        """Whether the statement itself denies or negates its claim ("X denied Y", "X is not Y",
        "Apple Watch battery doesn't last a day"): a refuting word, or a negation before, at or
        right after its first predicate word. A negation inside a later clause ("... to ensure it doesn't bend",
        "a panel that didn't include any women", "... without the man's knowledge") is part of
        what the statement claims: a document that calls the claim false still refutes it."""
        if self.refuting:
            return True
        if not self.negated:
            return False
        if not self.predicate:
            return True
        first_end = self.predicate[0][1]  # "does not close", "is not", "doesn't last"
        return any(n.start <= first_end + 1 for n in self.facts.negations)

    @property
    def frame_weight(self) -> float:
        """Total weight of the frame terms."""
        return sum(t.weight for t in self.frame) or 1.0


def is_title_case(tokens: Iterable[StemmedToken]) -> bool:
    """Headline style ("Apple Stores To Keep Gold Watches"): capitals say nothing about names."""
    words = [t for t in tokens if t.norm.isalpha() and len(t.norm) > 3]
    return len(words) >= 3 and sum(t.capital for t in words) >= 0.6 * len(words)


def polar_words(facts: Facts) -> list[Polar]:
    """The polar words of a sentence, each with its sign flipped when it is negated."""
    out = []
    for tok in facts.tokens:
        p = pole(tok.norm)
        if p is not None:
            sign = -p[1] if is_negated(tok.start, facts.negations) else p[1]
            out.append(Polar(p[0], sign, tok.text, tok.start, tok.end))
    return out


def wn_polar_words(facts: Facts, meaning: Meaning) -> list[Polar]:
    """The words of a sentence that assert one of a statement's WordNet poles ("laid off" for the
    pole of "hire"), each with its sign flipped when it is negated."""
    if not meaning.forms:
        return []
    out = []
    tokens = facts.tokens
    for i, tok in enumerate(tokens):
        poles: tuple[PoleForm, ...] = meaning.forms.get(tok.norm, ())
        for p in poles:
            end = tok.end
            if p.particle is not None:
                nxt = tokens[i + 1] if i + 1 < len(tokens) else None
                if nxt is None or nxt.norm != p.particle:
                    continue
                end = nxt.end
            sign = -p.sign if is_negated(tok.start, facts.negations) else p.sign
            out.append(Polar(p.prop, sign, facts.text[tok.start : end], tok.start, end))
    return out


def _fact_spans(facts: Facts) -> list[tuple[int, int]]:
    return [(q.start, q.end) for q in facts.quantities] + [(d.start, d.end) for d in facts.dates]


def parse_statement(statement: str, reading: ClaimReading | None = None) -> Statement:
    """Analyse a statement once: its facts, frame terms and polar words (after the same
    normalisation as stored text, so curly apostrophes in "isn’t" still negate), where its
    predicate starts (``reading``, from ``claim.read_claim``, read here when not given) and what
    WordNet says its words mean."""
    statement = normalize_text(statement)
    if reading is None:
        reading = read_claim(statement)
    facts = extract_facts(statement)
    spans = _fact_spans(facts)
    frame: dict[str, Term] = {}
    entities: list[list[StemmedToken]] = []
    previous: StemmedToken | None = None
    for tok in facts.tokens:
        if is_stopword(tok.norm) or _in_spans(tok, spans) or pole(tok.norm) is not None:
            previous = None
            continue
        if tok.norm in ("billion", "million", "percent", "trillion", "thousand"):
            previous = None
            continue
        # names: capitalised words, acronyms, and the number in a name such as "Windows 11"
        proper = tok.capital or (tok.text.isupper() and len(tok.text) > 1) or tok.norm.isdigit()
        weight = 1.5 if proper else 1.0
        if tok.stem not in frame:
            frame[tok.stem] = Term(tok.stem, tok.norm, tok.text, weight, proper, tok.start)
        if proper:
            # consecutive name words form one name ("Ada Lovelace", "Windows 11")
            if previous is not None and statement[previous.end : tok.start].strip() in ("", "-"):
                entities[-1].append(tok)
            else:
                entities.append([tok])
            previous = tok
        else:
            previous = None
    dated = [(d.start, d.end) for d in facts.dates]
    norms = {t.norm for t in facts.tokens if not _in_spans(t, dated)}  # "in May" is no hedge
    subject_end = reading.subject_end if reading.predicate else 0
    meaning = read_meaning(facts.tokens, subject_end, {stem for stem, t in frame.items() if not t.proper})
    wn_polars = []
    for tok in facts.tokens:
        own = meaning.own.get(tok.start)
        if own is not None:
            prop, sign, end = own
            sign = -sign if is_negated(tok.start, facts.negations) else sign
            wn_polars.append(Polar(prop, sign, statement[tok.start : end], tok.start, end))
    polars = polar_words(facts)
    # a negation of a polar word is carried by its sign ("did not win" is the pole of "lost"):
    # the negation word itself is then no frame word a passage must repeat
    for cue in facts.negations:
        if any(cue.end <= p.start < cue.scope_end for p in polars + wn_polars):
            frame = {k: t for k, t in frame.items() if not (cue.start <= t.start < cue.end)}
    return Statement(
        text=statement,
        folded=folded if len(folded := fold(statement)) == len(statement) else statement.lower(),
        facts=facts,
        frame=tuple(frame.values()),
        entities=tuple(
            (group[0].start, group[-1].end, frozenset(t.stem for t in group)) for group in entities
        ),
        polars=tuple(polars),
        strong_modal=bool(norms & STRONG_MODALS) and not bool(norms & (WEAK_MODALS | HEDGES | ATTRIBUTION)),
        title_case=is_title_case(facts.tokens),
        attributed=bool(norms & SAYING_WORDS),
        hedged=bool(norms & (HEDGES | ATTRIBUTION)),
        refuting=bool(facts.refutations),
        negated=bool(facts.negations),
        subject_end=subject_end,
        predicate=reading.predicate,
        meaning=meaning,
        wn_polars=tuple(wn_polars),
        question=reading.question,
    )
