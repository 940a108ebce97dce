"""Is a string a claim at all, and which of its words say what it claims (its predicate)?

A statement check compares what a statement *asserts* with what passages assert. A bare name
("Globex"), a topic ("Falcon model"), a list of keywords or a search query
(``Globex AND (Falcon OR NEAR(x)) NOT ^closed``) asserts nothing, so no passage can support or
contradict it: ``read_claim`` says so, with the reason, before any retrieval.

"Has a predicate" is read from the words themselves, with WordNet's verb index for what can be
a verb (``service.core.text.wordnet``) and the structure around each candidate:

* an auxiliary, copula or modal ("is", "will", "didn't") is a predicate;
* a past form ("rose", "approved") with something before it that can be its subject, not a
  determiner or a preposition ("the closed model" is a noun phrase);
* a third-person form ("opposes", "plans to") after a possible subject, when the word is more
  often a verb than a noun in WordNet's sense counts or an object or "to" follows it;
* headline grammar: "Globex to release Falcon", "Falcon delayed", "shares up 4%", or a polar
  word after its subject ("Falcon closed-source");
* a bare verb after a pronoun subject ("they approve").

Questions: a yes/no question ("Did Globex close Falcon?", or without its verb "Falcon drone: real
or hoax?", three words or more) is checked as the proposition it asks about; a question for
something ("Who founded Globex?") has no proposition and is not a claim.
Without WordNet only the closed-class signals (auxiliaries, headline "to", figures) are read,
and a string without any of them is given the benefit of the doubt when it has three words or
more.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.core.facts.cues import pole
from service.core.text import wordnet
from service.core.text.lexicon import (
    AUXILIARIES,
    DETERMINERS,
    PARTICLES,
    PREPOSITIONS,
    SAYING_WORDS,
    SEARCH_OPERATORS,
    STOPWORDS,
    SUBJECT_PRONOUNS,
    WH_WORDS,
)
from service.core.text.normalize import normalize_text
from service.core.text.tokens import StemmedToken, stemmed_tokens

REASONS = ("search-syntax", "keywords", "no-predicate", "question-for-something", "no-words")

_OPERATOR = re.compile(r"(?<![\w'])(?:" + "|".join(sorted(SEARCH_OPERATORS)) + r")(?![\w'])")
# Marks that only a search box uses: NEAR(x), ^closed, site:example.com
_STRONG_QUERY_MARKS = re.compile(
    r"\b(?:[A-Z]{2,}|near|around)\((?!\s)|(?:^|\s)\^\w|\b(?:site|intitle|inurl|intext|filetype):\S"
)
# Marks that a search box uses and prose rarely does, next to an operator: ~meta +must -not avoc*
_QUERY_MARKS = re.compile(r"(?:^|\s)[~+\-]\w|\w\*(?:\s|$|\))|\b\w+:\w")
# An operator next to a bracket: "(Falcon OR Osprey)", "NOT (closed)"
_GROUPED_OPERATOR = re.compile(
    r"\((?:[^()]*\s)?(?:AND|OR|NOT|NEAR)\s[^()]*\)|\b(?:AND|OR|NOT|NEAR)\s*\(|\)\s*(?:AND|OR|NOT|NEAR)\b"
)
_CONTRACTED_BE = re.compile(
    r"\b(?:(?:it|that|there|here|he|she|what|who|where|this)['’]s|\w+['’](?:re|ve|ll|m|d))\b", re.IGNORECASE
)
_HEADLINE_FIGURE = re.compile(
    r"\b(?:up|down|higher|lower|flat|off)\s+(?:by\s+)?(?:[$€£¥]?\d|a\s+third|half)", re.IGNORECASE
)
# Headline predication with a colon for the copula: "Jane Roe: the fastest swimmer in Leeds"
# (a comma is only an apposition: "Jane Roe, the new minister" says nothing about her)
_COLON_COPULA = re.compile(r"\s*[A-Z][^:,;?]{1,60}?(:)\s+(?:the|a|an)\s+[^\W\d_]", re.IGNORECASE)
# "No X on Y": a negative existential claim without its copula
_NONE_EXISTS = re.compile(
    r"\s*(no)\s+[^\W\d_]+(?:\s+[^\W\d_]+){0,2}\s+(?:on|in|at|for|from|to|with|among)\s", re.IGNORECASE
)
_LIST_SEPARATORS = re.compile(r"[,;|/#·•]")
# Adverbs that stand between a subject and its verb ("The watch only receives ...").
_ADVERBS = frozenset("only also just still now never already even again then finally reportedly allegedly".split())
_OBJECT_PRONOUNS = frozenset("me him her it us them you this that these those".split())
# Verbs whose past form is the base form: WordNet's exception lists cannot show them.
_SAME_PAST = frozenset(
    "set cut hit put quit shut let cost spread hurt cast beat bet bid burst split shed forecast broadcast upset".split()
)
# Adverbs that stand for a left-out copula in headlines ("reportedly on the outskirts").
_HEDGING_ADVERBS = frozenset("likely probably possibly reportedly apparently allegedly officially".split())
_COPULA_COMPLEMENTS = frozenset("true false real fake dead alive there those ready".split())
_MONTH_LEADS = frozenset("in of since until by early late mid last next this every".split())
# Prepositions that can carry a headline's predicate with its copula left out ("student on the
# run", "Kabul in doubt", "hostage at risk", "book among the finds"). Those that mostly attach a
# complement to a noun ("delivery of arms", "weapons for ISIS", "row over the toll", "chaos after
# the storm", "photos by ...") are not here: after a noun they make a topic, not a claim.
_PREDICATIVE_PREPOSITIONS = frozenset(
    "in on at among amongst under behind inside outside aboard without beyond".split()
)
# Coordinators: a bare form before one is a noun in a list of names ("Falcon Project and ...").
_COORDINATORS = frozenset("and or & vs versus nor".split())
_NP_GLUE = frozenset(("the", "and"))
_YEAR = re.compile(r"(?:19|20)\d\d")


_SEARCH_DETAIL = (
    "This looks like a search query (boolean operators, parentheses, wildcards or field syntax), not a "
    "claim: write the claim as a sentence, e.g. \"The council approved the budget in March.\""
)


@dataclass(frozen=True, slots=True)
class ClaimReading:
    """What a string asserts: whether it is checkable, why not, and where its predicate is.

    ``predicate`` holds the offsets of the words that carry the predicate (verbs, auxiliaries,
    a headline's polar word); ``subject_end`` is where the first of them starts: the words
    before it say what the claim is about, the words from it on what it claims.
    """

    checkable: bool
    reason: str | None
    detail: str | None
    predicate: tuple[tuple[int, int], ...]
    subject_end: int
    question: bool


class NotAClaim(ValueError):
    """Raised for a statement that asserts nothing (``reason`` is one of ``REASONS``)."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason
        self.detail = detail


def _search_syntax(text: str) -> bool:
    """Boolean operators, parentheses, field or wildcard syntax of a search box."""
    if _STRONG_QUERY_MARKS.search(text):
        return True
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.7 * len(letters):
        return False  # a shouted headline: its AND / NOT are words
    operators = len(_OPERATOR.findall(text))
    grouped = bool(_GROUPED_OPERATOR.search(text))
    return operators >= 2 or grouped or (operators >= 1 and len(_QUERY_MARKS.findall(text)) >= 1)


def _counts(word: str) -> dict[str, int]:
    return wordnet.sense_counts(word)


def _verbish(word: str, ratio: float = 1.0) -> bool:
    """A verb at least ``1/ratio`` times as often as a noun in WordNet's sense counts."""
    counts = _counts(word)
    return counts["v"] > 0 and ratio * counts["v"] >= counts["n"]


def _transparent(tok: StemmedToken) -> bool:
    """An adverb that may stand between a subject and its verb ("only", "reportedly")."""
    return tok.norm in _ADVERBS or (tok.norm.endswith("ly") and len(tok.norm) > 4 and not tok.capital)


def _joined(text: str, a: StemmedToken, b: StemmedToken) -> bool:
    """Nothing but spaces, quotes or a hyphen between two tokens (no comma, colon, dash)."""
    return all(c.isspace() or c in "'\"‘’“”-" for c in text[a.end : b.start])


def _possessive(text: str, tok: StemmedToken) -> bool:
    after = text[tok.end : tok.end + 2]
    plural = tok.norm.endswith("s") and after[:1] in ("'", "’") and text[tok.end + 1 : tok.end + 2] == " "
    return after in ("'s", "’s") or plural


def _objectish(tok: StemmedToken | None, headline: bool) -> bool:
    """What can start an object or complement: a determiner, pronoun, figure, name or particle."""
    if tok is None:
        return False
    n = tok.norm
    return (
        n in DETERMINERS
        or n in _OBJECT_PRONOUNS
        or n[:1].isdigit()
        or n in PARTICLES
        or (tok.capital and not headline)
        or n in ("to", "that")
    )


# How strongly a word marks a predicate: not at all, possibly (a bare verb form, a headline
# ellipsis), or surely (an auxiliary, an inflected verb after its subject).
NONE, WEAK, STRONG = 0, 1, 2


def _predicate_at(tokens: list[StemmedToken], i: int, text: str, headline: bool) -> int:
    """How strongly ``tokens[i]`` marks the statement's predicate (``NONE``, ``WEAK``, ``STRONG``),
    from its form and its neighbours."""
    tok = tokens[i]
    norm = tok.norm
    j = i - 1
    while j >= 0 and _transparent(tokens[j]):
        j -= 1
    prev = tokens[j] if j >= 0 else None
    joined_prev = prev is not None and all(_joined(text, tokens[k], tokens[k + 1]) for k in range(j, i))
    nxt = tokens[i + 1] if i + 1 < len(tokens) and _joined(text, tok, tokens[i + 1]) else None
    if norm in AUXILIARIES:
        if tok.text == "May" and i > 0 and _month(tokens, i):
            return NONE  # the month
        return STRONG if prev is None or prev.norm not in ("a", "an", "the") else NONE  # "a can of"
    if norm in ("not", *_HEDGING_ADVERBS):
        return WEAK if prev is not None and joined_prev and _elliptical_copula(prev, nxt) else NONE
    shouted = tok.text.isupper() and len(tok.text) > 3
    if (tok.capital and i > 0 and not headline and not shouted) or not norm.isalpha():
        return NONE  # a name ("Google", "Rose"), a figure
    if norm in STOPWORDS and norm not in SAYING_WORDS:
        return NONE
    if prev is not None and joined_prev and (
        prev.norm in DETERMINERS or (prev.norm in PREPOSITIONS and prev.norm != "to") or _possessive(text, prev)
    ):
        return NONE  # "the closed model", "in leaked memos", "Globex's planned launch"
    bases = wordnet.base_forms(norm, wordnet.VERB)
    counts = _counts(norm)
    verb_only = bool(bases) and counts["n"] == 0
    inflected_s = norm.endswith("s") and bool(bases) and norm not in bases
    inflected_ing = norm.endswith("ing") and bool(bases) and norm not in bases
    past = bool(bases) and not inflected_s and not inflected_ing and (
        norm.endswith("ed") or any(b != norm for b in bases) or norm in _SAME_PAST
    )
    if prev is None:
        # "Abolish birthright citizenship" (a policy claim), "Found at the border" (a headline)
        if nxt is None:
            return NONE
        if bases and norm in bases and not past and (verb_only or _verbish(norm, 0.5)):
            return WEAK
        if past and (nxt.norm in PREPOSITIONS or nxt.norm in DETERMINERS or nxt.norm in PARTICLES):
            return WEAK
        return NONE
    if prev.norm == "to":
        # headline future ("Globex to release Falcon", "to cost $950"); "from X to Y" is no verb
        if j >= 1 and norm in bases and (_verbish(norm, 4.0) or _objectish(nxt, headline)):
            return STRONG if j >= 1 and tokens[j - 1].norm not in PREPOSITIONS else WEAK
        return NONE
    if not bases:
        if norm.endswith("ed") and len(norm) >= 5 and not any(counts.values()) and joined_prev:
            return STRONG  # a past form WordNet does not list ("pooped")
        return _polar_ellipsis(norm, nxt, joined_prev)
    if inflected_ing:
        return WEAK if nxt is not None or _verbish(norm) else NONE  # "Jane dying from", "Globex releasing X"
    if inflected_s:
        # "Jane Doe opposes the tax", "plans to", "boots man from plane"; not "Apple stock prices"
        if _verbish(norm, 3.0) or _objectish(nxt, headline):
            return STRONG
        if nxt is not None and (nxt.norm not in STOPWORDS or (prev.capital and not headline)):
            return STRONG
        return NONE
    if past:
        if norm in _SAME_PAST and nxt is None:
            return NONE
        return STRONG if joined_prev or prev.capital else WEAK
    if not joined_prev:
        return NONE  # "Globex, Falcon, open source": a bare form after a comma
    if _counts(prev.norm)["a"] > max(_counts(prev.norm)["n"], _counts(prev.norm)["v"]) and not prev.capital:
        return NONE  # "the new finance minister": a noun after its adjective
    # a bare verb: "they approve", "investors expect a cut", "police identify the shooter"
    if verb_only:
        return WEAK if nxt is not None or prev.norm in SUBJECT_PRONOUNS else NONE
    if nxt is not None and nxt.norm in _COORDINATORS and prev.norm not in SUBJECT_PRONOUNS:
        return NONE  # "Falcon Project and Globex's Dilemma": a name in a list, not a verb
    if nxt is not None and (
        _verbish(norm, 1 / 3)
        or (headline and _verbish(norm))
        or (_plural(prev) and _verbish(norm, 2.0))
        or (_verbish(norm) and _objectish(nxt, headline))
    ):
        return STRONG if prev.norm in SUBJECT_PRONOUNS else WEAK
    if prev.norm in SUBJECT_PRONOUNS and nxt is None and _verbish(norm):
        return STRONG
    return _polar_ellipsis(norm, nxt, joined_prev)


def _polar_ellipsis(norm: str, nxt: StemmedToken | None, joined_prev: bool) -> int:
    """Headline ellipsis: a polar word after its subject, ending the phrase ("Falcon closed-source",
    "college free for everyone")."""
    if not joined_prev or (pole(norm) is None and not wordnet.antonyms(norm, wordnet.ADJ)):
        return NONE
    ends = nxt is None or nxt.norm in PREPOSITIONS or nxt.norm[:1].isdigit() or nxt.norm in ("and", "but")
    return WEAK if ends else NONE


def _elliptical_copula(prev: StemmedToken, nxt: StemmedToken | None) -> bool:
    """"Students not among the dead", "third boob likely a hoax": the copula is left out."""
    if nxt is None or prev.norm in DETERMINERS or prev.norm in PREPOSITIONS:
        return False
    return nxt.norm in DETERMINERS or nxt.norm in PREPOSITIONS or nxt.norm in _COPULA_COMPLEMENTS


def _headline_subject(tokens: list[StemmedToken], i: int, text: str) -> bool:
    """Whether the words before the preposition at ``i`` can be a headline's whole subject, so that
    the phrase it opens is the predicate ("Texas plumber's truck on the front line"): a noun
    phrase of content words (names, figures, possessives, "and") from the start of the statement
    or a colon up to ``i``, not opened by "a"/"an" (a title: "A delivery of arms to ..."), with no
    preposition in it (a topic: "Delivery of arms in Syria"), followed by the preposition's object
    (not a lone year or acronym: "Globex in 2024", "Globex on AI" name a topic)."""
    if i + 1 >= len(tokens) or not _joined(text, tokens[i], tokens[i + 1]):
        return False
    obj = tokens[i + 1]
    lone = i + 2 == len(tokens)
    if lone and (_YEAR.fullmatch(obj.text) or (obj.text.isupper() and len(obj.text) > 1)):
        return False  # a topic and when or what about: "Globex in 2024", "Globex on AI"
    start = i
    while start > 0 and _joined(text, tokens[start - 1], tokens[start]):
        start -= 1
    if start > 0 and ":" not in text[tokens[start - 1].end : tokens[start].start]:
        return False  # a comma, a dash or a bracket before the phrase: not the headline's subject
    subject = tokens[start:i]
    if not subject or subject[0].norm in ("a", "an"):
        return False
    if not any(t.norm.isalpha() and t.norm not in STOPWORDS for t in subject):
        return False  # "it in ...", "the in ...": no noun to be the subject
    return all(
        t.norm not in PREPOSITIONS and t.norm not in AUXILIARIES and (t.norm not in STOPWORDS or t.norm in _NP_GLUE)
        for t in subject
    )


def _plural(tok: StemmedToken) -> bool:
    n = tok.norm
    return n.endswith("s") and not n.endswith("ss") and n not in STOPWORDS


def _month(tokens: list[StemmedToken], i: int) -> bool:
    """"May" as the month: before a figure, or after a preposition or "last"/"next"/"early"..."""
    nxt = tokens[i + 1].norm if i + 1 < len(tokens) else ""
    prev = tokens[i - 1].norm if i > 0 else ""
    return nxt[:1].isdigit() or prev in PREPOSITIONS or prev in _MONTH_LEADS or (not nxt and prev != "")


def read_claim(statement: str) -> ClaimReading:
    """Read ``statement``: is it a claim, and where is its predicate?"""
    text = normalize_text(statement)
    tokens = stemmed_tokens(text)
    words = [t for t in tokens if any(c.isalpha() for c in t.norm)]
    question = text.rstrip("\"'”’ )").endswith("?")
    if not words:
        return _not("no-words", "The statement has no words to check.", question)
    if _search_syntax(text):
        return _not("search-syntax", _SEARCH_DETAIL, question)
    letters = [t for t in words if t.norm.isalpha() and len(t.norm) > 3]
    headline = len(letters) >= 2 and sum(t.capital for t in letters) >= 0.6 * len(letters)
    marks = [(_predicate_at(tokens, i, text, headline), t) for i, t in enumerate(tokens)]
    spans = [(t.start, t.end) for strength, t in marks if strength]
    strong = any(strength == STRONG for strength, _ in marks)
    for contraction in _CONTRACTED_BE.finditer(text):
        spans.append((contraction.start(), contraction.end()))
        strong = True
    figure = _HEADLINE_FIGURE.search(text)
    if not spans and figure is not None and figure.start() > 0:
        spans.append((figure.start(), figure.start() + len(figure.group().split()[0])))
    nothing = _NONE_EXISTS.match(text)
    if not spans and nothing is not None:
        spans.append((nothing.start(1), nothing.end(1)))  # "No gender segregation on the airline"
    copula = _COLON_COPULA.match(text)
    if not spans and copula is not None:
        spans.append((copula.start(1), copula.end(1)))  # "Falcon: the drone that never flew"
    if not spans:
        # "Student on the run in France", "Kabul in doubt after airstrike": a headline's copula
        # left out before its prepositional predicate (only where no verb was found: "Police in
        # Leeds arrested a man" has its subject end at "arrested")
        at = next(
            (
                t
                for i, t in enumerate(tokens)
                if t.norm in _PREDICATIVE_PREPOSITIONS and _headline_subject(tokens, i, text)
            ),
            None,
        )
        if at is not None:
            spans.append((at.start, at.end))
    spans.sort()
    if question and words[0].norm in WH_WORDS:
        return _not(
            "question-for-something",
            "A question for something (who, what, when, ...) asserts nothing that a passage could "
            "support or contradict: state the answer you want checked.",
            question,
        )
    pieces = [p for p in _LIST_SEPARATORS.split(text) if p.strip()]
    listed = len(pieces) >= 3 and all(len(p.split()) <= 3 for p in pieces)
    if spans and (strong or not listed):
        return ClaimReading(True, None, None, tuple(spans), spans[0][0], question)
    if _OPERATOR.search(text) and not text.isupper():
        return _not("search-syntax", _SEARCH_DETAIL, question)  # "Globex AND Falcon"
    if question and len(words) >= 3 and not listed:
        # a yes/no question with its verb left out ("The Falcon drone: real or hoax?") asks
        # whether its proposition holds: that proposition is checked
        return ClaimReading(True, None, None, (), 0, question)
    if not wordnet.available() and len(words) >= 3 and not listed:
        return ClaimReading(True, None, None, (), 0, question)  # cannot tell without WordNet
    subject = " ".join(t.text for t in words[:6]) + (" ..." if len(words) > 6 else "")
    if listed or (len(words) >= 4 and not (set(t.norm for t in words) & STOPWORDS)):
        return _not(
            "keywords",
            f"\"{subject}\" is a list of keywords, not a claim: it has no verb saying what happened or "
            "what is the case. Write the claim as a sentence.",
            question,
        )
    return _not(
        "no-predicate",
        f"\"{subject}\" names a subject but says nothing about it (no verb or predicate), so no "
        "passage can support or contradict it. Write the claim as a sentence, e.g. \"Prices rose.\"",
        question,
    )


def _not(reason: str, detail: str, question: bool) -> ClaimReading:
    return ClaimReading(False, reason, detail, (), 0, question)


def require_claim(statement: str) -> ClaimReading:
    """``read_claim``, raising ``NotAClaim`` for a statement that is not checkable."""
    reading = read_claim(statement)
    if not reading.checkable:
        assert reading.reason is not None and reading.detail is not None
        raise NotAClaim(reading.reason, reading.detail)
    return reading
