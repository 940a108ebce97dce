"""The per-process caches: bounded, safe under threads, and never losing an entry mid-read."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import select

from service.models import Document
from service.provenance import feature_cache
from service.provenance.documents import load_documents
from service.provenance.feature_cache import LockedLRU


def test_the_cache_keeps_the_most_recently_used_entries() -> None:
    cache: LockedLRU[str, int] = LockedLRU(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recently used
    cache.put("c", 3)
    assert cache.keys() == ["a", "c"]
    assert cache.setdefault("a", 9) == 1 and cache.setdefault("d", 4) == 4
    assert len(cache) == 2


def test_the_cache_stays_bounded_and_consistent_under_threads() -> None:
    cache: LockedLRU[int, int] = LockedLRU(50)
    errors: list[BaseException] = []

    def hammer(seed: int) -> None:
        try:
            for i in range(5_000):
                key = (i * 7 + seed) % 200
                value = cache.get(key)
                if value is None:
                    value = cache.setdefault(key, key * 2)
                assert value == key * 2
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=hammer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert 0 < len(cache) <= 50


def test_loading_more_documents_than_the_cache_holds_loses_none(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = app.test_client()
    for i in range(5):
        text = f"The {['ferry', 'harbour', 'bridge', 'library', 'market'][i]} board met on day {i + 1}. It voted."
        assert client.post("/v1/documents", json={"text": text}).status_code == 201
    tiny: LockedLRU[str, Any] = LockedLRU(2)
    monkeypatch.setattr(feature_cache, "FEATURES", tiny)  # a full cache: every analysis evicts another
    with app.extensions["sessionmaker"]() as session:
        ids = list(session.scalars(select(Document.id)))
        loaded = load_documents(session, ids)
    assert sorted(loaded) == sorted(ids)
    assert all(doc.features.passages for doc in loaded.values())
    assert len(tiny) == 2


def test_a_byte_bound_evicts_by_estimated_size() -> None:
    cache: LockedLRU[str, str] = LockedLRU(100, max_bytes=10, size=len)
    cache.put("a", "xxxx")
    cache.put("b", "xxxx")
    assert cache.nbytes == 8 and cache.keys() == ["a", "b"]
    cache.get("a")  # now the most recently used
    cache.setdefault("c", "xxxx")
    assert cache.keys() == ["a", "c"] and cache.nbytes == 8  # "b" went: 12 bytes are over the bound
    cache.put("a", "x")  # a replaced entry counts at its new size
    assert cache.nbytes == 5
    cache.put("d", "x" * 50)  # larger than the bound alone: kept, everything older goes
    assert cache.keys() == ["d"] and cache.nbytes == 50
    cache.clear()
    assert cache.nbytes == 0 and not len(cache)


def test_the_feature_cache_is_bounded_in_bytes() -> None:
    from service.provenance import feature_cache

    assert feature_cache.FEATURES.max_bytes == feature_cache.FEATURES_MB * 2**20
    analysis = feature_cache.compute("One sentence here. Another one there.", [(0, 18), (19, 37)])
    assert feature_cache.analysis_bytes(analysis) == feature_cache.BYTES_PER_CHAR * 37


def test_an_evicted_document_keeps_its_fingerprints_per_passage() -> None:
    # What re-judging links reads of a document out of the feature cache: the same sets its
    # features or its text give, from a few arrays kept when the feature cache evicts it.
    from service.core.reuse.fingerprint import passage_fingerprints
    from service.core.text.segment import sentence_spans
    from tests.core.reuse.test_align import ORIGINAL

    text = "Short line.\n" + ORIGINAL + "\nThree word line\nAnd a last sentence of the page here.\n" + ORIGINAL
    spans = [(s.start, s.end) for s in sentence_spans(text)]
    fps, inside = passage_fingerprints(text, spans)
    every = range(len(spans))
    analysis = feature_cache.compute(text, spans)
    assert feature_cache.PassagePrints.of(analysis.features).expand(every) == (fps, dict(enumerate(inside)))
    assert feature_cache.PassagePrints.from_sets(fps, inside).expand([2, 0]) == (fps, {2: inside[2], 0: inside[0]})
    kept: LockedLRU[str, Any] = LockedLRU(10)
    cache: LockedLRU[str, Any] = LockedLRU(1, on_evict=lambda key, a: kept.put(key, len(a.text)))
    cache.put("a", analysis)
    cache.put("b", analysis)
    assert kept.keys() == ["a"] and cache.keys() == ["b"]


def test_passage_fingerprints_are_the_same_from_features_kept_prints_or_text(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from service.provenance.documents import passage_fingerprints

    client = app.test_client()
    for i in range(4):
        text = (f"The {['ferry', 'harbour', 'bridge', 'library'][i]} board met on day {i + 1} to vote on the plan. "
                f"It voted for the new budget of the town council after a long debate.\nA second line {i} here.")
        assert client.post("/v1/documents", json={"text": text}).status_code == 201
    with app.extensions["sessionmaker"]() as session:
        ids = list(session.scalars(select(Document.id)))
        wanted = {i: [0, 1] for i in ids}
        load_documents(session, ids)  # every document in the feature cache
        from_features = passage_fingerprints(session, wanted)
        prints: LockedLRU[str, Any] = LockedLRU(100)
        monkeypatch.setattr(feature_cache, "PRINTS", prints)
        monkeypatch.setattr(feature_cache, "FEATURES", LockedLRU(1))  # nothing cached: read from text
        from_text = passage_fingerprints(session, wanted)
        assert len(prints) == len(ids)  # ... and kept
        from_prints = passage_fingerprints(session, wanted)
    assert from_features == from_text == from_prints
    assert any(inside for _, per_passage in from_features.values() for inside in per_passage.values())
