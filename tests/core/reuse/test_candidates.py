"""Candidate ranking over plain dictionaries: rare shared fingerprints or rare shared terms."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import chain

import pytest

from service.core.reuse import candidates
from service.core.reuse.candidates import (
    FINGERPRINT_CANDIDATES,
    FREQUENT_DF,
    MIN_SHARED_FINGERPRINTS,
    MIN_SHARED_TERMS,
    TERM_MAX_DF,
    rank_candidates,
)


def _counts(fp_index: dict[int, list[int]]) -> Callable[[Sequence[int]], dict[int, int]]:
    """The documents' fingerprint counts as the index holds them."""
    held = Counter(chain.from_iterable(fp_index.values()))
    return lambda ids: {i: held[i] for i in ids if i in held}


def _rank(fp_index: dict[int, list[int]], term_index: dict[int, list[int]], fps: list[int],
          terms: list[int]) -> list[int]:
    return rank_candidates(fps, terms, lambda h: len(fp_index.get(h, [])), lambda t: len(term_index.get(t, [])),
                           lambda h: fp_index.get(h, []), lambda t: term_index.get(t, []), _counts(fp_index))


def test_a_document_sharing_enough_rare_fingerprints_is_a_candidate() -> None:
    fps = list(range(MIN_SHARED_FINGERPRINTS))
    assert _rank({h: [7] for h in fps}, {}, fps, []) == [7]


def test_too_few_shared_fingerprints_make_no_candidate() -> None:
    fps = list(range(MIN_SHARED_FINGERPRINTS - 1))
    assert _rank({h: [7] for h in fps}, {}, fps, []) == []


def test_frequent_fingerprints_are_not_searched() -> None:
    holders = list(range(100, 100 + FREQUENT_DF))
    fps = list(range(10))
    assert _rank({h: holders for h in fps}, {}, fps, []) == []


def test_rare_shared_terms_find_a_reworded_copy() -> None:
    terms = list(range(MIN_SHARED_TERMS))
    assert _rank({}, {t: [3] for t in terms}, [], terms) == [3]


def test_topic_terms_held_by_many_documents_are_ignored() -> None:
    terms = list(range(MIN_SHARED_TERMS))
    holders = list(range(TERM_MAX_DF + 1))
    assert _rank({}, {t: holders for t in terms}, [], terms) == []


def test_candidates_are_capped_and_the_closest_kept() -> None:
    index: dict[int, list[int]] = {}
    for doc in range(FINGERPRINT_CANDIDATES + 5):
        for k in range(4 if doc == 0 else 3):  # document 0 shares one fingerprint more than the rest
            index[doc * 10 + k] = [doc]
    ranked = _rank(index, {}, sorted(index), [])
    assert len(ranked) == FINGERPRINT_CANDIDATES
    assert 0 in ranked


def test_story_candidates_leave_the_new_documents_own_outlet_aside() -> None:
    # Fingerprints 1..30 are frequent: a story held by documents 100..119 (other outlets) and,
    # for 1..20, an outlet template also held by documents 200..219 of the new one's outlet,
    # which share 20 of its frequent fingerprints (no story: STORY_MIN_SHARED is 24) ...
    fp_index = {h: list(range(100, 120)) + (list(range(200, 220)) if h <= 20 else []) for h in range(1, 31)}
    own = set(range(200, 220))

    def rank(fps: list[int]) -> list[int]:
        return rank_candidates(fps, [], lambda h: len(fp_index.get(h, [])), lambda t: 0,
                               lambda h: fp_index.get(h, []), lambda t: [], _counts(fp_index),
                               lambda ids: {i for i in ids if i in own})

    assert rank(list(range(1, 31))) == list(range(100, 120))
    # ... and when the own outlet's articles share enough to rank, they are still left aside.
    for h in range(21, 31):
        fp_index[h] += sorted(own)
    assert rank(list(range(1, 31))) == list(range(100, 120))


def test_story_candidates_cut_by_the_cap_are_handed_back_best_first(monkeypatch: pytest.MonkeyPatch) -> None:
    # A story held by documents 100..109, document 100+k holding 30 - k of its 30 fingerprints
    # (each also held by a dozen documents holding nothing else: frequent); seven hold the 24 the
    # story channel needs. With a cap of 4 the best four are candidates and the other three,
    # best first, are the overflow (compared only when the new document heads their copies).
    monkeypatch.setattr(candidates, "STORY_CANDIDATES", 4)
    fp_index = {h: [100 + k for k in range(10) if h <= 30 - k] + [1000 + 100 * h + j for j in range(FREQUENT_DF)]
                for h in range(1, 31)}
    overflow: list[int] = []
    found = rank_candidates(list(range(1, 31)), [], lambda h: len(fp_index[h]), lambda t: 0,
                            lambda h: fp_index[h], lambda t: [], _counts(fp_index), None, overflow)
    assert found == [100, 101, 102, 103]
    assert overflow == [104, 105, 106]
    assert _rank(fp_index, {}, list(range(1, 31)), []) == found


def _rank_story(fp_index: dict[int, list[int]], fps: list[int], own: set[int]) -> list[int]:
    return rank_candidates(fps, [], lambda h: len(fp_index[h]), lambda t: 0, lambda h: fp_index[h],
                           lambda t: [], _counts(fp_index), lambda ids: {i for i in ids if i in own})


def test_story_counts_prune_without_changing_the_candidates(monkeypatch: pytest.MonkeyPatch) -> None:
    # Random indexes with many frequent fingerprints (stock text, a copied story held by a few
    # documents): ranking with the pruned count gives what counting every holder gives.
    # (Set aside one fingerprint more than the pigeonhole allows and this fails.)
    def every_holder(frequent: list[int], shared: object, fp_df: object,
                     fp_holders: Callable[[int], list[int]]) -> Counter[int]:
        return Counter(chain.from_iterable(fp_holders(h) for h in frequent))

    rng = random.Random(5)
    with_story = 0
    for _ in range(300):
        docs = list(range(rng.randint(30, 400)))
        fp_index = {h: rng.sample(docs, rng.choice([rng.randint(1, 11), rng.randint(12, len(docs))]))
                    for h in range(rng.randint(5, 80))}
        story_docs = rng.sample(docs, 5)  # each holds about STORY_MIN_SHARED of the most held fingerprints
        for d in story_docs:
            for h in sorted(fp_index, key=lambda h: -len(fp_index[h]))[: rng.randint(18, 30)]:
                fp_index[h] = sorted(set(fp_index[h]) | {d})
        fps = sorted(rng.sample(sorted(fp_index), rng.randint(1, len(fp_index))))
        own = set(rng.sample(docs, 10))
        pruned = _rank_story(fp_index, fps, own)
        with monkeypatch.context() as m:
            m.setattr(candidates, "story_counts", every_holder)
            assert _rank_story(fp_index, fps, own) == pruned
        with_story += bool(set(pruned) & set(story_docs))
    assert with_story > 50


def test_a_short_brief_of_stock_sentences_finds_the_article_it_was_cut_from() -> None:
    """A brief's dozen fingerprints: two rare ones (held by its source only) and stock ones held
    by many documents. Too few for either the rare or the story channel, but most of the brief is
    inside its source: a candidate. A document holding only the stock ones is not."""
    rare, stock = [1, 2], list(range(10, 14))
    others = list(range(100, 100 + FREQUENT_DF + 5))
    index = {h: [7] for h in rare + list(range(1000, 1100))} | {h: [7, *others] for h in stock}
    fps = rare + stock + [50, 51, 52, 53, 54, 55]  # the rest held by no one (own headline, byline)
    assert _rank(index, {}, fps, []) == [7]
    # Below the contained share (0.4 of the fingerprints) it is not.
    assert _rank(index, {}, fps + list(range(60, 66)), []) == []
    # Held only through stock sentences: no rare fingerprint, no candidate.
    assert _rank({h: [7, *others] for h in stock}, {}, stock + [50, 51], []) == []


def test_the_contained_channel_is_only_for_short_documents() -> None:
    """A long article sharing a few sentences' worth of fingerprints is judged by the usual bars."""
    rare, stock = [1, 2], list(range(10, 24))
    others = list(range(100, 100 + FREQUENT_DF + 5))
    index = {h: [7] for h in rare + list(range(1000, 1100))} | {h: [7, *others] for h in stock}
    fps = rare + stock + list(range(200, 240))  # 56 fingerprints: 16 shared, under 0.4
    assert _rank(index, {}, fps, []) == []
    held = candidates.held_counts(stock, {7: 2}, Counter(), lambda h: index.get(h, []))
    assert held[7] == 16
    assert candidates.contained(len(fps), held) == []
    assert candidates.contained(40, held) == [7]


def test_a_brief_stored_before_the_article_it_was_cut_from_is_its_candidate() -> None:
    """The contained-share channel both ways: whichever of a brief and its long source arrives
    second finds the other, so the stored links do not depend on ingest order. A short document
    only partly held by the new one, or a long one wholly held, is not found this way."""
    rare, stock, own = [1, 2], list(range(10, 14)), [50, 51, 52, 53, 54, 55]
    source = rare + stock + list(range(1000, 1100))
    brief = rare + stock + own
    others = {h: list(range(100, 100 + FREQUENT_DF + 5)) for h in stock}

    def stored(docs: dict[int, list[int]]) -> dict[int, list[int]]:
        index: dict[int, list[int]] = {h: list(v) for h, v in others.items()}
        for doc, fps in docs.items():
            for h in fps:
                index.setdefault(h, []).append(doc)
        return index

    assert _rank(stored({7: source}), {}, brief, []) == [7]  # source first: the brief finds it
    assert _rank(stored({8: brief}), {}, source, []) == [8]  # brief first: the source finds it
    # A short document of which the new one holds under 0.4 (6 of 18) is not a candidate ...
    assert _rank(stored({8: brief + list(range(60, 66))}), {}, source, []) == []
    # ... nor a long one the new document holds wholly (the story and rare channels judge those).
    assert _rank(stored({8: rare + stock + list(range(2000, 2060))}), {}, source, []) == []


def _source_after_its_copies(co_holders_share_more: bool) -> tuple[dict[int, list[int]], list[int]]:
    """A source of 40 fingerprints arriving after five close copies (documents 1-5, each holding
    30 of them) and a light one (document 9, holding 3 that the close copies hold too: each such
    fingerprint is held by 6 documents, mass 0.5 < 1). With ``co_holders_share_more`` False the
    co-holders of those 3 are six unrelated documents (20-25) sharing nothing else: a stock phrase."""
    fps = list(range(40))
    index: dict[int, list[int]] = {h: [] for h in fps}
    for copy in range(1, 6):
        for h in fps[:30]:
            index[h].append(copy)
    light = [0, 1, 2]
    if not co_holders_share_more:
        index = {h: [] for h in fps}
        for copy in range(1, 6):
            for h in fps[10:40]:
                index[h].append(copy)
        for h in light:
            index[h] = list(range(20, 25))
    for h in light:
        index[h].append(9)
    return index, fps


def test_a_source_after_its_copies_finds_one_that_took_little_of_it() -> None:
    # Had document 9 arrived after the source alone, its 3 fingerprints would each have had df 1
    # (mass 3); arriving after the copies, the source sees them at df 6. The copies are the
    # source's own story: left out of the df, the light copy is compared as it would have been.
    index, fps = _source_after_its_copies(co_holders_share_more=True)
    assert 9 in _rank(index, {}, fps, [])
    assert candidates.story_mass([(6, index[h]) for h in (0, 1, 2)], {o: 30 for o in range(1, 6)} | {9: 3},
                                 {o: 30 / 6 for o in range(1, 6)} | {9: 0.5}) == {9}


def test_a_stock_phrase_held_by_unrelated_documents_still_counts_little() -> None:
    index, fps = _source_after_its_copies(co_holders_share_more=False)
    ranked = _rank(index, {}, fps, [])
    assert 9 not in ranked and not set(range(20, 25)) & set(ranked)
    assert set(range(1, 6)) <= set(ranked)

