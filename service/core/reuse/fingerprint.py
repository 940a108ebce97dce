"""Compact text fingerprints for finding reuse between documents without comparing every pair.

A document is reduced to three things, all computed from its folded word tokens (as
``service.core.text.tokens.reuse_tokens`` reads them: figures stay whole, "6,000" is "6000"):

* **shingle hashes** -- stable 64-bit hashes of every word 5-gram of each passage. They find
  verbatim and near-verbatim reuse (a copied sentence shares almost all of its 5-grams).
* **winnowed fingerprints** -- the minimum hash of every window of ``WINDOW`` consecutive
  shingles (Schleimer, Wilkerson & Aiken's winnowing). Any shared run of at least
  ``SHINGLE + WINDOW - 1`` words shares one fingerprint, so these few hashes are what gets
  indexed for candidate search.
* **anchor terms** -- numbers, capitalised names and longer content words. A paraphrase reorders
  and rewords sentences but keeps the rare names and figures, so anchors are the second
  candidate channel and the basis of passage-level paraphrase matching.

Hashing is written here (not taken from a library) because the hashes are stored in the
database: they must be identical across processes and Python versions, which ``hash()`` is not,
and they must be fast to compute for thousands of documents, hence numpy over cached word hashes.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from hashlib import blake2b
from itertools import compress, islice
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz

from service.core.text.lexicon import CALENDAR_WORDS, GENERIC_NAME_WORDS, REUSE_STOPWORDS
from service.core.text.tokens import REUSE_WORD_SPLIT, is_number, reuse_norm

SHINGLE = 5
WINDOW = 5
_MASK = (1 << 64) - 1

# Word-position multipliers (odd 64-bit constants); a shingle hash depends on word order.
_MULT = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD],
    dtype=np.uint64,
)

_word_cache: dict[str, int] = {}
_WORD_CACHE_MAX = 500_000


def word_hash(word: str) -> int:
    """Stable unsigned 64-bit hash of a folded word (cached: vocabularies are small)."""
    h = _word_cache.get(word)
    if h is None:
        if len(_word_cache) >= _WORD_CACHE_MAX:
            _word_cache.clear()
        h = int.from_bytes(blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")
        _word_cache[word] = h
    return h


def to_signed(values: np.ndarray) -> np.ndarray:
    """View unsigned 64-bit hashes as signed, the type SQL ``BIGINT`` columns hold."""
    return values.astype(np.uint64).view(np.int64)


def signed64(value: int) -> int:
    """One unsigned 64-bit hash as a signed integer."""
    value &= _MASK
    return value - (1 << 64) if value >= 1 << 63 else value


class _Word(NamedTuple):
    """Everything passage features need to know about one spelling of a word.

    Computed once per distinct raw token and cached, because the same few thousand spellings
    make up almost every document and the per-token work would otherwise dominate.
    """

    norm: str
    capitalised: bool
    number: bool
    content: bool  # a content word: longer than two letters and not a stopword
    name: bool  # a name anchor when not sentence-initial: capitalised, no figure, not a stopword
    unit: str | None  # the fact unit of a figure (digits only)
    entity: str | None  # the word an entity run continues with, if this token can be part of one
    possessive: bool  # ends in "'s", which closes an entity run
    hash: int  # word_hash(norm)


_words: dict[str, _Word] = {}
_WORDS_MAX = 200_000


def _word(raw: str) -> _Word:
    """The cached :class:`_Word` of a raw token (a ``REUSE_WORD`` match)."""
    info = _words.get(raw)
    if info is None:
        norm = reuse_norm(raw)
        number = is_number(norm)
        capitalised = raw[:1].isupper()
        stop = norm in REUSE_STOPWORDS
        word = norm.removesuffix("'s")
        entity = capitalised and word not in REUSE_STOPWORDS and word not in CALENDAR_WORDS
        info = _Word(
            norm=norm,
            capitalised=capitalised,
            number=number,
            content=len(norm) > 2 and not stop,
            name=capitalised and not number and not stop,
            unit=(norm.replace(".", "").lstrip("0") or "0") if number else None,
            entity=word if entity else None,
            possessive=norm.endswith("'s"),
            hash=word_hash(norm),
        )
        if len(_words) >= _WORDS_MAX:
            _words.clear()
        _words[raw] = info
    return info


def _split(text: str, start: int, end: int) -> tuple[list[_Word], list[str]]:
    """Words of ``text[start:end]`` (as ``reuse_tokens`` finds them) and the text around them.

    ``gaps[i]`` is the text just before word ``i``. One ``re.split`` of the passage yields both,
    without a match object per word.
    """
    parts = REUSE_WORD_SPLIT.split(text[max(start, 0) : max(end, 0)])
    return [_words.get(raw) or _word(raw) for raw in islice(parts, 1, None, 2)], parts[0::2]


def shingle_hashes(words: list[str], k: int = SHINGLE) -> np.ndarray:
    """Unsigned 64-bit hashes of the word k-grams of ``words`` (one per position).

    A sequence shorter than ``k`` but of at least 3 words yields one hash of the whole
    sequence, so short sentences (headlines, captions) can still be matched.
    """
    n = len(words)
    return _shingles(np.fromiter((word_hash(w) for w in words), dtype=np.uint64, count=n), k)


def _shingles(wh: np.ndarray, k: int = SHINGLE) -> np.ndarray:
    """:func:`shingle_hashes` of the words whose hashes are ``wh``."""
    n = len(wh)
    if n < k:
        if n < 3:
            return np.zeros(0, dtype=np.uint64)
        k = n
    count = n - k + 1
    acc = np.zeros(count, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            acc ^= wh[j : j + count] * _MULT[j % len(_MULT)]
        acc ^= acc >> np.uint64(31)
        acc *= np.uint64(0xBF58476D1CE4E5B9)
        acc ^= acc >> np.uint64(29)
    return acc


def winnow(hashes: np.ndarray, window: int = WINDOW) -> np.ndarray:
    """Distinct fingerprints chosen by winnowing (the minimum of each window of hashes)."""
    if hashes.size == 0:
        return hashes
    if hashes.size <= window:
        return np.unique(hashes[[int(np.argmin(hashes))]])
    count = hashes.size - window + 1
    mins = hashes[:count].copy()
    for j in range(1, window):
        np.minimum(mins, hashes[j : j + count], out=mins)
    return np.unique(mins)


@dataclass(slots=True, weakref_slot=True)
class PassageFeatures:
    """Everything alignment needs to know about one passage.

    Everything but ``seq``, ``start`` and ``end`` depends on the passage's text alone, and a
    syndicated story repeats its sentences across dozens of documents: those parts are shared
    between documents holding the same sentence (:func:`_passages`), so must never be mutated.
    """

    seq: int
    start: int
    end: int
    words: list[str]
    shingles: frozenset[int]
    content: frozenset[str]
    anchors: frozenset[str]
    numbers: tuple[str, ...]
    names: tuple[str, ...]
    units: frozenset[str] = frozenset()
    # Mostly a direct quotation: every report of an event may carry the same quoted words.
    quoted: bool = False
    # A line without a sentence's closing mark: a headline (or subhead). Two reports of one event
    # state it in the same few words, so a shared headline is evidence only beside copied text.
    headline: bool = False

    @property
    def size(self) -> int:
        """Length in words (the unit of coverage)."""
        return len(self.words)


@dataclass(slots=True)
class DocumentFeatures:
    """Fingerprints of one document, computed once and reused for every comparison."""

    passages: list[PassageFeatures]
    fingerprints: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    anchors: frozenset[str] = frozenset()
    _words: int = field(default=-1, init=False, repr=False, compare=False)

    @property
    def words(self) -> int:
        """Total length in words (counted once: every comparison of the document asks)."""
        if self._words < 0:
            self._words = sum(len(p.words) for p in self.passages)
        return self._words


def passage_features(text: str, seq: int, start: int, end: int) -> PassageFeatures:
    """Tokens, shingles, content words and anchors of ``text[start:end]``."""
    return _passages(text, [(start, end)], seq)[0][0]


def _passages(
    text: str, spans: Sequence[tuple[int, int]], first_seq: int = 0
) -> tuple[list[PassageFeatures], np.ndarray]:
    """Features of the passages ``text[start:end]``, numbered from ``first_seq``, and the shingles
    of all their words in a row (the document's stream, which winnowing picks fingerprints from).

    Every passage of five or more words takes its shingles from a slice of the stream shingles:
    a k-gram lying inside one passage hashes the same wherever it is computed, and hashing the
    whole stream at once saves a dozen numpy calls per passage. A passage whose text another
    live document already holds takes that document's features (``_SHARED``).
    """
    split = [_split(text, start, end) for start, end in spans]
    hashes = np.fromiter((w.hash for words, _ in split for w in words), dtype=np.uint64)
    stream = _shingles(hashes)
    signed: list[int] | None = None
    passages = []
    offset = 0
    for i, ((start, end), (words, gaps)) in enumerate(zip(spans, split, strict=True)):
        n = len(words)
        seq = first_seq + i
        key = hash(text[start:end])
        proto = _SHARED.get(key)
        if proto is not None and len(proto.words) == n and all(
            w.norm == v for w, v in zip(words, proto.words, strict=True)
        ):
            passages.append(_placed(proto, seq, start, end, is_headline(text, start, end)))
            offset += n
            continue
        if n >= SHINGLE:
            if signed is None:
                signed = to_signed(stream).tolist()
            shingles = frozenset(signed[offset : offset + n - SHINGLE + 1])
        else:
            shingles = frozenset(to_signed(_shingles(hashes[offset : offset + n])).tolist())
        offset += n
        passage = _passage(seq, start, end, words, gaps, shingles)
        passage.quoted = is_quotation(text, start, end)
        passage.headline = is_headline(text, start, end)
        passages.append(passage)
        with _SHARED_LOCK:
            _SHARED[key] = passage
    return passages, stream


def share_passages(features: DocumentFeatures, text: str) -> None:
    """Make ``features`` (computed in another process, unpickled here) hold the passages this
    process already holds for the same sentences, and offer its own to later documents: what
    :func:`_passages` does for features computed here."""
    for i, p in enumerate(features.passages):
        key = hash(text[p.start : p.end])
        proto = _SHARED.get(key)
        if proto is None:
            with _SHARED_LOCK:
                _SHARED[key] = p
        elif proto is not p and proto.words == p.words and proto.quoted == p.quoted:
            features.passages[i] = _placed(proto, p.seq, p.start, p.end, p.headline)


def _placed(proto: PassageFeatures, seq: int, start: int, end: int, headline: bool) -> PassageFeatures:
    """``proto``'s text-only features (shared, never copied) at another document's position.
    Whether the passage is a headline depends on the lines around it, so it is the document's own."""
    return PassageFeatures(
        seq=seq, start=start, end=end, words=proto.words, shingles=proto.shingles, content=proto.content,
        anchors=proto.anchors, numbers=proto.numbers, names=proto.names, units=proto.units,
        quoted=proto.quoted, headline=headline,
    )


# Passages by the hash of their text, while some document's features hold them: a copy of a
# story shares its source's per-passage sets (about two thirds of a document's feature memory)
# instead of building equal ones, so the feature cache of a worker holds each distinct sentence
# once. Weak values: an entry goes when the last document holding that passage is dropped. A hit
# is confirmed on the word sequence (a hash collision between different sentences is not taken).
_SHARED: weakref.WeakValueDictionary[int, PassageFeatures] = weakref.WeakValueDictionary()
_SHARED_LOCK = threading.Lock()


_QUOTED = re.compile(r'"[^"\n]{8,}"|\u201c[^\u201d\n]{8,}\u201d|\u00ab[^\u00bb\n]{8,}\u00bb')
# A passage whose letters are at least this much inside quotation marks is a quotation.
QUOTATION_SHARE = 0.6


def is_quotation(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is mostly a direct quotation (its words inside quotation marks)."""
    span = text[start:end]
    if '"' not in span and "\u201c" not in span and "\u00ab" not in span:
        return False
    inside = sum(len(m.group()) for m in _QUOTED.finditer(span))
    return inside >= QUOTATION_SHARE * len(span)


# A headline is a line of its own, at most this many words, not closed like a sentence.
HEADLINE_WORDS = 25
_SENTENCE_END = tuple(".!?;:\u2026\"'\u201d\u2019)\u00bb")


def is_headline(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a headline: a whole line of a few words (three to
    ``HEADLINE_WORDS``) that does not end like a sentence (no full stop, question mark, closing
    quotation mark...). Headlines, subheads and labels are written so; narrative sentences are not."""
    span = text[start:end].rstrip()
    if not span or span.endswith(_SENTENCE_END):
        return False
    i = start - 1
    while i >= 0 and text[i] in " \t":
        i -= 1
    j = end
    while j < len(text) and text[j] in " \t":
        j += 1
    line_start = i < 0 or text[i] == "\n"
    line_end = j >= len(text) or text[j] == "\n"
    return line_start and line_end and 3 <= len(span.split()) <= HEADLINE_WORDS


def _passage(
    seq: int, start: int, end: int, words: list[_Word], gaps: list[str], shingles: frozenset[int]
) -> PassageFeatures:
    """Content words, figures, names, anchors and fact units of one passage's words."""
    if not words:
        return PassageFeatures(seq=seq, start=start, end=end, words=[], shingles=shingles, content=frozenset(),
                               anchors=frozenset(), numbers=(), names=(), units=frozenset())
    norms, _, number, content_word, name, *_ = zip(*words, strict=True)
    content = frozenset(compress(norms, content_word))
    numbers = tuple(compress(norms, number))
    names = tuple(compress(islice(norms, 1, None), islice(name, 1, None)))
    anchors = frozenset(numbers) | frozenset(names) | frozenset(w for w in content if len(w) >= 8)
    return PassageFeatures(
        units=_units(words, gaps),
        seq=seq,
        start=start,
        end=end,
        words=list(norms),
        shingles=shingles,
        content=content,
        anchors=anchors,
        numbers=numbers,
        names=names,
    )


def _units(words: list[_Word], gaps: list[str]) -> frozenset[str]:
    """The facts a sentence names: figures (digits only) and runs of capitalised words (entities).

    Two sentences about the same thing share at least two of these; two sentences that merely
    follow the same formula about the same company share one (the company). A name does not run
    across punctuation: "Separately, Mekliom Capital" names Mekliom Capital only. ``gaps[i]``
    is the text before word ``i``.
    """
    units: set[str] = set()
    run: list[str] = []
    # A capitalised first word is only a name when the name goes on ("Mekliom Capital said").
    first_starts = len(words) == 1 or (words[1].capitalised and not gaps[1].strip())
    for i, w in enumerate(words):
        if w.unit is not None:
            units.add(w.unit)
        if run and gaps[i].strip():
            units.add(" ".join(run))
            run = []
        if w.entity is not None and (i or first_starts):
            run.append(w.entity)
            if w.possessive:
                units.add(" ".join(run))
                run = []
            continue
        if run:
            units.add(" ".join(run))
            run = []
    if run:
        units.add(" ".join(run))
    return frozenset(units)


@lru_cache(maxsize=1 << 16)
def _distinctive(unit: str) -> frozenset[str]:
    return frozenset(w for w in unit.split() if w not in GENERIC_NAME_WORDS)


def same_entity(a: str, b: str) -> bool:
    """Whether two names can denote one entity: they share a distinctive word and differ in none.

    "Jensen Huang" and "Huang", or "Alexander Wang" and "Alexandr Wang" (a variant spelling),
    are one person; "Paitra Bulletin" and "Vorn Bulletin" share a word but each has a
    distinctive word of its own the other lacks, so they are two outlets of one naming pattern.
    """
    if a == b:
        return True
    wa, wb = _distinctive(a), _distinctive(b)
    if not wa & wb:
        return False
    only_a, only_b = wa - wb, wb - wa
    return not only_a or not only_b or any(fuzz.ratio(x, y) >= 75 for x in only_a for y in only_b)


def unit_in(unit: str, units: frozenset[str], words: frozenset[str]) -> bool:
    """Whether ``units`` holds ``unit`` or another name of its entity; ``words`` is
    :func:`distinctive_words` of ``units`` (two names of one entity share such a word, so
    this cheap test comes before the pairwise comparison)."""
    return unit in units or bool(_distinctive(unit) & words) and any(same_entity(unit, other) for other in units)


@lru_cache(maxsize=1 << 16)
def distinctive_words(units: frozenset[str]) -> frozenset[str]:
    """All words of ``units`` that are not generic name endings ("Group", "Inc"); cached, since a
    passage's facts are compared with those of every passage it is aligned with."""
    return frozenset().union(*map(_distinctive, units))


def shared_units(a: frozenset[str], b: frozenset[str]) -> int:
    """How many facts of ``a`` also appear in ``b`` (entities match as :func:`same_entity`)."""
    if not a or not b:
        return 0
    words = distinctive_words(b)
    return sum(1 for unit in a if unit_in(unit, b, words))


def document_features(text: str, spans: list[tuple[int, int]]) -> DocumentFeatures:
    """Features of a document whose passages are ``text[start:end]`` for each span, in order."""
    passages, stream = _passages(text, spans)
    fps = to_signed(winnow(stream))
    anchors: frozenset[str] = frozenset().union(*(p.anchors for p in passages)) if passages else frozenset()
    return DocumentFeatures(passages=passages, fingerprints=fps, anchors=anchors)


def passage_fingerprints(text: str, spans: Sequence[tuple[int, int]]) -> tuple[set[int], list[frozenset[int]]]:
    """A document's fingerprints and, per passage, those that fall inside it (``shingles &
    fingerprints`` of :func:`document_features`), computed without the rest of the features.

    What deciding boilerplate needs (``evidence.boilerplate_seqs``), at about a quarter of the
    cost of :func:`document_features`: re-judging links reads it for documents out of the
    feature cache.
    """
    split = [_split(text, start, end)[0] for start, end in spans]
    hashes = np.fromiter((w.hash for words in split for w in words), dtype=np.uint64)
    stream = _shingles(hashes)
    fps = set(to_signed(winnow(stream)).tolist())
    signed = to_signed(stream).tolist()
    inside: list[frozenset[int]] = []
    offset = 0
    for words in split:
        n = len(words)
        if n >= SHINGLE:  # as in ``_passages``: a slice of the stream's shingles
            shingles: list[int] = signed[offset : offset + n - SHINGLE + 1]
        else:
            shingles = to_signed(_shingles(hashes[offset : offset + n])).tolist()
        offset += n
        inside.append(frozenset(fps.intersection(shingles)))
    return fps, inside


def term_hash(term: str) -> int:
    """Signed 64-bit hash of an anchor term, the key of the term index."""
    return signed64(word_hash("\x00" + term))
