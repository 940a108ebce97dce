"""Does a passage support, contradict or merely mention a statement - and which fact differs?

The judgement is explainable by construction: the statement's frame and facts
(``service.core.stance.statement``) are compared with the passage's
(``service.core.stance.conflicts``). A passage is relevant when it covers the frame; it then

* **contradicts** when a fact of the same frame differs, and every contradiction names its
  conflict;
* **supports** when every fact of the statement is found with the same value (or, for a
  statement without facts, when nearly all of its words are covered and nothing differs);
* **mentions** otherwise: it talks about the subject but does not settle the compared fact.

The aligned span comes from rapidfuzz's partial-ratio alignment. Confidences are probabilities
from a logistic link over the same evidence the rule used (see ``_confidence``).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz

from service.core.facts.cues import attributes_claim_span
from service.core.stance.conflicts import (
    SUPPORT_FRAME_ANCHORED,
    Conflict,
    SpanMatch,
    date_evidence,
    entity_conflicts,
    live_refutations,
    modality_conflicts,
    negation_conflicts,
    polar_evidence,
    quantity_evidence,
    refutation_conflicts,
)
from service.core.stance.context import leading_reference
from service.core.stance.passage import (
    AnalysedPassage,
    PassageWords,
    analyse_passage,
    anchors_near,
    covers,
    passage_reference,
    passage_words,
)
from service.core.stance.statement import Statement, Term
from service.core.text.lexicon import ATTRIBUTION, AUXILIARIES, LIGHT_VERBS, WEAK_MODALS, WH_WORDS
from service.core.text.normalize import fold
from service.core.text.roles import is_evidence_role

STANCES = ("supports", "contradicts", "mentions", "unrelated")
# Why a passage got its stance (``PassageJudgement.reason``).
REASONS = {
    "facts-match": "every figure and date of the statement is there with the same value",
    "wording-match": "nearly all of the statement's words, names and polar words are there",
    "conflict": "a fact of the same story differs (see conflicts)",
    "reported": "the passage reports or doubts the claim rather than asserting it (see cues)",
    "quoted": "the passage only quotes the claim",
    "subject-only": "the passage names the statement's subject but says nothing of its predicate",
    "not-asserted": "a heading, title, byline or caption that does not assert the statement's predicate",
    "fact-missing": "the passage is about the subject but does not state the compared figure or date",
    "partial": "the passage shares part of the statement's wording only",
    "unrelated": "too little of the statement is there",
    "model": "the learned document stance, committed on this passage",
}

# A passage must cover this share of the statement's frame to be evidence at all ...
MIN_RELEVANCE = 0.34
# ... and a statement without checkable facts is supported only when nearly all of it is covered.
SUPPORT_FULL = 0.7
SUPPORT_PLAIN = 0.75
# with every fact matched, this much of the frame must be there too (or two words next to the
# fact: ``SUPPORT_FRAME_ANCHORED``)
SUPPORT_FRAME = 0.5
# below this share of the frame a passage is unrelated whatever its facts say
QUICK_UNRELATED = 0.3
# a frame word found only as another word for it (WordNet synonym or narrower word) counts for
# this much less of its weight
OTHER_WORDS_DISCOUNT = 0.5

_QUOTED = re.compile(r'"[^"]{12,}"')
_WORDS = re.compile(r"[^\W\d_][\w'-]*")
_CONFLICT_STRENGTH = {
    "amount": 2.6,
    "percent": 2.4,
    "number": 2.2,
    "age": 2.2,
    "date": 2.0,
    "year": 2.0,
    "negation": 1.8,
    "antonym": 1.7,
    "refutation": 1.6,
    "entity": 1.1,
    "modality": -0.4,
}


@dataclass
class PassageJudgement:
    """The stance of one passage towards a statement, with the evidence for it."""

    stance: str
    confidence: float
    relevance: float
    frame_coverage: float
    conflicts: list[Conflict] = field(default_factory=list)
    matched: list[SpanMatch] = field(default_factory=list)
    # why: a code from ``REASONS``, the cue words that made it a mention, the passage's role,
    # and the statement words that only the neighbouring sentences supplied (with the reference
    # in the passage that stands for them: "He", "the company")
    reason: str = ""
    cues: list[tuple[str, str]] = field(default_factory=list)
    role: str = "body"
    context_terms: list[str] = field(default_factory=list)
    reference_word: str | None = None


def _sigmoid(x: float) -> float:
    """The logistic function."""
    return 1.0 / (1.0 + math.exp(-x))


def _confidence(
    stance: str, *, frame_cov: float, full_cov: float, facts_matched: float, conflicts: list[Conflict]
) -> float:
    """Probability that ``stance`` is right, from a logistic link over the evidence strength.

    Intercepts and slopes were set against measured reliability (Emergent train split, where
    each evidence is one headline, and the reference corpus): refutation and negation
    conflicts were right about 9 times in 10, a hedge mismatch ("will" vs "may") far less
    often, supports without figures about 7 in 10, and a differing figure inside a fully
    covered frame is near-certain. The stance-model helper reports calibration (ECE).
    """
    if stance == "contradicts":
        strength = max(_CONFLICT_STRENGTH.get(c.kind, 1.0) for c in conflicts)
        return round(_sigmoid(strength + 3.0 * (frame_cov - 0.75)), 3)
    if stance == "supports":
        return round(_sigmoid(-0.3 + 0.8 * facts_matched + 3.5 * (full_cov - 0.6)), 3)
    if stance == "mentions":
        return round(_sigmoid(-1.8 + 3.0 * full_cov), 3)
    return round(_sigmoid(1.5 - 4.0 * full_cov), 3)


def _unrelated(role: str) -> PassageJudgement:
    confidence = _confidence("unrelated", frame_cov=0.0, full_cov=0.0, facts_matched=0, conflicts=[])
    return PassageJudgement("unrelated", confidence, 0.0, 0.0, reason="unrelated", role=role)


def judge_passage(
    stmt: Statement,
    passage_text: str,
    *,
    reference: date | None = None,
    role: str = "body",
    context: str | None = None,
) -> PassageJudgement:
    """Judge one passage (a sentence) against a prepared statement.

    ``reference`` is the passage's publication date, used to resolve "next spring" / "last
    year"; without it such references agree with any year. ``role`` is where the passage sits
    (``service.core.text.roles``): a heading, title, byline or caption is evidence only when it
    asserts the statement's predicate. ``context`` is the text of the sentences just before the
    passage in its document: when the passage refers back to them ("He came in through the
    deal"), the statement words they hold count as the passage's own, and its facts are still
    read from the passage alone.
    """
    total = stmt.frame_weight
    anaphor = leading_reference(passage_text) if context else None
    if stmt.frame:
        # most candidates share a word or two with the statement and nothing more: settle
        # those on a substring test (which can only over-count), then on their words alone,
        # without reading their facts
        lowered = passage_text.lower() if anaphor is None else f"{context} {passage_text}".lower()
        rough_terms = [
            t for t in stmt.frame if t.stem in lowered or t.norm in lowered or (t.proper and t.norm[:4] in lowered)
        ]
        rough = sum(t.weight for t in rough_terms)
        if rough / total < QUICK_UNRELATED and stmt.meaning.alternatives:
            # other words for the statement's words ("carmaker" for "automaker"), by one set look-up
            said = stmt.meaning.surface.intersection(_WORDS.findall(lowered))
            rough += sum(
                t.weight for t in stmt.frame
                if t not in rough_terms and not stmt.meaning.alternatives.get(t.stem, frozenset()).isdisjoint(said)
            )
        if rough / total < QUICK_UNRELATED:
            return _unrelated(role)
        words = passage_words(passage_text)
        found = [t for t in stmt.frame if covers(t, words)]
        # a word said in other words ("carmaker" for "automaker") is weaker evidence: half weight
        otherwise = [t for t in stmt.frame if t not in found and _covered_otherwise(stmt, t, words)]
        found += otherwise
        borrowed: list[Term] = []
        if anaphor is not None and context:
            around = passage_words(context)
            # the reference stands for the subject ("he" for "Jane Doe"): only the subject's
            # words may come from the neighbours, what is claimed must be in the passage itself
            subject = [t for t in stmt.frame if t.start < stmt.subject_end or (stmt.subject_end <= 0 and t.proper)]
            borrowed = [t for t in subject if t not in found and covers(t, around)]
        if sum(t.weight for t in found + borrowed) / total < QUICK_UNRELATED:
            return _unrelated(role)
        found += borrowed
    else:
        found, borrowed, otherwise = [], [], []
    passage = analyse_passage(passage_text, passage_reference(passage_text, reference))
    covered = sum(t.weight for t in found) - OTHER_WORDS_DISCOUNT * sum(t.weight for t in otherwise)
    frame_cov = covered / total if stmt.frame else 0.0
    plain_terms = [t for t in stmt.frame if not t.proper]
    plain_cov = sum(1 for t in found if not t.proper) / len(plain_terms) if plain_terms else 1.0
    proper_terms = len(stmt.frame) - len(plain_terms)
    proper_cov = sum(1 for t in found if t.proper) / proper_terms if proper_terms else 1.0

    q_match, q_missing, q_conf, q_hits = quantity_evidence(stmt, passage, frame_cov)
    p_match, p_conf, p_hits, wn_hits = polar_evidence(stmt, passage, frame_cov, proper_cov)
    if wn_hits:
        # a predicate said in other words ("banned" for "did not allow") covers the statement's word
        found += [t for t in stmt.frame if t.start in wn_hits and t not in found]
        otherwise = [t for t in otherwise if t.start not in wn_hits]
        covered = sum(t.weight for t in found) - OTHER_WORDS_DISCOUNT * sum(t.weight for t in otherwise)
        frame_cov = covered / total if stmt.frame else 0.0
        plain_cov = sum(1 for t in found if not t.proper) / len(plain_terms) if plain_terms else 1.0
    d_match, d_missing, d_partial, d_conf, d_hits = date_evidence(
        stmt, passage, frame_cov, proper_cov, p_match > 0
    )
    conflicts = q_conf + d_conf + p_conf
    if not conflicts:
        conflicts += negation_conflicts(stmt, passage, frame_cov)
    if not conflicts:
        conflicts += refutation_conflicts(stmt, passage, frame_cov)
    if not conflicts:
        conflicts += entity_conflicts(stmt, passage, frame_cov)
    if not conflicts and (q_match or d_match or p_match or frame_cov >= SUPPORT_FULL):
        conflicts += modality_conflicts(stmt, passage, frame_cov)
    matched = q_hits + d_hits + p_hits
    conflicts = list(dict.fromkeys(conflicts))  # one conflict once, however often the wording recurs

    n_facts = len(stmt.facts.quantities) + len(stmt.facts.dates)
    facts_matched = q_match + d_match
    n_polar = len(stmt.polars)
    fact_weight = 1.5 * (n_facts + n_polar)
    denominator = total + fact_weight
    full_cov = (covered + 1.5 * (facts_matched + p_match)) / denominator
    # relevance: a fact the passage states differently is still the fact the statement is about
    addressed = facts_matched + p_match + len(q_conf) + len(d_conf) + len(p_conf)
    topical = (covered + 1.5 * min(addressed, n_facts + n_polar)) / denominator

    # the aligned span: where in the passage the statement's wording is best found
    related = conflicts or full_cov >= MIN_RELEVANCE or frame_cov >= MIN_RELEVANCE
    folded_passage = fold(passage_text)
    align = fuzz.partial_ratio_alignment(stmt.folded, folded_passage, score_cutoff=60) if related else None
    if align is not None and align.score >= 75 and len(folded_passage) == len(passage_text):
        matched.append(
            SpanMatch(
                _whole_words(stmt.text, align.src_start, align.src_end),
                _whole_words(passage_text, align.dest_start, align.dest_end),
            )
        )
    relevance = round(0.8 * topical + 0.2 * ((align.score if align else 0.0) / 100.0), 4)

    # a passage that attributes or doubts the claim ("reportedly", "may", "a hoax") reports
    # it without asserting it: at most a mention, unless the statement is itself so hedged
    cues = _report_cues(stmt, passage, passage_text)
    quoted = _mostly_quoted(stmt, passage, found)
    reported = bool(cues) or quoted
    # a passage that names only the subject ("Jane Doe, the new finance minister") says nothing
    # of what the statement claims; a heading, title, byline or caption is evidence only when
    # it asserts the statement's predicate (or its opposite)
    says_something = bool(facts_matched or p_match or wn_hits or conflicts) or any(
        t.start >= stmt.subject_end for t in found if t not in borrowed
    )
    subject_only = stmt.subject_end > 0 and not says_something
    not_asserted = not is_evidence_role(role) and not _asserts_predicate(stmt, passage, found, p_hits, p_conf)
    if conflicts and not_asserted:
        conflicts, reason = [], "not-asserted"
    if conflicts:
        stance, reason = "contradicts", "conflict"
    elif full_cov < MIN_RELEVANCE and frame_cov < MIN_RELEVANCE:
        stance, reason = "unrelated", "unrelated"
    elif reported:
        stance, reason = "mentions", "quoted" if quoted and not cues else "reported"
    elif subject_only:
        stance, reason = "mentions", "subject-only"
    elif not_asserted:
        stance, reason = "mentions", "not-asserted"
    elif n_facts and facts_matched == n_facts:
        anchored = frame_cov >= SUPPORT_FRAME_ANCHORED and _matched_anchored(stmt, passage, matched)
        supported = frame_cov >= SUPPORT_FRAME or anchored
        stance, reason = ("supports", "facts-match") if supported else ("mentions", "partial")
    elif (
        not n_facts
        and full_cov >= SUPPORT_FULL
        and plain_cov >= SUPPORT_PLAIN
        and proper_cov >= SUPPORT_PLAIN
        and p_match == n_polar
    ):
        # without figures or dates, the statement's names and its polar words ("open-source",
        # "rose") are the facts: all must be there
        stance, reason = "supports", "wording-match"
    else:
        stance, reason = "mentions", "fact-missing" if n_facts and facts_matched < n_facts else "partial"
    confidence = _confidence(
        stance,
        frame_cov=frame_cov,
        full_cov=full_cov,
        facts_matched=facts_matched - 0.5 * d_partial,  # "April" for "April 2025" is half a match
        conflicts=conflicts,
    )
    return PassageJudgement(
        stance,
        confidence,
        relevance,
        round(frame_cov, 4),
        conflicts,
        list(dict.fromkeys(matched)),
        reason=reason,
        cues=cues if stance == "mentions" and reason == "reported" else [],
        role=role,
        context_terms=[t.text for t in borrowed] if stance in ("supports", "contradicts") else [],
        reference_word=anaphor if borrowed and stance in ("supports", "contradicts") else None,
    )


def _covered_otherwise(stmt: Statement, term: Term, words: PassageWords) -> bool:
    """A frame word said in other words: a synonym or a narrower word ("carmaker" for "automaker")."""
    others = stmt.meaning.alternatives.get(term.stem)
    return others is not None and not others.isdisjoint(words.norms)


def _asserts_predicate(
    stmt: Statement, passage: AnalysedPassage, found: list[Term], said: list[SpanMatch], p_conf: list[Conflict]
) -> bool:
    """Whether the passage says what the statement claims about its subject (or its opposite):
    one of the predicate's content words ("closed", "pledged"), in the same or other words or as
    a pole, or, for a predicate without content words of its own ("is", "has"), a word of the
    complement."""
    if not stmt.predicate:
        return True  # no predicate known (without WordNet): nothing to require
    words = [
        t for t in stmt.facts.tokens
        if any(a <= t.start < b for a, b in stmt.predicate) and t.norm not in AUXILIARIES and t.norm not in LIGHT_VERBS
    ]
    if words:
        texts = {m.statement for m in said} | {c.statement for c in p_conf}
        starts = {t.start for t in found}
        return any(
            t.stem in passage.stems or t.start in starts or any(t.text in text for text in texts) for t in words
        )
    return any(t in found for t in stmt.frame if t.start >= stmt.subject_end)


def _report_cues(stmt: Statement, passage: AnalysedPassage, text: str) -> list[tuple[str, str]]:
    """The words that make a passage report a claim rather than assert it: attribution and
    hedges ("reportedly", "may"), attribution phrases ("reports that"), live refutation cues
    ("hoax") - except where the statement is itself so hedged or refuting."""
    cues: list[tuple[str, str]] = []
    if not stmt.hedged:
        dated = [(d.start, d.end) for d in passage.facts.dates]
        for tok in passage.facts.tokens:
            if tok.norm in ATTRIBUTION and not any(a <= tok.start < b for a, b in dated):  # "in May" is no hedge
                cues.append(("hedge" if tok.norm in WEAK_MODALS else "attribution", tok.text))
        phrase = attributes_claim_span(text)
        if phrase is not None:
            cues.append(("attribution", phrase))
    if not stmt.refuting:
        cues += [("refutation", c.text) for c in live_refutations(passage)]
    asked = _asks(passage, text)
    if asked is not None:
        cues.append(("question", asked))
    return list(dict.fromkeys(cues))[:3]


def _asks(passage: AnalysedPassage, text: str) -> str | None:
    """The question mark of a passage that asks whether something holds ("Will the council
    approve the budget?", "Shares to fall again?"): it puts the claim up for question and asserts
    nothing. A question for something ("Why did the council approve it?", "When did shares
    fall?") takes the claim for granted and is left alone; so is a question inside a longer
    passage that goes on to answer it."""
    tokens = passage.facts.tokens
    if not tokens or tokens[0].norm in WH_WORDS:
        return None
    end = text.rstrip().rstrip("\"'”’)]").rstrip()
    return "?" if end.endswith("?") else None


def _whole_words(text: str, start: int, end: int) -> str:
    """``text[start:end]`` widened to whole words (an alignment may stop inside one)."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return text[start:end].strip()


def _matched_anchored(stmt: Statement, passage: AnalysedPassage, matched: list[SpanMatch]) -> bool:
    """At least two frame words sit right next to a matched fact in the passage."""
    text = passage.facts.text
    for m in matched:
        pos = text.find(m.passage)
        if pos >= 0 and anchors_near(stmt, passage, pos, pos + len(m.passage), 40) >= 2:
            return True
    return False


def _mostly_quoted(stmt: Statement, passage: AnalysedPassage, found: list[Term]) -> bool:
    """The passage only quotes the claim: nearly every statement word it has sits inside one
    quotation (a headline being discussed), with no speaker of the statement outside it."""
    if '"' not in passage.facts.text or '"' in stmt.text or len(found) < 2:
        return False
    spans = [(m.start(), m.end()) for m in _QUOTED.finditer(passage.facts.text)]
    if not spans:
        return False
    inside = sum(
        1 for t in found if any(s <= p < e for p in passage.stem_positions.get(t.stem, ()) for s, e in spans)
    )
    return inside >= 0.8 * len(found)
