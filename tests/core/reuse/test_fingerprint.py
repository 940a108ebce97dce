"""Fingerprints: stable hashes, winnowing's guarantee and fact units."""

from __future__ import annotations

from service.core.reuse import fingerprint
from service.core.reuse.fingerprint import (
    PassageFeatures,
    document_features,
    passage_features,
    share_passages,
    shared_units,
    shingle_hashes,
    to_signed,
    winnow,
)

TEXT = (
    "Vantrix Holdings agreed to buy Oloma Systems for $14.3 billion on Tuesday. "
    "The deal was approved by the board of directors after months of talks."
)


def _spans(text: str) -> list[tuple[int, int]]:
    cut = text.index(" The deal")
    return [(0, cut), (cut + 1, len(text))]


def test_shingle_hashes_are_stable_and_order_sensitive() -> None:
    words = "the quick brown fox jumps over the lazy dog".split()
    first = shingle_hashes(words).tolist()
    assert first == shingle_hashes(list(words)).tolist()
    assert len(first) == len(words) - 4
    assert shingle_hashes(list(reversed(words))).tolist() != first


def test_short_sequences_get_one_hash_and_tiny_ones_none() -> None:
    assert len(shingle_hashes(["a", "b", "c"])) == 1
    assert len(shingle_hashes(["a", "b"])) == 0


def test_winnowing_keeps_a_fingerprint_of_every_long_shared_run() -> None:
    shared = "regulators opened an investigation into the company over its data practices".split()
    left = "alpha beta gamma delta epsilon".split() + shared + "zeta eta theta".split()
    right = "one two three".split() + shared + "four five six seven".split()
    fa = set(winnow(shingle_hashes(left)).tolist())
    fb = set(winnow(shingle_hashes(right)).tolist())
    assert fa & fb
    assert len(fa) < len(shingle_hashes(left))


def test_signed_view_fits_a_bigint_column() -> None:
    values = to_signed(shingle_hashes("a b c d e f g h".split()))
    assert all(-(2**63) <= v < 2**63 for v in values.tolist())


def test_units_are_names_and_figures_not_sentence_starts() -> None:
    p = passage_features(TEXT, 0, 0, TEXT.index(" The deal"))
    assert {"vantrix holdings", "oloma systems", "143"} <= p.units
    q = passage_features("Meanwhile the deal was approved.", 0, 0, 31)
    assert q.units == frozenset()


def test_shared_units_match_on_a_distinctive_word() -> None:
    assert shared_units(frozenset({"alexander wang"}), frozenset({"chief officer alexandr wang"})) == 1
    assert shared_units(frozenset({"vantrix capital"}), frozenset({"oloma capital"})) == 0


def test_document_features_cover_every_passage() -> None:
    feats = document_features(TEXT, _spans(TEXT))
    assert [p.seq for p in feats.passages] == [0, 1]
    assert feats.words == sum(p.size for p in feats.passages)
    assert feats.fingerprints.size > 0
    assert "143" not in feats.anchors and "14.3" in feats.anchors


def test_a_name_does_not_run_across_punctuation() -> None:
    text = "Separately, Mekliom Capital hired Dara Venn."
    assert passage_features(text, 0, 0, len(text)).units == frozenset({"mekliom capital", "dara venn"})


def test_names_of_one_pattern_are_different_entities_but_spelling_variants_are_not() -> None:
    assert shared_units(frozenset({"paitra bulletin"}), frozenset({"vorn bulletin"})) == 0
    assert shared_units(frozenset({"dara venn"}), frozenset({"dara vnen"})) == 1
    assert shared_units(frozenset({"venn"}), frozenset({"dara venn"})) == 1


def _lines(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def _fields(p: PassageFeatures) -> tuple[object, ...]:
    return (p.words, p.shingles, p.content, p.anchors, p.numbers, p.names, p.units, p.quoted)


def test_a_sentence_two_documents_hold_is_analysed_once_and_shared() -> None:
    shared = "Qorvanta Freight said on Tuesday it would cut 1,200 jobs at its Ulvesund depot."
    first = f"Harbour news from the north.\n{shared}"
    second = f"{shared}\nA second line that only this copy has, about \"something else\" entirely."
    a = document_features(first, _lines(first))
    b = document_features(second, _lines(second))
    pa, pb = a.passages[1], b.passages[0]
    # the same sets, not equal copies: a worker's feature cache holds the sentence once
    assert all(x is y for x, y in zip(_fields(pa), _fields(pb), strict=True))
    # but each document keeps its own positions
    assert (pa.seq, pa.start) == (1, len("Harbour news from the north.") + 1)
    assert (pb.seq, pb.start) == (0, 0)
    # and the features are exactly those computed without sharing
    alone = passage_features(shared, 0, 0, len(shared))
    assert _fields(alone) == _fields(pb)


def test_a_hash_collision_is_not_taken_for_the_same_sentence() -> None:
    text = "Lumbrek Mills reopened its Varnholt plant after a two-year closure."
    impostor = passage_features("An entirely different sentence about Ostrava.", 0, 0, 46)
    fingerprint._SHARED[hash(text)] = impostor  # as if two texts had the same hash
    features = document_features(text, [(0, len(text))])
    assert features.passages[0].words != impostor.words
    assert "lumbrek" in " ".join(features.passages[0].words)


def test_features_from_another_process_share_the_sentences_held_here() -> None:
    import pickle

    shared = "Tessaly Rail ordered 40 trains from Brovik Works for 900 million euros."
    here_text = f"{shared}\nOnly here."
    there_text = f"Elsewhere first.\n{shared}"
    here = document_features(here_text, _lines(here_text))
    there = pickle.loads(pickle.dumps(document_features(there_text, _lines(there_text))))  # a worker's
    assert there.passages[1].shingles is not here.passages[0].shingles
    share_passages(there, there_text)
    assert all(x is y for x, y in zip(_fields(there.passages[1]), _fields(here.passages[0]), strict=True))
    assert (there.passages[1].seq, there.passages[1].start) == (1, len("Elsewhere first.") + 1)
