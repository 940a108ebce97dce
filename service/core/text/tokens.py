"""Every tokeniser of the core: which runs of characters are words, and what a word is keyed by.

The core reads words in four ways, each tuned with the code that uses it. They stay separate
because merging any two would change results, and two of them are baked into stored data (the
stance model's idf table is keyed by ``suffix_stem`` of ``words``; fingerprints in the database
hash ``reuse_tokens``):

* ``words``: folded words keeping inner dots, apostrophes and hyphens ("u.s", "don't"), read by
  the learned stance model and stemmed there with ``suffix_stem``;
* ``stemmed_tokens``: words with offsets, capitals and Snowball stems (``stem_key``; one key per
  country), read by fact extraction and the passage judge;
* ``reuse_tokens``: words with offsets that keep thousands separators inside figures ("6,000"),
  read by reuse fingerprints (``REUSE_WORD``, ``reuse_norm``);
* ``fts_terms``: folded runs of ASCII letters and digits, the terms of a full-text query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

from service.core.text.lexicon import PLACE_GROUPS, POLE_OF
from service.core.text.normalize import fold

# --------------------------------------------------------------------------------------------
# Folded words (the learned stance model)
# --------------------------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+(?:[.'\-][^\W_]+)*", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def words(text: str) -> list[str]:
    """Folded word tokens of ``text`` (letters and digits, keeping inner dots like ``u.s``)."""
    return _WORD.findall(fold(text))


def number_strings(text: str) -> list[str]:
    """The figures of ``text`` as written, inner dots and commas kept ("14.3", "6,000")."""
    return _NUMBER.findall(text)


@lru_cache(maxsize=1 << 17)
def suffix_stem(token: str) -> str:
    """A crude suffix-stripping stem so "arrested"/"arrests"/"arrest" match.

    Hand-written (instead of a Snowball stemmer) because only matching matters here, it must be
    microseconds per call, and the idf table in the stance model file is keyed by exactly these stems.
    """
    if token.endswith("'s"):
        token = token[:-2]
    for suffix in ("ing", "ed", "es", "ly", "s"):
        if token.endswith(suffix) and len(token) - len(suffix) >= 4:
            return token[: -len(suffix)]
    return token


# --------------------------------------------------------------------------------------------
# Stemmed tokens (facts and the passage judge)
# --------------------------------------------------------------------------------------------

# Words keep inner apostrophes and dots ("don't", "U.S.") and letter-letter hyphens
# ("open-source", "x-ray"); a hyphen after a digit splits ("2026-and" from a folded dash).
_STEMMED_TOKEN = re.compile(
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|[^\W_]+(?:(?:['.]|(?<=[^\W\d_])-(?=[^\W\d_]))[^\W_]+)*(?:(?<=\b[A-Z])\.)?",
    re.UNICODE,
)
_ALPHA_DIGIT = re.compile(r"^([^\W\d_]{2,})(\d+)$", re.UNICODE)
_COUNTRY_ABBR = {"u.s": "u.s", "u.s.": "u.s", "us": "u.s", "usa": "u.s", "u.s.a": "u.s", "u.s.a.": "u.s"}
_STEMMER = snowballstemmer.stemmer("english")
_COUNTRY_CAPS = frozenset(("US", "U.S", "U.S.", "USA", "U.S.A", "U.S.A."))  # never the pronoun "us"
_PLACE_KEY = {word: "@" + group.split()[0] for group in PLACE_GROUPS for word in group.split()}


@dataclass(frozen=True, slots=True)
class StemmedToken:
    """One word of a text: the raw slice, its folded form and stem, and where it sits."""

    text: str
    norm: str
    stem: str
    start: int
    end: int
    capital: bool


@lru_cache(maxsize=65536)
def stem_key(word: str) -> str:
    """Matching key of a folded word: its Snowball stem, or one key per country for a country
    and its demonyms (cached: the same words recur across every check)."""
    place = _PLACE_KEY.get(word)
    if place is not None:
        return place
    result: str = _STEMMER.stemWord(word)
    return result


def stemmed_tokens(text: str) -> list[StemmedToken]:
    """Word tokens of ``text`` with offsets; "Model3" becomes "model" + "3", "Acme's" stems to "acme"."""
    out: list[StemmedToken] = []
    # fold once instead of per word when folding keeps every offset (nearly always)
    whole = text.lower() if text.isascii() else fold(text)
    folded = whole if len(whole) == len(text) else None
    for m in _STEMMED_TOKEN.finditer(text):
        raw = m.group()
        start, end = m.span()
        norm = folded[start:end] if folded is not None else fold(raw)
        if norm.isalpha() and raw not in _COUNTRY_CAPS:
            # the common case: a plain word
            capital = raw[0].isupper() or (raw[1:2].isupper() and raw[0].isalpha())
            out.append(StemmedToken(raw, norm, stem_key(norm), start, end, capital))
            continue
        if norm.endswith("'s"):
            norm = norm[:-2]
        elif norm.endswith("'"):
            norm = norm[:-1]
        if raw in _COUNTRY_CAPS:
            norm = "u.s"
        norm = norm.rstrip(".") if norm not in _COUNTRY_ABBR else norm
        capital = raw[:1].isupper() or (raw[1:2].isupper() and raw[:1].isalpha())  # "iPhone", "eBay"
        if "-" in norm and norm not in POLE_OF:
            # "report-expected" (a folded dash) or "x-ray": match on the parts
            pos = m.start()
            named = any(part[:1].isupper() for part in raw.split("-"))  # "al-Baghdadi" is a name
            for part, pnorm in zip(raw.split("-"), norm.split("-"), strict=False):
                out.append(StemmedToken(part, pnorm, stem_key(pnorm), pos, pos + len(part), named))
                pos += len(part) + 1
            continue
        split = _ALPHA_DIGIT.match(norm)
        if split:
            letters, digits = split.groups()
            cut = m.start() + len(letters)
            out.append(StemmedToken(raw[: len(letters)], letters, stem_key(letters), m.start(), cut, capital))
            out.append(StemmedToken(raw[len(letters) :], digits, digits, cut, m.end(), False))
            continue
        key = stem_key(norm) if norm.isalpha() or norm in _PLACE_KEY else norm
        out.append(StemmedToken(raw, norm, key, m.start(), m.end(), capital))
    return out


# --------------------------------------------------------------------------------------------
# Reuse tokens (fingerprints and alignment)
# --------------------------------------------------------------------------------------------

# Thousands separators and decimal points stay inside numbers ("14.3", "6,000") because a
# changed figure is exactly what provenance must notice.
REUSE_WORD = re.compile(r"[^\W_]+(?:[.,'\-][^\W_]+)*", re.UNICODE)
REUSE_WORD_SPLIT = re.compile(f"({REUSE_WORD.pattern})", re.UNICODE)  # tokens and the text between them
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True, slots=True)
class ReuseToken:
    """A word of the original text: ``text[start:end]`` folds to ``norm``."""

    start: int
    end: int
    norm: str
    capitalised: bool


def is_number(term: str) -> bool:
    """True for tokens carrying a figure ("14.3", "2026", "600", "2.53")."""
    return bool(_DIGIT.search(term))


def reuse_norm(raw: str) -> str:
    """The matching form of a ``REUSE_WORD`` match: folded, a figure without thousands separators."""
    norm = raw.lower() if raw.isascii() else fold(raw)
    if is_number(norm):
        norm = norm.replace(",", "")
    return norm


def reuse_tokens(text: str, start: int = 0, end: int | None = None) -> list[ReuseToken]:
    """Word tokens of ``text[start:end]`` with offsets into ``text``, as fingerprints read them."""
    out = []
    for m in REUSE_WORD.finditer(text, start, len(text) if end is None else end):
        raw = m.group()
        out.append(ReuseToken(m.start(), m.end(), reuse_norm(raw), raw[:1].isupper()))
    return out


# --------------------------------------------------------------------------------------------
# Full-text terms (retrieval)
# --------------------------------------------------------------------------------------------

_FTS_TERM = re.compile(r"[a-z0-9]+")


def fts_terms(text: str) -> list[str]:
    """Folded runs of ASCII letters and digits of ``text``, in order: the terms of a full-text query."""
    return _FTS_TERM.findall(fold(text))
