"""Dates in a sentence: years, months, days, seasons and relative references ("next spring").

A relative reference is resolved against the article's publication date when it is known, so
"autumn 2031" agrees with "next autumn" in an article from 2030; ``compare_dates`` says whether
two references agree on every part both give, which is what the stance judge needs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from service.core.text.lexicon import MONTH_NUMBERS
from service.core.text.normalize import fold

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
# Every relative reference of ``_DATE`` (its groups ``rel``, ``srel``, ``yrel``) holds one of these
# (as case-sensitive as ``_DATE``): a text without any has no relative date.
_RELATIVE_WORD = re.compile(r"next|last|this|early|late|mid")


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
            month = MONTH_NUMBERS[name]
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


@lru_cache(maxsize=1 << 13)
def has_relative_date(text: str) -> bool:
    """Whether ``text`` has a relative date ("next spring", "last year", "this March"): the only
    part of what ``extract_dates`` reads that depends on the publication date (every other field,
    and every span, is the same whatever the reference). Cached per text: a check asks it for
    every candidate passage, most of which hold none of the words a relative date starts with."""
    if _RELATIVE_WORD.search(text) is None:
        return False
    return any(d.relative is not None for d in extract_dates(text))


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
