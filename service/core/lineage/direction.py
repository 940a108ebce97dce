"""Which of two related documents is the source: direction cues and the weighing of a pair's evidence.

Dates are used when both are known, but they are often missing or wrong, so the direction of a
link rests mainly on text evidence:

* **attribution** -- "according to X", "X reported", "citing X" mark the citing side as
  derivative; if X matches the other document's outlet, title or web host, that is the source.
  Cited names are matched generically against metadata, never against a list of outlets.
* **first-hand reporting** -- "people familiar with the matter", "the people said", "declined to
  comment", "told reporters" mark original reporting; "reportedly" marks hearsay.
  Cues inside passages copied from the other side are ignored (a copy inherits its source's cues).
* **containment** -- a document embedded whole in a larger page is that page's source
  (aggregation); a document made mostly of another's text, plus a little of its own, is an excerpt
  or rewrite of it.
* **detail** -- in reworded passages the source tends to carry the figures and names the rewrite
  drops; **headlines** -- a page carrying another article's headline as a line embeds it.

Each pair is weighed on its own here, and the kind of reuse it shows is named (``relation``);
``service.core.lineage.resolve`` adds the corrections that look one document further and picks
each document's parents.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence, Set
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from urllib.parse import urlsplit

from rapidfuzz import fuzz

from service.core.lineage.versions import version_label
from service.core.reuse.evidence import PairEvidence
from service.core.text.lexicon import CITE_LEADING_WORDS, GENERIC_SOURCES
from service.core.text.normalize import fold

_NAME = r"(?P<name>(?:[A-Z][\w&'.-]*|[A-Z]{2,})(?:\s+(?:of\s+|de\s+)?[A-Z][\w&'.-]*){0,4})"
_CITE_PATTERNS = [
    re.compile(r"\b[Aa]ccording to (?:a |an |the )?(?:recent |new |earlier |exclusive |latest )?" + _NAME),
    re.compile(_NAME + r"(?:'s)?\s+(?:News\s+)?(?:first\s+|previously\s+|earlier\s+|exclusively\s+)?"
               r"(?:reported|reports|has reported|had reported|revealed|broke the news)\b"),
    re.compile(r"\b(?:[Rr]eported by|[Cc]iting|[Cc]ited by|[Aa]s reported by|[Ff]irst reported by|"
               r"[Aa] report (?:by|from)|[Aa]ccording to reports? (?:by|from|in)) (?:the )?" + _NAME),
    re.compile(r"(?:\b(?:[Oo]riginally |[Ff]irst )?(?:[Pp]ublished|[Aa]ppeared) (?:by|in|on)|\b[Rr]eporting by|"
               r"\b[Ww]ith permission (?:from|of)|\b[Cc]ourtesy of|^[Ss]ources?:|\b[Cc]redit:) (?:the )?" + _NAME),
    # "(via X)" after a headline or a brief, or "via X" closing a line, is a credit; elsewhere
    # "via" is a route ("via a $2 billion deal", "via satellite"), not a source.
    re.compile(r"\(\s*[Vv]ia (?:the )?" + _NAME + r"\s*\)"),
    re.compile(r"\b[Vv]ia (?:the )?" + _NAME + r"\s*\.?\s*$", re.MULTILINE),
]
_FIRST_HAND = re.compile(
    r"\b(?:(?:people|person|sources?) (?:familiar|with knowledge|briefed|close to)|the (?:people|person) "
    r"(?:said|say|added)|declined to comment|did not (?:immediately )?respond to (?:a )?requests? for comment|"
    r"told (?:reporters|[A-Z][\w&.-]+)|in an interview(?: with)?|said in (?:a|an) (?:statement|interview|email)|"
    r"asked not to be (?:identified|named)|speaking on condition of anonymity|"
    r"according to (?:people|a person|sources|documents|internal|a memo|an internal)|"
    r"(?:a |the )?spokes(?:person|man|woman) (?:for [A-Z][\w.-]+ )?(?:said|confirmed|declined))",
)
_HEARSAY = re.compile(
    r"\b(?:reportedly|is said to|are said to|reports say|media reports|rumou?rs?|it was reported|"
    r"was reported|has been reported|allegedly|per reports)\b",
    re.IGNORECASE,
)

# For each pattern, literal text of which every match contains at least one, spelled exactly as
# the (case-sensitive) pattern requires. Most passages contain none of them and skip the pattern:
# a few ``in`` tests instead of a regex scan that tries a match at every position.
_CITE_LITERALS: list[tuple[str, ...]] = [
    ("ccording to ",),
    ("report", "revealed", "broke the news"),
    ("eport", "iting ", "ited by "),
    ("ublished ", "ppeared ", "eporting by ", "ith permission ", "ourtesy of ", "ource", "redit: "),
    ("via ", "Via "),
    ("via ", "Via "),
]
_FIRST_HAND_LITERALS = (
    "familiar", "with knowledge", "briefed", "close to", "the people ", "the person ", "declined to comment",
    "respond to ", "told ", "in an interview", "said in a", "asked not to be ", "speaking on condition of anonymity",
    "according to ", "spokes",
)
# _HEARSAY ignores case, so its literals are looked for in lower-cased text, and only in ASCII
# text: under IGNORECASE a few non-ASCII letters match ASCII ones (the long s matches "s").
_HEARSAY_LITERALS = ("report", "said to", "rumo", "allegedly")
_CITES = list(zip(_CITE_PATTERNS, _CITE_LITERALS, strict=True))

@dataclass(frozen=True, slots=True)
class DirectionCue:
    """One direction cue found in passage ``seq``: ``cite`` (with the cited name), ``first`` or ``hearsay``."""

    seq: int
    kind: str
    name: str = ""


def _contains_any(text: str, literals: tuple[str, ...]) -> bool:
    """Whether ``text`` contains one of ``literals`` (if not, a pattern needing one cannot match)."""
    return any(literal in text for literal in literals)


def passage_cues(seq: int, text: str) -> list[DirectionCue]:
    """Attribution, first-hand and hearsay cues of one passage."""
    cues: list[DirectionCue] = []
    first_spans: list[tuple[int, int]] = []
    if _contains_any(text, _FIRST_HAND_LITERALS):
        for m in _FIRST_HAND.finditer(text):
            cues.append(DirectionCue(seq, "first"))
            first_spans.append(m.span())
    seen: set[str] = set()
    for pattern, literals in _CITES:
        if not _contains_any(text, literals):
            continue
        for m in pattern.finditer(text):
            if any(s <= m.start() < e for s, e in first_spans):
                continue
            parts = m.group("name").strip(" .,'").split()
            while parts and fold(parts[0]) in CITE_LEADING_WORDS:
                parts.pop(0)
            name = " ".join(parts)
            if name.endswith("'s"):
                name = name[:-2]
            key = fold(name)
            if not key or key.split()[0] in GENERIC_SOURCES or key in seen:
                continue
            seen.add(key)
            cues.append(DirectionCue(seq, "cite", name))
    if not text.isascii() or _contains_any(text.lower(), _HEARSAY_LITERALS):
        cues.extend(DirectionCue(seq, "hearsay") for _ in _HEARSAY.finditer(text))
    return cues


def document_cues(text: str, spans: Sequence[tuple[int, int]]) -> list[DirectionCue]:
    """All cues of a document, passage by passage."""
    out: list[DirectionCue] = []
    for seq, (start, end) in enumerate(spans):
        out.extend(passage_cues(seq, text[start:end]))
    # Source-block markers are lines of their own, not passages: found in the whole text.
    out.extend(DirectionCue(-1, "block", number) for number in sorted(set(_SOURCE_BLOCK.findall(text))))
    return out


# A numbered source block ("[1]", "[2]" opening a line), as pages that collect several
# articles number them; a page with two or more is an aggregator of separate sources.
_SOURCE_BLOCK = re.compile(r"^[ \t]*\[(\d{1,2})\]", re.MULTILINE)


def embeds_sources(info: DocInfo) -> bool:
    """Whether a document is a page of several separately numbered sources."""
    return len({c.name for c in info.cues if c.kind == "block"}) >= 2


@dataclass(slots=True)
class DocInfo:
    """What direction reasoning needs to know about a document besides its text."""

    id: int
    key: str  # an order-independent tie-breaker (the content hash)
    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    published_at: datetime | None = None
    cues: list[DirectionCue] = field(default_factory=list)

    def identity(self, with_title: bool = True) -> list[str]:
        """Folded names this document is known by: outlet, web host, title."""
        names = []
        if self.outlet:
            names.append(fold(self.outlet))
        if self.url:
            host = urlsplit(self.url).hostname or ""
            host = host.removeprefix("www.")
            if host:
                names.append(host.split(".")[0])
                names.append(host)
        if self.title and with_title:
            names.append(fold(self.title))
        return names


def cites(name: str, target: DocInfo) -> bool:
    """Whether a cited ``name`` refers to ``target`` (its outlet, host or title)."""
    key = fold(name).removeprefix("the ")
    compact = key.replace(" ", "")
    if target.title and len(key) >= 12 and fuzz.ratio(key, fold(target.title)) >= 90:
        return True  # cited by headline
    for ident in target.identity(with_title=False):
        ident = ident.removeprefix("the ")
        if not ident:
            continue
        if key == ident or compact == ident.replace(" ", ""):
            return True
        if len(key) >= 4 and (ident.startswith(key + " ") or key.startswith(ident + " ")):
            return True
        if len(ident) > 30 and fuzz.partial_ratio(key, ident) >= 90 and len(key) >= 12:
            return True
        if len(key) >= 5 and fuzz.ratio(key, ident) >= 88:
            return True
    return False


def source_probability(score: float) -> float:
    """Probability-like confidence that side ``a`` is the source, from a direction score (> 0: ``a``)."""
    return 0.5 + 0.5 * math.tanh(score / 2.0)


@dataclass(slots=True)
class Direction:
    """The verdict on one pair: ``score`` > 0 means ``a`` is the source of ``b``; reasons for display."""

    score: float
    reasons: list[str]

    @property
    def p_a_source(self) -> float:
        """Probability-like confidence that ``a`` is the source."""
        return source_probability(self.score)


def _own_cues(info: DocInfo, copied: set[int],
              inherited: Set[tuple[int, str]] = frozenset()) -> tuple[list[str], int, int]:
    """Cited names, first-hand and hearsay counts of a document outside the passages it copied.

    A credit inside a copied passage is the document's own when the passage it copied lacks it
    ("According to X, ..." put in front of X's sentence); it is inherited (``inherited``:
    (seq, folded name)) when the other side's passage carries the same credit.
    """
    cited = [c.name for c in info.cues if c.kind == "cite"
             and (c.seq not in copied or (c.seq, fold(c.name)) not in inherited)]
    first = sum(1 for c in info.cues if c.kind == "first" and c.seq not in copied)
    hearsay = sum(1 for c in info.cues if c.kind == "hearsay" and c.seq not in copied)
    return cited, first, hearsay


@lru_cache(maxsize=1 << 13)
def _line_key(text: str) -> str:
    """A short line as a headline is looked for in it: folded, without a list label ("[1] ").

    Memoized: ingest asks for every pair a new document is compared in, so the same document's
    lines (a story's copies share most of them) were folded again for each of its candidates.
    8,192 lines (a few MB) hold the lines of the documents being compared now.
    """
    return fold(text).strip(" .").lstrip("[]0123456789 ")


def quotes_headline(title: str | None, own_title: str | None, passages: Sequence[str]) -> bool:
    """Whether a document carries ``title`` -- another document's headline -- as one of its lines.

    Pages that embed or list other articles ("[1] <headline>") name their sources this way. The
    document's own headline does not count (a verbatim copy keeps its source's headline), nor
    does it under a version label ("UPDATE 1-<headline>": an update keeps its story's headline).
    """
    if not title or len(title) < 12:
        return False
    key = fold(title).strip(" .")
    if own_title and any(fuzz.ratio(key, fold(own).strip(" .")) >= 90
                         for own in (own_title, version_label(own_title)[1])):
        return False
    for text in passages:
        line = _line_key(text)
        if abs(len(line) - len(key)) <= 0.2 * len(key) and fuzz.ratio(line, key) >= 90:
            return True
        if len(key) <= len(line) <= len(key) + 25 and fuzz.partial_ratio(key, line) >= 95:
            return True  # headline after a short label ("2 Sources [1] <headline>")
    return False


def direction(ev: PairEvidence, a: DocInfo, b: DocInfo, detail: tuple[int, int] = (0, 0),
              lengths: tuple[int, int] = (0, 0), headlines: tuple[bool, bool] = (False, False),
              commentary: tuple[int, int] = (0, 0)) -> Direction:
    """Weigh the evidence that ``a`` is the source of ``b`` (positive) or the reverse (negative).

    ``detail`` counts figures present on only one side of reworded passage pairs (a-only,
    b-only); ``lengths`` are the word counts of the aligned passages on each side;
    ``headlines`` says whether a carries b's headline and whether b carries a's;
    ``commentary`` counts each side's own sentences that name no fact at all (opinion, colour).
    """
    score = 0.0
    reasons: list[str] = []
    if headlines[1] and not headlines[0]:
        score += 3.0
        reasons.append("b quotes a's headline")
    elif headlines[0] and not headlines[1]:
        score -= 3.0
        reasons.append("a quotes b's headline")
    copied_a = {p.a_seq for p in ev.pairs if p.kind != "paraphrase"}
    copied_b = {p.b_seq for p in ev.pairs if p.kind != "paraphrase"}
    cites_of_a = {(c.seq, fold(c.name)) for c in a.cues if c.kind == "cite"}
    cites_of_b = {(c.seq, fold(c.name)) for c in b.cues if c.kind == "cite"}
    # (seq, name) of each side's credits that the other side's aligned passage carries too.
    shared_b = {(p.b_seq, name) for p in ev.pairs if p.kind != "paraphrase"
                for seq, name in cites_of_a if seq == p.a_seq and (p.b_seq, name) in cites_of_b}
    shared_a = {(p.a_seq, name) for p in ev.pairs if p.kind != "paraphrase"
                for seq, name in cites_of_b if seq == p.b_seq and (p.a_seq, name) in cites_of_a}
    cite_a, first_a, hear_a = _own_cues(a, copied_a, shared_a)
    cite_b, first_b, hear_b = _own_cues(b, copied_b, shared_b)

    if any(cites(n, a) for n in cite_b):
        score += 4.0
        reasons.append(B_CITES_A)
    if any(cites(n, b) for n in cite_a):
        score -= 4.0
        reasons.append(A_CITES_B)
    # Citing some outlet makes a document second-hand -- unless the other side is known to be
    # a different outlet, in which case the citation points elsewhere and says nothing here.
    orig_a = min(first_a, 3) - 0.5 * min(hear_a, 3) - (1.0 if cite_a and not b.identity(False) else 0.0)
    orig_b = min(first_b, 3) - 0.5 * min(hear_b, 3) - (1.0 if cite_b and not a.identity(False) else 0.0)
    # Between two second-hand accounts, who cites more says nothing about who copied whom.
    if orig_a != orig_b and max(first_a, first_b) > 0:
        delta = max(-3.0, min(3.0, orig_a - orig_b))
        score += 0.6 * delta
        reasons.append(f"first-hand {orig_a:+.1f} vs {orig_b:+.1f}")

    ca, cb = ev.coverage_a, ev.coverage_b
    if ev.copied_share >= 0.5:
        if ca >= 0.85 and cb <= ca - 0.2:
            # a is wholly inside b: an excerpt of b -- unless b is a page of several separate
            # sources (numbered blocks here; several embedded stored sources: see resolve).
            if embeds_sources(b):
                score += EMBEDDED
                reasons.append("a embedded in b")
            else:
                score -= EXCERPT
                reasons.append("a contained in b")
        elif cb >= 0.85 and ca <= cb - 0.2:
            if embeds_sources(a):
                score -= EMBEDDED
                reasons.append("b embedded in a")
            else:
                score += EXCERPT
                reasons.append("b contained in a")
        elif abs(ca - cb) >= 0.15:
            # The side made mostly of the other's text is the excerpt.
            score += 2.0 * (cb - ca)
            reasons.append("containment")
    elif abs(ca - cb) >= 0.1:
        score += 1.0 * (cb - ca)
        reasons.append("containment")

    if detail != (0, 0):
        da, db = detail
        score += 0.25 * max(-6, min(6, da - db))
        reasons.append(f"detail {da} vs {db}")
    if lengths[0] and lengths[1] and ev.copied_share < 0.5:
        # Rewrites condense: the reworded side's passages are shorter than their sources.
        ratio = math.log(lengths[0] / lengths[1])
        if abs(ratio) >= 0.15:
            score += max(-1.0, min(1.0, 1.5 * ratio))
            reasons.append(f"length {ratio:+.2f}")

    if commentary != (0, 0) and ev.coverage_a >= 0.3 and ev.coverage_b >= 0.3:
        # Reports state facts; rewrites of them add remarks that name none.
        delta = max(-3, min(3, commentary[1] - commentary[0]))
        if delta:
            score += 0.35 * delta
            reasons.append(f"commentary {commentary[0]} vs {commentary[1]}")
    order = date_order(a, b)
    if order:
        # Published earlier is the source, unless the earlier one credits the later one (an
        # update or a correction names what it revises): then the text decides as without dates.
        earlier_credits_later = (A_CITES_B in reasons) if order > 0 else (B_CITES_A in reasons)
        if earlier_credits_later:
            reasons.append("dates overruled by credit")
        elif not ev.is_link():
            score += DATE_HINT * order  # too little shared text to be reuse: dates cannot make it a claim
            reasons.append("dates")
        else:
            score += DATE_WEIGHT * order
            reasons.append("dates")
    return Direction(score=round(score, 4), reasons=reasons)


# The reasons a link records when one side names the other (read back by lineage resolution).
B_CITES_A = "b cites a"
A_CITES_B = "a cites b"
# "The shorter text is wholly inside the longer one": an excerpt of it, or, on a page of several
# numbered sources, one of the sources it embeds.
EXCERPT = 2.0
EMBEDDED = 2.5
# Publication times closer than this say nothing about order (clock skew, same-hour updates).
DATE_MIN_HOURS = 1.0
# Weight of the publication order on a link's direction (text evidence against it must be
# stronger: a wholly contained excerpt with first-hand sourcing on the other side, a credit);
# corrections from third documents never turn a dated link against it (DATE_FLOOR). A pair too
# weak to be a link gets a hint only.
DATE_WEIGHT = 2.5
DATE_FLOOR = 1.0
DATE_HINT = 0.5


def date_order(a: DocInfo, b: DocInfo) -> int:
    """+1 when ``a`` was published clearly before ``b``, -1 when after, 0 when unknown or too close."""
    return published_order(a.published_at, b.published_at)


def published_order(a: datetime | None, b: datetime | None) -> int:
    """+1 when time ``a`` is clearly before ``b``, -1 when after, 0 when unknown or too close."""
    if a is None or b is None:
        return 0
    delta_h = (b - a).total_seconds() / 3600
    if abs(delta_h) < DATE_MIN_HOURS:
        return 0
    return 1 if delta_h > 0 else -1


def relation(ev: PairEvidence, child_is_a: bool, child_parent_count: int = 1) -> str:
    """Kind of reuse from the parent's side to the child: verbatim, excerpt, aggregation or paraphrase."""
    child_cov, parent_cov = (ev.coverage_a, ev.coverage_b) if child_is_a else (ev.coverage_b, ev.coverage_a)
    if ev.copied_share < 0.5:
        return "paraphrase"
    if parent_cov >= 0.7 and child_cov >= 0.7:
        return "verbatim"
    if parent_cov >= 0.7 or child_parent_count >= 2:
        return "aggregation"
    return "excerpt"


def detail_counts(
    ev: PairEvidence, a_numbers: Sequence[Sequence[str]], b_numbers: Sequence[Sequence[str]]
) -> tuple[int, int]:
    """Figures present on only one side of each reworded pair, summed: (a-only, b-only)."""
    da = db = 0
    for p in ev.pairs:
        if p.kind != "paraphrase":
            continue
        na, nb = set(a_numbers[p.a_seq]), set(b_numbers[p.b_seq])
        da += len(na - nb)
        db += len(nb - na)
    return da, db
