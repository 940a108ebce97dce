"""Quantities in a sentence: money amounts, percentages and counts, as intervals with units.

"$2.7 billion" and "2.7bn" are the same amount, "$0.27 billion" is not, "400" is not
"4,000", and "over 20%" is compatible with "23%": a figure is read with its scale, currency,
qualifier and the noun it counts, so the stance judge compares facts rather than strings.
Years, ordinals, clock times and numbers that are part of a name ("Windows 11") are left out.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from service.core.text.lexicon import MONTH_NUMBERS, NAME_BREAKERS, UNIT_GROUPS, UNIT_SKIP_WORDS, WEEKDAY_NAMES
from service.core.text.normalize import fold
from service.core.text.tokens import stem_key

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
# Ages in their usual forms: "a 45-year-old", "45 years old", "aged 45", "age 45", "Jane Doe, 45,"
_AGE_AFTER = re.compile(r"\s*-?\s*(?:years?|yrs?)[\s-]+old\b", re.IGNORECASE)
_AGE_BEFORE = re.compile(r"\b(?:aged|age|ages)\s+$", re.IGNORECASE)
_AGE_APPOSITION = re.compile(r"[A-Z][\w'-]+,\s+$")
# Shares written as fractions: "half of", "a third of", "two-thirds of", "one in five"
_FRACTIONS = {
    "half": 50.0, "a half": 50.0, "one half": 50.0, "a third": 100 / 3, "one third": 100 / 3,
    "two thirds": 200 / 3, "a quarter": 25.0, "one quarter": 25.0, "three quarters": 75.0,
    "a fifth": 20.0, "one fifth": 20.0, "a tenth": 10.0, "one tenth": 10.0,
}
_FRACTION = re.compile(
    r"\b(?P<frac>(?:a|one|two|three)[\s-]+(?:half|third|thirds|quarter|quarters|fifth|tenth)|half)\s+(?:of|the)\b"
    r"|\b(?P<one>one)\s+in\s+(?P<den>two|three|four|five|ten|\d{1,3})\b",
    re.IGNORECASE,
)
_SMALL_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "ten": 10}


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


_MONTH_NAMES = frozenset(name.capitalize() for name in MONTH_NUMBERS)


def _follows_name(text: str, start: int) -> bool:
    """True when a bare number is part of a name ("Windows 11", "Falcon 9 Heavy", "F-35", "iPad 10")."""
    m = re.search(r"([^\W\d_][\w.]*)([ -])$", text[max(0, start - 40) : start])
    if not m:
        return False
    word, sep = m.group(1), m.group(2)
    if sep == "-":
        return True
    lower = word.lower()
    if word.rstrip(".") in _MONTH_NAMES or word in WEEKDAY_NAMES or lower in NAME_BREAKERS or lower in _QUALIFIERS:
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


_UNIT_KEY = {word: "@" + group.split()[0] for group in UNIT_GROUPS for word in group.split()}


def _unit_after(text: str, end: int) -> str | None:
    """What a count counts: the noun after it (one key for nouns that count the same thing)."""
    m = _NEXT_WORDS.match(text, end)
    if not m:
        return None
    for word in (m.group(1), m.group(2)):
        if word and fold(word) not in UNIT_SKIP_WORDS:
            folded = fold(word)
            return _UNIT_KEY.get(folded) or stem_key(folded)
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
            age = _age_match(text, start, end)
            if age is not None:
                unit, end = "@age", age
            if unit is None and word is not None:
                continue
        out.append(Quantity(kind, full, low, high, unit, text[start:end].strip(), start, end))
    shares = _fractions(text, out)
    kept = [q for q in out if not any(f.start <= q.start < f.end for f in shares)]
    return sorted(kept + shares, key=lambda q: q.start)


def _age_match(text: str, start: int, end: int) -> int | None:
    """Where an age written around the figure ends ("45-year-old", "aged 45", "Jane Doe, 45,"),
    or None when the figure is no age."""
    after = _AGE_AFTER.match(text, end)
    if after:
        return after.end()
    before = text[max(0, start - 12) : start]
    if _AGE_BEFORE.search(before):
        return end
    if _AGE_APPOSITION.search(text[max(0, start - 40) : start]) and text[end : end + 1] == ",":
        return end
    return None


def _fractions(text: str, found: list[Quantity]) -> list[Quantity]:
    """Shares written as words ("half of", "a third of", "one in five") as percentages, read as
    roughly that share: "half of the staff" is "50% of the staff"."""
    out = []
    for m in _FRACTION.finditer(text):
        if any(q.start <= m.start() < q.end for q in found):
            continue
        if m.group("frac"):
            key = re.sub(r"[\s-]+", " ", m.group("frac").lower())
            value = _FRACTIONS.get(key)
            if value is None:
                continue
            span_end = m.start() + len(m.group("frac"))
        else:
            den = m.group("den").lower()
            value = 100.0 / (_SMALL_NUMBERS.get(den) or float(den))
            span_end = m.end()
        low, high = value * 0.97, value * 1.03
        out.append(Quantity("percent", value, low, high, "%", text[m.start() : span_end], m.start(), span_end))
    return out


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
