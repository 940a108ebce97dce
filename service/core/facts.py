"""Checkable facts in a sentence: quantities, dates, and the cue words that flip or weaken a claim.

A statement check compares *facts*, not strings: "$2.7 billion" and "2.7bn" are the same
amount, "$0.27 billion" is not, "400" is not "4,000", "autumn 2031" agrees with "next autumn"
in an undated article. This module turns text into typed facts with character offsets so the
stance judge (``service.core.stance``) can pair them up and name exactly what differs.

Written by hand because it is our core idea (explainable fact comparison); the pieces that are
not (stemming, fuzzy matching) come from snowballstemmer (which runs on PyStemmer's C
implementation when it is installed, as it is here: stemming every new passage word is on
the latency path) and rapidfuzz.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import snowballstemmer

from service.core.normalize import fold

# --------------------------------------------------------------------------------------------
# Tokens
# --------------------------------------------------------------------------------------------

# Words keep inner apostrophes and dots ("don't", "U.S.") and letter-letter hyphens
# ("open-source", "x-ray"); a hyphen after a digit splits ("2026-and" from a folded dash).
_TOKEN = re.compile(
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|[^\W_]+(?:(?:['.]|(?<=[^\W\d_])-(?=[^\W\d_]))[^\W_]+)*(?:(?<=\b[A-Z])\.)?",
    re.UNICODE,
)
_ALPHA_DIGIT = re.compile(r"^([^\W\d_]{2,})(\d+)$", re.UNICODE)
_COUNTRY_ABBR = {"u.s": "u.s", "u.s.": "u.s", "us": "u.s", "usa": "u.s", "u.s.a": "u.s", "u.s.a.": "u.s"}
_STEMMER = snowballstemmer.stemmer("english")
# Countries and their demonyms match each other ("U.S." / "American", "UK" / "British"): one
# matching key per country, so neither coverage nor the entity check sees a different name.
_COUNTRY_CAPS = frozenset(("US", "U.S", "U.S.", "USA", "U.S.A", "U.S.A."))  # never the pronoun "us"
_PLACE_GROUPS = (
    "u.s usa america american americans",
    "u.k uk britain british briton britons",
    "china chinese",
    "russia russian russians",
    "france french",
    "germany german germans",
    "japan japanese",
    "india indian indians",
    "iran iranian iranians",
    "iraq iraqi iraqis",
    "syria syrian syrians",
    "israel israeli israelis",
    "canada canadian canadians",
    "australia australian australians",
    "mexico mexican mexicans",
    "italy italian italians",
    "spain spanish",
    "ukraine ukrainian ukrainians",
    "korea korean koreans",
    "brazil brazilian brazilians",
    "nigeria nigerian nigerians",
    "egypt egyptian egyptians",
    "turkey turkish",
    "pakistan pakistani pakistanis",
    "saudi saudis",
)
_PLACE_KEY = {word: "@" + group.split()[0] for group in _PLACE_GROUPS for word in group.split()}


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a text: the raw slice, its folded form and stem, and where it sits."""

    text: str
    norm: str
    stem: str
    start: int
    end: int
    capital: bool


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Matching key of a folded word: its Snowball stem, or one key per country for a country
    and its demonyms (cached: the same words recur across every check)."""
    place = _PLACE_KEY.get(word)
    if place is not None:
        return place
    result: str = _STEMMER.stemWord(word)
    return result


def tokenize(text: str) -> list[Token]:
    """Word tokens of ``text`` with offsets; "Model3" becomes "model" + "3", "Acme's" stems to "acme"."""
    out: list[Token] = []
    # fold once instead of per word when folding keeps every offset (nearly always)
    whole = text.lower() if text.isascii() else fold(text)
    folded = whole if len(whole) == len(text) else None
    for m in _TOKEN.finditer(text):
        raw = m.group()
        start, end = m.span()
        norm = folded[start:end] if folded is not None else fold(raw)
        if norm.isalpha() and raw not in _COUNTRY_CAPS:
            # the common case: a plain word
            capital = raw[0].isupper() or (raw[1:2].isupper() and raw[0].isalpha())
            out.append(Token(raw, norm, stem(norm), start, end, capital))
            continue
        if norm.endswith("'s"):
            norm = norm[:-2]
        elif norm.endswith("'"):
            norm = norm[:-1]
        if raw in _COUNTRY_CAPS:
            norm = "u.s"
        norm = norm.rstrip(".") if norm not in _COUNTRY_ABBR else norm
        capital = raw[:1].isupper() or (raw[1:2].isupper() and raw[:1].isalpha())  # "iPhone", "eBay"
        if "-" in norm and norm not in _POLE_OF:
            # "report-expected" (a folded dash) or "x-ray": match on the parts
            pos = m.start()
            named = any(part[:1].isupper() for part in raw.split("-"))  # "al-Baghdadi" is a name
            for part, pnorm in zip(raw.split("-"), norm.split("-"), strict=False):
                out.append(Token(part, pnorm, stem(pnorm), pos, pos + len(part), named))
                pos += len(part) + 1
            continue
        split = _ALPHA_DIGIT.match(norm)
        if split:
            letters, digits = split.groups()
            cut = m.start() + len(letters)
            out.append(Token(raw[: len(letters)], letters, stem(letters), m.start(), cut, capital))
            out.append(Token(raw[len(letters) :], digits, digits, cut, m.end(), False))
            continue
        key = stem(norm) if norm.isalpha() or norm in _PLACE_KEY else norm
        out.append(Token(raw, norm, key, m.start(), m.end(), capital))
    return out


# --------------------------------------------------------------------------------------------
# Quantities
# --------------------------------------------------------------------------------------------

_SCALES = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "t": 1e12,
}
_CURRENCIES = {
    "$": "USD",
    "us$": "USD",
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "€": "EUR",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "£": "GBP",
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "¥": "JPY",
    "yen": "JPY",
    "yuan": "CNY",
    "rmb": "CNY",
    "a$": "AUD",
    "c$": "CAD",
    "rupees": "INR",
}
_NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "hundred": 100,
    "dozen": 12,
}
# qualifier -> kind of interval it turns a value into
_QUALIFIERS = {
    "more than": "above",
    "over": "above",
    "above": "above",
    "at least": "above",
    "upwards of": "above",
    "in excess of": "above",
    "less than": "below",
    "fewer than": "below",
    "under": "below",
    "below": "below",
    "at most": "below",
    "up to": "below",
    "as many as": "below",
    "as much as": "below",
    "nearly": "about",
    "almost": "about",
    "about": "about",
    "around": "about",
    "roughly": "about",
    "approximately": "about",
    "some": "about",
    "close to": "about",
    "an estimated": "about",
    "estimated": "about",
    "approx": "about",
}
_QUAL_RE = "|".join(sorted((re.escape(q) for q in _QUALIFIERS), key=len, reverse=True))
_NUM_RE = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
# "one" and "a" count only before a scale word ("one million", "a billion")
_WORDNUM_RE = "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + (
    r"|(?:one|a)(?=\s+(?:hundred|thousand|million|billion|trillion)\b)"
)
_QUANTITY = re.compile(
    rf"(?:\b(?P<qual>{_QUAL_RE})\s+)?"
    r"(?P<cur>US\$|A\$|C\$|[$€£¥]|\b(?:USD|EUR|GBP)\s?)?"
    rf"(?:(?P<num>(?<![\w.,-])(?:{_NUM_RE}))|\b(?P<word>{_WORDNUM_RE})\b)"
    r"(?:\s?(?P<scale>trillion|billions?|millions?|thousand|bn|tn|mn|mln|[kmbt])\b)?"
    r"(?:\s?(?P<pct>%|percent\b|per cent\b|percentage points?\b|pct\b))?"
    r"(?:\s(?P<curword>dollars|euros|pounds|yen|yuan|rupees)\b)?",
    re.IGNORECASE,
)
_NEXT_WORDS = re.compile(r"\s*(?:of\s+)?([^\W\d_][\w'-]*)(?:\s+([^\W\d_][\w'-]*))?", re.UNICODE)
_UNIT_SKIP = frozenset({"new", "more", "additional", "other", "of", "the", "a", "an", "percent", "per", "cent"})


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number as claimed: its value, the interval a qualifier allows, and what it counts.

    ``kind`` is "amount" (money), "percent", or "number" (a count; ``unit`` is the stem of
    the noun it counts, such as "job"). ``low``/``high`` widen the value for "over 14%",
    "nearly 400" or a rounded figure, so compatible claims are not called conflicts.
    """

    kind: str
    value: float
    low: float
    high: float
    unit: str | None
    text: str
    start: int
    end: int


_WEEKDAYS = frozenset("Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split())
_NAME_BREAKERS = frozenset("in of on by at to from for and or with than about around over under".split())


def _follows_name(text: str, start: int) -> bool:
    """True when a bare number is part of a name ("Windows 11", "Falcon 9 Heavy", "F-35", "iPad 10")."""
    m = re.search(r"([^\W\d_][\w.]*)([ -])$", text[max(0, start - 40) : start])
    if not m:
        return False
    word, sep = m.group(1), m.group(2)
    if sep == "-":
        return True
    lower = word.lower()
    if word.rstrip(".") in _MONTH_NAMES or word in _WEEKDAYS or lower in _NAME_BREAKERS or lower in _QUALIFIERS:
        return False
    if not any(ch.isupper() for ch in word):
        return False
    head = text[: start - len(m.group())].rstrip()
    sentence_start = not head or head[-1] in ".!?:\"'(\n"
    if not sentence_start or word.isupper() or not word[:1].isupper():
        return True
    # a capitalised first word: a name only if the number ends the phrase ("Apollo 13, ...")
    # or another capitalised word follows ("Falcon 9 Heavy")
    tail = re.match(r"\d+\s*(\S)?", text[start:])
    follower = tail.group(1) if tail else None
    return follower is None or not follower.isalnum() or follower.isupper()


# Nouns that count the same thing in news copy ("400 jobs" = "400 workers" = "400 positions").
_UNIT_GROUPS = (
    "job jobs employee employees worker workers staff staffer staffers position positions role roles post posts",
    "people persons individuals residents citizens",
    "year years yr yrs",
    "month months",
    "day days",
    "hour hours hr hrs",
    "minute minutes min mins",
    "user users customer customers subscriber subscribers",
)
_UNIT_KEY = {word: "@" + group.split()[0] for group in _UNIT_GROUPS for word in group.split()}


def _unit_after(text: str, end: int) -> str | None:
    """What a count counts: the noun after it (one key for nouns that count the same thing)."""
    m = _NEXT_WORDS.match(text, end)
    if not m:
        return None
    for word in (m.group(1), m.group(2)):
        if word and fold(word) not in _UNIT_SKIP:
            folded = fold(word)
            return _UNIT_KEY.get(folded) or stem(folded)
    return None


def _interval(num: str | None, value: float, scale: float, rounded: bool) -> tuple[float, float]:
    """What a written figure stands for: "$2.7 billion" is 2.65-2.75 billion, "23%" is
    22.5-23.5%, a plain count such as "400" is exactly 400."""
    if num is None or not rounded:
        return value, value
    decimals = len(num.split(".", 1)[1]) if "." in num else 0
    half = 0.5 * 10 ** (-decimals) * scale
    return value - half, value + half


def extract_quantities(text: str) -> list[Quantity]:
    """Money amounts, percentages and counts in ``text`` (years, ordinals, times and name
    numbers such as "Windows 11" are excluded)."""
    out: list[Quantity] = []
    for m in _QUANTITY.finditer(text):
        num, word = m.group("num"), m.group("word")
        scale_raw = (m.group("scale") or "").lower()
        cur_raw = (m.group("cur") or "").strip().lower()
        curword = (m.group("curword") or "").lower()
        pct = m.group("pct")
        if len(scale_raw) == 1 and not cur_raw:
            scale_raw = ""  # "5 m" is metres, not millions; "$5m" is money
        marked = bool(cur_raw or scale_raw or pct or curword)
        if num is not None:
            after = text[m.end("num") : m.end("num") + 3]
            if re.match(r"(?:st|nd|rd|th)\b|:\d|/\d", after, re.IGNORECASE):
                continue
            if not marked and re.fullmatch(r"(?:1[89]|20)\d{2}", num):
                continue  # a year
            if not marked and _follows_name(text, m.start("num")):
                continue
            value = float(num.replace(",", ""))
        else:
            if word is None or not (word.islower() or word.istitle()):
                continue
            value = float(_NUMBER_WORDS.get(word.lower(), 1))
        scale = _SCALES.get(scale_raw, 1.0)
        full = value * scale
        rounded = bool(pct or scale_raw or (num is not None and "." in num))
        low, high = _interval(num, full, scale, rounded)
        qual = re.sub(r"\s+", " ", (m.group("qual") or "").lower())
        bound = _QUALIFIERS.get(qual) if qual else None
        if bound == "above":
            high = math.inf
        elif bound == "below":
            low = 0.0
        elif bound == "about":
            low, high = min(low, full * 0.85), max(high, full * 1.15)
        start = m.start("cur") if m.group("cur") else (m.start("num") if num is not None else m.start("word"))
        end = m.end()
        currency = _CURRENCIES.get(cur_raw) or _CURRENCIES.get(curword)
        unit: str | None
        if pct:
            kind, unit = "percent", "%"
        elif currency:
            kind, unit = "amount", currency
        else:
            kind, unit = "number", _unit_after(text, end)
            if unit is None and word is not None:
                continue
        out.append(Quantity(kind, full, low, high, unit, text[start:end].strip(), start, end))
    return out


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------

_MONTHS = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_MONTH_NAMES = frozenset(name.capitalize() for name in _MONTHS)
_SEASONS = {"spring": "spring", "summer": "summer", "fall": "autumn", "autumn": "autumn", "winter": "winter"}
_SEASON_MONTHS = {"spring": {3, 4, 5, 6}, "summer": {6, 7, 8, 9}, "autumn": {9, 10, 11, 12}, "winter": {12, 1, 2, 3}}
_MONTH_RE = (
    r"(?:January|February|March|April|May(?!\s+(?:be|have|not|also|well|soon|never|still|help|need)\b)"
    r"|June|July|August|September|October|November|December"
    r"|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
_YEAR_RE = r"(?:1[89]|20)\d{2}"
_DATE = re.compile(
    r"(?P<rel>\b(?:next|last|this|early|late|mid|earlier\s+this|later\s+this)[\s-]+)?"
    rf"(?:(?P<day1>\b\d{{1,2}})\s+)?(?P<month>\b{_MONTH_RE})(?![\w])"
    r"(?:\s+(?P<day2>\d{1,2})(?:st|nd|rd|th)?\b(?!\s*(?:%|percent|million|billion)))?"
    rf"(?:,?\s+(?:of\s+)?(?P<myear>{_YEAR_RE})\b)?"
    r"|(?P<srel>\b(?:next|last|this|early|late|mid)[\s-]+)?(?P<season>\b(?:spring|summer|fall|autumn|winter)\b)"
    rf"(?:\s+(?:of\s+)?(?P<syear>{_YEAR_RE})\b)?"
    rf"|(?<![$€£\d.,-])\b(?P<year>{_YEAR_RE})\b(?!\s*(?:%|percent|million|billion|bn|m\b))"
    r"|\b(?P<yrel>next|last|this)\s+year\b",
)


@dataclass(frozen=True, slots=True)
class DateRef:
    """A point in time as written: any of year, season, month, day; ``relative`` marks
    "next spring" / "last year" style references whose year depends on the publication date."""

    year: int | None
    season: str | None
    month: int | None
    day: int | None
    relative: str | None
    text: str
    start: int
    end: int

    @property
    def kind(self) -> str:
        """"year" when only a year is known, else "date"."""
        return "year" if self.month is None and self.season is None and self.day is None else "date"


def _resolve(rel: str | None, reference: date | None, *, season: str | None, month: int | None) -> int | None:
    """The year that "next spring" / "last year" / "this March" points at, given a publication date."""
    if rel is None or reference is None:
        return None
    rel = rel.split()[0].rstrip("-")
    if rel in ("early", "late", "mid", "earlier", "later", "this"):
        return reference.year
    if season is None and month is None:  # "next year" / "last year"
        return reference.year + (1 if rel == "next" else -1)
    target = month or min(_SEASON_MONTHS[season or "spring"])
    if rel == "next":
        return reference.year + (1 if target <= reference.month else 0)
    if rel == "last":
        return reference.year - (1 if target >= reference.month else 0)
    return reference.year


def extract_dates(text: str, reference: date | None = None) -> list[DateRef]:
    """Years, months, seasons and relative years in ``text``; relative ones resolved against
    ``reference`` (the article's publication date) when it is known."""
    out: list[DateRef] = []
    for m in _DATE.finditer(text):
        if m.group("month"):
            name = fold(m.group("month")).rstrip(".")
            month = _MONTHS[name]
            day_raw = m.group("day1") or m.group("day2")
            day = int(day_raw) if day_raw and 1 <= int(day_raw) <= 31 else None
            year = int(m.group("myear")) if m.group("myear") else None
            rel = fold(m.group("rel")).strip() if m.group("rel") else None
            if year is None and rel:
                year = _resolve(rel, reference, season=None, month=month)
            start = m.start("rel") if rel else (m.start("day1") if m.group("day1") else m.start("month"))
            out.append(DateRef(year, None, month, day, rel, text[start : m.end()], start, m.end()))
        elif m.group("season"):
            season = _SEASONS[fold(m.group("season"))]
            year = int(m.group("syear")) if m.group("syear") else None
            rel = fold(m.group("srel")).strip() if m.group("srel") else None
            if year is None and rel:
                year = _resolve(rel, reference, season=season, month=None)
            start = m.start("srel") if rel else m.start("season")
            out.append(DateRef(year, season, None, None, rel, text[start : m.end()], start, m.end()))
        elif m.group("year"):
            out.append(DateRef(int(m.group("year")), None, None, None, None, m.group(), m.start(), m.end()))
        elif m.group("yrel"):
            rel = fold(m.group("yrel"))
            year = _resolve(rel, reference, season=None, month=None)
            out.append(DateRef(year, None, None, None, rel, m.group(), m.start(), m.end()))
    return out


def compare_dates(a: DateRef, b: DateRef) -> str:
    """"match" when the two references agree on every part both give (at least one),
    "conflict" when a shared part differs, "unknown" when they share no comparable part."""
    shared = 0
    if a.year is not None and b.year is not None:
        if a.year != b.year:
            return "conflict"
        shared += 1
    if a.month is not None and b.month is not None:
        if a.month != b.month:
            return "conflict"
        shared += 1
        if a.day is not None and b.day is not None:
            if a.day != b.day:
                return "conflict"
            shared += 1
    if a.season is not None and b.season is not None:
        if a.season != b.season:
            return "conflict"
        shared += 1
    for s, m in ((a.season, b.month), (b.season, a.month)):
        if s is not None and m is not None:
            if m not in _SEASON_MONTHS[s]:
                return "conflict"
            shared += 1
    if shared == 0:
        return "unknown"
    # a year-only reference does not settle a month or season claim ("2025" vs "November 2025")
    # but it does agree with it; a relative reference without a year agrees on its season/month
    return "match"


# --------------------------------------------------------------------------------------------
# Cue words: negation, hedges, refutation, polarity (antonyms)
# --------------------------------------------------------------------------------------------

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
HEDGES = frozenset(
    "may might could possibly perhaps probably likely unlikely reportedly allegedly rumored rumoured "
    "purportedly apparently supposedly expected considering mulling weighing potential potentially "
    "speculated suggest suggests suggested".split()
)
STRONG_MODALS = frozenset("will definitely certainly confirmed officially shall".split())
REFUTATION = frozenset(
    "deny denies denied denial denying false falsely hoax hoaxes debunk debunked debunks fake faked "
    "untrue refute refutes refuted fabricated baseless bogus photoshopped doctored satire satirical "
    "staged dismiss dismisses dismissed disputes disputed rubbished retract retracts retracted".split()
)
# Words that attribute a claim to someone else or leave it open: a passage using them reports
# the claim rather than asserting it.
ATTRIBUTION = frozenset(
    "reportedly allegedly alleged rumor rumors rumour rumours rumored rumoured purportedly supposedly "
    "unconfirmed unverified claims claimed claiming speculation speculated may might could possibly "
    "perhaps apparently".split()
)
_ATTRIBUTION_PHRASES = re.compile(
    r"\b(?:(?:reports?|rumou?rs?|claims?|speculation|allegations?)\s+(?:that|of|from|suggest|say)"
    r"|(?:it\s+(?:was|is|has\s+been)\s+reported)|according\s+to\s+(?:reports|rumou?rs|unconfirmed)"
    r"|(?:is|are|was|were)\s+said\s+to)\b",
    re.IGNORECASE,
)


def attributes_claim(text: str) -> bool:
    """True when ``text`` reports a claim as someone else's ("reports that", "it was reported",
    "is said to") rather than asserting it; single words are in ``ATTRIBUTION``."""
    return _ATTRIBUTION_PHRASES.search(text) is not None


_REFUTATION_PHRASES = re.compile(
    r"\b(?:not\s+true|no\s+evidence|no\s+truth|did\s+not\s+happen|never\s+happened|shoots?\s+down"
    r"|shot\s+down)\b",
    re.IGNORECASE,
)
# Opposite poles of properties that news reports flip. Each class lists folded surface forms.
POLES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "openness": (
        frozenset("open open-source opensource open-sourced open-weight open-weights".split()),
        frozenset("closed close closed-source closed-sourced proprietary".split()),
    ),
    "direction": (
        frozenset("rose rise rises rising risen increase increased increases gained gain gains jumped jump "
                  "jumps surged surge surges climbed climb climbs soared soar soars".split()),
        frozenset("fell fall falls falling fallen declined decline declines decreased decrease decreases "
                  "dropped drop drops slumped slump plunged plunge plunges tumbled tumble sank sink".split()),
    ),
    "confirmation": (
        frozenset("confirm confirms confirmed confirming".split()),
        frozenset("deny denies denied denying".split()),
    ),
    "approval": (
        frozenset("approve approves approved approving accept accepts accepted".split()),
        frozenset("reject rejects rejected rejecting refuse refuses refused veto vetoed".split()),
    ),
    "outcome": (frozenset("win wins won winning".split()), frozenset("lose loses lost losing".split())),
    "life": (frozenset("alive survived survives".split()), frozenset("dead died dies killed".split())),
    "membership": (
        frozenset("join joins joined joining".split()),
        frozenset(
            "quit quits leave leaves left leaving departed depart departs exit exits exited exiting resign "
            "resigns resigned".split()
        ),
    ),
    "legality": (frozenset("legal lawful".split()), frozenset("illegal unlawful".split())),
    "guilt": (frozenset("guilty convicted".split()), frozenset("innocent acquitted".split())),
    "hiring": (frozenset("hire hires hired hiring".split()), frozenset("fire fires fired firing".split())),
}
_POLE_OF: dict[str, tuple[str, int]] = {
    word: (name, sign) for name, (pos, neg) in POLES.items() for sign, group in ((1, pos), (-1, neg)) for word in group
}


@dataclass(frozen=True, slots=True)
class Cue:
    """A cue word or phrase with its offsets; ``scope_end`` bounds what a negation covers."""

    text: str
    start: int
    end: int
    scope_end: int = -1


def pole(norm: str) -> tuple[str, int] | None:
    """The (property, +1/-1) a folded word asserts, e.g. "closed-source" -> ("openness", -1)."""
    return _POLE_OF.get(norm)


def clause_bounds(text: str, pos: int) -> tuple[int, int]:
    """The clause around ``pos``: delimited by punctuation, dashes and contrast words."""
    start = 0
    for before in _CLAUSE_END.finditer(text, 0, pos):
        start = before.end()
    after = _CLAUSE_END.search(text, pos)
    return start, (after.start() if after else len(text))


def extract_negations(text: str) -> list[Cue]:
    """Negation cues with their scope (to the end of the clause); "not only", "not just",
    "no doubt" and "won't just" are not negations."""
    out: list[Cue] = []
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
        out.append(Cue(text[start : m.end()], start, m.end(), scope_end))
    return out


def extract_refutations(text: str, tokens: list[Token] | None = None) -> list[Cue]:
    """Words that call a claim false ("denied", "hoax", "debunked", "not true")."""
    out = [Cue(t.text, t.start, t.end) for t in (tokenize(text) if tokens is None else tokens) if t.norm in REFUTATION]
    out.extend(Cue(m.group(), m.start(), m.end()) for m in _REFUTATION_PHRASES.finditer(text))
    return sorted(out, key=lambda c: c.start)


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything checkable in one sentence, with offsets into it."""

    text: str
    tokens: tuple[Token, ...]
    quantities: tuple[Quantity, ...]
    dates: tuple[DateRef, ...]
    negations: tuple[Cue, ...]
    refutations: tuple[Cue, ...]


def extract_facts(text: str, reference: date | None = None, tokens: list[Token] | None = None) -> Facts:
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
        tokens = tokenize(text)
    return Facts(
        text,
        tuple(tokens),
        tuple(quantities),
        tuple(dates),
        tuple(extract_negations(text)),
        tuple(extract_refutations(text, tokens)),
    )


def compare_quantities(a: Quantity, b: Quantity) -> str:
    """"match" (same figure, allowing for rounding both ways), "compatible" (the intervals
    overlap: "over 20%" vs "23%", "$2 billion" vs "$2.4 billion"), "conflict" (same kind
    and unit, different figure) or "incomparable" (different kinds, currencies or counted things)."""
    if a.kind != b.kind or (a.kind != "percent" and a.unit != b.unit):
        return "incomparable"
    if math.isclose(a.value, b.value, rel_tol=1e-9):
        return "match"
    if a.low <= b.value <= a.high and b.low <= a.value <= b.high:
        return "match"
    if a.low <= b.high and b.low <= a.high:
        return "compatible"
    return "conflict"
