"""What differs between a statement and a passage about the same thing, fact by fact.

Each comparison pairs the statement's facts with the passage's: a different amount,
percentage, count, date or year, the opposite pole ("closed-source" for "open-source"), the
statement's predicate negated, a hedge where the statement is certain, a refuting cue
("denied", "hoax"), or a different name in the same slot. A difference is a conflict only
when the passage is about the same event (enough of the frame, and frame words next to the
differing fact), and every conflict names the two wordings. The comparisons also report the
facts found with the same value, which is what supports rest on.

The rules are ours, written by hand because they are the product's core idea; names are
compared with rapidfuzz (ratio, and Levenshtein opcodes to find the slot a name fills).
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from service.core.facts.cues import CueSpan, clause_bounds, pole
from service.core.facts.dates import DateRef, compare_dates
from service.core.facts.quantities import Quantity, compare_quantities
from service.core.facts.sentence import Facts
from service.core.stance.passage import AnalysedPassage, anchors_in_clause, anchors_near
from service.core.stance.statement import (
    Polar,
    Statement,
    is_negated,
    is_stopword,
    is_title_case,
    polar_words,
    wn_polar_words,
)
from service.core.text.lexicon import NEGATION_GAP_WORDS, STRONG_MODALS, WEAK_MODALS
from service.core.text.normalize import fold
from service.core.text.tokens import StemmedToken, stem_key

# A passage must cover this share of the statement's frame before a differing fact counts as a
# contradiction (same event, other value).
CONFLICT_FRAME = 0.5
# A refuting cue ("hoax", "denied") names what it refutes less precisely than a figure does,
# but it is a contradiction whenever the sentence is about the statement at all.
REFUTE_FRAME = 0.3
# With two frame words next to a fact, this much of the frame is enough: for a differing amount
# to conflict, and for matched facts to support (``service.core.stance.judge``).
SUPPORT_FRAME_ANCHORED = 0.3


@dataclass(frozen=True, slots=True)
class Conflict:
    """What differs: the kind of fact, and the statement's and the passage's wording of it."""

    kind: str
    statement: str
    passage: str


@dataclass(frozen=True, slots=True)
class SpanMatch:
    """An aligned pair of spans (statement wording, passage wording) that carries the judgement."""

    statement: str
    passage: str


def quantity_evidence(stmt: Statement, passage: AnalysedPassage, frame_cov: float) -> tuple[int, int, list, list]:
    """(facts matched, facts missing, conflicts, matches) for the statement's quantities."""
    matched = missing = 0
    conflicts: list[Conflict] = []
    matches: list[SpanMatch] = []
    for sq in stmt.facts.quantities:
        if is_negated(sq.start, stmt.facts.negations):
            continue  # "not 16-year-old": the figure is denied, not claimed
        verdicts = [(compare_quantities(sq, pq), pq) for pq in passage.facts.quantities]
        hits = [pq for v, pq in verdicts if v == "match"]
        if hits:
            matched += 1
            matches.append(SpanMatch(sq.text, hits[0].text))
            continue
        if any(v == "compatible" for v, _ in verdicts):
            missing += 1
            continue
        rivals = [pq for v, pq in verdicts if v == "conflict"]
        best: tuple[int, Quantity] | None = None
        for pq in rivals:
            near = anchors_near(stmt, passage, pq.start, pq.end)
            if best is None or near > best[0]:
                best = (near, pq)
        # a different figure counts only for the same thing in the same story: enough of the
        # frame overall, and frame words next to the figure (a counted noun such as "jobs" is
        # itself such a word)
        # a count's own noun ("jobs") plus two more words; an age, the name it belongs to
        need = 2 if sq.unit == "@age" else 3 if sq.kind == "number" else 1
        if best is not None and (
            (frame_cov >= CONFLICT_FRAME and best[0] >= need)
            or (sq.kind == "amount" and frame_cov >= SUPPORT_FRAME_ANCHORED and best[0] >= 3)
        ):
            conflicts.append(Conflict("age" if sq.unit == "@age" else sq.kind, sq.text, best[1].text))
        else:
            missing += 1
    return matched, missing, conflicts, matches


def _dated_name_near(stmt: Statement, passage: AnalysedPassage, stated: DateRef, found: DateRef) -> bool:
    """The name the statement's date belongs to (the nearest one, "Windows 11" in "released
    Windows 11 in October 2021") stands, whole, right next to the passage's date."""
    if not stmt.entities:
        return False
    start, end, stems = min(
        stmt.entities, key=lambda e: stated.start - e[1] if e[1] <= stated.start else e[0] - stated.end
    )
    lo, hi = found.start - 60, found.end + 60
    return all(any(lo <= p <= hi for p in passage.stem_positions.get(stem, ())) for stem in stems)


def _date_kind(a: DateRef, b: DateRef) -> str:
    """"year" when the two dates differ in their years, else "date"."""
    return "year" if a.year is not None and b.year is not None and a.year != b.year else "date"


def date_evidence(
    stmt: Statement, passage: AnalysedPassage, frame_cov: float, proper_cov: float, same_event: bool
) -> tuple[int, int, int, list, list]:
    """Dates of the statement: a differing date is a conflict only when the passage names the
    same actors (``proper_cov``; half of them suffice when ``same_event``, i.e. the passage also
    has the statement's polar verb such as "left") and the date sits among the statement's words."""
    matched = missing = partial = 0
    conflicts: list[Conflict] = []
    matches: list[SpanMatch] = []
    for sd in stmt.facts.dates:
        verdicts = [(compare_dates(sd, pd), pd) for pd in passage.facts.dates]
        hits = sorted((pd for v, pd in verdicts if v == "match"), key=lambda pd: pd.year is None)
        if hits:
            matched += 1
            matches.append(SpanMatch(sd.text, hits[0].text))
            if sd.year is not None and hits[0].year is None:
                partial += 1  # agrees, but without the year the statement gives
            continue
        rivals = [pd for v, pd in verdicts if v == "conflict"]
        best: tuple[int, DateRef] | None = None
        for pd in rivals:
            near = anchors_near(stmt, passage, pd.start, pd.end)
            if best is None or near > best[0]:
                best = (near, pd)
        named = (
            proper_cov >= 0.75
            or (same_event and proper_cov >= 0.5)
            or (best is not None and _dated_name_near(stmt, passage, sd, best[1]))
        )
        if best is not None and frame_cov >= CONFLICT_FRAME + 0.1 and named and best[0] >= 2:
            conflicts.append(Conflict(_date_kind(sd, best[1]), sd.text, best[1].text))
        else:
            missing += 1
    return matched, missing, partial, conflicts, matches


def polar_evidence(
    stmt: Statement, passage: AnalysedPassage, frame_cov: float, proper_cov: float
) -> tuple[int, list, list, set[int]]:
    """Polar words: the same pole is a match, the opposite pole (or the same word negated)
    in the clause that is about the statement is an antonym/negation conflict - when the
    passage names what the statement names (a sentence about a company's older products being
    "open-source" says nothing about whether its next one is closed).

    The statement's hand-made poles ("open"/"closed") and its WordNet poles (``stmt.wn_polars``:
    "expand"/"shrink", with the passage words WordNet gives for each side) are compared alike; a
    negated opposite is the same pole ("did not approve" = "rejected"). Returns (hand-made poles
    matched, conflicts, matched spans, offsets of the statement's WordNet pole words matched)."""
    if stmt.refuting:
        return 0, [], [], set()  # "killed by a death hoax": the statement's own poles are not asserted
    about_same = proper_cov >= 0.75 if not stmt.title_case else frame_cov >= CONFLICT_FRAME + 0.1
    pfacts = passage.facts
    frame_stems = {t.stem for t in stmt.frame}
    ppolars = polar_words(pfacts)
    taken = {p.start for p in ppolars}
    ppolars += [p for p in wn_polar_words(pfacts, stmt.meaning) if p.start not in taken]
    conflicts: list[Conflict] = []
    matches: list[SpanMatch] = []
    matched_hand = 0
    matched_wn: set[int] = set()
    for sp in stmt.polars + stmt.wn_polars:
        same = [
            p
            for p in ppolars
            if p.prop == sp.prop and p.sign == sp.sign and not _describes_other_name(p, pfacts.tokens, frame_stems)
        ]
        opposite = [
            p
            for p in ppolars
            if p.prop == sp.prop and p.sign != sp.sign and not _describes_other_name(p, pfacts.tokens, frame_stems)
        ]
        # an opposite only WordNet knows ("arrived" for "leaving") must stand next to one of the
        # statement's words around it: said of another thing, it contradicts nothing; the same
        # word negated is left to ``negation_conflicts``, which reads the negation's scope
        opposite = [
            p for p in opposite
            if pole(fold(p.text)) is not None or (not _same_word(p, sp) and _beside(stmt, sp, pfacts, p))
        ]
        hit = False
        if opposite:
            best_opp = max(opposite, key=lambda p: anchors_in_clause(stmt, passage, p.start))
            opp_score = anchors_in_clause(stmt, passage, best_opp.start)
            same_score = max((anchors_in_clause(stmt, passage, p.start) for p in same), default=-1)
            # and it must be said of the statement's thing: one of its words in the opposite's clause,
            # or beside it ("the mayor praised new hires" names nothing the company fired)
            if opp_score > same_score and frame_cov >= CONFLICT_FRAME and about_same and (
                    opp_score > 0 or _beside(stmt, sp, pfacts, best_opp)):
                negated = is_negated(best_opp.start, pfacts.negations)
                s_negated = is_negated(sp.start, stmt.facts.negations)
                same_word = stem_key(fold(best_opp.text)) == stem_key(fold(sp.text))
                kind = "negation" if (negated or s_negated) and same_word else "antonym"
                text, stated = best_opp.text, stmt.text[sp.start : sp.end]
                if negated:
                    cue = next(c for c in pfacts.negations if c.end <= best_opp.start < c.scope_end)
                    text = pfacts.text[cue.start : best_opp.end]
                if s_negated:
                    s_cue = next(c for c in stmt.facts.negations if c.end <= sp.start < c.scope_end)
                    stated = stmt.text[s_cue.start : sp.end]
                conflicts.append(Conflict(kind, stated, text))
                continue
            # both poles, as close to the statement's words: the passage does not settle it
            hit = bool(same) and same_score > opp_score
        elif same:
            hit = True
        if hit:
            if sp in stmt.wn_polars:
                matched_wn.add(sp.start)
            else:
                matched_hand += 1
            matches.append(SpanMatch(sp.text, same[0].text))
    return matched_hand, conflicts, matches, matched_wn


def _same_word(a: Polar, b: Polar) -> bool:
    return stem_key(fold(a.text.split()[0])) == stem_key(fold(b.text.split()[0]))


def _beside(stmt: Statement, sp: Polar, pfacts: Facts, found: Polar, reach: int = 3) -> bool:
    """One of the statement's words on either side of its polar word (the nearest frame word
    before and after it) is within ``reach`` words of the passage's polar word."""
    order = sorted(stmt.frame, key=lambda t: t.start)
    near = {t.stem for t in [t for t in order if t.start < sp.start][-1:] + [t for t in order if t.start >= sp.end][:1]}
    tokens = pfacts.tokens
    at = next((i for i, t in enumerate(tokens) if t.start == found.start), None)
    if at is None or not near:
        return False
    last = next((i for i, t in enumerate(tokens) if t.end >= found.end), at)
    window = tokens[max(0, at - reach) : at] + tokens[last + 1 : last + 1 + reach]
    return any(t.stem in near for t in window)


def _describes_other_name(polar: Polar, tokens: tuple[StemmedToken, ...], frame_stems: set[str]) -> bool:
    """The polar word qualifies a name the statement does not mention ("the open-source browser
    Firefox" in a sentence about another product): it says nothing about the statement."""
    for tok in [t for t in tokens if t.start >= polar.end][:3]:
        if tok.capital:
            return tok.stem not in frame_stems
        if is_stopword(tok.norm) or pole(tok.norm) is not None:
            return False
    return False


def negation_conflicts(stmt: Statement, passage: AnalysedPassage, frame_cov: float) -> list[Conflict]:
    """A predicate the statement asserts and the passage negates, in the same local context
    (a neighbouring word of the statement sits next to the negated word in the passage).

    The reverse (the statement negates, the passage does not) is not read as a conflict: a
    passage that uses a word without negation rarely asserts it ("his ideal choice to play").
    """
    if frame_cov < CONFLICT_FRAME or stmt.refuting:
        return []
    pfacts, sfacts = passage.facts, stmt.facts
    order = sorted(stmt.frame, key=lambda t: t.start)
    for i, term in enumerate(order):
        if is_negated(term.start, sfacts.negations):
            continue
        neighbours = {t.stem for t in order[max(0, i - 2) : i + 3] if t is not term}
        if len(term.norm) < 3:
            continue
        for tok in pfacts.tokens:
            if tok.stem != term.stem or not is_negated(tok.start, pfacts.negations):
                continue
            cue = next(c for c in pfacts.negations if c.end <= tok.start < c.scope_end)
            between = pfacts.text[cue.end : tok.start].split()
            if len(between) > 2 or any(w.lower().strip(",.") not in NEGATION_GAP_WORDS for w in between):
                continue  # "not the first time", "not include Beats": the word is not what is negated
            near = {t.stem for t in pfacts.tokens if abs(t.start - tok.start) <= 40 and t is not tok}
            if not neighbours & near or anchors_in_clause(stmt, passage, tok.start) < 2:
                continue
            return [Conflict("negation", term.text, pfacts.text[cue.start : tok.end])]
    return []


def modality_conflicts(stmt: Statement, passage: AnalysedPassage, frame_cov: float) -> list[Conflict]:
    """The statement is certain ("will") where the passage only allows it ("may", "could")."""
    if not stmt.strong_modal or frame_cov < CONFLICT_FRAME:
        return []
    for tok in passage.facts.tokens:
        if tok.norm in WEAK_MODALS and anchors_in_clause(stmt, passage, tok.start) >= 1:
            lo, hi = clause_bounds(passage.facts.text, tok.start)
            clause_norms = {t.norm for t in passage.facts.tokens if lo <= t.start < hi}
            if clause_norms & STRONG_MODALS:
                continue
            strong = next((t.text for t in stmt.facts.tokens if t.norm in STRONG_MODALS), "will")
            return [Conflict("modality", strong, tok.text)]
    return []


def live_refutations(passage: AnalysedPassage) -> list[CueSpan]:
    """Refuting cues of the passage that are not themselves negated ("not a hoax")."""
    return [c for c in passage.facts.refutations if not is_negated(c.start, passage.facts.negations)]


def refutation_conflicts(stmt: Statement, passage: AnalysedPassage, frame_cov: float) -> list[Conflict]:
    """The passage calls the claim false ("denied", "hoax"); not when the statement itself
    reports a denial or a negation, which such a passage confirms."""
    if stmt.refuting or stmt.negated or stmt.hedged or stmt.attributed or frame_cov < REFUTE_FRAME:
        return []  # a denial of X does not refute "reports say X" / "officials say X"
    for cue in live_refutations(passage):
        # below the conflict frame, the cue must sit among the statement's words
        if frame_cov >= CONFLICT_FRAME or anchors_near(stmt, passage, cue.start, cue.end, 80) >= 2:
            return [Conflict("refutation", stmt.text, cue.text)]
    return []


def entity_conflicts(stmt: Statement, passage: AnalysedPassage, frame_cov: float) -> list[Conflict]:
    """A different name in the slot the statement's name fills, with agreeing words on both
    sides ("Acme CEO Jane Roe said" vs "Acme CFO John Doe said")."""
    if frame_cov < CONFLICT_FRAME or stmt.title_case or is_title_case(passage.facts.tokens):
        return []
    s_toks = list(stmt.facts.tokens)
    p_toks = list(passage.facts.tokens)
    s_stems = {t.stem for t in s_toks}
    ops = Levenshtein.opcodes([t.stem for t in s_toks], [t.stem for t in p_toks])
    blocks = list(ops)
    for i, op in enumerate(blocks):
        if op.tag != "replace":
            continue
        a, b = s_toks[op.src_start : op.src_end], p_toks[op.dest_start : op.dest_end]
        if not (1 <= len(a) <= 3 and 1 <= len(b) <= 3):
            continue
        if not all(t.capital and not is_stopword(t.norm) for t in a + b):
            continue
        if any(t.stem in passage.stems for t in a) or any(t.stem in s_stems for t in b):
            continue
        if fuzz.ratio(" ".join(t.norm for t in a), " ".join(t.norm for t in b)) >= 80:
            continue
        before = blocks[i - 1] if i > 0 else None
        after = blocks[i + 1] if i + 1 < len(blocks) else None
        flank = sum(
            (blk.src_end - blk.src_start)
            for blk in (before, after)
            if blk is not None and blk.tag == "equal"
        )
        if before is not None and after is not None and before.tag == after.tag == "equal" and flank >= 2:
            s_span = stmt.text[a[0].start : a[-1].end]
            p_span = passage.facts.text[b[0].start : b[-1].end]
            return [Conflict("entity", s_span, p_span)]
    return []
