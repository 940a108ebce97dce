"""Headline-sized documents: where the learned document stance decides over the hand rules.

A document of a headline or a short text (``classifier.is_short``: at most 40 words in at most
two sentences) carries its stance in a few cue words that the rules read only in part: "Possible
audio tape of ...", "... - video report", "X says ...", "Report: ...". On such a document the
rules' word coverage says little about the stance (a headline that reports a claim shares all
its words), while the learned stage for headline-sized documents was fitted on exactly this
case. So, for a headline-sized document only (body-length documents keep the rules' precedence):

* a **weak conflict** (``WEAK_CONFLICTS``: a hedge where the statement is certain, "may" vs
  "will") is no contradiction of its own: the headline reports the claim as open, which is a
  mention, and the model decides the document (``settle_weak_conflicts``);
* a rule **support on a reporting headline** ("X says ...", "... claims ...", "Report: ...",
  "according to ...") is a mention unless every figure of the statement was found there: the
  headline attributes the claim without taking a side (``reporting_cue``), and the model's
  "supports" is not committed there either, unless the statement itself reports what someone
  said (``reports_claim``);
* a headline that **hedges** the claim ("probably", "purported", "suspected of", "could") only
  reports it: neither a rule support nor the model's "supports" is committed (``hedge_cue``);
* a headline the rules read as naming only the statement's subject is a mention, whatever the
  model makes of the shared name (``subject_only``);
* a rule support that the model reads as a **mention** ("Possible ...", "Seemingly ...") is a
  mention too, unless it states every figure of the statement (``demote_supports``);
* the model's "supports" is committed even when a figure of the statement is missing (a
  headline rounds or leaves out figures: "800M contract" for "an 800 million contract offer"),
  but **not on a headline about something else** (``off_claim``, stance10): the headline stage
  was fitted only on pairs where the headline is about its claim, so it reads any headline near
  the topic as support. Where the rules find the headline unrelated, the model's "supports" must
  outweigh all its other labels together; where they relate it, a statement with figures or
  dates is supported only by a headline that states one of them, says the statement's
  predicate, or is close to it in meaning;
* the model's "contradicts" without a refuting or negating word to name is committed as an
  ``argument`` conflict whatever its margin (a headline argues in few words: "X is still alive");
* a headline that **calls the claim false** ("... was faked", "Experts debunk claims", "... not
  true") contradicts it, whatever the model or a reporting cue makes of it (``refuting_cue``): a
  headline that reports a claim in order to refute it takes a side, and the word that refutes is
  named (the model reads such a headline as a mention or even as support, since it shares the
  claim's words).

The orchestration (``service.checking``) calls these; everything here is pure.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from service.core.facts.cues import extract_negations, extract_refutations
from service.core.stance.judge import PassageJudgement, judge_passage
from service.core.stance.statement import Statement, is_negated
from service.core.text.lexicon import HEDGES

# Conflicts that alone do not make a headline a contradiction: a hedge against a certainty.
WEAK_CONFLICTS = frozenset({"modality"})

# A headline that reports a claim as someone's: a saying verb, an attribution, or a "Report:"
# / ": source" / "- analyst" tag. Words that take a side ("confirms", "admits", "denies",
# "reveals") are not here: they are support or refutation, not reporting.
_REPORTING = re.compile(
    r"\b(?:says?|said|saying|claims?|claimed|claiming|reports?|reported|reportedly|according\s+to"
    r"|sources?|insists?|insisted|alleges?|alleged|allegedly|suggests?|suggested|believes?|believed"
    r"|thinks?|warns?|warned|predicts?|predicted|told|tells|rumou?rs?|rumou?red|speculation"
    r"|analysts?|per\s+reports?|reporting|tipped\s+to|feared|emerges?\s+(?:as|that)|it\s+emerges"
    r"|by\s+(?:the\s+)?media|media\s+(?:outlets?|reports?))\b",
    re.IGNORECASE,
)
# A source credited at the end of a headline: "...: South Korea paper", "... - Daily", "... -CNBC"
# (an outlet's name glued to a dash, as wire copy credits it).
_SOURCE_TAIL = re.compile(
    r"(?:(?::|\s[-–—])\s*(?:[A-Z][\w.]*\s+){0,3}(?:paper|newspaper|daily|tabloid|TV|media)|\s-[A-Z]{2,}[A-Za-z]*)\s*$"
)


# Words that leave a claim open in a headline: the hedges of ``lexicon.HEDGES`` and the
# adjectives and verbs headlines hedge with ("apparent suicide", "purported audio", "suspected
# of"); "weighing" is left out (it weighs more often than it deliberates in a headline).
_HEDGE_WORDS = (HEDGES - {"weighing"}) | frozenset(
    "apparent purported purports purport seemingly suspected possible".split()
)
_TOKENS = re.compile(r"[^\W\d_][\w'-]*")


def hedge_cue(stmt: Statement, text: str) -> str | None:
    """The word with which a headline leaves the claim open ("probably", "purported", "suspected
    of", "could"), or None; a statement that is itself hedged is not contradicted by one."""
    if stmt.hedged:
        return None
    return next((w for w in _TOKENS.findall(text) if w.lower() in _HEDGE_WORDS), None)


# A first-person speaker right before a saying verb ("I think", "we really believe"): the writer
# states their own view, as a reader's comment does; nobody else's claim is reported.
_OWN_VIEW = re.compile(r"\b(?:I|we|I'd|we'd|I'm|we're)(?:\s+\w+)?\s*$", re.IGNORECASE)


def reporting_cue(text: str) -> str | None:
    """The word that makes a headline report a claim rather than assert it ("says", "Report",
    "according to"), or None; the writer's own view ("I think ...") reports nothing."""
    for m in _REPORTING.finditer(text):
        if not _OWN_VIEW.search(text[max(0, m.start() - 30) : m.start()]):
            return m.group()
    tail = _SOURCE_TAIL.search(text)
    return tail.group().strip(" :-–—") if tail else None


def reports_claim(stmt: Statement, text: str) -> str | None:
    """The attribution with which a headline reports the claim as someone else's ("..., analyst
    says", "Report: ...", "rumours"), or None; a statement that itself reports what someone said
    ("X told Y that ...") is not, since the saying verb is then part of the claim."""
    return None if stmt.attributed else reporting_cue(text)


# Idioms with which a headline calls a claim false or unfounded without a refuting word of the
# rules' lexicon: "... is not real", "That panel isn't real", "Experts cast doubt on ...", "Doubts
# cast over ... claim", "Scientists doubt that ...", "X kills / rebuffs / puts to rest the rumour",
# "reports ... greatly exaggerated", "wildly inaccurate". (A question, "Is it real?", has no
# negation and stays open; "unconfirmed" leaves a claim open rather than refuting it.)
_REFUTING_IDIOMS = re.compile(
    r"\b(?:not|isn't|aren't|wasn't|weren't)\s+(?:\w+ly\s+)?real\b"
    r"|\b(?:casts?|raises?|raised|cast)\s+(?:\w+\s+)?doubts?\b|\bdoubts?\s+(?:cast|raised|grow|mount)\b"
    r"|\bdoubts?\s+that\b"
    r"|\b(?:kills?|killed|quash(?:es|ed)?|squash(?:es|ed)?|dispels?|dispelled|scotch(?:es|ed)?|rebuffs?|rebuffed"
    r"|laughs?\s+off|laughed\s+off|shoots?\s+down|puts?\s+to\s+rest)\s+(?:[\w'-]+\s+){0,3}?rumou?rs?\b"
    r"|\brumou?rs?\s+(?:\w+\s+){0,2}?put\s+to\s+rest\b|\b(?:exaggerated|inaccurate|unfounded)\b",
    re.IGNORECASE,
)
# A headline that answers the claim with "No, ..." or "Sorry, ..." ("No, Banksy hasn't been
# arrested", "Sorry, KFC isn't going to ...") denies it.
_ANSWERS_NO = re.compile(r"^\W*(?:No|Nope|Sorry)\s*[,.:!]\s", re.IGNORECASE)
_DOUBTING = re.compile(r"\b(?:doubts?|doubted|doubting|questions|questioned|questioning)\b", re.IGNORECASE)


def refuting_cue(stmt: Statement, text: str) -> str | None:
    """The word with which a headline calls the claim false ("hoax", "debunks", "faked", "not
    true"; or an idiom, "is not real", "casts doubt on", or a "No, ..." answer), or
    None. A refuting word that is itself negated ("not a hoax") refutes nothing, and a
    statement that itself denies or negates ("X denied Y", "X is not Y"; ``Statement.denies``) is
    confirmed, not refuted, by a headline that repeats the denial."""
    if stmt.denies:
        return None
    negations = extract_negations(text)
    word = next((c.text for c in extract_refutations(text) if not is_negated(c.start, negations)), None)
    if word is None and (answer := _ANSWERS_NO.match(text)) is not None:
        return answer.group().strip(" ,.:!")
    if word is None and (idiom := _REFUTING_IDIOMS.search(text)) is not None:
        # a statement that itself doubts ("a report that questions ...") is not refuted by a doubt
        if not ("doubt" in idiom.group().lower() and _DOUBTING.search(stmt.text)):
            return idiom.group()
    return word


def refutable(stmt: Statement, text: str) -> bool:
    """Whether a document (``text``) the model reads as contradicting the statement may be committed
    as a contradiction: not when the statement itself denies (``Statement.denies``: a denial
    confirms it), and, when its negation sits in a later clause ("... to ensure it doesn't bend"),
    only with a live refuting word or idiom (``refuting_cue``), since a document's negation may
    only repeat the statement's own ("Hands up, don't shoot")."""
    if stmt.denies:
        return False
    return not stmt.negated or refuting_cue(stmt, text) is not None


def weak_only(judgement: PassageJudgement) -> bool:
    """Whether a rule contradiction rests only on weak conflicts (a hedge against a certainty)."""
    return judgement.stance == "contradicts" and judgement.reason == "conflict" and all(
        c.kind in WEAK_CONFLICTS for c in judgement.conflicts
    )


def settle_weak_conflicts(judgements: Iterable[PassageJudgement]) -> None:
    """In a headline-sized document, a contradiction resting only on a hedge ("may" where the
    statement says "will") becomes a mention that reports the claim: the document's stance is
    then the model's."""
    for j in judgements:
        if weak_only(j):
            j.cues = [("hedge", c.passage) for c in j.conflicts][:3]
            j.conflicts = []
            j.stance, j.reason = "mentions", "reported"


def subject_only(judgements: Iterable[PassageJudgement]) -> bool:
    """Whether the rules read the headline as naming only the statement's subject: every passage
    they related to the statement says nothing of its predicate ("Jane Doe, the new finance
    minister" for "Jane Doe opposes the tax"). Such a headline is a mention, whatever the model
    makes of the shared name."""
    related = [j for j in judgements if j.stance != "unrelated"]
    return bool(related) and all(j.reason == "subject-only" for j in related)


# Where the rules find a headline unrelated, the model's "supports" is committed only when its
# probability is at least this: more than all the other labels together (tuned on Emergent train).
OFF_CLAIM_SUPPORT = 0.5


def off_claim(
    stmt: Statement, texts: Iterable[str], judgements: Iterable[PassageJudgement], p_supports: float,
    similarity: float | None, close: float,
) -> bool:
    """Whether the model's "supports" on a headline is about something else than the statement.

    The headline stage never saw a headline about another claim (every Emergent pair is about
    its claim), so a headline near the topic ("New desks reached the city's schools, and the
    city council thanked the drivers" for "The city council approved a $2.1 billion budget for
    schools") comes back as support. It is off the claim when

    * the rules found none of its passages related (``judgements``: the retrieved passages of
      the document) and the model's ``p_supports`` is below ``OFF_CLAIM_SUPPORT``; or
    * the statement has figures or dates, the headline states none of them, does not say the
      statement's predicate (judged as a heading: ``judge.py`` requires a heading to assert the
      predicate) and its embedding ``similarity`` to the statement (None without vectors) is
      below ``close``: it shares the subject only.
    """
    judgements = list(judgements)
    if all(j.stance == "unrelated" for j in judgements):
        return p_supports < OFF_CLAIM_SUPPORT
    facts = {q.text for q in stmt.facts.quantities} | {d.text for d in stmt.facts.dates}
    if not facts or (similarity is not None and similarity >= close):
        return False
    if facts & {m.statement for j in judgements for m in j.matched}:
        return False
    unsaid = ("not-asserted", "unrelated", "subject-only")
    return all(judge_passage(stmt, text, role="heading").reason in unsaid for text in texts)


def all_figures_found(stmt: Statement, judgement: PassageJudgement) -> bool:
    """Whether every figure and date of the statement is among the judgement's matched facts
    (vacuously false for a statement without figures: then nothing was checked)."""
    wanted = {q.text for q in stmt.facts.quantities} | {d.text for d in stmt.facts.dates}
    return bool(wanted) and wanted <= {m.statement for m in judgement.matched}


def demote_supports(
    stmt: Statement, texts: Iterable[str], judgements: Iterable[PassageJudgement], model_label: str
) -> list[PassageJudgement]:
    """In a headline-sized document, rule supports become mentions when the headline only
    reports the claim (a saying verb or a report tag, and not every figure of the statement
    found) or when the model reads the document as a mention; ``texts`` are the judged passages'
    texts, in the order of ``judgements``. Returns the judgements the model demoted (their
    confidence is then the model's)."""
    by_model = []
    for text, j in zip(texts, judgements, strict=True):
        if j.stance != "supports" or j.reason not in ("facts-match", "wording-match"):
            continue
        hedge = hedge_cue(stmt, text)
        cue = reports_claim(stmt, text)
        if hedge is not None:
            j.stance, j.reason, j.cues = "mentions", "reported", [("hedge", hedge)]
        elif all_figures_found(stmt, j):
            continue  # the statement's figures, stated: explicit evidence the model does not overrule
        elif cue is not None:
            j.stance, j.reason, j.cues = "mentions", "reported", [("attribution", cue)]
        elif model_label == "mentions":
            j.stance, j.reason = "mentions", "model"
            by_model.append(j)
    return by_model
