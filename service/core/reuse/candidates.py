"""Which stored documents a new one is compared with: candidates from the reuse index.

A new document is never compared with the whole corpus. It is compared with the documents that
share enough *rare* fingerprints (word 5-gram hashes) with it, or, for reworded copies that
share few exact 5-grams, enough rare anchor terms (names, figures, rare words). Frequencies
and holders come from callables, so the same ranking runs over the database index, over a
batch being ingested, or over plain dictionaries in a unit test.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import chain

# Fingerprints held by this many documents are boilerplate (or a story everyone republished):
# they are not searched, and passages made of them are not evidence across outlets.
FREQUENT_DF = 12
MIN_SHARED_FINGERPRINTS = 3
MIN_FINGERPRINT_MASS = 1.0
FINGERPRINT_CANDIDATES = 30
# Frequent fingerprints (a widely copied story, or boilerplate) are still searched up to this
# document frequency, for documents sharing a large part of a text with the new one.
STORY_MAX_DF = 1000
STORY_MIN_SHARED = 24
STORY_CANDIDATES = 60
# Anchor terms (names, figures, rare words) held by more documents than this are topic words.
TERM_MAX_DF = 30
MIN_SHARED_TERMS = 5
TERM_CANDIDATES = 5
# A short document (a brief: two to four sentences and its outlet's byline and footer) holds a
# dozen or two fingerprints, and its sentences may be ones many stories carry: it can share only
# two rare fingerprints with the long article it was cut from, and far fewer than
# STORY_MIN_SHARED frequent ones. A document holding one of its rare fingerprints is still a
# candidate when it holds this share of all of them (rare and frequent, below STORY_MAX_DF): most
# of the short text is inside it. At least CONTAINED_MIN_SHARED, so two sentences of stock
# phrases are not enough; only for documents that short (above, the story channel's absolute
# count is the lower bar).
CONTAINED_SHARE = 0.4
CONTAINED_MIN_SHARED = 5
CONTAINED_CANDIDATES = 10


def rank_candidates(fps: Sequence[int], terms: Sequence[int], fp_df: Callable[[int], int],
                    term_df: Callable[[int], int], fp_holders: Callable[[int], Iterable[int]],
                    term_holders: Callable[[int], Iterable[int]],
                    fp_count: Callable[[Sequence[int]], Mapping[int, int]],
                    same_outlet: Callable[[Sequence[int]], set[int]] | None = None,
                    overflow: list[int] | None = None) -> list[int]:
    """Documents sharing enough rare fingerprints or rare anchor terms with a new one.

    ``same_outlet`` picks, from story candidates, those of the new document's own outlet (they
    share its template, frequent text held by every article of the outlet: never reuse through
    this channel); they are dropped before the cut, so counting them costs nothing in results.
    ``*_df`` give document frequencies and ``*_holders`` the documents holding a value, both
    as the index stood just before the new document, and ``fp_count`` how many fingerprints
    stored documents hold (for short ones, ``containing``): the candidates are the same whether the
    index is read from the database one document at a time or a batch at once. ``overflow``, when
    given, receives the story candidates cut by ``STORY_CANDIDATES`` (best first): documents that
    share a widely copied text with the new one but were not among the best 60. They are compared
    only when the new document turns out to be the source of the one they were copied from
    (``service/provenance/on_ingest``: a source arriving after its copies).
    """
    found: dict[int, float] = {}
    shared: dict[int, int] = defaultdict(int)
    mass: dict[int, float] = defaultdict(float)
    frequent: list[int] = []
    rare: list[tuple[int, list[int]]] = []
    for h in fps:
        df = fp_df(h)
        if FREQUENT_DF <= df <= STORY_MAX_DF:
            frequent.append(h)
            continue
        if not 0 < df < FREQUENT_DF:
            continue
        share = 1.0 / df  # the same float for every holder (computed once)
        holders = fp_holders(h)
        if not isinstance(holders, list):
            holders = list(holders)
        rare.append((df, holders))
        for other in holders:
            shared[other] += 1
            mass[other] += share
    raised = story_mass(rare, shared, mass)
    # A story copied by many outlets is frequent text too, but its copies share much of it with
    # the new document, where a template shares a few sentences: compare with all of them.
    # (A share of the new document would miss a short excerpt when its long original arrives.)
    # A document holds each fingerprint once, so it shares at most len(frequent) frequent ones and
    # max(shared) rare ones: below ``need`` frequent ones it cannot reach STORY_MIN_SHARED.
    need = STORY_MIN_SHARED - max(shared.values(), default=0)
    story: Counter[int] = Counter()
    ranked: list[int] = []
    if frequent and len(frequent) >= need:
        story = story_counts(frequent, shared, fp_df, fp_holders)
        ranked = sorted((o for o, n in story.items() if n >= need and n + shared.get(o, 0) >= STORY_MIN_SHARED),
                        key=lambda o: (-(story[o] + shared.get(o, 0)), o))
    if same_outlet is not None and ranked:
        # Articles of the new document's own outlet share its template, which is frequent text
        # too: through this channel they are never reuse, and comparing with them costs.
        own = same_outlet(ranked)
        ranked = [o for o in ranked if o not in own]
    for other in ranked[:STORY_CANDIDATES]:
        found[other] = 2000.0 + story[other]
    if overflow is not None:
        overflow.extend(ranked[STORY_CANDIDATES:])
    held = held_counts(frequent, shared, story, fp_holders)
    for other in chain(contained(len(fps), held), containing(held, fp_count)):
        found.setdefault(other, 1500.0)
    # Stock phrases are shared by many documents; real reuse shares many rare fingerprints.
    ranked = sorted((o for o in shared if shared[o] >= MIN_SHARED_FINGERPRINTS
                     and (mass[o] >= MIN_FINGERPRINT_MASS or o in raised)), key=lambda o: (-mass[o], o))
    for other in ranked[:FINGERPRINT_CANDIDATES]:
        found.setdefault(other, 1000.0 + mass[other])
    weight: dict[int, float] = defaultdict(float)
    counts: dict[int, int] = defaultdict(int)
    for t in terms:
        df = term_df(t)
        if df > TERM_MAX_DF:
            continue
        share = 1.0 / math.log(2.0 + max(df, 1))
        for other in term_holders(t):
            counts[other] += 1
            weight[other] += share
    ranked = sorted((o for o in counts if counts[o] >= MIN_SHARED_TERMS), key=lambda o: (-weight[o], o))
    for other in ranked[:TERM_CANDIDATES]:
        found.setdefault(other, weight[other])
    return sorted(found)


def story_mass(rare: Sequence[tuple[int, list[int]]], shared: Mapping[int, int],
               mass: Mapping[int, float]) -> set[int]:
    """Documents below the rare-fingerprint bar that reach it once the new document's close
    copies are left out of each fingerprint's df (``rare``: (df, holders) of each rare one).

    A rare fingerprint weighs 1/df so that a stock phrase held by several unrelated documents
    counts little. Its df also counts the new document's own copies, though: a source that
    arrives after ten copies of it finds each of its sentences held by several of them, and a
    copy that took a few sentences (a heavy rewrite) falls below ``MIN_FINGERPRINT_MASS`` --
    while the same copy arriving after the source, when fewer copies were stored, was compared
    with it. Which pairs were compared then depended on arrival order (the real-reuse corpus,
    sources stored after their answers and no dates: 8 source-answer pairs never compared,
    three of five sources made children of an answer). Holders that already share the new
    document's text strongly (``MIN_SHARED_FINGERPRINTS`` and ``MIN_FINGERPRINT_MASS``) are
    its story, not a sign that the text is common; leaving them out of the df counts what a
    stock phrase is (held by documents that share nothing else with the new one) and reads a
    story's text as the story's, whichever copy came first. Documents that reach the bar only
    this way rank after every document that reaches it on plain df (their mass is below the bar).
    """
    strong = {o for o, n in shared.items() if n >= MIN_SHARED_FINGERPRINTS and mass[o] >= MIN_FINGERPRINT_MASS}
    if not strong:
        return set()
    weak = {o for o, n in shared.items() if n >= MIN_SHARED_FINGERPRINTS and o not in strong}
    if not weak:
        return set()
    raised: dict[int, float] = defaultdict(float)
    for df, holders in rare:
        listed = [o for o in holders if o in weak]
        if not listed:
            continue
        share = 1.0 / max(1, df - sum(1 for o in holders if o in strong))
        for o in listed:
            raised[o] += share
    return {o for o, m in raised.items() if m >= MIN_FINGERPRINT_MASS}


def story_counts(frequent: Sequence[int], shared: Mapping[int, int], fp_df: Callable[[int], int],
                 fp_holders: Callable[[int], Iterable[int]]) -> Counter[int]:
    """How many of the ``frequent`` fingerprints each document holds, for every document that can
    be a story candidate (``STORY_MIN_SHARED`` of them with its ``shared`` rare ones); others
    may be missing.

    Counting every holder of every frequent fingerprint grows with the corpus (a stock sentence
    or a much-copied story is held by hundreds of documents: 9,000 holders per new document at
    10,000 documents, generated corpus). A document holding ``STORY_MIN_SHARED`` of them and no
    rare one must be among the holders of the fingerprints left once the ``STORY_MIN_SHARED - 1``
    most held are set aside (pigeonhole: it cannot find them all among those). So only the
    holders of the rarer ones are counted (about 630 instead of 9,000), and the most held are
    only searched for those documents and the ones sharing rare fingerprints (one C set
    intersection each): the same counts for every document that can qualify, and a few hundred
    documents to filter in Python instead of thousands. (Holder sets kept per batch were no
    faster: the most held lists are about as long as that pool, and they cost memory.)
    """
    keep = len(frequent) - (STORY_MIN_SHARED - 1)
    by_df = sorted(frequent, key=fp_df) if keep > 0 else []
    story: Counter[int] = Counter(chain.from_iterable(fp_holders(h) for h in by_df[:keep]))
    pool = story.keys() | shared.keys()
    for h in (by_df[keep:] if keep > 0 else frequent):
        story.update(pool.intersection(fp_holders(h)))
    return story


def contained_need(indexed: int) -> int | None:
    """How many of a document's ``indexed`` fingerprints another must share with it for the
    contained-share channel (``CONTAINED_SHARE`` of them, ``CONTAINED_MIN_SHARED`` at least), or
    None when the document is not short (that bar would not be below ``STORY_MIN_SHARED``)."""
    need = max(CONTAINED_MIN_SHARED, math.ceil(CONTAINED_SHARE * indexed))
    return need if need < STORY_MIN_SHARED else None


def held_counts(frequent: Sequence[int], shared: Mapping[int, int], story: Mapping[int, int],
                fp_holders: Callable[[int], Iterable[int]]) -> Counter[int]:
    """How many of a new document's fingerprints (rare and frequent) each document holding one of
    its rare ones holds (``shared``: rare ones held; ``story``: frequent ones, when counted --
    ``story_counts`` counts every document of ``shared`` in full).

    Only the holders of a rare fingerprint are counted (a few documents: one set intersection per
    frequent fingerprint), so a brief made of stock sentences does not reach the hundreds of
    documents that carry them. Empty when none of them can hold ``CONTAINED_MIN_SHARED``.
    """
    if not shared or max(shared.values()) + len(frequent) < CONTAINED_MIN_SHARED:
        return Counter()
    held = Counter(shared)
    if story:
        held.update({o: story[o] for o in shared if o in story})
    else:
        pool = set(shared)
        for h in frequent:
            held.update(pool.intersection(fp_holders(h)))
    return held


def contained(indexed: int, held: Mapping[int, int]) -> list[int]:
    """Documents holding most of a short new document's ``indexed`` fingerprints, one rare one at
    least (``held``: ``held_counts``); the best ``CONTAINED_CANDIDATES``."""
    need = contained_need(indexed)
    if need is None:
        return []
    ranked = sorted((o for o, n in held.items() if n >= need), key=lambda o: (-held[o], o))
    return ranked[:CONTAINED_CANDIDATES]


def containing(held: Mapping[int, int], fp_count: Callable[[Sequence[int]], Mapping[int, int]]) -> list[int]:
    """Short stored documents most of whose fingerprints the new document holds, one of its rare
    ones at least: ``contained`` seen from the other side.

    The same rule with the same bar, applied to the stored document's own count of fingerprints
    (``fp_count``: ids -> counts), so a brief and the long article it was cut from become
    candidates whichever arrives first: without it, a brief stored before its source was never
    compared with it, and the stored links depended on ingest order. Only documents holding
    ``CONTAINED_MIN_SHARED`` are looked up; the best ``CONTAINED_CANDIDATES`` by the share of
    their fingerprints held.
    """
    able = sorted(o for o, n in held.items() if n >= CONTAINED_MIN_SHARED)
    if not able:
        return []
    counts = fp_count(able)
    share: dict[int, float] = {}
    for o in able:
        need = contained_need(counts[o]) if counts.get(o, 0) > 0 else None
        if need is not None and held[o] >= need:
            share[o] = held[o] / counts[o]
    ranked = sorted(share, key=lambda o: (-share[o], -held[o], o))
    return ranked[:CONTAINED_CANDIDATES]
